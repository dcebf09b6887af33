package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/gatehouse-dev/gatehouse/internal/cognito"
	"github.com/gatehouse-dev/gatehouse/internal/obs"
	"github.com/gatehouse-dev/gatehouse/internal/secrets"
	"github.com/gatehouse-dev/gatehouse/internal/storage"
	"github.com/gatehouse-dev/gatehouse/internal/storage/backend"
	"github.com/gatehouse-dev/gatehouse/internal/tokens"
)

// Core is the data side of an existing Gatehouse without its HTTP surfaces: the store, the
// master keyring and the token manager. Administrative commands that work on a server's data,
// possibly while the server runs on it (`gatehouse keys rotate`), open it with OpenCore.
type Core struct {
	// Config is the configuration Core was opened with.
	Config *Config
	// Store is the opened store.
	Store storage.Store
	// Keys is the master keyring.
	Keys *secrets.Keyring
	// Tokens manages the pools' signing keys.
	Tokens *tokens.Manager

	pools *cognito.Service
}

// ErrNoSuchPool is returned by Core.RotateKeys for a user pool that does not exist.
var ErrNoSuchPool = errors.New("no such user pool")

// OpenCore opens the store and master key of an existing Gatehouse as c (its --data, --db and
// GATEHOUSE_MASTER_KEY) describes them. Unlike Open it initialises nothing: a missing SQLite
// database or master key, a store Gatehouse never started on and --db memory are errors.
func OpenCore(ctx context.Context, c *Config) (*Core, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	switch c.DB {
	case backend.Memory:
		return nil, errors.New("--db memory is a throw-away store that no other process can see; point --data or --db at the server's store")
	case "":
		db := filepath.Join(c.Data, backend.SQLiteFile)
		if _, err := os.Stat(db); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("no Gatehouse database at %s (check --data)", db)
		} else if err != nil {
			return nil, err
		}
	}
	st, err := backend.Open(ctx, c.DB, c.Data)
	if err != nil {
		return nil, fmt.Errorf("open storage: %w", err)
	}
	kr, err := openKeyring(ctx, c, st, false)
	if err != nil {
		st.Close()
		return nil, err
	}
	return &Core{Config: c, Store: st, Keys: kr, Tokens: tokens.NewManager(st, kr, tokens.Options{Now: c.Now}),
		pools: &cognito.Service{Store: st, Keys: kr, Region: c.Region, AccountID: c.AccountID, Now: c.Now,
			Log: obs.NewLogger(io.Discard, c.LogFormat, c.LogLevel)}}, nil
}

// PoolIDs returns the ids of every user pool, in id order.
func (c *Core) PoolIDs(ctx context.Context) ([]string, error) {
	var ids []string
	token := ""
	for {
		page, next, err := c.pools.ListUserPools(ctx, 60, token)
		if err != nil {
			return nil, err
		}
		for _, p := range page {
			ids = append(ids, p.Id)
		}
		if next == "" {
			return ids, nil
		}
		token = next
	}
}

// RotateKeys rotates the signing keys of the user pool with id pool (see
// tokens.Manager.RotateKeys). It returns an error wrapping ErrNoSuchPool if the pool does not
// exist.
func (c *Core) RotateKeys(ctx context.Context, pool string) (*tokens.Rotation, error) {
	ok, err := c.pools.PoolExists(ctx, pool)
	if err != nil {
		return nil, fmt.Errorf("look up user pool %s: %w", pool, err)
	}
	if !ok {
		return nil, fmt.Errorf("user pool %s: %w", pool, ErrNoSuchPool)
	}
	return c.Tokens.RotateKeys(ctx, pool)
}

// Close releases the store.
func (c *Core) Close() error { return c.Store.Close() }
