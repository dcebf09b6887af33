package tokens

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math/big"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/gatehouse-dev/gatehouse/internal/secrets"
	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

// Storage layout. The key set of a pool lives under one key, so creating, rotating and deleting
// it are single-key operations:
//
//	tok/keys/<poolId> → keySetRecord (JSON; private keys PKCS#8, sealed with AAD "tok/keys/<poolId>/<kid>")
const keyPrefix = "tok/keys/"

// Token uses, as in the token_use claim; each use has its own key pair.
const (
	// UseID is the token_use of ID tokens.
	UseID = "id"
	// UseAccess is the token_use of access tokens.
	UseAccess = "access"
)

// Defaults of Options.
const (
	// DefaultCacheTTL is how long a replica signs with the keys it loaded before rereading
	// storage, and so how long another replica's rotation takes to be used everywhere.
	DefaultCacheTTL = time.Minute
	// DefaultOverlap is how long a rotated-out public key stays in the JWKS and keeps verifying:
	// the longest ID/access token validity Cognito allows (1 day) plus an hour for clock skew and
	// JWKS caches.
	DefaultOverlap = 25 * time.Hour
	// minRefresh bounds how often an unknown kid makes Verify reread storage (kid spraying).
	minRefresh = time.Second
	// rsaBits is the size of every signing key.
	rsaBits = 2048
)

// StorageKey returns the storage key holding pool's key set.
func StorageKey(pool string) string { return keyPrefix + pool }

// DeletePool removes pool's keys inside tx, for DeleteUserPool. A pool without keys is not an
// error. Replicas stop using cached keys within the cache TTL; call Manager.Forget after the
// transaction commits to drop them at once on this replica.
func DeletePool(tx storage.Tx, pool string) error {
	if err := tx.Delete(StorageKey(pool)); err != nil && !errors.Is(err, storage.ErrNotFound) {
		return fmt.Errorf("delete token keys: %w", err)
	}
	return nil
}

// keyRecord is one stored key. Private is empty for rotated-out keys: only their public half is
// still needed.
type keyRecord struct {
	Kid     string    `json:"kid"`
	Use     string    `json:"use"`
	N       string    `json:"n"` // base64url big-endian modulus
	E       int       `json:"e"`
	Private []byte    `json:"priv,omitempty"`
	Created time.Time `json:"created"`
	Retired time.Time `json:"retired,omitzero"`
}

// keySetRecord is the stored key set of one pool.
type keySetRecord struct {
	ID       keyRecord   `json:"id"`
	Access   keyRecord   `json:"access"`
	Previous []keyRecord `json:"previous,omitempty"` // rotated-out keys, newest first
}

// signingKey is an unsealed current key.
type signingKey struct {
	kid    string
	priv   *rsa.PrivateKey
	signer jose.Signer
}

// verifyKey is a public key that verifies tokens of one use until a time (zero: current key).
type verifyKey struct {
	kid   string
	use   string
	pub   *rsa.PublicKey
	jwk   JWK
	until time.Time
}

// poolKeys is the in-memory, unsealed key set of a pool.
type poolKeys struct {
	id, access signingKey
	verify     []verifyKey // current id, current access, then previous keys newest first
	loaded     time.Time
}

// lookup returns the verification key with kid that is still valid at now.
func (p *poolKeys) lookup(kid string, now time.Time) (verifyKey, bool) {
	for _, k := range p.verify {
		if k.kid == kid && (k.until.IsZero() || now.Before(k.until)) {
			return k, true
		}
	}
	return verifyKey{}, false
}

// Options configures a Manager. Zero values select the defaults.
type Options struct {
	// Now returns the current time (default time.Now).
	Now func() time.Time
	// Rand is the source of kids, jtis and refresh-token padding (default crypto/rand).
	Rand io.Reader
	// CacheTTL is how long loaded keys are used before storage is read again (DefaultCacheTTL).
	CacheTTL time.Duration
	// Overlap is how long rotated-out public keys keep verifying and stay in the JWKS
	// (DefaultOverlap). It must be at least the longest ID/access token validity.
	Overlap time.Duration
}

