package jwtauth

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// TestKeyFetchFailures: every way of not getting keys denies with 401 ErrKeysUnavailable.
func TestKeyFetchFailures(t *testing.T) {
	testKeys(t)
	good := jwks(jwkJSON(t, &keyA.PublicKey, "a", "RS256"))
	cases := []struct {
		name  string
		setup func(s *issuerServer)
		opts  Options
		iss   func(s *issuerServer) string
	}{
		{name: "issuer unreachable", iss: func(*issuerServer) string {
			s := newIssuer(t, good)
			s.Close()
			return s.URL
		}},
		{name: "issuer not http", iss: func(*issuerServer) string { return "ftp://example.com/pool" }},
		{name: "issuer not a URL", iss: func(*issuerServer) string { return "://" }},
		{name: "discovery 404", iss: func(s *issuerServer) string { return s.URL + "/nowhere" }},
		{name: "discovery without jwks_uri", setup: func(s *issuerServer) {
			s.discovery = func(base string) []byte { return []byte(`{"issuer":"` + base + `"}`) }
		}},
		{name: "discovery not JSON", setup: func(s *issuerServer) {
			s.discovery = func(string) []byte { return []byte(`<html>`) }
		}},
		{name: "jwks_uri not http", setup: func(s *issuerServer) {
			s.discovery = func(string) []byte { return []byte(`{"jwks_uri":"file:///etc/passwd"}`) }
		}},
		{name: "discovery too large", setup: func(s *issuerServer) {
			s.discovery = func(base string) []byte {
				return []byte(`{"jwks_uri":"` + base + `/jwks","pad":"` + strings.Repeat("x", DefaultMaxJWKSBytes) + `"}`)
			}
		}},
		{name: "JWKS 500", setup: func(s *issuerServer) {
			s.jwksHook = func(w http.ResponseWriter, r *http.Request) bool { http.Error(w, "boom", 500); return true }
		}},
		{name: "JWKS not JSON", setup: func(s *issuerServer) { s.keys = []byte("not json") }},
		{name: "JWKS without keys", setup: func(s *issuerServer) { s.keys = []byte(`{"keys":null}`) }},
		{name: "JWKS one byte too large", setup: func(s *issuerServer) { s.keys = padJWKS(good, DefaultMaxJWKSBytes+1) }},
		{name: "JWKS too large without Content-Length", setup: func(s *issuerServer) {
			body := padJWKS(good, DefaultMaxJWKSBytes+1)
			s.jwksHook = func(w http.ResponseWriter, r *http.Request) bool {
				w.(http.Flusher).Flush() // chunked: no Content-Length
				w.Write(body)
				return true
			}
		}},
		{name: "Local fails", opts: Options{Local: func(context.Context, string) ([]byte, bool, error) {
			return nil, false, errors.New("store down")
		}}},
		{name: "Local returns garbage", opts: Options{Local: func(context.Context, string) ([]byte, bool, error) {
			return []byte("{"), true, nil
		}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newIssuer(t, good)
			if c.setup != nil {
				s.update(c.setup)
			}
			iss := s.URL
			if c.iss != nil {
				iss = c.iss(s)
			}
			o := c.opts
			o.Now = newClock().now
			v := New(o)
			res := v.Authorize(ctx, Config{Issuer: iss, Audience: []string{testAud}}, sign(t, hdr("a"), accessClaims(iss), keyA), nil)
			checkResult(t, res, http.StatusUnauthorized, ErrKeysUnavailable, descKeys, nil)
			if st := v.Stats(); st.KeyFetches != 1 || st.KeyFetchFailures != 1 {
				t.Fatalf("stats %+v", st)
			}
		})
	}
}

// padJWKS pads a JWKS document with trailing spaces to exactly n bytes.
func padJWKS(doc []byte, n int) []byte {
	return append(bytes.Clone(doc), bytes.Repeat([]byte(" "), n-len(doc))...)
}

