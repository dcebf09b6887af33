// Command lambdafn is the handler `loadgen lambda` measures: a small aws-lambda-go function of
// an HTTP API payload format 2.0 event that answers with a few fields of it as JSON.
//
// Built as a provided.al2023 bootstrap it runs under the Lambda Runtime API (lambda.Start).
// With $LOADGEN_LISTEN set (e.g. 127.0.0.1:0) the same binary instead serves plain HTTP on that
// address, turning each request into the equivalent events.APIGatewayV2HTTPRequest and calling
// the same handle function; it prints its base URL on the first line of stdout.
package main

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

// handle is the handler logic both modes run.
func handle(_ context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	b, err := json.Marshal(map[string]any{"ok": true, "method": req.RequestContext.HTTP.Method, "path": req.RawPath,
		"query": req.RawQueryString, "userAgent": req.Headers["user-agent"]})
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return events.APIGatewayV2HTTPResponse{StatusCode: http.StatusOK, Body: string(b),
		Headers: map[string]string{"Content-Type": "application/json"}}, nil
}

// event converts an HTTP request into the payload format 2.0 event API Gateway would send.
func event(r *http.Request) (events.APIGatewayV2HTTPRequest, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return events.APIGatewayV2HTTPRequest{}, err
	}
	headers := make(map[string]string, len(r.Header))
	for k, v := range r.Header {
		headers[strings.ToLower(k)] = strings.Join(v, ",")
	}
	var cookies []string
	for _, c := range r.Cookies() {
		cookies = append(cookies, c.String())
	}
	now := time.Now()
	return events.APIGatewayV2HTTPRequest{Version: "2.0", RouteKey: "$default", RawPath: r.URL.Path,
		RawQueryString: r.URL.RawQuery, Headers: headers, Cookies: cookies, Body: string(body),
		RequestContext: events.APIGatewayV2HTTPRequestContext{Stage: "$default", TimeEpoch: now.UnixMilli(),
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: r.Method, Path: r.URL.Path,
				Protocol: r.Proto, SourceIP: r.RemoteAddr, UserAgent: r.UserAgent()}}}, nil
}

// serveHTTP calls handle for an HTTP request and writes its response.
func serveHTTP(w http.ResponseWriter, r *http.Request) {
	ev, err := event(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	res, err := handle(r.Context(), ev)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	for k, v := range res.Headers {
		w.Header().Set(k, v)
	}
	for _, c := range res.Cookies {
		w.Header().Add("Set-Cookie", c)
	}
	w.WriteHeader(res.StatusCode)
	_, _ = io.WriteString(w, res.Body)
}

func main() {
	addr := os.Getenv("LOADGEN_LISTEN")
	if addr == "" {
		lambda.Start(handle)
		return
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		log.Fatal(err)
	}
	_, _ = os.Stdout.WriteString("http://" + l.Addr().String() + "\n")
	srv := &http.Server{Handler: http.HandlerFunc(serveHTTP), ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(srv.Serve(l))
}
