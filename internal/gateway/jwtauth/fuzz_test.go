package jwtauth

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/go-jose/go-jose/v4"
)

const fuzzIss = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Fuzz"

// FuzzAuthorize: no input panics, every answer has a consistent shape, and nothing is allowed
// unless it is a compact JWS whose signature go-jose (an independent implementation) verifies
// with the issuer's key, over claims that satisfy the configuration. The issuer's key is the
// fixed testdata key, so seeds signed by the coordinator verify in every worker.
func FuzzAuthorize(f *testing.F) {
	testKeys(f)
	keys := jwks(jwkJSON(f, &keyS.PublicKey, "s", "RS256"), jwkJSON(f, &keyS.PublicKey, "p", ""))
	local := func(_ context.Context, issuer string) ([]byte, bool, error) { return keys, issuer == fuzzIss, nil }
	cfg := Config{Issuer: fuzzIss, Audience: []string{testAud}}

	acc, id := accessClaims(fuzzIss), idClaims(fuzzIss)
	good := sign(f, hdr("s"), acc, keyS)
	parts := strings.Split(good, ".")
	for _, s := range []string{
		good, "Bearer " + good, sign(f, hdr("s"), id, keyS),
		sign(f, map[string]any{"alg": "PS384", "kid": "p"}, acc, keyS),
		sign(f, hdr("s"), with(acc, "scp", []string{"a", testScope}), keyS),
		sign(f, hdr("s"), with(acc, "exp", t0.Unix()), keyS),
		sign(f, map[string]any{"alg": "HS256", "kid": "s"}, acc, keyS.N.Bytes()),
		parts[0] + "." + parts[1] + ".", parts[0] + "." + seg(with(acc, "client_id", "x")) + "." + parts[2],
		"", ".", "..", "a.b.c", "eyJhbGciOiJub25lIn0..", `{"payload":"e30"}`, "Bearer ",
	} {
		f.Add(s)
	}
	// One Verifier per worker: its caches persist across inputs, which also fuzzes cache hits.
	v := New(Options{Now: newClock().now, Local: local, HTTPClient: &http.Client{Transport: refuseTransport{}}})
	routes := [][]string{nil, {testScope}}

	f.Fuzz(func(t *testing.T, token string) {
		for _, scopes := range routes {
			res := v.Authorize(ctx, cfg, token, scopes)
			if res.Allowed {
				if res.Status != 0 || res.Err != nil || res.Claims == nil || res.Claims["iss"] != fuzzIss {
					t.Fatalf("inconsistent allow: %+v", res)
				}
				if !scopeAllowed(res.Scopes, scopes) {
					t.Fatalf("allowed without the route's scope: %+v", res)
				}
				tok := stripBearer(strings.TrimSpace(token))
				jws, err := jose.ParseSignedCompact(tok, []jose.SignatureAlgorithm{jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512})
				if err != nil {
					t.Fatalf("allowed a token go-jose cannot parse (%v): %q", err, token)
				}
				if _, err := jws.Verify(&keyS.PublicKey); err != nil {
					t.Fatalf("allowed a token go-jose does not verify (%v): %q", err, token)
				}
				continue
			}
			if res.Claims != nil || res.Scopes != nil || res.Err == nil {
				t.Fatalf("inconsistent denial: %+v", res)
			}
			switch res.Status {
			case http.StatusUnauthorized:
				if res.Body != BodyUnauthorized || !strings.HasPrefix(res.WWWAuthenticate, "Bearer") {
					t.Fatalf("bad 401: %+v", res)
				}
			case http.StatusForbidden:
				if res.Body != BodyForbidden {
					t.Fatalf("bad 403: %+v", res)
				}
			default:
				t.Fatalf("bad status: %+v", res)
			}
			if strings.ContainsAny(res.WWWAuthenticate, "\r\n\x00") {
				t.Fatalf("unsafe header value %q", res.WWWAuthenticate)
			}
		}
	})
}

// refuseTransport fails every request: the fuzz target must never reach the network.
type refuseTransport struct{}

func (refuseTransport) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, http.ErrNotSupported
}
