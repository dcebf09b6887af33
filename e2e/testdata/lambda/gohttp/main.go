// Command gohttp is an HTTP API handler built with aws-lambda-go for the end-to-end tests: it
// takes a payload format 2.0 event (events.APIGatewayV2HTTPRequest) and answers with what it
// saw, a header and a cookie.
package main

import (
	"context"
	"encoding/json"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func handle(_ context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	seen := map[string]any{
		"version": req.Version, "routeKey": req.RouteKey, "rawPath": req.RawPath, "rawQueryString": req.RawQueryString,
		"id": req.PathParameters["id"], "query": req.QueryStringParameters, "cookies": req.Cookies,
		"contentType": req.Headers["content-type"], "body": req.Body, "isBase64Encoded": req.IsBase64Encoded,
		"method": req.RequestContext.HTTP.Method, "stage": req.RequestContext.Stage, "apiId": req.RequestContext.APIID,
		"requestId": req.RequestContext.RequestID, "sourceIp": req.RequestContext.HTTP.SourceIP,
	}
	b, err := json.Marshal(seen)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return events.APIGatewayV2HTTPResponse{StatusCode: 201, Body: string(b),
		Headers: map[string]string{"Content-Type": "application/json", "X-Handler": "go"},
		Cookies: []string{"session=abc; Path=/; HttpOnly", "theme=dark"}}, nil
}

func main() { lambda.Start(handle) }
