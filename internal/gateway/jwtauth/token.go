package jwtauth

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"math"
	"slices"
	"strings"
	"time"
)

// Error descriptions sent in www-authenticate. API Gateway's JWT authorizer is evidently written
// in Go on golang-jwt (its texts for a malformed token and a non-RSA alg are golang-jwt's), with
// its own wording for claim checks. Which of these are confirmed:
//   - descAudience: documented (http-api-troubleshooting-jwt.html).
//   - descExpired: observed on AWS (keitakn/go-cognito-lambda README, 2020).
//   - descSegments: observed on AWS (a 2026 production runbook probing a Cognito JWT authorizer).
//   - descAlgInvalid: observed on AWS for ES256 ("signing method ES256 is invalid").
//   - the base64 and JSON texts: Go's own error strings, as golang-jwt passes them through;
//     unconfirmed on AWS.
//   - everything else: unconfirmed, worded after the confirmed ones.
const (
	descSegments       = "token contains an invalid number of segments"
	descAlgInvalid     = "signing method %s is invalid"
	descAlgUnspecified = "signing method (alg) is unspecified."
	descAlgUnavailable = "signing method (alg) is unavailable."
	descMalformed      = "token is malformed"
	descTooLarge       = "the token is too large"
	descNoKeyID        = "the token does not have a kid header"
	descUnknownKey     = "the token's kid does not match any key of the issuer"
	descKeys           = "unable to retrieve the issuer's signing keys"
	descIssuer         = "the token does not have a valid issuer"
	descAudience       = "the token does not have a valid audience"
	descExpired        = "the token has expired"
	descNotYetValid    = "the token is not valid yet"
	descIssuedFuture   = "the token was issued in the future"
)

// rsaAlgs are the algorithms accepted: AWS supports "only RSA-based algorithms".
var rsaAlgs = map[string]crypto.Hash{
	"RS256": crypto.SHA256, "RS384": crypto.SHA384, "RS512": crypto.SHA512,
	"PS256": crypto.SHA256, "PS384": crypto.SHA384, "PS512": crypto.SHA512,
}

// knownAlgs are the other algorithms golang-jwt knows, refused with "is invalid" rather than
// "is unavailable".
var knownAlgs = []string{"none", "HS256", "HS384", "HS512", "ES256", "ES384", "ES512", "EdDSA"}

// b64 decodes JWS segments: unpadded base64url, as RFC 7515 and golang-jwt require.
var b64 = base64.RawURLEncoding

// verified is what the token cache keeps of a verified token.
type verified struct {
	issuer string
	claims map[string]string
	scopes []string
	times  timeClaims
}

// timeClaims are the time claims re-checked on every cache hit.
type timeClaims struct {
	exp            time.Time
	nbf, iat       time.Time
	hasNbf, hasIat bool
}

// check returns the denial for the time claims at now, or nil.
func (t timeClaims) check(now time.Time) *denial {
	if !now.Before(t.exp) {
		return &denial{ErrExpired, descExpired, nil}
	}
	if t.hasNbf && t.nbf.After(now) {
		return &denial{ErrNotYetValid, descNotYetValid, nil}
	}
	if t.hasIat && t.iat.After(now) {
		return &denial{ErrIssuedInFuture, descIssuedFuture, nil}
	}
	return nil
}

