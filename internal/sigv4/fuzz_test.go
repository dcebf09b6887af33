package sigv4

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func FuzzParseAuthorization(f *testing.F) {
	for _, s := range []string{
		"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
		"AWS4-HMAC-SHA256 Credential=a/b/c/d/e,SignedHeaders=,Signature=",
		"AWS4-HMAC-SHA256 Credential=AKID /20150830/us-east-1/service/aws4_request",
		"Bearer eyJhbGciOiJIUzI1NiJ9.e30.x",
		"AWS4-X",
		", , =,=",
		"",
	} {
		f.Add(s)
	}
	v := &Verifier{Store: testStore(), Now: func() time.Time { return testNow }}
	f.Fuzz(func(t *testing.T, header string) {
		a, err := ParseAuthorization(header)
		if err != nil {
			if _, ok := err.(interface{ Error() string }); !ok {
				t.Fatalf("non-error %v", err)
			}
		} else {
			if a.Credential == "" || a.Signature == "" {
				t.Fatalf("accepted %q with empty Credential or Signature: %+v", header, a)
			}
			// Re-serializing the parsed fields must parse back to the same thing.
			again := a.Algorithm + " Credential=" + a.Credential + ", SignedHeaders=" + strings.Join(a.SignedHeaders, ";") + ", Signature=" + a.Signature
			b, err := ParseAuthorization(again)
			if err != nil {
				t.Fatalf("reparse of %q: %v", again, err)
			}
			if b.Credential != a.Credential || b.Signature != a.Signature || strings.Join(b.SignedHeaders, ";") != strings.Join(a.SignedHeaders, ";") {
				t.Fatalf("reparse of %q = %+v, want %+v", again, b, a)
			}
			_, _ = a.Scope()
		}
		// The whole verifier must reject (never panic on, never accept) arbitrary headers.
		r := &http.Request{Method: http.MethodGet, Host: "h", URL: &url.URL{Path: "/"}, Header: http.Header{
			"Authorization": {header}, "X-Amz-Date": {"20260102T030405Z"},
		}}
		for _, svc := range []string{"execute-api", "cognito-idp", ""} {
			if id, err := v.Verify(r, nil, svc); err == nil {
				t.Fatalf("Verify accepted forged header %q as %+v", header, id)
			}
		}
		_, _ = RequestScope(r)
	})
}

// FuzzCanonicalQuery checks canonical query strings are a fixed point of canonicalization,
// contain only RFC 3986 unreserved characters and escapes, and — for queries the Go SDK can
// parse — agree with the SDK signer (a request it signs with that query verifies).
func FuzzCanonicalQuery(f *testing.F) {
	for _, s := range []string{
		"", "a=1", "b=2&a=1", "a=x+y&b=x%20y&c=%2B", "Param1=value2&Param1=Value1",
		"%E1%88%B4=bar", "ሴ=bar", "k&=v&&", "a=%zz", "a=1;b=2", "a=b=c",
		"X-Amz-Signature=x&X-Amz-Algorithm=AWS4-HMAC-SHA256",
		"-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		c := canonicalQuery(parseQuery(raw), "")
		for i := 0; i < len(c); i++ {
			if ch := c[i]; !isUnreserved(ch) && ch != '%' && ch != '=' && ch != '&' {
				t.Fatalf("canonicalQuery(%q) = %q has byte %q", raw, c, ch)
			}
		}
		if again := canonicalQuery(parseQuery(c), ""); again != c {
			t.Fatalf("not a fixed point: %q -> %q -> %q", raw, c, again)
		}

		// Differential check against the SDK for what url.ParseQuery accepts (the SDK drops
		// the rest) and what can travel in a request line.
		if _, err := url.ParseQuery(raw); err != nil || !utf8.ValidString(raw) || strings.ContainsAny(raw, "# \t\r\n\x00") {
			return
		}
		if strings.Contains(raw, "X-Amz-Algorithm") {
			return // would turn the request into a (malformed) presigned one
		}
		u, err := url.Parse("https://api.example.com/p?" + raw)
		if err != nil || u.RawQuery != raw {
			return
		}
		req := sign(t, "https://api.example.com", signOpts{target: "/p?" + raw})
		if req.URL.RawQuery != raw {
			t.Fatalf("test harness changed the query: %q -> %q", raw, req.URL.RawQuery)
		}
		if _, err := testVerifier().Verify(req, nil, "execute-api"); err != nil {
			t.Fatalf("SDK-signed query %q (canonical %q) rejected: %v", raw, c, err)
		}
	})
}
