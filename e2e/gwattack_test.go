package e2e

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	agw "github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	agwtypes "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	jose "github.com/go-jose/go-jose/v4"

	"github.com/gatehouse-dev/gatehouse/internal/testenv"
)

// withHeader rewrites a JWT's header with fn, keeping payload and signature.
func withHeader(t *testing.T, token string, fn func(h map[string]any)) string {
	t.Helper()
	parts := strings.Split(token, ".")
	raw, _ := base64.RawURLEncoding.DecodeString(parts[0])
	var h map[string]any
	if err := json.Unmarshal(raw, &h); err != nil {
		t.Fatal(err)
	}
	fn(h)
	b, _ := json.Marshal(h)
	parts[0] = base64.RawURLEncoding.EncodeToString(b)
	return strings.Join(parts, ".")
}

// TestHTTPAPIJWTAttackTable sends the JWT attacks of issue 4 through the data plane: every one
// is refused with AWS's 401 (or 403 for a scope miss), never reaching the backend.
func TestHTTPAPIJWTAttackTable(t *testing.T) {
	t.Parallel()
	clock := testenv.NewClock(time.Now())
	e := newGwEnv(t, testenv.WithClock(clock.Now))
	backend := echoBackend(t)
	poolID, clientID, access, idToken := e.cognitoUser("p")

	// The pool's public key as PEM: the secret of the classic HS256 key-confusion attack.
	resp, err := http.Get(e.s.URL + "/" + poolID + "/.well-known/jwks.json")
	e.must(err, "jwks")
	var set jose.JSONWebKeySet
	e.must(json.NewDecoder(resp.Body).Decode(&set), "decode jwks")
	resp.Body.Close()
	der, err := x509.MarshalPKIXPublicKey(set.Keys[0].Key)
	e.must(err, "public key")
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})

	api, err := e.gw.CreateApi(e.ctx, &agw.CreateApiInput{Name: aws.String("attacks"), ProtocolType: agwtypes.ProtocolTypeHttp})
	e.must(err, "api")
	id := api.ApiId
	integ, err := e.gw.CreateIntegration(e.ctx, &agw.CreateIntegrationInput{ApiId: id, IntegrationType: agwtypes.IntegrationTypeHttpProxy,
		IntegrationMethod: aws.String("ANY"), IntegrationUri: aws.String(backend.URL), PayloadFormatVersion: aws.String("1.0")})
	e.must(err, "integration")
	authorizer := func(name, issuer, audience string) *string {
		a, err := e.gw.CreateAuthorizer(e.ctx, &agw.CreateAuthorizerInput{ApiId: id, Name: aws.String(name), AuthorizerType: agwtypes.AuthorizerTypeJwt,
			IdentitySource:   []string{"$request.header.Authorization"},
			JwtConfiguration: &agwtypes.JWTConfiguration{Issuer: aws.String(issuer), Audience: []string{audience}}})
		e.must(err, "authorizer "+name)
		return a.AuthorizerId
	}
	issuer := "https://cognito-idp.us-east-1.amazonaws.com/" + poolID
	okAuthz := authorizer("ok", issuer, clientID)
	routes := []struct {
		key    string
		authz  *string
		scopes []string
	}{
		{"GET /ok", okAuthz, nil},
		{"GET /wrong-aud", authorizer("wrong-aud", issuer, "someone-else"), nil},
		{"GET /wrong-iss", authorizer("wrong-iss", "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other", clientID), nil},
		{"GET /unreachable", authorizer("unreachable", "http://"+closedPort(t)+"/issuer", clientID), nil},
		{"GET /needs-scope", okAuthz, []string{"aws.cognito.signin.user.admin"}},
	}
	for _, r := range routes {
		_, err := e.gw.CreateRoute(e.ctx, &agw.CreateRouteInput{ApiId: id, RouteKey: aws.String(r.key),
			Target:            aws.String("integrations/" + aws.ToString(integ.IntegrationId)),
			AuthorizationType: agwtypes.AuthorizationTypeJwt, AuthorizerId: r.authz, AuthorizationScopes: r.scopes})
		e.must(err, "route "+r.key)
	}
	_, err = e.gw.CreateStage(e.ctx, &agw.CreateStageInput{ApiId: id, StageName: aws.String("$default"), AutoDeploy: aws.Bool(true)})
	e.must(err, "stage")
	base := e.s.URL + "/_aws/execute-api/" + aws.ToString(id)
	get := func(path, token string) (int, string) {
		h := map[string]string{}
		if token != "" {
			h["Authorization"] = token
		}
		status, _, body := e.call("GET", base+path, h)
		return status, body
	}
	if status, _ := get("/ok", "Bearer "+access); status != 200 {
		t.Fatalf("the valid token is refused: %d", status)
	}
	sig := access[strings.LastIndex(access, ".")+1:]
	attacks := []struct {
		name, path, token string
		status            int
	}{
		{"no token", "/ok", "", 401},
		{"alg none", "/ok", forge(t, access, "none", nil), 401},
		{"HS256 keyed with the RSA public key", "/ok", forge(t, access, "HS256", pubPEM), 401},
		{"unknown kid", "/ok", withHeader(t, access, func(h map[string]any) { h["kid"] = "not-a-key" }), 401},
		{"no kid", "/ok", withHeader(t, access, func(h map[string]any) { delete(h, "kid") }), 401},
		{"tampered payload", "/ok", tamper(access), 401},
		{"stripped signature", "/ok", strings.TrimSuffix(access, sig), 401},
		{"signature of another token", "/ok", idToken[:strings.LastIndex(idToken, ".")+1] + sig, 401},
		{"oversized", "/ok", "Bearer " + access + "." + strings.Repeat("A", 12000), 401},
		{"malformed", "/ok", "Bearer a.b", 401},
		{"not base64", "/ok", "Bearer !!!.###.$$$", 401},
		{"wrong audience", "/wrong-aud", access, 401},
		{"wrong issuer", "/wrong-iss", access, 401},
		{"issuer whose JWKS is unreachable", "/unreachable", access, 401},
		{"ID token on a scoped route", "/needs-scope", idToken, 403},
	}
	for _, a := range attacks {
		status, body := get(a.path, a.token)
		want := `{"message":"Unauthorized"}`
		if a.status == 403 {
			want = `{"message":"Forbidden"}`
		}
		if status != a.status || body != want {
			t.Errorf("%s: %d %q; want %d %q", a.name, status, body, a.status, want)
		}
	}
	// Expiry and not-before are checked against the gateway's clock.
	clock.Advance(2 * time.Hour)
	if status, body := get("/ok", access); status != 401 || body != `{"message":"Unauthorized"}` {
		t.Errorf("expired token: %d %q", status, body)
	}
}
