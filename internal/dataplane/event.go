package dataplane

import (
	"encoding/base64"
	"encoding/json"
	"mime"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"
)

// textual reports whether a body of this content type travels as text in a Lambda event;
// other bodies are base64-encoded (isBase64Encoded).
func textual(contentType string) bool {
	if contentType == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	switch {
	case strings.HasPrefix(mt, "text/"), strings.HasSuffix(mt, "+json"), strings.HasSuffix(mt, "+xml"):
		return true
	}
	switch mt {
	case "application/json", "application/xml", "application/javascript", "application/x-www-form-urlencoded",
		"application/graphql", "application/yaml", "application/x-yaml":
		return true
	}
	return false
}

// The events API Gateway sends Lambda functions. They are the shapes of aws-lambda-go's
// events.APIGatewayV2HTTPRequest, events.APIGatewayProxyRequest and the authorizer requests,
// with the members AWS leaves out or sends as null rendered that way: a request context
// without authentication (no mutual TLS here), scopes null when the token has none, an IAM
// caller's cognitoIdentity null. body and isBase64Encoded are appended to the marshalled
// head by appendBody, so a large body is escaped once, straight into the payload.

// eventV2 is the payload format 2.0 event, without body and isBase64Encoded.
type eventV2 struct {
	Version               string            `json:"version"`
	RouteKey              string            `json:"routeKey"`
	RawPath               string            `json:"rawPath"`
	RawQueryString        string            `json:"rawQueryString"`
	Cookies               []string          `json:"cookies,omitempty"`
	Headers               map[string]string `json:"headers"`
	QueryStringParameters map[string]string `json:"queryStringParameters,omitempty"`
	PathParameters        map[string]string `json:"pathParameters,omitempty"`
	RequestContext        contextV2         `json:"requestContext"`
	StageVariables        map[string]string `json:"stageVariables,omitempty"`
}

// contextV2 is requestContext of payload format 2.0.
type contextV2 struct {
	AccountID    string        `json:"accountId"`
	APIID        string        `json:"apiId"`
	Authorizer   *authorizerV2 `json:"authorizer,omitempty"`
	DomainName   string        `json:"domainName"`
	DomainPrefix string        `json:"domainPrefix"`
	HTTP         httpV2        `json:"http"`
	RequestID    string        `json:"requestId"`
	RouteKey     string        `json:"routeKey"`
	Stage        string        `json:"stage"`
	Time         string        `json:"time"`
	TimeEpoch    int64         `json:"timeEpoch"`
}

// httpV2 is requestContext.http of payload format 2.0.
type httpV2 struct {
	Method    string `json:"method"`
	Path      string `json:"path"`
	Protocol  string `json:"protocol"`
	SourceIP  string `json:"sourceIp"`
	UserAgent string `json:"userAgent"`
}

// authorizerV2 is requestContext.authorizer of payload format 2.0: one of jwt, lambda or iam.
type authorizerV2 struct {
	JWT    *jwtClaims      `json:"jwt,omitempty"`
	Lambda json.RawMessage `json:"lambda,omitempty"`
	IAM    *iamV2          `json:"iam,omitempty"`
}

// jwtClaims is what a JWT authorizer passes on (requestContext.authorizer.jwt in 2.0,
// requestContext.authorizer in 1.0): every claim a string, scopes null when the token has none.
// Payload format 1.0 sends both null for routes without an authorizer.
type jwtClaims struct {
	Claims map[string]string `json:"claims"`
	Scopes []string          `json:"scopes"`
}

// iamV2 is the caller of an AWS_IAM route (aws-lambda-go's
// APIGatewayV2HTTPRequestContextAuthorizerIAMDescription); no caller here has a Cognito
// identity or an organization.
type iamV2 struct {
	AccessKey       string          `json:"accessKey"`
	AccountID       string          `json:"accountId"`
	CallerID        string          `json:"callerId"`
	CognitoIdentity json.RawMessage `json:"cognitoIdentity"`
	PrincipalOrgID  *string         `json:"principalOrgId"`
	UserARN         string          `json:"userArn"`
	UserID          string          `json:"userId"`
}

