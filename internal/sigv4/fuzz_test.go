package sigv4

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
)

// Fuzz input bounds. The parsers work token by token or pair by pair, so short inputs reach
// all of their logic, while the engine's O(n²) minimization of long "interesting" inputs can
// run past -fuzztime (reported as "context deadline exceeded"). Longer inputs return early,
// add no coverage and so are never minimized. Headers get room for a realistic ~180-byte
// Authorization value.
const (
	maxFuzzHeaderLen = 256
	maxFuzzQueryLen  = 128
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
		if len(header) > maxFuzzHeaderLen {
			return
		}
		a, err := ParseAuthorization(header)
		if err != nil {
			if !awserr.Is(err, awserr.IncompleteSignature) {
				t.Fatalf("ParseAuthorization(%q) error %v, want IncompleteSignatureException", header, err)
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

// querySeeds seed FuzzCanonicalQuery and TestQueryReferenceMatchesSDK.
var querySeeds = []string{
	"", "a=1", "b=2&a=1", "a=x+y&b=x%20y&c=%2B", "Param1=value2&Param1=Value1",
	"%E1%88%B4=bar", "ሴ=bar", "k&=v&&", "a=%zz", "a=1;b=2", "a=b=c", "%7e=~&~=%7E",
	"X-Amz-Signature=x&X-Amz-Credential=y", "q=%21%2A%27%28%29%3A%40%26%3D%24%2C%2F%3F%23%5B%5D",
	"-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~",
}

// sdkCanonicalQuery is the Go SDK signer's canonical query algorithm (aws/signer/internal/v4
// EncodeQuery over url.ParseQuery) rebuilt from the standard library, so the fuzzer can
// compare against it at full speed. TestQueryReferenceMatchesSDK pins it to the real signer.
func sdkCanonicalQuery(raw string) (string, bool) {
	vals, err := url.ParseQuery(raw)
	if err != nil {
		return "", false // the SDK silently drops what it cannot parse; no comparison possible
	}
	var pairs []string
	for k, vs := range vals {
		for _, v := range vs {
			pairs = append(pairs, strings.ReplaceAll(url.QueryEscape(k), "+", "%20")+"="+strings.ReplaceAll(url.QueryEscape(v), "+", "%20"))
		}
	}
	sort.Slice(pairs, func(i, j int) bool {
		ki, vi, _ := strings.Cut(pairs[i], "=")
		kj, vj, _ := strings.Cut(pairs[j], "=")
		if ki != kj {
			return ki < kj
		}
		return vi < vj
	})
	return strings.Join(pairs, "&"), true
}

// FuzzCanonicalQuery checks canonical query strings are a fixed point of canonicalization,
// contain only RFC 3986 unreserved characters and escapes, and agree with the SDK signer's
// algorithm for every query that algorithm accepts.
func FuzzCanonicalQuery(f *testing.F) {
	for _, s := range querySeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if len(raw) > maxFuzzQueryLen {
			return
		}
		c := canonicalQuery(parseQuery(raw), "")
		for i := 0; i < len(c); i++ {
			if ch := c[i]; !isUnreserved(ch) && ch != '%' && ch != '=' && ch != '&' {
				t.Fatalf("canonicalQuery(%q) = %q has byte %q", raw, c, ch)
			}
		}
		if again := canonicalQuery(parseQuery(c), ""); again != c {
			t.Fatalf("not a fixed point: %q -> %q -> %q", raw, c, again)
		}
		if want, ok := sdkCanonicalQuery(raw); ok && want != c {
			t.Fatalf("canonicalQuery(%q) = %q, SDK algorithm gives %q", raw, c, want)
		}
	})
}

// TestQueryReferenceMatchesSDK verifies, for each seed the SDK can parse, that the real SDK
// signer's signature verifies (so sdkCanonicalQuery and canonicalQuery both match it).
func TestQueryReferenceMatchesSDK(t *testing.T) {
	for _, raw := range querySeeds {
		if _, ok := sdkCanonicalQuery(raw); !ok || strings.Contains(raw, "X-Amz-") {
			continue
		}
		t.Run(raw, func(t *testing.T) {
			req := sign(t, "https://api.example.com", signOpts{target: "/p?" + raw})
			if req.URL.RawQuery != raw {
				t.Skipf("url.Parse rewrote %q to %q", raw, req.URL.RawQuery)
			}
			if _, err := testVerifier().Verify(req, nil, "execute-api"); err != nil {
				t.Fatalf("SDK-signed query %q rejected: %v", raw, err)
			}
		})
	}
}
