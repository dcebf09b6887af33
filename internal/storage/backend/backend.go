package backend

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/storage"
	"github.com/gatehouse-dev/gatehouse/internal/storage/memory"
	"github.com/gatehouse-dev/gatehouse/internal/storage/postgres"
	"github.com/gatehouse-dev/gatehouse/internal/storage/sqlite"
)

// SQLiteFile is the name of the SQLite database file in the data directory.
const SQLiteFile = "gatehouse.db"

// Memory is the db value that selects the in-memory store.
const Memory = "memory"

// Open opens the store that db selects:
//
//   - "" — SQLite in <dataDir>/gatehouse.db, creating dataDir (mode 0700) if it is missing;
//   - "memory" — an empty in-memory store, lost at Close;
//   - "postgres://…" or "postgresql://…" — PostgreSQL.
//
// Anything else is an error. The error never repeats db, which may hold a password.
func Open(ctx context.Context, db, dataDir string) (storage.Store, error) {
	switch {
	case db == "":
		if dataDir == "" {
			return nil, errors.New("open store: no data directory for the SQLite database")
		}
		if err := os.MkdirAll(dataDir, 0o700); err != nil {
			return nil, fmt.Errorf("open store: create data directory: %w", err)
		}
		s, err := sqlite.Open(filepath.Join(dataDir, SQLiteFile))
		if err != nil {
			return nil, fmt.Errorf("open store: %w", err)
		}
		return s, nil
	case db == Memory:
		return memory.New(), nil
	case strings.HasPrefix(db, "postgres://"), strings.HasPrefix(db, "postgresql://"):
		s, err := postgres.Open(ctx, db)
		if err != nil {
			return nil, fmt.Errorf("open store: %w", err)
		}
		return s, nil
	default:
		return nil, fmt.Errorf("open store: unsupported database %s: want %q, a postgres:// URL, or nothing for SQLite in the data directory", describe(db), Memory)
	}
}

// describe names what kind of value db is without revealing credentials it may carry: its URL
// scheme if it has one.
func describe(db string) string {
	if scheme, _, ok := strings.Cut(db, "://"); ok && scheme != "" && !strings.ContainsAny(scheme, "@:/") {
		return fmt.Sprintf("with scheme %q", scheme)
	}
	return "value"
}
