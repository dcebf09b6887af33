package jwtauth

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

// TestTokenCache covers the verified-token cache: hits skip verification, time claims are
// re-checked on every hit, scopes are per route, the key includes the configuration, and the
// size is bounded.
func TestTokenCache(t *testing.T) {
	testKeys(t)
	s := newIssuer(t, jwks(jwkJSON(t, &keyA.PublicKey, "a", "RS256")))
	iss := s.URL
	cfg := Config{Issuer: iss, Audience: []string{testAud}}

	t.Run("hit skips keys and signature", func(t *testing.T) {
		clk := newClock()
		v := New(Options{Now: clk.now})
		tok := sign(t, hdr("a"), accessClaims(iss), keyA)
		checkResult(t, v.Authorize(ctx, cfg, tok, nil), 0, nil, "", nil)
		v.keys.reset() // were the keys needed, the next call would fetch them again
		before := s.jwksHits.Load()
		for range 3 {
			checkResult(t, v.Authorize(ctx, cfg, "Bearer "+tok, nil), 0, nil, "", nil)
		}
		if s.jwksHits.Load() != before {
			t.Fatal("a cache hit fetched keys")
		}
		if st := v.Stats(); st.CacheHits != 3 || st.CacheMisses != 1 {
			t.Fatalf("stats %+v", st)
		}
	})

	t.Run("exp re-checked on hit", func(t *testing.T) {
		clk := newClock()
		v := New(Options{Now: clk.now})
		tok := sign(t, hdr("a"), with(accessClaims(iss), "exp", t0.Unix()+10), keyA)
		checkResult(t, v.Authorize(ctx, cfg, tok, nil), 0, nil, "", nil)
		clk.add(9 * time.Second)
		checkResult(t, v.Authorize(ctx, cfg, tok, nil), 0, nil, "", nil)
		clk.add(time.Second)
		checkResult(t, v.Authorize(ctx, cfg, tok, nil), http.StatusUnauthorized, ErrExpired, descExpired, nil)
		if v.tokens.size() != 0 {
			t.Fatal("expired entry kept")
		}
	})

	t.Run("nbf and iat re-checked on hit", func(t *testing.T) {
		clk := newClock()
		v := New(Options{Now: clk.now})
		tok := sign(t, hdr("a"), with(accessClaims(iss), "nbf", t0.Unix(), "iat", t0.Unix()-5), keyA)
		checkResult(t, v.Authorize(ctx, cfg, tok, nil), 0, nil, "", nil)
		clk.add(-time.Second) // the clock steps back
		checkResult(t, v.Authorize(ctx, cfg, tok, nil), http.StatusUnauthorized, ErrNotYetValid, "", nil)

		v = New(Options{Now: clk.now})
		clk.add(time.Second)
		tok = sign(t, hdr("a"), with(accessClaims(iss), "iat", t0.Unix()), keyA)
		checkResult(t, v.Authorize(ctx, cfg, tok, nil), 0, nil, "", nil)
		clk.add(-time.Second)
		checkResult(t, v.Authorize(ctx, cfg, tok, nil), http.StatusUnauthorized, ErrIssuedInFuture, "", nil)
	})

	t.Run("scopes per route on hit", func(t *testing.T) {
		v := New(Options{Now: newClock().now})
		tok := sign(t, hdr("a"), accessClaims(iss), keyA)
		checkResult(t, v.Authorize(ctx, cfg, tok, []string{testScope}), 0, nil, "", nil)
		checkResult(t, v.Authorize(ctx, cfg, tok, []string{otherScope}), http.StatusForbidden, ErrScope, "", nil)
		checkResult(t, v.Authorize(ctx, cfg, tok, nil), 0, nil, "", nil)
		if st := v.Stats(); st.CacheHits != 2 {
			t.Fatalf("stats %+v", st)
		}
	})

	t.Run("another configuration does not share the entry", func(t *testing.T) {
		v := New(Options{Now: newClock().now})
		tok := sign(t, hdr("a"), accessClaims(iss), keyA)
		checkResult(t, v.Authorize(ctx, cfg, tok, nil), 0, nil, "", nil)
		other := Config{Issuer: iss, Audience: []string{"another-client"}}
		checkResult(t, v.Authorize(ctx, other, tok, nil), http.StatusUnauthorized, ErrAudience, "", nil)
		// Length-prefixing keeps ("ab", ["c"]) and ("a", ["bc"]) apart.
		if cacheKey(Config{Issuer: "ab", Audience: []string{"c"}}, "t") == cacheKey(Config{Issuer: "a", Audience: []string{"bc"}}, "t") {
			t.Fatal("ambiguous cache key")
		}
	})

	t.Run("entry lives at most the key TTL", func(t *testing.T) {
		clk := newClock()
		v := New(Options{Now: clk.now, KeyTTL: time.Minute})
		tok := sign(t, hdr("a"), accessClaims(iss), keyA)
		checkResult(t, v.Authorize(ctx, cfg, tok, nil), 0, nil, "", nil)
		clk.add(time.Minute)
		if _, ok := v.tokens.get(cacheKey(cfg, tok), clk.now()); ok {
			t.Fatal("entry outlived the TTL")
		}
	})

	t.Run("bounded LRU", func(t *testing.T) {
		v := New(Options{Now: newClock().now, CacheSize: 2})
		toks := make([]string, 3)
		for i := range toks {
			toks[i] = sign(t, hdr("a"), with(accessClaims(iss), "jti", fmt.Sprint(i)), keyA)
		}
		checkResult(t, v.Authorize(ctx, cfg, toks[0], nil), 0, nil, "", nil)
		checkResult(t, v.Authorize(ctx, cfg, toks[1], nil), 0, nil, "", nil)
		checkResult(t, v.Authorize(ctx, cfg, toks[0], nil), 0, nil, "", nil) // 0 is now the most recent
		checkResult(t, v.Authorize(ctx, cfg, toks[2], nil), 0, nil, "", nil) // evicts 1
		if n := v.tokens.size(); n != 2 {
			t.Fatalf("%d entries", n)
		}
		for i, want := range []bool{true, false, true} {
			if _, ok := v.tokens.get(cacheKey(cfg, toks[i]), t0); ok != want {
				t.Fatalf("token %d cached: %v", i, ok)
			}
		}
	})

	t.Run("disabled", func(t *testing.T) {
		v := New(Options{Now: newClock().now, CacheSize: -1})
		tok := sign(t, hdr("a"), accessClaims(iss), keyA)
		for range 2 {
			checkResult(t, v.Authorize(ctx, cfg, tok, nil), 0, nil, "", nil)
		}
		if st := v.Stats(); st.CacheHits != 0 || v.tokens.size() != 0 {
			t.Fatalf("stats %+v", st)
		}
	})

	t.Run("denials are not cached; Reset empties", func(t *testing.T) {
		v := New(Options{Now: newClock().now})
		checkResult(t, v.Authorize(ctx, cfg, sign(t, hdr("a"), with(accessClaims(iss), "client_id", "x"), keyA), nil), http.StatusUnauthorized, ErrAudience, "", nil)
		if v.tokens.size() != 0 {
			t.Fatal("denial cached")
		}
		checkResult(t, v.Authorize(ctx, cfg, sign(t, hdr("a"), accessClaims(iss), keyA), nil), 0, nil, "", nil)
		v.Reset()
		if v.tokens.size() != 0 {
			t.Fatal("Reset kept entries")
		}
	})
}
