// Package apigatewayv2 is the transport of the API Gateway v2 control plane (REST-JSON under
// /v2/): one thin handler per operation, decoding the request awsproto's REST dispatcher
// assembled and calling internal/gateway.
package apigatewayv2
