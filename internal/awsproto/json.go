package awsproto

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
)

// ContentTypeJSON11 is the content type of awsJson1_1 requests and responses.
const ContentTypeJSON11 = "application/x-amz-json-1.1"

// MaxBodyBytes bounds the size of a request body the JSON dispatcher reads.
const MaxBodyBytes = 1 << 20

// HandlerFunc handles one operation: it receives the raw JSON body and returns the value to
// encode as the response (nil encodes as {}).
type HandlerFunc func(ctx context.Context, body []byte) (any, error)

// Operation is one operation served by a JSONService.
type Operation struct {
	// Handler handles the operation.
	Handler HandlerFunc
	// Anonymous operations are served without SigV4 even when signatures are enforced
	// (AWS's "authtype": "none" operations such as SignUp and InitiateAuth).
	Anonymous bool
}

// Validator checks a request body against the service model before it is decoded.
type Validator interface {
	// ValidateJSON returns an *awserr.Error describing what is wrong with body, or the body to
	// decode: body reduced to the members the model defines, spelled exactly (AWS matches
	// member names case-sensitively, encoding/json does not).
	ValidateJSON(op string, body []byte) ([]byte, error)
}

// Authenticator verifies a signed request for a service (signing name, e.g. "cognito-idp").
// It returns the verified caller or an *awserr.Error.
type Authenticator interface {
	Authenticate(r *http.Request, body []byte, signingName string) (Caller, error)
}

// JSONService describes one awsJson1_1 service: its X-Amz-Target prefix and its operations.
type JSONService struct {
	// TargetPrefix is the part of X-Amz-Target before the dot, e.g.
	// "AWSCognitoIdentityProviderService".
	TargetPrefix string
	// SigningName is the SigV4 service name, e.g. "cognito-idp".
	SigningName string
	// Operations maps operation names to handlers.
	Operations map[string]Operation
	// Validator, when set, validates bodies before the handler runs.
	Validator Validator
}

// JSONHandler dispatches awsJson1_1 requests (POST / with X-Amz-Target) to services.
type JSONHandler struct {
	services map[string]*JSONService
	// Auth, when set, is required for every operation that is not Anonymous.
	Auth Authenticator
	// Log receives internal errors.
	Log *slog.Logger
}

// NewJSONHandler returns a dispatcher for the given services.
func NewJSONHandler(log *slog.Logger, auth Authenticator, services ...*JSONService) *JSONHandler {
	h := &JSONHandler{services: map[string]*JSONService{}, Auth: auth, Log: log}
	for _, s := range services {
		h.services[s.TargetPrefix] = s
	}
	return h
}

// Handle adapts a typed operation function to a HandlerFunc: it decodes the body into In and
// returns Out. Bodies that do not decode yield SerializationException.
func Handle[In, Out any](fn func(ctx context.Context, in *In) (*Out, error)) HandlerFunc {
	return func(ctx context.Context, body []byte) (any, error) {
		in := new(In)
		if err := DecodeJSON(body, in); err != nil {
			return nil, err
		}
		out, err := fn(ctx, in)
		if err != nil {
			return nil, err
		}
		if out == nil {
			return struct{}{}, nil
		}
		return out, nil
	}
}

// DecodeJSON decodes an awsJson request body into v; an empty body decodes as {}.
func DecodeJSON(body []byte, v any) error {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, v); err != nil {
		var ute *json.UnmarshalTypeError
		if errors.As(err, &ute) {
			return awserr.New(awserr.Serialization, "Unexpected value type for field "+ute.Field)
		}
		return awserr.New(awserr.Serialization, "Invalid JSON body")
	}
	return nil
}

// ServeHTTP implements http.Handler.
func (h *JSONHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r = EnsureRequestID(r)
	ctx := r.Context()
	target := r.Header.Get("X-Amz-Target")
	prefix, opName, _ := strings.Cut(target, ".")
	svc := h.services[prefix]
	var op Operation
	var ok bool
	if svc != nil {
		op, ok = svc.Operations[opName]
	}
	if !ok {
		if svc != nil {
			SetOperation(ctx, svc.SigningName, opName)
		}
		h.fail(w, r, awserr.New(awserr.UnknownOperation, ""))
		return
	}
	SetOperation(ctx, svc.SigningName, opName)
	if r.Method != http.MethodPost {
		h.fail(w, r, awserr.New(awserr.UnknownOperation, ""))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		h.fail(w, r, awserr.New(awserr.Serialization, "Request body too large or unreadable"))
		return
	}
	caller := Caller{SourceIP: clientIP(r), UserAgent: r.UserAgent()}
	if !op.Anonymous && h.Auth != nil {
		c, err := h.Auth.Authenticate(r, body, svc.SigningName)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		c.SourceIP, c.UserAgent = caller.SourceIP, caller.UserAgent
		caller = c
	}
	ctx = WithCaller(ctx, caller)
	if svc.Validator != nil {
		canonical, err := svc.Validator.ValidateJSON(opName, body)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		body = canonical
	}
	out, err := op.Handler(ctx, body)
	if err != nil {
		h.fail(w, r, err)
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
	w.Header().Set("Content-Type", ContentTypeJSON11)
	w.Header().Set("x-amzn-RequestId", RequestID(ctx))
	_, _ = w.Write(b)
}

func (h *JSONHandler) fail(w http.ResponseWriter, r *http.Request, err error) {
	WriteJSONError(w, r, ToAWS(r.Context(), h.Log, err), ContentTypeJSON11)
}

// clientIP returns the remote address without port.
func clientIP(r *http.Request) string {
	host := r.RemoteAddr
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.HasSuffix(host, "]") {
		host = host[:i]
	}
	return strings.Trim(host, "[]")
}

// HandleAny adapts a handler whose result is any value the transport writes (a *RawBody or
// RawBody included) to a HandlerFunc.
func HandleAny[In any](fn func(ctx context.Context, in *In) (any, error)) HandlerFunc {
	return func(ctx context.Context, body []byte) (any, error) {
		in := new(In)
		if err := DecodeJSON(body, in); err != nil {
			return nil, err
		}
		return fn(ctx, in)
	}
}
