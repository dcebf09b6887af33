package dataplane

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/gateway"
	"github.com/gatehouse-dev/gatehouse/internal/lambda"
)

// Limits of Lambda authorizers (API Gateway quotas).
const (
	// authorizerTimeout is how long a Lambda authorizer may run.
	authorizerTimeout = 10 * time.Second
	// maxAuthorizerResponse is the largest authorizer response API Gateway accepts.
	maxAuthorizerResponse = 8 << 10
	// maxAuthorizerTTL is the longest authorizerResultTtlInSeconds.
	maxAuthorizerTTL = 3600
)

// bodyUnauthorized is the 401 a request missing an identity source gets.
const bodyUnauthorized = `{"message":"Unauthorized"}`

// authContext is what an authorizer established about the caller, for the integration's event
// and for $context.authorizer.* / $context.identity.*.
type authContext struct {
	// principalID is a policy response's principalId.
	principalID string
	// context is the Lambda authorizer's context object, by member; raw is the object as
	// returned ("{}" when there was none).
	context map[string][]byte
	raw     []byte
	// iam is the caller of an AWS_IAM route.
	iam *iamIdentity
}

// rawContext is requestContext.authorizer.lambda of payload format 2.0.
func (a *authContext) rawContext() json.RawMessage {
	if len(a.raw) == 0 {
		return json.RawMessage("{}")
	}
	return a.raw
}

// contextV1 is requestContext.authorizer of payload format 1.0: the context members, and the
// principalId of a policy response.
func (a *authContext) contextV1() map[string]json.RawMessage {
	m := make(map[string]json.RawMessage, len(a.context)+1)
	for k, v := range a.context {
		m[k] = v
	}
	if a.principalID != "" {
		b, _ := json.Marshal(a.principalID)
		m["principalId"] = b
	}
	return m
}

// value returns $context.authorizer.<name>: principalId or a context member (strings as they
// are, other values as JSON).
func (a *authContext) value(name string) (string, bool) {
	if name == "principalId" && a.principalID != "" {
		return a.principalID, true
	}
	v, ok := a.context[name]
	if !ok {
		return "", false
	}
	if s, ok := scalarText(v); ok {
		return s, true
	}
	return string(v), jsonKind(v) != 'n'
}

// authResult is a Lambda authorizer's valid response: a simple allow or deny, or a policy to
// evaluate against each request's route ARN. It is immutable, so cached results are shared.
type authResult struct {
	simple      bool
	authorized  bool
	policy      []statement
	principalID string
	context     map[string][]byte
	raw         []byte
}

// allows reports whether the result lets a request for routeArn through.
func (r *authResult) allows(routeArn string) bool {
	if r.simple {
		return r.authorized
	}
	return evaluate(r.policy, routeArn)
}

// authorizeLambda runs a route's Lambda (REQUEST) authorizer; false means the response has
// been written.
func (h *Handler) authorizeLambda(req *request) bool {
	a := req.route.authorizer
	ctx := req.r.Context()
	if a == nil || a.AuthorizerType != "REQUEST" || h.Lambda == nil {
		h.Log.WarnContext(ctx, "data plane: Lambda authorizer not served", "invoker", h.Lambda != nil)
		h.reply(req, http.StatusInternalServerError, bodyInternal)
		return false
	}
	identity := make([]string, len(a.IdentitySource))
	for i, src := range a.IdentitySource {
		if identity[i] = h.identityValue(req, src); identity[i] == "" {
			req.authErr = "identity source " + src + " is missing"
			h.reply(req, http.StatusUnauthorized, bodyUnauthorized)
			return false
		}
	}
	ttl := 0
	if a.AuthorizerResultTtlInSeconds != nil {
		ttl = min(*a.AuthorizerResultTtlInSeconds, maxAuthorizerTTL)
	}
	caching := ttl > 0 && len(identity) > 0
	var key authKey
	var res *authResult
	if caching {
		key = authKey{stage: req.stage, authorizer: a.AuthorizerId, identity: identityKey(identity)}
		res = h.authz.get(key, h.Now())
	}
	routeArn := h.routeArn(req)
	if res == nil {
		var err error
		res, err = h.callAuthorizer(req, a, routeArn, identity)
		if err != nil {
			if ctx.Err() != nil {
				req.status = 499 // the client went away
				return false
			}
			req.authErr = err.Error()
			h.Log.WarnContext(ctx, "data plane: Lambda authorizer failed", "authorizer", a.AuthorizerId, "err", err)
			h.reply(req, http.StatusInternalServerError, bodyInternal)
			return false
		}
		if caching {
			h.authz.put(key, res, h.Now(), time.Duration(ttl)*time.Second)
		}
	}
	if !res.allows(routeArn) {
		h.reply(req, http.StatusForbidden, bodyForbidden)
		return false
	}
	req.authz = &authContext{principalID: res.principalID, context: res.context, raw: res.raw}
	return true
}

