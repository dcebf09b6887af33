package sigv4

import (
	"net/http"
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
)

// Algorithm is the only signing algorithm this package verifies.
const Algorithm = "AWS4-HMAC-SHA256"

// Names of the presigned-URL query parameters.
const (
	queryAlgorithm     = "X-Amz-Algorithm"
	queryCredential    = "X-Amz-Credential"
	queryDate          = "X-Amz-Date"
	queryExpires       = "X-Amz-Expires"
	querySignedHeaders = "X-Amz-SignedHeaders"
	querySignature     = "X-Amz-Signature"
	querySecurityToken = "X-Amz-Security-Token"
	queryContentSHA256 = "X-Amz-Content-Sha256"
)

// Authorization is a parsed "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=..."
// header. Parsing checks syntax only; the algorithm and credential are validated by Verify.
type Authorization struct {
	// Algorithm is the first token of the header, e.g. "AWS4-HMAC-SHA256".
	Algorithm string
	// Credential is "AKID/YYYYMMDD/region/service/aws4_request" as sent.
	Credential string
	// SignedHeaders are the header names listed in SignedHeaders, in the order sent.
	SignedHeaders []string
	// Signature is the hex signature as sent.
	Signature string
}

// Scope is a credential split into its access key id and credential scope.
type Scope struct {
	// AccessKeyID is the key the request was signed with.
	AccessKeyID string
	// Date is the scope date, YYYYMMDD.
	Date string
	// Region is the region the client signed for, e.g. "us-east-1".
	Region string
	// Service is the signing name the client signed for, e.g. "cognito-idp" or "execute-api".
	Service string
	// Terminator is the last element, which must be "aws4_request".
	Terminator string
}

// neutral is the dialect for errors returned outside Verify: Status 0 lets the protocol layer
// pick the status.
var neutral = dialect{missingMsg: msgMissingAuthTokenAPIGW}

// ParseAuthorization parses a SigV4 Authorization header value. Errors are
// *awserr.Error values of type IncompleteSignatureException worded as AWS words them.
func ParseAuthorization(header string) (*Authorization, error) {
	a, missing, err := parseAuthorization(header, neutral)
	if err != nil {
		return nil, err
	}
	if len(missing) > 0 {
		return nil, neutral.incompleteHeader(missing, false, header)
	}
	return a, nil
}

// parseAuthorization splits the header on commas and spaces (AWS accepts either), takes the
// first token as the algorithm and the rest as key=value pairs. It returns the names of the
// required parameters that are absent, in AWS's order.
func parseAuthorization(header string, d dialect) (*Authorization, []string, *awserr.Error) {
	a := &Authorization{}
	var haveSigned bool
	first := true
	rest := header
	for rest != "" {
		i := strings.IndexAny(rest, ", ")
		var tok string
		if i < 0 {
			tok, rest = rest, ""
		} else {
			tok, rest = rest[:i], rest[i+1:]
		}
		if tok == "" {
			continue
		}
		if first {
			a.Algorithm, first = tok, false
			continue
		}
		k, v, ok := strings.Cut(tok, "=")
		if !ok {
			return nil, nil, d.notKeyValue(tok, header)
		}
		switch k {
		case "Credential":
			a.Credential = v
		case "Signature":
			a.Signature = v
		case "SignedHeaders":
			haveSigned = true
			a.SignedHeaders = splitSignedHeaders(v)
		}
	}
	var missing []string
	if a.Credential == "" {
		missing = append(missing, "Credential")
	}
	if a.Signature == "" {
		missing = append(missing, "Signature")
	}
	if !haveSigned {
		missing = append(missing, "SignedHeaders")
	}
	return a, missing, nil
}

func splitSignedHeaders(v string) []string {
	if v == "" {
		return nil
	}
	return strings.Split(v, ";")
}

// Scope parses a.Credential.
func (a *Authorization) Scope() (Scope, error) {
	s, ok := parseScope(a.Credential)
	if !ok {
		return Scope{}, neutral.credentialParts(a.Credential)
	}
	return s, nil
}

func parseScope(cred string) (Scope, bool) {
	parts := strings.Split(cred, "/")
	if len(parts) != 5 {
		return Scope{}, false
	}
	return Scope{AccessKeyID: parts[0], Date: parts[1], Region: parts[2], Service: parts[3], Terminator: parts[4]}, true
}

// String returns the credential scope "YYYYMMDD/region/service/aws4_request" (without the key).
func (s Scope) String() string {
	return s.Date + "/" + s.Region + "/" + s.Service + "/" + s.Terminator
}

// RequestScope returns the credential scope a request claims to be signed with, from its
// Authorization header or X-Amz-Credential query parameter, without verifying anything. Use
// it to route a request to the service it was signed for; ok is false when there is none.
func RequestScope(r *http.Request) (s Scope, ok bool) {
	if h := r.Header.Get("Authorization"); h != "" {
		a, missing, err := parseAuthorization(h, neutral)
		if err != nil || len(missing) > 0 {
			return Scope{}, false
		}
		return parseScope(a.Credential)
	}
	for _, p := range parseQuery(r.URL.RawQuery) {
		if p.key == queryCredential {
			return parseScope(p.value)
		}
	}
	return Scope{}, false
}
