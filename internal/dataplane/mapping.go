package dataplane

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// maxBodyMapping is how much of a request body $request.body mappings see (API Gateway
// evaluates them on the first 100 KB).
const maxBodyMapping = 100 << 10

// bodyValue evaluates a $request.body.<path> expression on a JSON body: dotted member names and
// [n] indexes ("items[0].id"); "" is the whole body. The body is read as a stream, so a member
// found within the first 100 KB is found even when the rest is cut off. Strings are returned as
// they are, other values as compact JSON; ok is false when the body is not JSON or the path
// names nothing.
func bodyValue(body []byte, path string) (string, bool) {
	if len(body) > maxBodyMapping {
		body = body[:maxBodyMapping]
	}
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	var skip json.RawMessage
	for path != "" {
		var seg string
		seg, path, _ = strings.Cut(path, ".")
		name, idx := seg, ""
		if i := strings.IndexByte(seg, '['); i >= 0 {
			name, idx = seg[:i], seg[i:]
		}
		if name != "" {
			if t, err := d.Token(); err != nil || t != json.Delim('{') {
				return "", false
			}
			for {
				t, err := d.Token()
				if err != nil || t == json.Delim('}') {
					return "", false
				}
				if t == name {
					break
				}
				if d.Decode(&skip) != nil {
					return "", false
				}
			}
		}
		for idx != "" {
			end := strings.IndexByte(idx, ']')
			if !strings.HasPrefix(idx, "[") || end < 0 {
				return "", false
			}
			n, err := strconv.Atoi(idx[1:end])
			if err != nil || n < 0 {
				return "", false
			}
			if t, err := d.Token(); err != nil || t != json.Delim('[') {
				return "", false
			}
			for ; n > 0; n-- {
				if !d.More() || d.Decode(&skip) != nil {
					return "", false
				}
			}
			if !d.More() {
				return "", false
			}
			idx = idx[end+1:]
		}
	}
	var v any
	if err := d.Decode(&v); err != nil {
		return "", false
	}
	switch x := v.(type) {
	case string:
		return x, true
	case nil:
		return "", false
	default:
		b, err := json.Marshal(x)
		return string(b), err == nil
	}
}

// lookup evaluates one selection expression without its leading "$": request.header.x,
// request.querystring.x, request.path, request.path.x, context.x, stageVariables.x,
// response.header.x, response.statuscode and response.body(.x). ok is false when it names
// nothing.
func (h *Handler) lookup(req *request, expr string, resp *http.Response) (string, bool) {
	r := req.r
	switch {
	case strings.HasPrefix(expr, "request.header."):
		v := r.Header.Values(strings.TrimPrefix(expr, "request.header."))
		return strings.Join(v, ","), len(v) > 0
	case strings.HasPrefix(expr, "request.querystring."):
		v, ok := r.URL.Query()[strings.TrimPrefix(expr, "request.querystring.")]
		return strings.Join(v, ","), ok
	case expr == "request.path":
		return req.path, true
	case expr == "request.body" || strings.HasPrefix(expr, "request.body."):
		return bodyValue(req.body, strings.TrimPrefix(strings.TrimPrefix(expr, "request.body"), "."))
	case strings.HasPrefix(expr, "request.path."):
		return req.params.Get(strings.TrimPrefix(expr, "request.path."))
	case strings.HasPrefix(expr, "stageVariables."):
		if req.stage == nil {
			return "", false
		}
		v, ok := req.stage.vars[strings.TrimPrefix(expr, "stageVariables.")]
		return v, ok
	case strings.HasPrefix(expr, "context."):
		return h.contextVar(req, strings.TrimPrefix(expr, "context."))
	case resp != nil && strings.HasPrefix(expr, "response.header."):
		v := resp.Header.Values(strings.TrimPrefix(expr, "response.header."))
		return strings.Join(v, ","), len(v) > 0
	case resp != nil && expr == "response.statuscode":
		return strconv.Itoa(resp.StatusCode), true
	case resp != nil && (expr == "response.body" || strings.HasPrefix(expr, "response.body.")):
		// Only a Lambda integration's response body is at hand; an HTTP backend's streams.
		return bodyValue(req.respBody, strings.TrimPrefix(strings.TrimPrefix(expr, "response.body"), "."))
	}
	return "", false
}

