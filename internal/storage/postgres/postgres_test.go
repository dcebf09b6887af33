package postgres_test

import (
	"database/sql"
	"errors"
	"sync"
	"testing"

	"github.com/gatehouse-dev/gatehouse/internal/storage"
	"github.com/gatehouse-dev/gatehouse/internal/storage/conformance"
	"github.com/gatehouse-dev/gatehouse/internal/storage/postgres"
	"github.com/gatehouse-dev/gatehouse/internal/storage/postgres/pgtest"
	"github.com/gatehouse-dev/gatehouse/internal/storage/sqldb"
)

// open opens a Store on dsn and closes it when the test ends (before the schema is dropped).
func open(t testing.TB, dsn string) *sqldb.Store {
	t.Helper()
	s, err := postgres.Open(t.Context(), dsn)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	pgtest.DSN(t) // skip early, not in every subtest
	conformance.RunTests(t, func(t *testing.T) storage.Store {
		return open(t, pgtest.DSN(t))
	})
}

func TestReopenKeepsData(t *testing.T) {
	dsn := pgtest.DSN(t)
	s := open(t, dsn)
	if err := s.Update(t.Context(), func(tx storage.Tx) error {
		return tx.Put("k\xff\x00", []byte("persisted"))
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = open(t, dsn)
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

// TestConcurrentOpen stands in for replicas starting together on an empty database: the
// advisory lock lets one migrate while the others wait, and all of them open.
func TestConcurrentOpen(t *testing.T) {
	dsn := pgtest.DSN(t)
	var wg sync.WaitGroup
	stores := make([]*sqldb.Store, 4)
	errs := make([]error, len(stores))
	for i := range stores {
		wg.Go(func() { stores[i], errs[i] = postgres.Open(t.Context(), dsn) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Open %d: %v", i, err)
			continue
		}
		_ = stores[i].Close()
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n, maxVersion int
	if err := db.QueryRowContext(t.Context(), "SELECT COUNT(*), MAX(version) FROM schema_migrations").Scan(&n, &maxVersion); err != nil {
		t.Fatal(err)
	}
	if n != maxVersion {
		t.Errorf("schema_migrations has %d rows for versions up to %d, want one per version", n, maxVersion)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	dsn := pgtest.DSN(t)
	s := open(t, dsn)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(t.Context(), "INSERT INTO schema_migrations (version, applied_at) VALUES (9999, 'future')"); err != nil {
		t.Fatal(err)
	}
	if s, err := postgres.Open(t.Context(), dsn); !errors.Is(err, sqldb.ErrSchemaTooNew) {
		if err == nil {
			_ = s.Close()
		}
		t.Fatalf("Open of a database from a newer binary = %v, want ErrSchemaTooNew", err)
	}
}

func BenchmarkGet(b *testing.B) {
	conformance.BenchGet(b, open(b, pgtest.DSN(b)))
}

func BenchmarkUpdate(b *testing.B) {
	conformance.BenchUpdate(b, open(b, pgtest.DSN(b)))
}
