package cognito

import (
	"context"
	"slices"
	"strings"
	"unicode"

	"github.com/gatehouse-dev/gatehouse/internal/tokens"
)

// The triggers of sign-in: pre authentication (before the password or first challenge), post
// authentication (after it succeeded) and pre token generation (claims and scopes of the
// tokens).

// Trigger sources of pre token generation.
const (
	tokenSourceAuthentication = "TokenGeneration_Authentication"
	tokenSourceNewPassword    = "TokenGeneration_NewPasswordChallenge"
	tokenSourceRefresh        = "TokenGeneration_RefreshTokens"
)

// preAuthenticationRequest is the request of a pre authentication event: validationData is
// InitiateAuth's ClientMetadata; userNotFound is present only for clients that prevent
// user-existence errors.
type preAuthenticationRequest struct {
	UserAttributes map[string]string `json:"userAttributes"`
	ValidationData map[string]string `json:"validationData"`
	UserNotFound   *bool             `json:"userNotFound,omitempty"`
}

// userNotFound is the userNotFound member of events about a user who may not exist: present
// only when the client prevents user-existence errors.
func userNotFound(c *Client, found bool) *bool {
	if !preventsExistenceErrors(c) {
		return nil
	}
	return ptr(!found)
}

// attributesOf returns the event attributes of a user, {} for one who does not exist.
func attributesOf(p *UserPool, u *userRecord, found bool) map[string]string {
	if !found {
		return map[string]string{}
	}
	return eventAttributes(p, u)
}

// preAuthentication runs the pool's pre authentication trigger for a sign-in by name (user u,
// when found) through client c; meta is InitiateAuth's ClientMetadata.
func (s *Service) preAuthentication(ctx context.Context, p *UserPool, c *Client, name string, u *userRecord, found bool, meta map[string]string) error {
	arn := triggersOf(p).PreAuthentication
	if arn == "" {
		return nil
	}
	if found {
		name = u.Username
	}
	req := preAuthenticationRequest{UserAttributes: attributesOf(p, u, found), ValidationData: metadata(meta), UserNotFound: userNotFound(c, found)}
	_, err := s.invokeTrigger(ctx, p, trigPreAuthentication, arn, s.newEvent(p, "PreAuthentication_Authentication", name, c.ClientId, req, emptyResponse{}))
	return err
}

// postAuthenticationRequest is the request of a post authentication event. Devices are not
// remembered, so newDeviceUsed is false.
type postAuthenticationRequest struct {
	UserAttributes map[string]string `json:"userAttributes"`
	NewDeviceUsed  bool              `json:"newDeviceUsed"`
	ClientMetadata map[string]string `json:"clientMetadata,omitempty"`
}

// signedIn runs the triggers of a sign-in that is about to get its tokens: post authentication
// (not for refreshes) and pre token generation, which may change req's claims. ac is the last
// step of the sign-in.
func (s *Service) signedIn(ctx context.Context, ac *authContext, req *TokenRequest) error {
	p, u := ac.pool, &ac.user
	cfg := triggersOf(p)
	source := ac.source
	if source == "" {
		source = tokenSourceAuthentication
	}
	if cfg.PostAuthentication != "" && source != tokenSourceRefresh {
		r := postAuthenticationRequest{UserAttributes: eventAttributes(p, u), ClientMetadata: metadata(ac.meta)}
		ev := s.newEvent(p, "PostAuthentication_Authentication", u.Username, ac.client.ClientId, r, emptyResponse{})
		if _, err := s.invokeTrigger(ctx, p, trigPostAuthentication, cfg.PostAuthentication, ev); err != nil {
			return err
		}
	}
	arn, version := cfg.preTokenGeneration()
	if arn == "" {
		return nil
	}
	return s.preTokenGeneration(ctx, ac, req, arn, version, source)
}

// groupConfiguration is the groupConfiguration of a pre token generation request.
type groupConfiguration struct {
	GroupsToOverride   []string `json:"groupsToOverride"`
	IAMRolesToOverride []string `json:"iamRolesToOverride"`
	PreferredRole      *string  `json:"preferredRole"`
}

// preTokenRequest is the request of a pre token generation event; scopes are sent in version 2
// and 3 events only.
type preTokenRequest struct {
	UserAttributes     map[string]string  `json:"userAttributes"`
	GroupConfiguration groupConfiguration `json:"groupConfiguration"`
	Scopes             []string           `json:"scopes,omitempty"`
	ClientMetadata     map[string]string  `json:"clientMetadata,omitempty"`
}

