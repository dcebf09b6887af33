package dataplane

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/gateway"
)

// proxy forwards a request to an HTTP_PROXY integration and streams the response back.
func (h *Handler) proxy(req *request, integ *gateway.Integration) {
	target, err := h.targetURL(req, integ)
	if err != nil {
		h.Log.WarnContext(req.r.Context(), "data plane: bad integration URI", "uri", integ.IntegrationUri, "err", err)
		h.reply(req, http.StatusInternalServerError, bodyInternal)
		return
	}
	if needsBody(integ) {
		// $request.body mappings need the body before it is forwarded: read it (at most the
		// 10 MB payload limit) and forward the copy.
		if _, ok := h.readBody(req, MaxPayload, bodyTooLarge); !ok {
			return
		}
	}
	timeout := time.Duration(integ.TimeoutInMillis) * time.Millisecond
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(req.r.Context(), timeout)
	defer cancel()
	method := integ.IntegrationMethod
	if method == "" || method == "ANY" {
		method = req.r.Method
	}
	call := &proxyCall{req: req, integ: integ, target: target, method: method, ctx: ctx}
	h.rp.ServeHTTP(req.w, req.r.WithContext(context.WithValue(ctx, proxyCallKey{}, call)))
}

// proxyCall is what the shared ReverseProxy needs to know about one request; it travels in the
// request's context.
type proxyCall struct {
	req    *request
	integ  *gateway.Integration
	target *url.URL
	method string
	ctx    context.Context
}

type proxyCallKey struct{}

func callOf(r *http.Request) *proxyCall { return r.Context().Value(proxyCallKey{}).(*proxyCall) }

// newReverseProxy builds the one ReverseProxy every HTTP_PROXY integration goes through (a
// request allocates only its proxyCall). Responses with a Content-Length are copied with a
// buffer; responses without one (chunked, streams) are flushed as they arrive.
func (h *Handler) newReverseProxy() *httputil.ReverseProxy {
	return &httputil.ReverseProxy{
		Transport: h.Transport,
		Rewrite: func(pr *httputil.ProxyRequest) {
			c := callOf(pr.In)
			out := pr.Out
			out.Method = c.method
			out.URL = c.target
			out.Host = c.target.Host
			out.RequestURI = ""
			xff, proto, port := forwarded(pr.In)
			out.Header.Set("X-Forwarded-For", xff)
			out.Header.Set("X-Forwarded-Proto", proto)
			out.Header.Set("X-Forwarded-Port", port)
			h.mapRequest(c.req, c.integ, out)
		},
		ModifyResponse: func(resp *http.Response) error {
			c := callOf(resp.Request)
			req := c.req
			if req.stage.cors != nil {
				stripCORS(resp.Header)
				addCORS(resp.Header, req.stage.cors, req.r.Header.Get("Origin"))
			}
			h.mapResponse(req, c.integ, resp)
			req.status = resp.StatusCode
			resp.Header.Set("apigw-requestid", req.id)
			return nil
		},
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			c := callOf(r)
			req := c.req
			if errors.Is(err, context.DeadlineExceeded) || errors.Is(c.ctx.Err(), context.DeadlineExceeded) {
				h.reply(req, http.StatusServiceUnavailable, bodyTimeout)
				return
			}
			if req.r.Context().Err() != nil {
				req.status = 499 // the client went away
				return
			}
			h.Log.WarnContext(r.Context(), "data plane: integration failed", "uri", c.target.Redacted(), "err", err)
			h.reply(req, http.StatusBadGateway, bodyBadGateway)
		},
	}
}

// needsBody reports whether an integration's request mapping reads the request body.
func needsBody(integ *gateway.Integration) bool {
	for _, v := range integ.RequestParameters {
		if strings.Contains(v, "request.body") {
			return true
		}
	}
	return false
}

