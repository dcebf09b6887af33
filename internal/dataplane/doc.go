// Package dataplane serves the HTTP APIs the control plane (internal/gateway) defines: it finds
// the API from the host name (<apiId>.execute-api.<domain>) or the /_aws/execute-api/<apiId>/
// path, selects the stage and route as API Gateway does, answers CORS preflights, throttles,
// runs JWT authorizers (internal/gateway/jwtauth) and forwards to HTTP_PROXY integrations with
// parameter mapping. What it serves is compiled from deployments and swapped whole when they
// change, so no request sees half a deployment.
package dataplane
