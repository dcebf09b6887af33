package dataplane

import (
	"context"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/http/httputil"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/awsproto"
	"github.com/gatehouse-dev/gatehouse/internal/gateway"
	"github.com/gatehouse-dev/gatehouse/internal/gateway/jwtauth"
	"github.com/gatehouse-dev/gatehouse/internal/gateway/route"
	"github.com/gatehouse-dev/gatehouse/internal/gateway/throttle"
	"github.com/gatehouse-dev/gatehouse/internal/lambda"
	"github.com/gatehouse-dev/gatehouse/internal/sigv4"
)

// Bodies of the responses API Gateway itself gives.
const (
	bodyNotFound        = `{"message":"Not Found"}`
	bodyForbidden       = `{"message":"Forbidden"}`
	bodyTooManyRequests = `{"message":"Too Many Requests"}`
	bodyInternal        = `{"message":"Internal Server Error"}`
	bodyBadGateway      = `{"message":"Bad Gateway"}`
	// bodyTimeout is what an HTTP API answers, with 503, when its integration times out
	// (observed on AWS: cortexlabs/cortex#1225).
	bodyTimeout  = `{"message":"Service Unavailable"}`
	bodyTooLarge = `{"message":"Request Entity Too Large"}`
)

// MaxPayload is the largest request body an HTTP API accepts (10 MB).
const MaxPayload = 10 << 20

// PathPrefix is where the data plane answers without a per-API host name:
// /_aws/execute-api/<apiId>/<stage path>.
const PathPrefix = "/_aws/execute-api/"

// HostLabel is the part of a host name after the API id: <apiId>.execute-api.<anything>.
const HostLabel = ".execute-api."

// Handler serves the HTTP APIs of the control plane.
type Handler struct {
	// JWT verifies the tokens of JWT authorizers.
	JWT *jwtauth.Verifier
	// Log receives access lines and errors.
	Log *slog.Logger
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Limiter keeps the throttling buckets; in memory when nil.
	Limiter throttle.Limiter
	// Transport reaches HTTP_PROXY backends; http.DefaultTransport when nil.
	Transport http.RoundTripper
	// Region and AccountID appear in the request context.
	Region, AccountID string
	// Issuer, when set, maps a JWT authorizer's configured issuer to the issuer its tokens
	// carry: an authorizer configured with Cognito's https://cognito-idp.<region>.amazonaws.com/<pool>
	// for a pool of this server accepts that pool's tokens whatever --issuer-style says.
	Issuer func(configured string) string
	// Metrics, when set, records each request by API, stage, route and status.
	Metrics interface {
		ObserveAPI(api, stage, route string, status int, d time.Duration)
	}
	// Lambda invokes the functions of AWS_PROXY integrations and Lambda authorizers; without
	// it they answer 500.
	Lambda lambda.Invoker
	// Credentials are the access keys AWS_IAM routes verify signatures against; nil accepts
	// any well-formed signature (--auth open).
	Credentials sigv4.CredentialStore

	authz   *authCache
	cache   *cache
	domains *domains
	rp      *httputil.ReverseProxy
}

// New returns a data-plane handler for the APIs of gw. It registers for gw's change
// notifications.
func New(gw *gateway.Service, h Handler) *Handler {
	if h.Now == nil {
		h.Now = time.Now
	}
	if h.Log == nil {
		h.Log = slog.Default()
	}
	if h.Transport == nil {
		h.Transport = http.DefaultTransport
	}
	if h.Limiter == nil {
		h.Limiter = throttle.NewLocal(h.Now)
	}
	h.cache = &cache{gw: gw, now: h.Now}
	h.domains = &domains{c: h.cache}
	prev := gw.Changed
	gw.Changed = func(id string) {
		h.cache.invalidate(id)
		if prev != nil {
			prev(id)
		}
	}
	hp := &h
	hp.rp = hp.newReverseProxy()
	hp.authz = newAuthCache()
	return hp
}

// target is what a request is addressed to: an API and the path that follows its base URL,
// and the custom domain name's API mapping when it came through one.
type target struct {
	apiID, path string
	// custom is true when the host is a custom domain name; mapping is then the API mapping
	// that matches the path, nil when none does.
	custom  bool
	mapping *gateway.ApiMapping
}

// resolve finds what r is addressed to: by the path prefix /_aws/execute-api/<apiId>/, by a
// host <apiId>.execute-api.<anything>, or by a host that is one of h's custom domain names.
// ok is false when r is not for the data plane.
func (h *Handler) resolve(r *http.Request) (t target, ok bool, err error) {
	if t.apiID, t.path, ok = executeAPITarget(r); ok {
		return t, true, nil
	}
	t.custom, t.mapping, t.path, err = h.domains.route(r)
	if t.mapping != nil {
		t.apiID = t.mapping.ApiId
	}
	return t, t.custom || err != nil, err
}

