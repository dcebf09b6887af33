package sqldb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"time"
)

// ErrSchemaTooNew is returned by Migrate when the database records a migration this binary does
// not know: a newer Gatehouse created or upgraded it, and an older one must not touch it.
var ErrSchemaTooNew = errors.New("database schema is newer than this binary")

// Migration is one forward-only schema change.
type Migration struct {
	// Version orders migrations; versions are 1, 2, 3, … with no gaps.
	Version int
	// Name is the file name the migration was loaded from.
	Name string
	// SQL is run as one script inside the migration's transaction.
	SQL string
}

var migrationName = regexp.MustCompile(`^([0-9]+)_[A-Za-z0-9_-]+\.sql$`)

// LoadMigrations reads the *.sql files of dir in fsys, named like 0001_create_kv.sql, and returns
// them ordered by version. It fails on a malformed name, a duplicate version or a gap.
func LoadMigrations(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("load migrations: %w", err)
	}
	var out []Migration
	for _, e := range entries { // fs.ReadDir sorts by name, and versions are zero-padded
		if e.IsDir() || path.Ext(e.Name()) != ".sql" {
			continue
		}
		m := migrationName.FindStringSubmatch(e.Name())
		if m == nil {
			return nil, fmt.Errorf("load migrations: %s: want a name like 0001_description.sql", e.Name())
		}
		v, err := strconv.Atoi(m[1])
		if err != nil {
			return nil, fmt.Errorf("load migrations: %s: %w", e.Name(), err)
		}
		if want := len(out) + 1; v != want {
			return nil, fmt.Errorf("load migrations: %s: version %d, want %d (versions start at 1 and have no gaps or duplicates)", e.Name(), v, want)
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("load migrations: %w", err)
		}
		out = append(out, Migration{Version: v, Name: e.Name(), SQL: string(b)})
	}
	return out, nil
}

// Migrate brings db up to the last of migrations (ordered as LoadMigrations returns them). It
// holds d.LockMigrations, if set, for the whole run, so replicas starting together migrate one
// at a time. Each pending migration runs in its own transaction together with its row in
// schema_migrations(version, applied_at); a migration recorded meanwhile by another process is
// skipped. Migrate fails with ErrSchemaTooNew if the database records a version beyond the last
// of migrations, and changes nothing in that case.
func Migrate(ctx context.Context, db *sql.DB, d Dialect, migrations []Migration) (err error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Close()
	if d.LockMigrations != nil {
		unlock, lerr := d.LockMigrations(ctx, conn)
		if lerr != nil {
			return fmt.Errorf("migrate: lock: %w", lerr)
		}
		defer func() { // sets the named result err
			if uerr := unlock(); uerr != nil {
				// The lock may still be held by this session: close the connection rather
				// than return it to the pool.
				_ = conn.Raw(func(any) error { return driver.ErrBadConn })
				err = errors.Join(err, fmt.Errorf("migrate: unlock: %w", uerr))
			}
		}()
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
	version INTEGER PRIMARY KEY,
	applied_at TEXT NOT NULL
)`); err != nil {
		return fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	applied, err := appliedVersions(ctx, conn)
	if err != nil {
		return err
	}
	latest := 0
	if len(migrations) > 0 {
		latest = migrations[len(migrations)-1].Version
	}
	for v := range applied {
		if v > latest {
			return fmt.Errorf("migrate: %w: the database records schema version %d and this binary knows versions up to %d; run a newer gatehouse", ErrSchemaTooNew, v, latest)
		}
	}
	for _, m := range migrations {
		if applied[m.Version] {
			continue
		}
		if err := apply(ctx, conn, d, m); err != nil {
			return err
		}
	}
	return nil
}

// appliedVersions returns the versions recorded in schema_migrations.
func appliedVersions(ctx context.Context, conn *sql.Conn) (map[int]bool, error) {
	rows, err := conn.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return nil, fmt.Errorf("migrate: read schema_migrations: %w", err)
	}
	defer rows.Close()
	applied := make(map[int]bool)
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("migrate: read schema_migrations: %w", err)
		}
		applied[v] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("migrate: read schema_migrations: %w", err)
	}
	return applied, nil
}

// apply runs m and records it in one transaction, unless another process recorded it since
// appliedVersions looked.
func apply(ctx context.Context, conn *sql.Conn, d Dialect, m Migration) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate %s: begin: %w", m.Name, err)
	}
	defer func() { _ = tx.Rollback() }()
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM schema_migrations WHERE version = "+d.Placeholder(1), m.Version).Scan(&n); err != nil {
		return fmt.Errorf("migrate %s: %w", m.Name, err)
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return fmt.Errorf("migrate %s: %w", m.Name, err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, applied_at) VALUES ("+d.Placeholder(1)+", "+d.Placeholder(2)+")",
		m.Version, time.Now().UTC().Format(time.RFC3339Nano)); err != nil {
		return fmt.Errorf("migrate %s: record: %w", m.Name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate %s: commit: %w", m.Name, err)
	}
	return nil
}
