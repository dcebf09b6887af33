package postgres_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"net/url"
	"os"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/gatehouse-dev/gatehouse/internal/storage"
	"github.com/gatehouse-dev/gatehouse/internal/storage/conformance"
	"github.com/gatehouse-dev/gatehouse/internal/storage/postgres"
	"github.com/gatehouse-dev/gatehouse/internal/storage/sqldb"
)

// dsnEnv names the environment variable with the DSN of a PostgreSQL database the tests may
// create schemas in, e.g. postgres://postgres@127.0.0.1:5432/gatehouse_test?sslmode=disable.
const dsnEnv = "GATEHOUSE_TEST_POSTGRES_DSN"

// testDSN returns the DSN of a fresh, empty schema that is dropped when the test ends: the
// database from dsnEnv with search_path set to the schema. It skips the test if dsnEnv is unset.
func testDSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv(dsnEnv)
	if base == "" {
		t.Skipf("PostgreSQL tests skipped: set %s to a postgres:// URL of a database the tests may create schemas in", dsnEnv)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", dsnEnv, err)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = admin.Close() })
	schema := "gatehouse_test_" + hex.EncodeToString(randomBytes(t, 6))
	if _, err := admin.ExecContext(t.Context(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		// t.Context is done by now.
		if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func randomBytes(t testing.TB, n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

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
	testDSN(t) // skip early, not in every subtest
	conformance.RunTests(t, func(t *testing.T) storage.Store {
		return open(t, testDSN(t))
	})
}

func TestReopenKeepsData(t *testing.T) {
	dsn := testDSN(t)
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
	dsn := testDSN(t)
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
	dsn := testDSN(t)
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
	conformance.BenchGet(b, open(b, testDSN(b)))
}

func BenchmarkUpdate(b *testing.B) {
	conformance.BenchUpdate(b, open(b, testDSN(b)))
}
