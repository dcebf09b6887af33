package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	agw "github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	agwtypes "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	lmb "github.com/aws/aws-sdk-go-v2/service/lambda"
	lmbtypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// goHTTPZip builds testdata/lambda/gohttp, an aws-lambda-go handler of
// events.APIGatewayV2HTTPRequest, as a provided.al2023 package.
func goHTTPZip(t *testing.T) []byte {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "bootstrap")
	cmd := exec.Command("go", "build", "-o", bin, "./testdata/lambda/gohttp")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build the Go handler: %v: %s", err, out)
	}
	b, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	return zipOf(t, map[string][]byte{"bootstrap": b})
}

// nodeClaims returns the caller's JWT claims and scopes, in the inferred response format
// (no statusCode).
const nodeClaims = `
exports.handler = async (event) => ({
  claims: event.requestContext.authorizer.jwt.claims,
  scopes: event.requestContext.authorizer.jwt.scopes,
  routeKey: event.routeKey,
});`

// nodeAuthorizer is a simple-response Lambda authorizer: the key "letmein" is allowed, with a
// context.
const nodeAuthorizer = `
exports.handler = async (event) => ({
  isAuthorized: event.headers["x-api-key"] === "letmein",
  context: { user: "key-holder", level: 3, routeArn: event.routeArn, identity: event.identitySource },
});`

// nodeContext returns what the Lambda authorizer passed on.
const nodeContext = `
exports.handler = async (event) => ({ statusCode: 200, headers: { "content-type": "application/json" },
  body: JSON.stringify(event.requestContext.authorizer.lambda) });`

// lambdaEnv adds to gwEnv what these tests share: functions, an HTTP API and requests with bodies.
type lambdaEnv struct {
	*gwEnv
	lc     *lmb.Client
	apiID  string
	base   string
	prefix string // the execute-api ARN prefix of the API
}

func newLambdaEnv(t *testing.T) *lambdaEnv {
	e := &lambdaEnv{gwEnv: newGwEnv(t)}
	e.lc = e.s.Lambda()
	api, err := e.gw.CreateApi(e.ctx, &agw.CreateApiInput{Name: aws.String("lambda-api"), ProtocolType: agwtypes.ProtocolTypeHttp})
	e.must(err, "create api")
	e.apiID = aws.ToString(api.ApiId)
	_, err = e.gw.CreateStage(e.ctx, &agw.CreateStageInput{ApiId: &e.apiID, StageName: aws.String("$default"), AutoDeploy: aws.Bool(true)})
	e.must(err, "create stage")
	e.base = e.s.URL + "/_aws/execute-api/" + e.apiID
	e.prefix = "arn:aws:execute-api:us-east-1:000000000000:" + e.apiID + "/"
	return e
}

// integration creates an AWS_PROXY integration of a function, given by ARN.
func (e *lambdaEnv) integration(fnArn, version string) string {
	e.t.Helper()
	i, err := e.gw.CreateIntegration(e.ctx, &agw.CreateIntegrationInput{ApiId: &e.apiID, IntegrationType: agwtypes.IntegrationTypeAwsProxy,
		IntegrationUri: &fnArn, PayloadFormatVersion: &version})
	e.must(err, "create integration")
	return aws.ToString(i.IntegrationId)
}

// route creates a route to an integration.
func (e *lambdaEnv) route(key, integ string, auth agwtypes.AuthorizationType, authorizer string) {
	e.t.Helper()
	in := &agw.CreateRouteInput{ApiId: &e.apiID, RouteKey: &key, Target: aws.String("integrations/" + integ), AuthorizationType: auth}
	if authorizer != "" {
		in.AuthorizerId = &authorizer
	}
	_, err := e.gw.CreateRoute(e.ctx, in)
	e.must(err, "create route "+key)
}

// permit lets API Gateway invoke a function from sourceArn (AddPermission).
func (e *lambdaEnv) permit(fn, sid, sourceArn string) {
	e.t.Helper()
	_, err := e.lc.AddPermission(e.ctx, &lmb.AddPermissionInput{FunctionName: &fn, StatementId: &sid, Action: aws.String("lambda:InvokeFunction"),
		Principal: aws.String("apigateway.amazonaws.com"), SourceArn: &sourceArn})
	e.must(err, "add permission")
}

