package jwtauth

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestAuthorize is the attack table: every case runs against a fresh Verifier and an issuer
// whose JWKS holds keyA as kid "a" (RS256), keyB as kid "b" (no alg) and an EC key as kid "ec".
func TestAuthorize(t *testing.T) {
	testKeys(t)
	srv := newIssuer(t, jwks(jwkJSON(t, &keyA.PublicKey, "a", "RS256"), jwkJSON(t, &keyB.PublicKey, "b", ""),
		jwkJSON(t, &keyEC.PublicKey, "ec", "ES256")))
	iss := srv.iss()
	cfg := Config{Issuer: iss, Audience: []string{"other-client", testAud}}
	acc, id := accessClaims(iss), idClaims(iss)
	good := sign(t, hdr("a"), acc, keyA)
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: must(x509.MarshalPKIXPublicKey(&keyA.PublicKey))})
	goodParts := strings.Split(good, ".")
	big := strings.Repeat("x", DefaultMaxTokenBytes)

	const (
		ok  = 0
		u   = http.StatusUnauthorized
		fbd = http.StatusForbidden
	)
	cases := []struct {
		name     string
		identity string
		scopes   []string
		cfg      *Config
		status   int
		err      error
		desc     string // expected error_description ("" = don't check)
	}{
		{name: "access token with Bearer", identity: "Bearer " + good, scopes: []string{testScope}, status: ok},
		{name: "access token bare", identity: good, status: ok},
		{name: "lower-case bearer", identity: "bearer " + good, status: ok},
		{name: "ID token on unscoped route", identity: sign(t, hdr("a"), id, keyA), status: ok},
		{name: "key without alg, RS512", identity: sign(t, map[string]any{"alg": "RS512", "kid": "b"}, acc, keyB), status: ok},
		{name: "PS256", identity: sign(t, map[string]any{"alg": "PS256", "kid": "b"}, acc, keyB), status: ok},
		{name: "PS512", identity: sign(t, map[string]any{"alg": "PS512", "kid": "b"}, acc, keyB), status: ok},
		{name: "aud array with a configured audience", identity: sign(t, hdr("a"), with(id, "aud", []string{"x", testAud}), keyA), status: ok},
		{name: "scp array matches", identity: sign(t, hdr("a"), with(acc, "scope", nil, "scp", []string{"x", testScope}), keyA), scopes: []string{testScope}, status: ok},
		{name: "any one route scope suffices", identity: good, scopes: []string{"nope", testScope}, status: ok},

		{name: "missing identity", identity: "", status: u, err: ErrNoToken},
		{name: "blank identity", identity: "   ", status: u, err: ErrNoToken},
		{name: "alg none", identity: seg(map[string]any{"alg": "none", "kid": "a"}) + "." + seg(acc) + ".", status: u, err: ErrAlgorithm, desc: "signing method none is invalid"},
		{name: "HS256 with the RSA public key as secret", identity: sign(t, map[string]any{"alg": "HS256", "kid": "a"}, acc, pubPEM), status: u, err: ErrAlgorithm, desc: "signing method HS256 is invalid"},
		{name: "HS256 with the JWK n as secret", identity: sign(t, map[string]any{"alg": "HS256", "kid": "a"}, acc, keyA.N.Bytes()), status: u, err: ErrAlgorithm},
		{name: "ES256", identity: sign(t, map[string]any{"alg": "ES256", "kid": "ec"}, acc, nil), status: u, err: ErrAlgorithm, desc: "signing method ES256 is invalid"},
		{name: "unknown alg", identity: sign(t, map[string]any{"alg": "XX999", "kid": "a"}, acc, nil), status: u, err: ErrAlgorithm, desc: "signing method (alg) is unavailable."},
		{name: "no alg", identity: sign(t, map[string]any{"kid": "a"}, acc, nil), status: u, err: ErrAlgorithm, desc: "signing method (alg) is unspecified."},
		{name: "alg not a string", identity: sign(t, map[string]any{"alg": 256, "kid": "a"}, acc, nil), status: u, err: ErrAlgorithm},
		{name: "unknown kid", identity: sign(t, hdr("zz"), acc, keyA), status: u, err: ErrUnknownKey},
		{name: "no kid", identity: sign(t, map[string]any{"alg": "RS256"}, acc, keyA), status: u, err: ErrNoKeyID},
		{name: "kid of an EC key", identity: sign(t, hdr("ec"), acc, keyA), status: u, err: ErrUnknownKey},
		{name: "alg other than the JWK's", identity: sign(t, map[string]any{"alg": "PS256", "kid": "a"}, acc, keyA), status: u, err: ErrUnknownKey},
		{name: "signed by another key under a known kid", identity: sign(t, hdr("a"), acc, keyC), status: u, err: ErrSignature, desc: "crypto/rsa: verification error"},
		{name: "jwk header pointing at the attacker's key", identity: sign(t, map[string]any{"alg": "RS256", "kid": "a", "jwk": map[string]any{"kty": "RSA"}}, acc, keyC), status: u, err: ErrSignature},
		{name: "tampered payload", identity: goodParts[0] + "." + seg(with(acc, "username", "root")) + "." + goodParts[2], status: u, err: ErrSignature},
		{name: "stripped signature", identity: goodParts[0] + "." + goodParts[1] + ".", status: u, err: ErrSignature},
		{name: "signature bad base64", identity: goodParts[0] + "." + goodParts[1] + ".!!!", status: u, err: ErrSignature},
		{name: "re-padded signature", identity: good + "==", status: u, err: ErrSignature},
		{name: "expired", identity: sign(t, hdr("a"), with(acc, "exp", t0.Unix()), keyA), status: u, err: ErrExpired, desc: "the token has expired"},
		{name: "no exp", identity: sign(t, hdr("a"), with(acc, "exp", nil), keyA), status: u, err: ErrExpired},
		{name: "exp a string", identity: sign(t, hdr("a"), with(acc, "exp", "99999999999"), keyA), status: u, err: ErrExpired},
		{name: "fractional exp just past", identity: sign(t, hdr("a"), with(acc, "exp", float64(t0.Unix())-0.5), keyA), status: u, err: ErrExpired},
		{name: "fractional exp just ahead", identity: sign(t, hdr("a"), with(acc, "exp", float64(t0.Unix())+0.5), keyA), status: ok},
		{name: "huge exp", identity: sign(t, hdr("a"), with(acc, "exp", 1e300), keyA), status: ok},
		{name: "nbf in the future", identity: sign(t, hdr("a"), with(acc, "nbf", t0.Unix()+1), keyA), status: u, err: ErrNotYetValid},
		{name: "nbf now", identity: sign(t, hdr("a"), with(acc, "nbf", t0.Unix()), keyA), status: ok},
		{name: "nbf not a number", identity: sign(t, hdr("a"), with(acc, "nbf", true), keyA), status: u, err: ErrNotYetValid},
		{name: "iat in the future", identity: sign(t, hdr("a"), with(acc, "iat", t0.Unix()+1), keyA), status: u, err: ErrIssuedInFuture},
		{name: "no iat", identity: sign(t, hdr("a"), with(acc, "iat", nil), keyA), status: ok},
		{name: "wrong iss", identity: sign(t, hdr("a"), with(acc, "iss", "https://evil.example"), keyA), status: u, err: ErrIssuer},
		{name: "iss with a trailing slash", identity: sign(t, hdr("a"), with(acc, "iss", iss+"/"), keyA), status: u, err: ErrIssuer},
		{name: "no iss", identity: sign(t, hdr("a"), with(acc, "iss", nil), keyA), status: u, err: ErrIssuer},
		{name: "wrong aud", identity: sign(t, hdr("a"), with(id, "aud", "someone-else"), keyA), status: u, err: ErrAudience, desc: "the token does not have a valid audience"},
		{name: "aud wins over a matching client_id", identity: sign(t, hdr("a"), with(acc, "aud", "someone-else"), keyA), status: u, err: ErrAudience},
		{name: "empty aud array", identity: sign(t, hdr("a"), with(acc, "aud", []string{}), keyA), status: u, err: ErrAudience},
		{name: "access token with a wrong client_id", identity: sign(t, hdr("a"), with(acc, "client_id", "nope"), keyA), status: u, err: ErrAudience},
		{name: "neither aud nor client_id", identity: sign(t, hdr("a"), with(acc, "client_id", nil), keyA), status: u, err: ErrAudience},
		{name: "no audience configured", identity: good, cfg: &Config{Issuer: iss}, status: u, err: ErrAudience},
		{name: "no issuer configured", identity: good, cfg: &Config{Audience: []string{testAud}}, status: u, err: ErrKeysUnavailable},
		{name: "ID token on a scoped route", identity: sign(t, hdr("a"), id, keyA), scopes: []string{testScope}, status: fbd, err: ErrScope},
		{name: "access token without the route's scope", identity: good, scopes: []string{otherScope}, status: fbd, err: ErrScope},
		{name: "scope prefix is not the scope", identity: good, scopes: []string{"res/re"}, status: fbd, err: ErrScope},
		{name: "scp preferred over scope", identity: sign(t, hdr("a"), with(acc, "scp", "x y"), keyA), scopes: []string{testScope}, status: fbd, err: ErrScope},
		{name: "token_use not checked", identity: sign(t, hdr("a"), with(acc, "token_use", "id"), keyA), status: ok},
		{name: "oversized token", identity: "Bearer " + big, status: u, err: ErrTokenTooLarge},
		{name: "one segment", identity: "abc", status: u, err: ErrMalformed, desc: "token contains an invalid number of segments"},
		{name: "two segments", identity: goodParts[0] + "." + goodParts[1], status: u, err: ErrMalformed, desc: "token contains an invalid number of segments"},
		{name: "four segments", identity: good + ".x", status: u, err: ErrMalformed, desc: "token contains an invalid number of segments"},
		{name: "JWE (five segments)", identity: "a.b.c.d.e", status: u, err: ErrMalformed},
		{name: "JWS JSON serialization", identity: `{"payload":"e30","signatures":[]}`, status: u, err: ErrMalformed},
		{name: "header bad base64", identity: "e!!." + goodParts[1] + "." + goodParts[2], status: u, err: ErrMalformed, desc: "illegal base64 data at input byte 1"},
		{name: "header padded base64", identity: goodParts[0] + "=." + goodParts[1] + "." + goodParts[2], status: u, err: ErrMalformed},
		{name: "header bad JSON", identity: seg("{alg") + "." + goodParts[1] + "." + goodParts[2], status: u, err: ErrMalformed, desc: "invalid character 'a' looking for beginning of object key string"},
		{name: "header not an object", identity: seg("[1]") + "." + goodParts[1] + "." + goodParts[2], status: u, err: ErrMalformed},
		{name: "payload bad base64", identity: goodParts[0] + ".%%%." + goodParts[2], status: u, err: ErrMalformed},
		{name: "payload bad JSON", identity: sign(t, hdr("a"), `{"exp":`, keyA), status: u, err: ErrMalformed},
		{name: "payload an array", identity: sign(t, hdr("a"), `[1,2]`, keyA), status: u, err: ErrMalformed},
		{name: "payload null", identity: sign(t, hdr("a"), `null`, keyA), status: u, err: ErrMalformed},
		{name: "payload with trailing data", identity: sign(t, hdr("a"), `{"a":1}{}`, keyA), status: u, err: ErrMalformed},
		{name: "empty segments", identity: "..", status: u, err: ErrMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := New(Options{Now: newClock().now})
			conf := cfg
			if c.cfg != nil {
				conf = *c.cfg
			}
			res := v.Authorize(ctx, conf, c.identity, c.scopes)
			checkResult(t, res, c.status, c.err, c.desc, c.scopes)
			// The same request again (a cache hit for allowed tokens) must decide the same.
			again := v.Authorize(ctx, conf, c.identity, c.scopes)
			if again.Allowed != res.Allowed || again.Status != res.Status || !errors.Is(again.Err, c.err) {
				t.Fatalf("second call: %+v, first: %+v", again, res)
			}
		})
	}
}