// contextVar returns a $context variable of the request.
func (h *Handler) contextVar(req *request, name string) (string, bool) {
	r := req.r
	if c, ok := strings.CutPrefix(name, "authorizer.claims."); ok {
		v, ok := req.claims[c]
		return v, ok
	}
	if a := req.authz; a != nil {
		if k, ok := strings.CutPrefix(name, "authorizer."); ok && k != "error" {
			return a.value(k)
		}
		if id := a.iam; id != nil {
			switch name {
			case "identity.accessKey":
				return id.accessKey, true
			case "identity.accountId":
				return id.accountID, true
			case "identity.caller":
				return id.callerID, true
			case "identity.user":
				return id.userID, true
			case "identity.userArn":
				return id.userARN, true
			}
		}
	}
	switch name {
	case "requestId", "extendedRequestId":
		return req.id, true
	case "apiId":
		if req.api != nil {
			return req.api.id, true
		}
	case "accountId":
		return h.AccountID, true
	case "stage":
		if req.stage != nil {
			return req.stage.name, true
		}
	case "routeKey":
		if req.route != nil {
			return req.route.route.RouteKey, true
		}
	case "httpMethod":
		return r.Method, true
	case "path":
		return r.URL.Path, true
	case "protocol":
		return r.Proto, true
	case "domainName":
		return r.Host, true
	case "domainPrefix":
		host, _, _ := strings.Cut(r.Host, ".")
		return host, true
	case "identity.sourceIp":
		return clientIP(r), true
	case "identity.userAgent":
		return r.UserAgent(), true
	case "requestTime":
		return req.start.UTC().Format("02/Jan/2006:15:04:05 -0700"), true
	case "requestTimeEpoch":
		return strconv.FormatInt(req.start.UnixMilli(), 10), true
	case "status":
		if req.status != 0 {
			return strconv.Itoa(req.status), true
		}
	case "responseLatency":
		return strconv.FormatInt(h.Now().Sub(req.start).Milliseconds(), 10), true
	case "authorizer.error":
		return req.authErr, req.authErr != ""
	case "customDomain.basePathMatched":
		if req.mapping != nil {
			return req.mapping.ApiMappingKey, true
		}
	}
	return "", false
}

// evalValue evaluates a parameter-mapping value: one selection expression ("$request.header.x"),
// a static string, or a string with ${...} expressions in it.
func (h *Handler) evalValue(req *request, v string, resp *http.Response) string {
	if strings.HasPrefix(v, "$") && !strings.HasPrefix(v, "${") && !strings.ContainsAny(v, " {}") {
		out, _ := h.lookup(req, v[1:], resp)
		return out
	}
	var b strings.Builder
	for {
		i := strings.Index(v, "${")
		if i < 0 {
			b.WriteString(v)
			return b.String()
		}
		j := strings.IndexByte(v[i:], '}')
		if j < 0 {
			b.WriteString(v)
			return b.String()
		}
		b.WriteString(v[:i])
		out, _ := h.lookup(req, v[i+2:i+j], resp)
		b.WriteString(out)
		v = v[i+j+1:]
	}
}

// render fills an access-log format: every $context.x (or ${context.x}) is replaced by its
// value, "-" when it has none, as API Gateway does.
func (h *Handler) render(req *request, format string) string {
	var b strings.Builder
	for i := 0; i < len(format); {
		c := format[i]
		if c != '$' {
			b.WriteByte(c)
			i++
			continue
		}
		braced := strings.HasPrefix(format[i:], "${")
		start := i + 1
		if braced {
			start = i + 2
		}
		j := start
		for j < len(format) && isExprChar(format[j]) {
			j++
		}
		expr := format[start:j]
		if braced && j < len(format) && format[j] == '}' {
			j++
		}
		if v, ok := h.lookup(req, expr, nil); ok && strings.HasPrefix(expr, "context.") {
			b.WriteString(v)
		} else if strings.HasPrefix(expr, "context.") {
			b.WriteByte('-')
		} else {
			b.WriteString(format[i:j])
		}
		i = j
	}
	return b.String()
}

func isExprChar(c byte) bool {
	return c == '.' || c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