// Manager owns the signing keys of every pool: it creates them lazily, caches them unsealed for
// a short time, rotates them, and mints and verifies tokens with them. It is safe for
// concurrent use.
type Manager struct {
	store    storage.Store
	keyring  *secrets.Keyring
	now      func() time.Time
	rand     io.Reader
	cacheTTL time.Duration
	overlap  time.Duration

	mu       sync.Mutex
	cache    map[string]*poolKeys
	inflight map[loadKey]*loadCall
}

type loadKey struct {
	pool   string
	create bool
}

type loadCall struct {
	done chan struct{}
	keys *poolKeys
	err  error
}

// errNoKeys is returned by a load that must not create keys when the pool has none.
var errNoKeys = errors.New("tokens: pool has no keys")

// NewManager returns a Manager storing keys in st, sealed with kr.
func NewManager(st storage.Store, kr *secrets.Keyring, o Options) *Manager {
	m := &Manager{store: st, keyring: kr, now: o.Now, rand: o.Rand, cacheTTL: o.CacheTTL, overlap: o.Overlap,
		cache: map[string]*poolKeys{}, inflight: map[loadKey]*loadCall{}}
	if m.now == nil {
		m.now = time.Now
	}
	if m.rand == nil {
		m.rand = rand.Reader
	}
	if m.cacheTTL <= 0 {
		m.cacheTTL = DefaultCacheTTL
	}
	if m.overlap <= 0 {
		m.overlap = DefaultOverlap
	}
	return m
}

// Forget drops pool's cached keys on this replica (after DeletePool or an external rotation).
func (m *Manager) Forget(pool string) {
	m.mu.Lock()
	delete(m.cache, pool)
	m.mu.Unlock()
}

