package backend_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/internal/storage"
	"github.com/gatehouse-dev/gatehouse/internal/storage/backend"
	"github.com/gatehouse-dev/gatehouse/internal/storage/memory"
	"github.com/gatehouse-dev/gatehouse/internal/storage/postgres/pgtest"
)

func roundTrip(t *testing.T, s storage.Store) {
	t.Helper()
	if err := s.Update(t.Context(), func(tx storage.Tx) error { return tx.Put("k", []byte("v")) }); err != nil {
		t.Fatal(err)
	}
	if err := s.View(t.Context(), func(tx storage.Tx) error { _, err := tx.Get("k"); return err }); err != nil {
		t.Fatal(err)
	}
}

func TestSQLiteDefault(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data", "nested")
	s, err := backend.Open(t.Context(), "", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	roundTrip(t, s)
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o700 {
		t.Errorf("data directory mode %v, want 0700", perm)
	}
	if _, err := os.Stat(filepath.Join(dir, backend.SQLiteFile)); err != nil {
		t.Errorf("database file: %v", err)
	}
}

func TestMemory(t *testing.T) {
	s, err := backend.Open(t.Context(), backend.Memory, "")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, ok := s.(*memory.Store); !ok {
		t.Errorf("Open(memory) = %T, want *memory.Store", s)
	}
	roundTrip(t, s)
}

func TestPostgres(t *testing.T) {
	s, err := backend.Open(t.Context(), pgtest.DSN(t), "")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	roundTrip(t, s)
}

func TestInvalid(t *testing.T) {
	for _, db := range []string{
		"mysql://user:secret@host/db",
		"sqlite:///tmp/secret.db",
		"Memory",
		"user:secret@host",
		"postgres:/secret",
	} {
		s, err := backend.Open(t.Context(), db, t.TempDir())
		if err == nil {
			_ = s.Close()
			t.Errorf("Open(%q) succeeded, want an error", db)
			continue
		}
		if strings.Contains(err.Error(), "secret") {
			t.Errorf("Open(%q) error repeats the value: %v", db, err)
		}
	}
	if s, err := backend.Open(t.Context(), "", ""); err == nil {
		_ = s.Close()
		t.Error("Open of SQLite without a data directory succeeded")
	}
}