// TestJWKSSizeLimit: a JWKS of exactly 150000 bytes is accepted.
func TestJWKSSizeLimit(t *testing.T) {
	testKeys(t)
	s := newIssuer(t, padJWKS(jwks(jwkJSON(t, &keyA.PublicKey, "a", "RS256")), DefaultMaxJWKSBytes))
	v := New(Options{Now: newClock().now})
	res := v.Authorize(ctx, Config{Issuer: s.URL, Audience: []string{testAud}}, sign(t, hdr("a"), accessClaims(s.URL), keyA), nil)
	checkResult(t, res, 0, nil, "", nil)
}

// TestJWKSTimeout: a JWKS endpoint that answers later than the fetch timeout denies, in about
// the timeout.
func TestJWKSTimeout(t *testing.T) {
	testKeys(t)
	for _, which := range []string{"discovery", "jwks"} {
		t.Run(which, func(t *testing.T) {
			release := make(chan struct{})
			block := func(w http.ResponseWriter, r *http.Request) bool {
				select { // far longer than the timeout; ends with the test
				case <-r.Context().Done():
				case <-release:
				}
				return true
			}
			s := newIssuer(t, jwks(jwkJSON(t, &keyA.PublicKey, "a", "RS256")))
			s.update(func(s *issuerServer) { s.jwksHook = block })
			iss := s.URL
			if which == "discovery" {
				hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { block(w, r) }))
				t.Cleanup(hang.Close)
				iss = hang.URL
			}
			defer close(release)
			const timeout = 50 * time.Millisecond
			v := New(Options{Now: newClock().now, FetchTimeout: timeout})
			start := time.Now()
			res := v.Authorize(ctx, Config{Issuer: iss, Audience: []string{testAud}}, sign(t, hdr("a"), accessClaims(iss), keyA), nil)
			checkResult(t, res, http.StatusUnauthorized, ErrKeysUnavailable, "", nil)
			if !errors.Is(res.Err, context.DeadlineExceeded) {
				t.Fatalf("want a deadline error, got %v", res.Err)
			}
			if el := time.Since(start); el > 20*timeout {
				t.Fatalf("took %v with a %v timeout", el, timeout)
			}
		})
	}
}

// TestCallerCancelled: a request whose context ends while keys are being fetched is denied.
func TestCallerCancelled(t *testing.T) {
	testKeys(t)
	release := make(chan struct{})
	s := newIssuer(t, jwks(jwkJSON(t, &keyA.PublicKey, "a", "RS256")))
	s.update(func(s *issuerServer) {
		s.jwksHook = func(w http.ResponseWriter, r *http.Request) bool {
			select {
			case <-r.Context().Done():
			case <-release:
			}
			return true
		}
	})
	defer close(release)
	v := New(Options{Now: newClock().now})
	c, cancel := context.WithCancel(ctx)
	cancel()
	res := v.Authorize(c, Config{Issuer: s.URL, Audience: []string{testAud}}, sign(t, hdr("a"), accessClaims(s.URL), keyA), nil)
	checkResult(t, res, http.StatusUnauthorized, ErrKeysUnavailable, "", nil)
}

