// Package sigv4 verifies AWS Signature Version 4 signed requests (Authorization header and presigned query forms) on the server side.
package sigv4
