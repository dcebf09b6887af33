package openapi

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/gateway"
)

func ptr[T any](v T) *T { return &v }

// lambda is an AWS_PROXY integration with Import's defaults.
func lambda(ref, fn, pfv string) Integration {
	return Integration{Ref: ref, Integration: gateway.Integration{
		IntegrationType: "AWS_PROXY", IntegrationMethod: "POST", PayloadFormatVersion: pfv,
		IntegrationUri: "arn:aws:lambda:us-east-1:123456789012:function:" + fn,
		ConnectionType: "INTERNET", TimeoutInMillis: 30000,
	}}
}

// httpProxy is an HTTP_PROXY integration with Import's defaults.
func httpProxy(ref, method, uri string) Integration {
	return Integration{Ref: ref, Integration: gateway.Integration{
		IntegrationType: "HTTP_PROXY", IntegrationMethod: method, PayloadFormatVersion: "1.0",
		IntegrationUri: uri, ConnectionType: "INTERNET", TimeoutInMillis: 30000,
	}}
}

func jwtAuthorizer(name, issuer string, aud ...string) Authorizer {
	return Authorizer{Ref: name, Authorizer: gateway.Authorizer{
		Name: name, AuthorizerType: "JWT", IdentitySource: []string{"$request.header.Authorization"},
		JwtConfiguration: &gateway.JWTConfiguration{Issuer: issuer, Audience: aud},
	}}
}

func none(key, integration string) Route {
	return Route{RouteKey: key, Integration: integration, AuthorizationType: AuthNone}
}

var cmpDef = cmpopts.EquateEmpty()

// petstore is what testdata/import/petstore.{json,yaml} import as.
var petstore = &Definition{
	Name:        "Pet Store",
	Version:     "1.0",
	Description: "A pet store: \"quoted\" and ünïcode.",
	Cors: &gateway.Cors{
		AllowOrigins:     []string{"https://www.example.com"},
		AllowCredentials: ptr(true),
		AllowMethods:     []string{"GET", "OPTIONS", "POST"},
		AllowHeaders:     []string{"authorization", "content-type"},
		ExposeHeaders:    []string{"x-request-id"},
		MaxAge:           ptr(3600),
	},
	Tags: map[string]string{"Owner": "Admin", "Prod": ""},
	Routes: []Route{
		{RouteKey: "GET /pets", Integration: "GET /pets", AuthorizationType: AuthJWT, Authorizer: "cognito",
			AuthorizationScopes: []string{"pets/read"}, OperationName: "listPets"},
		{RouteKey: "POST /pets", Integration: "backend", AuthorizationType: AuthJWT, Authorizer: "cognito",
			AuthorizationScopes: []string{"pets/write"}, OperationName: "createPet"},
		none("GET /pets/{petId}", "backend"),
		{RouteKey: "DELETE /pets/{petId}", Integration: "backend", AuthorizationType: AuthCustom, Authorizer: "lambda-authorizer"},
		{RouteKey: "ANY /admin/{proxy+}", Integration: "ANY /admin/{proxy+}", AuthorizationType: AuthIAM},
		none("$default", "$default"),
	},
	Integrations: []Integration{
		lambda("backend", "pets", "2.0"),
		lambda("spare", "spare", "2.0"),
		func() Integration {
			in := httpProxy("GET /pets", "GET", "https://petstore.example.com/pets")
			in.RequestParameters = map[string]string{"append:header.x-source": "$context.requestId"}
			in.ResponseParameters = map[string]map[string]string{"200": {"overwrite:header.cache-control": "max-age=60"}}
			in.TimeoutInMillis = 5000
			return in
		}(),
		func() Integration {
			in := httpProxy("ANY /admin/{proxy+}", "ANY", "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/lb/1/2")
			in.ConnectionType, in.ConnectionId = "VPC_LINK", "vpclink1"
			in.TlsConfig = &gateway.TlsConfig{ServerNameToVerify: "admin.example.com"}
			return in
		}(),
		lambda("$default", "fallback", "1.0"),
	},
	Authorizers: []Authorizer{
		jwtAuthorizer("cognito", "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc", "client1", "client2"),
		{Ref: "lambda-authorizer", Authorizer: gateway.Authorizer{
			Name: "lambda-authorizer", AuthorizerType: "REQUEST",
			AuthorizerUri:                  "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations",
			AuthorizerPayloadFormatVersion: "2.0", EnableSimpleResponses: ptr(true),
			AuthorizerResultTtlInSeconds: ptr(300),
			IdentitySource:               []string{"$request.header.Authorization", "$context.routeKey"},
		}},
	},
	ImportInfo: []string{"paths.'/pets'(post).requestBody was ignored: HTTP APIs do not support request validation"},
}

