package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	_ "modernc.org/sqlite"

	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

func TestUpperBound(t *testing.T) {
	for _, tc := range []struct {
		prefix, upper string
		ok            bool
	}{
		{"", "", false},
		{"a", "b", true},
		{"a/", "a0", true},
		{"a\x00", "a\x01", true},
		{"a\xff", "b", true},
		{"a\xfe\xff", "a\xff", true},
		{"a\xff\xff", "b", true},
		{"\xff", "", false},
		{"\xff\xff", "", false},
		{"\xfe", "\xff", true},
		{"日", "旦", true}, // e6 97 a5 → e6 97 a6
	} {
		upper, ok := UpperBound(tc.prefix)
		if ok != tc.ok || string(upper) != tc.upper {
			t.Errorf("UpperBound(%q) = %q, %v; want %q, %v", tc.prefix, upper, ok, tc.upper, tc.ok)
		}
	}
}

func TestLoadMigrations(t *testing.T) {
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	got, err := LoadMigrations(fstest.MapFS{
		"m/0001_first.sql":  file("CREATE TABLE a (x INTEGER);"),
		"m/0002_second.sql": file("CREATE TABLE b (x INTEGER);"),
		"m/README.md":       file("not a migration"),
	}, "m")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Version != 1 || got[1].Version != 2 || got[1].Name != "0002_second.sql" || !strings.Contains(got[0].SQL, "TABLE a") {
		t.Errorf("LoadMigrations = %+v", got)
	}

	for name, fsys := range map[string]fstest.MapFS{
		"bad name":      {"m/0001.sql": file("")},
		"gap":           {"m/0001_a.sql": file(""), "m/0003_c.sql": file("")},
		"duplicate":     {"m/0001_a.sql": file(""), "m/0001_b.sql": file("")},
		"not from 1":    {"m/0002_b.sql": file("")},
		"missing dir":   {"other/0001_a.sql": file("")},
		"unpadded sort": {"m/1_a.sql": file(""), "m/10_b.sql": file(""), "m/2_c.sql": file("")},
	} {
		if got, err := LoadMigrations(fsys, "m"); err == nil {
			t.Errorf("%s: LoadMigrations = %+v, want an error", name, got)
		}
	}
}

// testDialect is SQLite's dialect with a configurable notion of retryable errors.
func testDialect(retryable func(error) bool) Dialect {
	return Dialect{
		Name:              "test",
		Placeholder:       QuestionMark,
		IsRetryable:       retryable,
		IsUniqueViolation: func(error) bool { return false },
		ViewTx:            &sql.TxOptions{ReadOnly: true},
	}
}

func openDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func count(t *testing.T, db *sql.DB, query string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestMigrate(t *testing.T) {
	ctx := t.Context()
	db := openDB(t)
	d := testDialect(func(error) bool { return false })
	v1 := Migration{Version: 1, Name: "0001_t.sql", SQL: "CREATE TABLE t (x INTEGER NOT NULL);"}
	v2 := Migration{Version: 2, Name: "0002_rows.sql", SQL: "INSERT INTO t VALUES (1); INSERT INTO t VALUES (2);"}

	if err := Migrate(ctx, db, d, []Migration{v1}); err != nil {
		t.Fatal(err)
	}
	if err := Migrate(ctx, db, d, []Migration{v1, v2}); err != nil {
		t.Fatal(err)
	}
	if err := Migrate(ctx, db, d, []Migration{v1, v2}); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM t"); n != 2 {
		t.Errorf("migration 2 ran %d times, want once", n/2)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM schema_migrations"); n != 2 {
		t.Errorf("schema_migrations has %d rows, want 2", n)
	}

	// A binary that knows only version 1 must not touch a database at version 2.
	if err := Migrate(ctx, db, d, []Migration{v1}); !errors.Is(err, ErrSchemaTooNew) {
		t.Errorf("Migrate with older migrations = %v, want ErrSchemaTooNew", err)
	}

	// A failing migration leaves nothing behind.
	bad := Migration{Version: 3, Name: "0003_bad.sql", SQL: "CREATE TABLE t3 (x INTEGER); INSERT INTO nope VALUES (1);"}
	if err := Migrate(ctx, db, d, []Migration{v1, v2, bad}); err == nil || !strings.Contains(err.Error(), "0003_bad.sql") {
		t.Errorf("Migrate with a failing migration = %v, want an error naming it", err)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM sqlite_schema WHERE name = 't3'"); n != 0 {
		t.Error("the failed migration's table exists")
	}
	if n := count(t, db, "SELECT MAX(version) FROM schema_migrations"); n != 2 {
		t.Errorf("schema version after a failed migration = %d, want 2", n)
	}
}

