package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

const (
	// amzDateFormat is ISO 8601 basic format, as used by X-Amz-Date and the string to sign.
	amzDateFormat = "20060102T150405Z"
	// scopeDateFormat is the credential-scope date.
	scopeDateFormat = "20060102"
	// scopeTerminator ends every SigV4 credential scope.
	scopeTerminator = "aws4_request"
	// unsignedPayload is the X-Amz-Content-Sha256 value for an unsigned body.
	unsignedPayload = "UNSIGNED-PAYLOAD"
)

func formatAmzDate(t time.Time) string { return t.UTC().Format(amzDateFormat) }

// queryPair is one decoded query parameter.
type queryPair struct{ key, value string }

// parseQuery splits a raw query on '&' and decodes each "key=value" ('+' means space, as Go's
// url.ParseQuery and the AWS SDKs treat it). Empty segments are skipped; a segment without '='
// has an empty value; a component with an invalid %-escape is kept verbatim so that it is
// still covered by the signature rather than silently dropped.
func parseQuery(raw string) []queryPair {
	if raw == "" {
		return nil
	}
	pairs := make([]queryPair, 0, strings.Count(raw, "&")+1)
	for seg := range strings.SplitSeq(raw, "&") {
		if seg == "" {
			continue
		}
		k, v, _ := strings.Cut(seg, "=")
		pairs = append(pairs, queryPair{unescapeQuery(k), unescapeQuery(v)})
	}
	return pairs
}

func unescapeQuery(s string) string {
	if !strings.ContainsAny(s, "%+") {
		return s
	}
	u, err := url.QueryUnescape(s)
	if err != nil {
		return s
	}
	return u
}

// canonicalQuery builds the canonical query string: every name and value URI-encoded per
// RFC 3986 (only A-Z a-z 0-9 - _ . ~ left bare, %XX uppercase, space as %20), sorted by
// encoded name then encoded value, "name=value" pairs joined by '&'. Pairs named skip (the
// presigned X-Amz-Signature) are left out.
func canonicalQuery(pairs []queryPair, skip string) string {
	enc := make([]queryPair, 0, len(pairs))
	for _, p := range pairs {
		if skip != "" && p.key == skip {
			continue
		}
		enc = append(enc, queryPair{uriEncode(p.key, true), uriEncode(p.value, true)})
	}
	slices.SortFunc(enc, func(a, b queryPair) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return strings.Compare(a.value, b.value)
	})
	var b strings.Builder
	for i, p := range enc {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.key)
		b.WriteByte('=')
		b.WriteString(p.value)
	}
	return b.String()
}

const upperHex = "0123456789ABCDEF"

func isUnreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}

// uriEncode percent-encodes every byte outside the RFC 3986 unreserved set; '/' is kept when
// encodeSlash is false.
func uriEncode(s string, encodeSlash bool) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isUnreserved(c) && (encodeSlash || c != '/') {
			n++
		}
	}
	if n == 0 {
		return s
	}
	b := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUnreserved(c) || (!encodeSlash && c == '/') {
			b = append(b, c)
			continue
		}
		b = append(b, '%', upperHex[c>>4], upperHex[c&15])
	}
	return string(b)
}

// canonicalURI encodes a path as it appeared on the wire (already percent-encoded once) a
// second time, segment by segment, as every service but S3 expects: "/a%20b" → "/a%2520b".
func canonicalURI(escapedPath string) string {
	if escapedPath == "" {
		return "/"
	}
	return uriEncode(escapedPath, false)
}

// normalizePath removes empty, "." and ".." segments (RFC 3986 §5.2.4 plus slash collapsing),
// keeping a trailing slash. botocore and the AWS test suite sign this form; the Go SDK signs
// the path as sent, so Verify accepts either.
func normalizePath(p string) string {
	if !strings.Contains(p, "//") && !strings.Contains(p, "/.") {
		return p
	}
	out := make([]string, 0, strings.Count(p, "/"))
	for seg := range strings.SplitSeq(p, "/") {
		switch seg {
		case "", ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, seg)
		}
	}
	res := "/" + strings.Join(out, "/")
	if len(out) > 0 && strings.HasSuffix(p, "/") {
		res += "/"
	}
	return res
}

// canonicalHeaders writes "name:value\n" for each signed header, in the order listed: names
// lowercased; values trimmed, runs of spaces collapsed, repeated headers joined by ','. Host
// comes from r.Host (Go moves it out of r.Header) and Content-Length from r.ContentLength when
// the header map lacks it (requests built in-process).
func canonicalHeaders(b *strings.Builder, r *http.Request, signed []string) {
	for _, name := range signed {
		lname := strings.ToLower(name)
		b.WriteString(lname)
		b.WriteByte(':')
		switch values := r.Header.Values(lname); {
		case lname == "host":
			host := r.Host
			if host == "" {
				host = r.URL.Host
			}
			b.WriteString(trimAll(host))
		case len(values) > 0:
			for i, v := range values {
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteString(trimAll(v))
			}
		case lname == "content-length" && r.ContentLength >= 0:
			b.WriteString(strconv.FormatInt(r.ContentLength, 10))
		case lname == "transfer-encoding":
			b.WriteString(strings.Join(r.TransferEncoding, ","))
		}
		b.WriteByte('\n')
	}
}

// trimAll trims surrounding whitespace and collapses runs of spaces to one.
func trimAll(v string) string {
	v = strings.TrimSpace(v)
	if !strings.Contains(v, "  ") {
		return v
	}
	b := make([]byte, 0, len(v))
	for i := 0; i < len(v); i++ {
		if v[i] == ' ' && i > 0 && v[i-1] == ' ' {
			continue
		}
		b = append(b, v[i])
	}
	return string(b)
}

// canonicalRequest joins method, canonical URI, canonical query, canonical headers, the
// signed-header list and the payload hash with newlines.
func canonicalRequest(r *http.Request, uri, query string, signed []string, payloadHash string) string {
	var b strings.Builder
	b.Grow(256 + len(uri) + len(query))
	b.WriteString(r.Method)
	b.WriteByte('\n')
	b.WriteString(uri)
	b.WriteByte('\n')
	b.WriteString(query)
	b.WriteByte('\n')
	canonicalHeaders(&b, r, signed)
	b.WriteByte('\n')
	for i, h := range signed {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(strings.ToLower(h))
	}
	b.WriteByte('\n')
	b.WriteString(payloadHash)
	return b.String()
}

// stringToSign is "AWS4-HMAC-SHA256\n<amzdate>\n<scope>\nhex(sha256(canonical request))".
func stringToSign(amzDate, scope, creq string) string {
	sum := sha256.Sum256([]byte(creq))
	return Algorithm + "\n" + amzDate + "\n" + scope + "\n" + hex.EncodeToString(sum[:])
}

// signingKey derives kSigning = HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service),
// "aws4_request").
func signingKey(secret string, s Scope) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), s.Date)
	k = hmacSHA256(k, s.Region)
	k = hmacSHA256(k, s.Service)
	return hmacSHA256(k, scopeTerminator)
}

// signature is hex(HMAC(signingKey, stringToSign)).
func signature(key []byte, sts string) string {
	return hex.EncodeToString(hmacSHA256(key, sts))
}

func hmacSHA256(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}

func hashHex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
