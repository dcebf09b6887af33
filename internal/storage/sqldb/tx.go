package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

// errTxDone is returned when a Tx is used after its function returned.
var errTxDone = errors.New("sqldb: transaction used after its function returned")

// tx is the storage.Tx of View (readOnly) and Update.
type tx struct {
	ctx      context.Context
	s        *Store
	tx       *sql.Tx
	readOnly bool
	done     bool
	// conflict is the first retryable error a statement returned. The database has aborted
	// the transaction, so later statements fail fast with it and Update runs fn again.
	conflict error
}

func (t *tx) finish() { t.done = true }

// check returns the error for an operation on a finished or lost tx or, if write, for a write
// in View.
func (t *tx) check(op string, write bool) error {
	switch {
	case t.done:
		return errTxDone
	case write && t.readOnly:
		return storage.ErrReadOnly
	case t.conflict != nil:
		return fmt.Errorf("%s: %s: %w: %w", t.s.d.Name, op, storage.ErrConflict, t.conflict)
	}
	return nil
}

// fail wraps a database error. In Update, a retryable one also marks the transaction lost and
// wraps storage.ErrConflict.
func (t *tx) fail(op string, err error) error {
	if !t.readOnly && t.s.conflict(err) {
		t.conflict = err
		return fmt.Errorf("%s: %s: %w: %w", t.s.d.Name, op, storage.ErrConflict, err)
	}
	return fmt.Errorf("%s: %s: %w", t.s.d.Name, op, err)
}

// Get implements storage.Tx.
func (t *tx) Get(key string) ([]byte, error) {
	if err := t.check("get", false); err != nil {
		return nil, err
	}
	var v []byte
	err := t.tx.QueryRowContext(t.ctx, t.s.q.get, keyArg(key)).Scan(&v)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, storage.ErrNotFound
	case err != nil:
		return nil, t.fail("get", err)
	case v == nil:
		v = []byte{}
	}
	return v, nil
}

// Put implements storage.Tx.
func (t *tx) Put(key string, value []byte) error {
	if err := t.check("put", true); err != nil {
		return err
	}
	if _, err := t.tx.ExecContext(t.ctx, t.s.q.put, keyArg(key), valueArg(value)); err != nil {
		return t.fail("put", err)
	}
	return nil
}

// Insert implements storage.Tx.
func (t *tx) Insert(key string, value []byte) error {
	if err := t.check("insert", true); err != nil {
		return err
	}
	res, err := t.tx.ExecContext(t.ctx, t.s.q.insert, keyArg(key), valueArg(value))
	if err != nil {
		return t.fail("insert", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return t.fail("insert", err)
	}
	if n == 0 {
		return storage.ErrAlreadyExists
	}
	return nil
}

// Delete implements storage.Tx.
func (t *tx) Delete(key string) error {
	if err := t.check("delete", true); err != nil {
		return err
	}
	res, err := t.tx.ExecContext(t.ctx, t.s.q.delete, keyArg(key))
	if err != nil {
		return t.fail("delete", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return t.fail("delete", err)
	}
	if n == 0 {
		return storage.ErrNotFound
	}
	return nil
}

// Scan implements storage.Tx.
func (t *tx) Scan(prefix, after string, limit int) ([]storage.KV, error) {
	if err := t.check("scan", false); err != nil {
		return nil, err
	}
	var w where
	if after != "" && after >= prefix {
		w.add(t.s.d, "k > ", keyArg(after))
	} else if prefix != "" {
		w.add(t.s.d, "k >= ", keyArg(prefix))
	}
	if upper, ok := UpperBound(prefix); ok {
		w.add(t.s.d, "k < ", upper)
	}
	query := "SELECT k, v FROM kv" + w.sql.String() + " ORDER BY k"
	if limit > 0 {
		query += " LIMIT " + strconv.Itoa(limit)
	}
	rows, err := t.tx.QueryContext(t.ctx, query, w.args...)
	if err != nil {
		return nil, t.fail("scan", err)
	}
	defer rows.Close()
	var out []storage.KV
	for rows.Next() {
		var k, v []byte
		if err := rows.Scan(&k, &v); err != nil {
			return nil, t.fail("scan", err)
		}
		if v == nil {
			v = []byte{}
		}
		out = append(out, storage.KV{Key: string(k), Value: v})
	}
	if err := rows.Err(); err != nil {
		return nil, t.fail("scan", err)
	}
	return out, nil
}

// Count implements storage.Tx.
func (t *tx) Count(prefix string) (int, error) {
	if err := t.check("count", false); err != nil {
		return 0, err
	}
	w := prefixRange(t.s.d, prefix)
	var n int
	if err := t.tx.QueryRowContext(t.ctx, "SELECT count(*) FROM kv"+w.sql.String(), w.args...).Scan(&n); err != nil {
		return 0, t.fail("count", err)
	}
	return n, nil
}

// prefixRange is the WHERE clause selecting the keys that start with prefix.
func prefixRange(d Dialect, prefix string) *where {
	var w where
	if prefix != "" {
		w.add(d, "k >= ", keyArg(prefix))
	}
	if upper, ok := UpperBound(prefix); ok {
		w.add(d, "k < ", upper)
	}
	return &w
}

// DeletePrefix implements storage.Tx.
func (t *tx) DeletePrefix(prefix string) (int, error) {
	if err := t.check("delete prefix", true); err != nil {
		return 0, err
	}
	w := prefixRange(t.s.d, prefix)
	res, err := t.tx.ExecContext(t.ctx, "DELETE FROM kv"+w.sql.String(), w.args...)
	if err != nil {
		return 0, t.fail("delete prefix", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, t.fail("delete prefix", err)
	}
	return int(n), nil
}

// where builds a WHERE clause of ANDed conditions on k.
type where struct {
	sql  strings.Builder
	args []any
}

func (w *where) add(d Dialect, cond string, arg []byte) {
	if len(w.args) == 0 {
		w.sql.WriteString(" WHERE ")
	} else {
		w.sql.WriteString(" AND ")
	}
	w.args = append(w.args, arg)
	w.sql.WriteString(cond + d.Placeholder(len(w.args)))
}

// UpperBound returns the smallest key greater than every key that starts with prefix: prefix
// with its last byte that is not 0xff incremented and the bytes after it dropped. ok is false
// when there is no such key (prefix is empty or all 0xff bytes).
func UpperBound(prefix string) (upper []byte, ok bool) {
	b := []byte(prefix)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] != 0xff {
			b[i]++
			return b[:i+1], true
		}
	}
	return nil, false
}

// keyArg binds a key as bytes, so both engines compare keys bytewise (never as text). The
// slice is never nil, which drivers would bind as NULL.
func keyArg(k string) []byte {
	b := make([]byte, len(k))
	copy(b, k)
	return b
}

// valueArg binds a value, turning nil into an empty (not NULL) blob.
func valueArg(v []byte) []byte {
	if v == nil {
		return []byte{}
	}
	return v
}

var _ storage.Tx = (*tx)(nil)
