package tokens

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// DefaultScope is the scope of access tokens issued by the user-pool API (InitiateAuth etc.).
const DefaultScope = "aws.cognito.signin.user.admin"

// DefaultValidity is the ID and access token validity used when a Request gives none (Cognito's
// default of 60 minutes).
const DefaultValidity = time.Hour

// Group is a group the user belongs to, as it affects the cognito:* claims.
type Group struct {
	// Name is the group name (cognito:groups).
	Name string
	// Precedence is the group's Precedence; nil ranks after every number.
	Precedence *int32
	// RoleArn is the group's IAM role (cognito:roles, cognito:preferred_role), or "".
	RoleArn string
}

// User is the subject of the tokens.
type User struct {
	// Username is the canonical user name (cognito:username, username); "" for machine-to-machine
	// access tokens, which carry no username.
	Username string
	// Sub is the immutable sub (for client_credentials, the client id).
	Sub string
	// Attributes are the attributes the client may read, AWS names to string values. They go
	// into the ID token; email_verified and phone_number_verified become booleans, updated_at a
	// number, identities a JSON array, everything else (custom:* included) a string. Reserved
	// claims (sub, iss, aud, …) cannot be overridden.
	Attributes map[string]string
	// Groups are the user's groups.
	Groups []Group
}

// Request describes one sign-in's tokens.
type Request struct {
	// Issuer is the iss claim (see IssuerURL).
	Issuer string
	// PoolID is the user pool whose keys sign the tokens.
	PoolID string
	// ClientID is the app client (aud of ID tokens, client_id of access tokens).
	ClientID string
	// User is the subject.
	User User
	// AuthTime is when the user authenticated; refreshes keep the original value.
	AuthTime time.Time
	// OriginJTI links the tokens of one authentication (and its refresh token); "" makes a new one.
	OriginJTI string
	// EventID identifies the authentication event; "" makes a new one.
	EventID string
	// Scopes of the access token; nil means DefaultScope.
	Scopes []string
	// IDValidity and AccessValidity are the token lifetimes; 0 means DefaultValidity.
	IDValidity, AccessValidity time.Duration
	// Nonce is echoed in the ID token when not empty (OAuth authorize requests).
	Nonce string
	// AtHash adds at_hash (hash of the access token) to the ID token, as the OAuth token
	// endpoint does. Only Issue can honour it.
	AtHash bool
	// DeviceKey is added to the access token when not empty (device tracking).
	DeviceKey string
	// Version, when not 0, is the access token's version claim (2 for OAuth endpoints).
	Version int
	// Customize, when set, changes the claims of the ID token (id; nil when only an access
	// token is issued) and of the access token before they are signed: a pre token generation
	// trigger's additions, suppressions and group overrides, already checked against the
	// claims it may not touch.
	Customize func(id, access map[string]any)
}

// Tokens is the result of Issue.
type Tokens struct {
	// IDToken and AccessToken are the compact JWS tokens.
	IDToken, AccessToken string
	// OriginJTI and EventID are the values the tokens carry (generated when the request had none).
	OriginJTI, EventID string
	// IssuedAt is the iat of both tokens.
	IssuedAt time.Time
	// AccessExpiresIn is the access token's validity in seconds (the ExpiresIn of AuthenticationResult).
	AccessExpiresIn int32
}

// reservedClaims cannot come from attributes (the list PreTokenGeneration cannot override).
var reservedClaims = map[string]bool{
	"acr": true, "amr": true, "aud": true, "at_hash": true, "auth_time": true, "azp": true,
	"cognito:username": true, "exp": true, "iat": true, "iss": true, "jti": true,
	"nbf": true, "nonce": true, "origin_jti": true, "sub": true, "token_use": true, "event_id": true,
	"cognito:groups": true, "cognito:roles": true, "cognito:preferred_role": true, "client_id": true,
	"username": true, "scope": true,
}

