package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver

	"github.com/gatehouse-dev/gatehouse/internal/storage/sqldb"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrationLock is the pg_advisory_lock key that serializes migrations across replicas (the
// bytes "gatehous" read as a big-endian int64).
const migrationLock int64 = 0x6761746568_6f7573

// SQLSTATE codes this package classifies.
const (
	codeSerializationFailure = "40001"
	codeDeadlockDetected     = "40P01"
	codeUniqueViolation      = "23505"
)

// Connection pool limits of a Store.
const (
	maxOpenConns    = 16
	maxIdleConns    = 8
	connMaxIdleTime = 5 * time.Minute
)

// dialect is PostgreSQL's flavour of SQL for sqldb.
var dialect = sqldb.Dialect{
	Name:              "postgres",
	Placeholder:       sqldb.DollarN,
	IsRetryable:       isRetryable,
	IsUniqueViolation: isUniqueViolation,
	UpdateTx:          &sql.TxOptions{Isolation: sql.LevelSerializable},
	ViewTx:            &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true},
	LockMigrations:    lockMigrations,
}

// Open connects to the PostgreSQL database named by dsn (a postgres:// URL or key=value string
// as pgx accepts, including runtime parameters such as search_path) and migrates it to the
// schema this binary knows, holding an advisory lock so that replicas starting together migrate
// one at a time. It fails with sqldb.ErrSchemaTooNew if a newer binary has migrated the database
// further.
func Open(ctx context.Context, dsn string) (*sqldb.Store, error) {
	migrations, err := sqldb.LoadMigrations(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	db.SetMaxOpenConns(maxOpenConns)
	db.SetMaxIdleConns(maxIdleConns)
	db.SetConnMaxIdleTime(connMaxIdleTime)
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	if err := sqldb.Migrate(ctx, db, dialect, migrations); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	return sqldb.New(dialect, db, nil), nil
}

// lockMigrations takes the session-level migration advisory lock on conn, waiting for another
// replica's migration to finish.
func lockMigrations(ctx context.Context, conn *sql.Conn) (func() error, error) {
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrationLock); err != nil {
		return nil, err
	}
	return func() error {
		// Unlock even when ctx has ended, or the pooled session would keep the lock.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		_, err := conn.ExecContext(ctx, "SELECT pg_advisory_unlock($1)", migrationLock)
		return err
	}, nil
}

// isRetryable reports whether err is a serialization failure or a detected deadlock.
func isRetryable(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && (e.Code == codeSerializationFailure || e.Code == codeDeadlockDetected)
}

// isUniqueViolation reports whether err is a unique or primary-key violation.
func isUniqueViolation(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && e.Code == codeUniqueViolation
}
