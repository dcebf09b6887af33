package jwtauth

import (
	"context"
	"testing"
)

// benchVerifier is a Verifier for a local issuer holding keyA, with a warm key cache.
func benchVerifier(b *testing.B, cacheSize int) (*Verifier, Config, string) {
	testKeys(b)
	const iss = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Bench"
	keys := jwks(jwkJSON(b, &keyA.PublicKey, "a", "RS256"))
	v := New(Options{
		Now:       newClock().now,
		Local:     func(context.Context, string) ([]byte, bool, error) { return keys, true, nil },
		CacheSize: cacheSize,
	})
	cfg := Config{Issuer: iss, Audience: []string{testAud}}
	tok := "Bearer " + sign(b, hdr("a"), accessClaims(iss), keyA)
	if res := v.Authorize(ctx, cfg, tok, []string{testScope}); !res.Allowed {
		b.Fatalf("denied: %+v", res)
	}
	return v, cfg, tok
}

// BenchmarkAuthorizeCold: every request parses and RSA-verifies a Cognito-style access token
// (the verified-token cache is off; keys are cached).
func BenchmarkAuthorizeCold(b *testing.B) {
	v, cfg, tok := benchVerifier(b, -1)
	b.ReportAllocs()
	for b.Loop() {
		if !v.Authorize(ctx, cfg, tok, []string{testScope}).Allowed {
			b.Fatal("denied")
		}
	}
}

// BenchmarkAuthorizeCacheHit: the token was verified before.
func BenchmarkAuthorizeCacheHit(b *testing.B) {
	v, cfg, tok := benchVerifier(b, 0)
	b.ReportAllocs()
	for b.Loop() {
		if !v.Authorize(ctx, cfg, tok, []string{testScope}).Allowed {
			b.Fatal("denied")
		}
	}
}

// BenchmarkAuthorizeCacheHitParallel: cache hits from all CPUs (one shared mutex).
func BenchmarkAuthorizeCacheHitParallel(b *testing.B) {
	v, cfg, tok := benchVerifier(b, 0)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if !v.Authorize(ctx, cfg, tok, []string{testScope}).Allowed {
				b.Error("denied")
				return
			}
		}
	})
}