// Serve answers r and reports true when r is addressed to the data plane (see resolve);
// otherwise it leaves r alone and reports false. The request is resolved once.
func (h *Handler) Serve(w http.ResponseWriter, r *http.Request) bool {
	t, ok, err := h.resolve(r)
	if ok {
		h.serve(w, r, t, err)
	}
	return ok
}

// executeAPITarget is resolve for the API's own endpoints: the path prefix and the execute-api
// host name.
func executeAPITarget(r *http.Request) (apiID, path string, ok bool) {
	if rest, ok := strings.CutPrefix(r.URL.EscapedPath(), PathPrefix); ok {
		id, p, _ := strings.Cut(rest, "/")
		return id, "/" + p, id != ""
	}
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if i := strings.Index(strings.ToLower(host), HostLabel); i > 0 {
		return strings.ToLower(host[:i]), r.URL.EscapedPath(), true
	}
	return "", "", false
}

// request is one request in flight through the data plane.
type request struct {
	w       http.ResponseWriter
	r       *http.Request
	id      string
	start   time.Time
	api     *compiledAPI
	stage   *compiledStage
	route   *compiledRoute
	params  route.Params
	path    string // below the stage
	body    []byte // the request body, read only when needed: $request.body, Lambda, SigV4
	claims  map[string]string
	scopes  []string
	status  int
	authErr string
	// authz is what a Lambda or IAM authorizer established; respBody a Lambda response's
	// body, for $response.body mappings.
	authz    *authContext
	respBody []byte
	// mapping is the custom domain name's API mapping the request came through, nil on the
	// API's own endpoints.
	mapping *gateway.ApiMapping
}

// ServeHTTP implements http.Handler: a request not addressed to an API gets 404.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	t, ok, err := h.resolve(r)
	if !ok {
		t = target{custom: true} // no API: answered like a path no mapping matches
	}
	h.serve(w, r, t, err)
}

// serve answers a request resolved to t (err: resolving failed).
func (h *Handler) serve(w http.ResponseWriter, r *http.Request, t target, err error) {
	id := awsproto.RequestID(r.Context())
	if id == "" {
		id = awsproto.NewRequestID()
	}
	req := &request{w: w, r: r, id: id, start: h.Now(), mapping: t.mapping}
	w.Header().Set("apigw-requestid", req.id)
	if err != nil {
		h.Log.ErrorContext(r.Context(), "data plane: load custom domain names", "host", r.Host, "err", err)
		h.reply(req, http.StatusInternalServerError, bodyInternal)
		return
	}
	if t.custom && req.mapping == nil {
		// A custom domain name none of whose API mappings matches the path.
		h.reply(req, http.StatusNotFound, bodyNotFound)
		return
	}
	apiID, path, custom := t.apiID, t.path, t.custom
	awsproto.SetOperation(r.Context(), "execute-api", "")
	defer h.accessLog(req, apiID)
	api, err := h.cache.get(r.Context(), apiID)
	if err != nil {
		h.Log.ErrorContext(r.Context(), "data plane: load api", "api", apiID, "err", err)
		h.reply(req, http.StatusInternalServerError, bodyInternal)
		return
	}
	if api == nil {
		h.reply(req, http.StatusNotFound, bodyNotFound)
		return
	}
	req.api = api
	if r.ContentLength > MaxPayload {
		h.reply(req, http.StatusRequestEntityTooLarge, bodyTooLarge)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxPayload)
	// Disabling the execute-api endpoint leaves custom domain names serving the API.
	if api.disabled && !custom && !strings.HasPrefix(r.URL.Path, PathPrefix) {
		h.reply(req, http.StatusForbidden, bodyForbidden)
		return
	}
	var (
		stageName, rest string
		ok              bool
	)
	if custom {
		// An API mapping names its stage; no stage segment is in the path.
		stageName, rest, ok = req.mapping.Stage, path, api.stages[req.mapping.Stage] != nil
	} else {
		stageName, rest, ok = route.SelectStage(path, api.names)
	}
	if !ok || api.stages[stageName].table == nil {
		h.reply(req, http.StatusNotFound, bodyNotFound)
		return
	}
	st := api.stages[stageName]
	req.stage, req.path = st, rest
	origin := r.Header.Get("Origin")
	if st.cors != nil && r.Method == http.MethodOptions && origin != "" && r.Header.Get("Access-Control-Request-Method") != "" {
		h.preflight(req, st.cors, origin)
		return
	}
	m, ok := st.table.Match(r.Method, rest)
	if !ok {
		h.reply(req, http.StatusNotFound, bodyNotFound)
		return
	}
	req.route, req.params = m.Entry.Value, m.Params
	if !h.allow(req) {
		h.reply(req, http.StatusTooManyRequests, bodyTooManyRequests)
		return
	}
	if !h.authorize(req) {
		return
	}
	integ := req.route.integ
	if integ == nil {
		h.reply(req, http.StatusInternalServerError, bodyInternal)
		return
	}
	switch integ.IntegrationType {
	case "HTTP_PROXY":
		h.proxy(req, integ)
	case "AWS_PROXY":
		h.lambdaProxy(req, integ)
	default:
		h.Log.WarnContext(r.Context(), "data plane: integration type not served", "api", apiID, "type", integ.IntegrationType)
		h.reply(req, http.StatusInternalServerError, bodyInternal)
	}
}