// send makes a request with a body to the API and returns the response and its body.
func (e *lambdaEnv) send(method, path string, hdr http.Header, body string) (*http.Response, string) {
	e.t.Helper()
	req, err := http.NewRequestWithContext(e.ctx, method, e.base+path, strings.NewReader(body))
	e.must(err, "new request")
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	e.must(err, method+" "+path)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// TestLambdaGatewayGoHandler: a Go handler written against aws-lambda-go's
// APIGatewayV2HTTPRequest behind an AWS_PROXY route, reached only with API Gateway's permission.
func TestLambdaGatewayGoHandler(t *testing.T) {
	t.Parallel()
	e := newLambdaEnv(t)
	fn, err := e.lc.CreateFunction(e.ctx, &lmb.CreateFunctionInput{FunctionName: aws.String("gohttp"), Runtime: lmbtypes.RuntimeProvidedal2023,
		Role: aws.String(testRole), Handler: aws.String("bootstrap"), Code: &lmbtypes.FunctionCode{ZipFile: goHTTPZip(t)}})
	e.must(err, "create function")
	e.route("POST /go/{id}", e.integration(aws.ToString(fn.FunctionArn), "2.0"), agwtypes.AuthorizationTypeNone, "")
	// A permission for another route does not let API Gateway invoke it here: 500, as AWS.
	e.permit("gohttp", "other-route", e.prefix+"*/*/other")
	if resp, body := e.send("POST", "/go/7", nil, "{}"); resp.StatusCode != 500 || body != `{"message":"Internal Server Error"}` {
		t.Fatalf("without permission: %d %s", resp.StatusCode, body)
	}
	e.permit("gohttp", "this-route", e.prefix+"*/*/go/{id}")

	resp, body := e.send("POST", "/go/7?tag=a&tag=b", http.Header{"Content-Type": {"application/json"}, "Cookie": {"c1=v1; c2=v2"}}, `{"name":"rex"}`)
	if resp.StatusCode != 201 || resp.Header.Get("X-Handler") != "go" || resp.Header.Get("Content-Type") != "application/json" ||
		resp.Header.Get("Apigw-Requestid") == "" || len(resp.Cookies()) != 2 || resp.Cookies()[0].Name != "session" || !resp.Cookies()[0].HttpOnly {
		t.Fatalf("Go handler: %d %v %s", resp.StatusCode, resp.Header, body)
	}
	var seen map[string]any
	if err := json.Unmarshal([]byte(body), &seen); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"version": "2.0", "routeKey": "POST /go/{id}", "rawPath": "/go/7", "rawQueryString": "tag=a&tag=b", "id": "7",
		"contentType": "application/json", "body": `{"name":"rex"}`, "isBase64Encoded": false, "method": "POST", "stage": "$default",
		"apiId": e.apiID, "requestId": resp.Header.Get("Apigw-Requestid"), "sourceIp": "127.0.0.1"}
	for k, v := range want {
		if seen[k] != v {
			t.Errorf("handler saw %s = %v, want %v", k, seen[k], v)
		}
	}
	if q, _ := seen["query"].(map[string]any); q["tag"] != "a,b" {
		t.Errorf("query = %v", seen["query"])
	}
	if c, _ := seen["cookies"].([]any); len(c) != 2 || c[0] != "c1=v1" || c[1] != "c2=v2" {
		t.Errorf("cookies = %v", seen["cookies"])
	}
}

