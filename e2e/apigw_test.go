package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	agw "github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	agwtypes "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/gatehouse-dev/gatehouse/internal/testenv"
)

// gwEnv is a server with an apigatewayv2 client.
type gwEnv struct {
	t   *testing.T
	s   *testenv.Server
	gw  *agw.Client
	ctx context.Context
}

func newGwEnv(t *testing.T, opts ...testenv.Option) *gwEnv {
	t.Helper()
	s := testenv.Start(t, append([]testenv.Option{testenv.WithMemory()}, opts...)...)
	return &gwEnv{t: t, s: s, gw: s.APIGatewayV2(), ctx: testenv.Ctx(t)}
}

func (e *gwEnv) must(err error, what string) {
	e.t.Helper()
	if err != nil {
		e.t.Fatalf("%s: %v", what, err)
	}
}

func TestHTTPAPIControlPlane(t *testing.T) {
	t.Parallel()
	e := newGwEnv(t)
	api, err := e.gw.CreateApi(e.ctx, &agw.CreateApiInput{Name: aws.String("pets"), ProtocolType: agwtypes.ProtocolTypeHttp,
		Description: aws.String("the pet store")})
	e.must(err, "create api")
	id := aws.ToString(api.ApiId)
	if len(id) != 10 || aws.ToString(api.ApiEndpoint) != "https://"+id+".execute-api.us-east-1.amazonaws.com" ||
		aws.ToString(api.RouteSelectionExpression) != "$request.method $request.path" ||
		aws.ToString(api.ApiKeySelectionExpression) != "$request.header.x-api-key" || api.CreatedDate == nil ||
		aws.ToBool(api.DisableExecuteApiEndpoint) || api.Tags == nil {
		t.Fatalf("CreateApi = %+v", api)
	}

	integ, err := e.gw.CreateIntegration(e.ctx, &agw.CreateIntegrationInput{ApiId: &id, IntegrationType: agwtypes.IntegrationTypeHttpProxy,
		IntegrationMethod: aws.String("GET"), IntegrationUri: aws.String("https://backend.example.com/pets"), PayloadFormatVersion: aws.String("1.0")})
	e.must(err, "create integration")
	if len(aws.ToString(integ.IntegrationId)) != 7 || aws.ToInt32(integ.TimeoutInMillis) != 30000 || integ.ConnectionType != agwtypes.ConnectionTypeInternet {
		t.Errorf("CreateIntegration = %+v", integ)
	}
	_, err = e.gw.CreateIntegration(e.ctx, &agw.CreateIntegrationInput{ApiId: &id, IntegrationType: agwtypes.IntegrationTypeMock})
	testenv.WantError(t, err, "BadRequestException", "Currently, an API with a protocol type of HTTP may only be associated with proxy integrations (AWS_PROXY, HTTP_PROXY)")
	_, err = e.gw.CreateIntegration(e.ctx, &agw.CreateIntegrationInput{ApiId: &id, IntegrationType: agwtypes.IntegrationTypeHttpProxy,
		IntegrationMethod: aws.String("GET"), IntegrationUri: aws.String("https://backend.example.com"), PayloadFormatVersion: aws.String("1.0"),
		TimeoutInMillis: aws.Int32(40000)})
	testenv.WantError(t, err, "BadRequestException", "")

	authz, err := e.gw.CreateAuthorizer(e.ctx, &agw.CreateAuthorizerInput{ApiId: &id, Name: aws.String("cognito"),
		AuthorizerType: agwtypes.AuthorizerTypeJwt, IdentitySource: []string{"$request.header.Authorization"},
		JwtConfiguration: &agwtypes.JWTConfiguration{Issuer: aws.String("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc"),
			Audience: []string{"client1"}}})
	e.must(err, "create authorizer")
	authzID := aws.ToString(authz.AuthorizerId)
	if len(authzID) != 6 || authz.AuthorizerType != agwtypes.AuthorizerTypeJwt || aws.ToString(authz.JwtConfiguration.Issuer) == "" {
		t.Errorf("CreateAuthorizer = %+v", authz)
	}

	target := "integrations/" + aws.ToString(integ.IntegrationId)
	route, err := e.gw.CreateRoute(e.ctx, &agw.CreateRouteInput{ApiId: &id, RouteKey: aws.String("GET /pets"), Target: &target,
		AuthorizationType: agwtypes.AuthorizationTypeJwt, AuthorizerId: &authzID, AuthorizationScopes: []string{"pets/read"}})
	e.must(err, "create route")
	if len(aws.ToString(route.RouteId)) != 7 || aws.ToString(route.RouteKey) != "GET /pets" || route.AuthorizationType != agwtypes.AuthorizationTypeJwt ||
		aws.ToBool(route.ApiKeyRequired) || len(route.AuthorizationScopes) != 1 {
		t.Errorf("CreateRoute = %+v", route)
	}
	_, err = e.gw.CreateRoute(e.ctx, &agw.CreateRouteInput{ApiId: &id, RouteKey: aws.String("GET /pets"), Target: &target})
	testenv.WantError(t, err, "ConflictException", "Route with key GET /pets already exists for this API")
	_, err = e.gw.CreateRoute(e.ctx, &agw.CreateRouteInput{ApiId: &id, RouteKey: aws.String("GET /cats"), AuthorizationScopes: []string{"x"}})
	testenv.WantError(t, err, "BadRequestException", "Invalid Route authorization type specified. Authorization Scopes are only valid for COGNITO_USER_POOLS and JWT authorization types")
	_, err = e.gw.CreateRoute(e.ctx, &agw.CreateRouteInput{ApiId: &id, RouteKey: aws.String("GET /cats"), AuthorizationType: agwtypes.AuthorizationTypeJwt})
	testenv.WantError(t, err, "BadRequestException", "Invalid authorizer ID specified. Setting the authorization type to JWT requires a valid JWT authorizer.")
	_, err = e.gw.CreateRoute(e.ctx, &agw.CreateRouteInput{ApiId: &id, RouteKey: aws.String("FETCH /cats")})
	testenv.WantError(t, err, "BadRequestException", "")
	_, err = e.gw.CreateRoute(e.ctx, &agw.CreateRouteInput{ApiId: &id, RouteKey: aws.String("GET /cats"), Target: aws.String("integrations/nope123")})
	testenv.WantError(t, err, "BadRequestException", "")
	_, err = e.gw.CreateRoute(e.ctx, &agw.CreateRouteInput{ApiId: &id, RouteKey: aws.String("GET /pets/{id}"), Target: &target})
	e.must(err, "create GET /pets/{id}")
	_, err = e.gw.CreateRoute(e.ctx, &agw.CreateRouteInput{ApiId: &id, RouteKey: aws.String("DELETE /pets/{petId}"), Target: &target})
	testenv.WantError(t, err, "ConflictException", "")

	// A stage with autoDeploy serves the current configuration at once and after every change.
	st, err := e.gw.CreateStage(e.ctx, &agw.CreateStageInput{ApiId: &id, StageName: aws.String("$default"), AutoDeploy: aws.Bool(true)})
	e.must(err, "create stage")
	first := aws.ToString(st.DeploymentId)
	if first == "" || aws.ToString(st.LastDeploymentStatusMessage) != "Successfully deployed stage with deployment ID '"+first+"'" ||
		st.StageVariables == nil || st.RouteSettings == nil || st.DefaultRouteSettings == nil {
		t.Fatalf("CreateStage = %+v", st)
	}
	_, err = e.gw.UpdateRoute(e.ctx, &agw.UpdateRouteInput{ApiId: &id, RouteId: route.RouteId, AuthorizationScopes: []string{"pets/read", "pets/write"}})
	e.must(err, "update route")
	st2, err := e.gw.GetStage(e.ctx, &agw.GetStageInput{ApiId: &id, StageName: aws.String("$default")})
	e.must(err, "get stage")
	if aws.ToString(st2.DeploymentId) == first {
		t.Error("the auto-deploy stage was not redeployed after UpdateRoute")
	}
	deps, err := e.gw.GetDeployments(e.ctx, &agw.GetDeploymentsInput{ApiId: &id})
	e.must(err, "get deployments")
	if len(deps.Items) != 2 || !aws.ToBool(deps.Items[0].AutoDeployed) || deps.Items[0].DeploymentStatus != agwtypes.DeploymentStatusDeployed {
		t.Errorf("deployments = %+v", deps.Items)
	}
	_, err = e.gw.CreateStage(e.ctx, &agw.CreateStageInput{ApiId: &id, StageName: aws.String("$default")})
	testenv.WantError(t, err, "ConflictException", "")

	// A stage without autoDeploy serves what a deployment gives it.
	_, err = e.gw.CreateStage(e.ctx, &agw.CreateStageInput{ApiId: &id, StageName: aws.String("dev"),
		StageVariables: map[string]string{"backend": "backend.example.com"}})
	e.must(err, "create dev stage")
	dep, err := e.gw.CreateDeployment(e.ctx, &agw.CreateDeploymentInput{ApiId: &id, StageName: aws.String("dev"), Description: aws.String("v1")})
	e.must(err, "create deployment")
	dev, err := e.gw.GetStage(e.ctx, &agw.GetStageInput{ApiId: &id, StageName: aws.String("dev")})
	e.must(err, "get dev stage")
	if aws.ToString(dev.DeploymentId) != aws.ToString(dep.DeploymentId) || dev.StageVariables["backend"] != "backend.example.com" {
		t.Errorf("dev stage = %+v", dev)
	}
	_, err = e.gw.DeleteDeployment(e.ctx, &agw.DeleteDeploymentInput{ApiId: &id, DeploymentId: dep.DeploymentId})
	testenv.WantError(t, err, "BadRequestException", "")
	_, err = e.gw.UpdateStage(e.ctx, &agw.UpdateStageInput{ApiId: &id, StageName: aws.String("$default"), DeploymentId: dep.DeploymentId})
	testenv.WantError(t, err, "BadRequestException", "Deployment ID cannot be set on this stage because AutoDeploy is enabled.")
	_, err = e.gw.UpdateStage(e.ctx, &agw.UpdateStageInput{ApiId: &id, StageName: aws.String("dev"),
		RouteSettings: map[string]agwtypes.RouteSettings{"GET /nope": {ThrottlingBurstLimit: aws.Int32(1)}}})
	testenv.WantError(t, err, "NotFoundException", "Unable to find Route by key GET /nope within the provided RouteSettings")

	// Things in use cannot be deleted.
	_, err = e.gw.DeleteAuthorizer(e.ctx, &agw.DeleteAuthorizerInput{ApiId: &id, AuthorizerId: &authzID})
	testenv.WantError(t, err, "ConflictException", "Cannot delete authorizer 'cognito', is referenced in route: GET /pets")
	_, err = e.gw.DeleteIntegration(e.ctx, &agw.DeleteIntegrationInput{ApiId: &id, IntegrationId: integ.IntegrationId})
	if code, msg := testenv.APIError(t, err); code != "ConflictException" ||
		!strings.HasPrefix(msg, "Cannot delete Integration because it is referenced by the following Routes with Ids: [") ||
		!strings.Contains(msg, aws.ToString(route.RouteId)) {
		t.Errorf("delete integration in use: %s: %s", code, msg)
	}

	// Lists, gets and not-found.
	for _, k := range []string{"GET /a", "GET /b", "GET /c"} {
		_, err := e.gw.CreateRoute(e.ctx, &agw.CreateRouteInput{ApiId: &id, RouteKey: aws.String(k), Target: &target})
		e.must(err, "create route "+k)
	}
	var keys []string
	var token *string
	for pages := 0; ; pages++ {
		out, err := e.gw.GetRoutes(e.ctx, &agw.GetRoutesInput{ApiId: &id, MaxResults: aws.String("3"), NextToken: token})
		e.must(err, "get routes")
		for _, r := range out.Items {
			keys = append(keys, aws.ToString(r.RouteKey))
		}
		if token = out.NextToken; token == nil {
			if pages != 1 {
				t.Errorf("%d pages for 5 routes of 3", pages+1)
			}
			break
		}
	}
	if len(keys) != 5 {
		t.Errorf("routes = %v", keys)
	}
	_, err = e.gw.GetApi(e.ctx, &agw.GetApiInput{ApiId: aws.String("nope123456")})
	testenv.WantError(t, err, "NotFoundException", "Invalid API identifier specified 000000000000:nope123456")
	_, err = e.gw.GetRoute(e.ctx, &agw.GetRouteInput{ApiId: &id, RouteId: aws.String("nope123")})
	testenv.WantError(t, err, "NotFoundException", "")

	// CORS.
	up, err := e.gw.UpdateApi(e.ctx, &agw.UpdateApiInput{ApiId: &id, CorsConfiguration: &agwtypes.Cors{AllowOrigins: []string{"https://app.example.com"},
		AllowMethods: []string{"GET"}, MaxAge: aws.Int32(300)}})
	e.must(err, "update api cors")
	if up.CorsConfiguration == nil || up.CorsConfiguration.AllowOrigins[0] != "https://app.example.com" || aws.ToString(up.Description) != "the pet store" {
		t.Errorf("UpdateApi = %+v", up)
	}
	_, err = e.gw.UpdateApi(e.ctx, &agw.UpdateApiInput{ApiId: &id, CorsConfiguration: &agwtypes.Cors{AllowOrigins: []string{"*"}, AllowCredentials: aws.Bool(true)}})
	testenv.WantError(t, err, "BadRequestException", "allow-credentials is not supported if 'allow-origin' is *")
	_, err = e.gw.DeleteCorsConfiguration(e.ctx, &agw.DeleteCorsConfigurationInput{ApiId: &id})
	e.must(err, "delete cors")
	got, err := e.gw.GetApi(e.ctx, &agw.GetApiInput{ApiId: &id})
	e.must(err, "get api")
	if got.CorsConfiguration != nil {
		t.Errorf("cors after delete = %+v", got.CorsConfiguration)
	}

	_, err = e.gw.DeleteApi(e.ctx, &agw.DeleteApiInput{ApiId: &id})
	e.must(err, "delete api")
	_, err = e.gw.GetApi(e.ctx, &agw.GetApiInput{ApiId: &id})
	testenv.WantError(t, err, "NotFoundException", "")
}

