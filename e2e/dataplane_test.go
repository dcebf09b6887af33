package e2e

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	agw "github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	agwtypes "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// echoBackend is an HTTP service that answers with what it received.
func echoBackend(t *testing.T) *httptest.Server {
	t.Helper()
	b := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Access-Control-Allow-Origin", "https://evil.example.com") // API Gateway drops it
		_ = json.NewEncoder(w).Encode(map[string]any{"method": r.Method, "path": r.URL.Path, "query": r.URL.RawQuery,
			"host": r.Host, "headers": r.Header})
	}))
	t.Cleanup(b.Close)
	return b
}

type echo struct {
	Method, Path, Query, Host string
	Headers                   http.Header
}

// cognitoUser creates a pool, an app client allowing USER_PASSWORD_AUTH and a user, signs the
// user in and returns the ids and the user's access and ID tokens.
func (e *gwEnv) cognitoUser(poolName string) (poolID, clientID, access, idToken string) {
	e.t.Helper()
	c := e.s.Cognito()
	pool, err := c.CreateUserPool(e.ctx, &cip.CreateUserPoolInput{PoolName: aws.String(poolName)})
	e.must(err, "create pool")
	poolID = aws.ToString(pool.UserPool.Id)
	cl, err := c.CreateUserPoolClient(e.ctx, &cip.CreateUserPoolClientInput{UserPoolId: &poolID, ClientName: aws.String("web"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	e.must(err, "create client")
	clientID = aws.ToString(cl.UserPoolClient.ClientId)
	_, err = c.AdminCreateUser(e.ctx, &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: aws.String("ann"), MessageAction: types.MessageActionTypeSuppress})
	e.must(err, "create user")
	_, err = c.AdminSetUserPassword(e.ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &poolID, Username: aws.String("ann"),
		Password: aws.String("Passw0rd!"), Permanent: true})
	e.must(err, "set password")
	auth, err := c.InitiateAuth(e.ctx, &cip.InitiateAuthInput{ClientId: &clientID, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "ann", "PASSWORD": "Passw0rd!"}})
	e.must(err, "sign in")
	return poolID, clientID, aws.ToString(auth.AuthenticationResult.AccessToken), aws.ToString(auth.AuthenticationResult.IdToken)
}

