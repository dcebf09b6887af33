// Package awserr defines the error value the domain returns for every failure a client may see:
// an AWS error type name (the `__type`, e.g. "UserNotFoundException") and AWS's message. The
// transport layer maps it to the wire; anything that is not an *Error is an internal error.
package awserr
