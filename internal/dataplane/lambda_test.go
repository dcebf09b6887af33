package dataplane

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/google/go-cmp/cmp"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/gateway"
	"github.com/gatehouse-dev/gatehouse/internal/gateway/route"
	"github.com/gatehouse-dev/gatehouse/internal/lambda"
)

// docRequest is the request of AWS's payload format examples ("Working with AWS Lambda proxy
// integrations for HTTP APIs"), sent to stage dev of route POST /my/{p}.
func docRequest(authType string) *request {
	r := httptest.NewRequest("POST", "http://abc123defg.execute-api.localhost:4566/dev/my/path?parameter1=value1&parameter1=value2&parameter2=value",
		strings.NewReader(""))
	r.Header.Set("Header1", "value1")
	r.Header.Add("Header2", "value1")
	r.Header.Add("Header2", "value2")
	r.Header.Set("Cookie", "cookie1; cookie2")
	r.Header.Set("User-Agent", "agent")
	r.RemoteAddr = "192.0.2.1:50000"
	return &request{r: r, id: "id", start: time.Date(2020, 3, 12, 19, 3, 58, 390e6, time.UTC),
		api:    &compiledAPI{id: "abc123defg"},
		stage:  &compiledStage{name: "dev", vars: map[string]string{"stageVariable1": "value1", "stageVariable2": "value2"}},
		route:  &compiledRoute{route: gateway.Route{RouteKey: "POST /my/{parameter1}", AuthorizationType: authType}},
		params: route.Params{{Name: "parameter1", Value: "path"}},
		path:   "/my/path",
	}
}

// TestEventV2Golden checks the 2.0 event against AWS's documented example: the same members,
// with values for this request, and a JWT authorizer's claims and scopes.
func TestEventV2Golden(t *testing.T) {
	h := &Handler{AccountID: "123456789012"}
	req := docRequest("JWT")
	req.claims, req.scopes = map[string]string{"claim1": "value1", "claim2": "value2"}, []string{"scope1", "scope2"}
	b, err := h.lambdaEvent(req, req.r, "2.0", []byte("Hello from Lambda"))
	if err != nil {
		t.Fatal(err)
	}
	want := `{
	  "version": "2.0",
	  "routeKey": "POST /my/{parameter1}",
	  "rawPath": "/dev/my/path",
	  "rawQueryString": "parameter1=value1&parameter1=value2&parameter2=value",
	  "cookies": ["cookie1", "cookie2"],
	  "headers": {"header1": "value1", "header2": "value1,value2", "user-agent": "agent",
	    "host": "abc123defg.execute-api.localhost:4566", "x-forwarded-for": "192.0.2.1",
	    "x-forwarded-port": "4566", "x-forwarded-proto": "http"},
	  "queryStringParameters": {"parameter1": "value1,value2", "parameter2": "value"},
	  "requestContext": {
	    "accountId": "123456789012",
	    "apiId": "abc123defg",
	    "authorizer": {"jwt": {"claims": {"claim1": "value1", "claim2": "value2"}, "scopes": ["scope1", "scope2"]}},
	    "domainName": "abc123defg.execute-api.localhost",
	    "domainPrefix": "abc123defg",
	    "http": {"method": "POST", "path": "/dev/my/path", "protocol": "HTTP/1.1", "sourceIp": "192.0.2.1", "userAgent": "agent"},
	    "requestId": "id",
	    "routeKey": "POST /my/{parameter1}",
	    "stage": "dev",
	    "time": "12/Mar/2020:19:03:58 +0000",
	    "timeEpoch": 1584039838390
	  },
	  "body": "Hello from Lambda",
	  "pathParameters": {"parameter1": "path"},
	  "isBase64Encoded": false,
	  "stageVariables": {"stageVariable1": "value1", "stageVariable2": "value2"}
	}`
	if d := cmp.Diff(jsonMap(t, []byte(want)), jsonMap(t, b)); d != "" {
		t.Errorf("2.0 event (-AWS +got):\n%s", d)
	}
	var ev events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(b, &ev); err != nil || ev.RequestContext.Authorizer.JWT.Claims["claim1"] != "value1" || ev.Body != "Hello from Lambda" {
		t.Errorf("aws-lambda-go reads %+v, %v", ev, err)
	}

	// Without a token's scopes, scopes is null; without a body, body is left out; without an
	// authorizer, so is requestContext.authorizer.
	req.scopes = nil
	b, _ = h.lambdaEvent(req, req.r, "2.0", nil)
	m := jsonMap(t, b)
	if s, ok := path(m, "requestContext", "authorizer", "jwt").(map[string]any)["scopes"]; !ok || s != nil {
		t.Errorf("scopes = %v, %v; want null", s, ok)
	}
	if _, ok := m["body"]; ok || m["isBase64Encoded"] != false {
		t.Errorf("empty body: %s", b)
	}
	req = docRequest("NONE")
	req.r.Header.Del("Cookie")
	req.r.URL.RawQuery = ""
	b, _ = h.lambdaEvent(req, req.r, "2.0", nil)
	m = jsonMap(t, b)
	for _, k := range []string{"cookies", "queryStringParameters"} {
		if _, ok := m[k]; ok {
			t.Errorf("%s present without any: %s", k, b)
		}
	}
	for _, k := range []string{"authorizer", "authentication"} {
		if _, ok := m["requestContext"].(map[string]any)[k]; ok {
			t.Errorf("requestContext.%s present: %s", k, b)
		}
	}
}

