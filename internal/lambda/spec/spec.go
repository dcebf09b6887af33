package spec

import (
	"errors"
	"time"
)

// ErrThrottled is returned by a runner when a spec's concurrency is reserved
// (Spec.Reserved) and all of its MaxInstances instances are busy, or the reservation is 0.
var ErrThrottled = errors.New("runtime: rate exceeded: the function's reserved concurrency is in use")

// Spec describes one function version as the host runs it. Two specs with the same Key share
// warm instances; a new Key (new code or configuration) starts new instances and retires the
// old ones once their in-flight invocations finish.
type Spec struct {
	// Key identifies code and configuration, e.g. "<arn>:<version>:<revision id>".
	Key string
	// FunctionName, FunctionARN (unqualified) and Version ("$LATEST", "1", …) are what the
	// runtime sees in its environment and in Lambda-Runtime-Invoked-Function-Arn.
	FunctionName, FunctionARN, Version string
	// Runtime is Lambda's runtime identifier: "provided.al2023", "provided.al2",
	// "nodejs18.x"…"nodejs24.x", "python3.9"…"python3.14".
	Runtime string
	// Handler is the function's Handler setting ("index.handler", "app.lambda_handler",
	// "bootstrap").
	Handler string
	// CodeDir is the directory holding the unpacked deployment package (read-only to the host).
	CodeDir string
	// Environment holds the function's own variables (Environment.Variables).
	Environment map[string]string
	// Timeout is the function's Timeout (0: 3 s); MemoryMB its MemorySize (0: 128). The
	// timeout is taken from the spec of each invocation; the other fields from the spec that
	// started the instance.
	Timeout  time.Duration
	MemoryMB int
	// Region and AccountID are used in the environment and ARNs.
	Region, AccountID string
	// MaxInstances bounds concurrent instances of this spec (0: DefaultMaxInstances). Reserved
	// is true when the bound is the function's reserved concurrency: a request beyond it is
	// refused with ErrThrottled instead of waiting for a free instance, and a reservation of
	// 0 throttles every request.
	MaxInstances int
	Reserved     bool
}

// Request is one invocation handed to an instance.
type Request struct {
	// RequestID is the invocation's id (a UUID), sent as Lambda-Runtime-Aws-Request-Id;
	// empty generates one.
	RequestID string
	// Payload is the event JSON; empty sends {}.
	Payload []byte
	// ClientContext and CognitoIdentity are passed in the Lambda-Runtime-Client-Context and
	// Lambda-Runtime-Cognito-Identity headers when set. ClientContext is the JSON document
	// (Invoke's X-Amz-Client-Context decoded); a base64 value is decoded by the host.
	ClientContext, CognitoIdentity string
	// TraceID is sent as Lambda-Runtime-Trace-Id; empty generates one.
	TraceID string
	// InvokedFunctionARN is sent as Lambda-Runtime-Invoked-Function-Arn: the ARN the caller
	// used, with its version or alias qualifier. Empty means Spec.FunctionARN, qualified with
	// Spec.Version unless that is $LATEST.
	InvokedFunctionARN string
}

// Result is what the invocation produced.
type Result struct {
	// Payload is the response the runtime posted, or the error JSON
	// ({"errorMessage","errorType","stackTrace"}) when Error is true.
	Payload []byte
	// Error is true when the runtime posted an error, the invocation timed out, or the
	// instance crashed or failed to initialise.
	Error bool
	// Log is the invocation's log, START … END … REPORT lines included, at most the last 4 KB.
	Log []byte
	// Duration is how long the invocation ran; InitDuration is set when it cold-started an
	// instance.
	Duration, InitDuration time.Duration
}
