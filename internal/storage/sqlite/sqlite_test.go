package sqlite_test

import (
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/gatehouse-dev/gatehouse/internal/storage"
	"github.com/gatehouse-dev/gatehouse/internal/storage/conformance"
	"github.com/gatehouse-dev/gatehouse/internal/storage/sqldb"
	"github.com/gatehouse-dev/gatehouse/internal/storage/sqlite"
)

func open(t testing.TB, path string) *sqldb.Store {
	t.Helper()
	s, err := sqlite.Open(path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	conformance.RunTests(t, func(t *testing.T) storage.Store {
		return open(t, filepath.Join(t.TempDir(), "test.db"))
	})
}

func TestReopenKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "test.db")
	s := open(t, path)
	if err := s.Update(t.Context(), func(tx storage.Tx) error {
		return tx.Put("k\xff\x00", []byte("persisted"))
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = open(t, path)
	err := s.View(t.Context(), func(tx storage.Tx) error {
		v, err := tx.Get("k\xff\x00")
		if err == nil && string(v) != "persisted" {
			t.Errorf("Get after reopen = %q, want %q", v, "persisted")
		}
		return err
	})
	if err != nil {
		t.Fatalf("View after reopen: %v", err)
	}
}

// rawDB opens the database file directly, bypassing the store.
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func TestSetup(t *testing.T) {
	path := filepath.Join(t.TempDir(), "test.db")
	open(t, path)
	db := rawDB(t, path)
	var mode string
	if err := db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" {
		t.Errorf("journal_mode = %q, want wal", mode)
	}
}

func TestMigrationsAreIdempotent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "test.db")
	for range 3 {
		s := open(t, path)
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := rawDB(t, path).Query("SELECT version, applied_at FROM schema_migrations ORDER BY version")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var versions []int
	for rows.Next() {
		var v int
		var at string
		if err := rows.Scan(&v, &at); err != nil {
			t.Fatal(err)
		}
		if at == "" {
			t.Errorf("version %d has no applied_at", v)
		}
		versions = append(versions, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(versions) == 0 || versions[0] != 1 {
		t.Fatalf("recorded versions %v, want 1, 2, …", versions)
	}
	for i, v := range versions {
		if v != i+1 {
			t.Fatalf("recorded versions %v, want each once, in order", versions)
		}
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "test.db")
	s := open(t, path)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := rawDB(t, path).Exec("INSERT INTO schema_migrations (version, applied_at) VALUES (9999, 'future')"); err != nil {
		t.Fatal(err)
	}
	_, err := sqlite.Open(path)
	if !errors.Is(err, sqldb.ErrSchemaTooNew) {
		t.Fatalf("Open of a database from a newer binary = %v, want ErrSchemaTooNew", err)
	}
	t.Logf("error: %v", err)
}

func TestOpenFailsInMissingDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "test.db")
	if s, err := sqlite.Open(path); err == nil {
		_ = s.Close()
		t.Fatal("Open in a missing directory succeeded")
	}
}

func TestPathWithURICharacters(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a dir?with#odd&chars%20")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "test.db")
	s := open(t, path)
	if err := s.Update(t.Context(), func(tx storage.Tx) error { return tx.Put("k", []byte("v")) }); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database not at the given path: %v", err)
	}
}

func BenchmarkGet(b *testing.B) {
	conformance.BenchGet(b, open(b, filepath.Join(b.TempDir(), "bench.db")))
}

func BenchmarkUpdate(b *testing.B) {
	conformance.BenchUpdate(b, open(b, filepath.Join(b.TempDir(), "bench.db")))
}

// TestTwoStoresOneFile stands in for two processes sharing a database file: their writers
// serialize on SQLite's lock (waiting under busy_timeout) and no increment is lost.
func TestTwoStoresOneFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "test.db")
	stores := []*sqldb.Store{open(t, path), open(t, path)}
	if err := stores[0].Update(t.Context(), func(tx storage.Tx) error {
		return tx.Put("counter", []byte{0})
	}); err != nil {
		t.Fatal(err)
	}
	const perWorker = 25
	var wg sync.WaitGroup
	for w := range 4 {
		s := stores[w%2]
		wg.Go(func() {
			for range perWorker {
				err := s.Update(t.Context(), func(tx storage.Tx) error {
					v, err := tx.Get("counter")
					if err != nil {
						return err
					}
					return tx.Put("counter", []byte{v[0] + 1})
				})
				if err != nil {
					t.Errorf("Update: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	err := stores[1].View(t.Context(), func(tx storage.Tx) error {
		v, err := tx.Get("counter")
		if err == nil && v[0] != 4*perWorker {
			t.Errorf("counter = %d, want %d", v[0], 4*perWorker)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