// allow spends a token of the route's bucket, or of the stage's default bucket when the route
// has no throttling settings of its own.
func (h *Handler) allow(req *request) bool {
	lim, routeKey := req.route.limit, req.route.route.RouteKey
	if lim == nil {
		lim, routeKey = req.stage.limit, ""
	}
	if lim == nil || math.IsInf(lim.Rate, 1) && lim.Burst > 0 {
		return true // no throttling: no bucket, and no key to build
	}
	ok, err := h.Limiter.Allow(req.r.Context(), req.api.id+"/"+req.stage.name+"/"+routeKey, *lim)
	return ok || err != nil // throttling is best effort: a broken limiter does not stop traffic
}

// authorize runs the route's authorizer; false means the response has been written.
func (h *Handler) authorize(req *request) bool {
	rt := req.route.route
	switch rt.AuthorizationType {
	case "", "NONE":
		return true
	case "JWT":
		a := req.route.authorizer
		if a == nil || a.JwtConfiguration == nil || h.JWT == nil {
			h.reply(req, http.StatusInternalServerError, bodyInternal)
			return false
		}
		identity := ""
		if len(a.IdentitySource) > 0 {
			identity = h.identityValue(req, a.IdentitySource[0])
		}
		issuer := a.JwtConfiguration.Issuer
		if h.Issuer != nil {
			issuer = h.Issuer(issuer)
		}
		res := h.JWT.Authorize(req.r.Context(), jwtauth.Config{Issuer: issuer, Audience: a.JwtConfiguration.Audience},
			identity, rt.AuthorizationScopes)
		if !res.Allowed {
			req.authErr = res.Description
			if res.WWWAuthenticate != "" {
				req.w.Header().Set("www-authenticate", res.WWWAuthenticate)
			}
			h.reply(req, res.Status, res.Body)
			return false
		}
		req.claims, req.scopes = res.Claims, res.Scopes
		return true
	case "CUSTOM":
		return h.authorizeLambda(req)
	case "AWS_IAM":
		return h.authorizeIAM(req)
	default:
		// Never let a request through an authorizer that did not run.
		h.Log.WarnContext(req.r.Context(), "data plane: authorization type not served", "type", rt.AuthorizationType)
		h.reply(req, http.StatusInternalServerError, bodyInternal)
		return false
	}
}

// identityValue evaluates an identity source selection expression.
func (h *Handler) identityValue(req *request, src string) string {
	v, _ := h.lookup(req, strings.TrimPrefix(src, "$"), nil)
	return v
}

// reply writes a response API Gateway itself generates, with the CORS headers of the API.
func (h *Handler) reply(req *request, status int, body string) {
	hd := req.w.Header()
	if req.stage != nil && req.stage.cors != nil {
		addCORS(hd, req.stage.cors, req.r.Header.Get("Origin"))
	}
	hd.Set("Content-Type", "application/json")
	req.status = status
	req.w.WriteHeader(status)
	_, _ = req.w.Write([]byte(body))
}

// accessLog records a request in the metrics and, when the stage has an access-log format,
// writes it rendered with the request's $context values (the server's own access line covers
// every request already).
func (h *Handler) accessLog(req *request, apiID string) {
	stage, routeKey := "", ""
	if req.stage != nil {
		stage = req.stage.name
	}
	if req.route != nil {
		routeKey = req.route.route.RouteKey
	}
	if h.Metrics != nil {
		h.Metrics.ObserveAPI(apiID, stage, routeKey, req.status, h.Now().Sub(req.start))
	}
	if req.stage == nil || req.stage.accessLog == "" {
		return
	}
	h.Log.LogAttrs(context.Background(), slog.LevelInfo, "execute-api access",
		slog.String("api", apiID), slog.String("stage", stage), slog.String("request_id", req.id),
		slog.String("access", h.render(req, req.stage.accessLog)))
}