// TestKeyRotation: an unknown kid refreshes the set once; a second unknown kid within the
// minimum refresh interval does not fetch; after it, it does.
func TestKeyRotation(t *testing.T) {
	testKeys(t)
	s := newIssuer(t, jwks(jwkJSON(t, &keyA.PublicKey, "a", "RS256")))
	clk := newClock()
	v := New(Options{Now: clk.now})
	cfg := Config{Issuer: s.URL, Audience: []string{testAud}}
	tok := func(kid string, key any) string { return sign(t, hdr(kid), accessClaims(s.URL), key) }
	auth := func(tok string) Result { return v.Authorize(ctx, cfg, tok, nil) }
	fetches := func(want int64) {
		t.Helper()
		if d, j := s.discoveryHits.Load(), s.jwksHits.Load(); d != want || j != want {
			t.Fatalf("discovery %d, jwks %d fetches; want %d", d, j, want)
		}
	}

	checkResult(t, auth(tok("a", keyA)), 0, nil, "", nil)
	fetches(1)

	// The issuer rotates to b, keeping a during a grace period.
	s.setKeys(jwks(jwkJSON(t, &keyA.PublicKey, "a", "RS256"), jwkJSON(t, &keyB.PublicKey, "b", "RS256")))
	clk.add(2 * time.Minute)
	checkResult(t, auth(tok("b", keyB)), 0, nil, "", nil)
	fetches(2)

	// Kid spraying right after: no fetch, deny.
	for i := range 20 {
		checkResult(t, auth(tok(fmt.Sprint("spray", i), keyC)), http.StatusUnauthorized, ErrUnknownKey, "", nil)
	}
	fetches(2)

	// A new key c appears; within the interval it is not seen...
	s.setKeys(jwks(jwkJSON(t, &keyB.PublicKey, "b", "RS256"), jwkJSON(t, &keyC.PublicKey, "c", "RS256")))
	clk.add(DefaultMinRefreshInterval - time.Second)
	checkResult(t, auth(tok("c", keyC)), http.StatusUnauthorized, ErrUnknownKey, "", nil)
	fetches(2)
	// ...and once the interval has passed it is, with exactly one more fetch.
	clk.add(time.Second)
	checkResult(t, auth(tok("c", keyC)), 0, nil, "", nil)
	fetches(3)

	// Known kids are served from the cached set; a's key was removed by the last fetch but a
	// token verified before stays cached (as AWS caches keys for up to 2 h).
	checkResult(t, auth(tok("b", keyB)), 0, nil, "", nil)
	checkResult(t, auth(tok("a", keyA)), 0, nil, "", nil)
	fetches(3)

	// The set expires after the key TTL: the next request fetches even for a known kid.
	clk.add(DefaultKeyTTL)
	checkResult(t, auth(sign(t, hdr("b"), with(accessClaims(s.URL), "exp", clk.now().Unix()+60), keyB)), 0, nil, "", nil)
	fetches(4)
}

// TestFailedRefreshKeepsCachedSet: a refresh that fails denies the unknown kid but does not
// drop the still-valid cached set; an expired set is not used when its refetch fails.
func TestFailedRefreshKeepsCachedSet(t *testing.T) {
	testKeys(t)
	s := newIssuer(t, jwks(jwkJSON(t, &keyA.PublicKey, "a", "RS256")))
	clk := newClock()
	v := New(Options{Now: clk.now, CacheSize: -1}) // no token cache: every request needs a key
	cfg := Config{Issuer: s.URL, Audience: []string{testAud}}
	tokA := sign(t, hdr("a"), accessClaims(s.URL), keyA)
	checkResult(t, v.Authorize(ctx, cfg, tokA, nil), 0, nil, "", nil)

	var failing atomic.Bool
	failing.Store(true)
	s.update(func(s *issuerServer) {
		s.jwksHook = func(w http.ResponseWriter, r *http.Request) bool {
			if failing.Load() {
				http.Error(w, "down", http.StatusServiceUnavailable)
				return true
			}
			return false
		}
	})
	clk.add(2 * time.Minute)
	res := v.Authorize(ctx, cfg, sign(t, hdr("b"), accessClaims(s.URL), keyB), nil)
	checkResult(t, res, http.StatusUnauthorized, ErrKeysUnavailable, "", nil)
	checkResult(t, v.Authorize(ctx, cfg, tokA, nil), 0, nil, "", nil)

	clk.add(DefaultKeyTTL)
	fresh := sign(t, hdr("a"), with(accessClaims(s.URL), "exp", clk.now().Unix()+60), keyA)
	checkResult(t, v.Authorize(ctx, cfg, fresh, nil), http.StatusUnauthorized, ErrKeysUnavailable, "", nil)
	failing.Store(false)
	checkResult(t, v.Authorize(ctx, cfg, fresh, nil), 0, nil, "", nil)
	if st := v.Stats(); st.KeyFetches != 4 || st.KeyFetchFailures != 2 {
		t.Fatalf("stats %+v", st)
	}
}