func TestImportPetstoreJSONAndYAML(t *testing.T) {
	for _, file := range []string{"petstore.json", "petstore.yaml"} {
		t.Run(file, func(t *testing.T) {
			body, err := os.ReadFile("testdata/import/" + file)
			if err != nil {
				t.Fatal(err)
			}
			def, warnings, err := Import(body)
			if err != nil {
				t.Fatal(err)
			}
			if len(warnings) != 0 {
				t.Errorf("warnings: %q", warnings)
			}
			if d := cmp.Diff(petstore, def, cmpDef); d != "" {
				t.Errorf("definition (-want +got):\n%s", d)
			}
		})
	}
}

func TestImport(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		opts     ImportOptions
		want     *Definition
		warnings []string
	}{
		{
			name: "json minimal with numeric versions",
			body: `{"openapi": "3.0.1", "info": {"title": "t", "version": 2.0}, "paths": {"/": {"get": {
				"x-amazon-apigateway-integration": {"type": "HTTP_PROXY", "httpMethod": "GET",
				"uri": "https://example.com", "payloadFormatVersion": 1.0}}}}}`,
			want: &Definition{Name: "t", Version: "2.0", Routes: []Route{none("GET /", "GET /")},
				Integrations: []Integration{httpProxy("GET /", "GET", "https://example.com")}},
		},
		{
			name: "yaml numbers and escaped slash-free json",
			body: "openapi: 3.0.1\ninfo:\n  title: t\n  version: 3\npaths:\n  /a:\n    post:\n      x-amazon-apigateway-integration:\n        type: aws_proxy\n        uri: arn:aws:lambda:us-east-1:123456789012:function:f\n        payloadFormatVersion: 2\n",
			want: &Definition{Name: "t", Version: "3", Routes: []Route{none("POST /a", "POST /a")},
				Integrations: []Integration{lambda("POST /a", "f", "2.0")}},
		},
		{
			name: "json escapes",
			body: `{"openapi": "3.0.1", "info": {"title": "a\/b \u00e9", "version": "1"}, "paths": {}}`,
			want: &Definition{Name: "a/b é", Version: "1"},
		},
		{
			name: "any method and $default by path and by isDefaultRoute",
			body: `openapi: "3.0.1"
info: {title: t, version: "1"}
paths:
  /items/{proxy+}:
    x-amazon-apigateway-any-method:
      x-amazon-apigateway-integration: {type: aws_proxy, uri: "arn:aws:lambda:us-east-1:123456789012:function:f", payloadFormatVersion: "2.0"}
  /$default:
    x-amazon-apigateway-any-method:
      x-amazon-apigateway-integration: {type: aws_proxy, uri: "arn:aws:lambda:us-east-1:123456789012:function:g", payloadFormatVersion: "2.0"}
  /other:
    x-amazon-apigateway-any-method:
      isDefaultRoute: true
`,
			want: &Definition{Name: "t", Version: "1",
				Routes:       []Route{none("ANY /items/{proxy+}", "ANY /items/{proxy+}"), none("$default", "$default")},
				Integrations: []Integration{lambda("ANY /items/{proxy+}", "f", "2.0"), lambda("$default", "g", "2.0")}},
			warnings: []string{"Duplicate route '$default'. Ignoring."},
		},
		{
			name: "document security applies, operation overrides, openIdConnect issuer",
			body: `openapi: 3.0.1
info: {title: t, version: "1"}
security:
- oidc: [read]
paths:
  /a:
    get: {}
    post:
      security: []
    put:
      security:
      - {}
components:
  securitySchemes:
    oidc:
      type: openIdConnect
      openIdConnectUrl: https://issuer.example.com/pool/.well-known/openid-configuration
      x-amazon-apigateway-authorizer:
        type: jwt
        identitySource: $request.header.Authorization
        jwtConfiguration: {audience: [aud]}
`,
			want: &Definition{Name: "t", Version: "1",
				Routes: []Route{
					{RouteKey: "GET /a", AuthorizationType: AuthJWT, Authorizer: "oidc", AuthorizationScopes: []string{"read"}},
					none("POST /a", ""), none("PUT /a", ""),
				},
				Authorizers: []Authorizer{jwtAuthorizer("oidc", "https://issuer.example.com/pool", "aud")}},
		},
		{
			name: "basepath prepend",
			opts: ImportOptions{Basepath: "prepend"},
			body: `{"openapi": "3.0.1", "info": {"title": "t", "version": "1"},
				"servers": [{"url": "https://api.example.com/{stage}/v1/", "variables": {"stage": {"default": "prod"}}}],
				"paths": {"/": {"get": {}}, "/a": {"get": {}}, "/$default": {"x-amazon-apigateway-any-method": {}}}}`,
			want: &Definition{Name: "t", Version: "1", Routes: []Route{
				none("GET /prod/v1", ""), none("GET /prod/v1/a", ""), none("$default", "")}},
		},
		{
			name: "basepath split",
			opts: ImportOptions{Basepath: "split"},
			body: `{"openapi": "3.0.1", "info": {"title": "t", "version": "1"},
				"servers": [{"url": "/prod/v1"}], "paths": {"/a": {"get": {}}}}`,
			want: &Definition{Name: "t", Version: "1", Routes: []Route{none("GET /v1/a", "")}},
		},
		{
			name: "basepath ignore",
			body: `{"openapi": "3.0.1", "info": {"title": "t", "version": "1"},
				"servers": [{"url": "/prod/v1"}], "paths": {"/a": {"get": {}}}}`,
			want: &Definition{Name: "t", Version: "1", Routes: []Route{none("GET /a", "")}},
		},
		{
			name: "unsupported constructs are warnings or info",
			body: `openapi: 3.0.1
info: {title: t, version: "1"}
host: example.com
x-amazon-apigateway-binary-media-types: ["*/*"]
x-amazon-apigateway-importexport-version: "2.0"
paths:
  $default:
    x-amazon-apigateway-any-method: {}
  pets:
    get: {}
  /rest:
    get:
      x-amazon-apigateway-integration:
        type: aws
        uri: arn:aws:lambda:us-east-1:123456789012:function:f
  /none:
    get:
      x-amazon-apigateway-integration: {}
    trace: {}
    x-amazon-apigateway-integration: {type: aws_proxy, uri: "arn:aws:lambda:us-east-1:123456789012:function:f"}
  /bad/{id}.json:
    get: {}
  /auth:
    get:
      security: [{nowhere: []}]
    put:
      security: [{plain: []}]
    post:
      security: [{lambda: [scope1]}]
    delete:
      x-amazon-apigateway-integration:
        $ref: '#/components/x-amazon-apigateway-integrations/missing'
    patch:
      x-amazon-apigateway-integration:
        type: http_proxy
        httpMethod: GET
        uri: https://example.com
        passthroughBehavior: when_no_match
        bogus: 1
        timeoutInMillis: soon
components:
  securitySchemes:
    plain: {type: apiKey, name: x-api-key, in: header}
    lambda:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authorizer:
        type: request
        authorizerUri: arn:aws:lambda:us-east-1:123456789012:function:auth
        authorizerPayloadFormatVersion: "2.0"
        authorizerResultTtlInSeconds: "0"
    cognito:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authorizer: {type: cognito_user_pools}
`,
			want: &Definition{Name: "t", Version: "1",
				Routes: []Route{
					none("$default", ""), none("GET /rest", ""), none("GET /none", ""),
					none("GET /auth", ""), none("PUT /auth", ""),
					{RouteKey: "POST /auth", AuthorizationType: AuthCustom, Authorizer: "lambda"},
					none("DELETE /auth", ""), none("PATCH /auth", "PATCH /auth"),
				},
				Integrations: []Integration{httpProxy("PATCH /auth", "GET", "https://example.com")},
				Authorizers: []Authorizer{{Ref: "lambda", Authorizer: gateway.Authorizer{
					Name: "lambda", AuthorizerType: "REQUEST", AuthorizerUri: "arn:aws:lambda:us-east-1:123456789012:function:auth",
					AuthorizerPayloadFormatVersion: "2.0", AuthorizerResultTtlInSeconds: ptr(0)}}},
				ImportInfo: []string{
					"x-amazon-apigateway-binary-media-types is not supported for HTTP APIs and was ignored",
					"paths.'/auth'(patch).x-amazon-apigateway-integration.passthroughBehavior is not supported for HTTP APIs and was ignored",
				},
			},
			warnings: []string{
				"Parse issue: attribute host is unexpected",
				"Unsupported x-amazon-apigateway-importexport-version 2.0: the only supported version is 1.0",
				"Unable to create Authorizer 'cognito': authorizer type 'cognito_user_pools' is not supported for HTTP APIs; use jwt or request",
				"Parse issue: attribute paths. Resource $default should start with /",
				"Parse issue: attribute paths. Resource pets should start with /",
				"Unknown integration type 'aws' for 'GET /rest'. Ignoring.",
				"Unknown integration type 'null' for 'GET /none'. Ignoring.",
				"Unable to create route 'TRACE /none': HTTP APIs do not support the TRACE method. Ignoring.",
				"paths.'/none'.x-amazon-apigateway-integration is ignored: integrations belong to operations",
				"Unable to create route 'GET /bad/{id}.json': One or more path parts appear to be invalid. Parts are validated against this regular expression: ^(\\{[\\w.:-]+\\+?\\}|[a-zA-Z0-9.:_-]+)$. Ignoring.",
				"Security scheme 'nowhere' used by 'GET /auth' is not defined in components.securitySchemes. Ignoring.",
				"Security scheme 'plain' used by 'PUT /auth' has no usable x-amazon-apigateway-authorizer. Ignoring.",
				"Authorization Scopes are only valid for COGNITO_USER_POOLS and JWT authorization types; the scopes of 'POST /auth' were ignored",
				"Unable to resolve integration reference '#/components/x-amazon-apigateway-integrations/missing' for 'DELETE /auth'. Ignoring.",
				"Parse issue: attribute paths.'/auth'(patch).x-amazon-apigateway-integration.bogus is unexpected",
				"Parse issue: attribute paths.'/auth'(patch).x-amazon-apigateway-integration.timeoutInMillis is not of type `integer`",
			},
		},
		{
			name: "missing info and paths, wrong types",
			body: `{"openapi": "3.0.0", "x-amazon-apigateway-cors": {"allowOrigins": "*", "allow_methods": ["GET"]}}`,
			want: &Definition{Cors: &gateway.Cors{}},
			warnings: []string{
				"Parse issue: attribute x-amazon-apigateway-cors.allow_methods is unexpected",
				"Parse issue: attribute x-amazon-apigateway-cors.allowOrigins is not of type `array`",
				"Parse issue: attribute info is missing",
				"Parse issue: attribute paths is missing",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			def, warnings, err := ImportWithOptions([]byte(tt.body), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, def, cmpDef); d != "" {
				t.Errorf("definition (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tt.warnings, warnings, cmpDef); d != "" {
				t.Errorf("warnings (-want +got):\n%s", d)
			}
		})
	}
}

