package dataplane

import (
	"encoding/base64"
	"mime"
	"strings"

	"github.com/aws/aws-lambda-go/events"
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

// eventV2 builds the payload format 2.0 event API Gateway sends a Lambda integration for req:
// lower-case header names with repeated values joined by commas, cookies taken out of the
// headers, query parameters joined by commas, the JWT authorizer's claims (every value a
// string) and scopes (null when the token has none), and the body, base64-encoded when it is
// not text.
func (h *Handler) eventV2(req *request, body []byte) events.APIGatewayV2HTTPRequest {
	r := req.r
	ev := events.APIGatewayV2HTTPRequest{
		Version:        "2.0",
		RouteKey:       req.route.route.RouteKey,
		RawPath:        r.URL.EscapedPath(),
		RawQueryString: r.URL.RawQuery,
		Headers:        map[string]string{},
	}
	if strings.HasPrefix(ev.RawPath, PathPrefix) {
		_, rest, _ := strings.Cut(strings.TrimPrefix(ev.RawPath, PathPrefix), "/")
		ev.RawPath = "/" + rest
	}
	for name, vals := range r.Header {
		lower := strings.ToLower(name)
		if lower == "cookie" {
			for _, v := range vals {
				for _, c := range strings.Split(v, ";") {
					if c = strings.TrimSpace(c); c != "" {
						ev.Cookies = append(ev.Cookies, c)
					}
				}
			}
			continue
		}
		ev.Headers[lower] = strings.Join(vals, ",")
	}
	if r.Host != "" {
		ev.Headers["host"] = r.Host
	}
	if q := r.URL.Query(); len(q) > 0 {
		ev.QueryStringParameters = map[string]string{}
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
	if len(body) > 0 {
		if textual(r.Header.Get("Content-Type")) {
			ev.Body = string(body)
		} else {
			ev.Body, ev.IsBase64Encoded = base64.StdEncoding.EncodeToString(body), true
		}
	}
	host, _, _ := strings.Cut(r.Host, ":")
	prefix, _, _ := strings.Cut(host, ".")
	rc := &ev.RequestContext
	rc.RouteKey, rc.AccountID, rc.Stage, rc.RequestID = ev.RouteKey, h.AccountID, req.stage.name, req.id
	rc.APIID, rc.DomainName, rc.DomainPrefix = req.api.id, host, prefix
	rc.Time = req.start.UTC().Format("02/Jan/2006:15:04:05 -0700")
	rc.TimeEpoch = req.start.UnixMilli()
	rc.HTTP = events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: r.Method, Path: ev.RawPath, Protocol: r.Proto,
		SourceIP: clientIP(r), UserAgent: r.UserAgent()}
	if req.route.route.AuthorizationType == "JWT" {
		rc.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: req.claims, Scopes: req.scopes}}
	}
	return ev
}
