package sigv4

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
)

const mismatchDetailPrefix = msgSignatureMismatch + "\n\nThe Canonical String for this request should have been\n'"

func TestRejectTampering(t *testing.T) {
	body := []byte(`{"Username":"alice"}`)
	post := signOpts{method: http.MethodPost, target: "/prod/users?x=1", body: body,
		headers: http.Header{"X-Custom": {"signed-value"}, "Content-Type": {"application/json"}}}

	cases := []struct {
		name   string
		opts   signOpts
		mutate func(*http.Request) []byte // returns the body to verify
	}{
		{"wrong secret", signOpts{creds: aws.Credentials{AccessKeyID: testAKID, SecretAccessKey: "not-the-secret"}}, nil},
		{"tampered body", post, func(*http.Request) []byte { return []byte(`{"Username":"mallory"}`) }},
		{"truncated body", post, func(*http.Request) []byte { return body[:5] }},
		{"tampered signed header", post, func(r *http.Request) []byte { r.Header.Set("X-Custom", "other"); return body }},
		{"removed signed header", post, func(r *http.Request) []byte { r.Header.Del("X-Custom"); return body }},
		{"extra value on signed header", post, func(r *http.Request) []byte { r.Header.Add("X-Custom", "more"); return body }},
		{"tampered query", post, func(r *http.Request) []byte { r.URL.RawQuery = "x=2"; return body }},
		{"added query param", post, func(r *http.Request) []byte { r.URL.RawQuery += "&admin=true"; return body }},
		{"tampered path", post, func(r *http.Request) []byte { r.URL.Path = "/prod/admins"; return body }},
		{"tampered method", post, func(r *http.Request) []byte { r.Method = http.MethodPut; return body }},
		{"tampered host", post, func(r *http.Request) []byte { r.Host = "evil.example.com"; return body }},
		{"uppercase signature", signOpts{}, func(r *http.Request) []byte {
			h := r.Header.Get("Authorization")
			i := strings.Index(h, "Signature=") + len("Signature=")
			r.Header.Set("Authorization", h[:i]+strings.ToUpper(h[i:]))
			return nil
		}},
		{"tampered presigned query", signOpts{presign: true, target: "/p?a=1", expires: 60}, func(r *http.Request) []byte {
			r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "a=1", "a=2", 1)
			return nil
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := sign(t, "https://api.example.com", c.opts)
			b := c.opts.body
			if c.mutate != nil {
				b = c.mutate(req)
			}
			_, err := testVerifier().Verify(req, b, "execute-api")
			e := wantAWSErr(t, err, "InvalidSignatureException", 403, "")
			if !strings.HasPrefix(e.Message, mismatchDetailPrefix) || !strings.Contains(e.Message, "\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n") {
				t.Errorf("message = %q", e.Message)
			}
		})
	}
}

func TestRejectCognitoDialect(t *testing.T) {
	// Cognito user pools answer 400 with the bare mismatch message.
	req := sign(t, "https://cognito-idp.eu-west-1.amazonaws.com", signOpts{method: http.MethodPost, service: "cognito-idp", body: []byte("{}")})
	_, err := testVerifier().Verify(req, []byte(`{"x":1}`), "cognito-idp")
	wantAWSErr(t, err, "InvalidSignatureException", 400, msgSignatureMismatch)

	_, err = testVerifier().Verify(httptestRequest(http.MethodPost, "/", nil), nil, "cognito-idp")
	wantAWSErr(t, err, "MissingAuthenticationTokenException", 400, "Request is missing Authentication Token")

	r := httptestRequest(http.MethodPost, "/", nil)
	r.Header.Set("Authorization", "Bearer eyJhbGciOi.eyJzdWIiOi.sig")
	_, err = testVerifier().Verify(r, nil, "cognito-idp")
	wantAWSErr(t, err, "MissingAuthenticationTokenException", 400, "Request is missing Authentication Token")
}

