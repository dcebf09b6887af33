package e2e

import (
	"encoding/json"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	agw "github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	agwtypes "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/gatehouse-dev/gatehouse/internal/testenv"
)

// createDomain registers a regional custom domain name.
func (e *gwEnv) createDomain(name string) *agw.CreateDomainNameOutput {
	e.t.Helper()
	d, err := e.gw.CreateDomainName(e.ctx, &agw.CreateDomainNameInput{DomainName: aws.String(name),
		DomainNameConfigurations: []agwtypes.DomainNameConfiguration{{
			CertificateArn: aws.String("arn:aws:acm:us-east-1:000000000000:certificate/1234")}}})
	e.must(err, "create domain name "+name)
	return d
}

// mapAPI maps key on domain to an API's stage.
func (e *gwEnv) mapAPI(domain, key, apiID, stage string) string {
	e.t.Helper()
	m, err := e.gw.CreateApiMapping(e.ctx, &agw.CreateApiMappingInput{DomainName: &domain, ApiMappingKey: &key,
		ApiId: &apiID, Stage: &stage})
	e.must(err, "create api mapping "+key)
	return aws.ToString(m.ApiMappingId)
}

func TestDomainNamesControlPlane(t *testing.T) {
	t.Parallel()
	e := newGwEnv(t)
	d, err := e.gw.CreateDomainName(e.ctx, &agw.CreateDomainNameInput{DomainName: aws.String("api.example.com"),
		DomainNameConfigurations: []agwtypes.DomainNameConfiguration{{
			CertificateArn: aws.String("arn:aws:acm:us-east-1:000000000000:certificate/1234")}},
		Tags: map[string]string{"team": "web"}})
	e.must(err, "create domain name")
	if aws.ToString(d.DomainName) != "api.example.com" || aws.ToString(d.ApiMappingSelectionExpression) != "$request.basepath" ||
		aws.ToString(d.DomainNameArn) != "arn:aws:apigateway:us-east-1::/domainnames/api.example.com" ||
		len(d.DomainNameConfigurations) != 1 || d.Tags["team"] != "web" || d.RoutingMode != agwtypes.RoutingModeApiMappingOnly {
		t.Fatalf("CreateDomainName = %+v", d)
	}
	c := d.DomainNameConfigurations[0]
	if !regexp.MustCompile(`^d-[a-z0-9]{10}\.execute-api\.us-east-1\.amazonaws\.com$`).MatchString(aws.ToString(c.ApiGatewayDomainName)) ||
		aws.ToString(c.CertificateArn) != "arn:aws:acm:us-east-1:000000000000:certificate/1234" ||
		c.EndpointType != agwtypes.EndpointTypeRegional || aws.ToString(c.HostedZoneId) != "Z1UJRXOUMOOFQ8" ||
		c.SecurityPolicy != agwtypes.SecurityPolicyTls12 || c.DomainNameStatus != agwtypes.DomainNameStatusAvailable {
		t.Errorf("configuration = %+v", c)
	}

	_, err = e.gw.CreateDomainName(e.ctx, &agw.CreateDomainNameInput{DomainName: aws.String("API.example.com"),
		DomainNameConfigurations: []agwtypes.DomainNameConfiguration{{}}})
	testenv.WantError(t, err, "ConflictException", "The domain name resource already exists.")
	_, err = e.gw.CreateDomainName(e.ctx, &agw.CreateDomainNameInput{DomainName: aws.String("other.example.com")})
	testenv.WantError(t, err, "BadRequestException", "Expected one domain name configuration")
	for _, bad := range []string{"localhost", "127.0.0.1", "bad_name.example.com", "-x.example.com", "example.123"} {
		_, err = e.gw.CreateDomainName(e.ctx, &agw.CreateDomainNameInput{DomainName: aws.String(bad),
			DomainNameConfigurations: []agwtypes.DomainNameConfiguration{{}}})
		testenv.WantError(t, err, "BadRequestException", "")
	}

	got, err := e.gw.GetDomainName(e.ctx, &agw.GetDomainNameInput{DomainName: aws.String("API.Example.com")})
	e.must(err, "get domain name")
	if aws.ToString(got.DomainNameConfigurations[0].ApiGatewayDomainName) != aws.ToString(c.ApiGatewayDomainName) {
		t.Errorf("GetDomainName = %+v", got)
	}
	_, err = e.gw.GetDomainName(e.ctx, &agw.GetDomainNameInput{DomainName: aws.String("nope.example.com")})
	testenv.WantError(t, err, "NotFoundException", "Invalid domain name identifier specified nope.example.com")

	// Updates replace the configuration but keep its API Gateway domain name.
	up, err := e.gw.UpdateDomainName(e.ctx, &agw.UpdateDomainNameInput{DomainName: aws.String("api.example.com"),
		DomainNameConfigurations: []agwtypes.DomainNameConfiguration{{CertificateArn: aws.String("arn:aws:acm:us-east-1:000000000000:certificate/5678"),
			SecurityPolicy: agwtypes.SecurityPolicyTls10}},
		MutualTlsAuthentication: &agwtypes.MutualTlsAuthenticationInput{TruststoreUri: aws.String("s3://bucket/truststore.pem"),
			TruststoreVersion: aws.String("1")}})
	e.must(err, "update domain name")
	uc := up.DomainNameConfigurations[0]
	if aws.ToString(uc.ApiGatewayDomainName) != aws.ToString(c.ApiGatewayDomainName) || uc.SecurityPolicy != agwtypes.SecurityPolicyTls10 ||
		aws.ToString(uc.CertificateArn) != "arn:aws:acm:us-east-1:000000000000:certificate/5678" || up.MutualTlsAuthentication == nil ||
		aws.ToString(up.MutualTlsAuthentication.TruststoreUri) != "s3://bucket/truststore.pem" || up.Tags["team"] != "web" {
		t.Errorf("UpdateDomainName = %+v", up)
	}
	_, err = e.gw.UpdateDomainName(e.ctx, &agw.UpdateDomainNameInput{DomainName: aws.String("nope.example.com")})
	testenv.WantError(t, err, "NotFoundException", "")

	// Listing pages as the other Get* lists do.
	e.createDomain("b.example.com")
	e.createDomain("c.example.com")
	p1, err := e.gw.GetDomainNames(e.ctx, &agw.GetDomainNamesInput{MaxResults: aws.String("2")})
	e.must(err, "get domain names")
	if len(p1.Items) != 2 || p1.NextToken == nil || aws.ToString(p1.Items[0].DomainName) != "api.example.com" {
		t.Fatalf("page 1 = %+v", p1)
	}
	p2, err := e.gw.GetDomainNames(e.ctx, &agw.GetDomainNamesInput{MaxResults: aws.String("2"), NextToken: p1.NextToken})
	e.must(err, "get domain names page 2")
	if len(p2.Items) != 1 || p2.NextToken != nil || aws.ToString(p2.Items[0].DomainName) != "c.example.com" {
		t.Fatalf("page 2 = %+v", p2)
	}

	// Tags through the domain's ARN.
	arn := aws.ToString(d.DomainNameArn)
	_, err = e.gw.TagResource(e.ctx, &agw.TagResourceInput{ResourceArn: &arn, Tags: map[string]string{"env": "prod"}})
	e.must(err, "tag domain")
	_, err = e.gw.UntagResource(e.ctx, &agw.UntagResourceInput{ResourceArn: &arn, TagKeys: []string{"team"}})
	e.must(err, "untag domain")
	tags, err := e.gw.GetTags(e.ctx, &agw.GetTagsInput{ResourceArn: &arn})
	e.must(err, "get tags")
	if len(tags.Tags) != 1 || tags.Tags["env"] != "prod" {
		t.Errorf("tags = %v", tags.Tags)
	}
	_, err = e.gw.GetTags(e.ctx, &agw.GetTagsInput{ResourceArn: aws.String("arn:aws:apigateway:us-east-1::/domainnames/nope.example.com")})
	testenv.WantError(t, err, "NotFoundException", "")

	// API mappings.
	api, err := e.gw.CreateApi(e.ctx, &agw.CreateApiInput{Name: aws.String("orders"), ProtocolType: agwtypes.ProtocolTypeHttp,
		Target: aws.String("https://backend.example.com")})
	e.must(err, "create api")
	apiID := aws.ToString(api.ApiId)
	_, err = e.gw.CreateStage(e.ctx, &agw.CreateStageInput{ApiId: &apiID, StageName: aws.String("prod")})
	e.must(err, "create stage")
	domain := "api.example.com"
	m, err := e.gw.CreateApiMapping(e.ctx, &agw.CreateApiMappingInput{DomainName: &domain, ApiId: &apiID, Stage: aws.String("$default")})
	e.must(err, "create root mapping")
	rootID := aws.ToString(m.ApiMappingId)
	if !regexp.MustCompile(`^[a-z0-9]{10}$`).MatchString(rootID) || aws.ToString(m.ApiMappingKey) != "" ||
		aws.ToString(m.ApiId) != apiID || aws.ToString(m.Stage) != "$default" {
		t.Errorf("CreateApiMapping = %+v", m)
	}
	// Multi-level mappings need TLS 1.2; the domain is on TLS 1.0 now.
	_, err = e.gw.CreateApiMapping(e.ctx, &agw.CreateApiMappingInput{DomainName: &domain, ApiId: &apiID, Stage: aws.String("prod"),
		ApiMappingKey: aws.String("orders/v1")})
	testenv.WantError(t, err, "BadRequestException", "")
	_, err = e.gw.UpdateDomainName(e.ctx, &agw.UpdateDomainNameInput{DomainName: &domain,
		DomainNameConfigurations: []agwtypes.DomainNameConfiguration{{SecurityPolicy: agwtypes.SecurityPolicyTls12}}})
	e.must(err, "back to TLS 1.2")
	multiID := e.mapAPI(domain, "orders/v1", apiID, "prod")

	for _, c := range []struct {
		key, api, stage, code, msg string
	}{
		{"orders/v1", apiID, "prod", "ConflictException", "ApiMapping key already exists for this domain name"},
		{"(none)", apiID, "prod", "ConflictException", "ApiMapping key already exists for this domain name"},
		{"bad key", apiID, "prod", "BadRequestException", "An ApiMapping key may contain only letters, numbers and one of $-_.+!*'()"},
		{"/orders", apiID, "prod", "BadRequestException", ""},
		{"orders//v1", apiID, "prod", "BadRequestException", ""},
		{"orders/", apiID, "prod", "BadRequestException", ""},
		{"x", "nope", "prod", "NotFoundException", "Invalid API identifier specified 000000000000:nope"},
		{"x", apiID, "nope", "BadRequestException", "Invalid stage identifier specified"},
	} {
		_, err = e.gw.CreateApiMapping(e.ctx, &agw.CreateApiMappingInput{DomainName: &domain, ApiMappingKey: aws.String(c.key),
			ApiId: aws.String(c.api), Stage: aws.String(c.stage)})
		testenv.WantError(t, err, c.code, c.msg)
	}
	_, err = e.gw.CreateApiMapping(e.ctx, &agw.CreateApiMappingInput{DomainName: aws.String("nope.example.com"), ApiId: &apiID,
		Stage: aws.String("prod")})
	testenv.WantError(t, err, "NotFoundException", "Invalid domain name identifier specified nope.example.com")

	gm, err := e.gw.GetApiMapping(e.ctx, &agw.GetApiMappingInput{DomainName: &domain, ApiMappingId: &multiID})
	e.must(err, "get api mapping")
	if aws.ToString(gm.ApiMappingKey) != "orders/v1" || aws.ToString(gm.Stage) != "prod" {
		t.Errorf("GetApiMapping = %+v", gm)
	}
	_, err = e.gw.GetApiMapping(e.ctx, &agw.GetApiMappingInput{DomainName: &domain, ApiMappingId: aws.String("nope")})
	testenv.WantError(t, err, "NotFoundException", "Invalid API mapping identifier specified nope")
	list, err := e.gw.GetApiMappings(e.ctx, &agw.GetApiMappingsInput{DomainName: &domain, MaxResults: aws.String("1")})
	e.must(err, "get api mappings")
	if len(list.Items) != 1 || list.NextToken == nil {
		t.Fatalf("GetApiMappings page 1 = %+v", list)
	}
	rest, err := e.gw.GetApiMappings(e.ctx, &agw.GetApiMappingsInput{DomainName: &domain, NextToken: list.NextToken})
	e.must(err, "get api mappings page 2")
	if len(rest.Items) != 1 || rest.NextToken != nil || aws.ToString(rest.Items[0].ApiMappingId) == aws.ToString(list.Items[0].ApiMappingId) {
		t.Fatalf("GetApiMappings page 2 = %+v", rest)
	}

	um, err := e.gw.UpdateApiMapping(e.ctx, &agw.UpdateApiMappingInput{DomainName: &domain, ApiMappingId: &multiID, ApiId: &apiID,
		ApiMappingKey: aws.String("orders/v2")})
	e.must(err, "update api mapping")
	if aws.ToString(um.ApiMappingKey) != "orders/v2" || aws.ToString(um.Stage) != "prod" {
		t.Errorf("UpdateApiMapping = %+v", um)
	}
	_, err = e.gw.UpdateApiMapping(e.ctx, &agw.UpdateApiMappingInput{DomainName: &domain, ApiMappingId: &multiID, ApiId: &apiID,
		ApiMappingKey: aws.String("")})
	testenv.WantError(t, err, "ConflictException", "ApiMapping key already exists for this domain name")
	_, err = e.gw.UpdateApiMapping(e.ctx, &agw.UpdateApiMappingInput{DomainName: &domain, ApiMappingId: aws.String("nope"), ApiId: &apiID})
	testenv.WantError(t, err, "NotFoundException", "")

	// A domain maps APIs of one protocol type; WebSocket APIs take single-level keys only.
	ws, err := e.gw.CreateApi(e.ctx, &agw.CreateApiInput{Name: aws.String("ws"), ProtocolType: agwtypes.ProtocolTypeWebsocket,
		RouteSelectionExpression: aws.String("$request.body.action")})
	e.must(err, "create websocket api")
	_, err = e.gw.CreateStage(e.ctx, &agw.CreateStageInput{ApiId: ws.ApiId, StageName: aws.String("prod")})
	e.must(err, "create websocket stage")
	_, err = e.gw.CreateApiMapping(e.ctx, &agw.CreateApiMappingInput{DomainName: &domain, ApiMappingKey: aws.String("ws"),
		ApiId: ws.ApiId, Stage: aws.String("prod")})
	testenv.WantError(t, err, "BadRequestException", "")
	e.mapAPI("b.example.com", "ws", aws.ToString(ws.ApiId), "prod")
	_, err = e.gw.CreateApiMapping(e.ctx, &agw.CreateApiMappingInput{DomainName: aws.String("b.example.com"), ApiMappingKey: aws.String("a/b"),
		ApiId: ws.ApiId, Stage: aws.String("prod")})
	testenv.WantError(t, err, "BadRequestException", "API mappings with multiple levels are not supported for WebSocket APIs")

	// An API or stage a mapping uses cannot be deleted.
	_, err = e.gw.DeleteStage(e.ctx, &agw.DeleteStageInput{ApiId: &apiID, StageName: aws.String("prod")})
	testenv.WantError(t, err, "BadRequestException", "Deleting stage prod failed. Please remove all API mappings for the stage from your custom domain names.")
	_, err = e.gw.DeleteApi(e.ctx, &agw.DeleteApiInput{ApiId: &apiID})
	testenv.WantError(t, err, "BadRequestException", "Deleting API "+apiID+" failed. Please remove all API mappings for the API from your custom domain names.")

	_, err = e.gw.DeleteApiMapping(e.ctx, &agw.DeleteApiMappingInput{DomainName: &domain, ApiMappingId: &multiID})
	e.must(err, "delete api mapping")
	_, err = e.gw.DeleteApiMapping(e.ctx, &agw.DeleteApiMappingInput{DomainName: &domain, ApiMappingId: &multiID})
	testenv.WantError(t, err, "NotFoundException", "")
	_, err = e.gw.DeleteStage(e.ctx, &agw.DeleteStageInput{ApiId: &apiID, StageName: aws.String("prod")})
	e.must(err, "delete the stage no mapping uses")

	// Deleting the domain takes its mappings with it, and frees the API.
	_, err = e.gw.DeleteDomainName(e.ctx, &agw.DeleteDomainNameInput{DomainName: &domain})
	e.must(err, "delete domain name")
	_, err = e.gw.GetDomainName(e.ctx, &agw.GetDomainNameInput{DomainName: &domain})
	testenv.WantError(t, err, "NotFoundException", "")
	_, err = e.gw.DeleteDomainName(e.ctx, &agw.DeleteDomainNameInput{DomainName: &domain})
	testenv.WantError(t, err, "NotFoundException", "")
	_, err = e.gw.GetApiMappings(e.ctx, &agw.GetApiMappingsInput{DomainName: &domain})
	testenv.WantError(t, err, "NotFoundException", "")
	_, err = e.gw.DeleteApi(e.ctx, &agw.DeleteApiInput{ApiId: &apiID})
	e.must(err, "delete api")
}

