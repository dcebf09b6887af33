package sigv4

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseStatic(t *testing.T) {
	got, err := ParseStatic(" AKID1:secret/with+chars , AKID2:s2:TOKEN== ")
	if err != nil {
		t.Fatal(err)
	}
	want := StaticStore{
		"AKID1": {AccessKeyID: "AKID1", SecretAccessKey: "secret/with+chars"},
		"AKID2": {AccessKeyID: "AKID2", SecretAccessKey: "s2", SessionToken: "TOKEN=="},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParseStatic (-want +got):\n%s", diff)
	}
	if c, err := got.Lookup(context.Background(), "AKID2"); err != nil || c.SecretAccessKey != "s2" {
		t.Errorf("Lookup(AKID2) = %+v, %v", c, err)
	}
	if _, err := got.Lookup(context.Background(), "nope"); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("Lookup(nope) err = %v, want ErrUnknownKey", err)
	}

	if s, err := ParseStatic("  "); err != nil || len(s) != 0 {
		t.Errorf("ParseStatic(blank) = %v, %v", s, err)
	}
	for _, bad := range []string{"AKID", "AKID:", ":secret", "A:s,A:t", "A:s,", "A:s:t:u", "A:s:"} {
		_, err := ParseStatic(bad)
		if err == nil {
			t.Errorf("ParseStatic(%q) succeeded", bad)
			continue
		}
		if strings.Contains(err.Error(), ":s") || strings.Contains(err.Error(), "secret") && bad == ":secret" {
			t.Errorf("ParseStatic(%q) error leaks the secret: %v", bad, err)
		}
	}
}

func TestParseAuthorization(t *testing.T) {
	for _, h := range []string{
		"AWS4-HMAC-SHA256 Credential=AKID/20260102/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=abcd",
		"AWS4-HMAC-SHA256 Credential=AKID/20260102/us-east-1/execute-api/aws4_request,SignedHeaders=host;x-amz-date,Signature=abcd",
		"AWS4-HMAC-SHA256  Signature=abcd ,  SignedHeaders=host;x-amz-date ,Credential=AKID/20260102/us-east-1/execute-api/aws4_request",
	} {
		a, err := ParseAuthorization(h)
		if err != nil {
			t.Fatalf("ParseAuthorization(%q): %v", h, err)
		}
		want := &Authorization{Algorithm: Algorithm, Credential: "AKID/20260102/us-east-1/execute-api/aws4_request",
			SignedHeaders: []string{"host", "x-amz-date"}, Signature: "abcd"}
		if diff := cmp.Diff(want, a); diff != "" {
			t.Errorf("ParseAuthorization(%q) (-want +got):\n%s", h, diff)
		}
		s, err := a.Scope()
		if err != nil || s.Service != "execute-api" || s.String() != "20260102/us-east-1/execute-api/aws4_request" {
			t.Errorf("Scope() = %+v, %v", s, err)
		}
	}

	_, err := ParseAuthorization("AWS4-HMAC-SHA256 Credential=x")
	wantAWSErr(t, err, "IncompleteSignatureException", 0,
		"Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256 Credential=x")
	a, _ := ParseAuthorization("AWS4-HMAC-SHA256 Credential=a/b, SignedHeaders=host, Signature=x")
	_, err = a.Scope()
	wantAWSErr(t, err, "IncompleteSignatureException", 0, "")
}

func TestCanonicalQuery(t *testing.T) {
	for raw, want := range map[string]string{
		"":                        "",
		"b=2&a=1":                 "a=1&b=2",
		"a=x+y&c=x%20y&d=x%2By":   "a=x%20y&c=x%20y&d=x%2By",
		"k&=v&&k2=":               "=v&k=&k2=",
		"a=%zz&b=%":               "a=%25zz&b=%25",
		"é=ü&%7e=~":               "%C3%A9=%C3%BC&~=~",
		"a=1;b=2":                 "a=1%3Bb%3D2",
		"X-Amz-Signature=s&z=1":   "X-Amz-Signature=s&z=1",
		"a=b=c":                   "a=b%3Dc",
		"Z=1&a=1&_=1&-=1&~=1&.=1": "-=1&.=1&Z=1&_=1&a=1&~=1",
	} {
		if got := canonicalQuery(parseQuery(raw), ""); got != want {
			t.Errorf("canonicalQuery(%q) = %q, want %q", raw, got, want)
		}
	}
	if got := canonicalQuery(parseQuery("X-Amz-Signature=s&z=1"), querySignature); got != "z=1" {
		t.Errorf("skip X-Amz-Signature: got %q", got)
	}
}

func TestNormalizePath(t *testing.T) {
	for in, want := range map[string]string{
		"/":             "/",
		"//":            "/",
		"/a/b":          "/a/b",
		"//a//b//":      "/a/b/",
		"/a/./b/../c":   "/a/c",
		"/../../a":      "/a",
		"/a/..":         "/",
		"/.well-known/": "/.well-known/",
		"/a%2F..%2Fb":   "/a%2F..%2Fb",
	} {
		if got := normalizePath(in); got != want {
			t.Errorf("normalizePath(%q) = %q, want %q", in, got, want)
		}
	}
}
