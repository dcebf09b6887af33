package sigv4

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
)

// AWS's documented example key pair.
const (
	testAKID   = "AKIDEXAMPLE"
	testSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	tempAKID   = "ASIATEMPEXAMPLE"
	tempSecret = "tempSecretKeyEXAMPLEtempSecretKeyEXAMPLE"
	tempToken  = "FwoGZXIvYXdzEXAMPLE//////////wEaDEXAMPLEsessiontoken+/="
)

// testNow is the verifier's clock in the SDK-oracle tests.
var testNow = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func testStore() StaticStore {
	return StaticStore{
		testAKID: {AccessKeyID: testAKID, SecretAccessKey: testSecret, Account: "123456789012",
			Principal: "arn:aws:iam::123456789012:user/alice"},
		tempAKID: {AccessKeyID: tempAKID, SecretAccessKey: tempSecret, SessionToken: tempToken,
			Account: "123456789012", Principal: "arn:aws:sts::123456789012:assumed-role/r/s"},
	}
}

func testVerifier() *Verifier {
	return &Verifier{Store: testStore(), Now: func() time.Time { return testNow }}
}

var (
	permCreds = aws.Credentials{AccessKeyID: testAKID, SecretAccessKey: testSecret}
	tempCreds = aws.Credentials{AccessKeyID: tempAKID, SecretAccessKey: tempSecret, SessionToken: tempToken}
)

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// signOpts describes one request signed by the SDK oracle.
type signOpts struct {
	method  string
	target  string // path and query, e.g. "/a?b=c"
	body    []byte
	headers http.Header
	creds   aws.Credentials
	service string
	region  string
	at      time.Time
	// payloadHash overrides sha256(body).
	payloadHash string
	// presign signs into the query instead of the Authorization header.
	presign bool
	// expires sets X-Amz-Expires (seconds) before presigning; 0 leaves it out.
	expires int
}

func (o *signOpts) defaults() {
	if o.method == "" {
		o.method = http.MethodGet
	}
	if o.target == "" {
		o.target = "/"
	}
	if o.creds.AccessKeyID == "" {
		o.creds = permCreds
	}
	if o.service == "" {
		o.service = "execute-api"
	}
	if o.region == "" {
		o.region = "us-east-1"
	}
	if o.at.IsZero() {
		o.at = testNow
	}
	if o.payloadHash == "" {
		o.payloadHash = sha256Hex(o.body)
	}
}

// sign builds a request against base (scheme://host) and signs it with the SDK. The returned
// request is ready to send (over the wire) or to verify in-process.
func sign(t testing.TB, base string, o signOpts) *http.Request {
	t.Helper()
	o.defaults()
	req, err := http.NewRequest(o.method, base+o.target, bytes.NewReader(o.body))
	if err != nil {
		t.Fatalf("NewRequest(%q): %v", base+o.target, err)
	}
	if len(o.body) == 0 {
		req.Body, req.ContentLength = http.NoBody, 0
	}
	for k, vs := range o.headers {
		req.Header[k] = append([]string(nil), vs...)
	}
	signer := v4.NewSigner()
	if !o.presign {
		// The SDK rewrites RawQuery into its canonical form; keep what the caller wrote so the
		// verifier sees the query as a non-Go client would send it.
		raw := req.URL.RawQuery
		if err := signer.SignHTTP(context.Background(), o.creds, req, o.payloadHash, o.service, o.region, o.at); err != nil {
			t.Fatalf("SignHTTP: %v", err)
		}
		req.URL.RawQuery = raw
		return req
	}
	if o.expires != 0 {
		q := req.URL.Query()
		q.Set("X-Amz-Expires", strconv.Itoa(o.expires))
		req.URL.RawQuery = q.Encode()
	}
	signedURL, signedHeaders, err := signer.PresignHTTP(context.Background(), o.creds, req, o.payloadHash, o.service, o.region, o.at)
	if err != nil {
		t.Fatalf("PresignHTTP: %v", err)
	}
	out, err := http.NewRequest(o.method, signedURL, bytes.NewReader(o.body))
	if err != nil {
		t.Fatalf("NewRequest(presigned): %v", err)
	}
	if len(o.body) == 0 {
		out.Body, out.ContentLength = http.NoBody, 0
	}
	for k, vs := range signedHeaders {
		if k != "Host" {
			out.Header[k] = vs
		}
	}
	for k, vs := range o.headers {
		if _, ok := out.Header[k]; !ok {
			out.Header[k] = vs
		}
	}
	return out
}

// verified is what the test server saw.
type verified struct {
	id  *Identity
	err error
}

// wireServer verifies every request it receives and reports the outcome on a channel.
func wireServer(t testing.TB, v *Verifier, service string) (*httptest.Server, <-chan verified) {
	t.Helper()
	ch := make(chan verified, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			ch <- verified{err: err}
			return
		}
		id, err := v.Verify(r, body, service)
		ch <- verified{id, err}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	return srv, ch
}

// sendAndVerify sends req to srv and returns the verifier's verdict.
func sendAndVerify(t testing.TB, srv *httptest.Server, ch <-chan verified, req *http.Request) (*Identity, error) {
	t.Helper()
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatalf("Do: %v", err)
	}
	resp.Body.Close()
	got := <-ch
	return got.id, got.err
}

// wantAWSErr asserts err is an *awserr.Error with the given type, status and message (message
// checked only when non-empty).
func wantAWSErr(t testing.TB, err error, typ string, status int, msg string) *awserr.Error {
	t.Helper()
	var e *awserr.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v (%T), want *awserr.Error %s", err, err, typ)
	}
	if e.Type != typ || e.Status != status {
		t.Fatalf("err = %s (status %d), want %s (status %d)", e, e.Status, typ, status)
	}
	if msg != "" && e.Message != msg {
		t.Fatalf("message =\n%q\nwant\n%q", e.Message, msg)
	}
	return e
}

// httptestRequest is httptest.NewRequest with an optional body.
func httptestRequest(method, target string, body []byte) *http.Request {
	return httptest.NewRequest(method, target, bytes.NewReader(body))
}

// hmacRaw and hexRaw compute expected signatures independently of the package under test.
func hmacRaw(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}

func hexRaw(b []byte) string { return hex.EncodeToString(b) }