// TestLambdaGatewayJWT: a Node handler behind a route protected by a Cognito JWT authorizer
// reads the caller's claims.
func TestLambdaGatewayJWT(t *testing.T) {
	t.Parallel()
	e := newLambdaEnv(t)
	poolID, clientID, access, idToken := e.cognitoUser("lambda-users")
	fn := createNode(t, e.s, "claims", nodeClaims, nil)
	auth, err := e.gw.CreateAuthorizer(e.ctx, &agw.CreateAuthorizerInput{ApiId: &e.apiID, Name: aws.String("cognito"),
		AuthorizerType: agwtypes.AuthorizerTypeJwt, IdentitySource: []string{"$request.header.Authorization"},
		JwtConfiguration: &agwtypes.JWTConfiguration{Issuer: aws.String("https://cognito-idp.us-east-1.amazonaws.com/" + poolID),
			Audience: []string{clientID}}})
	e.must(err, "create authorizer")
	e.route("GET /me", e.integration(aws.ToString(fn.FunctionArn), "2.0"), agwtypes.AuthorizationTypeJwt, aws.ToString(auth.AuthorizerId))

	if resp, body := e.send("GET", "/me", nil, ""); resp.StatusCode != 401 || body != `{"message":"Unauthorized"}` {
		t.Errorf("no token: %d %s", resp.StatusCode, body)
	}
	for name, tok := range map[string]string{"access": access, "id": idToken} {
		resp, body := e.send("GET", "/me", http.Header{"Authorization": {"Bearer " + tok}}, "")
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("%s token: %d %v %s", name, resp.StatusCode, resp.Header, body)
		}
		var got struct {
			Claims   map[string]any
			Scopes   []string
			RouteKey string
		}
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			t.Fatal(err)
		}
		c := got.Claims
		if c["token_use"] != name || c["sub"] == nil || c["iss"] == nil || got.RouteKey != "GET /me" {
			t.Errorf("%s token claims: %v", name, body)
		}
		if exp, ok := c["exp"].(string); !ok || exp == "" {
			t.Errorf("%s token: exp %v is not a string", name, c["exp"])
		}
		if name == "access" && (c["client_id"] != clientID || c["username"] != "ann" || len(got.Scopes) == 0) {
			t.Errorf("access token: %s", body)
		}
		if name == "id" && (c["aud"] != clientID || c["cognito:username"] != "ann" || got.Scopes != nil) {
			t.Errorf("ID token: %s", body)
		}
	}
}

// TestLambdaGatewayAuthorizer: a Lambda authorizer in front of a Lambda integration, end to end.
func TestLambdaGatewayAuthorizer(t *testing.T) {
	t.Parallel()
	e := newLambdaEnv(t)
	authFn := createNode(t, e.s, "keys", nodeAuthorizer, nil)
	appFn := createNode(t, e.s, "context", nodeContext, nil)
	auth, err := e.gw.CreateAuthorizer(e.ctx, &agw.CreateAuthorizerInput{ApiId: &e.apiID, Name: aws.String("keys"),
		AuthorizerType: agwtypes.AuthorizerTypeRequest, IdentitySource: []string{"$request.header.X-Api-Key"},
		AuthorizerUri:                  aws.String("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/" + aws.ToString(authFn.FunctionArn) + "/invocations"),
		AuthorizerPayloadFormatVersion: aws.String("2.0"), EnableSimpleResponses: aws.Bool(true), AuthorizerResultTtlInSeconds: aws.Int32(0)})
	e.must(err, "create authorizer")
	authID := aws.ToString(auth.AuthorizerId)
	e.route("GET /guarded/{item}", e.integration(aws.ToString(appFn.FunctionArn), "2.0"), agwtypes.AuthorizationTypeCustom, authID)
	e.permit("keys", "authorizer", e.prefix+"authorizers/"+authID)
	e.permit("context", "route", e.prefix+"*/*/guarded/{item}")

	if resp, body := e.send("GET", "/guarded/x", nil, ""); resp.StatusCode != 401 || body != `{"message":"Unauthorized"}` {
		t.Errorf("no key: %d %s", resp.StatusCode, body)
	}
	if resp, body := e.send("GET", "/guarded/x", http.Header{"X-Api-Key": {"wrong"}}, ""); resp.StatusCode != 403 || body != `{"message":"Forbidden"}` {
		t.Errorf("wrong key: %d %s", resp.StatusCode, body)
	}
	resp, body := e.send("GET", "/guarded/x", http.Header{"X-Api-Key": {"letmein"}}, "")
	if resp.StatusCode != 200 {
		t.Fatalf("right key: %d %s", resp.StatusCode, body)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	if got["user"] != "key-holder" || got["level"] != 3.0 || got["routeArn"] != e.prefix+"$default/GET/guarded/x" {
		t.Errorf("authorizer context: %s", body)
	}
	if ids, _ := got["identity"].([]any); len(ids) != 1 || ids[0] != "letmein" {
		t.Errorf("identitySource: %v", got["identity"])
	}
}