func TestMigrateLocks(t *testing.T) {
	db := openDB(t)
	d := testDialect(func(error) bool { return false })
	var events []string
	d.LockMigrations = func(ctx context.Context, conn *sql.Conn) (func() error, error) {
		events = append(events, "lock")
		return func() error {
			events = append(events, "unlock")
			return errors.New("unlock failed")
		}, nil
	}
	m := Migration{Version: 1, Name: "0001_t.sql", SQL: "CREATE TABLE t (x INTEGER);"}
	err := Migrate(t.Context(), db, d, []Migration{m})
	if err == nil || !strings.Contains(err.Error(), "unlock failed") {
		t.Errorf("Migrate = %v, want the unlock error", err)
	}
	if strings.Join(events, ",") != "lock,unlock" {
		t.Errorf("events %v, want lock, unlock", events)
	}
	// The connection that may still hold the lock was discarded, and the pool still works.
	if n := count(t, db, "SELECT COUNT(*) FROM schema_migrations"); n != 1 {
		t.Errorf("schema_migrations has %d rows, want 1", n)
	}
}

// conflictStore returns a Store on a database without the kv table, whose dialect calls the
// resulting "no such table" errors retryable: every statement fn runs is a conflict.
func conflictStore(t *testing.T, attempts int, delay time.Duration) *Store {
	t.Helper()
	d := testDialect(func(err error) bool { return strings.Contains(err.Error(), "no such table") })
	s := New(d, openDB(t), nil)
	s.maxAttempts, s.baseDelay, s.maxDelay = attempts, delay, delay
	return s
}

var errBoom = errors.New("boom")

func TestUpdateRetries(t *testing.T) {
	t.Run("succeeds after conflicts", func(t *testing.T) {
		s := conflictStore(t, 5, time.Microsecond)
		calls := 0
		err := s.Update(t.Context(), func(tx storage.Tx) error {
			calls++
			if calls < 3 {
				_, err := tx.Get("k")
				if !errors.Is(err, storage.ErrConflict) {
					t.Errorf("Get = %v, want ErrConflict", err)
				}
				// Once lost, the transaction refuses every further statement.
				if err := tx.Put("k", nil); !errors.Is(err, storage.ErrConflict) {
					t.Errorf("Put after a conflict = %v, want ErrConflict", err)
				}
				return errBoom // whatever fn returns, a lost transaction is retried
			}
			return nil
		})
		if err != nil || calls != 3 {
			t.Errorf("Update = %v after %d calls, want nil after 3", err, calls)
		}
	})
	t.Run("gives up", func(t *testing.T) {
		s := conflictStore(t, 4, time.Microsecond)
		calls := 0
		err := s.Update(t.Context(), func(tx storage.Tx) error {
			calls++
			_, err := tx.Get("k")
			return err
		})
		if !errors.Is(err, storage.ErrConflict) || calls != 4 {
			t.Errorf("Update = %v after %d calls, want ErrConflict after 4", err, calls)
		}
	})
	t.Run("context ends during backoff", func(t *testing.T) {
		s := conflictStore(t, 4, time.Hour)
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		calls := 0
		err := s.Update(ctx, func(tx storage.Tx) error {
			calls++
			_, err := tx.Get("k")
			cancel()
			return err
		})
		if !errors.Is(err, context.Canceled) || calls != 1 {
			t.Errorf("Update = %v after %d calls, want context.Canceled after 1", err, calls)
		}
	})
	t.Run("View does not retry", func(t *testing.T) {
		s := conflictStore(t, 4, time.Microsecond)
		calls := 0
		err := s.View(t.Context(), func(tx storage.Tx) error {
			calls++
			_, err := tx.Get("k")
			return err
		})
		if err == nil || errors.Is(err, storage.ErrConflict) || calls != 1 {
			t.Errorf("View = %v after %d calls, want a plain error after 1", err, calls)
		}
	})
}

func TestBackoff(t *testing.T) {
	s := &Store{baseDelay: time.Millisecond, maxDelay: 64 * time.Millisecond}
	for attempt := 1; attempt < 100; attempt++ {
		want := min(s.maxDelay, s.baseDelay<<min(attempt-1, 16))
		if d := s.backoff(attempt); d < want/2 || d > want {
			t.Fatalf("backoff(%d) = %v, want within [%v, %v]", attempt, d, want/2, want)
		}
	}
}