// TestEventV1Golden checks the 1.0 event against AWS's documented example.
func TestEventV1Golden(t *testing.T) {
	h := &Handler{AccountID: "123456789012"}
	req := docRequest("NONE")
	b, err := h.lambdaEvent(req, req.r, "1.0", []byte("Hello from Lambda!"))
	if err != nil {
		t.Fatal(err)
	}
	want := `{
	  "version": "1.0",
	  "resource": "/my/{parameter1}",
	  "path": "/dev/my/path",
	  "httpMethod": "POST",
	  "headers": {"Header1": "value1", "Header2": "value2", "Cookie": "cookie1; cookie2", "User-Agent": "agent",
	    "Host": "abc123defg.execute-api.localhost:4566", "X-Forwarded-For": "192.0.2.1", "X-Forwarded-Port": "4566",
	    "X-Forwarded-Proto": "http"},
	  "multiValueHeaders": {"Header1": ["value1"], "Header2": ["value1", "value2"], "Cookie": ["cookie1; cookie2"],
	    "User-Agent": ["agent"], "Host": ["abc123defg.execute-api.localhost:4566"], "X-Forwarded-For": ["192.0.2.1"],
	    "X-Forwarded-Port": ["4566"], "X-Forwarded-Proto": ["http"]},
	  "queryStringParameters": {"parameter1": "value2", "parameter2": "value"},
	  "multiValueQueryStringParameters": {"parameter1": ["value1", "value2"], "parameter2": ["value"]},
	  "requestContext": {
	    "accountId": "123456789012",
	    "apiId": "abc123defg",
	    "authorizer": {"claims": null, "scopes": null},
	    "domainName": "abc123defg.execute-api.localhost",
	    "domainPrefix": "abc123defg",
	    "extendedRequestId": "id",
	    "httpMethod": "POST",
	    "identity": {"accessKey": null, "accountId": null, "caller": null, "cognitoAuthenticationProvider": null,
	      "cognitoAuthenticationType": null, "cognitoIdentityId": null, "cognitoIdentityPoolId": null,
	      "principalOrgId": null, "sourceIp": "192.0.2.1", "user": null, "userAgent": "agent", "userArn": null},
	    "path": "/dev/my/path",
	    "protocol": "HTTP/1.1",
	    "requestId": "id",
	    "requestTime": "12/Mar/2020:19:03:58 +0000",
	    "requestTimeEpoch": 1584039838390,
	    "resourceId": null,
	    "resourcePath": "/my/{parameter1}",
	    "stage": "dev"
	  },
	  "pathParameters": {"parameter1": "path"},
	  "stageVariables": {"stageVariable1": "value1", "stageVariable2": "value2"},
	  "body": "Hello from Lambda!",
	  "isBase64Encoded": false
	}`
	if d := cmp.Diff(jsonMap(t, []byte(want)), jsonMap(t, b)); d != "" {
		t.Errorf("1.0 event (-AWS +got):\n%s", d)
	}
	var ev events.APIGatewayProxyRequest
	if err := json.Unmarshal(b, &ev); err != nil || ev.MultiValueQueryStringParameters["parameter1"][1] != "value2" ||
		ev.RequestContext.Identity.SourceIP != "192.0.2.1" || ev.Resource != "/my/{parameter1}" {
		t.Errorf("aws-lambda-go reads %+v, %v", ev, err)
	}
	// No body: null; no query: null; a JWT route: its claims.
	req.r.URL.RawQuery = ""
	req.route.route.AuthorizationType = "JWT"
	req.claims, req.scopes = map[string]string{"sub": "u1"}, []string{"s"}
	b, _ = h.lambdaEvent(req, req.r, "1.0", nil)
	m := jsonMap(t, b)
	if v, ok := m["body"]; !ok || v != nil || m["queryStringParameters"] != nil {
		t.Errorf("no body, no query: %s", b)
	}
	if path(m, "requestContext", "authorizer", "claims", "sub") != "u1" {
		t.Errorf("claims: %s", b)
	}
}

