// Package awsjson holds the small JSON value types AWS wire formats need, such as timestamps
// encoded as epoch seconds, so that domain types can carry AWS member encodings directly.
package awsjson
