package secrets

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"testing"
)

func testKeyring(t *testing.T) *Keyring {
	t.Helper()
	k, err := New(bytes.Repeat([]byte{7}, KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSealOpen(t *testing.T) {
	k := testKeyring(t)
	sealed := k.Seal([]byte("client secret"), []byte("client-secret/abc"))
	if bytes.Contains(sealed, []byte("client secret")) {
		t.Fatal("plaintext visible in sealed value")
	}
	pt, err := k.Open(sealed, []byte("client-secret/abc"))
	if err != nil || string(pt) != "client secret" {
		t.Fatalf("open = %q, %v", pt, err)
	}
	if _, err := k.Open(sealed, []byte("client-secret/other")); err != ErrDecrypt {
		t.Fatalf("open with other aad: %v", err)
	}
	tampered := bytes.Clone(sealed)
	tampered[len(tampered)-1] ^= 1
	if _, err := k.Open(tampered, []byte("client-secret/abc")); err != ErrDecrypt {
		t.Fatalf("open tampered: %v", err)
	}
	other, _ := New(bytes.Repeat([]byte{8}, KeySize))
	if _, err := other.Open(sealed, []byte("client-secret/abc")); err != ErrDecrypt {
		t.Fatalf("open with other key: %v", err)
	}
	if _, err := k.Open([]byte{1, 2}, nil); err != ErrDecrypt {
		t.Fatalf("open short: %v", err)
	}
	if bytes.Equal(k.Seal([]byte("x"), nil), k.Seal([]byte("x"), nil)) {
		t.Fatal("two seals of one value are equal: nonce reused")
	}
}

func TestMAC(t *testing.T) {
	k := testKeyring(t)
	a := k.MAC("code", "pool", "user", "123456")
	if !EqualMAC(a, k.MAC("code", "pool", "user", "123456")) {
		t.Fatal("MAC not deterministic")
	}
	// Length prefixes keep part boundaries: ("ab","c") differs from ("a","bc").
	if EqualMAC(k.MAC("ab", "c"), k.MAC("a", "bc")) {
		t.Fatal("MAC ignores part boundaries")
	}
}

func TestLoadMasterKey(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	key, created, err := LoadMasterKey("", dir)
	if err != nil || !created || len(key) != KeySize {
		t.Fatalf("first load: %v %v %d", err, created, len(key))
	}
	st, err := os.Stat(filepath.Join(dir, KeyFileName))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode: %v %v", st.Mode(), err)
	}
	again, created, err := LoadMasterKey("", dir)
	if err != nil || created || !bytes.Equal(again, key) {
		t.Fatalf("second load: %v %v", err, created)
	}
	env := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{1}, KeySize))
	fromEnv, _, err := LoadMasterKey(env, dir)
	if err != nil || !bytes.Equal(fromEnv, bytes.Repeat([]byte{1}, KeySize)) {
		t.Fatalf("env key: %v", err)
	}
	if _, _, err := LoadMasterKey("c2hvcnQ=", dir); err == nil {
		t.Fatal("short env key accepted")
	}
	if _, err := New([]byte("short")); err == nil {
		t.Fatal("short master key accepted")
	}
}