// Issue mints an ID token and an access token for one authentication.
func (m *Manager) Issue(ctx context.Context, r Request) (*Tokens, error) {
	pk, err := m.keys(ctx, r.PoolID, true, false)
	if err != nil {
		return nil, err
	}
	if err := m.fill(&r); err != nil {
		return nil, err
	}
	now := m.now()
	ajti, err := newUUID(m.rand)
	if err != nil {
		return nil, err
	}
	ijti, err := newUUID(m.rand)
	if err != nil {
		return nil, err
	}
	ac, ic := AccessClaims(r, now, ajti), IDClaims(r, now, ijti)
	if r.Customize != nil {
		r.Customize(ic, ac)
	}
	access, err := sign(pk.access, ac)
	if err != nil {
		return nil, err
	}
	if r.AtHash {
		sum := sha256.Sum256([]byte(access))
		ic["at_hash"] = base64.RawURLEncoding.EncodeToString(sum[:16])
	}
	id, err := sign(pk.id, ic)
	if err != nil {
		return nil, err
	}
	return &Tokens{IDToken: id, AccessToken: access, OriginJTI: r.OriginJTI, EventID: r.EventID,
		IssuedAt: time.Unix(now.Unix(), 0), AccessExpiresIn: int32(validity(r.AccessValidity) / time.Second)}, nil
}

// IssueAccess mints only an access token (client_credentials, or PreTokenGeneration flows that
// re-sign one token).
func (m *Manager) IssueAccess(ctx context.Context, r Request) (string, error) {
	pk, err := m.keys(ctx, r.PoolID, true, false)
	if err != nil {
		return "", err
	}
	if err := m.fill(&r); err != nil {
		return "", err
	}
	jti, err := newUUID(m.rand)
	if err != nil {
		return "", err
	}
	ac := AccessClaims(r, m.now(), jti)
	if r.Customize != nil {
		r.Customize(nil, ac)
	}
	return sign(pk.access, ac)
}

// fill generates the origin_jti and event_id a request lacks.
func (m *Manager) fill(r *Request) error {
	var err error
	if r.OriginJTI == "" {
		if r.OriginJTI, err = newUUID(m.rand); err != nil {
			return err
		}
	}
	if r.EventID == "" {
		if r.EventID, err = newUUID(m.rand); err != nil {
			return err
		}
	}
	return nil
}

// sign serializes claims and signs them as a compact RS256 JWS.
func sign(k signingKey, claims map[string]any) (string, error) {
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("encode claims: %w", err)
	}
	obj, err := k.signer.Sign(payload)
	if err != nil {
		return "", fmt.Errorf("sign token: %w", err)
	}
	return obj.CompactSerialize()
}

func validity(d time.Duration) time.Duration {
	if d <= 0 {
		return DefaultValidity
	}
	return d
}

// IDClaims returns the claims of an ID token issued at now with jti, exactly as Cognito sets
// them. r's OriginJTI and EventID must be set.
func IDClaims(r Request, now time.Time, jti string) map[string]any {
	c := map[string]any{}
	for name, v := range r.User.Attributes {
		if reservedClaims[name] || strings.HasPrefix(name, "cognito:") {
			continue
		}
		c[name] = attributeClaim(name, v)
	}
	c["sub"] = r.User.Sub
	c["aud"] = r.ClientID
	c["iss"] = r.Issuer
	c["cognito:username"] = r.User.Username
	c["origin_jti"] = r.OriginJTI
	c["event_id"] = r.EventID
	c["token_use"] = UseID
	c["auth_time"] = r.AuthTime.Unix()
	c["iat"] = now.Unix()
	c["exp"] = now.Add(validity(r.IDValidity)).Unix()
	c["jti"] = jti
	if r.Nonce != "" {
		c["nonce"] = r.Nonce
	}
	if names, roles, preferred := GroupClaims(r.User.Groups); len(names) > 0 {
		c["cognito:groups"] = names
		if len(roles) > 0 {
			c["cognito:roles"] = roles
		}
		if preferred != "" {
			c["cognito:preferred_role"] = preferred
		}
	}
	return c
}

