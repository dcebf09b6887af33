package sigv4

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// ErrUnknownKey is returned by a CredentialStore when it has no credentials for an access key.
// Verify turns it into UnrecognizedClientException; any other store error is returned wrapped,
// for the caller to treat as an internal failure.
var ErrUnknownKey = errors.New("sigv4: unknown access key")

// Credentials are the secret material and the caller identity behind one access key.
type Credentials struct {
	// AccessKeyID is the public key id, e.g. "AKIAIOSFODNN7EXAMPLE".
	AccessKeyID string
	// SecretAccessKey is the shared secret the signing key is derived from.
	SecretAccessKey string
	// SessionToken, when set, marks temporary credentials: requests must carry the same value
	// in X-Amz-Security-Token. When empty, requests must not carry a token at all.
	SessionToken string
	// Account is the 12-digit AWS account the key belongs to, copied to Identity.
	Account string
	// Principal is whatever the caller wants logged for this key (an ARN or a name).
	Principal string
}

// CredentialStore resolves access key ids to credentials.
type CredentialStore interface {
	// Lookup returns the credentials for accessKeyID, or an error wrapping ErrUnknownKey.
	Lookup(ctx context.Context, accessKeyID string) (Credentials, error)
}

// StaticStore is an in-memory CredentialStore keyed by access key id. It must not be modified
// while in use.
type StaticStore map[string]Credentials

// Lookup implements CredentialStore.
func (s StaticStore) Lookup(_ context.Context, accessKeyID string) (Credentials, error) {
	c, ok := s[accessKeyID]
	if !ok {
		return Credentials{}, ErrUnknownKey
	}
	return c, nil
}

// ParseStatic parses a comma-separated list of "AKID:SECRET" or "AKID:SECRET:SESSIONTOKEN"
// entries (the format of a config string or environment variable) into a StaticStore.
// Whitespace around entries is ignored. An empty spec yields an empty store.
func ParseStatic(spec string) (StaticStore, error) {
	store := StaticStore{}
	if strings.TrimSpace(spec) == "" {
		return store, nil
	}
	for i, entry := range strings.Split(spec, ",") {
		entry = strings.TrimSpace(entry)
		parts := strings.Split(entry, ":")
		if len(parts) < 2 || len(parts) > 3 || parts[0] == "" || parts[1] == "" {
			// Don't echo the entry: it holds a secret.
			return nil, fmt.Errorf("sigv4: credential entry %d: want AKID:SECRET or AKID:SECRET:TOKEN", i+1)
		}
		if _, dup := store[parts[0]]; dup {
			return nil, fmt.Errorf("sigv4: credential entry %d: duplicate access key id %q", i+1, parts[0])
		}
		c := Credentials{AccessKeyID: parts[0], SecretAccessKey: parts[1]}
		if len(parts) == 3 {
			if parts[2] == "" {
				return nil, fmt.Errorf("sigv4: credential entry %d: empty session token", i+1)
			}
			c.SessionToken = parts[2]
		}
		store[c.AccessKeyID] = c
	}
	return store, nil
}