// verify runs every check on token but the route's scopes.
func (v *Verifier) verify(ctx context.Context, cfg Config, token string, now time.Time) (*verified, *denial) {
	if strings.Count(token, ".") != 2 {
		return nil, &denial{ErrMalformed, descSegments, nil}
	}
	h64, rest, _ := strings.Cut(token, ".")
	p64, s64, _ := strings.Cut(rest, ".")

	hb, err := b64.DecodeString(h64)
	if err != nil {
		return nil, &denial{ErrMalformed, err.Error(), nil}
	}
	var hdr map[string]any
	if err := json.Unmarshal(hb, &hdr); err != nil {
		return nil, &denial{ErrMalformed, err.Error(), nil}
	}
	pb, err := b64.DecodeString(p64)
	if err != nil {
		return nil, &denial{ErrMalformed, err.Error(), nil}
	}
	claims, err := decodeClaims(pb)
	if err != nil {
		return nil, &denial{ErrMalformed, err.Error(), nil}
	}

	alg, ok := hdr["alg"].(string)
	if !ok {
		return nil, &denial{ErrAlgorithm, descAlgUnspecified, nil}
	}
	hash, ok := rsaAlgs[alg]
	if !ok {
		if slices.Contains(knownAlgs, alg) {
			return nil, &denial{ErrAlgorithm, strings.Replace(descAlgInvalid, "%s", alg, 1), nil}
		}
		return nil, &denial{ErrAlgorithm, descAlgUnavailable, nil}
	}
	kid, _ := hdr["kid"].(string)
	if kid == "" {
		return nil, &denial{ErrNoKeyID, descNoKeyID, nil}
	}
	sig, err := b64.DecodeString(s64)
	if err != nil {
		return nil, &denial{ErrSignature, err.Error(), nil}
	}
	if len(sig) == 0 {
		return nil, &denial{ErrSignature, rsa.ErrVerification.Error(), nil}
	}

	pub, d := v.keys.key(ctx, cfg.Issuer, kid, alg)
	if d != nil {
		return nil, d
	}
	if err := verifySignature(pub, alg, hash, token[:len(h64)+1+len(p64)], sig); err != nil {
		return nil, &denial{ErrSignature, err.Error(), nil}
	}

	if iss, _ := claims["iss"].(string); iss != cfg.Issuer || cfg.Issuer == "" {
		return nil, &denial{ErrIssuer, descIssuer, nil}
	}
	if !audienceAllowed(claims, cfg.Audience) {
		return nil, &denial{ErrAudience, descAudience, nil}
	}
	var t timeClaims
	if t.exp, ok = numericDate(claims["exp"]); !ok {
		return nil, &denial{ErrExpired, descExpired, nil}
	}
	if n, present := claims["nbf"]; present && n != nil {
		if t.nbf, ok = numericDate(n); !ok {
			return nil, &denial{ErrNotYetValid, descNotYetValid, nil}
		}
		t.hasNbf = true
	}
	if n, present := claims["iat"]; present && n != nil {
		if t.iat, ok = numericDate(n); !ok {
			return nil, &denial{ErrIssuedInFuture, descIssuedFuture, nil}
		}
		t.hasIat = true
	}
	if d := t.check(now); d != nil {
		return nil, d
	}
	return &verified{
		issuer: cfg.Issuer,
		claims: renderClaims(claims),
		scopes: tokenScopes(claims),
		times:  t,
	}, nil
}

// decodeClaims decodes a JWT claims set, keeping numbers as json.Number. A payload that is not
// exactly one JSON object is an error.
func decodeClaims(b []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New(descMalformed)
	}
	if m == nil { // the payload was null
		return nil, errors.New(descMalformed)
	}
	return m, nil
}

// verifySignature checks sig over the literal signing input, as golang-jwt does; a signature
// valid only for a re-encoding of the segments is not accepted.
func verifySignature(pub *rsa.PublicKey, alg string, hash crypto.Hash, input string, sig []byte) error {
	var digest []byte
	switch hash {
	case crypto.SHA256:
		s := sha256.Sum256([]byte(input))
		digest = s[:]
	case crypto.SHA384:
		s := sha512.Sum384([]byte(input))
		digest = s[:]
	case crypto.SHA512:
		s := sha512.Sum512([]byte(input))
		digest = s[:]
	default:
		return rsa.ErrVerification
	}
	if alg[0] == 'P' {
		return rsa.VerifyPSS(pub, hash, digest, sig, nil)
	}
	return rsa.VerifyPKCS1v15(pub, hash, digest, sig)
}

// audienceAllowed applies AWS's rule: aud when present (a string or an array of strings, any
// element matching), otherwise client_id.
func audienceAllowed(claims map[string]any, audience []string) bool {
	if aud, ok := claims["aud"]; ok && aud != nil {
		switch a := aud.(type) {
		case string:
			return slices.Contains(audience, a)
		case []any:
			for _, e := range a {
				if s, ok := e.(string); ok && slices.Contains(audience, s) {
					return true
				}
			}
		}
		return false
	}
	cid, ok := claims["client_id"].(string)
	return ok && slices.Contains(audience, cid)
}

// numericDate decodes a JWT NumericDate (seconds since the epoch, possibly fractional).
func numericDate(v any) (time.Time, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return time.Time{}, false
	}
	f, err := n.Float64()
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return time.Time{}, false
	}
	const limit = 1 << 40 // ~35000 years: far enough, and safe to convert
	f = max(min(f, limit), -limit)
	sec := math.Floor(f)
	return time.Unix(int64(sec), int64((f-sec)*1e9)), true
}
