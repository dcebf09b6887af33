package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/sdkhttp"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	agw "github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	agwtypes "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// gatewayConfig is the configuration of the gateway command.
type gatewayConfig struct {
	// DB is the in-process server's storage (sqlite, memory, postgres).
	DB, PostgresDSN string
	// Duration and Warmup of each measured path; Concurrency closed-loop workers.
	Duration, Warmup time.Duration
	Concurrency      int
	// Timeout bounds one request.
	Timeout time.Duration
	// CPUProfile, when set, is a file for a pprof CPU profile of the JWT-protected path.
	CPUProfile string
}

// parseGatewayFlags parses the flags of the gateway command.
func parseGatewayFlags(args []string, stderr io.Writer, getenv func(string) string) (*gatewayConfig, error) {
	c := &gatewayConfig{}
	fs := flag.NewFlagSet("loadgen gateway", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.DB, "db", "memory", "storage of the in-process Gatehouse: memory, sqlite or postgres")
	fs.DurationVar(&c.Duration, "duration", 10*time.Second, "how long to measure each path")
	fs.DurationVar(&c.Warmup, "warmup", 2*time.Second, "how long to run each path before measuring it")
	fs.IntVar(&c.Concurrency, "concurrency", 16, "closed-loop workers")
	fs.DurationVar(&c.Timeout, "timeout", 10*time.Second, "timeout of one request")
	fs.StringVar(&c.CPUProfile, "cpuprofile", "", "write a CPU profile of the JWT-protected path's measurement to this file")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	c.PostgresDSN = getenv(PostgresDSNEnv)
	if c.Concurrency < 1 || c.Duration <= 0 {
		return nil, errors.New("-concurrency and -duration must be positive")
	}
	return c, nil
}

// listen serves h on a loopback port and returns its base URL and a stop function.
func listen(h http.Handler) (string, func(), error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(l) }()
	return "http://" + l.Addr().String(), func() { _ = srv.Close() }, nil
}

