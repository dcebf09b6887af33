package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"runtime"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/gatehouse-dev/gatehouse/internal/storage/sqldb"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// busyTimeoutMillis is how long a connection waits for another one's lock (another process's
// writer, a checkpoint) before SQLite reports SQLITE_BUSY.
const busyTimeoutMillis = 5000

// dialect is SQLite's flavour of SQL for sqldb. Write transactions begin IMMEDIATE (see dsn), so
// at most one runs at a time and SQLite's transactions are serializable without further options.
var dialect = sqldb.Dialect{
	Name:              "sqlite",
	Placeholder:       sqldb.QuestionMark,
	IsRetryable:       isBusy,
	IsUniqueViolation: isUniqueViolation,
	ViewTx:            &sql.TxOptions{ReadOnly: true},
}

// Open opens, creating it if needed, the SQLite database file at path and migrates it to the
// schema this binary knows. It fails with sqldb.ErrSchemaTooNew if a newer binary has migrated
// the file further. The directory of path must exist.
func Open(path string) (*sqldb.Store, error) {
	ctx := context.Background()
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	migrations, err := sqldb.LoadMigrations(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", abs, err)
	}

	// The writer comes first: it switches the file to WAL (a persistent setting) and migrates
	// it before any reader connects.
	writer, err := sql.Open("sqlite", dsn(abs, true))
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", abs, err)
	}
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	if err := sqldb.Migrate(ctx, writer, dialect, migrations); err != nil {
		_ = writer.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", abs, err)
	}

	reader, err := sql.Open("sqlite", dsn(abs, false))
	if err != nil {
		_ = writer.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", abs, err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	reader.SetMaxOpenConns(n)
	reader.SetMaxIdleConns(n)
	if err := reader.PingContext(ctx); err != nil {
		_ = errors.Join(reader.Close(), writer.Close())
		return nil, fmt.Errorf("open sqlite %s: %w", abs, err)
	}
	return sqldb.New(dialect, writer, reader), nil
}

// dsn returns the modernc.org/sqlite data source name for the database file at the absolute
// path abs: a file: URI (so that any path survives) with the connection's pragmas. The writer
// begins its transactions IMMEDIATE, taking the write lock up front so that two writers never
// deadlock upgrading read locks; readers are query-only.
func dsn(abs string, writer bool) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeoutMillis))
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	if writer {
		q.Add("_pragma", "journal_mode(WAL)")
		q.Set("_txlock", "immediate")
	} else {
		q.Add("_pragma", "query_only(1)")
	}
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") { // C:/dir/file on Windows
		p = "/" + p
	}
	u := url.URL{Scheme: "file", Path: p, RawQuery: q.Encode()}
	return u.String()
}

// isBusy reports whether err is SQLITE_BUSY or SQLITE_LOCKED (any extended code): another
// connection held a lock for longer than the busy timeout.
func isBusy(err error) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	switch e.Code() & 0xff {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return true
	}
	return false
}

// isUniqueViolation reports whether err is a PRIMARY KEY or UNIQUE constraint violation.
func isUniqueViolation(err error) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	return e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY || e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE
}