// targetURL builds the backend URL: the integration URI with stage variables and path
// variables ({name}, {proxy} for a greedy {proxy+}) filled in; for the $default route the
// request path is appended; the request's query string is forwarded.
func (h *Handler) targetURL(req *request, integ *gateway.Integration) (*url.URL, error) {
	raw := h.evalStageVars(req, integ.IntegrationUri)
	for _, p := range req.params {
		raw = strings.ReplaceAll(raw, "{"+p.Name+"}", escapePath(p.Value))
		raw = strings.ReplaceAll(raw, "{"+p.Name+"+}", escapePath(p.Value))
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, errors.New("integration URI is not an http(s) URL")
	}
	if req.route.route.RouteKey == "$default" {
		// $default forwards the request path (below the stage) after the URI's own path.
		esc := strings.TrimSuffix(u.EscapedPath(), "/") + req.path
		if p, err := url.PathUnescape(esc); err == nil {
			u.Path, u.RawPath = p, esc
		}
	}
	if q := req.r.URL.RawQuery; q != "" {
		if u.RawQuery != "" {
			u.RawQuery += "&" + q
		} else {
			u.RawQuery = q
		}
	}
	return u, nil
}

// escapePath escapes a path parameter value for a URL path, keeping the slashes of a greedy
// value.
func escapePath(v string) string {
	parts := strings.Split(v, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.Join(parts, "/")
}

// evalStageVars replaces ${stageVariables.x} in s.
func (h *Handler) evalStageVars(req *request, s string) string {
	for {
		i := strings.Index(s, "${stageVariables.")
		if i < 0 {
			return s
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return s
		}
		name := s[i+len("${stageVariables.") : i+j]
		s = s[:i] + req.stage.vars[name] + s[i+j+1:]
	}
}

// mapRequest applies the integration's request parameter mapping to the outgoing request.
func (h *Handler) mapRequest(req *request, integ *gateway.Integration, out *http.Request) {
	if len(integ.RequestParameters) == 0 {
		return
	}
	q := out.URL.Query()
	qChanged := false
	for key, expr := range integ.RequestParameters {
		action, target, _ := strings.Cut(key, ":")
		val := h.evalValue(req, expr, nil)
		switch {
		case strings.HasPrefix(target, "header."):
			mapHeader(out.Header, action, strings.TrimPrefix(target, "header."), val)
		case strings.HasPrefix(target, "querystring."):
			name := strings.TrimPrefix(target, "querystring.")
			qChanged = true
			switch action {
			case "overwrite":
				q.Set(name, val)
			case "append":
				q.Add(name, val)
			case "remove":
				q.Del(name)
			}
		case target == "path" && action == "overwrite":
			if !strings.HasPrefix(val, "/") {
				val = "/" + val
			}
			out.URL.Path, out.URL.RawPath = val, ""
		}
	}
	if qChanged {
		out.URL.RawQuery = q.Encode()
	}
}

// mapResponse applies the integration's response parameter mapping for the backend's status.
func (h *Handler) mapResponse(req *request, integ *gateway.Integration, resp *http.Response) {
	params, ok := integ.ResponseParameters[strconv.Itoa(resp.StatusCode)]
	if !ok {
		return
	}
	for key, expr := range params {
		action, target, _ := strings.Cut(key, ":")
		val := h.evalValue(req, expr, resp)
		switch {
		case strings.HasPrefix(target, "header."):
			mapHeader(resp.Header, action, strings.TrimPrefix(target, "header."), val)
		case target == "statuscode" && action == "overwrite":
			if n, err := strconv.Atoi(val); err == nil && n >= 100 && n <= 599 {
				resp.StatusCode = n
				resp.Status = ""
			}
		}
	}
}

// mapHeader applies one header mapping: overwrite, append or remove.
func mapHeader(h http.Header, action, name, val string) {
	switch action {
	case "overwrite":
		h.Set(name, val)
	case "append":
		h.Add(name, val)
	case "remove":
		h.Del(name)
	}
}

// forwarded returns the X-Forwarded-* values API Gateway sends an integration: the client's
// address appended to X-Forwarded-For, the scheme and port the client used.
func forwarded(r *http.Request) (xff, proto, port string) {
	xff = clientIP(r)
	if prior := r.Header.Values("X-Forwarded-For"); len(prior) > 0 {
		xff = strings.Join(prior, ", ") + ", " + xff
	}
	proto, port = "http", "80"
	if r.TLS != nil {
		proto, port = "https", "443"
	}
	if _, p, err := net.SplitHostPort(r.Host); err == nil {
		port = p
	}
	return xff, proto, port
}

// clientIP returns the address of the client without port.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
