package runtime

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
)

// The Runtime API, as Lambda serves it to a runtime
// (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html). Its error answers follow
// the Runtime Interface Emulator: 400 InvalidRequestID for a request id that is not the
// invocation in progress, 403 InvalidStateTransition for a response when none is expected,
// 413 RequestEntityTooLarge for a response over MaxResponseSize.
const apiPrefix = "/2018-06-01/runtime"

const (
	hdrRequestID       = "Lambda-Runtime-Aws-Request-Id"
	hdrDeadline        = "Lambda-Runtime-Deadline-Ms"
	hdrFunctionARN     = "Lambda-Runtime-Invoked-Function-Arn"
	hdrTraceID         = "Lambda-Runtime-Trace-Id"
	hdrClientContext   = "Lambda-Runtime-Client-Context"
	hdrCognitoIdentity = "Lambda-Runtime-Cognito-Identity"
	hdrErrorType       = "Lambda-Runtime-Function-Error-Type"
	hdrErrorBody       = "Lambda-Runtime-Function-Error-Body"
)

func (in *instance) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+apiPrefix+"/invocation/next", in.handleNext)
	mux.HandleFunc("POST "+apiPrefix+"/invocation/{id}/response", in.handleResponse)
	mux.HandleFunc("POST "+apiPrefix+"/invocation/{id}/error", in.handleError)
	mux.HandleFunc("POST "+apiPrefix+"/init/error", in.handleInitError)
	return mux
}

