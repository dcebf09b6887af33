package tokens

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// MaxTokenSize bounds the tokens Verify parses (Cognito's largest ID tokens are a few KiB).
const MaxTokenSize = 32 << 10

// maxIatSkew is how far in the future an iat may be.
const maxIatSkew = 5 * time.Minute

var (
	// ErrInvalidToken is returned for a token that is malformed, not signed by one of the
	// pool's keys, of the wrong use or from another issuer.
	ErrInvalidToken = errors.New("tokens: invalid token")
	// ErrExpired is returned for a correctly signed token whose exp has passed.
	ErrExpired = errors.New("tokens: token expired")
)

// Expect states what Verify requires of a token besides a valid signature.
type Expect struct {
	// Issuer is the required iss (see IssuerURL); it must not be empty.
	Issuer string
	// TokenUse is the required token_use, UseID or UseAccess; it must not be empty.
	TokenUse string
}

// Claims are the verified claims of a token.
type Claims struct {
	// Raw holds every claim; numbers are json.Number.
	Raw map[string]any
	// KeyID is the kid that verified the token.
	KeyID string
	// Sub, Issuer and TokenUse are sub, iss and token_use.
	Sub, Issuer, TokenUse string
	// ClientID is client_id of access tokens and aud of ID tokens.
	ClientID string
	// Username is username (access) or cognito:username (ID).
	Username string
	// JTI, OriginJTI and EventID are jti, origin_jti and event_id.
	JTI, OriginJTI, EventID string
	// Scope is the access token's scope.
	Scope string
	// IssuedAt, Expires and AuthTime are iat, exp and auth_time.
	IssuedAt, Expires, AuthTime time.Time
}

// Verify checks that token is an RS256 JWS signed by one of pool's current or overlapping keys
// for want.TokenUse, from want.Issuer, not expired, and returns its claims. Only RS256 is
// accepted and the key is found by kid among the pool's own keys, never from the header. It
// returns ErrExpired for an expired but otherwise valid token and an error wrapping
// ErrInvalidToken for anything else that is wrong with the token. Verify never creates keys.
func (m *Manager) Verify(ctx context.Context, pool, token string, want Expect) (*Claims, error) {
	if want.Issuer == "" || (want.TokenUse != UseID && want.TokenUse != UseAccess) {
		return nil, errors.New("tokens: Verify needs an issuer and a token use")
	}
	if len(token) > MaxTokenSize {
		return nil, invalid("token too large")
	}
	obj, err := jose.ParseSignedCompact(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		return nil, invalid("malformed")
	}
	if len(obj.Signatures) != 1 {
		return nil, invalid("not one signature")
	}
	h := obj.Signatures[0].Header
	if h.KeyID == "" || h.Algorithm != string(jose.RS256) {
		return nil, invalid("bad header")
	}
	pk, err := m.keys(ctx, pool, false, false)
	if errors.Is(err, errNoKeys) {
		return nil, invalid("unknown pool")
	}
	if err != nil {
		return nil, err
	}
	now := m.now()
	key, ok := pk.lookup(h.KeyID, now)
	if !ok { // perhaps another replica rotated: reread, at most once per minRefresh
		if pk, err = m.keys(ctx, pool, false, true); err != nil {
			if errors.Is(err, errNoKeys) {
				return nil, invalid("unknown pool")
			}
			return nil, err
		}
		if key, ok = pk.lookup(h.KeyID, now); !ok {
			return nil, invalid("unknown kid")
		}
	}
	payload, err := obj.Verify(key.pub)
	if err != nil {
		return nil, invalid("bad signature")
	}
	raw := map[string]any{}
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return nil, invalid("bad payload")
	}
	c := &Claims{Raw: raw, KeyID: key.kid}
	c.Sub, _ = raw["sub"].(string)
	c.Issuer, _ = raw["iss"].(string)
	c.TokenUse, _ = raw["token_use"].(string)
	c.JTI, _ = raw["jti"].(string)
	c.OriginJTI, _ = raw["origin_jti"].(string)
	c.EventID, _ = raw["event_id"].(string)
	c.Scope, _ = raw["scope"].(string)
	if c.TokenUse == UseID {
		c.ClientID, _ = raw["aud"].(string)
		c.Username, _ = raw["cognito:username"].(string)
	} else {
		c.ClientID, _ = raw["client_id"].(string)
		c.Username, _ = raw["username"].(string)
	}
	if c.TokenUse != want.TokenUse || c.TokenUse != key.use {
		return nil, invalid("wrong token_use")
	}
	if c.Issuer != want.Issuer {
		return nil, invalid("wrong issuer")
	}
	var okExp, okIat, okAuth bool
	c.Expires, okExp = unixClaim(raw["exp"])
	c.IssuedAt, okIat = unixClaim(raw["iat"])
	c.AuthTime, okAuth = unixClaim(raw["auth_time"])
	if !okExp || !okIat || (raw["auth_time"] != nil && !okAuth) {
		return nil, invalid("bad time claims")
	}
	if c.IssuedAt.After(now.Add(maxIatSkew)) {
		return nil, invalid("issued in the future")
	}
	if !now.Before(c.Expires) {
		return nil, ErrExpired
	}
	return c, nil
}

func invalid(why string) error { return fmt.Errorf("%w: %s", ErrInvalidToken, why) }

// unixClaim decodes a NumericDate claim.
func unixClaim(v any) (time.Time, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return time.Time{}, false
	}
	f, err := n.Float64()
	if err != nil || math.IsNaN(f) || f < 0 || f > 1<<40 {
		return time.Time{}, false
	}
	return time.Unix(int64(f), 0), true
}
