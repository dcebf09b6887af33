package jwtauth

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"time"
)

// Limits and defaults. The fetch timeout and JWKS size are AWS's HTTP API quotas ("Timeout for
// JSON Web Key Set endpoint", "Timeout for OpenID Connect discovery endpoint": 1500 ms;
// "Response size from JSON Web Key Set endpoint": 150000 bytes), the key TTL is the two hours
// the JWT authorizer page says API Gateway may cache public keys, and the token size is the
// 10240-byte "total combined size of request line and header values".
const (
	DefaultFetchTimeout       = 1500 * time.Millisecond
	DefaultMaxJWKSBytes       = 150000
	DefaultKeyTTL             = 2 * time.Hour
	DefaultMinRefreshInterval = time.Minute
	DefaultMaxTokenBytes      = 10240
	DefaultCacheSize          = 10000
)

// Response bodies of a denial, as API Gateway sends them.
const (
	BodyUnauthorized = `{"message":"Unauthorized"}`
	BodyForbidden    = `{"message":"Forbidden"}`
)

// Reasons a request is denied. Result.Err wraps exactly one of them; test with errors.Is.
var (
	// ErrNoToken: the identity source is missing or empty.
	ErrNoToken = errors.New("jwtauth: no token")
	// ErrTokenTooLarge: the identity source is longer than Options.MaxTokenBytes.
	ErrTokenTooLarge = errors.New("jwtauth: token too large")
	// ErrMalformed: not a compact JWS, or a segment is not base64url JSON.
	ErrMalformed = errors.New("jwtauth: malformed token")
	// ErrAlgorithm: alg is missing, unknown or not an RSA algorithm (none, HS*, ES*, EdDSA…).
	ErrAlgorithm = errors.New("jwtauth: algorithm not allowed")
	// ErrNoKeyID: the header has no kid.
	ErrNoKeyID = errors.New("jwtauth: no kid")
	// ErrUnknownKey: no RSA signing key of the issuer's JWKS has the token's kid (and alg).
	ErrUnknownKey = errors.New("jwtauth: unknown kid")
	// ErrKeysUnavailable: the issuer's keys could not be obtained (discovery or JWKS fetch
	// failed, timed out, was too large or invalid), or the configuration has no usable issuer.
	ErrKeysUnavailable = errors.New("jwtauth: keys unavailable")
	// ErrSignature: the signature does not verify with the key.
	ErrSignature = errors.New("jwtauth: bad signature")
	// ErrIssuer: iss is not the configured issuer.
	ErrIssuer = errors.New("jwtauth: wrong issuer")
	// ErrAudience: aud (or client_id when aud is absent) is none of the configured audiences.
	ErrAudience = errors.New("jwtauth: wrong audience")
	// ErrExpired: exp is missing, not a number, or not in the future.
	ErrExpired = errors.New("jwtauth: expired")
	// ErrNotYetValid: nbf is in the future or not a number.
	ErrNotYetValid = errors.New("jwtauth: not yet valid")
	// ErrIssuedInFuture: iat is in the future or not a number.
	ErrIssuedInFuture = errors.New("jwtauth: issued in the future")
	// ErrScope: the route has authorizationScopes and the token has none of them (403).
	ErrScope = errors.New("jwtauth: insufficient scope")
)

// Config is a JWT authorizer's jwtConfiguration. Two authorizers with equal Config share
// verified tokens.
type Config struct {
	// Issuer must equal the token's iss exactly; keys are discovered under it.
	Issuer string
	// Audience lists the accepted aud (or client_id) values; empty accepts nothing.
	Audience []string
}

// Options configure a Verifier. The zero value is usable: every zero field takes its default.
type Options struct {
	// HTTPClient fetches discovery documents and key sets; nil means a client of its own.
	// Per-fetch timeouts come from FetchTimeout, not from the client.
	HTTPClient *http.Client
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Local resolves issuers served by this process without HTTP. It returns the issuer's
	// JWKS document and ok=true, or ok=false to fall back to OIDC discovery over HTTP; an error
	// denies. Sets it returns are cached like fetched ones, but an unknown kid asks Local again
	// without waiting for MinRefreshInterval.
	Local func(ctx context.Context, issuer string) (jwks []byte, ok bool, err error)
	// FetchTimeout bounds each discovery and each JWKS request (default 1500 ms).
	FetchTimeout time.Duration
	// MaxJWKSBytes bounds discovery and JWKS response bodies; larger ones are refused
	// (default 150000).
	MaxJWKSBytes int64
	// KeyTTL is how long a fetched key set is used, and the longest a verified token is cached
	// (default 2 h).
	KeyTTL time.Duration
	// MinRefreshInterval is the least time between two refreshes of a still-valid key set
	// caused by unknown kids (default 1 min).
	MinRefreshInterval time.Duration
	// MaxTokenBytes bounds the identity-source value (default 10240).
	MaxTokenBytes int
	// CacheSize is the number of verified tokens kept (default 10000); negative disables the
	// verified-token cache.
	CacheSize int
}

