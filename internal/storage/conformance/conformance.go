package conformance

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

// RunTests runs the conformance suite against the Store newStore returns. newStore is called
// once per subtest; it must return an empty, open Store and arrange with t.Cleanup for it to be
// closed (and any backing database removed). The suite never closes the Store itself.
func RunTests(t *testing.T, newStore func(t *testing.T) storage.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s storage.Store)
	}{
		{"GetMissing", testGetMissing},
		{"PutGet", testPutGet},
		{"ValuesAreCopied", testValuesAreCopied},
		{"EmptyAndBinaryValues", testEmptyAndBinaryValues},
		{"EmptyKey", testEmptyKey},
		{"Insert", testInsert},
		{"Delete", testDelete},
		{"JSONHelpers", testJSONHelpers},
		{"ScanMatchesModel", testScanMatchesModel},
		{"ScanPagination", testScanPagination},
		{"DeletePrefix", testDeletePrefix},
		{"Count", testCount},
		{"ManyKeys", testManyKeys},
		{"LargeValues", testLargeValues},
		{"RollbackOnError", testRollbackOnError},
		{"RollbackOnPanic", testRollbackOnPanic},
		{"ViewIsReadOnly", testViewIsReadOnly},
		{"ReadYourWrites", testReadYourWrites},
		{"UncommittedInvisible", testUncommittedInvisible},
		{"TxUnusableAfterReturn", testTxUnusableAfterReturn},
		{"ContextCanceled", testContextCanceled},
		{"ContextCanceledDuringUpdate", testContextCanceledDuringUpdate},
		{"ConcurrentCounter", testConcurrentCounter},
		{"InsertIfAbsentRace", testInsertIfAbsentRace},
		{"ConsistentSnapshots", testConsistentSnapshots},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.fn(t, newStore(t))
		})
	}
}

// errBoom is the error the suite's transaction functions fail with.
var errBoom = errors.New("conformance: boom")

// update runs fn in s.Update and fails the test on error.
func update(t testing.TB, s storage.Store, fn func(tx storage.Tx) error) {
	t.Helper()
	if err := s.Update(t.Context(), fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

// view runs fn in s.View and fails the test on error.
func view(t testing.TB, s storage.Store, fn func(tx storage.Tx) error) {
	t.Helper()
	if err := s.View(t.Context(), fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

// load puts every pair of m in one Update.
func load(t testing.TB, s storage.Store, m model) {
	t.Helper()
	update(t, s, func(tx storage.Tx) error {
		for k, v := range m {
			if err := tx.Put(k, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// get reads key in a View, returning its value or the error.
func get(t testing.TB, s storage.Store, key string) ([]byte, error) {
	t.Helper()
	var v []byte
	err := s.View(t.Context(), func(tx storage.Tx) error {
		var err error
		v, err = tx.Get(key)
		return err
	})
	return v, err
}

// wantValue fails the test unless key holds want.
func wantValue(t testing.TB, s storage.Store, key string, want []byte) {
	t.Helper()
	got, err := get(t, s, key)
	if err != nil {
		t.Fatalf("Get(%q): %v, want value %q", key, err, abbrev(want))
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("Get(%q) = %q, want %q", key, abbrev(got), abbrev(want))
	}
}

// wantMissing fails the test unless key is absent.
func wantMissing(t testing.TB, s storage.Store, key string) {
	t.Helper()
	if got, err := get(t, s, key); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("Get(%q) = %q, %v; want ErrNotFound", key, abbrev(got), err)
	}
}

// wantContents fails the test unless the whole store holds exactly m.
func wantContents(t testing.TB, s storage.Store, m model) {
	t.Helper()
	var got []storage.KV
	view(t, s, func(tx storage.Tx) error {
		var err error
		got, err = tx.Scan("", "", 0)
		return err
	})
	if diff := diffKVs(got, m.scan("", "", 0)); diff != "" {
		t.Fatalf("store contents differ from the expected ones:\n%s", diff)
	}
}

// model is the reference the suite checks backends against.
type model map[string][]byte

// scan is Tx.Scan on the model.
func (m model) scan(prefix, after string, limit int) []storage.KV {
	var keys []string
	for k := range m {
		if strings.HasPrefix(k, prefix) && (after == "" || k > after) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys) // Go compares strings bytewise
	if limit > 0 && len(keys) > limit {
		keys = keys[:limit]
	}
	out := make([]storage.KV, 0, len(keys))
	for _, k := range keys {
		out = append(out, storage.KV{Key: k, Value: m[k]})
	}
	return out
}

// deletePrefix is Tx.DeletePrefix on the model.
func (m model) deletePrefix(prefix string) int {
	n := 0
	for k := range m {
		if strings.HasPrefix(k, prefix) {
			delete(m, k)
			n++
		}
	}
	return n
}

// diffKVs describes how got differs from want, or returns "" if they are equal.
func diffKVs(got, want []storage.KV) string {
	var b strings.Builder
	for i := range max(len(got), len(want)) {
		switch {
		case i >= len(got):
			fmt.Fprintf(&b, "  [%d] missing %q\n", i, want[i].Key)
		case i >= len(want):
			fmt.Fprintf(&b, "  [%d] unexpected %q\n", i, got[i].Key)
		case got[i].Key != want[i].Key:
			fmt.Fprintf(&b, "  [%d] key %q, want %q\n", i, got[i].Key, want[i].Key)
		case !bytes.Equal(got[i].Value, want[i].Value):
			fmt.Fprintf(&b, "  [%d] %q = %q, want %q\n", i, got[i].Key, abbrev(got[i].Value), abbrev(want[i].Value))
		}
		if b.Len() > 2000 {
			b.WriteString("  …\n")
			break
		}
	}
	return b.String()
}

// keysOf returns the keys of kvs.
func keysOf(kvs []storage.KV) []string {
	keys := make([]string, len(kvs))
	for i, kv := range kvs {
		keys[i] = kv.Key
	}
	return keys
}

// abbrev shortens long values in failure messages.
func abbrev(b []byte) []byte {
	if len(b) > 64 {
		return append(b[:64:64], "…"...)
	}
	return b
}

// canceledContext returns a context that is already canceled.
func canceledContext(t testing.TB) context.Context {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	return ctx
}
