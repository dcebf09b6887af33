package lambda

import "context"

// Invocation types of the Invoke operation.
const (
	// RequestResponse runs the function and waits for its result.
	RequestResponse = "RequestResponse"
	// Event queues the invocation and returns at once (HTTP 202).
	Event = "Event"
	// DryRun only checks that the caller may invoke the function (HTTP 204).
	DryRun = "DryRun"
)

// FunctionError values reported with a failed invocation (X-Amz-Function-Error).
const (
	// Unhandled is reported when the runtime reported an error, the handler timed out or the
	// instance crashed.
	Unhandled = "Unhandled"
)

// Invoker runs a function. It is what the Lambda API's Invoke, API Gateway's AWS_PROXY
// integrations and Lambda authorizers, and Cognito's user-pool triggers share.
//
// A function that runs and fails is not an error: the returned output has FunctionError set
// and the runtime's error JSON as Payload, as Lambda's Invoke API reports it. An error is
// returned when the function could not be invoked at all: it does not exist, the caller may
// not invoke it, it is throttled, the payload is too large. Such errors are *awserr.Error
// values with Lambda's error types (ResourceNotFoundException, AccessDeniedException,
// TooManyRequestsException, RequestTooLargeException, …).
type Invoker interface {
	Invoke(ctx context.Context, in InvokeInput) (*InvokeOutput, error)
}

// InvokeInput is one invocation.
type InvokeInput struct {
	// Function is a function name, a partial ARN (123456789012:function:name) or a full ARN,
	// optionally with a version or alias suffix (name:alias).
	Function string
	// Qualifier is a version or alias; empty means the suffix of Function or $LATEST.
	Qualifier string
	// Payload is the event JSON; empty means "{}".
	Payload []byte
	// InvocationType is RequestResponse (the default), Event or DryRun.
	InvocationType string
	// LogTail asks for the last 4 KB of the invocation's log in the output.
	LogTail bool
	// ClientContext is the base64 client context (Invoke's X-Amz-Client-Context).
	ClientContext string
	// Principal is the AWS service invoking on a user's behalf ("apigateway.amazonaws.com",
	// "cognito-idp.amazonaws.com"); empty for a caller of the Lambda API. A service principal
	// is checked against the function's resource policy (AddPermission).
	Principal string
	// SourceArn and SourceAccount identify the invoking resource for the policy's conditions.
	SourceArn, SourceAccount string
}

// InvokeOutput is the result of an invocation, as Lambda's Invoke API returns it.
type InvokeOutput struct {
	// StatusCode is 200 for RequestResponse, 202 for Event and 204 for DryRun.
	StatusCode int
	// Payload is the function's response, or the runtime's error JSON when FunctionError is set.
	Payload []byte
	// FunctionError is "" on success, else Unhandled.
	FunctionError string
	// LogResult is the base64 of the last 4 KB of the invocation's log when LogTail was set.
	LogResult string
	// ExecutedVersion is the version that ran ("$LATEST", "1", …).
	ExecutedVersion string
}