func TestAppendJSONString(t *testing.T) {
	for _, s := range []string{"", "plain", "quote\" back\\ nl\n tab\t cr\r ctl\x01\x1f", "é ü 😀", "bad \xff\xfe utf8", "sep \u2028\u2029",
		`<html>&amp;</html>`} {
		got := appendJSONString(nil, []byte(s))
		var back string
		if err := json.Unmarshal(got, &back); err != nil {
			t.Errorf("%q: invalid JSON %s: %v", s, got, err)
			continue
		}
		want, _ := json.Marshal(s)
		var wantBack string
		_ = json.Unmarshal(want, &wantBack)
		if back != wantBack {
			t.Errorf("%q round-trips to %q, encoding/json to %q", s, back, wantBack)
		}
	}
}

func FuzzAppendJSONString(f *testing.F) {
	f.Add([]byte("a\"b\\c\n\xff\u2028"))
	f.Fuzz(func(t *testing.T, b []byte) {
		got := appendJSONString(nil, b)
		var back string
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatalf("invalid JSON %q", got)
		}
		want, _ := json.Marshal(string(b))
		var wantBack string
		_ = json.Unmarshal(want, &wantBack)
		if back != wantBack {
			t.Fatalf("%q != %q", back, wantBack)
		}
	})
}

