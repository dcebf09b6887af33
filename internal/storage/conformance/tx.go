package conformance

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

// baseModel is the committed state several transaction tests start from.
func baseModel() model {
	return model{
		"a/1": []byte("1"), "a/2": []byte("2"), "a/3": []byte("3"),
		"b/1": []byte("b1"), "c": []byte("c"),
	}
}

// customError checks that Update returns fn's error itself, not a copy or a wrapper.
type customError struct{ code int }

func (e *customError) Error() string { return "custom error" }

// writeAll makes one write of every kind and fails the test if one fails.
func writeAll(t *testing.T, tx storage.Tx) {
	t.Helper()
	for _, err := range []error{
		tx.Put("a/1", []byte("changed")),
		tx.Insert("new", []byte("new")),
		tx.Delete("b/1"),
	} {
		if err != nil {
			t.Errorf("write: %v", err)
		}
	}
	if _, err := tx.DeletePrefix("a/"); err != nil {
		t.Errorf("DeletePrefix: %v", err)
	}
}

func testRollbackOnError(t *testing.T, s storage.Store) {
	m := baseModel()
	load(t, s, m)

	err := s.Update(t.Context(), func(tx storage.Tx) error {
		writeAll(t, tx)
		return errBoom
	})
	if err != errBoom { //nolint:errorlint // the very error fn returned
		t.Errorf("Update = %v, want fn's error unchanged", err)
	}
	wantContents(t, s, m)

	want := &customError{code: 7}
	err = s.Update(t.Context(), func(tx storage.Tx) error {
		writeAll(t, tx)
		return want
	})
	var got *customError
	if !errors.As(err, &got) || got != want {
		t.Errorf("Update = %v, want fn's *customError", err)
	}
	wantContents(t, s, m)

	// Errors from fn reach the caller of View unchanged, too.
	if err := s.View(t.Context(), func(storage.Tx) error { return errBoom }); err != errBoom { //nolint:errorlint
		t.Errorf("View = %v, want fn's error unchanged", err)
	}
}

func testRollbackOnPanic(t *testing.T, s storage.Store) {
	m := baseModel()
	load(t, s, m)
	for range 2 { // twice: the first panic must not leave a lock or connection behind
		func() {
			defer func() {
				if r := recover(); r != "boom" {
					t.Errorf("recovered %v, want the panic of fn", r)
				}
			}()
			_ = s.Update(t.Context(), func(tx storage.Tx) error {
				writeAll(t, tx)
				panic("boom")
			})
		}()
		func() {
			defer func() {
				if r := recover(); r != "boom" {
					t.Errorf("recovered %v, want the panic of fn", r)
				}
			}()
			_ = s.View(t.Context(), func(storage.Tx) error { panic("boom") })
		}()
	}
	wantContents(t, s, m)
	update(t, s, func(tx storage.Tx) error { return tx.Put("after", []byte("panic")) })
	wantValue(t, s, "after", []byte("panic"))
}

func testViewIsReadOnly(t *testing.T, s storage.Store) {
	m := baseModel()
	load(t, s, m)
	view(t, s, func(tx storage.Tx) error {
		for name, err := range map[string]error{
			"Put":                tx.Put("a/1", []byte("x")),
			"Put of a new key":   tx.Put("x", []byte("x")),
			"Insert":             tx.Insert("x", []byte("x")),
			"Insert of existing": tx.Insert("a/1", []byte("x")),
			"Delete":             tx.Delete("a/1"),
			"Delete of missing":  tx.Delete("x"),
		} {
			if !errors.Is(err, storage.ErrReadOnly) {
				t.Errorf("%s in View: %v, want ErrReadOnly", name, err)
			}
		}
		if n, err := tx.DeletePrefix(""); !errors.Is(err, storage.ErrReadOnly) || n != 0 {
			t.Errorf("DeletePrefix in View = %d, %v; want 0, ErrReadOnly", n, err)
		}
		// Reads still work after the refused writes.
		if v, err := tx.Get("a/1"); err != nil || string(v) != "1" {
			t.Errorf("Get after refused writes = %q, %v", v, err)
		}
		return nil
	})
	wantContents(t, s, m)
}