func TestDomainNamesDataPlane(t *testing.T) {
	t.Parallel()
	e := newGwEnv(t)
	backend := echoBackend(t)

	// root: a quick-created API whose $default route forwards the path after /root.
	root, err := e.gw.CreateApi(e.ctx, &agw.CreateApiInput{Name: aws.String("root"), ProtocolType: agwtypes.ProtocolTypeHttp,
		Target: aws.String(backend.URL + "/root")})
	e.must(err, "create root api")
	rootID := aws.ToString(root.ApiId)
	// orders: a route with a greedy path variable, on a named stage.
	orders, err := e.gw.CreateApi(e.ctx, &agw.CreateApiInput{Name: aws.String("orders"), ProtocolType: agwtypes.ProtocolTypeHttp})
	e.must(err, "create orders api")
	ordersID := aws.ToString(orders.ApiId)
	integ, err := e.gw.CreateIntegration(e.ctx, &agw.CreateIntegrationInput{ApiId: &ordersID, IntegrationType: agwtypes.IntegrationTypeHttpProxy,
		IntegrationMethod: aws.String("ANY"), IntegrationUri: aws.String(backend.URL + "/orders/{proxy}"), PayloadFormatVersion: aws.String("1.0")})
	e.must(err, "create integration")
	_, err = e.gw.CreateRoute(e.ctx, &agw.CreateRouteInput{ApiId: &ordersID, RouteKey: aws.String("ANY /items/{proxy+}"),
		Target: aws.String("integrations/" + aws.ToString(integ.IntegrationId))})
	e.must(err, "create route")
	_, err = e.gw.CreateStage(e.ctx, &agw.CreateStageInput{ApiId: &ordersID, StageName: aws.String("live"), AutoDeploy: aws.Bool(true)})
	e.must(err, "create stage")
	// v2: under a multi-level key.
	v2, err := e.gw.CreateApi(e.ctx, &agw.CreateApiInput{Name: aws.String("v2"), ProtocolType: agwtypes.ProtocolTypeHttp,
		Target: aws.String(backend.URL + "/v2")})
	e.must(err, "create v2 api")
	v2ID := aws.ToString(v2.ApiId)

	e.createDomain("shop.example.com")
	e.mapAPI("shop.example.com", "", rootID, "$default")
	ordersMapping := e.mapAPI("shop.example.com", "orders", ordersID, "live")
	e.mapAPI("shop.example.com", "orders/v2/items", v2ID, "$default")

	get := func(host, path string) (int, echo, string) {
		t.Helper()
		status, _, body := e.call("GET", e.s.URL+path, map[string]string{"Host": host})
		var got echo
		_ = json.Unmarshal([]byte(body), &got)
		return status, got, body
	}
	for _, c := range []struct{ host, path, backend string }{
		{"shop.example.com", "/anything/else?q=1", "/root/anything/else"},
		{"shop.example.com", "/", "/root/"},
		{"SHOP.Example.COM:8443", "/x", "/root/x"},                        // port stripped, case ignored
		{"shop.example.com", "/orders/items/42/a", "/orders/42/a"},        // the mapped stage, no stage segment
		{"shop.example.com", "/ordersx/items/1", "/root/ordersx/items/1"}, // keys match whole levels
		{"shop.example.com", "/orders/v2/items", "/v2/"},                  // the longest key wins
		{"shop.example.com", "/orders/v2/items/7", "/v2/7"},
		{"shop.example.com", "/orders/v2/itemsX/7", ""}, // under orders, which has no such route
	} {
		status, got, body := get(c.host, c.path)
		if c.backend == "" {
			if status != 404 || body != `{"message":"Not Found"}` {
				t.Errorf("%s %s: %d %s, want 404", c.host, c.path, status, body)
			}
			continue
		}
		if status != 200 || got.Path != c.backend {
			t.Errorf("%s %s: %d %s, want the backend to see %s", c.host, c.path, status, body, c.backend)
		}
	}
	if _, got, _ := get("shop.example.com", "/anything?q=1"); got.Query != "q=1" {
		t.Errorf("query = %q", got.Query)
	}

	// A domain without a root mapping answers Not Found for paths no key matches.
	e.createDomain("partial.example.com")
	e.mapAPI("partial.example.com", "v1", rootID, "$default")
	if status, got, _ := get("partial.example.com", "/v1/a"); status != 200 || got.Path != "/root/a" {
		t.Errorf("partial /v1/a: %d %+v", status, got)
	}
	if status, _, body := get("partial.example.com", "/v2/a"); status != 404 || body != `{"message":"Not Found"}` {
		t.Errorf("partial /v2/a: %d %s", status, body)
	}

	// Disabling the execute-api endpoint leaves the custom domain serving.
	_, err = e.gw.UpdateApi(e.ctx, &agw.UpdateApiInput{ApiId: &rootID, DisableExecuteApiEndpoint: aws.Bool(true)})
	e.must(err, "disable execute-api endpoint")
	if status, _, _ := e.call("GET", e.s.URL+"/x", map[string]string{"Host": rootID + ".execute-api.localhost"}); status != 403 {
		t.Errorf("execute-api endpoint after disabling: %d", status)
	}
	if status, got, _ := get("shop.example.com", "/x"); status != 200 || got.Path != "/root/x" {
		t.Errorf("custom domain after disabling the endpoint: %d %+v", status, got)
	}

	// Mapping changes take effect at once.
	_, err = e.gw.UpdateApiMapping(e.ctx, &agw.UpdateApiMappingInput{DomainName: aws.String("shop.example.com"), ApiMappingId: &ordersMapping,
		ApiId: &ordersID, ApiMappingKey: aws.String("shop/orders")})
	e.must(err, "update mapping")
	if status, got, _ := get("shop.example.com", "/shop/orders/items/9"); status != 200 || got.Path != "/orders/9" {
		t.Errorf("after moving the mapping: %d %+v", status, got)
	}
	if status, got, _ := get("shop.example.com", "/orders/items/9"); status != 200 || got.Path != "/root/orders/items/9" {
		t.Errorf("old key after moving the mapping: %d %+v", status, got)
	}
	_, err = e.gw.DeleteDomainName(e.ctx, &agw.DeleteDomainNameInput{DomainName: aws.String("partial.example.com")})
	e.must(err, "delete domain")
	if status, _, body := get("partial.example.com", "/v1/a"); status == 200 {
		t.Errorf("deleted domain still served: %d %s", status, body)
	}
}

