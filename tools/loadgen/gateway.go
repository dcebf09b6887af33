package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	agw "github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	agwtypes "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// gatewayConfig is the configuration of the gateway command.
type gatewayConfig struct {
	httpLoad
}

// parseGatewayFlags parses the flags of the gateway command.
func parseGatewayFlags(args []string, stderr io.Writer, getenv func(string) string) (*gatewayConfig, error) {
	c := &gatewayConfig{}
	fs := c.flagSet("gateway", "the JWT-protected path", stderr)
	if err := c.parse(fs, args, getenv); err != nil {
		return nil, err
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
func runGateway(ctx context.Context, c *gatewayConfig, stdout, stderr io.Writer) error {
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

	return c.serve(ctx, stderr, func(t *target) error {
		token, apiID, err := setUpAPI(ctx, t.URL, backendURL)
		if err != nil {
			return err
		}
		client, closeIdle := httpClient(c.Concurrency)
		defer closeIdle()
		base := t.URL + "/_aws/execute-api/" + apiID
		paths := []httpPath{
			{"direct to the backend", getOp(client, backendURL+"/items/1", nil), false},
			{"Go httputil.ReverseProxy", getOp(client, proxyURL+"/items/1", nil), false},
			{"Gatehouse route, no authorizer", getOp(client, base+"/open/items/1", nil), false},
			{"Gatehouse route, JWT authorizer", getOp(client, base+"/secure/items/1", map[string]string{"Authorization": "Bearer " + token}), true},
		}
		fmt.Fprint(stdout, httpTableHeader("–"))
		_, err = c.measurePaths(ctx, t.Storage, paths, nil, stdout, stderr)
		return err
	})
}

// setUpAPI creates, through the AWS SDK, a user pool with a signed-in user and an HTTP API
// with an open route and a JWT-protected route to backend, and returns the user's access token
// and the API id.
func setUpAPI(ctx context.Context, base, backend string) (token, apiID string, err error) {
	cfg := sdkConfig()
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
