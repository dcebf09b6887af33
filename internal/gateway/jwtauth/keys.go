package jwtauth

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// errTooLarge is the fetch error of a response over MaxJWKSBytes.
var errTooLarge = errors.New("response too large")

// keyCache holds each issuer's key set, fetching it through Local or OIDC discovery.
type keyCache struct {
	client     *http.Client
	local      func(ctx context.Context, issuer string) ([]byte, bool, error)
	now        func() time.Time
	timeout    time.Duration
	maxBytes   int64
	ttl        time.Duration
	minRefresh time.Duration

	mu      sync.Mutex
	issuers map[string]*issuerKeys

	fetches, failures atomic.Uint64
}

// issuerKeys is one issuer's cache state, guarded by keyCache.mu.
type issuerKeys struct {
	set       *keySet   // last good set, possibly expired
	lastFetch time.Time // start of the last fetch, for MinRefreshInterval
	flight    *flight   // the fetch under way, if any
}

// flight is one fetch shared by every request for the issuer that arrives while it runs.
type flight struct {
	done chan struct{}
	set  *keySet // valid once done is closed
	err  error
}

// keySet is a parsed JWKS: its RSA signing keys by kid.
type keySet struct {
	keys    map[string]rsaKey
	expires time.Time
	local   bool // from Options.Local: kid misses refresh without waiting
}

// rsaKey is one usable key; alg is the JWK's alg, "" when it names none.
type rsaKey struct {
	pub *rsa.PublicKey
	alg string
}

func newKeyCache(o Options) *keyCache {
	return &keyCache{
		client:     o.HTTPClient,
		local:      o.Local,
		now:        o.Now,
		timeout:    o.FetchTimeout,
		maxBytes:   o.MaxJWKSBytes,
		ttl:        o.KeyTTL,
		minRefresh: o.MinRefreshInterval,
		issuers:    map[string]*issuerKeys{},
	}
}

// lookup returns the key for kid usable with alg.
func (s *keySet) lookup(kid, alg string) (*rsa.PublicKey, bool) {
	if s == nil {
		return nil, false
	}
	k, ok := s.keys[kid]
	if !ok || (k.alg != "" && k.alg != alg) {
		return nil, false
	}
	return k.pub, true
}

// key returns issuer's key for kid and alg. It uses the cached set while it is valid; fetches
// when there is none or it expired; and refreshes a valid set on an unknown kid unless the last
// fetch started less than minRefresh ago. Concurrent callers share one fetch. A failed fetch
// leaves the cached set as it was.
func (c *keyCache) key(ctx context.Context, issuer, kid, alg string) (*rsa.PublicKey, *denial) {
	if issuer == "" {
		return nil, &denial{ErrKeysUnavailable, descKeys, errors.New("no issuer configured")}
	}
	now := c.now()
	c.mu.Lock()
	st := c.issuers[issuer]
	if st == nil {
		st = &issuerKeys{}
		c.issuers[issuer] = st
	}
	if s := st.set; s != nil && now.Before(s.expires) {
		if pub, ok := s.lookup(kid, alg); ok { // known kids never wait for a refresh
			c.mu.Unlock()
			return pub, nil
		}
		if st.flight == nil && !s.local && now.Sub(st.lastFetch) < c.minRefresh {
			c.mu.Unlock()
			return nil, &denial{ErrUnknownKey, descUnknownKey, nil}
		}
	}
	f := st.flight
	if f == nil {
		f = &flight{done: make(chan struct{})}
		st.flight = f
		st.lastFetch = now
		go c.run(context.WithoutCancel(ctx), issuer, st, f)
	}
	c.mu.Unlock()

	select {
	case <-f.done:
	case <-ctx.Done():
		return nil, &denial{ErrKeysUnavailable, descKeys, ctx.Err()}
	}
	if f.err != nil {
		return nil, &denial{ErrKeysUnavailable, descKeys, f.err}
	}
	if pub, ok := f.set.lookup(kid, alg); ok {
		return pub, nil
	}
	return nil, &denial{ErrUnknownKey, descUnknownKey, nil}
}