func TestImportErrors(t *testing.T) {
	deep := strings.Repeat("[", 200) + strings.Repeat("]", 200)
	tests := []struct {
		name, body string
		opts       ImportOptions
		msg        string
	}{
		{"empty", "", ImportOptions{}, MsgInvalidInput},
		{"malformed json", `{"openapi": "3.0.1",}`, ImportOptions{}, MsgInvalidInput},
		{"trailing json", `{"openapi": "3.0.1"} {}`, ImportOptions{}, MsgInvalidInput},
		{"duplicate json key", `{"openapi": "3.0.1", "openapi": "3.0.2"}`, ImportOptions{}, MsgInvalidInput},
		{"malformed yaml", "openapi: [3.0.1\n", ImportOptions{}, MsgInvalidInput},
		{"yaml scalar", "just a string", ImportOptions{}, MsgInvalidInput},
		{"yaml array", "- openapi: 3.0.1", ImportOptions{}, MsgInvalidInput},
		{"too deep", `{"openapi": "3.0.1", "x-deep": ` + deep + `}`, ImportOptions{}, MsgInvalidInput},
		{"too large", `{"openapi": "3.0.1", "x": "` + strings.Repeat("a", MaxBodySize) + `"}`, ImportOptions{}, MsgTooLarge},
		{"swagger 2.0", `{"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}}`, ImportOptions{},
			"Errors found during import:\n\tUnsupported OpenAPI version swagger 2.0: HTTP APIs support only OpenAPI 3.0 definitions"},
		{"no version", `{"info": {"title": "t"}}`, ImportOptions{},
			"Errors found during import:\n\tParse issue: attribute openapi is missing"},
		{"openapi 3.1", "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n", ImportOptions{},
			"Errors found during import:\n\tUnsupported OpenAPI version openapi 3.1.0: HTTP APIs support only OpenAPI 3.0 definitions"},
		{"two security requirements", `openapi: 3.0.1
info: {title: t, version: "1"}
paths:
  /a:
    get:
      security: [{a: []}, {b: []}]
`, ImportOptions{}, "Errors found during import:\n\tRoute 'GET /a' has more than one security requirement; an HTTP API route supports only one of IAM authorization, a Lambda authorizer or a JWT authorizer"},
		{"bad basepath option", `{"openapi": "3.0.1"}`, ImportOptions{Basepath: "keep"},
			"Invalid basepath keep: valid values are ignore, prepend and split"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			def, _, err := ImportWithOptions([]byte(tt.body), tt.opts)
			if err == nil {
				t.Fatalf("no error; definition %+v", def)
			}
			e, ok := awserr.As(err)
			if !ok || e.Type != "BadRequestException" || e.Message != tt.msg {
				t.Errorf("error = %v, want BadRequestException: %s", err, tt.msg)
			}
		})
	}
}

func TestImportAliasBomb(t *testing.T) {
	// Nine levels of nine aliases would be 9^9 nodes when expanded.
	var b strings.Builder
	b.WriteString("openapi: 3.0.1\na0: &a0 [x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 10; i++ {
		p := "*a" + string(rune('0'+i-1))
		b.WriteString("a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [" +
			strings.TrimSuffix(strings.Repeat(p+", ", 9), ", ") + "]\n")
	}
	_, _, err := Import([]byte(b.String()))
	if e, ok := awserr.As(err); !ok || e.Message != MsgInvalidInput {
		t.Errorf("error = %v, want %s", err, MsgInvalidInput)
	}
}

func TestWarningsError(t *testing.T) {
	err := WarningsError([]string{"first", "second"})
	e, ok := awserr.As(err)
	if !ok || e.Type != "BadRequestException" || e.Message != "Warnings found during import:\n\tfirst\n\tsecond" {
		t.Errorf("WarningsError = %v", err)
	}
}