// keys returns pool's keys from the cache or storage. With create, a pool without keys gets
// them; without, errNoKeys is returned. refresh rereads storage when the cached copy is older
// than minRefresh (used when a kid is unknown).
func (m *Manager) keys(ctx context.Context, pool string, create, refresh bool) (*poolKeys, error) {
	now := m.now()
	lk := loadKey{pool, create}
	m.mu.Lock()
	if k := m.cache[pool]; k != nil {
		age := now.Sub(k.loaded)
		if age < m.cacheTTL && age >= 0 && (!refresh || age < minRefresh) {
			m.mu.Unlock()
			return k, nil
		}
	}
	if c := m.inflight[lk]; c != nil {
		m.mu.Unlock()
		select {
		case <-c.done:
			return c.keys, c.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	c := &loadCall{done: make(chan struct{})}
	m.inflight[lk] = c
	m.mu.Unlock()

	c.keys, c.err = m.load(ctx, pool, create)
	m.mu.Lock()
	delete(m.inflight, lk)
	switch {
	case c.err == nil:
		m.cache[pool] = c.keys
	case errors.Is(c.err, errNoKeys): // deleted by another replica
		delete(m.cache, pool)
	}
	m.mu.Unlock()
	close(c.done)
	return c.keys, c.err
}

// load reads pool's key set, creating it first when create is set and it does not exist. Two
// replicas creating at once both generate keys, but only the first Insert wins and the other
// rereads.
func (m *Manager) load(ctx context.Context, pool string, create bool) (*poolKeys, error) {
	var rec keySetRecord
	found := false
	err := m.store.View(ctx, func(tx storage.Tx) error {
		var err error
		rec, err = storage.GetJSON[keySetRecord](tx, StorageKey(pool))
		if err == nil {
			found = true
		} else if errors.Is(err, storage.ErrNotFound) {
			err = nil
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("load token keys: %w", err)
	}
	if !found {
		if !create {
			return nil, errNoKeys
		}
		fresh, err := m.newKeySet(pool)
		if err != nil {
			return nil, err
		}
		err = m.store.Update(ctx, func(tx storage.Tx) error {
			cur, err := storage.GetJSON[keySetRecord](tx, StorageKey(pool))
			if err == nil { // another replica won the race
				rec = cur
				return nil
			}
			if !errors.Is(err, storage.ErrNotFound) {
				return err
			}
			rec = fresh
			return storage.InsertJSON(tx, StorageKey(pool), fresh)
		})
		if err != nil {
			return nil, fmt.Errorf("create token keys: %w", err)
		}
	}
	return m.unseal(pool, rec)
}

// newKeySet generates the two key pairs of a pool.
func (m *Manager) newKeySet(pool string) (keySetRecord, error) {
	id, err := m.newKey(pool, UseID)
	if err != nil {
		return keySetRecord{}, err
	}
	access, err := m.newKey(pool, UseAccess)
	if err != nil {
		return keySetRecord{}, err
	}
	return keySetRecord{ID: id, Access: access}, nil
}

// newKey generates one RSA key with a random kid (base64 of 32 bytes, as Cognito's kids look)
// and seals its private half.
func (m *Manager) newKey(pool, use string) (keyRecord, error) {
	priv, err := rsa.GenerateKey(rand.Reader, rsaBits)
	if err != nil {
		return keyRecord{}, fmt.Errorf("generate token key: %w", err)
	}
	var kb [32]byte
	if _, err := io.ReadFull(m.rand, kb[:]); err != nil {
		return keyRecord{}, fmt.Errorf("generate kid: %w", err)
	}
	kid := base64.StdEncoding.EncodeToString(kb[:])
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return keyRecord{}, fmt.Errorf("encode token key: %w", err)
	}
	return keyRecord{
		Kid:     kid,
		Use:     use,
		N:       base64.RawURLEncoding.EncodeToString(priv.N.Bytes()),
		E:       priv.E,
		Private: m.keyring.Seal(der, privateAAD(pool, kid)),
		Created: m.now().UTC(),
	}, nil
}

// privateAAD binds a sealed private key to its pool and kid.
func privateAAD(pool, kid string) []byte { return []byte(keyPrefix + pool + "/" + kid) }

// unseal turns a stored key set into signing and verification keys.
func (m *Manager) unseal(pool string, rec keySetRecord) (*poolKeys, error) {
	pk := &poolKeys{loaded: m.now()}
	var err error
	if pk.id, err = m.signingKey(pool, rec.ID); err != nil {
		return nil, err
	}
	if pk.access, err = m.signingKey(pool, rec.Access); err != nil {
		return nil, err
	}
	for i, r := range append([]keyRecord{rec.ID, rec.Access}, rec.Previous...) {
		vk, err := publicKey(r)
		if err != nil {
			return nil, err
		}
		if i >= 2 {
			vk.until = r.Retired.Add(m.overlap)
		}
		pk.verify = append(pk.verify, vk)
	}
	return pk, nil
}

// signingKey opens the sealed private key of r.
func (m *Manager) signingKey(pool string, r keyRecord) (signingKey, error) {
	der, err := m.keyring.Open(r.Private, privateAAD(pool, r.Kid))
	if err != nil {
		return signingKey{}, fmt.Errorf("open token key %s: %w", r.Kid, err)
	}
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return signingKey{}, fmt.Errorf("decode token key %s: %w", r.Kid, err)
	}
	priv, ok := k.(*rsa.PrivateKey)
	if !ok {
		return signingKey{}, fmt.Errorf("token key %s is not RSA", r.Kid)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256,
		Key: jose.JSONWebKey{Key: priv, KeyID: r.Kid, Algorithm: string(jose.RS256), Use: "sig"}}, nil)
	if err != nil {
		return signingKey{}, fmt.Errorf("token signer %s: %w", r.Kid, err)
	}
	return signingKey{kid: r.Kid, priv: priv, signer: signer}, nil
}

// publicKey decodes the public half of r.
func publicKey(r keyRecord) (verifyKey, error) {
	n, err := base64.RawURLEncoding.DecodeString(r.N)
	if err != nil || len(n) == 0 || r.E <= 1 {
		return verifyKey{}, fmt.Errorf("token key %s: bad public key", r.Kid)
	}
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: r.E}
	e := big.NewInt(int64(r.E)).Bytes()
	return verifyKey{kid: r.Kid, use: r.Use, pub: pub, jwk: JWK{
		Alg: "RS256", E: base64.RawURLEncoding.EncodeToString(e), Kid: r.Kid, Kty: "RSA", N: r.N, Use: "sig",
	}}, nil
}

