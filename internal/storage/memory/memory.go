package memory

import (
	"context"
	"errors"
	"iter"
	"strings"
	"sync"

	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

// ErrClosed is returned by View and Update after Close.
var ErrClosed = errors.New("memory: store is closed")

// errTxDone is returned when a Tx is used after its function returned.
var errTxDone = errors.New("memory: transaction used after its function returned")

// Store is an in-memory storage.Store. Updates run one at a time; each stages its writes and
// applies them, under a short exclusive lock, only when its function returns nil. Views run
// concurrently with each other and with the function of a running Update, and see the data as
// of the last commit. Use New to create one.
//
// View and Update must not be nested inside an Update or View of the same Store on the same
// goroutine except for a View inside an Update: an Update waits for the running one to finish,
// and a commit waits for every open View.
type Store struct {
	// writer is a one-slot semaphore held by the running Update (and by Close); it orders
	// writers, and a goroutine waiting for it can give up when its context ends.
	writer chan struct{}
	// mu guards data against the commit of an Update while Views read it. The Update that
	// holds writer may read data without mu, since only it can change data.
	mu     sync.RWMutex
	data   list[[]byte]
	closed bool // set under both writer and mu
}

// New returns an empty Store.
func New() *Store {
	return &Store{writer: make(chan struct{}, 1)}
}

// View runs fn in a read-only transaction that sees the data as of the last commit.
func (s *Store) View(ctx context.Context, fn func(tx storage.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return ErrClosed
	}
	t := &tx{s: s}
	defer t.finish()
	return fn(t)
}

// Update runs fn in a read-write transaction. Updates are serialized, so fn is called exactly
// once; its writes become visible when it returns nil and are discarded when it returns an
// error (returned unchanged), panics, or the context ends first.
func (s *Store) Update(ctx context.Context, fn func(tx storage.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case s.writer <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-s.writer }()
	if s.closed {
		return ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	t := &tx{s: s, staged: &list[write]{}}
	err := func() error {
		defer t.finish()
		return fn(t)
	}()
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := t.staged
	for p := st.seek(""); st.valid(p); p = st.next(p) {
		if e := st.at(p); e.val.deleted {
			s.data.delete(e.key)
		} else {
			s.data.set(e.key, e.val.value)
		}
	}
	return nil
}

// Close drops the data. It waits for a running Update and for open Views; later calls to View
// and Update return ErrClosed.
func (s *Store) Close() error {
	s.writer <- struct{}{}
	defer func() { <-s.writer }()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	s.data.reset()
	return nil
}

// write is a staged write of an Update: a new value, or a deletion.
type write struct {
	value   []byte
	deleted bool
}

// tx is the storage.Tx of View (staged == nil) and of Update.
type tx struct {
	s      *Store
	staged *list[write]
	done   bool
}

func (t *tx) finish() { t.done = true }

// check returns the error for an operation on a finished tx or, if write, for a write in View.
func (t *tx) check(write bool) error {
	switch {
	case t.done:
		return errTxDone
	case write && t.staged == nil:
		return storage.ErrReadOnly
	}
	return nil
}

// lookup returns the value at key as this transaction sees it, without copying it.
func (t *tx) lookup(key string) ([]byte, bool) {
	if t.staged != nil {
		if w, ok := t.staged.get(key); ok {
			return w.value, !w.deleted
		}
	}
	return t.s.data.get(key)
}

// from yields, in key order, every key >= start and its value as this transaction sees it:
// staged writes merged over the committed data.
func (t *tx) from(start string) iter.Seq2[string, []byte] {
	return func(yield func(string, []byte) bool) {
		d, dp := &t.s.data, t.s.data.seek(start)
		if t.staged == nil {
			for ; d.valid(dp); dp = d.next(dp) {
				if e := d.at(dp); !yield(e.key, e.val) {
					return
				}
			}
			return
		}
		st := t.staged
		sp := st.seek(start)
		for d.valid(dp) || st.valid(sp) {
			if !st.valid(sp) || (d.valid(dp) && d.at(dp).key < st.at(sp).key) {
				e := d.at(dp)
				dp = d.next(dp)
				if !yield(e.key, e.val) {
					return
				}
				continue
			}
			w := st.at(sp)
			sp = st.next(sp)
			if d.valid(dp) && d.at(dp).key == w.key {
				dp = d.next(dp) // shadowed by the staged write
			}
			if !w.val.deleted && !yield(w.key, w.val.value) {
				return
			}
		}
	}
}

// Get implements storage.Tx.
func (t *tx) Get(key string) ([]byte, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	v, ok := t.lookup(key)
	if !ok {
		return nil, storage.ErrNotFound
	}
	return clone(v), nil
}

// Put implements storage.Tx.
func (t *tx) Put(key string, value []byte) error {
	if err := t.check(true); err != nil {
		return err
	}
	t.staged.set(key, write{value: clone(value)})
	return nil
}

// Insert implements storage.Tx.
func (t *tx) Insert(key string, value []byte) error {
	if err := t.check(true); err != nil {
		return err
	}
	if _, ok := t.lookup(key); ok {
		return storage.ErrAlreadyExists
	}
	t.staged.set(key, write{value: clone(value)})
	return nil
}

// Delete implements storage.Tx.
func (t *tx) Delete(key string) error {
	if err := t.check(true); err != nil {
		return err
	}
	if _, ok := t.lookup(key); !ok {
		return storage.ErrNotFound
	}
	t.staged.set(key, write{deleted: true})
	return nil
}

// Scan implements storage.Tx.
func (t *tx) Scan(prefix, after string, limit int) ([]storage.KV, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	start, skip := prefix, false
	if after != "" && after >= prefix {
		start, skip = after, true
	}
	var out []storage.KV
	for k, v := range t.from(start) {
		if !strings.HasPrefix(k, prefix) {
			break
		}
		if skip && k == after {
			continue
		}
		out = append(out, storage.KV{Key: k, Value: clone(v)})
		if limit > 0 && len(out) == limit {
			break
		}
	}
	return out, nil
}

// Count implements storage.Tx.
func (t *tx) Count(prefix string) (int, error) {
	if err := t.check(false); err != nil {
		return 0, err
	}
	return len(t.keys(prefix)), nil
}

// keys lists the keys (as this transaction sees them) that start with prefix.
func (t *tx) keys(prefix string) []string {
	var keys []string
	for k := range t.from(prefix) {
		if !strings.HasPrefix(k, prefix) {
			break
		}
		keys = append(keys, k)
	}
	return keys
}

// DeletePrefix implements storage.Tx.
func (t *tx) DeletePrefix(prefix string) (int, error) {
	if err := t.check(true); err != nil {
		return 0, err
	}
	keys := t.keys(prefix)
	for _, k := range keys {
		t.staged.set(k, write{deleted: true})
	}
	return len(keys), nil
}

// clone returns a copy of b that is never nil.
func clone(b []byte) []byte { return append([]byte{}, b...) }

var (
	_ storage.Store = (*Store)(nil)
	_ storage.Tx    = (*tx)(nil)
)