func testReadYourWrites(t *testing.T, s storage.Store) {
	load(t, s, baseModel())
	var final model
	update(t, s, func(tx storage.Tx) error {
		m := baseModel() // fresh on every call: fn may run more than once
		step := 0
		check := func(prefix, after string, limit int) {
			t.Helper()
			step++
			got, err := tx.Scan(prefix, after, limit)
			if err != nil {
				t.Fatalf("step %d: Scan(%q, %q, %d): %v", step, prefix, after, limit, err)
			}
			if diff := diffKVs(got, m.scan(prefix, after, limit)); diff != "" {
				t.Errorf("step %d: Scan(%q, %q, %d) differs:\n%s", step, prefix, after, limit, diff)
			}
			for _, kv := range m.scan(prefix, after, limit) {
				if v, err := tx.Get(kv.Key); err != nil || string(v) != string(kv.Value) {
					t.Errorf("step %d: Get(%q) = %q, %v; want %q", step, kv.Key, v, err, kv.Value)
				}
			}
		}
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatalf("step %d: %v", step, err)
			}
		}
		wantErr := func(err, want error) {
			t.Helper()
			if !errors.Is(err, want) {
				t.Errorf("step %d: %v, want %v", step, err, want)
			}
		}

		must(tx.Put("a/2", []byte("two")))
		m["a/2"] = []byte("two")
		must(tx.Put("a/0", []byte("zero")))
		m["a/0"] = []byte("zero")
		check("", "", 0)

		must(tx.Delete("a/3"))
		delete(m, "a/3")
		_, err := tx.Get("a/3")
		wantErr(err, storage.ErrNotFound)
		wantErr(tx.Delete("a/3"), storage.ErrNotFound)
		check("a/", "", 0)

		must(tx.Insert("a/3", []byte("three")))
		m["a/3"] = []byte("three")
		wantErr(tx.Insert("a/0", []byte("x")), storage.ErrAlreadyExists)
		check("a/", "a/0", 2)
		check("a/", "a/1", 0)

		n, err := tx.DeletePrefix("a/")
		must(err)
		if want := m.deletePrefix("a/"); n != want {
			t.Errorf("DeletePrefix(a/) = %d, want %d (staged and committed keys)", n, want)
		}
		_, err = tx.Get("a/1")
		wantErr(err, storage.ErrNotFound)
		check("a/", "", 0)
		check("", "", 0)

		must(tx.Put("a/9", []byte("nine")))
		m["a/9"] = []byte("nine")
		check("a/", "", 0)

		n, err = tx.DeletePrefix("")
		must(err)
		if want := m.deletePrefix(""); n != want {
			t.Errorf("DeletePrefix(\"\") = %d, want %d", n, want)
		}
		check("", "", 0)

		must(tx.Insert("b/1", []byte("reborn")))
		m["b/1"] = []byte("reborn")
		must(tx.Put("z", []byte("z")))
		m["z"] = []byte("z")
		check("", "", 0)
		final = m
		return nil
	})
	wantContents(t, s, final)
}

func testUncommittedInvisible(t *testing.T, s storage.Store) {
	m := baseModel()
	load(t, s, m)
	update(t, s, func(tx storage.Tx) error {
		writeAll(t, tx)
		// A concurrent View neither waits for this Update nor sees its writes.
		done := make(chan error, 1)
		go func() {
			done <- s.View(t.Context(), func(tx storage.Tx) error {
				got, err := tx.Scan("", "", 0)
				if err != nil {
					return err
				}
				if diff := diffKVs(got, m.scan("", "", 0)); diff != "" {
					t.Errorf("View during an Update sees uncommitted writes:\n%s", diff)
				}
				return nil
			})
		}()
		return <-done
	})
	wantMissing(t, s, "a/1")
	wantValue(t, s, "new", []byte("new"))
}

func testTxUnusableAfterReturn(t *testing.T, s storage.Store) {
	load(t, s, model{"k": []byte("v")})
	var leaked storage.Tx
	view(t, s, func(tx storage.Tx) error { leaked = tx; return nil })
	if _, err := leaked.Get("k"); err == nil {
		t.Error("Get on a View's Tx after fn returned succeeded, want an error")
	}
	update(t, s, func(tx storage.Tx) error { leaked = tx; return nil })
	if err := leaked.Put("late", []byte("x")); err == nil {
		t.Error("Put on an Update's Tx after fn returned succeeded, want an error")
	}
	if _, err := leaked.Scan("", "", 0); err == nil {
		t.Error("Scan on an Update's Tx after fn returned succeeded, want an error")
	}
	wantMissing(t, s, "late")
}

func testContextCanceled(t *testing.T, s storage.Store) {
	deadline, cancel := context.WithDeadline(t.Context(), time.Unix(0, 0))
	defer cancel()
	for _, tc := range []struct {
		name string
		ctx  context.Context
		want error
	}{
		{"canceled", canceledContext(t), context.Canceled},
		{"deadline", deadline, context.DeadlineExceeded},
	} {
		called := false
		fn := func(tx storage.Tx) error {
			called = true
			return tx.Put("k", []byte("v"))
		}
		if err := s.View(tc.ctx, fn); !errors.Is(err, tc.want) || called {
			t.Errorf("%s: View = %v (fn called: %v), want %v without calling fn", tc.name, err, called, tc.want)
		}
		if err := s.Update(tc.ctx, fn); !errors.Is(err, tc.want) || called {
			t.Errorf("%s: Update = %v (fn called: %v), want %v without calling fn", tc.name, err, called, tc.want)
		}
	}
	wantMissing(t, s, "k")
}

func testContextCanceledDuringUpdate(t *testing.T, s storage.Store) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	err := s.Update(ctx, func(tx storage.Tx) error {
		if err := tx.Put("k", []byte("v")); err != nil {
			return err
		}
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Update whose context ended before commit = %v, want context.Canceled", err)
	}
	wantMissing(t, s, "k")
	update(t, s, func(tx storage.Tx) error { return tx.Put("k", []byte("later")) })
	wantValue(t, s, "k", []byte("later"))
}