// Result is the outcome of Authorize. A Result is a denial unless Allowed is true.
type Result struct {
	// Allowed reports that the request may proceed to the integration.
	Allowed bool
	// Claims are the token's claims as API Gateway passes them in
	// requestContext.authorizer.jwt.claims: every value a string, numbers and booleans in their
	// JSON text, arrays in Go's fmt form ("[admin poweruser]"), objects as compact JSON, null
	// claims left out. Set only when Allowed; the map belongs to the caller.
	Claims map[string]string
	// Scopes is requestContext.authorizer.jwt.scopes: scp split on spaces (or its array), else
	// scope likewise, nil when the token has neither. Set only when Allowed.
	Scopes []string

	// Status is 401 or 403 for a denial, 0 when allowed.
	Status int
	// Body is the response body of a denial: BodyUnauthorized or BodyForbidden.
	Body string
	// WWWAuthenticate is the www-authenticate header value of a 401 ("" otherwise), e.g.
	// `Bearer scope="" error="invalid_token" error_description="the token has expired"`, or
	// just "Bearer" when there is no token.
	WWWAuthenticate string
	// Description is the error_description of a 401, or "" (a candidate for
	// $context.authorizer.error).
	Description string
	// Err says why the request was denied, for logs and metrics: it wraps one of the Err*
	// values and, for ErrKeysUnavailable, the fetch error. Nil when allowed.
	Err error
}

// Stats are cumulative counters of a Verifier.
type Stats struct {
	// CacheHits and CacheMisses count verified-token cache lookups.
	CacheHits, CacheMisses uint64
	// KeyFetches counts key-set fetches (Local or HTTP); KeyFetchFailures those that failed.
	KeyFetches, KeyFetchFailures uint64
}

// Verifier authorizes requests with JWT authorizers. It is safe for concurrent use.
type Verifier struct {
	now      func() time.Time
	maxToken int
	keys     *keyCache
	tokens   *tokenCache

	hits, misses atomic.Uint64
}

// New returns a Verifier with the given options.
func New(o Options) *Verifier {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{}
	}
	if o.FetchTimeout <= 0 {
		o.FetchTimeout = DefaultFetchTimeout
	}
	if o.MaxJWKSBytes <= 0 {
		o.MaxJWKSBytes = DefaultMaxJWKSBytes
	}
	if o.KeyTTL <= 0 {
		o.KeyTTL = DefaultKeyTTL
	}
	if o.MinRefreshInterval <= 0 {
		o.MinRefreshInterval = DefaultMinRefreshInterval
	}
	if o.MaxTokenBytes <= 0 {
		o.MaxTokenBytes = DefaultMaxTokenBytes
	}
	if o.CacheSize == 0 {
		o.CacheSize = DefaultCacheSize
	}
	return &Verifier{
		now:      o.Now,
		maxToken: o.MaxTokenBytes,
		keys:     newKeyCache(o),
		tokens:   newTokenCache(o.CacheSize, o.KeyTTL),
	}
}

