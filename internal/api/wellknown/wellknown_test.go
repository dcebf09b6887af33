package wellknown

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/google/go-cmp/cmp"

	"github.com/gatehouse-dev/gatehouse/internal/secrets"
	"github.com/gatehouse-dev/gatehouse/internal/storage/memory"
	"github.com/gatehouse-dev/gatehouse/internal/tokens"
)

const pool = "us-east-1_AbC123xyz"

type fixture struct {
	srv    *httptest.Server
	tokens *tokens.Manager
	now    time.Time
}

func setup(t *testing.T, style string, oauthBase func(context.Context, string) (string, error)) *fixture {
	t.Helper()
	st := memory.New()
	t.Cleanup(func() { st.Close() })
	kr, err := secrets.New(make([]byte, secrets.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	f.tokens = tokens.NewManager(st, kr, tokens.Options{Now: func() time.Time { return f.now }})
	mux := http.NewServeMux()
	public := "http://gatehouse.test:4566"
	Mount(mux, Deps{
		Tokens: f.tokens,
		PoolExists: func(_ context.Context, id string) (bool, error) {
			if id == "us-east-1_Broken" {
				return false, errors.New("storage down")
			}
			return id == pool, nil
		},
		Issuer:    func(id string) string { return tokens.IssuerURL(style, public, "us-east-1", id) },
		PublicURL: public,
		OAuthBase: oauthBase,
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func get(t *testing.T, f *fixture, path string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Get(f.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func TestJWKS(t *testing.T) {
	f := setup(t, tokens.StyleURL, nil)
	resp, body := get(t, f, "/"+pool+"/.well-known/jwks.json")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json; charset=utf-8" || resp.Header.Get("Cache-Control") != CacheControl {
		t.Fatalf("status %d, headers %v", resp.StatusCode, resp.Header)
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(body, &set); err != nil {
		t.Fatal(err)
	}
	if len(set.Keys) != 2 {
		t.Fatalf("%d keys", len(set.Keys))
	}
	// Members exactly as Cognito's.
	var raw struct{ Keys []map[string]any }
	json.Unmarshal(body, &raw)
	for _, k := range raw.Keys {
		if len(k) != 6 || k["alg"] != "RS256" || k["e"] != "AQAB" || k["kty"] != "RSA" || k["use"] != "sig" {
			t.Errorf("JWK = %v", k)
		}
	}

	// A token the pool issues verifies with the served keys.
	r := tokens.Request{Issuer: tokens.IssuerURL("url", "http://gatehouse.test:4566", "us-east-1", pool), PoolID: pool, ClientID: "c", User: tokens.User{Username: "u", Sub: "s"}, AuthTime: f.now}
	tok, err := f.tokens.Issue(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{tok.IDToken, tok.AccessToken} {
		obj, err := jose.ParseSignedCompact(s, []jose.SignatureAlgorithm{jose.RS256})
		if err != nil {
			t.Fatal(err)
		}
		keys := set.Key(obj.Signatures[0].Header.KeyID)
		if len(keys) != 1 {
			t.Fatal("kid not served")
		}
		if _, err := obj.Verify(keys[0].Key); err != nil {
			t.Fatal(err)
		}
	}

	// After rotation both old and new keys are served.
	if err := f.tokens.Rotate(context.Background(), pool); err != nil {
		t.Fatal(err)
	}
	_, body = get(t, f, "/"+pool+"/.well-known/jwks.json")
	var after jose.JSONWebKeySet
	json.Unmarshal(body, &after)
	if len(after.Keys) != 4 || after.Keys[2].KeyID != set.Keys[0].KeyID || after.Keys[3].KeyID != set.Keys[1].KeyID {
		t.Errorf("JWKS after rotation: %s", body)
	}
}

func TestDiscovery(t *testing.T) {
	for _, tc := range []struct {
		name, style string
		oauth       func(context.Context, string) (string, error)
		want        string
	}{
		{"url style", tokens.StyleURL, nil, `{
			"authorization_endpoint": "http://gatehouse.test:4566/oauth2/authorize",
			"end_session_endpoint": "http://gatehouse.test:4566/logout",
			"id_token_signing_alg_values_supported": ["RS256"],
			"issuer": "http://gatehouse.test:4566/us-east-1_AbC123xyz",
			"jwks_uri": "http://gatehouse.test:4566/us-east-1_AbC123xyz/.well-known/jwks.json",
			"response_types_supported": ["code", "token"],
			"revocation_endpoint": "http://gatehouse.test:4566/oauth2/revoke",
			"scopes_supported": ["openid", "email", "phone", "profile"],
			"subject_types_supported": ["public"],
			"token_endpoint": "http://gatehouse.test:4566/oauth2/token",
			"token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
			"userinfo_endpoint": "http://gatehouse.test:4566/oauth2/userInfo"
		}`},
		{"aws style, no domain", tokens.StyleAWS, func(context.Context, string) (string, error) { return "", nil }, `{
			"id_token_signing_alg_values_supported": ["RS256"],
			"issuer": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123xyz",
			"jwks_uri": "http://gatehouse.test:4566/us-east-1_AbC123xyz/.well-known/jwks.json",
			"response_types_supported": ["code", "token"],
			"scopes_supported": ["openid", "email", "phone", "profile"],
			"subject_types_supported": ["public"],
			"token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"]
		}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t, tc.style, tc.oauth)
			resp, body := get(t, f, "/"+pool+"/.well-known/openid-configuration")
			if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != CacheControl {
				t.Fatalf("status %d, headers %v", resp.StatusCode, resp.Header)
			}
			var got, want map[string]any
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(tc.want), &want); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("discovery (-want +got):\n%s", d)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	f := setup(t, tokens.StyleURL, nil)
	for _, path := range []string{"/us-east-1_Nope/.well-known/jwks.json", "/us-east-1_Nope/.well-known/openid-configuration"} {
		resp, body := get(t, f, path)
		if resp.StatusCode != 404 || string(body) != `{"message":"User pool us-east-1_Nope does not exist."}` || resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("GET %s: %d %s", path, resp.StatusCode, body)
		}
	}
	resp, body := get(t, f, "/us-east-1_Broken/.well-known/jwks.json")
	if resp.StatusCode != 500 || string(body) != `{"message":"Internal server error"}` {
		t.Errorf("storage error: %d %s", resp.StatusCode, body)
	}
	resp, err := http.Post(f.srv.URL+"/"+pool+"/.well-known/jwks.json", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", resp.StatusCode)
	}
}

func TestPathPrefix(t *testing.T) {
	for in, want := range map[string]string{
		"http://localhost:4566":            "",
		"http://localhost:4566/":           "",
		"https://auth.example.test/base":   "/base",
		"https://auth.example.test/base/":  "/base",
		"https://auth.example.test/a/b-c/": "/a/b-c",
		"https://x.test/a%2Fb":             "", // escaped slash
		"https://x.test/{poolId}":          "", // not a literal path
		"https://x.test/a//b":              "",
		"https://x.test/a/../b":            "",
		"relative/path":                    "",
		"://bad":                           "",
	} {
		if got := PathPrefix(in); got != want {
			t.Errorf("PathPrefix(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestMountUnderPublicURLPath: with a public URL that has a path (a reverse proxy's prefix) the
// endpoints answer at both /<poolId>/… (a proxy that strips the prefix) and /base/<poolId>/…
// (one that does not), with a discovery document naming the public URL.
func TestMountUnderPublicURLPath(t *testing.T) {
	st := memory.New()
	t.Cleanup(func() { st.Close() })
	kr, err := secrets.New(make([]byte, secrets.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	const public = "https://auth.example.test/base/"
	mux := http.NewServeMux()
	Mount(mux, Deps{Tokens: tokens.NewManager(st, kr, tokens.Options{}), PublicURL: public,
		PoolExists: func(_ context.Context, id string) (bool, error) { return id == pool, nil },
		Issuer:     func(id string) string { return tokens.IssuerURL(tokens.StyleURL, public, "us-east-1", id) }})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	f := &fixture{srv: srv}
	iss := "https://auth.example.test/base/" + pool
	for _, prefix := range []string{"", "/base"} {
		resp, body := get(t, f, prefix+"/"+pool+"/.well-known/openid-configuration")
		var doc Discovery
		if err := json.Unmarshal(body, &doc); resp.StatusCode != 200 || err != nil {
			t.Fatalf("discovery at %q: %d %s", prefix, resp.StatusCode, body)
		}
		if doc.Issuer != iss || doc.JWKSURI != iss+"/.well-known/jwks.json" || doc.TokenEndpoint != "https://auth.example.test/base/oauth2/token" {
			t.Errorf("discovery at %q = %+v", prefix, doc)
		}
		if resp, body := get(t, f, prefix+"/"+pool+"/.well-known/jwks.json"); resp.StatusCode != 200 {
			t.Errorf("jwks at %q: %d %s", prefix, resp.StatusCode, body)
		}
		if resp, _ := get(t, f, prefix+"/us-east-1_Nope/.well-known/jwks.json"); resp.StatusCode != 404 {
			t.Errorf("unknown pool at %q: %d", prefix, resp.StatusCode)
		}
	}
	if resp, _ := get(t, f, "/other/"+pool+"/.well-known/jwks.json"); resp.StatusCode != 404 {
		t.Errorf("another prefix: %d", resp.StatusCode)
	}
}