// run performs flight f for issuer and publishes its result.
func (c *keyCache) run(ctx context.Context, issuer string, st *issuerKeys, f *flight) {
	c.fetches.Add(1)
	set, err := c.fetch(ctx, issuer)
	if err != nil {
		c.failures.Add(1)
		err = fmt.Errorf("keys of %q: %w", issuer, err)
	}
	c.mu.Lock()
	if err == nil {
		st.set = set
	}
	st.flight = nil
	f.set, f.err = set, err
	c.mu.Unlock()
	close(f.done)
}

// fetch obtains issuer's key set: from Local if it knows the issuer, otherwise from the
// jwks_uri of {issuer}/.well-known/openid-configuration.
func (c *keyCache) fetch(ctx context.Context, issuer string) (*keySet, error) {
	if c.local != nil {
		b, ok, err := c.local(ctx, issuer)
		if err != nil {
			return nil, err
		}
		if ok {
			s, err := c.parseJWKS(b)
			if err != nil {
				return nil, err
			}
			s.local = true
			return s, nil
		}
	}
	disc, err := httpURL(strings.TrimSuffix(issuer, "/") + "/.well-known/openid-configuration")
	if err != nil {
		return nil, fmt.Errorf("issuer: %w", err)
	}
	b, err := c.get(ctx, disc)
	if err != nil {
		return nil, fmt.Errorf("discovery: %w", err)
	}
	var doc struct {
		JWKSURI string `json:"jwks_uri"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("discovery: %w", err)
	}
	if doc.JWKSURI == "" {
		return nil, errors.New("discovery: no jwks_uri")
	}
	jwksURL, err := httpURL(doc.JWKSURI)
	if err != nil {
		return nil, fmt.Errorf("jwks_uri: %w", err)
	}
	if b, err = c.get(ctx, jwksURL); err != nil {
		return nil, fmt.Errorf("jwks: %w", err)
	}
	s, err := c.parseJWKS(b)
	if err != nil {
		return nil, fmt.Errorf("jwks: %w", err)
	}
	return s, nil
}

// httpURL checks that s is an absolute http(s) URL.
func httpURL(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil {
		return "", err
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", fmt.Errorf("%q is not an http(s) URL", s)
	}
	return u.String(), nil
}

// get fetches u within the fetch timeout, refusing a status other than 200 and a body over
// maxBytes.
func (c *keyCache) get(ctx context.Context, u string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: status %d", u, resp.StatusCode)
	}
	if resp.ContentLength > c.maxBytes {
		return nil, errTooLarge
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBytes+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > c.maxBytes {
		return nil, errTooLarge
	}
	return b, nil
}

// parseJWKS reads a JWKS document, keeping the RSA keys that have a kid and are not marked for
// another use than signing; other keys, and keys that do not parse, are skipped. A document
// without a "keys" array is an error; one without usable keys is an empty set.
func (c *keyCache) parseJWKS(b []byte) (*keySet, error) {
	if int64(len(b)) > c.maxBytes {
		return nil, errTooLarge
	}
	var doc struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, err
	}
	if doc.Keys == nil {
		return nil, errors.New(`no "keys" array`)
	}
	s := &keySet{keys: map[string]rsaKey{}, expires: c.now().Add(c.ttl)}
	for _, raw := range doc.Keys {
		var k jose.JSONWebKey
		if err := k.UnmarshalJSON(raw); err != nil || k.KeyID == "" || (k.Use != "" && k.Use != "sig") {
			continue
		}
		var pub *rsa.PublicKey
		switch key := k.Key.(type) {
		case *rsa.PublicKey:
			pub = key
		case *rsa.PrivateKey:
			pub = &key.PublicKey
		default:
			continue
		}
		if _, dup := s.keys[k.KeyID]; !dup {
			s.keys[k.KeyID] = rsaKey{pub: pub, alg: k.Algorithm}
		}
	}
	return s, nil
}

// forget drops issuer's state; a fetch under way completes into the dropped state.
func (c *keyCache) forget(issuer string) {
	c.mu.Lock()
	delete(c.issuers, issuer)
	c.mu.Unlock()
}

// reset drops every issuer's state.
func (c *keyCache) reset() {
	c.mu.Lock()
	c.issuers = map[string]*issuerKeys{}
	c.mu.Unlock()
}