// call sends a request to the API's data plane and returns the status, headers and body.
func (e *gwEnv) call(method, url string, hdr map[string]string) (int, http.Header, string) {
	e.t.Helper()
	req, err := http.NewRequestWithContext(e.ctx, method, url, nil)
	e.must(err, "new request")
	for k, v := range hdr {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	e.must(err, "request "+url)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func TestHTTPAPIWithJWTAuthorizer(t *testing.T) {
	t.Parallel()
	e := newGwEnv(t)
	c := e.s.Cognito()
	backend := echoBackend(t)

	// The Cognito side of the tutorial: a pool, an app client and a signed-in user.
	poolID, clientID, access, idToken := e.cognitoUser("api-users")
	user, err := c.GetUser(e.ctx, &cip.GetUserInput{AccessToken: &access})
	e.must(err, "get user")
	var sub string
	for _, a := range user.UserAttributes {
		if aws.ToString(a.Name) == "sub" {
			sub = aws.ToString(a.Value)
		}
	}

	// The API side, with the tutorial's issuer verbatim.
	api, err := e.gw.CreateApi(e.ctx, &agw.CreateApiInput{Name: aws.String("pets"), ProtocolType: agwtypes.ProtocolTypeHttp,
		CorsConfiguration: &agwtypes.Cors{AllowOrigins: []string{"https://app.example.com"}, AllowMethods: []string{"GET", "POST"},
			AllowHeaders: []string{"authorization"}, MaxAge: aws.Int32(600)}})
	e.must(err, "create api")
	apiID := aws.ToString(api.ApiId)
	integ, err := e.gw.CreateIntegration(e.ctx, &agw.CreateIntegrationInput{ApiId: &apiID, IntegrationType: agwtypes.IntegrationTypeHttpProxy,
		IntegrationMethod: aws.String("ANY"), IntegrationUri: aws.String(backend.URL + "/backend/{proxy}"), PayloadFormatVersion: aws.String("1.0"),
		RequestParameters: map[string]string{"overwrite:header.x-user-sub": "$context.authorizer.claims.sub",
			"append:querystring.stage": "$context.stage"}})
	e.must(err, "create integration")
	target := "integrations/" + aws.ToString(integ.IntegrationId)
	slow, err := e.gw.CreateIntegration(e.ctx, &agw.CreateIntegrationInput{ApiId: &apiID, IntegrationType: agwtypes.IntegrationTypeHttpProxy,
		IntegrationMethod: aws.String("GET"), IntegrationUri: aws.String(backend.URL + "/slow"), PayloadFormatVersion: aws.String("1.0"),
		TimeoutInMillis: aws.Int32(100)})
	e.must(err, "create slow integration")
	closed := closedPort(t)
	dead, err := e.gw.CreateIntegration(e.ctx, &agw.CreateIntegrationInput{ApiId: &apiID, IntegrationType: agwtypes.IntegrationTypeHttpProxy,
		IntegrationMethod: aws.String("GET"), IntegrationUri: aws.String("http://" + closed + "/"), PayloadFormatVersion: aws.String("1.0")})
	e.must(err, "create dead integration")
	authz, err := e.gw.CreateAuthorizer(e.ctx, &agw.CreateAuthorizerInput{ApiId: &apiID, Name: aws.String("cognito"),
		AuthorizerType: agwtypes.AuthorizerTypeJwt, IdentitySource: []string{"$request.header.Authorization"},
		JwtConfiguration: &agwtypes.JWTConfiguration{Issuer: aws.String("https://cognito-idp.us-east-1.amazonaws.com/" + poolID),
			Audience: []string{clientID}}})
	e.must(err, "create authorizer")
	routes := []struct {
		key    string
		scopes []string
		target string
	}{
		{"GET /items/{proxy+}", []string{"aws.cognito.signin.user.admin"}, target},
		{"POST /admin/{proxy+}", []string{"pets/admin"}, target},
		{"GET /public/{proxy+}", nil, target},
		{"GET /slow", nil, "integrations/" + aws.ToString(slow.IntegrationId)},
		{"GET /dead", nil, "integrations/" + aws.ToString(dead.IntegrationId)},
	}
	for _, r := range routes {
		in := &agw.CreateRouteInput{ApiId: &apiID, RouteKey: aws.String(r.key), Target: aws.String(r.target)}
		if strings.HasPrefix(r.key, "GET /items") || strings.HasPrefix(r.key, "POST /admin") {
			in.AuthorizationType, in.AuthorizerId, in.AuthorizationScopes = agwtypes.AuthorizationTypeJwt, authz.AuthorizerId, r.scopes
		}
		_, err := e.gw.CreateRoute(e.ctx, in)
		e.must(err, "create route "+r.key)
	}
	_, err = e.gw.CreateStage(e.ctx, &agw.CreateStageInput{ApiId: &apiID, StageName: aws.String("$default"), AutoDeploy: aws.Bool(true)})
	e.must(err, "create stage")

	base := e.s.URL + "/_aws/execute-api/" + apiID
	bearer := map[string]string{"Authorization": "Bearer " + access}

	// 401 without a token, or with a bad one; never reaching the backend.
	status, hdr, body := e.call("GET", base+"/items/a", nil)
	if status != 401 || body != `{"message":"Unauthorized"}` || hdr.Get("www-authenticate") == "" || hdr.Get("apigw-requestid") == "" {
		t.Errorf("no token: %d %q %v", status, body, hdr)
	}
	for _, bad := range []string{"Bearer nonsense", "Bearer " + tamper(access), "Bearer " + access + "x", forge(t, access, "none", nil)} {
		if status, _, body := e.call("GET", base+"/items/a", map[string]string{"Authorization": bad}); status != 401 || body != `{"message":"Unauthorized"}` {
			t.Errorf("bad token %.20q: %d %q", bad, status, body)
		}
	}
	// 200 with the access token (matched on client_id); the backend sees the claims mapping.
	status, _, body = e.call("GET", base+"/items/x/y?q=1", bearer)
	var got echo
	_ = json.Unmarshal([]byte(body), &got)
	if status != 200 || got.Path != "/backend/x/y" || got.Headers.Get("X-User-Sub") != sub || !strings.Contains(got.Query, "q=1") ||
		!strings.Contains(got.Query, "stage=%24default") || got.Headers.Get("X-Forwarded-For") == "" || got.Headers.Get("Authorization") == "" {
		t.Errorf("with access token: %d %s", status, body)
	}
	// The bare token (no Bearer) works too; the ID token matches on aud but has no scope: 403.
	if status, _, _ := e.call("GET", base+"/items/a", map[string]string{"Authorization": access}); status != 200 {
		t.Errorf("bare token: %d", status)
	}
	if status, _, body := e.call("GET", base+"/items/a", map[string]string{"Authorization": "Bearer " + idToken}); status != 403 || body != `{"message":"Forbidden"}` {
		t.Errorf("ID token on a scoped route: %d %q", status, body)
	}
	if status, _, body := e.call("POST", base+"/admin/a", bearer); status != 403 || body != `{"message":"Forbidden"}` {
		t.Errorf("missing scope: %d %q", status, body)
	}
	// No route: 404; a public route needs no token; the per-API host name works like the path.
	if status, _, body := e.call("GET", base+"/nothing", nil); status != 404 || body != `{"message":"Not Found"}` {
		t.Errorf("unknown route: %d %q", status, body)
	}
	if status, _, _ := e.call("GET", e.s.URL+"/public/z", map[string]string{"Host": apiID + ".execute-api.localhost"}); status != 200 {
		t.Errorf("host-based request: %d", status)
	}

	// CORS: the preflight is answered before any authorizer; actual responses carry the
	// API's headers and not the backend's.
	status, hdr, _ = e.call("OPTIONS", base+"/items/a", map[string]string{"Origin": "https://app.example.com",
		"Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization"})
	if status != 204 || hdr.Get("Access-Control-Allow-Origin") != "https://app.example.com" || hdr.Get("Access-Control-Max-Age") != "600" ||
		!strings.Contains(hdr.Get("Access-Control-Allow-Methods"), "GET") {
		t.Errorf("preflight: %d %v", status, hdr)
	}
	_, hdr, _ = e.call("GET", base+"/public/z", map[string]string{"Origin": "https://app.example.com"})
	if hdr.Get("Access-Control-Allow-Origin") != "https://app.example.com" {
		t.Errorf("CORS on a response: %v", hdr)
	}
	_, hdr, _ = e.call("GET", base+"/public/z", map[string]string{"Origin": "https://evil.example.com"})
	if hdr.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("CORS for a foreign origin: %v", hdr)
	}

	// Integration failures: a timeout is 503 Service Unavailable (as HTTP APIs answer), an
	// unreachable backend 502.
	if status, _, body := e.call("GET", base+"/slow", nil); status != 503 || body != `{"message":"Service Unavailable"}` {
		t.Errorf("slow backend: %d %q", status, body)
	}
	if status, _, _ := e.call("GET", base+"/dead", nil); status != 502 {
		t.Errorf("dead backend: %d", status)
	}

	// Throttling per route: burst 1.
	_, err = e.gw.UpdateStage(e.ctx, &agw.UpdateStageInput{ApiId: &apiID, StageName: aws.String("$default"),
		RouteSettings: map[string]agwtypes.RouteSettings{"GET /public/{proxy+}": {ThrottlingBurstLimit: aws.Int32(1), ThrottlingRateLimit: aws.Float64(0.001)}}})
	e.must(err, "throttle route")
	e.call("GET", base+"/public/a", nil)
	if status, _, body := e.call("GET", base+"/public/a", nil); status != 429 || body != `{"message":"Too Many Requests"}` {
		t.Errorf("throttled: %d %q", status, body)
	}

	// Metrics by API, stage, route and status.
	_, _, metrics := e.call("GET", e.s.URL+"/_gatehouse/metrics", nil)
	if !strings.Contains(metrics, `gatehouse_api_requests_total{api="`+apiID+`",code="401",route="GET /items/{proxy+}",stage="$default"}`) {
		t.Errorf("metrics lack the API's requests")
	}

	// Revoked tokens stay valid at the gateway until they expire, as with AWS: JWT authorizers
	// check signatures and claims only.
	_, err = c.GlobalSignOut(e.ctx, &cip.GlobalSignOutInput{AccessToken: &access})
	e.must(err, "sign out")
	if status, _, _ := e.call("GET", base+"/items/a", bearer); status != 200 {
		t.Errorf("after sign-out: %d", status)
	}
}

func TestHTTPAPIStagesAndDeployments(t *testing.T) {
	t.Parallel()
	e := newGwEnv(t)
	backend := echoBackend(t)
	api, err := e.gw.CreateApi(e.ctx, &agw.CreateApiInput{Name: aws.String("staged"), ProtocolType: agwtypes.ProtocolTypeHttp,
		Target: aws.String(backend.URL + "/base")})
	e.must(err, "quick create")
	apiID := aws.ToString(api.ApiId)
	base := e.s.URL + "/_aws/execute-api/" + apiID

	// $default route forwards the whole path after the URI's.
	status, _, body := e.call("PUT", base+"/a/b?x=1", nil)
	var got echo
	_ = json.Unmarshal([]byte(body), &got)
	if status != 200 || got.Method != "PUT" || got.Path != "/base/a/b" || got.Query != "x=1" {
		t.Fatalf("quick-created API: %d %s", status, body)
	}

	// A named stage serves the deployment it was given, under /<stage>.
	_, err = e.gw.CreateStage(e.ctx, &agw.CreateStageInput{ApiId: &apiID, StageName: aws.String("dev")})
	e.must(err, "create dev")
	if status, _, _ := e.call("GET", base+"/dev/a", nil); status != 404 {
		// The dev stage exists but serves nothing before its first deployment.
		t.Errorf("dev before deployment: %d", status)
	}
	_, err = e.gw.CreateDeployment(e.ctx, &agw.CreateDeploymentInput{ApiId: &apiID, StageName: aws.String("dev")})
	e.must(err, "deploy dev")
	status, _, body = e.call("GET", base+"/dev/a", nil)
	_ = json.Unmarshal([]byte(body), &got)
	if status != 200 || got.Path != "/base/a" {
		t.Errorf("dev stage: %d %s", status, body)
	}
	// Deleting the route takes effect at once on the auto-deploy stage, and on dev only after
	// the next deployment.
	routes, err := e.gw.GetRoutes(e.ctx, &agw.GetRoutesInput{ApiId: &apiID})
	e.must(err, "get routes")
	_, err = e.gw.DeleteRoute(e.ctx, &agw.DeleteRouteInput{ApiId: &apiID, RouteId: routes.Items[0].RouteId})
	e.must(err, "delete route")
	if status, _, _ := e.call("GET", base+"/a", nil); status != 404 {
		t.Errorf("auto-deploy stage after delete: %d", status)
	}
	if status, _, _ := e.call("GET", base+"/dev/a", nil); status != 200 {
		t.Errorf("dev stage before redeploy: %d", status)
	}
	// Unknown APIs are 404 too.
	if status, _, body := e.call("GET", e.s.URL+"/_aws/execute-api/nope/a", nil); status != 404 || body != `{"message":"Not Found"}` {
		t.Errorf("unknown api: %d %q", status, body)
	}
}

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}
