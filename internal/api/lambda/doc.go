// Package lambda serves the Lambda API (REST-JSON at /2015-03-31/… and its sibling dated
// prefixes) over internal/lambda: one thin handler per operation.
package lambda