// requestV1 is the request as payload format 1.0 describes it, in integration and authorizer
// events alike.
type requestV1 struct {
	Resource                        string              `json:"resource"`
	Path                            string              `json:"path"`
	HTTPMethod                      string              `json:"httpMethod"`
	Headers                         map[string]string   `json:"headers"`
	MultiValueHeaders               map[string][]string `json:"multiValueHeaders"`
	QueryStringParameters           map[string]string   `json:"queryStringParameters"`
	MultiValueQueryStringParameters map[string][]string `json:"multiValueQueryStringParameters"`
	PathParameters                  map[string]string   `json:"pathParameters"`
	StageVariables                  map[string]string   `json:"stageVariables"`
}

// eventV1 is the payload format 1.0 event (REST's proxy event plus version), without body and
// isBase64Encoded.
type eventV1 struct {
	Version string `json:"version"`
	requestV1
	RequestContext contextV1 `json:"requestContext"`
}

// contextV1 is requestContext of payload format 1.0.
type contextV1 struct {
	AccountID         string     `json:"accountId"`
	APIID             string     `json:"apiId"`
	Authorizer        any        `json:"authorizer"`
	DomainName        string     `json:"domainName"`
	DomainPrefix      string     `json:"domainPrefix"`
	ExtendedRequestID string     `json:"extendedRequestId"`
	HTTPMethod        string     `json:"httpMethod"`
	Identity          identityV1 `json:"identity"`
	Path              string     `json:"path"`
	Protocol          string     `json:"protocol"`
	RequestID         string     `json:"requestId"`
	RequestTime       string     `json:"requestTime"`
	RequestTimeEpoch  int64      `json:"requestTimeEpoch"`
	ResourceID        *string    `json:"resourceId"`
	ResourcePath      string     `json:"resourcePath"`
	Stage             string     `json:"stage"`
}

// identityV1 is requestContext.identity of payload format 1.0: null members but for the
// caller's address and agent, and the IAM caller on AWS_IAM routes.
type identityV1 struct {
	AccessKey                     *string `json:"accessKey"`
	AccountID                     *string `json:"accountId"`
	Caller                        *string `json:"caller"`
	CognitoAuthenticationProvider *string `json:"cognitoAuthenticationProvider"`
	CognitoAuthenticationType     *string `json:"cognitoAuthenticationType"`
	CognitoIdentityID             *string `json:"cognitoIdentityId"`
	CognitoIdentityPoolID         *string `json:"cognitoIdentityPoolId"`
	PrincipalOrgID                *string `json:"principalOrgId"`
	SourceIP                      string  `json:"sourceIp"`
	User                          *string `json:"user"`
	UserAgent                     string  `json:"userAgent"`
	UserArn                       *string `json:"userArn"`
}

// authorizerEventV2 is a Lambda authorizer's payload format 2.0 event
// (events.APIGatewayV2CustomAuthorizerV2Request): the integration event without body, plus
// type, routeArn and the identity-source values.
type authorizerEventV2 struct {
	Type           string   `json:"type"`
	RouteArn       string   `json:"routeArn"`
	IdentitySource []string `json:"identitySource"`
	eventV2
}

// authorizerEventV1 is a Lambda authorizer's payload format 1.0 event: the documented
// events.APIGatewayV2CustomAuthorizerV1Request members, plus REST's multiValueHeaders and
// multiValueQueryStringParameters (events.APIGatewayCustomAuthorizerRequestTypeRequest), since
// 1.0 is the format for authorizers shared with REST APIs.
type authorizerEventV1 struct {
	Version            string `json:"version"`
	Type               string `json:"type"`
	MethodArn          string `json:"methodArn"`
	IdentitySource     string `json:"identitySource"`
	AuthorizationToken string `json:"authorizationToken"`
	requestV1
	RequestContext authorizerContextV1 `json:"requestContext"`
}