// TestKnownKidDuringRefresh: while an unknown kid's refresh hangs, tokens with a known kid are
// verified from the cached set at once, and still are after the refresh failed.
func TestKnownKidDuringRefresh(t *testing.T) {
	testKeys(t)
	s := newIssuer(t, jwks(jwkJSON(t, &keyA.PublicKey, "a", "RS256")))
	clk := newClock()
	v := New(Options{Now: clk.now, CacheSize: -1, FetchTimeout: 10 * time.Second})
	cfg := Config{Issuer: s.URL, Audience: []string{testAud}}
	checkResult(t, v.Authorize(ctx, cfg, sign(t, hdr("a"), accessClaims(s.URL), keyA), nil), 0, nil, "", nil)

	started, release := make(chan struct{}), make(chan struct{})
	s.update(func(s *issuerServer) {
		s.jwksHook = func(w http.ResponseWriter, r *http.Request) bool {
			close(started)
			<-release
			http.Error(w, "down", http.StatusBadGateway)
			return true
		}
	})
	clk.add(2 * time.Minute)
	done, tokB := make(chan Result), sign(t, hdr("b"), accessClaims(s.URL), keyB)
	go func() { done <- v.Authorize(ctx, cfg, tokB, nil) }()
	<-started
	checkResult(t, v.Authorize(ctx, cfg, sign(t, hdr("a"), with(accessClaims(s.URL), "jti", "during"), keyA), nil), 0, nil, "", nil)
	close(release)
	checkResult(t, <-done, http.StatusUnauthorized, ErrKeysUnavailable, "", nil)
	checkResult(t, v.Authorize(ctx, cfg, sign(t, hdr("a"), with(accessClaims(s.URL), "jti", "after"), keyA), nil), 0, nil, "", nil)
}

// TestIssuerTrailingSlash: discovery is at {issuer without trailing slash}/.well-known/…, and
// iss must still equal the configured issuer exactly.
func TestIssuerTrailingSlash(t *testing.T) {
	testKeys(t)
	s := newIssuer(t, jwks(jwkJSON(t, &keyA.PublicKey, "a", "RS256")))
	v := New(Options{Now: newClock().now})
	iss := s.URL + "/"
	res := v.Authorize(ctx, Config{Issuer: iss, Audience: []string{testAud}}, sign(t, hdr("a"), accessClaims(iss), keyA), nil)
	checkResult(t, res, 0, nil, "", nil)
}

// TestLocal: issuers Local knows are resolved without HTTP; others fall back to discovery; an
// unknown kid asks Local again at once.
func TestLocal(t *testing.T) {
	testKeys(t)
	const localIss = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123xyz"
	var mu sync.Mutex
	localKeys := jwks(jwkJSON(t, &keyA.PublicKey, "a", "RS256"))
	var localCalls atomic.Int64
	local := func(_ context.Context, issuer string) ([]byte, bool, error) {
		if issuer != localIss {
			return nil, false, nil
		}
		localCalls.Add(1)
		mu.Lock()
		defer mu.Unlock()
		return localKeys, true, nil
	}
	remote := newIssuer(t, jwks(jwkJSON(t, &keyC.PublicKey, "c", "RS256")))
	var roundTrips atomic.Int64
	client := &http.Client{Transport: countingTransport{&roundTrips, http.DefaultTransport}}
	clk := newClock()
	v := New(Options{Now: clk.now, Local: local, HTTPClient: client})

	cfg := Config{Issuer: localIss, Audience: []string{testAud}}
	checkResult(t, v.Authorize(ctx, cfg, sign(t, hdr("a"), accessClaims(localIss), keyA), nil), 0, nil, "", nil)
	if roundTrips.Load() != 0 || localCalls.Load() != 1 {
		t.Fatalf("local issuer: %d HTTP requests, %d Local calls", roundTrips.Load(), localCalls.Load())
	}

	// The pool rotates: the new kid is seen at once, without waiting for the refresh interval.
	mu.Lock()
	localKeys = jwks(jwkJSON(t, &keyA.PublicKey, "a", "RS256"), jwkJSON(t, &keyB.PublicKey, "b", "RS256"))
	mu.Unlock()
	checkResult(t, v.Authorize(ctx, cfg, sign(t, hdr("b"), accessClaims(localIss), keyB), nil), 0, nil, "", nil)
	if localCalls.Load() != 2 {
		t.Fatalf("Local calls %d", localCalls.Load())
	}

	rcfg := Config{Issuer: remote.URL, Audience: []string{testAud}}
	checkResult(t, v.Authorize(ctx, rcfg, sign(t, hdr("c"), accessClaims(remote.URL), keyC), nil), 0, nil, "", nil)
	if roundTrips.Load() != 2 {
		t.Fatalf("remote issuer: %d HTTP requests", roundTrips.Load())
	}

	// Forget drops keys and verified tokens of the issuer.
	v.Forget(localIss)
	checkResult(t, v.Authorize(ctx, cfg, sign(t, hdr("a"), accessClaims(localIss), keyA), nil), 0, nil, "", nil)
	if localCalls.Load() != 3 {
		t.Fatalf("after Forget: Local calls %d", localCalls.Load())
	}
}

