package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
)

// EnvDSN names the environment variable with the DSN of a PostgreSQL database in which tests
// may create and drop schemas, e.g. postgres://postgres@127.0.0.1:5432/gatehouse_test?sslmode=disable.
const EnvDSN = "GATEHOUSE_TEST_POSTGRES_DSN"

// EnvRequire names the environment variable that, when set, makes a missing EnvDSN a test
// failure instead of a skip (CI sets it so the PostgreSQL suite cannot silently not run).
const EnvRequire = "GATEHOUSE_REQUIRE_POSTGRES"

// DSN returns the DSN of a new, empty schema that is dropped when the test ends: the database
// EnvDSN names, with search_path set to the schema. It skips the test if EnvDSN is unset. Close
// everything connected to the schema in a cleanup registered after DSN returns, so that it runs
// before the schema is dropped.
func DSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvDSN)
	if base == "" && os.Getenv(EnvRequire) != "" {
		t.Fatalf("%s is set but %s is not: the PostgreSQL tests must run", EnvRequire, EnvDSN)
	}
	if base == "" {
		t.Skipf("PostgreSQL tests skipped: set %s to a postgres:// URL of a database in which tests may create schemas", EnvDSN)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s is not a URL: %v", EnvDSN, err)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = admin.Close() })
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	schema := "gatehouse_test_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(t.Context(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create test schema: %v", err)
	}
	t.Cleanup(func() {
		// t.Context is done by the time cleanups run.
		if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop test schema %s: %v", schema, err)
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