// handleNext long-polls for the next invocation. The first call ends the Init phase; a
// call after an answer ends the invocation.
func (in *instance) handleNext(w http.ResponseWriter, r *http.Request) {
	in.readyOnce.Do(func() { close(in.ready) })
	in.mu.Lock()
	if cur := in.cur; cur != nil && cur.claimed && !cur.ended {
		cur.ended = true
		close(cur.finished)
	}
	in.mu.Unlock()
	select {
	case inv := <-in.next:
		in.mu.Lock()
		in.cur = inv
		in.mu.Unlock()
		h := w.Header()
		h.Set(hdrRequestID, inv.req.RequestID)
		h.Set(hdrDeadline, strconv.FormatInt(inv.deadline.UnixMilli(), 10))
		h.Set(hdrFunctionARN, inv.req.InvokedFunctionARN)
		h.Set(hdrTraceID, inv.req.TraceID)
		if cc := clientContextJSON(inv.req.ClientContext); cc != "" {
			h.Set(hdrClientContext, cc)
		}
		if inv.req.CognitoIdentity != "" {
			h.Set(hdrCognitoIdentity, inv.req.CognitoIdentity)
		}
		h.Set("Content-Type", "application/json")
		h.Set("Content-Length", strconv.Itoa(len(inv.req.Payload)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(inv.req.Payload)
	case <-r.Context().Done():
	case <-in.stopping:
		writeAPIError(w, http.StatusInternalServerError, "InternalServerError", "Internal Server Error")
	}
}

// clientContextJSON returns the client context as the JSON document the runtime expects,
// decoding Invoke's base64 form when given that.
func clientContextJSON(cc string) string {
	if cc == "" || json.Valid([]byte(cc)) {
		return cc
	}
	if b, err := base64.StdEncoding.DecodeString(cc); err == nil && json.Valid(b) {
		return string(b)
	}
	return cc
}

// claim marks the invocation id as answered, or writes the Runtime API's refusal.
func (in *instance) claim(w http.ResponseWriter, id, transition string) *invocation {
	in.mu.Lock()
	inv := in.cur
	var state string
	switch {
	case inv == nil && !in.initDone:
		state = "Started"
	case inv == nil || inv.ended:
		state = "Ready"
	case inv.claimed:
		state = "RuntimeResponseSentState"
	case inv.req.RequestID != id:
		in.mu.Unlock()
		writeAPIError(w, http.StatusBadRequest, "InvalidRequestID", "Invalid request ID")
		return nil
	default:
		inv.claimed = true
		in.mu.Unlock()
		return inv
	}
	in.mu.Unlock()
	writeAPIError(w, http.StatusForbidden, "InvalidStateTransition", fmt.Sprintf(
		"State transition from %s to %s failed for runtime. Error: State transition is not allowed", state, transition))
	return nil
}

// unclaim lets the runtime post again after a request that could not be read.
func (in *instance) unclaim(inv *invocation) {
	in.mu.Lock()
	inv.claimed = false
	in.mu.Unlock()
}

// readBody reads at most MaxResponseSize bytes of a body and counts the rest.
func readBody(r *http.Request) (body []byte, size int64, err error) {
	body, err = io.ReadAll(io.LimitReader(r.Body, MaxResponseSize+1))
	size = int64(len(body))
	if err == nil && size > MaxResponseSize {
		var rest int64
		rest, err = io.Copy(io.Discard, r.Body)
		size += rest
	}
	return body, size, err
}

// readAnswer reads the body of a response or error. When it cannot be used, it answers
// the runtime itself: 400 for a truncated request (the runtime may post again), 413 for one
// over MaxResponseSize (the invocation fails with Function.ResponseSizeTooLarge).
func (in *instance) readAnswer(w http.ResponseWriter, r *http.Request, inv *invocation) ([]byte, bool) {
	body, size, err := readBody(r)
	if err != nil {
		in.unclaim(inv)
		writeAPIError(w, http.StatusBadRequest, "TruncatedHTTPRequest", "HTTP request detected as truncated")
		return nil, false
	}
	if size > MaxResponseSize {
		inv.done <- outcome{responseTooLarge(size), true}
		writeAPIError(w, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge",
			fmt.Sprintf("Exceeded maximum allowed payload size (%d bytes).", MaxResponseSize))
		return nil, false
	}
	return body, true
}

func (in *instance) handleResponse(w http.ResponseWriter, r *http.Request) {
	inv := in.claim(w, r.PathValue("id"), "InvocationResponse")
	if inv == nil {
		return
	}
	body, ok := in.readAnswer(w, r, inv)
	if !ok {
		return
	}
	// A runtime streaming its response reports a failure after the body, in trailers.
	if t := r.Trailer.Get(hdrErrorType); t != "" {
		payload, err := base64.StdEncoding.DecodeString(r.Trailer.Get(hdrErrorBody))
		if err != nil || len(payload) == 0 {
			payload = unknownError(t)
		}
		inv.done <- outcome{payload, true}
	} else {
		inv.done <- outcome{body, false}
	}
	writeAccepted(w)
}

func (in *instance) handleError(w http.ResponseWriter, r *http.Request) {
	inv := in.claim(w, r.PathValue("id"), "InvocationErrorResponse")
	if inv == nil {
		return
	}
	body, ok := in.readAnswer(w, r, inv)
	if !ok {
		return
	}
	if len(body) == 0 {
		body = unknownError(r.Header.Get(hdrErrorType))
	}
	inv.done <- outcome{body, true}
	writeAccepted(w)
}

func (in *instance) handleInitError(w http.ResponseWriter, r *http.Request) {
	in.mu.Lock()
	initDone, busy := in.initDone, in.cur != nil
	in.mu.Unlock()
	if initDone {
		state := "Ready"
		if busy {
			state = "Running"
		}
		writeAPIError(w, http.StatusForbidden, "InvalidStateTransition", fmt.Sprintf(
			"State transition from %s to InitError failed for runtime. Error: State transition is not allowed", state))
		return
	}
	body, _, err := readBody(r)
	if err != nil {
		writeAPIError(w, http.StatusBadRequest, "TruncatedHTTPRequest", "HTTP request detected as truncated")
		return
	}
	if len(body) == 0 || len(body) > MaxResponseSize {
		body = unknownError(r.Header.Get(hdrErrorType))
	}
	select {
	case in.initErr <- body:
	default: // the first report counts
	}
	writeAccepted(w)
}

func writeAccepted(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	_, _ = io.WriteString(w, `{"status":"OK"}`+"\n")
}

func writeAPIError(w http.ResponseWriter, status int, errType, msg string) {
	b, err := json.Marshal(struct {
		ErrorMessage string `json:"errorMessage"`
		ErrorType    string `json:"errorType"`
	}{msg, errType})
	if err != nil {
		panic(errors.New("marshal two strings"))
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}
