// Package gateway is the API Gateway v2 (HTTP API) domain: APIs, routes, integrations,
// authorizers, stages and deployments, their validation as AWS applies it, quick create,
// auto-deploy, and the deployment snapshots the data plane serves. It has no HTTP or SQL in it:
// the apigatewayv2 transport (internal/api/apigatewayv2) calls it, and it keeps its state in
// internal/storage.
package gateway
