package app

import (
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseStoreFlags(t *testing.T) {
	env := envOf(map[string]string{"GATEHOUSE_DATA": "/srv/gh", "GATEHOUSE_MASTER_KEY": "k", "GATEHOUSE_LISTEN": "nonsense"})
	var pool string
	c, err := ParseStoreFlags("t", []string{"--db", "postgres://db/x", "--pool", "p"}, env, func(fs *flag.FlagSet) {
		fs.StringVar(&pool, "pool", "", "")
	})
	if err != nil {
		t.Fatal(err)
	}
	// The store comes from flags and environment, the rest from serve's defaults.
	if c.Data != "/srv/gh" || c.DB != "postgres://db/x" || c.MasterKey != "k" || pool != "p" || c.Listen != "127.0.0.1:4566" {
		t.Fatalf("config = %+v, pool %q", c, pool)
	}
	for _, args := range [][]string{{"--listen", "x:1"}, {"--db", "mysql://x"}, {"extra"}} {
		if _, err := ParseStoreFlags("t", args, envOf(nil), nil); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}

func TestPublicURLValidation(t *testing.T) {
	for _, u := range []string{"http://localhost:4566", "https://auth.example.test/", "https://auth.example.test/base", "https://h.test/a/b-c/"} {
		if _, err := ParseFlags("t", []string{"--public-url", u}, envOf(nil)); err != nil {
			t.Errorf("%s refused: %v", u, err)
		}
	}
	for _, u := range []string{"localhost:4566", "auth.example.test/base", "ftp://h.test", "https:///base", "https://h.test/?a=b",
		"https://h.test/#top", "https://user:pw@h.test", "https://h.test/a b", "https://h.test/a%2Fb", "https://h.test/{x}"} {
		if _, err := ParseFlags("t", []string{"--public-url", u}, envOf(nil)); err == nil || !strings.Contains(err.Error(), "--public-url") {
			t.Errorf("%s accepted: %v", u, err)
		}
	}
}

// TestOpenCoreCreatesNothing: OpenCore opens existing state only, and reports an unknown pool
// as ErrNoSuchPool.
func TestOpenCoreCreatesNothing(t *testing.T) {
	dir := t.TempDir()
	c := DefaultConfig()
	c.Data = dir
	if _, err := OpenCore(context.Background(), c); err == nil || !strings.Contains(err.Error(), "no Gatehouse database") {
		t.Fatalf("empty data directory: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("OpenCore created %v", entries)
	}
	a, err := Open(context.Background(), c, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	if err := os.Rename(filepath.Join(dir, "master.key"), filepath.Join(dir, "moved.key")); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenCore(context.Background(), c); err == nil || !strings.Contains(err.Error(), "no master key") {
		t.Fatalf("without the master key: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "master.key")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("OpenCore generated a master key: %v", err)
	}
	if err := os.Rename(filepath.Join(dir, "moved.key"), filepath.Join(dir, "master.key")); err != nil {
		t.Fatal(err)
	}
	core, err := OpenCore(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	defer core.Close()
	if ids, err := core.PoolIDs(context.Background()); err != nil || len(ids) != 0 {
		t.Errorf("PoolIDs = %v, %v", ids, err)
	}
	if _, err := core.RotateKeys(context.Background(), "us-east-1_Nope"); !errors.Is(err, ErrNoSuchPool) {
		t.Errorf("RotateKeys of an unknown pool: %v", err)
	}
}