// identityKey joins identity-source values unambiguously (each prefixed with its length: a
// query value may hold any byte).
func identityKey(values []string) string {
	var b strings.Builder
	for _, v := range values {
		b.WriteString(strconv.Itoa(len(v)))
		b.WriteByte(':')
		b.WriteString(v)
	}
	return b.String()
}

// callAuthorizer invokes the authorizer's function and reads its response.
func (h *Handler) callAuthorizer(req *request, a *gateway.Authorizer, routeArn string, identity []string) (*authResult, error) {
	fn := functionOf(h.evalStageVars(req, a.AuthorizerUri))
	if fn == "" {
		return nil, errors.New("invalid authorizer URI")
	}
	if len(identity) == 0 {
		identity = nil
	}
	payload, err := h.authorizerEvent(req, a.AuthorizerPayloadFormatVersion, routeArn, identity)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(req.r.Context(), authorizerTimeout)
	defer cancel()
	out, err := h.Lambda.Invoke(ctx, lambda.InvokeInput{Function: fn, Payload: payload, Principal: apigatewayPrincipal,
		SourceArn: h.executeArn(req.api.id, "authorizers/"+a.AuthorizerId), SourceAccount: h.AccountID})
	switch {
	case err != nil:
		return nil, fmt.Errorf("invoke %s: %w", fn, err)
	case ctx.Err() != nil:
		return nil, fmt.Errorf("invoke %s: %w", fn, ctx.Err())
	case out.FunctionError != "":
		return nil, fmt.Errorf("function %s failed (%s)", fn, out.FunctionError)
	case len(out.Payload) > maxAuthorizerResponse:
		return nil, fmt.Errorf("authorizer response of %d bytes is over the 8 KB limit", len(out.Payload))
	}
	simple := a.EnableSimpleResponses != nil && *a.EnableSimpleResponses && a.AuthorizerPayloadFormatVersion == "2.0"
	return parseAuthorizerResponse(out.Payload, simple)
}

// errAuthorizerResponse is an authorizer response API Gateway cannot use.
var errAuthorizerResponse = errors.New("the authorizer returned an invalid response")

// parseAuthorizerResponse reads a simple response {"isAuthorized", "context"} (when simple
// responses are on) or a policy {"principalId", "policyDocument", "context"}.
func parseAuthorizerResponse(payload []byte, simple bool) (*authResult, error) {
	names, values, ok := members(payload)
	if !ok {
		return nil, errAuthorizerResponse
	}
	res := &authResult{}
	if v, ok := find(names, values, "context"); ok && jsonKind(v) != 'n' {
		cn, cv, ok := members(v)
		if !ok {
			return nil, errAuthorizerResponse
		}
		res.raw, res.context = v, make(map[string][]byte, len(cn))
		for i, n := range cn {
			res.context[n] = cv[i]
		}
	}
	if v, ok := find(names, values, "isAuthorized"); ok && simple {
		switch jsonKind(v) {
		case 't':
			res.authorized = true
		case 'f':
		default:
			return nil, errAuthorizerResponse
		}
		res.simple = true
		return res, nil
	}
	if v, ok := find(names, values, "principalId"); ok && jsonKind(v) != 'n' {
		s, ok := scalarText(v)
		if !ok {
			return nil, errAuthorizerResponse
		}
		res.principalID = s
	}
	doc, ok := find(names, values, "policyDocument")
	if !ok {
		return nil, errAuthorizerResponse
	}
	var err error
	if res.policy, err = parsePolicy(doc); err != nil {
		return nil, err
	}
	return res, nil
}

// statement is one statement of an authorizer's IAM policy.
type statement struct {
	allow      bool
	action     []string
	notAction  bool // action lists NotAction
	resource   []string
	notRes     bool // resource lists NotResource
	conditions bool
}

// stringOrList is a policy element that is a string or a list of strings.
type stringOrList []string

// UnmarshalJSON reads a string or a list of strings.
func (s *stringOrList) UnmarshalJSON(b []byte) error {
	if jsonKind(b) == '"' {
		var one string
		if err := json.Unmarshal(b, &one); err != nil {
			return err
		}
		*s = stringOrList{one}
		return nil
	}
	return json.Unmarshal(b, (*[]string)(s))
}

