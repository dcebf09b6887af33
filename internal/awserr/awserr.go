package awserr

import (
	"errors"
	"fmt"
)

// Error is a client-visible AWS error.
type Error struct {
	// Type is the AWS error shape name, e.g. "ResourceNotFoundException".
	Type string
	// Message is the human-readable message exactly as AWS words it.
	Message string
	// Status overrides the HTTP status code; 0 means the protocol's default for the type.
	Status int
	// Fields holds further members of the error shape (e.g. Lambda's throttling Reason); the
	// transport writes those its model declares.
	Fields map[string]string
}

// Error implements error.
func (e *Error) Error() string { return e.Type + ": " + e.Message }

// New returns an *Error of the given type and message.
func New(typ, msg string) *Error { return &Error{Type: typ, Message: msg} }

// Newf returns an *Error of the given type with a formatted message.
func Newf(typ, format string, args ...any) *Error {
	return &Error{Type: typ, Message: fmt.Sprintf(format, args...)}
}

// As reports whether err is (or wraps) an *Error and returns it.
func As(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// Is reports whether err is an *Error of type typ.
func Is(err error, typ string) bool {
	e, ok := As(err)
	return ok && e.Type == typ
}

// Common AWS error type names shared by several services.
const (
	InternalError          = "InternalErrorException"
	InvalidParameter       = "InvalidParameterException"
	ResourceNotFound       = "ResourceNotFoundException"
	NotAuthorized          = "NotAuthorizedException"
	TooManyRequests        = "TooManyRequestsException"
	LimitExceeded          = "LimitExceededException"
	UnknownOperation       = "UnknownOperationException"
	Serialization          = "SerializationException"
	UnrecognizedClient     = "UnrecognizedClientException"
	InvalidSignature       = "InvalidSignatureException"
	MissingAuthToken       = "MissingAuthenticationTokenException"
	IncompleteSignature    = "IncompleteSignatureException"
	AccessDenied           = "AccessDeniedException"
	ValidationException    = "ValidationException"
	ConcurrentModification = "ConcurrentModificationException"
)

// Wrap adds the operation to an internal error for the log; AWS errors, which clients see,
// pass through unchanged. Wrap(op, nil) is nil.
func Wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	if _, ok := As(err); ok {
		return err
	}
	return fmt.Errorf("%s: %w", op, err)
}