// GroupClaims returns what a user's groups put in an ID token: the group names in precedence
// order (cognito:groups), the distinct IAM roles of those groups (cognito:roles) and the
// preferred role (cognito:preferred_role, "" when there is none).
func GroupClaims(gs []Group) (names, roles []string, preferred string) {
	groups := sortedGroups(gs)
	if len(groups) == 0 {
		return nil, nil, ""
	}
	for _, g := range groups {
		if g.RoleArn != "" && !slices.Contains(roles, g.RoleArn) {
			roles = append(roles, g.RoleArn)
		}
	}
	return groupNames(groups), roles, preferredRole(groups)
}

// AccessClaims returns the claims of an access token issued at now with jti, exactly as Cognito
// sets them (no aud; client_id instead). r's OriginJTI and EventID must be set.
func AccessClaims(r Request, now time.Time, jti string) map[string]any {
	scope := DefaultScope
	if r.Scopes != nil {
		scope = strings.Join(r.Scopes, " ")
	}
	c := map[string]any{
		"sub":        r.User.Sub,
		"iss":        r.Issuer,
		"client_id":  r.ClientID,
		"origin_jti": r.OriginJTI,
		"event_id":   r.EventID,
		"token_use":  UseAccess,
		"scope":      scope,
		"auth_time":  r.AuthTime.Unix(),
		"iat":        now.Unix(),
		"exp":        now.Add(validity(r.AccessValidity)).Unix(),
		"jti":        jti,
	}
	if r.User.Username != "" {
		c["username"] = r.User.Username
	}
	if groups := sortedGroups(r.User.Groups); len(groups) > 0 {
		c["cognito:groups"] = groupNames(groups)
	}
	if r.DeviceKey != "" {
		c["device_key"] = r.DeviceKey
	}
	if r.Version != 0 {
		c["version"] = r.Version
	}
	return c
}

// attributeClaim converts an attribute value to its ID-token type.
func attributeClaim(name, v string) any {
	switch {
	case strings.HasPrefix(name, "custom:"):
		return v
	case name == "email_verified" || name == "phone_number_verified":
		if b, err := strconv.ParseBool(v); err == nil {
			return b
		}
	case name == "updated_at":
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return n
		}
	case name == "identities":
		var arr []any
		if json.Unmarshal([]byte(v), &arr) == nil {
			return arr
		}
	}
	return v
}

// sortedGroups orders groups by precedence (nil last), then name.
func sortedGroups(gs []Group) []Group {
	out := slices.Clone(gs)
	slices.SortStableFunc(out, func(a, b Group) int {
		switch {
		case a.Precedence != nil && b.Precedence != nil:
			if c := cmp.Compare(*a.Precedence, *b.Precedence); c != 0 {
				return c
			}
		case a.Precedence != nil:
			return -1
		case b.Precedence != nil:
			return 1
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out
}

func groupNames(gs []Group) []string {
	names := make([]string, len(gs))
	for i, g := range gs {
		names[i] = g.Name
	}
	return names
}

// preferredRole applies AWS's rule: the role of the group with a role and the lowest
// precedence; when several such groups tie with different roles, there is no preferred role.
// gs must be sorted by sortedGroups.
func preferredRole(gs []Group) string {
	var best *Group
	role := ""
	for i := range gs {
		g := &gs[i]
		if g.RoleArn == "" {
			continue
		}
		if best == nil {
			best, role = g, g.RoleArn
			continue
		}
		same := (best.Precedence == nil && g.Precedence == nil) ||
			(best.Precedence != nil && g.Precedence != nil && *best.Precedence == *g.Precedence)
		if !same {
			break
		}
		if g.RoleArn != role {
			return ""
		}
	}
	return role
}

// newUUID returns a random (version 4) UUID read from r.
func newUUID(r io.Reader) (string, error) {
	var b [16]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return "", fmt.Errorf("random id: %w", err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	const hex = "0123456789abcdef"
	out := make([]byte, 0, 36)
	for i, x := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out = append(out, '-')
		}
		out = append(out, hex[x>>4], hex[x&0x0f])
	}
	return string(out), nil
}
