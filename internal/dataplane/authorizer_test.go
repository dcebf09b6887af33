package dataplane

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/gateway"
	"github.com/gatehouse-dev/gatehouse/internal/lambda"
)

// policy returns an authorizer's policy response with statements of effect and resource.
func policy(principal string, context string, stmts ...[2]string) string {
	var list []string
	for _, s := range stmts {
		list = append(list, `{"Action":"execute-api:Invoke","Effect":"`+s[0]+`","Resource":"`+s[1]+`"}`)
	}
	out := `{"principalId":"` + principal + `","policyDocument":{"Version":"2012-10-17","Statement":[` + strings.Join(list, ",") + `]}`
	if context != "" {
		out += `,"context":` + context
	}
	return out + "}"
}

// authEnv is an API with an integration "app" behind routes guarded by an authorizer "auth"
// whose answer is authReply.
type authEnv struct {
	*env
	integ     string
	authID    string
	authReply func(ev map[string]any) (*lambda.InvokeOutput, error)
}

func newAuthEnv(t *testing.T, version string, simple bool, ttl int, sources ...string) *authEnv {
	e := &authEnv{env: newEnv(t)}
	e.integ = e.lambdaIntegration("app", "2.0", nil)
	e.authID = e.lambdaAuthorizer("auth", version, simple, ttl, sources...)
	e.fake.reply = func(_ context.Context, in lambda.InvokeInput) (*lambda.InvokeOutput, error) {
		if strings.HasSuffix(in.Function, ":auth") {
			var ev map[string]any
			_ = json.Unmarshal(in.Payload, &ev)
			return e.authReply(ev)
		}
		return ok(`{"statusCode":200,"body":"app"}`), nil
	}
	return e
}

func (e *authEnv) arn(rest string) string {
	return "arn:aws:execute-api:us-east-1:123456789012:" + e.api + "/" + rest
}

func bearer(tok string) http.Header { return http.Header{"Authorization": {tok}} }

func TestLambdaAuthorizerSimple(t *testing.T) {
	e := newAuthEnv(t, "2.0", true, 0, "$request.header.Authorization")
	e.route("GET /pets/{id}", e.integ, "CUSTOM", e.authID)
	e.authReply = func(ev map[string]any) (*lambda.InvokeOutput, error) {
		allow := path(ev, "headers", "authorization") == "secretToken"
		return ok(`{"isAuthorized":` + map[bool]string{true: "true", false: "false"}[allow] +
			`,"context":{"stringKey":"value","numberKey":1,"booleanKey":true,"arrayKey":["value1","value2"],"mapKey":{"value1":"value2"}}}`), nil
	}
	w := e.do("GET", "/pets/1", bearer("secretToken"), "")
	if w.Code != 200 || w.Body.String() != "app" {
		t.Fatalf("allowed: %d %s", w.Code, w.Body)
	}
	_, app := e.fake.last(t, ":app")
	lam := path(app, "requestContext", "authorizer", "lambda")
	if path(lam, "stringKey") != "value" || path(lam, "numberKey") != 1.0 || path(lam, "mapKey", "value1") != "value2" ||
		path(app, "requestContext", "authorizer", "jwt") != nil {
		t.Errorf("integration's authorizer: %v", path(app, "requestContext", "authorizer"))
	}
	in, ev := e.fake.last(t, ":auth")
	if ev["version"] != "2.0" || ev["type"] != "REQUEST" || ev["routeArn"] != e.arn("$default/GET/pets/1") ||
		len(ev["identitySource"].([]any)) != 1 || ev["identitySource"].([]any)[0] != "secretToken" ||
		ev["routeKey"] != "GET /pets/{id}" || path(ev, "pathParameters", "id") != "1" || ev["body"] != nil {
		t.Errorf("2.0 authorizer event: %v", ev)
	}
	if in.SourceArn != e.arn("authorizers/"+e.authID) || in.Principal != "apigateway.amazonaws.com" ||
		in.Function != fnArn+"auth" || in.SourceAccount != testAccount {
		t.Errorf("authorizer invocation: %+v", in)
	}
	if w := e.do("GET", "/pets/1", bearer("wrong"), ""); w.Code != 403 || w.Body.String() != bodyForbidden {
		t.Errorf("denied: %d %s", w.Code, w.Body)
	}
}