// authorizerContextV1 is requestContext of a 1.0 authorizer event.
type authorizerContextV1 struct {
	Path         string             `json:"path"`
	AccountID    string             `json:"accountId"`
	ResourceID   *string            `json:"resourceId"`
	Stage        string             `json:"stage"`
	RequestID    string             `json:"requestId"`
	Identity     authorizerIdentity `json:"identity"`
	ResourcePath string             `json:"resourcePath"`
	HTTPMethod   string             `json:"httpMethod"`
	APIID        string             `json:"apiId"`
}

// authorizerIdentity is requestContext.identity of a 1.0 authorizer event (HTTP APIs have no
// API keys).
type authorizerIdentity struct {
	APIKey   *string `json:"apiKey"`
	SourceIP string  `json:"sourceIp"`
}

const timeFormat = "02/Jan/2006:15:04:05 -0700"

// rawPath is the path of r as the client sent it, without the /_aws/execute-api/<apiId> prefix
// of host-less requests.
func rawPath(r *http.Request) string {
	p := r.URL.EscapedPath()
	if rest, ok := strings.CutPrefix(p, PathPrefix); ok {
		_, rest, _ = strings.Cut(rest, "/")
		p = "/" + rest
	}
	return p
}

// routePath is the path of the route's key ("/pets/{id}"), or "$default".
func routePath(req *request) string {
	key := req.route.route.RouteKey
	if _, p, ok := strings.Cut(key, " "); ok {
		return p
	}
	return key
}

// domain returns requestContext.domainName and domainPrefix: the Host without port, and its
// first label.
func domain(r *http.Request) (name, prefix string) {
	name, _, _ = strings.Cut(r.Host, ":")
	prefix, _, _ = strings.Cut(name, ".")
	return name, prefix
}

// headersV2 returns the 2.0 headers of r (lower-case names, repeated values joined by commas,
// the Host and the X-Forwarded-* headers API Gateway adds) and its cookies.
func headersV2(r *http.Request) (map[string]string, []string) {
	hd := make(map[string]string, len(r.Header)+4)
	var cookies []string
	for name, vals := range r.Header {
		lower := strings.ToLower(name)
		if lower == "cookie" {
			for _, v := range vals {
				for c := range strings.SplitSeq(v, ";") {
					if c = strings.TrimSpace(c); c != "" {
						cookies = append(cookies, c)
					}
				}
			}
			continue
		}
		hd[lower] = strings.Join(vals, ",")
	}
	if r.Host != "" {
		hd["host"] = r.Host
	}
	xff, proto, port := forwarded(r)
	hd["x-forwarded-for"], hd["x-forwarded-proto"], hd["x-forwarded-port"] = xff, proto, port
	return hd, cookies
}

// headersV1 returns the 1.0 headers of r: the last value of each header, and all of them.
func headersV1(r *http.Request) (map[string]string, map[string][]string) {
	single := make(map[string]string, len(r.Header)+4)
	multi := make(map[string][]string, len(r.Header)+4)
	for name, vals := range r.Header {
		if len(vals) > 0 {
			single[name], multi[name] = vals[len(vals)-1], vals
		}
	}
	add := func(name, v string) { single[name], multi[name] = v, []string{v} }
	if r.Host != "" {
		add("Host", r.Host)
	}
	xff, proto, port := forwarded(r)
	add("X-Forwarded-For", xff)
	add("X-Forwarded-Proto", proto)
	add("X-Forwarded-Port", port)
	return single, multi
}

// queryV1 returns the 1.0 query parameters (the last value of each, and all of them), nil when
// there are none.
func queryV1(r *http.Request) (map[string]string, map[string][]string) {
	q := r.URL.Query()
	if len(q) == 0 {
		return nil, nil
	}
	single := make(map[string]string, len(q))
	for k, v := range q {
		single[k] = v[len(v)-1]
	}
	return single, q
}

