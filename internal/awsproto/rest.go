package awsproto

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/awsmodel"
)

// RawBody is a handler result written as is (an operation whose output is a blob payload, such
// as an OpenAPI export or a Lambda invocation's result).
type RawBody struct {
	ContentType string
	Data        []byte
	// Status overrides the operation's success status (an output member bound to the status
	// code); 0 keeps it.
	Status int
	// Header holds output members bound to response headers.
	Header http.Header
}

// RESTService describes one REST-JSON service (e.g. apigatewayv2): the model gives each
// operation's method, URI template and success status; Operations holds the handlers.
type RESTService struct {
	// Model is the service's AWS model.
	Model *awsmodel.Model
	// SigningName is the SigV4 service name, e.g. "apigateway".
	SigningName string
	// Operations maps operation names to handlers. A handler receives one JSON object holding
	// the body members and the members bound to the URI, query string and headers, each under
	// its wire name (locationName), converted to its JSON type.
	Operations map[string]Operation
	// ValidationErrorType is the error type of constraint violations, e.g.
	// "BadRequestException".
	ValidationErrorType string
	// MaxBodyBytes bounds a request body; MaxRESTBodyBytes when 0.
	MaxBodyBytes int64
	// TooLarge, when set, is the error for a body over MaxBodyBytes.
	TooLarge func(op string) error
}

// RESTHandler serves one RESTService.
type RESTHandler struct {
	svc    *RESTService
	routes []restRoute
	// Auth, when set, is required for every operation that is not Anonymous.
	Auth Authenticator
	// Log receives internal errors.
	Log *slog.Logger
}

// restRoute is one operation's binding: method and URI template segments.
type restRoute struct {
	op       *awsmodel.Operation
	method   string
	segments []string // literal, "{label}" or "{label+}"
	literals int
}

// NewRESTHandler builds the router of svc from its model's HTTP bindings.
func NewRESTHandler(log *slog.Logger, auth Authenticator, svc *RESTService) (*RESTHandler, error) {
	h := &RESTHandler{svc: svc, Auth: auth, Log: log}
	for name := range svc.Operations {
		op, ok := svc.Model.Operation(name)
		if !ok {
			return nil, fmt.Errorf("rest: operation %s is not in the model", name)
		}
		path, _, _ := strings.Cut(op.HTTP.RequestURI, "?")
		r := restRoute{op: op, method: op.HTTP.Method, segments: splitPath(path)}
		for _, s := range r.segments {
			if !strings.HasPrefix(s, "{") {
				r.literals++
			}
		}
		h.routes = append(h.routes, r)
	}
	// More literal segments first, so /v2/apis/{apiId}/cors beats /v2/apis/{apiId}/{x}.
	sort.Slice(h.routes, func(i, j int) bool {
		if h.routes[i].literals != h.routes[j].literals {
			return h.routes[i].literals > h.routes[j].literals
		}
		return h.routes[i].op.Name < h.routes[j].op.Name
	})
	return h, nil
}

