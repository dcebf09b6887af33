package e2e

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/gatehouse-dev/gatehouse/internal/testenv"
)

func post(t *testing.T, url, target, body string, hdr map[string]string) (*http.Response, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	if target != "" {
		req.Header.Set("X-Amz-Target", target)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return resp, m
}

func TestUnknownOperation(t *testing.T) {
	s := testenv.Start(t, testenv.WithMemory())
	resp, body := post(t, s.URL+"/", "AWSCognitoIdentityProviderService.NoSuchThing", "{}", nil)
	if resp.StatusCode != 400 || body["__type"] != "UnknownOperationException" {
		t.Fatalf("status %d body %v", resp.StatusCode, body)
	}
	if resp.Header.Get("x-amzn-RequestId") == "" || !strings.HasPrefix(resp.Header.Get("x-amzn-ErrorType"), "UnknownOperationException") {
		t.Fatalf("headers %v", resp.Header)
	}
}

func TestMalformedBodies(t *testing.T) {
	s := testenv.Start(t, testenv.WithMemory())
	for _, body := range []string{"{", `{"PoolName": 5}`, `[]`, `{"PoolName":"x","Policies":"nope"}`, "\x00\x01"} {
		resp, m := post(t, s.URL+"/", "AWSCognitoIdentityProviderService.CreateUserPool", body, nil)
		if resp.StatusCode != 400 || m["__type"] != "SerializationException" {
			t.Errorf("body %q: status %d, %v", body, resp.StatusCode, m)
		}
	}
	// An empty body is {} (and then fails validation for the required member).
	resp, m := post(t, s.URL+"/", "AWSCognitoIdentityProviderService.CreateUserPool", "", nil)
	if resp.StatusCode != 400 || m["__type"] != "InvalidParameterException" ||
		m["message"] != "1 validation error detected: Value null at 'poolName' failed to satisfy constraint: Member must not be null" {
		t.Fatalf("empty body: %d %v", resp.StatusCode, m)
	}
}

func TestCORSPreflight(t *testing.T) {
	s := testenv.Start(t, testenv.WithMemory())
	req, _ := http.NewRequest(http.MethodOptions, s.URL+"/", nil)
	req.Header.Set("Origin", "http://localhost:3000")
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "content-type,x-amz-target,x-amz-user-agent")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(resp.Header.Get("Access-Control-Allow-Headers"), "x-amz-target") ||
		!strings.Contains(resp.Header.Get("Access-Control-Allow-Methods"), "POST") {
		t.Fatalf("preflight: %d %v", resp.StatusCode, resp.Header)
	}
	r2, _ := post(t, s.URL+"/", "AWSCognitoIdentityProviderService.ListUserPools", `{"MaxResults":1}`, map[string]string{"Origin": "http://localhost:3000"})
	if r2.Header.Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(r2.Header.Get("Access-Control-Expose-Headers"), "x-amzn-RequestId") {
		t.Fatalf("cors headers on response: %v", r2.Header)
	}
}

// TestSigV4 checks --auth sigv4: admin operations need a valid signature, while the
// operations AWS serves anonymously (SignUp, ConfirmSignUp, …) work unsigned.
func TestSigV4(t *testing.T) {
	s := testenv.Start(t, testenv.WithSigV4())
	ctx := testenv.Ctx(t)
	signed := s.Cognito()
	pool, err := signed.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("signed")})
	if err != nil {
		t.Fatalf("signed call: %v", err)
	}
	client, err := signed.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: pool.UserPool.Id, ClientName: aws.String("c")})
	if err != nil {
		t.Fatal(err)
	}

	anon := s.Cognito(func(o *cip.Options) { o.Credentials = aws.AnonymousCredentials{} })
	_, err = anon.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)})
	testenv.WantError(t, err, "MissingAuthenticationTokenException", "Request is missing Authentication Token")
	if _, err := anon.SignUp(ctx, &cip.SignUpInput{ClientId: client.UserPoolClient.ClientId, Username: aws.String("u1"),
		Password: aws.String("Passw0rd!")}); err != nil {
		t.Fatalf("anonymous SignUp: %v", err)
	}

	wrongSecret := s.Cognito(func(o *cip.Options) {
		o.Credentials = aws.NewCredentialsCache(staticCreds{s.AccessKey, "wrong-secret"})
	})
	_, err = wrongSecret.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)})
	if code, _ := testenv.APIError(t, err); code != "InvalidSignatureException" {
		t.Fatalf("wrong secret: %v", err)
	}
	unknownKey := s.Cognito(func(o *cip.Options) {
		o.Credentials = aws.NewCredentialsCache(staticCreds{"AKIDUNKNOWN", "x"})
	})
	_, err = unknownKey.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)})
	testenv.WantError(t, err, "UnrecognizedClientException", "The security token included in the request is invalid.")

	// Development endpoints are off under sigv4.
	resp, err := http.Get(s.URL + "/_gatehouse/messages")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("dev endpoint under sigv4: %d", resp.StatusCode)
	}
}

