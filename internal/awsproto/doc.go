// Package awsproto is the transport layer for AWS wire protocols: the awsJson1_1 dispatcher
// (POST / with X-Amz-Target), the AWS error envelope (`__type`, `x-amzn-ErrorType`), request ids,
// per-operation authentication and model-driven validation hooks, and CORS for browser SDKs.
package awsproto