func TestRejectClock(t *testing.T) {
	v := testVerifier() // now = 20260102T030405Z
	cases := []struct {
		name string
		opts signOpts
		at   time.Time // verifier clock; zero means testNow
		msg  string
	}{
		{"16 min old", signOpts{at: testNow.Add(-16 * time.Minute)}, time.Time{},
			"Signature expired: 20260102T024805Z is now earlier than 20260102T024905Z (20260102T030405Z - 15 min.)"},
		{"16 min ahead", signOpts{at: testNow.Add(16 * time.Minute)}, time.Time{},
			"Signature not yet current: 20260102T032005Z is still later than 20260102T031905Z (20260102T030405Z + 15 min.)"},
		{"presign expired by 1s", signOpts{presign: true, expires: 60}, testNow.Add(61 * time.Second),
			"Signature expired: 20260102T030405Z is now earlier than 20260102T030406Z (20260102T030506Z - 1 min.)"},
		{"presign 90s expired", signOpts{presign: true, expires: 90}, testNow.Add(2 * time.Hour),
			"Signature expired: 20260102T030405Z is now earlier than 20260102T050235Z (20260102T050405Z - 90 sec.)"},
		{"presign without expires uses skew", signOpts{presign: true}, testNow.Add(16 * time.Minute),
			"Signature expired: 20260102T030405Z is now earlier than 20260102T030505Z (20260102T032005Z - 15 min.)"},
		{"presign from the future", signOpts{presign: true, expires: 3600}, testNow.Add(-20 * time.Minute),
			"Signature not yet current: 20260102T030405Z is still later than 20260102T025905Z (20260102T024405Z + 15 min.)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v.Now = func() time.Time { return testNow }
			if !c.at.IsZero() {
				v.Now = func() time.Time { return c.at }
			}
			_, err := v.Verify(sign(t, "https://h", c.opts), nil, "execute-api")
			wantAWSErr(t, err, "InvalidSignatureException", 403, c.msg)
		})
	}

	t.Run("custom skew", func(t *testing.T) {
		v := testVerifier()
		v.MaxSkew = 5 * time.Minute
		_, err := v.Verify(sign(t, "https://h", signOpts{at: testNow.Add(-6 * time.Minute)}), nil, "execute-api")
		wantAWSErr(t, err, "InvalidSignatureException", 403,
			"Signature expired: 20260102T025805Z is now earlier than 20260102T025905Z (20260102T030405Z - 5 min.)")
	})
}

func TestRejectCredentials(t *testing.T) {
	unknown := aws.Credentials{AccessKeyID: "AKIAUNKNOWN", SecretAccessKey: testSecret}
	cases := []struct {
		name   string
		opts   signOpts
		mutate func(*http.Request)
	}{
		{"unknown key", signOpts{creds: unknown}, nil},
		{"unknown key presigned", signOpts{creds: unknown, presign: true}, nil},
		{"temp key without token", signOpts{creds: aws.Credentials{AccessKeyID: tempAKID, SecretAccessKey: tempSecret}}, nil},
		{"temp key wrong token", signOpts{creds: aws.Credentials{AccessKeyID: tempAKID, SecretAccessKey: tempSecret, SessionToken: "forged"}}, nil},
		{"temp key token dropped", signOpts{creds: tempCreds}, func(r *http.Request) { r.Header.Del("X-Amz-Security-Token") }},
		{"temp key wrong token presigned", signOpts{presign: true, creds: aws.Credentials{AccessKeyID: tempAKID, SecretAccessKey: tempSecret, SessionToken: "forged"}}, nil},
		{"token on permanent key", signOpts{creds: aws.Credentials{AccessKeyID: testAKID, SecretAccessKey: testSecret, SessionToken: "x"}}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := sign(t, "https://h", c.opts)
			if c.mutate != nil {
				c.mutate(req)
			}
			_, err := testVerifier().Verify(req, nil, "execute-api")
			wantAWSErr(t, err, "UnrecognizedClientException", 403, "The security token included in the request is invalid.")
		})
	}

	t.Run("cognito status", func(t *testing.T) {
		_, err := testVerifier().Verify(sign(t, "https://h", signOpts{creds: unknown, service: "cognito-idp"}), nil, "cognito-idp")
		wantAWSErr(t, err, "UnrecognizedClientException", 400, "The security token included in the request is invalid.")
	})

	t.Run("store failure is internal", func(t *testing.T) {
		boom := errors.New("db down")
		v := testVerifier()
		v.Store = storeFunc(func(context.Context, string) (Credentials, error) { return Credentials{}, boom })
		_, err := v.Verify(sign(t, "https://h", signOpts{}), nil, "execute-api")
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v, want wrapping %v", err, boom)
		}
		if _, ok := awserr.As(err); ok {
			t.Fatalf("err = %v, want a non-AWS (internal) error", err)
		}
	})
}