type staticCreds struct{ id, secret string }

func (c staticCreds) Retrieve(context.Context) (aws.Credentials, error) {
	return aws.Credentials{AccessKeyID: c.id, SecretAccessKey: c.secret, Source: "test"}, nil
}

func TestDevEndpoints(t *testing.T) {
	s := testenv.Start(t)
	ctx := testenv.Ctx(t)
	c := s.Cognito()
	if _, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("p")}); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(s.URL + "/_gatehouse/health")
	if err != nil {
		t.Fatal(err)
	}
	var h map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&h)
	resp.Body.Close()
	if resp.StatusCode != 200 || h["status"] != "ok" || h["storage"] != "sqlite" {
		t.Fatalf("health: %d %v", resp.StatusCode, h)
	}
	resp, err = http.Post(s.URL+"/_gatehouse/reset", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	out, err := c.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(60)})
	if err != nil || len(out.UserPools) != 0 {
		t.Fatalf("after reset: %v %v", out, err)
	}
	// The server keeps working after a reset (the master-key check survives it).
	if _, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("again"),
		MfaConfiguration: types.UserPoolMfaTypeOff}); err != nil {
		t.Fatal(err)
	}
	resp, err = http.Get(s.URL + "/_gatehouse/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), `gatehouse_http_requests_total{code="200",operation="CreateUserPool",service="cognito-idp"}`) {
		t.Fatalf("metrics missing request counter:\n%s", b)
	}
}

// TestMemberNamesAreCaseSensitive: AWS matches member names exactly; a differently-cased
// duplicate must neither override the validated value nor smuggle an unvalidated one.
func TestMemberNamesAreCaseSensitive(t *testing.T) {
	s := testenv.Start(t, testenv.WithMemory())
	resp, body := post(t, s.URL+"/", "AWSCognitoIdentityProviderService.ListUserPools", `{"MaxResults":10,"maxResults":0}`, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("ListUserPools with a miscased duplicate: %d %v", resp.StatusCode, body)
	}
	_, body = post(t, s.URL+"/", "AWSCognitoIdentityProviderService.CreateUserPool", `{"PoolName":"p"}`, nil)
	pid := body["UserPool"].(map[string]any)["Id"].(string)
	resp, body = post(t, s.URL+"/", "AWSCognitoIdentityProviderService.AdminCreateUser",
		`{"UserPoolId":"`+pid+`","Username":"ok","USERNAME":"bad\u0000name","MessageAction":"SUPPRESS"}`, nil)
	if resp.StatusCode != 200 || body["User"].(map[string]any)["Username"] != "ok" {
		t.Fatalf("AdminCreateUser with a miscased duplicate: %d %v", resp.StatusCode, body)
	}
	// A miscased member alone is unknown, so the required member is missing.
	resp, body = post(t, s.URL+"/", "AWSCognitoIdentityProviderService.DescribeUserPool", `{"userPoolId":"`+pid+`"}`, nil)
	if resp.StatusCode != 400 || body["__type"] != "InvalidParameterException" {
		t.Fatalf("miscased required member: %d %v", resp.StatusCode, body)
	}
}

// TestDevEndpointsRefuseWebPages: pages on other origins cannot read codes or wipe state, and
// DNS-rebinding Host names are refused.
func TestDevEndpointsRefuseWebPages(t *testing.T) {
	s := testenv.Start(t, testenv.WithMemory())
	try := func(method, path string, hdr map[string]string) *http.Response {
		req, _ := http.NewRequest(method, s.URL+path, nil)
		for k, v := range hdr {
			if k == "Host" {
				req.Host = v
				continue
			}
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if r := try("GET", "/_gatehouse/messages", map[string]string{"Origin": "https://evil.example"}); r.StatusCode != 403 || r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("cross-origin read: %d %v", r.StatusCode, r.Header)
	}
	if r := try("POST", "/_gatehouse/reset", map[string]string{"Sec-Fetch-Site": "cross-site"}); r.StatusCode != 403 {
		t.Fatalf("cross-site reset: %d", r.StatusCode)
	}
	if r := try("GET", "/_gatehouse/messages", map[string]string{"Host": "attacker.example:4566"}); r.StatusCode != 403 {
		t.Fatalf("rebinding host: %d", r.StatusCode)
	}
	if r := try("GET", "/_gatehouse/messages", nil); r.StatusCode != 200 {
		t.Fatalf("local read: %d", r.StatusCode)
	}
}