// checkResult checks res against the expected status (0: allowed), error and description.
func checkResult(t *testing.T, res Result, status int, wantErr error, desc string, scopes []string) {
	t.Helper()
	if status == 0 {
		if !res.Allowed || res.Status != 0 || res.Err != nil || res.Claims == nil {
			t.Fatalf("want allowed, got %+v", res)
		}
		return
	}
	if res.Allowed || res.Claims != nil || res.Scopes != nil {
		t.Fatalf("want denied, got %+v", res)
	}
	if res.Status != status || !errors.Is(res.Err, wantErr) {
		t.Fatalf("got status %d err %v, want %d %v", res.Status, res.Err, status, wantErr)
	}
	switch {
	case status == http.StatusForbidden:
		if res.Body != BodyForbidden || res.WWWAuthenticate != "" {
			t.Fatalf("403 shape: %+v", res)
		}
	case errors.Is(wantErr, ErrNoToken):
		if res.Body != BodyUnauthorized || res.WWWAuthenticate != "Bearer" {
			t.Fatalf("no-token shape: %+v", res)
		}
	default:
		want := `Bearer scope="` + strings.Join(scopes, " ") + `" error="invalid_token" error_description="` + headerText(res.Description) + `"`
		if res.Body != BodyUnauthorized || res.WWWAuthenticate != want || res.Description == "" {
			t.Fatalf("401 shape: %+v\nwant www-authenticate %s", res, want)
		}
		if desc != "" && res.Description != desc {
			t.Fatalf("description %q, want %q", res.Description, desc)
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestAllowedResult checks what an allowed request carries.
func TestAllowedResult(t *testing.T) {
	testKeys(t)
	srv := newIssuer(t, jwks(jwkJSON(t, &keyA.PublicKey, "a", "RS256")))
	v := New(Options{Now: newClock().now})
	cfg := Config{Issuer: srv.iss(), Audience: []string{testAud}}
	res := v.Authorize(ctx, cfg, "Bearer "+sign(t, hdr("a"), accessClaims(srv.iss()), keyA), []string{testScope})
	if !res.Allowed {
		t.Fatalf("denied: %+v", res)
	}
	want := map[string]string{
		"sub": "6418b458-d091-705e-122e-04bf2945fcdf", "iss": srv.iss(), "client_id": testAud,
		"token_use": "access", "scope": "res/read aws.cognito.signin.user.admin",
		"auth_time": "1799999940", "iat": "1799999940", "exp": "1800003600",
		"jti": "afa8fe33-0000-4000-8000-000000000000", "username": "alice", "version": "2", "origin_jti": "0b1c",
	}
	if diff := cmp.Diff(want, res.Claims); diff != "" {
		t.Errorf("claims (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"res/read", "aws.cognito.signin.user.admin"}, res.Scopes); diff != "" {
		t.Errorf("scopes (-want +got):\n%s", diff)
	}

	// The caller owns what it gets: changing it does not change the next answer.
	res.Claims["username"] = "mallory"
	res.Scopes[0] = "admin"
	again := v.Authorize(ctx, cfg, "Bearer "+sign(t, hdr("a"), accessClaims(srv.iss()), keyA), []string{testScope})
	if again.Claims["username"] != "alice" || again.Scopes[0] != "res/read" {
		t.Fatalf("cached result was modified through a returned value: %+v", again)
	}
	if s := v.Stats(); s.CacheHits != 1 || s.CacheMisses != 1 || s.KeyFetches != 1 {
		t.Fatalf("stats %+v", s)
	}

	// An ID token has no scope claim: scopes is nil, not empty.
	res = v.Authorize(ctx, cfg, sign(t, hdr("a"), idClaims(srv.iss()), keyA), nil)
	if !res.Allowed || res.Scopes != nil {
		t.Fatalf("ID token: %+v", res)
	}
}

// TestWWWAuthenticate checks the header value's shape and that nothing from the token can break
// out of it.
func TestWWWAuthenticate(t *testing.T) {
	v := New(Options{Now: newClock().now})
	res := v.Authorize(ctx, Config{Issuer: "https://x", Audience: []string{"a"}}, "x.y", []string{"a/b", "c\"d"})
	want := `Bearer scope="a/b c\"d" error="invalid_token" error_description="token contains an invalid number of segments"`
	if res.WWWAuthenticate != want {
		t.Fatalf("got %s\nwant %s", res.WWWAuthenticate, want)
	}
	if got := headerText("a\r\nb\"\\\x7fé"); got != `a??b\"\\???` {
		t.Fatalf("headerText: %q", got)
	}
	if got := headerText(strings.Repeat("x", 1000)); len(got) > 257 {
		t.Fatalf("headerText not bounded: %d", len(got))
	}
}
