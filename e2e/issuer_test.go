package e2e

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/gatehouse-dev/gatehouse/internal/app"
	"github.com/gatehouse-dev/gatehouse/internal/testenv"
)

// issuerEnv is a server started with issuer options, a pool with a confirmed user alice and a
// client allowing password sign-in and refresh, all reached through base (the server itself,
// or a reverse proxy in front of it).
type issuerEnv struct {
	*env
	pool, client string
	base         string // where clients reach the server: its URL or a proxy's
}

func newIssuerEnv(t *testing.T, opts ...testenv.Option) *issuerEnv {
	t.Helper()
	e := newEnv(t, append([]testenv.Option{testenv.WithMemory()}, opts...)...)
	pool := e.pool(nil)
	client, _ := e.client(pool, &cip.CreateUserPoolClientInput{ExplicitAuthFlows: []types.ExplicitAuthFlowsType{
		"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	e.createUser(pool, "alice", "email", "alice@example.com", "email_verified", "true")
	_, err := e.c.AdminSetUserPassword(e.ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &pool, Username: aws.String("alice"),
		Password: aws.String("Passw0rd!"), Permanent: true})
	e.must(err, "set password")
	return &issuerEnv{env: e, pool: pool, client: client, base: e.s.URL}
}

// signIn signs alice in (USER_PASSWORD_AUTH) with c and returns the result.
func (e *issuerEnv) signIn(c *cip.Client) *types.AuthenticationResultType {
	e.t.Helper()
	out, err := c.InitiateAuth(e.ctx, &cip.InitiateAuthInput{ClientId: &e.client, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": "Passw0rd!"}})
	e.must(err, "USER_PASSWORD_AUTH")
	if out.AuthenticationResult == nil {
		e.t.Fatalf("sign-in result = %+v", out)
	}
	return out.AuthenticationResult
}

// getJSON fetches u (which must answer 200) and decodes its JSON body into v.
func (e *issuerEnv) getJSON(u string, v any) {
	e.t.Helper()
	resp, err := http.Get(u)
	e.must(err, "GET "+u)
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		e.t.Fatalf("GET %s: status %d", u, resp.StatusCode)
	}
	e.must(json.NewDecoder(resp.Body).Decode(v), "decode "+u)
}

// discovery fetches the pool's OpenID configuration from base.
func (e *issuerEnv) discovery(base string) map[string]any {
	e.t.Helper()
	var doc map[string]any
	e.getJSON(base+"/"+e.pool+"/.well-known/openid-configuration", &doc)
	return doc
}

// verify checks token's signature against the JWKS at jwksURL and returns its claims.
func (e *issuerEnv) verify(jwksURL, token string) map[string]any {
	e.t.Helper()
	var set jose.JSONWebKeySet
	e.getJSON(jwksURL, &set)
	tok, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.RS256})
	e.must(err, "parse token")
	keys := set.Key(tok.Headers[0].KeyID)
	if len(keys) != 1 {
		e.t.Fatalf("kid %q is not in the JWKS at %s", tok.Headers[0].KeyID, jwksURL)
	}
	var c map[string]any
	e.must(tok.Claims(keys[0].Key, &c), "verify token signature")
	return c
}

// unverifiedIss reads the iss claim of a token without verifying it.
func unverifiedIss(t *testing.T, token string) string {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q is not a JWS", token)
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var c struct{ Iss string }
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	return c.Iss
}

// checkTokens checks that the ID and access tokens of r carry iss and verify against the JWKS
// at jwksURL, and that the server accepts the access token (GetUser).
func (e *issuerEnv) checkTokens(c *cip.Client, r *types.AuthenticationResultType, iss, jwksURL string) {
	e.t.Helper()
	for _, tc := range []struct{ use, token string }{{"id", aws.ToString(r.IdToken)}, {"access", aws.ToString(r.AccessToken)}} {
		if got := unverifiedIss(e.t, tc.token); got != iss {
			e.t.Errorf("%s token iss = %q, want %q", tc.use, got, iss)
		}
		claims := e.verify(jwksURL, tc.token)
		if claims["iss"] != iss || claims["token_use"] != tc.use {
			e.t.Errorf("%s token claims = %v", tc.use, claims)
		}
	}
	u, err := c.GetUser(e.ctx, &cip.GetUserInput{AccessToken: r.AccessToken})
	e.must(err, "GetUser with the access token")
	if aws.ToString(u.Username) != "alice" {
		e.t.Errorf("GetUser = %s", aws.ToString(u.Username))
	}
}

// TestIssuerStyleAWS: under --issuer-style aws the tokens' iss is Cognito's own issuer URL for
// the configured region, discovery states the same issuer with a jwks_uri on this server, and
// the tokens verify against that JWKS, after a refresh too.
func TestIssuerStyleAWS(t *testing.T) {
	t.Parallel()
	const region = "eu-central-1"
	e := newIssuerEnv(t, func(c *app.Config) { c.IssuerStyle = "aws"; c.Region = region })
	if !strings.HasPrefix(e.pool, region+"_") {
		t.Fatalf("pool id %s is not in %s", e.pool, region)
	}
	iss := "https://cognito-idp." + region + ".amazonaws.com/" + e.pool

	doc := e.discovery(e.s.URL)
	if doc["issuer"] != iss {
		t.Errorf("discovery issuer = %v, want %s", doc["issuer"], iss)
	}
	jwksURI, _ := doc["jwks_uri"].(string)
	// The default public URL is http://localhost:<port>: the server itself.
	wantJWKS := strings.Replace(e.s.URL, "127.0.0.1", "localhost", 1) + "/" + e.pool + "/.well-known/jwks.json"
	if jwksURI != wantJWKS {
		t.Fatalf("jwks_uri = %q, want %q", jwksURI, wantJWKS)
	}

	r := e.signIn(e.c)
	e.checkTokens(e.c, r, iss, jwksURI)

	ref, err := e.c.InitiateAuth(e.ctx, &cip.InitiateAuthInput{ClientId: &e.client, AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
		AuthParameters: map[string]string{"REFRESH_TOKEN": aws.ToString(r.RefreshToken)}})
	e.must(err, "REFRESH_TOKEN_AUTH")
	ref.AuthenticationResult.RefreshToken = r.RefreshToken
	e.checkTokens(e.c, ref.AuthenticationResult, iss, jwksURI)
}

// TestIssuerPublicURLWithPrefix: with --public-url https://auth.example.test/base (a reverse
// proxy serving Gatehouse under /base) the iss, the discovery issuer and jwks_uri all name the
// public URL, OIDC discovery works from the issuer (<iss>/.well-known/openid-configuration),
// and the JWKS is reachable through a proxy that strips the prefix and through one that
// forwards the path unchanged.
func TestIssuerPublicURLWithPrefix(t *testing.T) {
	t.Parallel()
	const public = "https://auth.example.test/base"
	e := newIssuerEnv(t, func(c *app.Config) { c.PublicURL = public + "/" })
	iss := public + "/" + e.pool
	target, err := url.Parse(e.s.URL)
	e.must(err, "server URL")

	// The helpers fail e.t, so the two proxies are checked in turn rather than as subtests.
	for _, strip := range []bool{true, false} {
		t.Logf("proxy stripping /base: %v", strip)
		func() {
			proxy := httptest.NewServer(&httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
				r.SetURL(target)
				if strip {
					r.Out.URL.Path = strings.TrimPrefix(r.In.URL.Path, "/base")
					r.Out.URL.RawPath = ""
				}
				r.SetXForwarded()
			}})
			defer proxy.Close()
			// publicToProxy maps a public URL to the proxy that stands for auth.example.test.
			publicToProxy := func(u string) string {
				if !strings.HasPrefix(u, "https://auth.example.test/") {
					t.Fatalf("URL %q is not under the public URL", u)
				}
				return proxy.URL + strings.TrimPrefix(u, "https://auth.example.test")
			}
			c := e.s.Cognito(func(o *cip.Options) { o.BaseEndpoint = aws.String(proxy.URL + "/base") })

			// OIDC discovery from the issuer, as verifiers configured with only the issuer do it.
			var doc map[string]any
			e.getJSON(publicToProxy(iss+"/.well-known/openid-configuration"), &doc)
			if doc["issuer"] != iss || doc["jwks_uri"] != iss+"/.well-known/jwks.json" {
				t.Fatalf("discovery = %v", doc)
			}
			r := e.signIn(c)
			e.checkTokens(c, r, iss, publicToProxy(doc["jwks_uri"].(string)))
		}()
	}

	// The server itself answers at both paths with the same document.
	direct := e.discovery(e.s.URL)
	prefixed := e.discovery(e.s.URL + "/base")
	if direct["issuer"] != iss || direct["jwks_uri"] != prefixed["jwks_uri"] || direct["issuer"] != prefixed["issuer"] {
		t.Errorf("discovery at / = %v, at /base = %v", direct, prefixed)
	}
}