func splitPath(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// match finds the operation for a request and its URI labels. pathMatched reports whether
// some operation has this path (with another method).
func (h *RESTHandler) match(method, rawPath string) (r *restRoute, labels map[string]string, pathMatched bool) {
	segs := splitPath(rawPath)
	for i := range h.routes {
		rt := &h.routes[i]
		l, ok := matchSegments(rt.segments, segs)
		if !ok {
			continue
		}
		if rt.method != method {
			pathMatched = true
			continue
		}
		return rt, l, true
	}
	return nil, nil, pathMatched
}

func matchSegments(tmpl, segs []string) (map[string]string, bool) {
	labels := map[string]string{}
	for i, t := range tmpl {
		if strings.HasPrefix(t, "{") && strings.HasSuffix(t, "+}") {
			if i >= len(segs) {
				return nil, false
			}
			v, err := url.PathUnescape(strings.Join(segs[i:], "/"))
			if err != nil {
				return nil, false
			}
			labels[t[1:len(t)-2]] = v
			return labels, true
		}
		if i >= len(segs) {
			return nil, false
		}
		if strings.HasPrefix(t, "{") {
			v, err := url.PathUnescape(segs[i])
			if err != nil || v == "" {
				return nil, false
			}
			labels[t[1:len(t)-1]] = v
			continue
		}
		if t != segs[i] {
			return nil, false
		}
	}
	return labels, len(segs) == len(tmpl)
}

// ServeHTTP implements http.Handler.
func (h *RESTHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r = EnsureRequestID(r)
	ctx := r.Context()
	rt, labels, pathMatched := h.match(r.Method, r.URL.EscapedPath())
	if rt == nil {
		if pathMatched {
			h.fail(w, r, &awserr.Error{Type: "MethodNotAllowedException", Message: "The requested method is not allowed for this resource.", Status: http.StatusMethodNotAllowed})
			return
		}
		h.fail(w, r, &awserr.Error{Type: "NotFoundException", Message: "The requested resource was not found.", Status: http.StatusNotFound})
		return
	}
	opName := rt.op.Name
	SetOperation(ctx, h.svc.SigningName, opName)
	limit := h.svc.MaxBodyBytes
	if limit == 0 {
		limit = MaxRESTBodyBytes
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) && h.svc.TooLarge != nil {
			h.fail(w, r, h.svc.TooLarge(opName))
			return
		}
		h.fail(w, r, &awserr.Error{Type: h.svc.ValidationErrorType, Message: "Request body too large or unreadable"})
		return
	}
	caller := Caller{SourceIP: clientIP(r), UserAgent: r.UserAgent()}
	if op := h.svc.Operations[opName]; !op.Anonymous && h.Auth != nil {
		c, err := h.Auth.Authenticate(r, body, h.svc.SigningName)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		c.SourceIP, c.UserAgent = caller.SourceIP, caller.UserAgent
		caller = c
	}
	ctx = WithCaller(ctx, caller)
	in, err := h.input(rt.op, r, labels, body)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out, err := h.svc.Operations[opName].Handler(ctx, in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("x-amzn-RequestId", RequestID(ctx))
	status := rt.op.HTTP.ResponseCode
	if status == 0 {
		status = http.StatusOK
	}
	if raw, ok := out.(RawBody); ok {
		for k, v := range raw.Header {
			w.Header()[k] = v
		}
		if raw.ContentType != "" {
			w.Header().Set("Content-Type", raw.ContentType)
		}
		if raw.Status != 0 {
			status = raw.Status
		}
		w.WriteHeader(status)
		_, _ = w.Write(raw.Data)
		return
	}
	if status == http.StatusNoContent {
		w.WriteHeader(status)
		return
	}
	if out == nil {
		out = struct{}{}
	}
	b, err := json.Marshal(out)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// MaxRESTBodyBytes bounds a REST-JSON request body (OpenAPI imports are the largest).
const MaxRESTBodyBytes = 6 << 20

// input validates a request against the model and returns the JSON object the handler
// decodes: the canonical body plus the bound members under their wire names.
func (h *RESTHandler) input(op *awsmodel.Operation, r *http.Request, labels map[string]string, body []byte) ([]byte, error) {
	shape := op.InputShape()
	bound := map[string]string{}
	boundJSON := map[string]any{}
	if shape != nil {
		q := r.URL.Query()
		for _, m := range shape.Members {
			var (
				str string
				ok  bool
				all []string
			)
			switch m.Location {
			case "uri":
				str, ok = labels[m.LocationName]
			case "querystring":
				all, ok = q[m.LocationName]
				if ok && len(all) > 0 {
					str = all[0]
				}
			case "header":
				if v := r.Header.Values(m.LocationName); len(v) > 0 {
					str, ok = v[0], true
				}
			default:
				continue
			}
			if !ok {
				continue
			}
			bound[m.Name] = str
			boundJSON[m.LocationName] = boundJSONValue(m.Target(), str, all)
		}
	}
	canonical, err := h.svc.Model.ValidateCanonicalHTTP(op.Name, body, bound, h.svc.ValidationErrorType)
	if err != nil {
		if e, ok := awserr.As(err); ok && e.Type == awserr.Serialization {
			return nil, &awserr.Error{Type: h.svc.ValidationErrorType, Message: firstNonEmpty(e.Message, "Invalid request body")}
		}
		return nil, err
	}
	obj := map[string]any{}
	if shape != nil && shape.Payload != "" {
		// A blob or string payload member is the whole body, passed as is.
		if pm, ok := shape.Member(shape.Payload); ok && pm.Target() != nil && pm.Target().Type != "structure" {
			if pm.Target().Type == "blob" {
				obj[pm.JSONName()] = body // base64 in JSON, []byte for the handler
			} else {
				obj[pm.JSONName()] = string(body)
			}
			maps.Copy(obj, boundJSON)
			return json.Marshal(obj)
		}
	}
	if len(boundJSON) == 0 {
		return canonical, nil
	}
	if len(strings.TrimSpace(string(canonical))) > 0 {
		if err := json.Unmarshal(canonical, &obj); err != nil {
			obj = map[string]any{}
		}
	}
	maps.Copy(obj, boundJSON)
	return json.Marshal(obj)
}

// boundJSONValue converts a URI, query or header string to the JSON type of its shape (strings
// that do not convert stay strings, and the handler's decoder reports them).
func boundJSONValue(s *awsmodel.Shape, str string, all []string) any {
	if s == nil {
		return str
	}
	switch s.Type {
	case "integer", "long":
		if n, err := strconv.ParseInt(str, 10, 64); err == nil {
			return n
		}
	case "double", "float":
		if f, err := strconv.ParseFloat(str, 64); err == nil {
			return f
		}
	case "boolean":
		if b, err := strconv.ParseBool(str); err == nil {
			return b
		}
	case "list":
		if all != nil {
			return all
		}
		return strings.Split(str, ",")
	}
	return str
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// fail writes err in the REST-JSON error envelope: the status of the error's model shape,
// x-amzn-ErrorType, and {"message": ...}.
func (h *RESTHandler) fail(w http.ResponseWriter, r *http.Request, err error) {
	e := ToAWS(r.Context(), h.Log, err)
	status := e.Status
	if status == 0 {
		if s, ok := h.svc.Model.Shape(e.Type); ok && s.Error != nil && s.Error.HTTPStatusCode != 0 {
			status = s.Error.HTTPStatusCode
		} else {
			status = StatusFor(e)
		}
	}
	hd := w.Header()
	hd.Set("Content-Type", "application/json")
	hd.Set("x-amzn-RequestId", RequestID(r.Context()))
	hd.Set("x-amzn-ErrorType", e.Type)
	b, _ := json.Marshal(h.errorBody(e))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// errorBody is the JSON body of an error: {"message": …}, with the member names of the error's
// model shape where it has them: Lambda's errors carry "Type": "User" (or "Service" for its
// 5xx errors) and some spell the message "Message".
func (h *RESTHandler) errorBody(e *awserr.Error) map[string]any {
	out := map[string]any{}
	msgKey := "message"
	if s, ok := h.svc.Model.Shape(e.Type); ok && s.Error != nil {
		if _, ok := s.Member("Message"); ok {
			msgKey = "Message"
		}
		if _, ok := s.Member("Type"); ok {
			if s.Fault || s.Error.HTTPStatusCode >= 500 {
				out["Type"] = "Service"
			} else {
				out["Type"] = "User"
			}
		}
		if r, ok := e.Fields["Reason"]; ok {
			if _, has := s.Member("Reason"); has {
				out["Reason"] = r
			}
		}
	}
	out[msgKey] = e.Message
	return out
}
