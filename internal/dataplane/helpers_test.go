package dataplane

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/gateway"
	"github.com/gatehouse-dev/gatehouse/internal/lambda"
	"github.com/gatehouse-dev/gatehouse/internal/storage/memory"
)

// fakeLambda is an in-process lambda.Invoker: it records every invocation and answers with
// reply.
type fakeLambda struct {
	mu    sync.Mutex
	calls []lambda.InvokeInput
	ctxs  []context.Context
	reply func(ctx context.Context, in lambda.InvokeInput) (*lambda.InvokeOutput, error)
}

func (f *fakeLambda) Invoke(ctx context.Context, in lambda.InvokeInput) (*lambda.InvokeOutput, error) {
	f.mu.Lock()
	f.calls = append(f.calls, in)
	f.ctxs = append(f.ctxs, ctx)
	reply := f.reply
	f.mu.Unlock()
	if reply == nil {
		return ok(`{"statusCode":200}`), nil
	}
	return reply(ctx, in)
}

// count returns how many invocations named a function containing fn.
func (f *fakeLambda) count(fn string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if strings.Contains(c.Function, fn) {
			n++
		}
	}
	return n
}

// last returns the last invocation of a function containing fn and its event.
func (f *fakeLambda) last(t *testing.T, fn string) (lambda.InvokeInput, map[string]any) {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := len(f.calls) - 1; i >= 0; i-- {
		if strings.Contains(f.calls[i].Function, fn) {
			return f.calls[i], jsonMap(t, f.calls[i].Payload)
		}
	}
	t.Fatalf("%s was not invoked", fn)
	return lambda.InvokeInput{}, nil
}

func ok(payload string) *lambda.InvokeOutput {
	return &lambda.InvokeOutput{StatusCode: 200, Payload: []byte(payload), ExecutedVersion: "$LATEST"}
}

func jsonMap(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("not a JSON object: %v: %s", err, b)
	}
	return m
}

// path walks a decoded JSON value by member names.
func path(v any, names ...string) any {
	for _, n := range names {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[n]
	}
	return v
}

// clock is an injectable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

const (
	testAccount = "123456789012"
	testRegion  = "us-east-1"
	fnArn       = "arn:aws:lambda:us-east-1:123456789012:function:"
)

// env is a data plane over a control plane in memory, with one HTTP API whose stages
// auto-deploy, and a fake Lambda.
type env struct {
	t     *testing.T
	ctx   context.Context
	gw    *gateway.Service
	h     *Handler
	fake  *fakeLambda
	clock *clock
	api   string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	c := &clock{t: time.Date(2026, 3, 12, 19, 3, 58, 0, time.UTC)}
	gw := &gateway.Service{Store: memory.New(), Region: testRegion, AccountID: testAccount, Now: c.now}
	e := &env{t: t, ctx: context.Background(), gw: gw, fake: &fakeLambda{}, clock: c}
	e.h = New(gw, Handler{Lambda: e.fake, Now: c.now, Region: testRegion, AccountID: testAccount,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	api, err := gw.CreateApi(e.ctx, &gateway.CreateApiInput{Name: "test", ProtocolType: "HTTP"})
	e.must(err)
	e.api = api.ApiId
	e.stage("$default", nil)
	return e
}

func (e *env) must(err error) {
	e.t.Helper()
	if err != nil {
		e.t.Fatal(err)
	}
}

func str(s string) *string { return &s }

// stage adds an auto-deploying stage.
func (e *env) stage(name string, vars map[string]string) {
	e.t.Helper()
	_, err := e.gw.CreateStage(e.ctx, &gateway.StageInput{ApiId: e.api, StageName: name, AutoDeploy: new(true), StageVariables: vars})
	e.must(err)
}

// lambdaIntegration adds an AWS_PROXY integration of the function name in payload version.
func (e *env) lambdaIntegration(name, version string, change func(*gateway.IntegrationInput)) string {
	e.t.Helper()
	in := &gateway.IntegrationInput{ApiId: e.api, IntegrationType: str("AWS_PROXY"),
		IntegrationUri: str(fnArn + name), PayloadFormatVersion: &version}
	if change != nil {
		change(in)
	}
	i, err := e.gw.CreateIntegration(e.ctx, in)
	e.must(err)
	return i.IntegrationId
}

// lambdaAuthorizer adds a REQUEST authorizer of the function name.
func (e *env) lambdaAuthorizer(name, version string, simple bool, ttl int, sources ...string) string {
	e.t.Helper()
	in := &gateway.AuthorizerInput{ApiId: e.api, Name: str(name), AuthorizerType: str("REQUEST"),
		AuthorizerUri:                  str("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/" + fnArn + name + "/invocations"),
		AuthorizerPayloadFormatVersion: &version, AuthorizerResultTtlInSeconds: &ttl, IdentitySource: sources}
	if simple {
		in.EnableSimpleResponses = new(true)
	}
	a, err := e.gw.CreateAuthorizer(e.ctx, in)
	e.must(err)
	return a.AuthorizerId
}

// route adds a route to an integration, with an authorization type and authorizer.
func (e *env) route(key, integ, authType, authorizer string) {
	e.t.Helper()
	in := &gateway.RouteInput{ApiId: e.api, RouteKey: &key, Target: str("integrations/" + integ)}
	if authType != "" {
		in.AuthorizationType = &authType
	}
	if authorizer != "" {
		in.AuthorizerId = &authorizer
	}
	_, err := e.gw.CreateRoute(e.ctx, in)
	e.must(err)
}

// do sends a request to the API's data plane at path (which includes the stage).
func (e *env) do(method, path string, hdr http.Header, body string) *httptest.ResponseRecorder {
	e.t.Helper()
	r := httptest.NewRequest(method, "http://"+e.api+".execute-api.localhost:4566"+path, strings.NewReader(body))
	for k, vals := range hdr {
		for _, v := range vals {
			r.Header.Add(k, v) // canonical names, as a server reads them off the wire
		}
	}
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w
}
