package jwtauth

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var update = flag.Bool("update", false, "rewrite testdata golden files")

// claimsPayload exercises every claim type; numbers are written as the token spells them.
const claimsPayload = `{
 "sub": "6418b458-d091-705e-122e-04bf2945fcdf",
 "iss": "ISSUER",
 "client_id": "5kek0i61pgkokoob4fsm9fo9it",
 "token_use": "access",
 "scope": "res/scope1 res/scope2",
 "auth_time": 1799999940, "iat": 1799999940, "exp": 1800003600,
 "float": 1.5, "exponent": 1e3, "negative": -7, "big": 123456789012345678901234567890,
 "email_verified": true, "disabled": false,
 "nothing": null,
 "cognito:groups": ["admin", "poweruser"],
 "mixed": ["a", 1, true, null, 2.50],
 "nested_array": [["x", "y"], []],
 "empty_array": [],
 "object": {"b": 1, "a": "<&>", "c": [1, "two"], "d": {"e": null}},
 "array_of_objects": [{"k": "v"}],
 "empty_object": {},
 "empty": "",
 "unicode": "élan \u2603",
 "with space": "x"
}`

// TestClaimsGolden checks the claims and scopes an integration receives against
// testdata/claims.golden.json (regenerate with -update).
func TestClaimsGolden(t *testing.T) {
	testKeys(t)
	s := newIssuer(t, jwks(jwkJSON(t, &keyA.PublicKey, "a", "RS256")))
	payload := []byte(strings.ReplaceAll(claimsPayload, "ISSUER", s.URL))
	v := New(Options{Now: newClock().now})
	res := v.Authorize(ctx, Config{Issuer: s.URL, Audience: []string{testAud}}, sign(t, hdr("a"), payload, keyA), nil)
	if !res.Allowed {
		t.Fatalf("denied: %+v", res)
	}
	res.Claims["iss"] = "ISSUER"
	got := map[string]any{"claims": res.Claims, "scopes": res.Scopes}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(got); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	const golden = "testdata/claims.golden.json"
	if *update {
		if err := os.WriteFile(golden, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(b)); diff != "" {
		t.Errorf("claims differ from %s (-want +got):\n%s", golden, diff)
	}
}

// TestScopes covers requestContext.authorizer.jwt.scopes.
func TestScopes(t *testing.T) {
	cases := []struct {
		claims string
		want   []string
	}{
		{`{}`, nil},
		{`{"scope":null}`, nil},
		{`{"scope":"a b"}`, []string{"a", "b"}},
		{`{"scope":" a  b "}`, []string{"a", "b"}},
		{`{"scope":""}`, []string{}},
		{`{"scp":"x","scope":"a b"}`, []string{"x"}},
		{`{"scp":null,"scope":"a"}`, []string{"a"}},
		{`{"scp":["x","y",1]}`, []string{"x", "y"}},
		{`{"scope":42}`, []string{}},
		{`{"scope":"a\tb"}`, []string{"a\tb"}},
	}
	for _, c := range cases {
		m, err := decodeClaims([]byte(c.claims))
		if err != nil {
			t.Fatal(err)
		}
		got := tokenScopes(m)
		if (got == nil) != (c.want == nil) || !cmp.Equal(got, c.want, cmpopts.EquateEmpty()) {
			t.Errorf("%s: got %#v, want %#v", c.claims, got, c.want)
		}
	}
}
