package secrets

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// KeySize is the size in bytes of a master key.
const KeySize = 32

// version prefixes every sealed value so the format can evolve.
const version byte = 1

// ErrDecrypt is returned when a sealed value cannot be opened: wrong key, wrong associated data
// or tampered ciphertext.
var ErrDecrypt = errors.New("secrets: cannot decrypt value (wrong master key or tampered data)")

// Keyring seals and opens secrets with AES-256-GCM under a key derived from the master key, and
// computes HMAC-SHA256 values under a second derived key.
type Keyring struct {
	aead   cipher.AEAD
	macKey []byte
}

// New derives a Keyring from a 32-byte master key.
func New(master []byte) (*Keyring, error) {
	if len(master) != KeySize {
		return nil, fmt.Errorf("secrets: master key must be %d bytes, got %d", KeySize, len(master))
	}
	encKey, err := hkdf.Key(sha256.New, master, nil, "gatehouse seal v1", 32)
	if err != nil {
		return nil, err
	}
	macKey, err := hkdf.Key(sha256.New, master, nil, "gatehouse mac v1", 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(encKey)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Keyring{aead: aead, macKey: macKey}, nil
}

// Seal encrypts plaintext, binding it to aad (e.g. "client-secret/<clientId>") so a sealed value
// cannot be moved to another record.
func (k *Keyring) Seal(plaintext, aad []byte) []byte {
	nonce := make([]byte, k.aead.NonceSize(), 1+k.aead.NonceSize()+len(plaintext)+k.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		panic("secrets: crypto/rand failed: " + err.Error())
	}
	out := append([]byte{version}, nonce...)
	return k.aead.Seal(out, nonce, plaintext, aad)
}

// Open decrypts a value produced by Seal with the same aad.
func (k *Keyring) Open(sealed, aad []byte) ([]byte, error) {
	ns := k.aead.NonceSize()
	if len(sealed) < 1+ns+k.aead.Overhead() || sealed[0] != version {
		return nil, ErrDecrypt
	}
	pt, err := k.aead.Open(nil, sealed[1:1+ns], sealed[1+ns:], aad)
	if err != nil {
		return nil, ErrDecrypt
	}
	return pt, nil
}

// MAC returns HMAC-SHA256 under the keyring's MAC key over the length-prefixed parts.
func (k *Keyring) MAC(parts ...string) []byte {
	h := hmac.New(sha256.New, k.macKey)
	for _, p := range parts {
		var l [4]byte
		n := len(p)
		l[0], l[1], l[2], l[3] = byte(n>>24), byte(n>>16), byte(n>>8), byte(n)
		h.Write(l[:])
		h.Write([]byte(p))
	}
	return h.Sum(nil)
}

// EqualMAC compares two MACs in constant time.
func EqualMAC(a, b []byte) bool { return hmac.Equal(a, b) }

// KeyFileName is the name of the generated master key file inside the data directory.
const KeyFileName = "master.key"

// LoadMasterKey returns the master key: decoded from encoded (standard base64 of 32 bytes) when it
// is not empty, otherwise read from <dataDir>/master.key, which is generated with mode 0600 on
// first use. created reports whether a new key file was written.
func LoadMasterKey(encoded, dataDir string) (key []byte, created bool, err error) {
	if encoded = strings.TrimSpace(encoded); encoded != "" {
		key, err := base64.StdEncoding.DecodeString(encoded)
		if err != nil || len(key) != KeySize {
			return nil, false, fmt.Errorf("secrets: GATEHOUSE_MASTER_KEY must be the base64 encoding of %d bytes", KeySize)
		}
		return key, false, nil
	}
	path := filepath.Join(dataDir, KeyFileName)
	b, err := os.ReadFile(path)
	if err == nil {
		key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
		if err != nil || len(key) != KeySize {
			return nil, false, fmt.Errorf("secrets: %s is not a valid master key", path)
		}
		return key, false, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, false, fmt.Errorf("secrets: read master key: %w", err)
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, false, fmt.Errorf("secrets: create data directory: %w", err)
	}
	key = make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, false, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) { // another process won the race: use its key
			return LoadMasterKey("", dataDir)
		}
		return nil, false, fmt.Errorf("secrets: write master key: %w", err)
	}
	if _, err := f.WriteString(base64.StdEncoding.EncodeToString(key) + "\n"); err != nil {
		f.Close()
		return nil, false, fmt.Errorf("secrets: write master key: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, false, err
	}
	return key, true, f.Close()
}
