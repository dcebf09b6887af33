package awsproto

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
)

type ctxKey int

const (
	requestIDKey ctxKey = iota
	callerKey
	opKey
)

// Caller describes who made a request, as far as the transport knows.
type Caller struct {
	// AccessKeyID is the SigV4 access key when the request was signed and verified.
	AccessKeyID string
	// Principal is the principal behind AccessKeyID, if known.
	Principal string
	// SourceIP is the client's address.
	SourceIP string
	// UserAgent is the client's User-Agent header.
	UserAgent string
}

// NewRequestID returns a random RFC 4122 version 4 UUID, the form AWS uses for request ids.
func NewRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// WithRequestID returns ctx carrying id.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey, id)
}

// RequestID returns the request id carried by ctx, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// WithCaller returns ctx carrying c.
func WithCaller(ctx context.Context, c Caller) context.Context {
	return context.WithValue(ctx, callerKey, c)
}

// CallerFrom returns the Caller carried by ctx.
func CallerFrom(ctx context.Context) Caller {
	c, _ := ctx.Value(callerKey).(Caller)
	return c
}

// OpLabel is a mutable slot in the request context where the dispatcher records the operation
// name, so that the access log and metrics middleware (which run outside) can report it.
type OpLabel struct{ Service, Operation string }

// WithOpLabel returns ctx carrying l.
func WithOpLabel(ctx context.Context, l *OpLabel) context.Context {
	return context.WithValue(ctx, opKey, l)
}

// SetOperation records the service and operation for the request carried by r, if the
// middleware installed an OpLabel.
func SetOperation(ctx context.Context, service, op string) {
	if l, ok := ctx.Value(opKey).(*OpLabel); ok {
		l.Service, l.Operation = service, op
	}
}

// EnsureRequestID makes sure r carries a request id, returning the possibly updated request.
func EnsureRequestID(r *http.Request) *http.Request {
	if RequestID(r.Context()) != "" {
		return r
	}
	return r.WithContext(WithRequestID(r.Context(), NewRequestID()))
}