// newEventV2 builds the payload format 2.0 event API Gateway sends a Lambda integration for req,
// whose request (headers, query, path) is r, as parameter mapping left it: lower-case header
// names with repeated values joined by commas, cookies taken out of the headers, query
// parameters joined by commas, and the authorizer's output.
func (h *Handler) newEventV2(req *request, r *http.Request) *eventV2 {
	hd, cookies := headersV2(r)
	ev := &eventV2{
		Version:        "2.0",
		RouteKey:       req.route.route.RouteKey,
		RawPath:        rawPath(r),
		RawQueryString: r.URL.RawQuery,
		Cookies:        cookies,
		Headers:        hd,
	}
	if q := r.URL.Query(); len(q) > 0 {
		ev.QueryStringParameters = make(map[string]string, len(q))
		for k, v := range q {
			ev.QueryStringParameters[k] = strings.Join(v, ",")
		}
	}
	if len(req.params) > 0 {
		ev.PathParameters = req.params.Map()
	}
	if len(req.stage.vars) > 0 {
		ev.StageVariables = req.stage.vars
	}
	name, prefix := domain(r)
	ev.RequestContext = contextV2{
		AccountID: h.AccountID, APIID: req.api.id, DomainName: name, DomainPrefix: prefix,
		HTTP:      httpV2{Method: r.Method, Path: ev.RawPath, Protocol: r.Proto, SourceIP: clientIP(r), UserAgent: r.UserAgent()},
		RequestID: req.id, RouteKey: ev.RouteKey, Stage: req.stage.name,
		Time: req.start.UTC().Format(timeFormat), TimeEpoch: req.start.UnixMilli(),
	}
	switch {
	case req.route.route.AuthorizationType == "JWT":
		ev.RequestContext.Authorizer = &authorizerV2{JWT: &jwtClaims{Claims: req.claims, Scopes: req.scopes}}
	case req.authz != nil && req.authz.iam != nil:
		id := req.authz.iam
		ev.RequestContext.Authorizer = &authorizerV2{IAM: &iamV2{AccessKey: id.accessKey, AccountID: id.accountID,
			CallerID: id.callerID, CognitoIdentity: jsonNull, UserARN: id.userARN, UserID: id.userID}}
	case req.authz != nil:
		ev.RequestContext.Authorizer = &authorizerV2{Lambda: req.authz.rawContext()}
	}
	return ev
}

var jsonNull = json.RawMessage("null")

// newRequestV1 describes r in payload format 1.0.
func newRequestV1(req *request, r *http.Request) requestV1 {
	hd, mhd := headersV1(r)
	q, mq := queryV1(r)
	return requestV1{Resource: routePath(req), Path: rawPath(r), HTTPMethod: r.Method,
		Headers: hd, MultiValueHeaders: mhd, QueryStringParameters: q, MultiValueQueryStringParameters: mq,
		PathParameters: req.params.Map(), StageVariables: req.stage.vars}
}

// newEventV1 builds the payload format 1.0 event for req, whose request is r.
func (h *Handler) newEventV1(req *request, r *http.Request) *eventV1 {
	ev := &eventV1{Version: "1.0", requestV1: newRequestV1(req, r)}
	if len(ev.StageVariables) == 0 {
		ev.StageVariables = nil
	}
	name, prefix := domain(r)
	rc := &ev.RequestContext
	*rc = contextV1{
		AccountID: h.AccountID, APIID: req.api.id, DomainName: name, DomainPrefix: prefix, ExtendedRequestID: req.id,
		HTTPMethod: r.Method, Path: ev.Path, Protocol: r.Proto, RequestID: req.id,
		RequestTime: req.start.UTC().Format(timeFormat), RequestTimeEpoch: req.start.UnixMilli(),
		ResourcePath: ev.Resource, Stage: req.stage.name,
		Identity: identityV1{SourceIP: clientIP(r), UserAgent: r.UserAgent()},
	}
	switch {
	case req.route.route.AuthorizationType == "JWT":
		rc.Authorizer = jwtClaims{Claims: req.claims, Scopes: req.scopes}
	case req.authz != nil && req.authz.iam != nil:
		id := req.authz.iam
		rc.Authorizer = jwtClaims{}
		rc.Identity.AccessKey, rc.Identity.AccountID, rc.Identity.Caller = &id.accessKey, &id.accountID, &id.callerID
		rc.Identity.User, rc.Identity.UserArn = &id.userID, &id.userARN
	case req.authz != nil:
		rc.Authorizer = req.authz.contextV1()
	default:
		rc.Authorizer = jwtClaims{}
	}
	return ev
}

