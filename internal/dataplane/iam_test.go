package dataplane

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/gatehouse-dev/gatehouse/internal/gateway"
	"github.com/gatehouse-dev/gatehouse/internal/sigv4"
)

var testKey = aws.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}

// signed builds a request to the API signed by the AWS SDK's SigV4 signer (service
// execute-api); tamper may change it after signing.
func (e *env) signed(creds aws.Credentials, service, method, p, body string, tamper func(*http.Request)) *http.Request {
	e.t.Helper()
	r := httptest.NewRequest(method, "http://"+e.api+".execute-api.localhost:4566"+p, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	sum := sha256.Sum256([]byte(body))
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, hex.EncodeToString(sum[:]), service, testRegion, e.clock.now()); err != nil {
		e.t.Fatal(err)
	}
	if tamper != nil {
		tamper(r)
	}
	return r
}

func (e *env) serve(r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w
}

func TestIAMAuthorization(t *testing.T) {
	e := newEnv(t)
	e.h.Credentials = sigv4.StaticStore{testKey.AccessKeyID: {AccessKeyID: testKey.AccessKeyID, SecretAccessKey: testKey.SecretAccessKey}}
	integ := e.lambdaIntegration("app", "2.0", func(in *gateway.IntegrationInput) {
		in.RequestParameters = map[string]string{"overwrite:header.x-caller": "$context.identity.userArn"}
	})
	e.route("POST /items", integ, "AWS_IAM", "")
	e.route("GET /v1", e.lambdaIntegration("old", "1.0", nil), "AWS_IAM", "")

	w := e.serve(e.signed(testKey, "execute-api", "POST", "/items?a=1", `{"n":1}`, nil))
	if w.Code != 200 {
		t.Fatalf("signed: %d %s", w.Code, w.Body)
	}
	_, ev := e.fake.last(t, ":app")
	want := map[string]any{"accessKey": testKey.AccessKeyID, "accountId": testAccount, "callerId": testAccount, "cognitoIdentity": nil,
		"principalOrgId": nil, "userArn": "arn:aws:iam::123456789012:root", "userId": testAccount}
	got, _ := path(ev, "requestContext", "authorizer", "iam").(map[string]any)
	for k, v := range want {
		if val, ok := got[k]; !ok || val != v {
			t.Errorf("iam.%s = %v (present %v), want %v", k, val, ok, v)
		}
	}
	if ev["body"] != `{"n":1}` || path(ev, "headers", "x-caller") != "arn:aws:iam::123456789012:root" {
		t.Errorf("event: body %v, x-caller %v", ev["body"], path(ev, "headers", "x-caller"))
	}

	if w := e.serve(e.signed(testKey, "execute-api", "GET", "/v1", "", nil)); w.Code != 200 {
		t.Fatalf("signed 1.0: %d %s", w.Code, w.Body)
	}
	_, ev = e.fake.last(t, ":old")
	if path(ev, "requestContext", "identity", "accessKey") != testKey.AccessKeyID || path(ev, "requestContext", "identity", "userArn") != "arn:aws:iam::123456789012:root" ||
		path(ev, "requestContext", "identity", "accountId") != testAccount {
		t.Errorf("1.0 identity: %v", path(ev, "requestContext", "identity"))
	}

	before := e.fake.count(":app")
	for _, c := range []struct {
		name string
		r    *http.Request
		typ  string
		msg  string
	}{
		{"unsigned", httptest.NewRequest("POST", "http://"+e.api+".execute-api.localhost:4566/items", strings.NewReader("{}")),
			"MissingAuthenticationTokenException", "Missing Authentication Token"},
		{"tampered body", e.signed(testKey, "execute-api", "POST", "/items", `{"n":1}`, func(r *http.Request) {
			r.Body = io.NopCloser(strings.NewReader(`{"n":2}`))
		}), "InvalidSignatureException", "The request signature we calculated does not match"},
		{"tampered query", e.signed(testKey, "execute-api", "POST", "/items?a=1", ``, func(r *http.Request) { r.URL.RawQuery = "a=2" }),
			"InvalidSignatureException", "The request signature we calculated does not match"},
		{"wrong secret", e.signed(aws.Credentials{AccessKeyID: testKey.AccessKeyID, SecretAccessKey: "nope"}, "execute-api", "POST", "/items", ``, nil),
			"InvalidSignatureException", "The request signature we calculated does not match"},
		{"unknown key", e.signed(aws.Credentials{AccessKeyID: "AKIAUNKNOWN", SecretAccessKey: "x"}, "execute-api", "POST", "/items", ``, nil),
			"UnrecognizedClientException", "The security token included in the request is invalid."},
		{"other service", e.signed(testKey, "lambda", "POST", "/items", ``, nil), "InvalidSignatureException", "Credential should be scoped to correct service: 'execute-api'."},
	} {
		w := e.serve(c.r)
		if w.Code != 403 || w.Header().Get("x-amzn-ErrorType") != c.typ || !strings.Contains(w.Body.String(), `{"message":"`+c.msg) {
			t.Errorf("%s: %d %v %s", c.name, w.Code, w.Header().Get("x-amzn-ErrorType"), w.Body)
		}
	}
	r := e.signed(testKey, "execute-api", "POST", "/items", ``, nil)
	e.clock.advance(6 * time.Minute)
	if w := e.serve(r); w.Code != 403 || !strings.Contains(w.Body.String(), "Signature expired") || !strings.Contains(w.Body.String(), "- 5 min.") {
		t.Errorf("expired: %d %s", w.Code, w.Body)
	}
	if e.fake.count(":app") != before {
		t.Error("a rejected request reached the integration")
	}

	// A presigned URL works too.
	r = httptest.NewRequest("GET", "http://"+e.api+".execute-api.localhost:4566/v1", nil)
	q := r.URL.Query()
	q.Set("X-Amz-Expires", "300")
	r.URL.RawQuery = q.Encode()
	u, _, err := v4.NewSigner().PresignHTTP(context.Background(), testKey, r, hex.EncodeToString(sha256.New().Sum(nil)), "execute-api", testRegion, e.clock.now())
	if err != nil {
		t.Fatal(err)
	}
	if w := e.serve(httptest.NewRequest("GET", u, nil)); w.Code != 200 {
		t.Errorf("presigned: %d %s", w.Code, w.Body)
	}
}