func TestLambdaAuthorizerPolicy(t *testing.T) {
	for _, version := range []string{"1.0", "2.0"} {
		t.Run(version, func(t *testing.T) {
			e := newAuthEnv(t, version, false, 0, "$request.header.Authorization")
			e.route("GET /pets/{id}", e.integ, "CUSTOM", e.authID)
			e.route("POST /pets", e.integ, "CUSTOM", e.authID)
			cases := []struct {
				name  string
				reply string
				req   [2]string // method and path
				code  int
			}{
				{"allow the route", policy("u1", "", [2]string{"Allow", e.arn("$default/GET/pets/7")}), [2]string{"GET", "/pets/7"}, 200},
				{"allow another route only", policy("u1", "", [2]string{"Allow", e.arn("$default/GET/pets/8")}), [2]string{"GET", "/pets/7"}, 403},
				{"star", policy("u1", "", [2]string{"Allow", e.arn("*/GET/pets/*")}), [2]string{"GET", "/pets/7"}, 200},
				{"star spans slashes", policy("u1", "", [2]string{"Allow", e.arn("*")}), [2]string{"POST", "/pets"}, 200},
				{"question mark", policy("u1", "", [2]string{"Allow", e.arn("$default/GET/pets/?")}), [2]string{"GET", "/pets/7"}, 200},
				{"question mark is one character", policy("u1", "", [2]string{"Allow", e.arn("$default/GET/pets/?")}), [2]string{"GET", "/pets/77"}, 403},
				{"explicit deny wins", policy("u1", "", [2]string{"Allow", "*"}, [2]string{"Deny", e.arn("*/POST/*")}), [2]string{"POST", "/pets"}, 403},
				{"deny elsewhere", policy("u1", "", [2]string{"Allow", "*"}, [2]string{"Deny", e.arn("*/POST/*")}), [2]string{"GET", "/pets/1"}, 200},
				{"deny only", policy("u1", "", [2]string{"Deny", e.arn("*")}), [2]string{"GET", "/pets/1"}, 403},
				{"other action", `{"principalId":"u","policyDocument":{"Statement":{"Action":"execute-api:ManageConnections","Effect":"Allow","Resource":"*"}}}`,
					[2]string{"GET", "/pets/1"}, 403},
				{"action wildcard, one statement object", `{"principalId":"u","policyDocument":{"Statement":{"Action":["execute-api:*"],"Effect":"Allow","Resource":["*"]}}}`,
					[2]string{"GET", "/pets/1"}, 200},
				{"NotResource", `{"principalId":"u","policyDocument":{"Statement":[{"Action":"*","Effect":"Allow","NotResource":"` + e.arn("*/POST/*") + `"}]}}`,
					[2]string{"POST", "/pets"}, 403},
				{"conditional allow does not allow", `{"principalId":"u","policyDocument":{"Statement":[{"Action":"*","Effect":"Allow","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}}`,
					[2]string{"GET", "/pets/1"}, 403},
				{"simple response without simple responses", `{"isAuthorized":true}`, [2]string{"GET", "/pets/1"}, 500},
				{"no policy", `{"principalId":"u"}`, [2]string{"GET", "/pets/1"}, 500},
				{"empty statement", `{"principalId":"u","policyDocument":{"Statement":[]}}`, [2]string{"GET", "/pets/1"}, 500},
				{"bad effect", `{"principalId":"u","policyDocument":{"Statement":[{"Action":"*","Effect":"Maybe","Resource":"*"}]}}`, [2]string{"GET", "/pets/1"}, 500},
				{"not JSON", `allow`, [2]string{"GET", "/pets/1"}, 500},
				{"over 8 KB", policy("u1", `{"pad":"`+strings.Repeat("x", 8<<10)+`"}`, [2]string{"Allow", "*"}), [2]string{"GET", "/pets/1"}, 500},
			}
			for _, c := range cases {
				e.authReply = func(map[string]any) (*lambda.InvokeOutput, error) { return ok(c.reply), nil }
				w := e.do(c.req[0], c.req[1], bearer("tok"), "")
				if w.Code != c.code {
					t.Errorf("%s: %d %s; want %d", c.name, w.Code, w.Body, c.code)
				}
			}
			_, ev := e.fake.last(t, ":auth")
			if version == "1.0" {
				if ev["version"] != "1.0" || ev["type"] != "REQUEST" || ev["methodArn"] != e.arn("$default/GET/pets/1") ||
					ev["identitySource"] != "tok" || ev["authorizationToken"] != "tok" || ev["resource"] != "/pets/{id}" ||
					path(ev, "headers", "Authorization") != "tok" || path(ev, "requestContext", "identity", "sourceIp") != "192.0.2.1" ||
					path(ev, "pathParameters", "id") != "1" {
					t.Errorf("1.0 authorizer event: %v", ev)
				}
			}
		})
	}
}