func TestGatewayWebSocketOnlyResources(t *testing.T) {
	t.Parallel()
	e := newGwEnv(t)
	httpAPI, err := e.gw.CreateApi(e.ctx, &agw.CreateApiInput{Name: aws.String("http"), ProtocolType: agwtypes.ProtocolTypeHttp,
		Target: aws.String("https://backend.example.com")})
	e.must(err, "create http api")
	hid := httpAPI.ApiId
	routes, err := e.gw.GetRoutes(e.ctx, &agw.GetRoutesInput{ApiId: hid})
	e.must(err, "get routes")
	integs, err := e.gw.GetIntegrations(e.ctx, &agw.GetIntegrationsInput{ApiId: hid})
	e.must(err, "get integrations")
	rid, iid := routes.Items[0].RouteId, integs.Items[0].IntegrationId

	// On an HTTP API every one of these operations is a BadRequestException; on a missing API,
	// a NotFoundException.
	const (
		rrMsg = "Route responses are supported only for WebSocket APIs."
		irMsg = "Integration responses are supported only for WebSocket APIs."
		mMsg  = "Models are supported only for WebSocket APIs."
	)
	abc := aws.String("abc")
	for i, c := range []struct {
		msg string
		do  func(api *string) error
	}{
		{rrMsg, func(api *string) error {
			_, err := e.gw.CreateRouteResponse(e.ctx, &agw.CreateRouteResponseInput{ApiId: api, RouteId: rid, RouteResponseKey: aws.String("$default")})
			return err
		}},
		{rrMsg, func(api *string) error {
			_, err := e.gw.GetRouteResponses(e.ctx, &agw.GetRouteResponsesInput{ApiId: api, RouteId: rid})
			return err
		}},
		{rrMsg, func(api *string) error {
			_, err := e.gw.GetRouteResponse(e.ctx, &agw.GetRouteResponseInput{ApiId: api, RouteId: rid, RouteResponseId: abc})
			return err
		}},
		{rrMsg, func(api *string) error {
			_, err := e.gw.UpdateRouteResponse(e.ctx, &agw.UpdateRouteResponseInput{ApiId: api, RouteId: rid, RouteResponseId: abc})
			return err
		}},
		{rrMsg, func(api *string) error {
			_, err := e.gw.DeleteRouteResponse(e.ctx, &agw.DeleteRouteResponseInput{ApiId: api, RouteId: rid, RouteResponseId: abc})
			return err
		}},
		{irMsg, func(api *string) error {
			_, err := e.gw.CreateIntegrationResponse(e.ctx, &agw.CreateIntegrationResponseInput{ApiId: api, IntegrationId: iid,
				IntegrationResponseKey: aws.String("$default")})
			return err
		}},
		{irMsg, func(api *string) error {
			_, err := e.gw.GetIntegrationResponses(e.ctx, &agw.GetIntegrationResponsesInput{ApiId: api, IntegrationId: iid})
			return err
		}},
		{irMsg, func(api *string) error {
			_, err := e.gw.GetIntegrationResponse(e.ctx, &agw.GetIntegrationResponseInput{ApiId: api, IntegrationId: iid, IntegrationResponseId: abc})
			return err
		}},
		{irMsg, func(api *string) error {
			_, err := e.gw.UpdateIntegrationResponse(e.ctx, &agw.UpdateIntegrationResponseInput{ApiId: api, IntegrationId: iid, IntegrationResponseId: abc})
			return err
		}},
		{irMsg, func(api *string) error {
			_, err := e.gw.DeleteIntegrationResponse(e.ctx, &agw.DeleteIntegrationResponseInput{ApiId: api, IntegrationId: iid, IntegrationResponseId: abc})
			return err
		}},
		{mMsg, func(api *string) error {
			_, err := e.gw.CreateModel(e.ctx, &agw.CreateModelInput{ApiId: api, Name: aws.String("Pet"), Schema: aws.String("{}")})
			return err
		}},
		{mMsg, func(api *string) error { _, err := e.gw.GetModels(e.ctx, &agw.GetModelsInput{ApiId: api}); return err }},
		{mMsg, func(api *string) error {
			_, err := e.gw.GetModel(e.ctx, &agw.GetModelInput{ApiId: api, ModelId: abc})
			return err
		}},
		{mMsg, func(api *string) error {
			_, err := e.gw.UpdateModel(e.ctx, &agw.UpdateModelInput{ApiId: api, ModelId: abc})
			return err
		}},
		{mMsg, func(api *string) error {
			_, err := e.gw.DeleteModel(e.ctx, &agw.DeleteModelInput{ApiId: api, ModelId: abc})
			return err
		}},
	} {
		t.Logf("call %d", i)
		testenv.WantError(t, c.do(hid), "BadRequestException", c.msg)
		testenv.WantError(t, c.do(aws.String("nope")), "NotFoundException", "Invalid API identifier specified 000000000000:nope")
	}

	// A WebSocket API keeps them.
	ws, err := e.gw.CreateApi(e.ctx, &agw.CreateApiInput{Name: aws.String("ws"), ProtocolType: agwtypes.ProtocolTypeWebsocket,
		RouteSelectionExpression: aws.String("$request.body.action")})
	e.must(err, "create websocket api")
	wid := ws.ApiId
	wr, err := e.gw.CreateRoute(e.ctx, &agw.CreateRouteInput{ApiId: wid, RouteKey: aws.String("$connect")})
	e.must(err, "create websocket route")
	rr, err := e.gw.CreateRouteResponse(e.ctx, &agw.CreateRouteResponseInput{ApiId: wid, RouteId: wr.RouteId, RouteResponseKey: aws.String("$default")})
	e.must(err, "create route response")
	if aws.ToString(rr.RouteResponseKey) != "$default" || aws.ToString(rr.RouteResponseId) == "" {
		t.Errorf("CreateRouteResponse = %+v", rr)
	}
	_, err = e.gw.UpdateRouteResponse(e.ctx, &agw.UpdateRouteResponseInput{ApiId: wid, RouteId: wr.RouteId, RouteResponseId: rr.RouteResponseId,
		ModelSelectionExpression: aws.String("$default")})
	e.must(err, "update route response")
	grr, err := e.gw.GetRouteResponse(e.ctx, &agw.GetRouteResponseInput{ApiId: wid, RouteId: wr.RouteId, RouteResponseId: rr.RouteResponseId})
	e.must(err, "get route response")
	if aws.ToString(grr.ModelSelectionExpression) != "$default" || aws.ToString(grr.RouteResponseKey) != "$default" {
		t.Errorf("GetRouteResponse = %+v", grr)
	}
	rrs, err := e.gw.GetRouteResponses(e.ctx, &agw.GetRouteResponsesInput{ApiId: wid, RouteId: wr.RouteId})
	e.must(err, "get route responses")
	if len(rrs.Items) != 1 {
		t.Errorf("GetRouteResponses = %+v", rrs.Items)
	}
	_, err = e.gw.GetRouteResponses(e.ctx, &agw.GetRouteResponsesInput{ApiId: wid, RouteId: aws.String("nope")})
	testenv.WantError(t, err, "NotFoundException", "Invalid Route identifier specified nope")
	_, err = e.gw.DeleteRouteResponse(e.ctx, &agw.DeleteRouteResponseInput{ApiId: wid, RouteId: wr.RouteId, RouteResponseId: rr.RouteResponseId})
	e.must(err, "delete route response")
	_, err = e.gw.GetRouteResponse(e.ctx, &agw.GetRouteResponseInput{ApiId: wid, RouteId: wr.RouteId, RouteResponseId: rr.RouteResponseId})
	testenv.WantError(t, err, "NotFoundException", "Invalid RouteResponse identifier specified "+aws.ToString(rr.RouteResponseId))

	wi, err := e.gw.CreateIntegration(e.ctx, &agw.CreateIntegrationInput{ApiId: wid, IntegrationType: agwtypes.IntegrationTypeMock})
	e.must(err, "create websocket integration")
	ir, err := e.gw.CreateIntegrationResponse(e.ctx, &agw.CreateIntegrationResponseInput{ApiId: wid, IntegrationId: wi.IntegrationId,
		IntegrationResponseKey: aws.String("$default"), ResponseTemplates: map[string]string{"$default": "{}"}})
	e.must(err, "create integration response")
	_, err = e.gw.UpdateIntegrationResponse(e.ctx, &agw.UpdateIntegrationResponseInput{ApiId: wid, IntegrationId: wi.IntegrationId,
		IntegrationResponseId: ir.IntegrationResponseId, TemplateSelectionExpression: aws.String("\\$default")})
	e.must(err, "update integration response")
	irs, err := e.gw.GetIntegrationResponses(e.ctx, &agw.GetIntegrationResponsesInput{ApiId: wid, IntegrationId: wi.IntegrationId})
	e.must(err, "get integration responses")
	if len(irs.Items) != 1 || irs.Items[0].ResponseTemplates["$default"] != "{}" || aws.ToString(irs.Items[0].TemplateSelectionExpression) != "\\$default" {
		t.Errorf("GetIntegrationResponses = %+v", irs.Items)
	}
	_, err = e.gw.GetIntegrationResponse(e.ctx, &agw.GetIntegrationResponseInput{ApiId: wid, IntegrationId: wi.IntegrationId,
		IntegrationResponseId: ir.IntegrationResponseId})
	e.must(err, "get integration response")
	_, err = e.gw.DeleteIntegrationResponse(e.ctx, &agw.DeleteIntegrationResponseInput{ApiId: wid, IntegrationId: wi.IntegrationId,
		IntegrationResponseId: ir.IntegrationResponseId})
	e.must(err, "delete integration response")

	mod, err := e.gw.CreateModel(e.ctx, &agw.CreateModelInput{ApiId: wid, Name: aws.String("Pet"), Schema: aws.String(`{"type":"object"}`),
		ContentType: aws.String("application/json")})
	e.must(err, "create model")
	_, err = e.gw.CreateModel(e.ctx, &agw.CreateModelInput{ApiId: wid, Name: aws.String("Pet"), Schema: aws.String("{}")})
	testenv.WantError(t, err, "ConflictException", "")
	_, err = e.gw.CreateModel(e.ctx, &agw.CreateModelInput{ApiId: wid, Name: aws.String("not ok"), Schema: aws.String("{}")})
	testenv.WantError(t, err, "BadRequestException", "")
	um, err := e.gw.UpdateModel(e.ctx, &agw.UpdateModelInput{ApiId: wid, ModelId: mod.ModelId, Description: aws.String("a pet")})
	e.must(err, "update model")
	if aws.ToString(um.Name) != "Pet" || aws.ToString(um.Description) != "a pet" || aws.ToString(um.Schema) != `{"type":"object"}` {
		t.Errorf("UpdateModel = %+v", um)
	}
	gmod, err := e.gw.GetModel(e.ctx, &agw.GetModelInput{ApiId: wid, ModelId: mod.ModelId})
	e.must(err, "get model")
	if aws.ToString(gmod.ContentType) != "application/json" {
		t.Errorf("GetModel = %+v", gmod)
	}
	mods, err := e.gw.GetModels(e.ctx, &agw.GetModelsInput{ApiId: wid})
	e.must(err, "get models")
	if len(mods.Items) != 1 {
		t.Errorf("GetModels = %+v", mods.Items)
	}
	_, err = e.gw.DeleteModel(e.ctx, &agw.DeleteModelInput{ApiId: wid, ModelId: mod.ModelId})
	e.must(err, "delete model")
	_, err = e.gw.DeleteModel(e.ctx, &agw.DeleteModelInput{ApiId: wid, ModelId: mod.ModelId})
	testenv.WantError(t, err, "NotFoundException", "Invalid Model identifier specified "+aws.ToString(mod.ModelId))
}