// Rotation is what RotateKeys did to a pool's keys.
type Rotation struct {
	// Pool is the user pool.
	Pool string
	// IDKid and AccessKid are the kids of the new ID and access token signing keys.
	IDKid, AccessKid string
	// Retired are the kids of the keys this rotation took out of signing (ID key first); empty
	// when the pool had no keys yet.
	Retired []string
	// VerifyUntil is when the retired keys leave the JWKS and stop verifying (the rotation time
	// plus the overlap period).
	VerifyUntil time.Time
}

// Rotate gives pool new ID and access keys, as RotateKeys does.
func (m *Manager) Rotate(ctx context.Context, pool string) error {
	_, err := m.RotateKeys(ctx, pool)
	return err
}

// RotateKeys gives pool new ID and access keys; a pool without keys gets its first ones. The
// previous public keys stay in the JWKS, and tokens they signed keep verifying, for the overlap
// period; keys retired longer ago than that are dropped. This Manager signs with the new keys
// at once; other Managers on the same store (other replicas, or a server while `gatehouse keys
// rotate` runs) publish them in their JWKS and accept tokens they signed as soon as their
// cached copy is more than a second old (see JWKS; an unknown kid rereads storage), and sign
// with them once it is older than the cache TTL.
func (m *Manager) RotateKeys(ctx context.Context, pool string) (*Rotation, error) {
	fresh, err := m.newKeySet(pool)
	if err != nil {
		return nil, err
	}
	now := m.now().UTC()
	r := &Rotation{Pool: pool, IDKid: fresh.ID.Kid, AccessKid: fresh.Access.Kid}
	err = m.store.Update(ctx, func(tx storage.Tx) error {
		r.Retired, r.VerifyUntil = nil, time.Time{} // the transaction may run more than once
		cur, err := storage.GetJSON[keySetRecord](tx, StorageKey(pool))
		if errors.Is(err, storage.ErrNotFound) {
			return storage.PutJSON(tx, StorageKey(pool), fresh)
		}
		if err != nil {
			return err
		}
		next := fresh
		for _, k := range []keyRecord{cur.ID, cur.Access} {
			k.Private, k.Retired = nil, now
			next.Previous = append(next.Previous, k)
			r.Retired = append(r.Retired, k.Kid)
		}
		r.VerifyUntil = now.Add(m.overlap)
		for _, k := range cur.Previous {
			if now.Before(k.Retired.Add(m.overlap)) {
				next.Previous = append(next.Previous, k)
			}
		}
		return storage.PutJSON(tx, StorageKey(pool), next)
	})
	if err != nil {
		return nil, fmt.Errorf("rotate token keys: %w", err)
	}
	m.Forget(pool)
	return r, nil
}

// JWK is one public key of a JWKS, with Cognito's members in Cognito's (alphabetical) order.
type JWK struct {
	Alg string `json:"alg"`
	E   string `json:"e"`
	Kid string `json:"kid"`
	Kty string `json:"kty"`
	N   string `json:"n"`
	Use string `json:"use"`
}

// JWKS is the document served at /<poolId>/.well-known/jwks.json.
type JWKS struct {
	Keys []JWK `json:"keys"`
}

// JWKS returns pool's public keys: the current ID key, the current access key, then rotated-out
// keys still within the overlap period, newest first. It creates the pool's keys if needed, so
// the caller must check that the pool exists. Unlike signing, which uses cached keys for up to
// the cache TTL, it rereads storage when its copy is older than a second: keys another Manager
// rotated in are published by every replica within about a second, while most replicas still
// sign with the previous ones.
func (m *Manager) JWKS(ctx context.Context, pool string) (*JWKS, error) {
	pk, err := m.keys(ctx, pool, true, true)
	if err != nil {
		return nil, err
	}
	now := m.now()
	out := &JWKS{Keys: []JWK{}}
	for _, k := range pk.verify {
		if k.until.IsZero() || now.Before(k.until) {
			out.Keys = append(out.Keys, k.jwk)
		}
	}
	return out, nil
}
