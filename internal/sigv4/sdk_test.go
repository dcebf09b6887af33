package sigv4

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// oracleCase is a request signed by aws-sdk-go-v2's signer that Verify must accept.
type oracleCase struct {
	name    string
	opts    signOpts
	service string // verify-side service; "" means opts.service, "*any*" means ""
}

var oracleCases = []oracleCase{
	{name: "GET root", opts: signOpts{}},
	{name: "POST JSON cognito", opts: signOpts{
		method: http.MethodPost, service: "cognito-idp", region: "eu-west-1",
		body: []byte(`{"UserPoolId":"eu-west-1_abc","Username":"alice"}`),
		headers: http.Header{
			"Content-Type": {"application/x-amz-json-1.1"},
			"X-Amz-Target": {"AWSCognitoIdentityProviderService.AdminGetUser"},
		},
	}},
	{name: "POST empty body", opts: signOpts{method: http.MethodPost, target: "/prod/items"}},
	{name: "PUT body and query", opts: signOpts{method: http.MethodPut, target: "/prod/items/42?overwrite=true", body: []byte("hello")}},
	{name: "DELETE", opts: signOpts{method: http.MethodDelete, target: "/prod/items/42"}},
	{name: "query spaces plus and reserved", opts: signOpts{
		target: "/search?q=hello%20world&plus=a%2Bb&space=a+b&r=%21%2A%27%28%29%3A%40%26%3D%24%2C%2F%3F%23%5B%5D&tilde=~x&empty=&bare",
	}},
	{name: "query unicode", opts: signOpts{target: "/search?name=caf%C3%A9&%E1%88%B4=%F0%9F%98%80"}},
	{name: "query raw unicode", opts: signOpts{target: "/search?ሴ=bar"}},
	{name: "query duplicate keys unsorted", opts: signOpts{target: "/x?b=2&a=3&a=1&A=0&a=2"}},
	{name: "query empty pairs", opts: signOpts{target: "/x?a=1&&b=2&"}},
	{name: "path unicode", opts: signOpts{target: "/prod/café/ሴ/😀"}},
	{name: "path encoded chars", opts: signOpts{target: "/prod/a%2Fb/c%20d/e%25f/%7Eg"}},
	{name: "path reserved chars", opts: signOpts{target: "/prod/a:b@c/!$&'()*+,;=/x"}},
	{name: "path double slash and dots", opts: signOpts{target: "/prod//a/./b/../c"}},
	{name: "path trailing slash", opts: signOpts{target: "/prod/items/"}},
	{name: "multi-value and spaced headers", opts: signOpts{
		headers: http.Header{"X-Custom": {"a   b", "  c  ", "d"}, "X-Other": {"\"quoted   value\""}},
	}},
	{name: "x-amz-content-sha256", opts: signOpts{
		method: http.MethodPost, body: []byte("payload"),
		headers: http.Header{"X-Amz-Content-Sha256": {sha256Hex([]byte("payload"))}},
	}},
	{name: "session token header", opts: signOpts{creds: tempCreds, method: http.MethodPost, body: []byte("{}")}},
	{name: "other region and service", opts: signOpts{service: "lambda", region: "ap-southeast-2", target: "/2015-03-31/functions/f/invocations", method: http.MethodPost, body: []byte("{}")}},
	{name: "apigateway control plane", opts: signOpts{service: "apigateway", target: "/restapis/abc123/resources?limit=25"}},
	{name: "signed 14 min ago", opts: signOpts{at: testNow.Add(-14 * time.Minute)}},
	{name: "signed 14 min ahead", opts: signOpts{at: testNow.Add(14 * time.Minute)}},
	{name: "accept any service", opts: signOpts{service: "sts"}, service: "*any*"},

	{name: "presigned GET", opts: signOpts{presign: true, target: "/prod/items?color=red%20blue", expires: 300}},
	{name: "presigned no expires", opts: signOpts{presign: true}},
	{name: "presigned session token", opts: signOpts{presign: true, creds: tempCreds, expires: 60}},
	{name: "presigned unicode path", opts: signOpts{presign: true, target: "/prod/ሴ/a%2Fb", expires: 3600}},
	{name: "presigned header hoisting", opts: signOpts{presign: true, expires: 900,
		headers: http.Header{"X-Amz-Meta-Owner": {"alice"}, "X-Amz-Target": {"Svc.Op"}, "Content-Type": {"text/plain"}}}},
	{name: "presigned used at its last second", opts: signOpts{presign: true, expires: 600, at: testNow.Add(-600 * time.Second)}},
	{name: "presigned week", opts: signOpts{presign: true, expires: 604800, at: testNow.Add(-6 * 24 * time.Hour)}},
}

