package app

import (
	"context"
	"encoding/base64"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMasterKeyMismatch: a database opened with another master key is refused at start,
// instead of failing later on every sealed secret.
func TestMasterKeyMismatch(t *testing.T) {
	dir := t.TempDir()
	c := DefaultConfig()
	c.Data = dir
	c.Listen = "127.0.0.1:0"
	a, err := Open(context.Background(), c, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	st, err := os.Stat(filepath.Join(dir, "master.key"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("generated key file: %v %v", st, err)
	}

	c.MasterKey = base64.StdEncoding.EncodeToString(make([]byte, 32))
	if _, err := Open(context.Background(), c, io.Discard); err == nil || !strings.Contains(err.Error(), "master key does not match") {
		t.Fatalf("open with another key: %v", err)
	}

	c.MasterKey = ""
	a, err = Open(context.Background(), c, io.Discard)
	if err != nil {
		t.Fatalf("reopen with the generated key: %v", err)
	}
	a.Close()
}
