package sqldb

import (
	"context"
	"database/sql"
	"strconv"
)

// Dialect describes what differs between the SQL engines behind a Store. The queries themselves
// are shared: both engines speak INSERT … ON CONFLICT and compare BLOB/BYTEA keys bytewise.
type Dialect struct {
	// Name names the engine in error messages, e.g. "sqlite".
	Name string
	// Placeholder returns the bind parameter for the n-th argument (1-based) of a query:
	// "?" for SQLite, "$1", "$2", … for PostgreSQL.
	Placeholder func(n int) string
	// IsRetryable reports whether err means the transaction lost a race (serialization failure,
	// deadlock, busy database) and may succeed if run again.
	IsRetryable func(err error) bool
	// IsUniqueViolation reports whether err is a primary-key or unique-constraint violation.
	IsUniqueViolation func(err error) bool
	// UpdateTx are the options Update begins its transactions with.
	UpdateTx *sql.TxOptions
	// ViewTx are the options View begins its transactions with; they must give one consistent
	// snapshot for the whole transaction.
	ViewTx *sql.TxOptions
	// LockMigrations, if set, takes a lock on conn that keeps other processes from migrating
	// the same database at the same time, and returns the function that releases it.
	LockMigrations func(ctx context.Context, conn *sql.Conn) (unlock func() error, err error)
}

// QuestionMark is a Dialect.Placeholder that returns "?" for every argument.
func QuestionMark(int) string { return "?" }

// DollarN is a Dialect.Placeholder that returns "$1", "$2", ….
func DollarN(n int) string { return "$" + strconv.Itoa(n) }