func FuzzParseResponse(f *testing.F) {
	for _, s := range []string{`{"statusCode":200,"body":"x\u00e9\ud83d\ude00","headers":{"a":"b"},"cookies":["c=1"]}`,
		`"hi"`, `{"statusCode":201,"multiValueHeaders":{"a":["1",2]},"isBase64Encoded":true,"body":"aGk="}`, `[1,{"a":"\\"}]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, parse := range []func([]byte) (*lambdaResponse, error){parseResponseV1, parseResponseV2} {
			res, err := parse(b)
			if err == nil && (res.status < 100 || res.status > 599) {
				t.Fatalf("status %d", res.status)
			}
		}
		if !json.Valid(b) {
			return
		}
		names, values, ok := members(b)
		if !ok {
			return
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("members of %q but encoding/json: %v", b, err)
		}
		for i, n := range names {
			if !json.Valid(values[i]) {
				t.Fatalf("member %q of %q: invalid value %q", n, b, values[i])
			}
			if jsonKind(values[i]) == '"' {
				var s string
				_ = json.Unmarshal(values[i], &s)
				if got := string(unquote(values[i])); got != s {
					t.Fatalf("unquote(%s) = %q, want %q", values[i], got, s)
				}
			}
		}
	})
}

func TestParseResponse(t *testing.T) {
	type want struct {
		status int
		header http.Header
		body   string
	}
	text, js := "text/plain; charset=utf-8", "application/json"
	cases := []struct {
		name    string
		version string
		payload string
		want    *want // nil: malformed, 500
	}{
		{"inferred string", "2.0", `"Hello from Lambda!"`, &want{200, http.Header{"Content-Type": {js}}, "Hello from Lambda!"}},
		{"inferred object", "2.0", `{ "message": "Hello from Lambda!" }`, &want{200, http.Header{"Content-Type": {js}}, `{ "message": "Hello from Lambda!" }`}},
		{"inferred number", "2.0", ` 42 `, &want{200, http.Header{"Content-Type": {js}}, "42"}},
		{"inferred array", "2.0", `[1,"a"]`, &want{200, http.Header{"Content-Type": {js}}, `[1,"a"]`}},
		{"inferred null", "2.0", `null`, &want{200, http.Header{"Content-Type": {js}}, "null"}},
		{"member names are exact", "2.0", `{"StatusCode":201,"Body":"x"}`, &want{200, http.Header{"Content-Type": {js}}, `{"StatusCode":201,"Body":"x"}`}},
		{"structured", "2.0", `{"statusCode":201,"headers":{"X-A":"1","x-n":5,"x-b":true,"x-null":null},"cookies":["a=1; Path=/","b=2"],"body":"hi"}`,
			&want{201, http.Header{"X-A": {"1"}, "X-N": {"5"}, "X-B": {"true"}, "Set-Cookie": {"a=1; Path=/", "b=2"}, "Content-Type": {text}}, "hi"}},
		{"status as string", "2.0", `{"statusCode":"204"}`, &want{204, http.Header{"Content-Type": {text}}, ""}},
		{"own content type, escapes", "2.0", `{"statusCode":200,"headers":{"content-type":"application/json"},"body":"{\"a\":\"\u00e9\\n\/\"}"}`,
			&want{200, http.Header{"Content-Type": {js}}, "{\"a\":\"é\\n/\"}"}},
		{"base64", "2.0", `{"statusCode":200,"isBase64Encoded":true,"body":"iVBORw==","headers":{"Content-Type":"image/png"}}`,
			&want{200, http.Header{"Content-Type": {"image/png"}}, "\x89PNG"}},
		{"2.0 ignores multiValueHeaders", "2.0", `{"statusCode":200,"multiValueHeaders":{"X-M":["1","2"]}}`, &want{200, http.Header{"Content-Type": {text}}, ""}},
		{"framing headers dropped", "2.0", `{"statusCode":200,"headers":{"Content-Length":"99","Transfer-Encoding":"chunked"},"body":"x"}`,
			&want{200, http.Header{"Content-Type": {text}}, "x"}},
		{"not JSON", "2.0", `Hello`, nil},
		{"empty", "2.0", ``, nil},
		{"bad status", "2.0", `{"statusCode":"abc"}`, nil},
		{"status out of range", "2.0", `{"statusCode":700}`, nil},
		{"fractional status", "2.0", `{"statusCode":200.5}`, nil},
		{"null status", "2.0", `{"statusCode":null}`, nil},
		{"object body", "2.0", `{"statusCode":200,"body":{"a":1}}`, nil},
		{"bad base64", "2.0", `{"statusCode":200,"isBase64Encoded":true,"body":"!!"}`, nil},
		{"bad isBase64Encoded", "2.0", `{"statusCode":200,"isBase64Encoded":"yes"}`, nil},
		{"object header", "2.0", `{"statusCode":200,"headers":{"a":{}}}`, nil},
		{"cookies not a list", "2.0", `{"statusCode":200,"cookies":"a=1"}`, nil},

		{"1.0 merged headers", "1.0", `{"statusCode":200,"headers":{"A":"1","B":"3"},"multiValueHeaders":{"A":["1","2"],"B":["1","2"],"Set-Cookie":["x=1","y=2"]},"body":"b"}`,
			&want{200, http.Header{"A": {"1", "2"}, "B": {"1", "2", "3"}, "Set-Cookie": {"x=1", "y=2"}, "Content-Type": {text}}, "b"}},
		{"1.0 base64", "1.0", `{"statusCode":202,"isBase64Encoded":true,"body":"aGk="}`, &want{202, http.Header{"Content-Type": {text}}, "hi"}},
		{"1.0 null body", "1.0", `{"statusCode":204,"body":null,"headers":null,"multiValueHeaders":null}`, &want{204, http.Header{"Content-Type": {text}}, ""}},
		{"1.0 needs statusCode", "1.0", `{"body":"x"}`, nil},
		{"1.0 infers nothing", "1.0", `"Hello"`, nil},
		{"1.0 bad multi", "1.0", `{"statusCode":200,"multiValueHeaders":{"A":"1"}}`, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			parse := parseResponseV2
			if c.version == "1.0" {
				parse = parseResponseV1
			}
			res, err := parse([]byte(c.payload))
			if c.want == nil {
				if err == nil {
					t.Fatalf("accepted: %d %v %q", res.status, res.header, res.body)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := want{res.status, res.header, string(res.body)}
			if d := cmp.Diff(*c.want, got, cmp.AllowUnexported(want{})); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestFunctionOf(t *testing.T) {
	for uri, want := range map[string]string{
		"arn:aws:lambda:us-east-1:123456789012:function:f":                                                                             "arn:aws:lambda:us-east-1:123456789012:function:f",
		"arn:aws:lambda:us-east-1:123456789012:function:f:live":                                                                        "arn:aws:lambda:us-east-1:123456789012:function:f:live",
		"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:f:3/invocations": "arn:aws:lambda:us-east-1:123456789012:function:f:3",
		"arn:aws:apigateway:us-east-1:lambda:path/whatever":                                                                            "",
	} {
		if got := functionOf(uri); got != want {
			t.Errorf("functionOf(%s) = %q, want %q", uri, got, want)
		}
	}
}

// TestLambdaIntegration serves AWS_PROXY routes of both payload formats through the handler.
func TestLambdaIntegration(t *testing.T) {
	e := newEnv(t)
	e.stage("dev", map[string]string{"fn": "staged"})
	v2 := e.lambdaIntegration("v2", "2.0", nil)
	v1 := e.lambdaIntegration("v1", "1.0", nil)
	staged := e.lambdaIntegration("${stageVariables.fn}", "2.0", func(in *gateway.IntegrationInput) {
		in.IntegrationUri = str("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/" + fnArn + "${stageVariables.fn}:live/invocations")
	})
	e.route("GET /pets/{id}", v2, "", "")
	e.route("POST /v1/{proxy+}", v1, "", "")
	e.route("$default", staged, "", "")
	e.fake.reply = func(_ context.Context, in lambda.InvokeInput) (*lambda.InvokeOutput, error) {
		if strings.HasSuffix(in.Function, ":v1") {
			return ok(`{"statusCode":201,"multiValueHeaders":{"X-M":["a","b"]},"body":"made"}`), nil
		}
		return ok(`{"pet":7}`), nil
	}

	w := e.do("GET", "/pets/7?x=1", http.Header{"X-Test": {"yes"}}, "")
	if w.Code != 200 || w.Body.String() != `{"pet":7}` || w.Header().Get("Content-Type") != "application/json" || w.Header().Get("Apigw-Requestid") == "" {
		t.Fatalf("2.0 route: %d %v %s", w.Code, w.Header(), w.Body)
	}
	in, ev := e.fake.last(t, ":v2")
	if in.Principal != "apigateway.amazonaws.com" || in.SourceAccount != testAccount ||
		in.SourceArn != "arn:aws:execute-api:us-east-1:123456789012:"+e.api+"/$default/GET/pets/{id}" ||
		in.Function != fnArn+"v2" || in.InvocationType != "" {
		t.Errorf("invocation: %+v", in)
	}
	if ev["version"] != "2.0" || path(ev, "pathParameters", "id") != "7" || path(ev, "headers", "x-test") != "yes" ||
		path(ev, "requestContext", "stage") != "$default" || ev["rawPath"] != "/pets/7" {
		t.Errorf("2.0 event: %v", ev)
	}

	w = e.do("POST", "/v1/a/b", http.Header{"Content-Type": {"application/octet-stream"}}, "\x00\x01")
	if w.Code != 201 || w.Body.String() != "made" || len(w.Header().Values("X-M")) != 2 {
		t.Fatalf("1.0 route: %d %v %s", w.Code, w.Header(), w.Body)
	}
	_, ev = e.fake.last(t, ":v1")
	if ev["version"] != "1.0" || ev["body"] != "AAE=" || ev["isBase64Encoded"] != true || path(ev, "pathParameters", "proxy") != "a/b" ||
		ev["resource"] != "/v1/{proxy+}" {
		t.Errorf("1.0 event: %v", ev)
	}

	w = e.do("DELETE", "/dev/anything", nil, "")
	in, ev = e.fake.last(t, "staged")
	if w.Code != 200 || in.Function != fnArn+"staged:live" || ev["routeKey"] != "$default" ||
		in.SourceArn != "arn:aws:execute-api:us-east-1:123456789012:"+e.api+"/dev/$default" {
		t.Errorf("stage variable function: %d %+v", w.Code, in)
	}
}

// TestLambdaIntegrationFailures: what the client gets when the function cannot answer.
func TestLambdaIntegrationFailures(t *testing.T) {
	e := newEnv(t)
	integ := e.lambdaIntegration("f", "2.0", func(in *gateway.IntegrationInput) { in.TimeoutInMillis = new(1500) })
	e.route("ANY /f", integ, "", "")
	for _, c := range []struct {
		name   string
		out    *lambda.InvokeOutput
		err    error
		status int
		body   string
	}{
		{"function error", &lambda.InvokeOutput{StatusCode: 200, FunctionError: lambda.Unhandled, Payload: []byte(`{"errorMessage":"boom"}`)}, nil, 500, bodyInternal},
		{"no such function", nil, awserr.New("ResourceNotFoundException", "Function not found"), 500, bodyInternal},
		{"no permission", nil, awserr.New("AccessDeniedException", "denied"), 500, bodyInternal},
		{"timeout", nil, context.DeadlineExceeded, 503, bodyTimeout},
		{"malformed", ok(`{"statusCode":"x"}`), nil, 500, bodyInternal},
		{"not JSON", ok(`hello`), nil, 500, bodyInternal},
		{"response too large", ok(`"` + strings.Repeat("a", maxLambdaPayload) + `"`), nil, 500, bodyInternal},
		{"payload too large", nil, awserr.New("RequestTooLargeException", "too large"), 413, bodyRequestTooLong},
	} {
		t.Run(c.name, func(t *testing.T) {
			e.fake.reply = func(ctx context.Context, in lambda.InvokeInput) (*lambda.InvokeOutput, error) {
				if dl, ok := ctx.Deadline(); !ok || time.Until(dl) > 1500*time.Millisecond {
					t.Errorf("invocation deadline %v, %v; want the integration's 1.5 s", dl, ok)
				}
				return c.out, c.err
			}
			w := e.do("GET", "/f", nil, "")
			if w.Code != c.status || w.Body.String() != c.body {
				t.Errorf("%d %s; want %d %s", w.Code, w.Body, c.status, c.body)
			}
		})
	}

	e.fake.reply = nil
	before := e.fake.count(":f")
	w := e.do("POST", "/f", nil, strings.Repeat("x", maxLambdaPayload))
	if w.Code != 413 || w.Body.String() != bodyRequestTooLong || e.fake.count(":f") != before {
		t.Errorf("6 MB body: %d %s, invoked %v", w.Code, w.Body, e.fake.count(":f") != before)
	}

	e.h.Lambda = nil
	if w := e.do("GET", "/f", nil, ""); w.Code != 500 || w.Body.String() != bodyInternal {
		t.Errorf("no invoker: %d %s", w.Code, w.Body)
	}
}

// TestLambdaParameterMapping: request parameters change the event, response parameters the
// response of a status.
func TestLambdaParameterMapping(t *testing.T) {
	e := newEnv(t)
	integ := e.lambdaIntegration("f", "2.0", func(in *gateway.IntegrationInput) {
		in.RequestParameters = map[string]string{"append:header.x-from": "$request.body.name", "overwrite:querystring.q": "mapped",
			"remove:header.x-secret": "''"}
		in.ResponseParameters = map[string]map[string]string{"404": {"overwrite:statuscode": "410",
			"append:header.x-reason": "$response.body.why", "overwrite:header.x-req": "$context.requestId"}}
	})
	e.route("POST /m", integ, "", "")
	e.fake.reply = func(context.Context, lambda.InvokeInput) (*lambda.InvokeOutput, error) {
		return ok(`{"statusCode":404,"body":"{\"why\":\"gone\"}"}`), nil
	}
	w := e.do("POST", "/m?q=orig", http.Header{"X-Secret": {"s"}, "Content-Type": {"application/json"}}, `{"name":"rex"}`)
	if w.Code != 410 || w.Header().Get("X-Reason") != "gone" || w.Header().Get("X-Req") == "" {
		t.Errorf("response mapping: %d %v", w.Code, w.Header())
	}
	_, ev := e.fake.last(t, ":f")
	if path(ev, "headers", "x-from") != "rex" || path(ev, "queryStringParameters", "q") != "mapped" || path(ev, "headers", "x-secret") != nil ||
		ev["body"] != `{"name":"rex"}` {
		t.Errorf("request mapping: %v", ev)
	}
}

// TestLambdaCORS: the API's CORS headers replace the function's.
func TestLambdaCORS(t *testing.T) {
	e := newEnv(t)
	_, err := e.gw.UpdateApi(e.ctx, &gateway.UpdateApiInput{ApiId: e.api, CorsConfiguration: &gateway.Cors{AllowOrigins: []string{"https://app.example.com"}}})
	e.must(err)
	e.route("GET /c", e.lambdaIntegration("f", "2.0", nil), "", "")
	e.fake.reply = func(context.Context, lambda.InvokeInput) (*lambda.InvokeOutput, error) {
		return ok(`{"statusCode":200,"headers":{"Access-Control-Allow-Origin":"*"}}`), nil
	}
	w := e.do("GET", "/c", http.Header{"Origin": {"https://app.example.com"}}, "")
	if got := w.Header().Values("Access-Control-Allow-Origin"); len(got) != 1 || got[0] != "https://app.example.com" {
		t.Errorf("CORS: %v", w.Header())
	}
}

func TestReadAtMost(t *testing.T) {
	for _, c := range []struct {
		body  string
		hint  int64
		limit int
		n     int
	}{{"hello", 5, 10, 5}, {"hello", -1, 10, 5}, {"hello", 2, 10, 5}, {"hello world", 11, 5, 6}, {"", 0, 5, 0}} {
		b, err := readAtMost(strings.NewReader(c.body), c.hint, c.limit)
		if err != nil || len(b) != c.n || !strings.HasPrefix(c.body, string(b)) {
			t.Errorf("%+v: %q %v", c, b, err)
		}
	}
	if _, err := readAtMost(errReader{}, -1, 10); err == nil {
		t.Error("read error lost")
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("broken") }

// BenchmarkLambdaProxy measures what an AWS_PROXY route adds to the invocation itself (the
// fake answers at once): event, response and the HTTP plumbing, for JSON bodies (many escapes)
// and text.
func BenchmarkLambdaProxy(b *testing.B) {
	t := &testing.T{}
	e := newEnv(t)
	e.route("POST /b", e.lambdaIntegration("f", "2.0", nil), "", "")
	for _, c := range []struct {
		name  string
		piece string
		size  int
	}{{"json-100B", `{"k":"v"}`, 100}, {"json-1MB", `{"k":"v"}`, 1 << 20}, {"text-1MB", "lorem ipsum ", 1 << 20}} {
		size := c.size
		body := strings.Repeat(c.piece, size/len(c.piece)+1)[:size]
		resp, _ := json.Marshal(map[string]any{"statusCode": 200, "body": body})
		out := &lambda.InvokeOutput{StatusCode: 200, Payload: resp}
		e.fake.reply = func(context.Context, lambda.InvokeInput) (*lambda.InvokeOutput, error) { return out, nil }
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(size))
			for b.Loop() {
				r := httptest.NewRequest("POST", "http://"+e.api+".execute-api.localhost/b", strings.NewReader(body))
				r.Header.Set("Content-Type", "application/json")
				w := &discardWriter{header: http.Header{}}
				e.h.ServeHTTP(w, r)
				if w.code != 200 || w.n != size {
					b.Fatalf("%d %d", w.code, w.n)
				}
			}
		})
		e.fake.mu.Lock()
		e.fake.calls, e.fake.ctxs = nil, nil
		e.fake.mu.Unlock()
	}
}

// discardWriter is a ResponseWriter that counts the body.
type discardWriter struct {
	header http.Header
	code   int
	n      int
}

func (w *discardWriter) Header() http.Header  { return w.header }
func (w *discardWriter) WriteHeader(code int) { w.code = code }
func (w *discardWriter) Write(b []byte) (int, error) {
	w.n += len(b)
	return len(b), nil
}