// The responses of pre token generation events as Cognito pre-fills them (null).
type (
	preTokenResponseV1 struct {
		ClaimsOverrideDetails *struct{} `json:"claimsOverrideDetails"`
	}
	preTokenResponseV2 struct {
		ClaimsAndScopeOverrideDetails *struct{} `json:"claimsAndScopeOverrideDetails"`
	}
)

// tokenGroups converts a user's groups for the token claims.
func tokenGroups(gs []Group) []tokens.Group {
	out := make([]tokens.Group, len(gs))
	for i, g := range gs {
		out[i] = tokens.Group{Name: g.GroupName, RoleArn: g.RoleArn}
		if g.Precedence != nil {
			prec := int32(*g.Precedence)
			out[i].Precedence = &prec
		}
	}
	return out
}

// preTokenGeneration runs the pre token generation trigger arn (event version "1", "2" or "3")
// and makes req apply what it returns to the tokens.
func (s *Service) preTokenGeneration(ctx context.Context, ac *authContext, req *TokenRequest, arn, version, source string) error {
	p, u := ac.pool, &ac.user
	names, roles, preferred := tokens.GroupClaims(tokenGroups(req.Groups))
	r := preTokenRequest{UserAttributes: eventAttributes(p, u), ClientMetadata: metadata(ac.meta),
		GroupConfiguration: groupConfiguration{GroupsToOverride: nonNil(names), IAMRolesToOverride: nonNil(roles)}}
	if preferred != "" {
		r.GroupConfiguration.PreferredRole = &preferred
	}
	var response any = preTokenResponseV1{}
	if version != "1" {
		r.Scopes = []string{tokens.DefaultScope}
		response = preTokenResponseV2{}
	}
	ev := s.newEvent(p, source, u.Username, ac.client.ClientId, r, response)
	ev.Version = version
	f, err := s.invokeTrigger(ctx, p, trigPreTokenGeneration, arn, ev)
	if err != nil {
		return err
	}
	var ch *claimChanges
	if version == "1" {
		ch, err = readClaimsV1(f)
	} else {
		ch, err = readClaimsV2(f)
	}
	if err != nil || ch == nil {
		return err
	}
	ch.clientID = ac.client.ClientId
	req.Customize = ch.apply
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// claimChanges are the changes a pre token generation response makes to the tokens.
type claimChanges struct {
	clientID                   string
	idAdd, accessAdd           map[string]any
	idSuppress, accessSuppress []string
	scopesAdd, scopesSuppress  []string
	// groups replaces the user's groups, roles and preferred role when set.
	groups *groupConfiguration
}

// readClaimsV1 reads the claimsOverrideDetails of a version 1 response: string claims for the
// ID token and a group override.
func readClaimsV1(f respFields) (*claimChanges, error) {
	d, err := f.object("claimsOverrideDetails")
	if err != nil || d == nil {
		return nil, err
	}
	ch := &claimChanges{idAdd: map[string]any{}}
	var add map[string]string
	if err := d.members(map[string]any{"claimsToAddOrOverride": &add, "claimsToSuppress": &ch.idSuppress}); err != nil {
		return nil, err
	}
	for k, v := range add {
		ch.idAdd[k] = v
	}
	ch.groups, err = readGroupOverride(d)
	return ch, err
}

// readClaimsV2 reads the claimsAndScopeOverrideDetails of a version 2 or 3 response: claims of
// any JSON type for both tokens, scopes and a group override.
func readClaimsV2(f respFields) (*claimChanges, error) {
	if raw, ok := f["claimsAndScopeOverrideDetails"]; ok && strings.TrimSpace(string(raw)) == "[]" {
		return nil, nil // the empty list some examples echo back
	}
	d, err := f.object("claimsAndScopeOverrideDetails")
	if err != nil || d == nil {
		return nil, err
	}
	ch := &claimChanges{}
	var id, access respFields
	if err := d.members(map[string]any{"idTokenGeneration": &id, "accessTokenGeneration": &access}); err != nil {
		return nil, err
	}
	if err := id.members(map[string]any{"claimsToAddOrOverride": &ch.idAdd, "claimsToSuppress": &ch.idSuppress}); err != nil {
		return nil, err
	}
	err = access.members(map[string]any{"claimsToAddOrOverride": &ch.accessAdd, "claimsToSuppress": &ch.accessSuppress,
		"scopesToAdd": &ch.scopesAdd, "scopesToSuppress": &ch.scopesSuppress})
	if err != nil {
		return nil, err
	}
	ch.groups, err = readGroupOverride(d)
	return ch, err
}

// readGroupOverride reads groupOverrideDetails. As AWS documents, the object replaces the
// group configuration: an empty or null object suppresses the groups; a response without it
// leaves them.
func readGroupOverride(d respFields) (*groupConfiguration, error) {
	if _, ok := d["groupOverrideDetails"]; !ok {
		return nil, nil
	}
	g := &groupConfiguration{}
	o, err := d.object("groupOverrideDetails")
	if err == nil {
		err = o.members(map[string]any{"groupsToOverride": &g.GroupsToOverride, "iamRolesToOverride": &g.IAMRolesToOverride,
			"preferredRole": &g.PreferredRole})
	}
	return g, err
}

// Claims a pre token generation trigger can neither add nor change (AWS's claims reference);
// nor can it touch any other cognito: claim except through groupOverrideDetails, or add a dev:
// attribute.
var (
	fixedClaims = []string{"acr", "amr", "aud", "at_hash", "auth_time", "azp", "exp", "iat", "identities", "iss", "jti",
		"nbf", "nonce", "origin_jti", "sub", "token_use", "event_id"}
	fixedAccessClaims = []string{"client_id", "username", "device_key", "version", "scope"}
	// Claims of the ID token whose values cannot be JSON objects or arrays.
	scalarIDClaims = []string{"phone_number_verified", "email_verified", "updated_at", "address"}
)

// modifiable reports whether a trigger may add or change claim name in an ID token (access
// false) or access token.
func modifiable(name string, access bool) bool {
	switch {
	case slices.Contains(fixedClaims, name), strings.HasPrefix(name, "cognito:"), strings.HasPrefix(name, "dev:"):
		return false
	case access:
		return !slices.Contains(fixedAccessClaims, name)
	}
	return true
}

// suppressible reports whether a trigger may remove claim name: attributes (dev: ones
// included), claims it added and the group claims.
func suppressible(name string, access bool) bool {
	switch name {
	case "cognito:groups", "cognito:roles", "cognito:preferred_role":
		return true
	}
	return modifiable(name, access) || strings.HasPrefix(name, "dev:")
}

// apply changes the claims of the tokens as the response asked, leaving alone what AWS does not
// let a trigger change. A claim both added and suppressed is suppressed.
func (ch *claimChanges) apply(id, access map[string]any) {
	if id != nil {
		for k, v := range ch.idAdd {
			if modifiable(k, false) && (isScalar(v) || !slices.Contains(scalarIDClaims, k)) {
				id[k] = v
			}
		}
		if g := ch.groups; g != nil {
			setList(id, "cognito:groups", g.GroupsToOverride)
			setList(id, "cognito:roles", g.IAMRolesToOverride)
			delete(id, "cognito:preferred_role")
			if g.PreferredRole != nil && *g.PreferredRole != "" {
				id["cognito:preferred_role"] = *g.PreferredRole
			}
		}
		for _, k := range ch.idSuppress {
			if !suppressible(k, false) {
				continue
			}
			delete(id, k)
			if k == "cognito:groups" {
				delete(id, "cognito:roles")
				delete(id, "cognito:preferred_role")
			}
		}
	}
	if access == nil {
		return
	}
	for k, v := range ch.accessAdd {
		// An access token may get an aud claim, but only the app client's id.
		if modifiable(k, true) || (k == "aud" && v == ch.clientID) {
			access[k] = v
		}
	}
	if ch.groups != nil {
		setList(access, "cognito:groups", ch.groups.GroupsToOverride)
	}
	for _, k := range ch.accessSuppress {
		if suppressible(k, true) {
			delete(access, k)
		}
	}
	if len(ch.scopesAdd) == 0 && len(ch.scopesSuppress) == 0 {
		return
	}
	scope, _ := access["scope"].(string)
	scopes := slices.DeleteFunc(strings.Fields(scope), func(sc string) bool { return slices.Contains(ch.scopesSuppress, sc) })
	for _, sc := range ch.scopesAdd {
		// A scope with blank space cannot be added.
		if sc != "" && !strings.ContainsFunc(sc, unicode.IsSpace) && !slices.Contains(scopes, sc) && !slices.Contains(ch.scopesSuppress, sc) {
			scopes = append(scopes, sc)
		}
	}
	if len(scopes) == 0 {
		delete(access, "scope")
		return
	}
	access["scope"] = strings.Join(scopes, " ")
}

// setList sets claim name to list, or removes it when list is empty.
func setList(claims map[string]any, name string, list []string) {
	if len(list) == 0 {
		delete(claims, name)
		return
	}
	claims[name] = list
}

// isScalar reports whether a claim value decoded from JSON is a string, number, boolean or null.
func isScalar(v any) bool {
	switch v.(type) {
	case map[string]any, []any:
		return false
	}
	return true
}
