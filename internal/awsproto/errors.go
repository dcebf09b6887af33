package awsproto

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
)

// internalMessage is what clients see for any failure that is not an *awserr.Error.
const internalMessage = "Internal server error"

// StatusFor returns the HTTP status AWS uses for e.
func StatusFor(e *awserr.Error) int {
	if e.Status != 0 {
		return e.Status
	}
	switch e.Type {
	case awserr.InternalError, "InternalFailure", "InternalServerError", "ServiceException":
		return http.StatusInternalServerError
	case "ServiceUnavailable", "ServiceUnavailableException":
		return http.StatusServiceUnavailable
	}
	return http.StatusBadRequest
}

// ToAWS converts any error to the *awserr.Error a client may see. Errors that are not already
// *awserr.Error become InternalErrorException and are logged with the request id.
func ToAWS(ctx context.Context, log *slog.Logger, err error) *awserr.Error {
	if e, ok := awserr.As(err); ok {
		return e
	}
	if ctx.Err() != nil {
		return &awserr.Error{Type: awserr.InternalError, Message: internalMessage}
	}
	if log != nil {
		log.ErrorContext(ctx, "internal error", "request_id", RequestID(ctx), "err", err)
	}
	return &awserr.Error{Type: awserr.InternalError, Message: internalMessage}
}

// WriteJSONError writes e in the awsJson1_1 error envelope:
// {"__type":"<Type>","message":"<Message>"} with x-amzn-ErrorType and x-amzn-RequestId.
func WriteJSONError(w http.ResponseWriter, r *http.Request, e *awserr.Error, contentType string) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("x-amzn-RequestId", RequestID(r.Context()))
	h.Set("x-amzn-ErrorType", e.Type+":")
	if e.Message != "" {
		h.Set("x-amzn-ErrorMessage", headerSafe(e.Message))
	}
	body := struct {
		Type    string `json:"__type"`
		Message string `json:"message,omitempty"`
	}{e.Type, e.Message}
	b, _ := json.Marshal(body)
	w.WriteHeader(StatusFor(e))
	_, _ = w.Write(b)
}

// headerSafe drops characters that may not appear in an HTTP header value.
func headerSafe(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\r' || c == '\n' || c == 0 {
			continue
		}
		out = append(out, c)
	}
	return string(out)
}