// Authorize decides a request to a route protected by a JWT authorizer with configuration cfg.
// identity is the identity-source value (the raw Authorization header; "" when absent) and
// routeScopes the route's authorizationScopes. It never returns an allow on an error path: a
// failure to fetch keys, a context cancelled while waiting for them, or any invalid input denies.
func (v *Verifier) Authorize(ctx context.Context, cfg Config, identity string, routeScopes []string) Result {
	identity = strings.TrimSpace(identity)
	if identity == "" {
		return Result{Status: http.StatusUnauthorized, Body: BodyUnauthorized, WWWAuthenticate: "Bearer", Err: ErrNoToken}
	}
	if len(identity) > v.maxToken {
		return unauthorized(routeScopes, &denial{ErrTokenTooLarge, descTooLarge, nil})
	}
	token := stripBearer(identity)

	key := cacheKey(cfg, token)
	now := v.now()
	e, ok := v.tokens.get(key, now)
	if ok {
		v.hits.Add(1)
		if d := e.times.check(now); d != nil {
			v.tokens.remove(key)
			return unauthorized(routeScopes, d)
		}
	} else {
		v.misses.Add(1)
		var d *denial
		if e, d = v.verify(ctx, cfg, token, now); d != nil {
			return unauthorized(routeScopes, d)
		}
		v.tokens.put(key, e, now)
	}
	if !scopeAllowed(e.scopes, routeScopes) {
		return Result{Status: http.StatusForbidden, Body: BodyForbidden, Err: ErrScope}
	}
	return Result{Allowed: true, Claims: maps.Clone(e.claims), Scopes: slices.Clone(e.scopes)}
}

// Forget drops the cached key set of issuer and the verified tokens of that issuer, so the next
// request fetches its keys again (for example after the server rotated a local pool's keys).
func (v *Verifier) Forget(issuer string) {
	v.keys.forget(issuer)
	v.tokens.removeIssuer(issuer)
}

// Reset drops every cached key set and verified token.
func (v *Verifier) Reset() {
	v.keys.reset()
	v.tokens.reset()
}

// Stats returns the Verifier's counters.
func (v *Verifier) Stats() Stats {
	return Stats{
		CacheHits:        v.hits.Load(),
		CacheMisses:      v.misses.Load(),
		KeyFetches:       v.keys.fetches.Load(),
		KeyFetchFailures: v.keys.failures.Load(),
	}
}

// stripBearer removes a leading "Bearer " (any case, any number of following spaces).
func stripBearer(s string) string {
	const p = "bearer "
	if len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) {
		return strings.TrimLeft(s[len(p):], " ")
	}
	return s
}

// cacheKey is SHA-256 over the length-prefixed issuer, audiences and token.
func cacheKey(cfg Config, token string) [32]byte {
	n := 3*binary.MaxVarintLen64 + len(cfg.Issuer) + len(token)
	for _, a := range cfg.Audience {
		n += binary.MaxVarintLen64 + len(a)
	}
	b := make([]byte, 0, n)
	b = binary.AppendUvarint(b, uint64(len(cfg.Issuer)))
	b = append(b, cfg.Issuer...)
	b = binary.AppendUvarint(b, uint64(len(cfg.Audience)))
	for _, a := range cfg.Audience {
		b = binary.AppendUvarint(b, uint64(len(a)))
		b = append(b, a...)
	}
	b = append(b, token...)
	return sha256.Sum256(b)
}

// scopeAllowed reports whether the token may use a route with routeScopes: any one in common,
// or the route requires none.
func scopeAllowed(have, route []string) bool {
	if len(route) == 0 {
		return true
	}
	for _, s := range route {
		if slices.Contains(have, s) {
			return true
		}
	}
	return false
}

// unauthorized renders a 401 for d.
func unauthorized(routeScopes []string, d *denial) Result {
	return Result{
		Status:          http.StatusUnauthorized,
		Body:            BodyUnauthorized,
		WWWAuthenticate: `Bearer scope="` + headerText(strings.Join(routeScopes, " ")) + `" error="invalid_token" error_description="` + headerText(d.desc) + `"`,
		Description:     d.desc,
		Err:             d,
	}
}

// headerText makes s safe inside a quoted header parameter: printable ASCII only, quotes and
// backslashes escaped, at most 256 bytes.
func headerText(s string) string {
	const limit = 256
	var b strings.Builder
	for i := 0; i < len(s) && b.Len() < limit; i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c >= 0x7f:
			b.WriteByte('?')
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// denial is why a token was refused: kind is one of the Err* values, desc the
// error_description sent to the client, cause an underlying error kept for logs.
type denial struct {
	kind  error
	desc  string
	cause error
}

func (d *denial) Error() string {
	if d.cause != nil {
		return d.kind.Error() + ": " + d.desc + ": " + d.cause.Error()
	}
	return d.kind.Error() + ": " + d.desc
}

func (d *denial) Unwrap() []error {
	if d.cause != nil {
		return []error{d.kind, d.cause}
	}
	return []error{d.kind}
}