// authorizerEvent builds a Lambda authorizer's event in payload format version; arn is the
// route ARN (methodArn in 1.0).
func (h *Handler) authorizerEvent(req *request, version, arn string, identity []string) ([]byte, error) {
	if version == "2.0" {
		return json.Marshal(authorizerEventV2{Type: "REQUEST", RouteArn: arn, IdentitySource: identity, eventV2: *h.newEventV2(req, req.r)})
	}
	r := req.r
	joined := strings.Join(identity, ",")
	ev := authorizerEventV1{Version: "1.0", Type: "REQUEST", MethodArn: arn, IdentitySource: joined, AuthorizationToken: joined,
		requestV1: newRequestV1(req, r)}
	if ev.PathParameters == nil {
		ev.PathParameters = map[string]string{}
	}
	ev.RequestContext = authorizerContextV1{Path: ev.Path, AccountID: h.AccountID, Stage: req.stage.name, RequestID: req.id,
		Identity: authorizerIdentity{SourceIP: clientIP(r)}, ResourcePath: ev.Resource, HTTPMethod: r.Method, APIID: req.api.id}
	return json.Marshal(ev)
}

// lambdaEvent returns the integration event for req in the integration's payload format, with
// body: the marshalled head and the body escaped once into one buffer.
func (h *Handler) lambdaEvent(req *request, r *http.Request, version string, body []byte) ([]byte, error) {
	var head []byte
	var err error
	if version == "2.0" {
		head, err = json.Marshal(h.newEventV2(req, r))
	} else {
		head, err = json.Marshal(h.newEventV1(req, r))
	}
	if err != nil {
		return nil, err
	}
	return appendBody(head, body, textual(r.Header.Get("Content-Type")), version != "2.0"), nil
}

// appendBody appends body and isBase64Encoded to a marshalled event object: the body as a JSON
// string when it is text, else base64; an empty body is left out, or null with nullEmpty.
func appendBody(head, body []byte, text, nullEmpty bool) []byte {
	head = head[:len(head)-1] // the closing brace
	size := len(head) + len(`,"body":"","isBase64Encoded":false}`)
	switch {
	case len(body) == 0:
	case text:
		size += jsonStringLen(body)
	default:
		size += base64.StdEncoding.EncodedLen(len(body))
	}
	out := make([]byte, 0, size)
	out = append(out, head...)
	encoded := false
	switch {
	case len(body) == 0 && nullEmpty:
		out = append(out, `,"body":null`...)
	case len(body) == 0:
	case text:
		out = append(out, `,"body":`...)
		out = appendJSONString(out, body)
	default:
		out = append(out, `,"body":"`...)
		out = base64.StdEncoding.AppendEncode(out, body)
		out = append(out, '"')
		encoded = true
	}
	if encoded {
		return append(out, `,"isBase64Encoded":true}`...)
	}
	return append(out, `,"isBase64Encoded":false}`...)
}

const hexDigits = "0123456789abcdef"

// jsonStringLen returns an upper bound of the length of s escaped by appendJSONString.
func jsonStringLen(s []byte) int {
	n := len(s) + 2
	for _, c := range s {
		switch {
		case c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t':
			n++
		case c < 0x20:
			n += 5
		case c >= utf8.RuneSelf:
			n += 5 // at most \ufffd (6 bytes) for one invalid byte
		}
	}
	return n
}

// appendJSONString appends s as a JSON string as encoding/json writes it (invalid UTF-8 as
// U+FFFD), without HTML escaping.
func appendJSONString(dst, s []byte) []byte {
	dst = slices.Grow(dst, jsonStringLen(s))
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				dst = append(dst, c)
				i++
				continue
			}
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return append(dst, '"')
}