// parsePolicy reads a policy document: Statement is one statement or a non-empty list, each
// with Effect Allow or Deny, Action or NotAction, Resource or NotResource.
func parsePolicy(doc []byte) ([]statement, error) {
	var d struct {
		Statement json.RawMessage
	}
	if jsonKind(doc) != '{' || json.Unmarshal(doc, &d) != nil {
		return nil, errAuthorizerResponse
	}
	type rawStatement struct {
		Effect      string
		Action      stringOrList
		NotAction   stringOrList
		Resource    stringOrList
		NotResource stringOrList
		Condition   json.RawMessage
	}
	var list []rawStatement
	switch jsonKind(d.Statement) {
	case '{':
		var one rawStatement
		if json.Unmarshal(d.Statement, &one) != nil {
			return nil, errAuthorizerResponse
		}
		list = []rawStatement{one}
	case '[':
		if json.Unmarshal(d.Statement, &list) != nil {
			return nil, errAuthorizerResponse
		}
	}
	if len(list) == 0 {
		return nil, errAuthorizerResponse
	}
	out := make([]statement, 0, len(list))
	for _, rs := range list {
		st := statement{allow: rs.Effect == "Allow", action: rs.Action, resource: rs.Resource,
			conditions: len(rs.Condition) > 0 && jsonKind(rs.Condition) != 'n'}
		if rs.Effect != "Allow" && rs.Effect != "Deny" {
			return nil, errAuthorizerResponse
		}
		if (len(rs.Action) == 0) == (len(rs.NotAction) == 0) || (len(rs.Resource) == 0) == (len(rs.NotResource) == 0) {
			return nil, errAuthorizerResponse
		}
		if len(rs.NotAction) > 0 {
			st.action, st.notAction = rs.NotAction, true
		}
		if len(rs.NotResource) > 0 {
			st.resource, st.notRes = rs.NotResource, true
		}
		out = append(out, st)
	}
	return out, nil
}

// invokeAction is the action every request to an API is.
const invokeAction = "execute-api:invoke"

// evaluate applies IAM's rules to the request for routeArn: an explicit Deny wins, then an
// Allow, and nothing matching denies. Conditions are not evaluated: a statement with one never
// allows, and always denies.
func evaluate(policy []statement, routeArn string) bool {
	allowed := false
	for _, st := range policy {
		if !st.matches(routeArn) {
			continue
		}
		if !st.allow {
			return false
		}
		if !st.conditions {
			allowed = true
		}
	}
	return allowed
}

// matches reports whether the statement applies to execute-api:Invoke on routeArn, conditions
// aside.
func (st *statement) matches(routeArn string) bool {
	hit := false
	for _, a := range st.action {
		if wildcard(strings.ToLower(a), invokeAction) {
			hit = true
			break
		}
	}
	if hit == st.notAction {
		return false
	}
	hit = false
	for _, r := range st.resource {
		if wildcard(r, routeArn) {
			hit = true
			break
		}
	}
	return hit != st.notRes
}

// wildcard matches s against an IAM pattern: * is any run of characters, ? any one character.
func wildcard(pattern, s string) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p++
			i++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// Authorizer result cache. Entries are keyed by the compiled stage they were made for, so a
// change to the API (a redeployment, ResetAuthorizersCache) — which compiles the API again,
// here at once and, through the control plane's version, on every replica — leaves the old
// entries unreachable; they expire or are evicted.
const (
	maxAuthEntries = 10000
	maxAuthBytes   = 32 << 20
)

// authKey identifies a cached result: the stage, the authorizer and its identity-source values.
type authKey struct {
	stage      *compiledStage
	authorizer string
	identity   string
}

type authEntry struct {
	res     *authResult
	expires time.Time
	size    int
}

// authCache holds authorizer results, bounded in entries and bytes.
type authCache struct {
	mu    sync.RWMutex
	m     map[authKey]authEntry
	bytes int
}

func newAuthCache() *authCache { return &authCache{m: map[authKey]authEntry{}} }

// get returns the unexpired result for key, or nil.
func (c *authCache) get(key authKey, now time.Time) *authResult {
	c.mu.RLock()
	e, ok := c.m[key]
	c.mu.RUnlock()
	if !ok || !now.Before(e.expires) {
		return nil
	}
	return e.res
}

// put stores a result for ttl, making room first: expired entries go, then arbitrary ones
// until a tenth of the cache is free.
func (c *authCache) put(key authKey, res *authResult, now time.Time, ttl time.Duration) {
	size := len(key.identity) + len(res.raw) + len(res.principalID) + 64
	for _, st := range res.policy {
		for _, s := range st.resource {
			size += len(s)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.m[key]; ok {
		c.bytes -= old.size
		delete(c.m, key)
	}
	if len(c.m) >= maxAuthEntries || c.bytes+size > maxAuthBytes {
		for k, e := range c.m {
			if !now.Before(e.expires) {
				c.bytes -= e.size
				delete(c.m, k)
			}
		}
		for k, e := range c.m {
			if len(c.m) < maxAuthEntries*9/10 && c.bytes+size <= maxAuthBytes*9/10 {
				break
			}
			c.bytes -= e.size
			delete(c.m, k)
		}
	}
	c.m[key] = authEntry{res: res, expires: now.Add(ttl), size: size}
	c.bytes += size
}
