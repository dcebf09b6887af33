package runtime

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/gatehouse-dev/gatehouse/internal/lambda/spec"
	"time"
)

// MaxResponseSize is the largest response (or error) body a runtime may post for one
// invocation: 6 MiB + 100 bytes, Lambda's synchronous payload limit. A larger response is
// refused with 413 and the invocation fails with Function.ResponseSizeTooLarge.
const MaxResponseSize = 6*1024*1024 + 100

// ErrThrottled is returned by Invoke when the spec's concurrency is reserved
// (Spec.Reserved) and all of its MaxInstances instances are busy, or the reservation is 0.
var ErrThrottled = spec.ErrThrottled

// ErrClosed is returned by Invoke after Close.
var ErrClosed = errors.New("runtime: host closed")

// ErrUnsupportedRuntime is returned (wrapped) by Invoke for a Spec.Runtime the host cannot
// run (java*, dotnet*, ruby*, go1.x, …).
var ErrUnsupportedRuntime = errors.New("runtime: unsupported runtime")

// Error types Lambda reports for failures of the execution environment.
const (
	errTypeTimedOut          = "Sandbox.Timedout"
	errTypeExit              = "Runtime.ExitError"
	errTypeInvalidEntrypoint = "Runtime.InvalidEntrypoint"
	errTypeResponseTooLarge  = "Function.ResponseSizeTooLarge"
	errTypeUnknown           = "Runtime.Unknown"
)

// platformError is the shape of the errors Lambda itself produces for an invocation.
type platformError struct {
	ErrorType    string `json:"errorType"`
	ErrorMessage string `json:"errorMessage"`
}

func errorPayload(errType, msg string) []byte {
	b, err := json.Marshal(platformError{ErrorType: errType, ErrorMessage: msg})
	if err != nil { // cannot happen: two strings
		panic(err)
	}
	return b
}

// requestError is a platform error about one request, in Lambda's words:
// "RequestId: <id> Error: <what>".
func requestError(errType, requestID, what string) []byte {
	return errorPayload(errType, fmt.Sprintf("RequestId: %s Error: %s", requestID, what))
}

func timeoutError(requestID string, d time.Duration) []byte {
	return requestError(errTypeTimedOut, requestID, "Task timed out after "+formatSeconds(d)+" seconds")
}

func formatSeconds(d time.Duration) string { return fmt.Sprintf("%.2f", d.Seconds()) }

func responseTooLarge(size int64) []byte {
	return errorPayload(errTypeResponseTooLarge, fmt.Sprintf(
		"Response payload size (%d bytes) exceeded maximum allowed payload size (%d bytes).", size, MaxResponseSize))
}

// unknownError is the payload Lambda answers with when a runtime reports an error without a
// body: the error type from Lambda-Runtime-Function-Error-Type, if any.
func unknownError(errType string) []byte {
	v := struct {
		ErrorMessage string `json:"errorMessage"`
		ErrorType    string `json:"errorType,omitempty"`
	}{"Unknown application error occurred", errType}
	b, _ := json.Marshal(v)
	return b
}

// errorTypeOf returns the errorType member of an error payload, or "".
func errorTypeOf(payload []byte) string {
	var v struct {
		ErrorType string `json:"errorType"`
	}
	if json.Unmarshal(payload, &v) != nil {
		return ""
	}
	return v.ErrorType
}