func TestHTTPAPIQuickCreate(t *testing.T) {
	t.Parallel()
	e := newGwEnv(t)
	api, err := e.gw.CreateApi(e.ctx, &agw.CreateApiInput{Name: aws.String("quick"), ProtocolType: agwtypes.ProtocolTypeHttp,
		Target: aws.String("https://backend.example.com")})
	e.must(err, "quick create")
	routes, err := e.gw.GetRoutes(e.ctx, &agw.GetRoutesInput{ApiId: api.ApiId})
	e.must(err, "get routes")
	if len(routes.Items) != 1 || aws.ToString(routes.Items[0].RouteKey) != "$default" || !aws.ToBool(routes.Items[0].ApiGatewayManaged) ||
		!strings.HasPrefix(aws.ToString(routes.Items[0].Target), "integrations/") {
		t.Fatalf("routes = %+v", routes.Items)
	}
	stages, err := e.gw.GetStages(e.ctx, &agw.GetStagesInput{ApiId: api.ApiId})
	e.must(err, "get stages")
	if len(stages.Items) != 1 || aws.ToString(stages.Items[0].StageName) != "$default" || !aws.ToBool(stages.Items[0].AutoDeploy) ||
		aws.ToString(stages.Items[0].DeploymentId) == "" {
		t.Fatalf("stages = %+v", stages.Items)
	}
	integs, err := e.gw.GetIntegrations(e.ctx, &agw.GetIntegrationsInput{ApiId: api.ApiId})
	e.must(err, "get integrations")
	if len(integs.Items) != 1 || integs.Items[0].IntegrationType != agwtypes.IntegrationTypeHttpProxy ||
		aws.ToString(integs.Items[0].PayloadFormatVersion) != "1.0" {
		t.Fatalf("integrations = %+v", integs.Items)
	}
	// UpdateApi's Target changes the managed integration.
	_, err = e.gw.UpdateApi(e.ctx, &agw.UpdateApiInput{ApiId: api.ApiId, Target: aws.String("https://other.example.com")})
	e.must(err, "update target")
	i, err := e.gw.GetIntegration(e.ctx, &agw.GetIntegrationInput{ApiId: api.ApiId, IntegrationId: integs.Items[0].IntegrationId})
	e.must(err, "get integration")
	if aws.ToString(i.IntegrationUri) != "https://other.example.com" {
		t.Errorf("integration uri = %s", aws.ToString(i.IntegrationUri))
	}
	// Tags on the API and its stage.
	arn := "arn:aws:apigateway:us-east-1::/apis/" + aws.ToString(api.ApiId)
	_, err = e.gw.TagResource(e.ctx, &agw.TagResourceInput{ResourceArn: &arn, Tags: map[string]string{"team": "pets", "env": "dev"}})
	e.must(err, "tag api")
	_, err = e.gw.UntagResource(e.ctx, &agw.UntagResourceInput{ResourceArn: &arn, TagKeys: []string{"env"}})
	e.must(err, "untag api")
	tags, err := e.gw.GetTags(e.ctx, &agw.GetTagsInput{ResourceArn: &arn})
	e.must(err, "get tags")
	if len(tags.Tags) != 1 || tags.Tags["team"] != "pets" {
		t.Errorf("tags = %v", tags.Tags)
	}
	stageArn := arn + "/stages/$default"
	_, err = e.gw.TagResource(e.ctx, &agw.TagResourceInput{ResourceArn: &stageArn, Tags: map[string]string{"tier": "gold"}})
	e.must(err, "tag stage")
	st, err := e.gw.GetStage(e.ctx, &agw.GetStageInput{ApiId: api.ApiId, StageName: aws.String("$default")})
	e.must(err, "get stage")
	if st.Tags["tier"] != "gold" {
		t.Errorf("stage tags = %v", st.Tags)
	}
	_, err = e.gw.GetTags(e.ctx, &agw.GetTagsInput{ResourceArn: aws.String("arn:aws:apigateway:us-east-1::/apis/nope")})
	testenv.WantError(t, err, "NotFoundException", "")

	apis, err := e.gw.GetApis(e.ctx, &agw.GetApisInput{})
	e.must(err, "get apis")
	if len(apis.Items) != 1 {
		t.Errorf("apis = %d", len(apis.Items))
	}
}
