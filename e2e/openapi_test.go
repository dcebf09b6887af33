package e2e

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	agw "github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	agwtypes "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/gatehouse-dev/gatehouse/internal/testenv"
)

const petstoreYAML = `openapi: 3.0.1
info:
  title: petstore
  version: "1.0"
paths:
  /pets:
    get:
      operationId: listPets
      security:
        - cognito: [pets/read]
      x-amazon-apigateway-integration:
        type: http_proxy
        httpMethod: GET
        uri: BACKEND/pets
        payloadFormatVersion: "1.0"
  /pets/{id}:
    get:
      x-amazon-apigateway-integration:
        type: http_proxy
        httpMethod: GET
        uri: BACKEND/pets/{id}
        payloadFormatVersion: "1.0"
components:
  securitySchemes:
    cognito:
      type: oauth2
      flows: {}
      x-amazon-apigateway-authorizer:
        type: jwt
        identitySource: $request.header.Authorization
        jwtConfiguration:
          issuer: https://cognito-idp.us-east-1.amazonaws.com/us-east-1_example
          audience: [client1]
x-amazon-apigateway-cors:
  allowOrigins: ["https://app.example.com"]
  allowMethods: [GET]
`

func TestHTTPAPIImportExport(t *testing.T) {
	t.Parallel()
	e := newGwEnv(t)
	backend := echoBackend(t)
	doc := strings.ReplaceAll(petstoreYAML, "BACKEND", backend.URL)
	api, err := e.gw.ImportApi(e.ctx, &agw.ImportApiInput{Body: aws.String(doc)})
	e.must(err, "import api")
	id := aws.ToString(api.ApiId)
	if aws.ToString(api.Name) != "petstore" || aws.ToString(api.Version) != "1.0" || api.CorsConfiguration == nil {
		t.Fatalf("ImportApi = %+v", api)
	}
	routes, err := e.gw.GetRoutes(e.ctx, &agw.GetRoutesInput{ApiId: &id})
	e.must(err, "get routes")
	keys := map[string]agwtypes.Route{}
	for _, r := range routes.Items {
		keys[aws.ToString(r.RouteKey)] = r
	}
	if r, ok := keys["GET /pets"]; !ok || r.AuthorizationType != agwtypes.AuthorizationTypeJwt || len(r.AuthorizationScopes) != 1 ||
		aws.ToString(r.OperationName) != "listPets" {
		t.Errorf("GET /pets = %+v", r)
	}
	if _, ok := keys["GET /pets/{id}"]; !ok || len(keys) != 2 {
		t.Errorf("routes = %v", keys)
	}

	// The imported API serves requests once it has a stage.
	_, err = e.gw.CreateStage(e.ctx, &agw.CreateStageInput{ApiId: &id, StageName: aws.String("$default"), AutoDeploy: aws.Bool(true)})
	e.must(err, "create stage")
	if status, _, body := e.call("GET", e.s.URL+"/_aws/execute-api/"+id+"/pets/7", nil); status != 200 || !strings.Contains(body, `"/pets/7"`) {
		t.Errorf("imported route: %d %s", status, body)
	}
	if status, _, _ := e.call("GET", e.s.URL+"/_aws/execute-api/"+id+"/pets", nil); status != 401 {
		t.Errorf("imported JWT route without a token: %d", status)
	}

	// Export, then import the export: the same routes come back.
	for _, typ := range []string{"YAML", "JSON"} {
		out, err := e.gw.ExportApi(e.ctx, &agw.ExportApiInput{ApiId: &id, Specification: aws.String("OAS30"), OutputType: aws.String(typ)})
		e.must(err, "export "+typ)
		body := string(out.Body)
		if !strings.Contains(body, "x-amazon-apigateway-importexport-version") || !strings.Contains(body, "/pets/{id}") {
			t.Fatalf("export %s = %s", typ, body)
		}
		again, err := e.gw.ImportApi(e.ctx, &agw.ImportApiInput{Body: aws.String(body)})
		e.must(err, "re-import the "+typ+" export")
		r2, err := e.gw.GetRoutes(e.ctx, &agw.GetRoutesInput{ApiId: again.ApiId})
		e.must(err, "routes of the re-import")
		if len(r2.Items) != 2 {
			t.Errorf("%s round trip: %d routes", typ, len(r2.Items))
		}
	}

	// Reimport replaces the definition and keeps the stage.
	changed := strings.Replace(doc, "/pets/{id}:", "/cats/{id}:", 1)
	_, err = e.gw.ReimportApi(e.ctx, &agw.ReimportApiInput{ApiId: &id, Body: aws.String(changed)})
	e.must(err, "reimport")
	if status, _, _ := e.call("GET", e.s.URL+"/_aws/execute-api/"+id+"/cats/1", nil); status != 200 {
		t.Errorf("reimported route: %d", status)
	}
	if status, _, _ := e.call("GET", e.s.URL+"/_aws/execute-api/"+id+"/pets/1", nil); status != 404 {
		t.Errorf("route removed by reimport: %d", status)
	}

	// Bad documents are BadRequestException.
	_, err = e.gw.ImportApi(e.ctx, &agw.ImportApiInput{Body: aws.String(`{"swagger":"2.0","info":{"title":"x","version":"1"},"paths":{}}`)})
	testenv.WantError(t, err, "BadRequestException", "")
	_, err = e.gw.ImportApi(e.ctx, &agw.ImportApiInput{Body: aws.String("not: [valid")})
	testenv.WantError(t, err, "BadRequestException", "")
}
