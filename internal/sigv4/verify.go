package sigv4

import (
	"crypto/hmac"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// DefaultMaxSkew is the clock-skew window AWS's JSON services allow and Verifier's default.
const DefaultMaxSkew = 15 * time.Minute

// maxPresignExpires is the longest X-Amz-Expires AWS accepts: one week.
const maxPresignExpires = 7 * 24 * 60 * 60

// Verifier checks SigV4 signatures against a CredentialStore. A Verifier is safe for
// concurrent use once configured.
type Verifier struct {
	// Store resolves access key ids. Required.
	Store CredentialStore
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// MaxSkew is how far X-Amz-Date may be from Now in either direction; 0 means
	// DefaultMaxSkew.
	MaxSkew time.Duration
	// Region, if set, is the only region a credential scope may name.
	Region string
	// AllowUnsignedPayload accepts "X-Amz-Content-Sha256: UNSIGNED-PAYLOAD" as the payload
	// hash, leaving the body unauthenticated (S3 semantics). When false, as on AWS's non-S3
	// services, the payload hash is always SHA-256 of the body, so a client that declared
	// UNSIGNED-PAYLOAD gets a signature mismatch.
	AllowUnsignedPayload bool
}

// Identity is who a verified request was signed by, and the scope it was signed for.
type Identity struct {
	// AccessKeyID is the key that signed the request.
	AccessKeyID string
	// Account is Credentials.Account of that key.
	Account string
	// Principal is Credentials.Principal of that key.
	Principal string
	// Region is the region in the credential scope.
	Region string
	// Service is the signing name in the credential scope.
	Service string
}

// signedInput is what a request says about its own signature, from either form.
type signedInput struct {
	presigned  bool
	algorithm  string
	credential string
	signed     []string
	signature  string
	date       time.Time
	token      string
	// expires is X-Amz-Expires for presigned requests that carry it, else 0 with hasExpires false.
	expires    time.Duration
	hasExpires bool
}

// Verify checks the SigV4 signature of r, whose body the caller has already read into body,
// for the given service signing name ("cognito-idp", "execute-api", ...; empty accepts any).
// It handles both the Authorization-header form and presigned URLs (X-Amz-Algorithm,
// X-Amz-Credential, X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders, X-Amz-Signature,
// X-Amz-Security-Token in the query).
//
// Checks run in AWS's order: both forms present; missing token; missing parameters; date
// format; clock skew (±MaxSkew) or presign expiry; 'host' signed; algorithm; credential
// shape; credential scope (region, service, terminator, date); access key; session token;
// signature (constant-time).
//
// Rejections are *awserr.Error values with AWS's type and message and Status set:
// 400 for cognito-idp (awsJson1_1, as Cognito answers), 403 otherwise (API Gateway and
// other REST front ends). A CredentialStore failure other than ErrUnknownKey is returned
// wrapped, as an internal error.
func (v *Verifier) Verify(r *http.Request, body []byte, service string) (*Identity, error) {
	d := dialectFor(service)
	now := time.Now
	if v.Now != nil {
		now = v.Now
	}
	t := now().UTC()
	skew := v.MaxSkew
	if skew <= 0 {
		skew = DefaultMaxSkew
	}

	header := r.Header.Get("Authorization")
	query := parseQuery(r.URL.RawQuery)
	_, presigned := lookupQuery(query, queryAlgorithm)

	var in signedInput
	var err error
	switch {
	case header != "" && presigned:
		return nil, d.foundBoth()
	case presigned:
		in, err = fromQuery(query, d)
	case header == "":
		return nil, d.missingToken()
	case d.foreignIsMissing && !strings.HasPrefix(header, "AWS4-"):
		return nil, d.missingToken()
	default:
		in, err = fromHeader(r, header, d)
	}
	if err != nil {
		return nil, err
	}

	// Time window. A presigned URL with X-Amz-Expires is valid until date+expires instead of
	// date+MaxSkew; both may be used up to MaxSkew before their date.
	if in.date.After(t.Add(skew)) {
		return nil, d.notYetCurrent(in.date, t, skew)
	}
	window := skew
	if in.hasExpires {
		window = in.expires
	}
	if in.date.Before(t.Add(-window)) {
		return nil, d.expired(in.date, t, window)
	}

	if !containsFold(in.signed, "host") {
		return nil, d.hostNotSigned()
	}
	if in.algorithm != Algorithm {
		return nil, d.unsupportedAlgorithm(in.algorithm)
	}
	scope, ok := parseScope(in.credential)
	if !ok {
		return nil, d.credentialParts(in.credential)
	}
	if bad := v.scopeProblems(scope, service, in.date); bad != "" {
		return nil, d.badScope(bad)
	}

	creds, err := v.Store.Lookup(r.Context(), scope.AccessKeyID)
	switch {
	case errors.Is(err, ErrUnknownKey):
		return nil, d.invalidToken()
	case err != nil:
		return nil, fmt.Errorf("sigv4: looking up access key: %w", err)
	case creds.SecretAccessKey == "":
		return nil, d.invalidToken()
	}
	if creds.SessionToken == "" {
		if in.token != "" {
			return nil, d.invalidToken()
		}
	} else if subtle.ConstantTimeCompare([]byte(in.token), []byte(creds.SessionToken)) != 1 {
		return nil, d.invalidToken()
	}

	payloadHash := v.payloadHash(r, query, in.presigned, body)
	skip := ""
	if in.presigned {
		skip = querySignature
	}
	cquery := canonicalQuery(query, skip)
	amzDate := formatAmzDate(in.date)
	key := signingKey(creds.SecretAccessKey, scope)
	escaped := r.URL.EscapedPath()

	// The path as sent (what the Go SDK signs) first, then its normalized form (what botocore
	// and the AWS test suite sign) when that differs.
	creq := canonicalRequest(r, canonicalURI(escaped), cquery, in.signed, payloadHash)
	sts := stringToSign(amzDate, scope.String(), creq)
	match := hmac.Equal([]byte(signature(key, sts)), []byte(in.signature))
	if norm := normalizePath(escaped); !match && norm != escaped {
		c := canonicalRequest(r, canonicalURI(norm), cquery, in.signed, payloadHash)
		match = hmac.Equal([]byte(signature(key, stringToSign(amzDate, scope.String(), c))), []byte(in.signature))
	}
	if !match {
		return nil, d.mismatch(creq, sts)
	}
	return &Identity{
		AccessKeyID: scope.AccessKeyID,
		Account:     creds.Account,
		Principal:   creds.Principal,
		Region:      scope.Region,
		Service:     scope.Service,
	}, nil
}

// scopeProblems returns AWS's concatenated complaints about a credential scope, or "".
func (v *Verifier) scopeProblems(scope Scope, service string, date time.Time) string {
	var bad strings.Builder
	if v.Region != "" && scope.Region != v.Region {
		fmt.Fprintf(&bad, msgScopeRegion, scope.Region)
	}
	if service != "" && scope.Service != service {
		fmt.Fprintf(&bad, msgScopeService, service)
	}
	if scope.Terminator != scopeTerminator {
		fmt.Fprintf(&bad, msgScopeTerminator, scope.Terminator)
	}
	if want := date.Format(scopeDateFormat); scope.Date != want {
		fmt.Fprintf(&bad, msgScopeDate, scope.Date, want, formatAmzDate(date))
	}
	return bad.String()
}

// payloadHash is the canonical request's last line: hex SHA-256 of the body, or
// UNSIGNED-PAYLOAD when the client declared it and AllowUnsignedPayload is set. A declared
// hash is never trusted in place of the body's: if it differs, the signature won't match.
func (v *Verifier) payloadHash(r *http.Request, query []queryPair, presigned bool, body []byte) string {
	if v.AllowUnsignedPayload {
		declared := r.Header.Get(queryContentSHA256)
		if declared == "" && presigned {
			declared, _ = lookupQuery(query, queryContentSHA256)
		}
		if declared == unsignedPayload {
			return unsignedPayload
		}
	}
	return hashHex(body)
}

// fromHeader reads the Authorization-header form.
func fromHeader(r *http.Request, header string, d dialect) (signedInput, error) {
	a, missing, err := parseAuthorization(header, d)
	if err != nil {
		return signedInput{}, err
	}
	rawDate, isAmz := r.Header.Get("X-Amz-Date"), true
	if rawDate == "" {
		rawDate, isAmz = r.Header.Get("Date"), false
	}
	if len(missing) > 0 || rawDate == "" {
		return signedInput{}, d.incompleteHeader(missing, rawDate == "", header)
	}
	var date time.Time
	var ok bool
	if isAmz {
		date, ok = parseAmzDate(rawDate)
	} else {
		var perr error
		date, perr = http.ParseTime(rawDate)
		ok = perr == nil
	}
	if !ok {
		return signedInput{}, d.badDate(rawDate)
	}
	return signedInput{
		algorithm:  a.Algorithm,
		credential: a.Credential,
		signed:     a.SignedHeaders,
		signature:  a.Signature,
		date:       date.UTC(),
		token:      r.Header.Get(querySecurityToken),
	}, nil
}

// fromQuery reads the presigned-URL form.
func fromQuery(query []queryPair, d dialect) (signedInput, error) {
	var in signedInput
	in.presigned = true
	rawDate := ""
	var missing []string
	for _, f := range []struct {
		name string
		dst  *string
	}{
		{queryAlgorithm, &in.algorithm},
		{queryCredential, &in.credential},
		{querySignature, &in.signature},
		{querySignedHeaders, nil},
		{queryDate, &rawDate},
	} {
		val, _ := lookupQuery(query, f.name)
		if val == "" {
			missing = append(missing, f.name)
			continue
		}
		if f.dst != nil {
			*f.dst = val
		} else {
			in.signed = splitSignedHeaders(val)
		}
	}
	if len(missing) > 0 {
		return signedInput{}, d.incompleteQuery(missing)
	}
	date, ok := parseAmzDate(rawDate)
	if !ok {
		return signedInput{}, d.badDate(rawDate)
	}
	in.date = date
	if raw, present := lookupQuery(query, queryExpires); present {
		n, err := strconv.ParseInt(raw, 10, 64)
		switch {
		case err != nil:
			return signedInput{}, d.badExpires(msgExpiresNotNumber)
		case n < 0:
			return signedInput{}, d.badExpires(msgExpiresNegative)
		case n > maxPresignExpires:
			return signedInput{}, d.badExpires(msgExpiresTooLarge)
		}
		in.expires, in.hasExpires = time.Duration(n)*time.Second, true
	}
	in.token, _ = lookupQuery(query, querySecurityToken)
	return in, nil
}

// parseAmzDate parses exactly YYYYMMDD'T'HHMMSS'Z'.
func parseAmzDate(s string) (time.Time, bool) {
	t, err := time.Parse(amzDateFormat, s)
	if err != nil || t.Format(amzDateFormat) != s {
		return time.Time{}, false
	}
	return t, true
}

// lookupQuery returns the first value of a case-sensitively named parameter.
func lookupQuery(pairs []queryPair, name string) (string, bool) {
	for _, p := range pairs {
		if p.key == name {
			return p.value, true
		}
	}
	return "", false
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