func (c oracleCase) verifyService() string {
	switch c.service {
	case "":
		c.opts.defaults()
		return c.opts.service
	case "*any*":
		return ""
	}
	return c.service
}

// TestSDKOracleWire sends each SDK-signed request through a real HTTP server, so the verifier
// sees the path, query, Host and Content-Length exactly as they arrive on the wire.
func TestSDKOracleWire(t *testing.T) {
	for _, c := range oracleCases {
		t.Run(c.name, func(t *testing.T) {
			service := c.verifyService()
			srv, ch := wireServer(t, testVerifier(), service)
			req := sign(t, srv.URL, c.opts)
			id, err := sendAndVerify(t, srv, ch, req)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			o := c.opts
			o.defaults()
			want := &Identity{AccessKeyID: o.creds.AccessKeyID, Account: "123456789012", Region: o.region, Service: o.service,
				Principal: testStore()[o.creds.AccessKeyID].Principal}
			if diff := cmp.Diff(want, id); diff != "" {
				t.Errorf("Identity (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSDKOracleInProcess verifies the same requests without a network hop: Host from
// req.Host/URL, Content-Length from req.ContentLength.
func TestSDKOracleInProcess(t *testing.T) {
	for _, c := range oracleCases {
		t.Run(c.name, func(t *testing.T) {
			req := sign(t, "https://api.example.com", c.opts)
			if _, err := testVerifier().Verify(req, c.opts.body, c.verifyService()); err != nil {
				t.Fatalf("Verify: %v", err)
			}
		})
	}
}

func TestUnsignedPayload(t *testing.T) {
	body := []byte("not hashed")
	opts := signOpts{method: http.MethodPut, body: body, payloadHash: unsignedPayload,
		headers: http.Header{"X-Amz-Content-Sha256": {unsignedPayload}}}

	v := testVerifier()
	v.AllowUnsignedPayload = true
	if _, err := v.Verify(sign(t, "https://h", opts), []byte("any body at all"), "execute-api"); err != nil {
		t.Fatalf("AllowUnsignedPayload: Verify: %v", err)
	}

	_, err := testVerifier().Verify(sign(t, "https://h", opts), body, "execute-api")
	e := wantAWSErr(t, err, "InvalidSignatureException", 403, "")
	if !strings.HasPrefix(e.Message, msgSignatureMismatch) {
		t.Errorf("message = %q", e.Message)
	}

	// A declared hash that is not the body's hash cannot vouch for the body.
	lie := signOpts{method: http.MethodPut, body: []byte("evil"), payloadHash: sha256Hex([]byte("good")),
		headers: http.Header{"X-Amz-Content-Sha256": {sha256Hex([]byte("good"))}}}
	v.AllowUnsignedPayload = true
	_, err = v.Verify(sign(t, "https://h", lie), []byte("evil"), "execute-api")
	wantAWSErr(t, err, "InvalidSignatureException", 403, "")
}

func TestUnsignedHeaderChangesAreFine(t *testing.T) {
	req := sign(t, "https://h", signOpts{headers: http.Header{"User-Agent": {"sdk/1"}}})
	req.Header.Set("User-Agent", "curl/8")                               // the SDK never signs User-Agent
	req.Header.Set("X-Amzn-Trace-Id", "Root=1-abc")                      // nor this
	req.Header.Set("X-Forwarded-For", "203.0.113.7")                     // added by a proxy after signing
	req.Header.Set("Authorization", req.Header.Get("Authorization")+" ") // trailing space
	if _, err := testVerifier().Verify(req, nil, "execute-api"); err != nil {
		t.Fatalf("Verify: %v", err)
	}
}

func TestRequestScope(t *testing.T) {
	hdr := sign(t, "https://h", signOpts{service: "cognito-idp", region: "eu-central-1"})
	pre := sign(t, "https://h", signOpts{service: "execute-api", region: "us-west-2", presign: true, expires: 60})
	for _, c := range []struct {
		req  *http.Request
		want Scope
	}{
		{hdr, Scope{AccessKeyID: testAKID, Date: "20260102", Region: "eu-central-1", Service: "cognito-idp", Terminator: "aws4_request"}},
		{pre, Scope{AccessKeyID: testAKID, Date: "20260102", Region: "us-west-2", Service: "execute-api", Terminator: "aws4_request"}},
	} {
		got, ok := RequestScope(c.req)
		if !ok {
			t.Fatalf("RequestScope(%s) not ok", c.req.URL)
		}
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("RequestScope (-want +got):\n%s", diff)
		}
	}
	if _, ok := RequestScope(httptestRequest(http.MethodGet, "/", nil)); ok {
		t.Error("RequestScope(unsigned) ok")
	}
}