// TestIAMOpen: without access keys (--auth open) any well-formed signature is accepted, and an
// unsigned or malformed one is not.
func TestIAMOpen(t *testing.T) {
	e := newEnv(t)
	e.route("GET /items", e.lambdaIntegration("app", "2.0", nil), "AWS_IAM", "")
	anyone := aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}
	if w := e.serve(e.signed(anyone, "execute-api", "GET", "/items", "", nil)); w.Code != 200 {
		t.Fatalf("any key: %d %s", w.Code, w.Body)
	}
	_, ev := e.fake.last(t, ":app")
	if path(ev, "requestContext", "authorizer", "iam", "accessKey") != "test" || path(ev, "requestContext", "authorizer", "iam", "accountId") != testAccount {
		t.Errorf("iam: %v", path(ev, "requestContext", "authorizer", "iam"))
	}
	for name, r := range map[string]*http.Request{
		"unsigned":      httptest.NewRequest("GET", "http://"+e.api+".execute-api.localhost:4566/items", nil),
		"other service": e.signed(anyone, "s3", "GET", "/items", "", nil),
		"other region": e.signed(anyone, "execute-api", "GET", "/items", "", func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "/us-east-1/", "/eu-west-1/", 1))
		}),
		"no signature": e.signed(anyone, "execute-api", "GET", "/items", "", func(r *http.Request) {
			r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260312/us-east-1/execute-api/aws4_request, SignedHeaders=host")
		}),
	} {
		if w := e.serve(r); w.Code != 403 {
			t.Errorf("%s: %d %s", name, w.Code, w.Body)
		}
	}
}

// TestIAMProxyBody: the body read to check the signature still reaches an HTTP integration.
func TestIAMProxyBody(t *testing.T) {
	e := newEnv(t)
	var got string
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got = string(b)
	}))
	defer backend.Close()
	integ, err := e.gw.CreateIntegration(e.ctx, &gateway.IntegrationInput{ApiId: e.api, IntegrationType: str("HTTP_PROXY"),
		IntegrationMethod: str("ANY"), IntegrationUri: str(backend.URL), PayloadFormatVersion: str("1.0")})
	e.must(err)
	e.route("POST /p", integ.IntegrationId, "AWS_IAM", "")
	if w := e.serve(e.signed(testKey, "execute-api", "POST", "/p", `{"big":"body"}`, nil)); w.Code != 200 || got != `{"big":"body"}` {
		t.Errorf("%d %s; backend got %q", w.Code, w.Body, got)
	}
}
