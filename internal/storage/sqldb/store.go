package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

// Retry policy of Update: at most maxAttempts runs of fn, separated by jittered exponential
// backoff starting at baseDelay and capped at maxDelay.
const (
	maxAttempts = 25
	baseDelay   = time.Millisecond
	maxDelay    = 64 * time.Millisecond
)

// Store is a storage.Store on a kv(k, v) table reached through database/sql. Updates run on the
// writer pool and Views on the reader pool, which may be the same. Create it with New once the
// schema is migrated.
//
// Do not call Update from inside an Update's fn: with a one-connection writer pool (SQLite) the
// inner call waits for the connection the outer one holds until its context ends.
type Store struct {
	d      Dialect
	writer *sql.DB
	reader *sql.DB
	q      queries
	// Retry policy; tests shorten it.
	maxAttempts         int
	baseDelay, maxDelay time.Duration
}

// queries holds the fixed statements, rendered once for the dialect's placeholders.
type queries struct {
	get, put, insert, delete string
}

// New returns a Store that runs Updates on writer and Views on reader (writer if reader is nil).
// The Store owns both pools: Close closes them.
func New(d Dialect, writer, reader *sql.DB) *Store {
	if reader == nil {
		reader = writer
	}
	p1, p2 := d.Placeholder(1), d.Placeholder(2)
	return &Store{
		d:           d,
		writer:      writer,
		reader:      reader,
		maxAttempts: maxAttempts,
		baseDelay:   baseDelay,
		maxDelay:    maxDelay,
		q: queries{
			get:    "SELECT v FROM kv WHERE k = " + p1,
			put:    "INSERT INTO kv (k, v) VALUES (" + p1 + ", " + p2 + ") ON CONFLICT (k) DO UPDATE SET v = excluded.v",
			insert: "INSERT INTO kv (k, v) VALUES (" + p1 + ", " + p2 + ") ON CONFLICT (k) DO NOTHING",
			delete: "DELETE FROM kv WHERE k = " + p1,
		},
	}
}

// View runs fn in a read-only transaction on the reader pool. Writes return storage.ErrReadOnly.
func (s *Store) View(ctx context.Context, fn func(tx storage.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	sqlTx, err := s.reader.BeginTx(ctx, s.d.ViewTx)
	if err != nil {
		return fmt.Errorf("%s: begin view: %w", s.d.Name, err)
	}
	defer func() { _ = sqlTx.Rollback() }()
	t := &tx{ctx: ctx, s: s, tx: sqlTx, readOnly: true}
	defer t.finish()
	return fn(t)
}

// Update runs fn in a serializable transaction on the writer pool and commits it when fn returns
// nil. When the database reports a serialization failure, deadlock or busy database — from a
// statement of fn or from the commit — the transaction is rolled back and fn runs again after a
// short jittered backoff; when every attempt failed that way, Update returns an error wrapping
// storage.ErrConflict. An error fn returns otherwise is returned unchanged.
func (s *Store) Update(ctx context.Context, fn func(tx storage.Tx) error) error {
	for attempt := 1; ; attempt++ {
		retry, err := s.attempt(ctx, fn)
		if !retry {
			return err
		}
		if attempt >= s.maxAttempts {
			return fmt.Errorf("%s: update: %w after %d attempts (last: %w)", s.d.Name, storage.ErrConflict, attempt, err)
		}
		if err := sleep(ctx, s.backoff(attempt)); err != nil {
			return err
		}
	}
}

// attempt runs fn once in a new transaction. retry reports a retryable failure, described by err.
func (s *Store) attempt(ctx context.Context, fn func(tx storage.Tx) error) (retry bool, err error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	sqlTx, err := s.writer.BeginTx(ctx, s.d.UpdateTx)
	if err != nil {
		if s.d.IsRetryable(err) {
			return true, err
		}
		return false, fmt.Errorf("%s: begin update: %w", s.d.Name, err)
	}
	ended := false
	defer func() {
		if !ended { // fn failed or panicked
			_ = sqlTx.Rollback()
		}
	}()
	t := &tx{ctx: ctx, s: s, tx: sqlTx}
	fnErr := func() error {
		defer t.finish()
		return fn(t)
	}()
	switch {
	case t.conflict != nil: // whatever fn made of it, the transaction is lost: run it again
		return true, t.conflict
	case fnErr != nil:
		return false, fnErr
	}
	if err := ctx.Err(); err != nil {
		return false, err
	}
	ended = true
	if err := sqlTx.Commit(); err != nil {
		if s.conflict(err) {
			return true, err
		}
		return false, fmt.Errorf("%s: commit: %w", s.d.Name, err)
	}
	return false, nil
}

// conflict reports whether err means a concurrent transaction won a race against this one.
// A unique violation counts: Insert and Put avoid it with ON CONFLICT, so one can only come
// from a row a concurrent transaction inserted.
func (s *Store) conflict(err error) bool {
	return s.d.IsRetryable(err) || s.d.IsUniqueViolation(err)
}

// Close closes the reader and writer pools.
func (s *Store) Close() error {
	err := s.writer.Close()
	if s.reader != s.writer {
		err = errors.Join(err, s.reader.Close())
	}
	return err
}

// backoff returns the delay before attempt+1: exponential in attempt, capped, and jittered
// into [d/2, d] so that racing writers spread out.
func (s *Store) backoff(attempt int) time.Duration {
	d := s.maxDelay
	if attempt < 16 {
		d = min(s.maxDelay, s.baseDelay<<(attempt-1))
	}
	return d/2 + rand.N(d/2+1)
}

// sleep waits for d or until ctx ends, whichever comes first.
func sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

var _ storage.Store = (*Store)(nil)