// runGateway measures one small GET per request along four paths in one run: straight to a
// backend, through a plain Go reverse proxy, through a Gatehouse HTTP API route without
// authorization, and through one protected by a JWT authorizer (with a valid access token).
func runGateway(ctx context.Context, c *gatewayConfig, stdout, stderr io.Writer) (err error) {
	backendURL, stopBackend, err := listen(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"ok":true,"path":"`+r.URL.Path+`"}`)
	}))
	if err != nil {
		return err
	}
	defer stopBackend()
	bu, _ := url.Parse(backendURL)
	proxyURL, stopProxy, err := listen(httputil.NewSingleHostReverseProxy(bu))
	if err != nil {
		return err
	}
	defer stopProxy()

	t, err := startServer(ctx, &signinConfig{DB: c.DB, PostgresDSN: c.PostgresDSN}, stderr)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, t.Close()) }()
	fmt.Fprintf(stderr, "gatehouse at %s (storage %s); GOMAXPROCS %d\n", t.URL, t.Storage, runtime.GOMAXPROCS(0))
	token, apiID, err := setUpAPI(ctx, t.URL, backendURL)
	if err != nil {
		return err
	}

	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost = c.Concurrency+8, c.Concurrency+8
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	get := func(u string, header map[string]string) op {
		return func(ctx context.Context, _ int) error {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
			if err != nil {
				return err
			}
			for k, v := range header {
				req.Header.Set(k, v)
			}
			resp, err := client.Do(req)
			if err != nil {
				return err
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return newKindError(fmt.Sprintf("HTTP %d", resp.StatusCode), "%s: %s", u, resp.Status)
			}
			return nil
		}
	}
	base := t.URL + "/_aws/execute-api/" + apiID
	paths := []struct {
		label string
		o     op
	}{
		{"direct to the backend", get(backendURL+"/items/1", nil)},
		{"Go httputil.ReverseProxy", get(proxyURL+"/items/1", nil)},
		{"Gatehouse route, no authorizer", get(base+"/open/items/1", nil)},
		{"Gatehouse route, JWT authorizer", get(base+"/secure/items/1", map[string]string{"Authorization": "Bearer " + token})},
	}
	fmt.Fprintf(stdout, "| path | storage | workers | requests/s | p50 | p90 | p99 | max | errors | CPU/request | – | load avg 1m |\n")
	fmt.Fprintf(stdout, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n")
	for _, p := range paths {
		if c.Warmup > 0 {
			drive(ctx, c.Concurrency, c.Warmup, c.Timeout, p.o)
		}
		fmt.Fprintf(stderr, "measuring %s for %s with %d workers (load average %s)\n", p.label, c.Duration, c.Concurrency, loadAverage())
		var stopProfile func() error
		if c.CPUProfile != "" && strings.Contains(p.label, "JWT") {
			if stopProfile, err = startCPUProfile(c.CPUProfile); err != nil {
				return err
			}
		}
		r := measure(ctx, c.Concurrency, c.Duration, c.Timeout, p.o)
		if stopProfile != nil {
			if err := stopProfile(); err != nil {
				return err
			}
		}
		if r.ErrorCount() > 0 {
			fmt.Fprintf(stderr, "errors: %s\n", describeErrors(r))
		}
		fmt.Fprint(stdout, row(p.label, t.Storage, c.Concurrency, r, "–"))
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return nil
}

// startCPUProfile starts a CPU profile written to path when the returned function is called.
func startCPUProfile(path string) (func() error, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() error { pprof.StopCPUProfile(); return f.Close() }, nil
}

// setUpAPI creates, through the AWS SDK, a user pool with a signed-in user and an HTTP API
// with an open route and a JWT-protected route to backend, and returns the user's access token
// and the API id.
func setUpAPI(ctx context.Context, base, backend string) (token, apiID string, err error) {
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("loadgen", "loadgen", ""),
		Retryer:    func() aws.Retryer { return retry.AddWithMaxAttempts(retry.NewStandard(), 1) },
		HTTPClient: &http.Client{Transport: sdkhttp.BufferedBody{RT: http.DefaultTransport}}}
	idp := cip.NewFromConfig(cfg, func(o *cip.Options) { o.BaseEndpoint = aws.String(base) })
	gw := agw.NewFromConfig(cfg, func(o *agw.Options) { o.BaseEndpoint = aws.String(base) })
	pool, err := idp.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("loadgen-gateway")})
	if err != nil {
		return "", "", err
	}
	poolID := aws.ToString(pool.UserPool.Id)
	cl, err := idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: &poolID, ClientName: aws.String("load"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	if err != nil {
		return "", "", err
	}
	clientID := aws.ToString(cl.UserPoolClient.ClientId)
	if err := createUser(ctx, idp, poolID, userName(0)); err != nil {
		return "", "", err
	}
	auth, err := idp.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &clientID, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": userName(0), "PASSWORD": userPassword}})
	if err != nil {
		return "", "", fmt.Errorf("sign in: %w", err)
	}
	api, err := gw.CreateApi(ctx, &agw.CreateApiInput{Name: aws.String("loadgen"), ProtocolType: agwtypes.ProtocolTypeHttp})
	if err != nil {
		return "", "", err
	}
	integ, err := gw.CreateIntegration(ctx, &agw.CreateIntegrationInput{ApiId: api.ApiId, IntegrationType: agwtypes.IntegrationTypeHttpProxy,
		IntegrationMethod: aws.String("GET"), IntegrationUri: aws.String(strings.TrimRight(backend, "/") + "/{proxy}"),
		PayloadFormatVersion: aws.String("1.0")})
	if err != nil {
		return "", "", err
	}
	authz, err := gw.CreateAuthorizer(ctx, &agw.CreateAuthorizerInput{ApiId: api.ApiId, Name: aws.String("cognito"),
		AuthorizerType: agwtypes.AuthorizerTypeJwt, IdentitySource: []string{"$request.header.Authorization"},
		JwtConfiguration: &agwtypes.JWTConfiguration{Issuer: aws.String("https://cognito-idp.us-east-1.amazonaws.com/" + poolID),
			Audience: []string{clientID}}})
	if err != nil {
		return "", "", err
	}
	target := aws.String("integrations/" + aws.ToString(integ.IntegrationId))
	if _, err := gw.CreateRoute(ctx, &agw.CreateRouteInput{ApiId: api.ApiId, RouteKey: aws.String("GET /open/{proxy+}"), Target: target}); err != nil {
		return "", "", err
	}
	if _, err := gw.CreateRoute(ctx, &agw.CreateRouteInput{ApiId: api.ApiId, RouteKey: aws.String("GET /secure/{proxy+}"), Target: target,
		AuthorizationType: agwtypes.AuthorizationTypeJwt, AuthorizerId: authz.AuthorizerId}); err != nil {
		return "", "", err
	}
	if _, err := gw.CreateStage(ctx, &agw.CreateStageInput{ApiId: api.ApiId, StageName: aws.String("$default"), AutoDeploy: aws.Bool(true)}); err != nil {
		return "", "", err
	}
	return aws.ToString(auth.AuthenticationResult.AccessToken), aws.ToString(api.ApiId), nil
}