type storeFunc func(context.Context, string) (Credentials, error)

func (f storeFunc) Lookup(ctx context.Context, akid string) (Credentials, error) { return f(ctx, akid) }

func TestRejectScope(t *testing.T) {
	t.Run("service", func(t *testing.T) {
		req := sign(t, "https://h", signOpts{service: "cognito-idp"})
		_, err := testVerifier().Verify(req, nil, "execute-api")
		wantAWSErr(t, err, "InvalidSignatureException", 403, "Credential should be scoped to correct service: 'execute-api'. ")
	})
	t.Run("region", func(t *testing.T) {
		v := testVerifier()
		v.Region = "us-east-1"
		_, err := v.Verify(sign(t, "https://h", signOpts{region: "eu-west-1"}), nil, "execute-api")
		wantAWSErr(t, err, "InvalidSignatureException", 403, "Credential should be scoped to a valid region, not 'eu-west-1'. ")
	})
	t.Run("everything", func(t *testing.T) {
		v := testVerifier()
		v.Region = "us-east-1"
		r := manualRequest("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/eu-west-1/s3/aws5_request, SignedHeaders=host;x-amz-date, Signature=00")
		_, err := v.Verify(r, nil, "cognito-idp")
		wantAWSErr(t, err, "InvalidSignatureException", 400,
			"Credential should be scoped to a valid region, not 'eu-west-1'. "+
				"Credential should be scoped to correct service: 'cognito-idp'. "+
				"Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. "+
				"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20250101' != '20260102', from '20260102T030405Z'.")
	})
}

// manualRequest is a GET https://h/ dated testNow carrying the given Authorization header.
func manualRequest(authz string) *http.Request {
	r := httptestRequest(http.MethodGet, "https://h/", nil)
	r.Header.Set("X-Amz-Date", "20260102T030405Z")
	if authz != "" {
		r.Header.Set("Authorization", authz)
	}
	return r
}

func TestRejectMalformed(t *testing.T) {
	const cred = "Credential=AKIDEXAMPLE/20260102/us-east-1/execute-api/aws4_request"
	cases := []struct {
		name string
		req  *http.Request
		typ  string
		msg  string
	}{
		{"no auth", manualRequest(""), "MissingAuthenticationTokenException", "Missing Authentication Token"},
		{"all parts missing (a JWT)", func() *http.Request {
			r := manualRequest("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln")
			r.Header.Del("X-Amz-Date")
			return r
		}(), "IncompleteSignatureException",
			"Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
				"Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
				"Authorization=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"},
		{"only credential", manualRequest("AWS4-HMAC-SHA256 " + cred), "IncompleteSignatureException",
			"Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. " +
				"Authorization=AWS4-HMAC-SHA256 " + cred},
		{"missing equal sign", manualRequest("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE /20260102/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=ab"),
			"IncompleteSignatureException",
			"'/20260102/us-east-1/execute-api/aws4_request' not a valid key=value pair (missing equal-sign) in Authorization header: " +
				"'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE /20260102/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=ab'."},
		{"bearer token", manualRequest("Bearer abc"), "IncompleteSignatureException",
			"'abc' not a valid key=value pair (missing equal-sign) in Authorization header: 'Bearer abc'."},
		{"bad x-amz-date", func() *http.Request {
			r := manualRequest("AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host;x-amz-date, Signature=ab")
			r.Header.Set("X-Amz-Date", "2026-01-02T03:04:05Z")
			return r
		}(), "IncompleteSignatureException",
			"Date must be in ISO-8601 'basic format'. Got '2026-01-02T03:04:05Z'. See http://en.wikipedia.org/wiki/ISO_8601"},
		{"fractional x-amz-date", func() *http.Request {
			r := manualRequest("AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host;x-amz-date, Signature=ab")
			r.Header.Set("X-Amz-Date", "20260102T030405.5Z")
			return r
		}(), "IncompleteSignatureException",
			"Date must be in ISO-8601 'basic format'. Got '20260102T030405.5Z'. See http://en.wikipedia.org/wiki/ISO_8601"},
		{"host not signed", manualRequest("AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=x-amz-date, Signature=ab"),
			"InvalidSignatureException", "'Host' must be a 'SignedHeader' in the AWS Authorization."},
		{"empty signed headers", manualRequest("AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=, Signature=ab"),
			"InvalidSignatureException", "'Host' must be a 'SignedHeader' in the AWS Authorization."},
		{"unsupported algorithm", manualRequest("AWS4-HMAC-SHA512 " + cred + ", SignedHeaders=host, Signature=ab"),
			"IncompleteSignatureException", "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now). "},
		{"four-part credential", manualRequest("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260102/us-east-1/execute-api, SignedHeaders=host, Signature=ab"),
			"IncompleteSignatureException",
			"Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKIDEXAMPLE/20260102/us-east-1/execute-api'"},
		{"both forms", func() *http.Request {
			r := manualRequest("AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host, Signature=ab")
			r.URL.RawQuery = "X-Amz-Algorithm=AWS4-HMAC-SHA256"
			return r
		}(), "InvalidSignatureException", "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header."},
		{"presigned missing everything", func() *http.Request {
			r := manualRequest("")
			r.URL.RawQuery = "X-Amz-Algorithm="
			return r
		}(), "IncompleteSignatureException",
			"AWS query-string parameters must include 'X-Amz-Algorithm'. AWS query-string parameters must include 'X-Amz-Credential'. " +
				"AWS query-string parameters must include 'X-Amz-Signature'. AWS query-string parameters must include 'X-Amz-SignedHeaders'. " +
				"AWS query-string parameters must include 'X-Amz-Date'. Re-examine the query-string parameters."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := testVerifier().Verify(c.req, nil, "execute-api")
			wantAWSErr(t, err, c.typ, 403, c.msg)
		})
	}
}