// TestLambdaAuthorizerContext: the context and principalId reach the integration of either
// payload format, parameter mapping and the access log.
func TestLambdaAuthorizerContext(t *testing.T) {
	e := newAuthEnv(t, "1.0", false, 0, "$request.header.Authorization")
	v1 := e.lambdaIntegration("old", "1.0", func(in *gateway.IntegrationInput) {
		in.RequestParameters = map[string]string{"overwrite:header.x-user": "$context.authorizer.principalId",
			"overwrite:header.x-tier": "$context.authorizer.tier", "overwrite:header.x-n": "$context.authorizer.n"}
	})
	e.route("GET /v1", v1, "CUSTOM", e.authID)
	e.route("GET /v2", e.integ, "CUSTOM", e.authID)
	e.authReply = func(map[string]any) (*lambda.InvokeOutput, error) {
		return ok(policy("user-7", `{"tier":"gold","n":3}`, [2]string{"Allow", "*"})), nil
	}
	if w := e.do("GET", "/v1", bearer("t"), ""); w.Code != 200 {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	_, ev := e.fake.last(t, ":old")
	if path(ev, "requestContext", "authorizer", "tier") != "gold" || path(ev, "requestContext", "authorizer", "principalId") != "user-7" ||
		path(ev, "requestContext", "authorizer", "n") != 3.0 {
		t.Errorf("1.0 integration's authorizer: %v", path(ev, "requestContext", "authorizer"))
	}
	if path(ev, "headers", "X-User") != "user-7" || path(ev, "headers", "X-Tier") != "gold" || path(ev, "headers", "X-N") != "3" {
		t.Errorf("$context.authorizer mappings: %v", ev["headers"])
	}
	e.do("GET", "/v2", bearer("t"), "")
	_, ev = e.fake.last(t, ":app")
	if lam := path(ev, "requestContext", "authorizer", "lambda"); path(lam, "tier") != "gold" || path(lam, "principalId") != nil {
		t.Errorf("2.0 integration's authorizer: %v", lam)
	}

	req := &request{r: e.h.testRequest(), authz: &authContext{principalID: "p", context: map[string][]byte{"k": []byte(`"v"`), "o": []byte(`{"a":1}`)}}}
	if got := e.h.render(req, `$context.authorizer.principalId $context.authorizer.k $context.authorizer.o $context.authorizer.none`); got != `p v {"a":1} -` {
		t.Errorf("access log: %q", got)
	}
}

func (h *Handler) testRequest() *http.Request {
	r, _ := http.NewRequest("GET", "http://x.execute-api.localhost/", nil)
	return r
}

func TestLambdaAuthorizerIdentitySources(t *testing.T) {
	e := newAuthEnv(t, "2.0", true, 0, "$request.header.X-Token", "$request.querystring.user", "$context.httpMethod", "$stageVariables.env")
	e.stage("dev", map[string]string{"env": "test"})
	e.route("GET /s", e.integ, "CUSTOM", e.authID)
	e.authReply = func(map[string]any) (*lambda.InvokeOutput, error) { return ok(`{"isAuthorized":true}`), nil }
	for _, c := range []struct {
		name, path string
		hdr        http.Header
		code       int
	}{
		{"all present", "/dev/s?user=ann", http.Header{"X-Token": {"t"}}, 200},
		{"header case-insensitive", "/dev/s?user=ann", http.Header{"x-token": {"t"}}, 200},
		{"no header", "/dev/s?user=ann", nil, 401},
		{"empty header", "/dev/s?user=ann", http.Header{"X-Token": {""}}, 401},
		{"query string case-sensitive", "/dev/s?User=ann", http.Header{"X-Token": {"t"}}, 401},
		{"no stage variable", "/s?user=ann", http.Header{"X-Token": {"t"}}, 401},
	} {
		before := e.fake.count(":auth")
		w := e.do("GET", c.path, c.hdr, "")
		if w.Code != c.code {
			t.Errorf("%s: %d %s", c.name, w.Code, w.Body)
		}
		if c.code == 401 && (w.Body.String() != bodyUnauthorized || e.fake.count(":auth") != before) {
			t.Errorf("%s: %s, invoked %v", c.name, w.Body, e.fake.count(":auth") != before)
		}
	}
	_, ev := e.fake.last(t, ":auth")
	if ids, _ := ev["identitySource"].([]any); len(ids) != 4 || ids[0] != "t" || ids[1] != "ann" || ids[2] != "GET" || ids[3] != "test" {
		t.Errorf("identitySource = %v", ev["identitySource"])
	}

	// Without identity sources (and so without caching), every request invokes the authorizer.
	e2 := newAuthEnv(t, "2.0", true, 0)
	e2.route("GET /o", e2.integ, "CUSTOM", e2.authID)
	e2.authReply = func(map[string]any) (*lambda.InvokeOutput, error) { return ok(`{"isAuthorized":true}`), nil }
	for range 3 {
		if w := e2.do("GET", "/o", nil, ""); w.Code != 200 {
			t.Fatalf("no identity sources: %d %s", w.Code, w.Body)
		}
	}
	if n := e2.fake.count(":auth"); n != 3 {
		t.Errorf("no identity sources: %d invocations, want 3", n)
	}
}

func TestLambdaAuthorizerCache(t *testing.T) {
	e := newAuthEnv(t, "2.0", false, 300, "$request.header.Authorization")
	e.route("GET /pets/{id}", e.integ, "CUSTOM", e.authID)
	e.route("POST /pets", e.integ, "CUSTOM", e.authID)
	fail := false
	e.authReply = func(ev map[string]any) (*lambda.InvokeOutput, error) {
		if fail {
			return &lambda.InvokeOutput{StatusCode: 200, FunctionError: lambda.Unhandled, Payload: []byte(`{}`)}, nil
		}
		return ok(policy("u", "", [2]string{"Allow", e.arn("*/GET/pets/*")})), nil
	}
	calls := func() int { return e.fake.count(":auth") }
	expect := func(method, p, tok string, code, invocations int) {
		t.Helper()
		if w := e.do(method, p, bearer(tok), ""); w.Code != code {
			t.Errorf("%s %s with %s: %d %s; want %d", method, p, tok, w.Code, w.Body, code)
		}
		if calls() != invocations {
			t.Errorf("%s %s with %s: %d invocations, want %d", method, p, tok, calls(), invocations)
		}
	}
	expect("GET", "/pets/1", "a", 200, 1)
	expect("GET", "/pets/2", "a", 200, 1) // cached, and the cached policy allows this route too
	expect("POST", "/pets", "a", 403, 1)  // cached policy, evaluated against this route: deny
	expect("GET", "/pets/1", "b", 200, 2) // another identity
	e.clock.advance(299 * time.Second)    //
	expect("GET", "/pets/1", "a", 200, 2) // still cached
	e.clock.advance(2 * time.Second)      //
	expect("GET", "/pets/1", "a", 200, 3) // expired
	fail = true                           //
	expect("GET", "/pets/1", "c", 500, 4) // a failure ...
	expect("GET", "/pets/1", "c", 500, 5) // ... is not cached
	fail = false                          //
	expect("GET", "/pets/1", "c", 200, 6) //
	expect("GET", "/pets/1", "c", 200, 6) //
	e.must(e.gw.ResetAuthorizersCache(e.ctx, e.api, "$default"))
	expect("GET", "/pets/1", "c", 200, 7) // flushed
	expect("GET", "/pets/1", "a", 200, 8)
}

func TestLambdaAuthorizerFailures(t *testing.T) {
	e := newAuthEnv(t, "2.0", true, 0, "$request.header.Authorization")
	e.route("GET /f", e.integ, "CUSTOM", e.authID)
	for _, c := range []struct {
		name  string
		reply func(ctx context.Context) (*lambda.InvokeOutput, error)
	}{
		{"timeout", func(ctx context.Context) (*lambda.InvokeOutput, error) {
			if dl, ok := ctx.Deadline(); !ok || time.Until(dl) > authorizerTimeout {
				t.Errorf("authorizer deadline %v, %v", dl, ok)
			}
			return nil, context.DeadlineExceeded
		}},
		{"function error", func(context.Context) (*lambda.InvokeOutput, error) {
			return &lambda.InvokeOutput{FunctionError: lambda.Unhandled, Payload: []byte(`{"errorMessage":"x"}`)}, nil
		}},
		{"no isAuthorized", func(context.Context) (*lambda.InvokeOutput, error) { return ok(`{"context":{}}`), nil }},
		{"isAuthorized not a boolean", func(context.Context) (*lambda.InvokeOutput, error) { return ok(`{"isAuthorized":"true"}`), nil }},
		{"context not an object", func(context.Context) (*lambda.InvokeOutput, error) {
			return ok(`{"isAuthorized":true,"context":[1]}`), nil
		}},
	} {
		e.fake.reply = func(ctx context.Context, in lambda.InvokeInput) (*lambda.InvokeOutput, error) { return c.reply(ctx) }
		if w := e.do("GET", "/f", bearer("t"), ""); w.Code != 500 || w.Body.String() != bodyInternal {
			t.Errorf("%s: %d %s", c.name, w.Code, w.Body)
		}
	}
	e.h.Lambda = nil
	if w := e.do("GET", "/f", bearer("t"), ""); w.Code != 500 {
		t.Errorf("no invoker: %d", w.Code)
	}
}

func TestIdentityKey(t *testing.T) {
	if identityKey([]string{"a\x00b", "c"}) == identityKey([]string{"a", "b\x00c"}) || identityKey([]string{"ab", "c"}) == identityKey([]string{"a", "bc"}) {
		t.Error("different identity-source values share a cache key")
	}
}

func TestWildcard(t *testing.T) {
	for _, c := range []struct {
		p, s string
		want bool
	}{
		{"*", "", true}, {"*", "abc", true}, {"a*c", "abbbc", true}, {"a*c", "abbb", false}, {"a?c", "abc", true},
		{"a?c", "ac", false}, {"*/GET/*", "api/dev/GET/x/y", true}, {"a**b", "ab", true}, {"", "", true}, {"", "a", false},
		{"arn:*:b", "arn:x:y:b", true}, {"abc", "ABC", false},
	} {
		if got := wildcard(c.p, c.s); got != c.want {
			t.Errorf("wildcard(%q, %q) = %v", c.p, c.s, got)
		}
	}
}

func TestAuthCacheBounded(t *testing.T) {
	c := newAuthCache()
	now := time.Now()
	res := &authResult{simple: true, authorized: true, raw: []byte(strings.Repeat("x", 100))}
	for i := range maxAuthEntries + 50 {
		c.put(authKey{authorizer: "a", identity: strings.Repeat("k", i%7) + string(rune('a'+i%26)) + string(rune(i))}, res, now, time.Minute)
	}
	if len(c.m) > maxAuthEntries || c.bytes > maxAuthBytes {
		t.Errorf("%d entries, %d bytes", len(c.m), c.bytes)
	}
	total := 0
	for _, e := range c.m {
		total += e.size
	}
	if total != c.bytes {
		t.Errorf("accounted %d bytes, hold %d", c.bytes, total)
	}
	if c.get(authKey{authorizer: "a", identity: "zz"}, now) != nil {
		t.Error("hit on a missing key")
	}
}