type countingTransport struct {
	n  *atomic.Int64
	rt http.RoundTripper
}

func (c countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.rt.RoundTrip(r)
}

// TestConcurrentFetchesMerged: many requests for a cold issuer, and many with an unknown kid,
// cause one discovery and one JWKS fetch each time. It runs in a synctest bubble over an
// in-memory transport so that "everyone is waiting" is exact.
func TestConcurrentFetchesMerged(t *testing.T) {
	testKeys(t)
	const iss = "https://idp.example"
	tokA := sign(t, hdr("a"), accessClaims(iss), keyA)
	tokB := sign(t, hdr("b"), accessClaims(iss), keyB)
	synctest.Test(t, func(t *testing.T) {
		ft := &fakeIdP{keys: jwks(jwkJSON(t, &keyA.PublicKey, "a", "RS256")), gate: make(chan struct{})}
		v := New(Options{HTTPClient: &http.Client{Transport: ft}, Now: func() time.Time { return t0.Add(time.Since(synctestStart)) }, CacheSize: -1})
		cfg := Config{Issuer: iss, Audience: []string{testAud}}

		run := func(tok string, n int) []Result {
			res := make([]Result, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() { res[i] = v.Authorize(ctx, cfg, tok, nil) })
			}
			synctest.Wait() // all n are blocked: one inside the transport, the rest on the flight
			ft.gate <- struct{}{}
			ft.gate <- struct{}{}
			wg.Wait()
			return res
		}
		for _, r := range run(tokA, 50) {
			checkResult(t, r, 0, nil, "", nil)
		}
		if ft.discovery.Load() != 1 || ft.jwks.Load() != 1 {
			t.Fatalf("cold: %d discovery, %d jwks fetches", ft.discovery.Load(), ft.jwks.Load())
		}

		ft.setKeys(jwks(jwkJSON(t, &keyA.PublicKey, "a", "RS256"), jwkJSON(t, &keyB.PublicKey, "b", "RS256")))
		time.Sleep(DefaultMinRefreshInterval) // fake time
		for _, r := range run(tokB, 50) {
			checkResult(t, r, 0, nil, "", nil)
		}
		if ft.discovery.Load() != 2 || ft.jwks.Load() != 2 {
			t.Fatalf("rotation: %d discovery, %d jwks fetches", ft.discovery.Load(), ft.jwks.Load())
		}
	})
}

// synctestStart is the start of every synctest bubble's fake clock.
var synctestStart = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// fakeIdP answers discovery and JWKS requests in memory, each only once gate lets it.
type fakeIdP struct {
	gate            chan struct{}
	discovery, jwks atomic.Int64
	mu              sync.Mutex
	keys            []byte
}

func (f *fakeIdP) setKeys(b []byte) {
	f.mu.Lock()
	f.keys = b
	f.mu.Unlock()
}

func (f *fakeIdP) RoundTrip(r *http.Request) (*http.Response, error) {
	select {
	case <-f.gate:
	case <-r.Context().Done():
		return nil, r.Context().Err()
	}
	var body []byte
	switch r.URL.Path {
	case "/.well-known/openid-configuration":
		f.discovery.Add(1)
		body = []byte(`{"jwks_uri":"https://idp.example/keys"}`)
	case "/keys":
		f.jwks.Add(1)
		f.mu.Lock()
		body = f.keys
		f.mu.Unlock()
	default:
		return &http.Response{StatusCode: 404, Body: http.NoBody, Request: r}, nil
	}
	return &http.Response{StatusCode: 200, Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)), Request: r}, nil
}
