package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
)

// ErrNotFound is returned when a key does not exist.
var ErrNotFound = errors.New("storage: not found")

// ErrAlreadyExists is returned by Insert when the key exists already.
var ErrAlreadyExists = errors.New("storage: already exists")

// ErrConflict is returned by Update when a serialization conflict persisted through every retry.
var ErrConflict = errors.New("storage: transaction conflict")

// ErrReadOnly is returned when a write is attempted inside View.
var ErrReadOnly = errors.New("storage: write in read-only transaction")

// Store is an ordered key-value store with serializable transactions. Keys are compared as raw
// bytes and must not be empty (Scan's after == "" means "from the start"). Implementations must
// be safe for concurrent use by many goroutines (and, for shared backends such as PostgreSQL,
// by many processes). A Tx is not safe for concurrent use, and transactions must not be nested
// inside Update (SQLite has one writer connection, so a nested Update would deadlock). Callers
// that write several keys in one Update should write them in a stable order, so that
// PostgreSQL's deadlock detector (which waits a second) is not needed.
type Store interface {
	// View runs fn in a read-only transaction that sees one consistent snapshot.
	View(ctx context.Context, fn func(tx Tx) error) error
	// Update runs fn in a read-write, serializable transaction and commits it when fn returns nil.
	// On a serialization conflict the backend rolls back and calls fn again, so fn must have no
	// side effects beyond tx (it may be called more than once). If fn returns an error the
	// transaction is rolled back and the error is returned unchanged.
	Update(ctx context.Context, fn func(tx Tx) error) error
	// Close releases the backend's resources.
	Close() error
}

// KV is one key and its value, as returned by Tx.Scan.
type KV struct {
	Key   string
	Value []byte
}

// Tx is a transaction handed to View or Update. It must not be used after fn returns.
type Tx interface {
	// Get returns the value stored at key or ErrNotFound.
	Get(key string) ([]byte, error)
	// Put stores value at key, replacing any previous value.
	Put(key string, value []byte) error
	// Insert stores value at key, or returns ErrAlreadyExists if the key exists.
	Insert(key string, value []byte) error
	// Delete removes key, or returns ErrNotFound if it does not exist.
	Delete(key string) error
	// Scan returns, in ascending key order, at most limit pairs whose key starts with prefix and
	// is strictly greater than after (after == "" means from the first key with the prefix).
	// limit <= 0 means no limit.
	Scan(prefix, after string, limit int) ([]KV, error)
	// Count returns how many keys start with prefix, without reading their values.
	Count(prefix string) (int, error)
	// DeletePrefix removes every key that starts with prefix ("" removes everything) and
	// returns how many keys were removed.
	DeletePrefix(prefix string) (int, error)
}

// GetJSON reads key and decodes its JSON value into a T.
func GetJSON[T any](tx Tx, key string) (T, error) {
	var v T
	b, err := tx.Get(key)
	if err != nil {
		return v, err
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return v, fmt.Errorf("decode %q: %w", key, err)
	}
	return v, nil
}

// PutJSON encodes v as JSON and stores it at key.
func PutJSON(tx Tx, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %q: %w", key, err)
	}
	return tx.Put(key, b)
}

// InsertJSON encodes v as JSON and inserts it at key (ErrAlreadyExists if present).
func InsertJSON(tx Tx, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %q: %w", key, err)
	}
	return tx.Insert(key, b)
}

// ScanJSON decodes every value Scan returns into a T, keeping the keys alongside.
func ScanJSON[T any](tx Tx, prefix, after string, limit int) ([]string, []T, error) {
	kvs, err := tx.Scan(prefix, after, limit)
	if err != nil {
		return nil, nil, err
	}
	keys := make([]string, 0, len(kvs))
	vals := make([]T, 0, len(kvs))
	for _, kv := range kvs {
		var v T
		if err := json.Unmarshal(kv.Value, &v); err != nil {
			return nil, nil, fmt.Errorf("decode %q: %w", kv.Key, err)
		}
		keys = append(keys, kv.Key)
		vals = append(vals, v)
	}
	return keys, vals, nil
}