func TestRejectPresignExpires(t *testing.T) {
	for _, c := range []struct{ expires, msg string }{
		{"abc", "X-Amz-Expires should be a number"},
		{"-1", "X-Amz-Expires must be non-negative"},
		{"604801", "X-Amz-Expires must be less than a week (in seconds) that is 604800"},
	} {
		t.Run(c.expires, func(t *testing.T) {
			q := url.Values{
				"X-Amz-Algorithm":     {"AWS4-HMAC-SHA256"},
				"X-Amz-Credential":    {"AKIDEXAMPLE/20260102/us-east-1/execute-api/aws4_request"},
				"X-Amz-Date":          {"20260102T030405Z"},
				"X-Amz-SignedHeaders": {"host"},
				"X-Amz-Signature":     {"ab"},
				"X-Amz-Expires":       {c.expires},
			}
			r := httptestRequest(http.MethodGet, "https://h/?"+q.Encode(), nil)
			_, err := testVerifier().Verify(r, nil, "execute-api")
			wantAWSErr(t, err, "IncompleteSignatureException", 403, c.msg)
		})
	}
}

// TestDateHeader checks the Date-header fallback against a canonical request written out by
// hand (the SDK always sends X-Amz-Date, so it cannot be the oracle here).
func TestDateHeader(t *testing.T) {
	r := httptestRequest(http.MethodGet, "https://example.amazonaws.com/a%20b?z=1&a=2", nil)
	r.Header.Set("Date", "Fri, 02 Jan 2026 03:04:05 GMT")
	r.Header.Set("My-Header", "  x   y  ")
	creq := "GET\n/a%2520b\na=2&z=1\n" +
		"date:Fri, 02 Jan 2026 03:04:05 GMT\nhost:example.amazonaws.com\nmy-header:x y\n\n" +
		"date;host;my-header\n" +
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	sts := "AWS4-HMAC-SHA256\n20260102T030405Z\n20260102/us-east-1/execute-api/aws4_request\n" + sha256Hex([]byte(creq))
	k := hmacRaw([]byte("AWS4"+testSecret), "20260102")
	k = hmacRaw(k, "us-east-1")
	k = hmacRaw(k, "execute-api")
	k = hmacRaw(k, "aws4_request")
	sig := hexRaw(hmacRaw(k, sts))
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260102/us-east-1/execute-api/aws4_request,SignedHeaders=date;host;my-header,Signature="+sig)
	if _, err := testVerifier().Verify(r, nil, "execute-api"); err != nil {
		t.Fatalf("Verify: %v", err)
	}

	r.Header.Set("Date", "yesterday")
	_, err := testVerifier().Verify(r, nil, "execute-api")
	wantAWSErr(t, err, "IncompleteSignatureException", 403, "Date must be in ISO-8601 'basic format'. Got 'yesterday'. See http://en.wikipedia.org/wiki/ISO_8601")
}
