package openapi

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/gateway"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/export")

// stored builds an integration the way the store holds it: Ref is the integration ID.
func stored(id, typ, method, uri, pfv string) Integration {
	return Integration{Ref: id, Integration: gateway.Integration{
		IntegrationId: id, IntegrationType: typ, IntegrationMethod: method, IntegrationUri: uri,
		PayloadFormatVersion: pfv, ConnectionType: "INTERNET", TimeoutInMillis: 30000,
	}}
}

// fullAPI is an API as the store would hand it to Export: every route shape, integration
// option and authorizer kind.
func fullAPI() *Definition {
	orders := stored("int0001", "AWS_PROXY", "POST", "arn:aws:lambda:us-east-1:123456789012:function:orders", "2.0")
	backend := stored("int0002", "HTTP_PROXY", "GET", "https://backend.example.com/items/{id}", "1.0")
	backend.TimeoutInMillis = 12000
	backend.RequestParameters = map[string]string{
		"overwrite:path":            "/items/$request.path.id",
		"append:querystring.source": "gateway",
	}
	backend.ResponseParameters = map[string]map[string]string{
		"404": {"overwrite:statuscode": "410"},
		"200": {"overwrite:header.Cache-Control": "public, max-age=2"},
	}
	private := stored("int0003", "HTTP_PROXY", "ANY", "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/lb/50dc6c495c0c9188/0467ef3c8400ae65", "1.0")
	private.ConnectionType, private.ConnectionId = "VPC_LINK", "vl1234"
	private.TlsConfig = &gateway.TlsConfig{ServerNameToVerify: "internal.example.com"}
	unused := stored("int0004", "AWS_PROXY", "POST", "arn:aws:lambda:us-east-1:123456789012:function:unused", "2.0")
	return &Definition{
		Name:        "orders-api",
		Version:     "2026-01-11",
		Description: "Orders: \"quoted\", tab\there, ünïcode, and a description long enough to be folded by the YAML writer at a space.",
		Cors: &gateway.Cors{
			AllowOrigins: []string{"https://app.example.com"}, AllowMethods: []string{"GET", "POST"},
			AllowHeaders: []string{"authorization", "content-type"}, ExposeHeaders: []string{"date"},
			MaxAge: ptr(300), AllowCredentials: ptr(true),
		},
		Tags: map[string]string{"team": "orders", "prod": ""},
		Routes: []Route{
			{RouteKey: "GET /orders", Integration: "int0001", AuthorizationType: AuthJWT, Authorizer: "auth001",
				AuthorizationScopes: []string{"orders/read", "email"}, OperationName: "listOrders"},
			{RouteKey: "POST /orders", Integration: "int0001", AuthorizationType: AuthJWT, Authorizer: "auth001"},
			{RouteKey: "GET /items/{id}", Integration: "int0002", AuthorizationType: AuthCustom, Authorizer: "auth002"},
			{RouteKey: "ANY /internal/{proxy+}", Integration: "int0003", AuthorizationType: AuthIAM},
			{RouteKey: "OPTIONS /orders", AuthorizationType: AuthNone},
			{RouteKey: "$default", Integration: "int0001", AuthorizationType: AuthNone},
		},
		Integrations: []Integration{orders, backend, private, unused},
		Authorizers: []Authorizer{
			{Ref: "auth001", Authorizer: gateway.Authorizer{AuthorizerId: "auth001", Name: "cognito", AuthorizerType: "JWT",
				IdentitySource:   []string{"$request.header.Authorization"},
				JwtConfiguration: &gateway.JWTConfiguration{Issuer: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc", Audience: []string{"client1"}}}},
			{Ref: "auth002", Authorizer: gateway.Authorizer{AuthorizerId: "auth002", Name: "lambda", AuthorizerType: "REQUEST",
				AuthorizerUri:                  "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations",
				AuthorizerCredentialsArn:       "arn:aws:iam::123456789012:role/invoke-auth",
				AuthorizerPayloadFormatVersion: "2.0", AuthorizerResultTtlInSeconds: ptr(300), EnableSimpleResponses: ptr(true),
				IdentitySource: []string{"$request.header.X-Api-Key"}}},
		},
	}
}

// minimalAPI is what quick create makes: a Lambda behind $default, no version.
func minimalAPI() *Definition {
	return &Definition{
		Name:         "quick",
		Routes:       []Route{{RouteKey: "$default", Integration: "abc1234", AuthorizationType: AuthNone}},
		Integrations: []Integration{stored("abc1234", "AWS_PROXY", "POST", "arn:aws:lambda:us-east-1:123456789012:function:quick", "2.0")},
	}
}

// oddAPI has names and values that stress quoting in both encodings.
func oddAPI() *Definition {
	in := stored("i1", "HTTP_PROXY", "POST", "https://example.com/a b?c=#d", "1.0")
	in.RequestParameters = map[string]string{
		"append:header.x-a": "'quoted' \"double\" \\ back",
		"append:header.x-b": "- leading dash: colon # hash",
		"append:header.x-c": "line1\nline2\r\u0085\u2028 nbsp\u00a0 bom\ufeff nul\x00 bell\a esc\x1b emoji \U0001F600",
		"append:header.x-d": strings.Repeat("word ", 40),
		"append:header.x-e": "",
		"append:header.x-f": "true",
		"append:header.x-g": "12",
	}
	return &Definition{
		Name:        "#odd: name",
		Version:     "0",
		Description: strings.Repeat("x", 100) + " " + strings.Repeat("y", 100),
		Cors:        &gateway.Cors{AllowOrigins: []string{"*"}, AllowHeaders: []string{}},
		Routes: []Route{
			{RouteKey: "POST /a.b/{c:d}/-e_f", Integration: "i1", AuthorizationType: AuthNone},
			{RouteKey: "GET /" + strings.Repeat("segment/", 20) + "{x}", Integration: "i1", AuthorizationType: AuthNone},
		},
		Integrations: []Integration{in},
	}
}

func TestExportGolden(t *testing.T) {
	created := time.Date(2026, 1, 11, 6, 8, 40, 0, time.UTC)
	tests := []struct {
		file string
		def  *Definition
		opts ExportOptions
	}{
		{"full.json", fullAPI(), ExportOptions{Endpoint: "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com", StageName: "prod"}},
		{"full.yaml", fullAPI(), ExportOptions{OutputType: "YAML", Endpoint: "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com", StageName: "prod"}},
		{"full-noext.json", fullAPI(), ExportOptions{ExcludeExtensions: true}},
		{"minimal.json", minimalAPI(), ExportOptions{Endpoint: "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com", StageName: "$default", CreatedDate: created}},
		{"minimal.yaml", minimalAPI(), ExportOptions{OutputType: "yaml", CreatedDate: created}},
		{"odd.yaml", oddAPI(), ExportOptions{OutputType: "YAML"}},
		{"odd.json", oddAPI(), ExportOptions{}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := Export(tt.def, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "export", tt.file)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the golden file (run with -update to accept):\n%s", tt.file, cmp.Diff(string(want), string(got)))
			}
		})
	}
}

func TestExportWithoutExtensions(t *testing.T) {
	out, err := Export(fullAPI(), ExportOptions{ExcludeExtensions: true, OutputType: "YAML"})
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, "x-amazon-apigateway-") && !strings.Contains(line, "x-amazon-apigateway-any-method:") {
			t.Errorf("extension in an export without extensions: %s", line)
		}
	}
}

func TestExportErrors(t *testing.T) {
	tests := []struct {
		name string
		def  *Definition
		opts ExportOptions
		msg  string
	}{
		{"output type", minimalAPI(), ExportOptions{OutputType: "XML"}, "Invalid outputType XML: valid values are JSON and YAML"},
		{"unknown integration", &Definition{Routes: []Route{{RouteKey: "GET /", Integration: "nope"}}}, ExportOptions{},
			"Route GET / refers to unknown integration nope"},
		{"unknown authorizer", &Definition{Routes: []Route{{RouteKey: "GET /", AuthorizationType: AuthJWT, Authorizer: "nope"}}}, ExportOptions{},
			"Route GET / refers to unknown authorizer nope"},
		{"bad route key", &Definition{Routes: []Route{{RouteKey: "GET pets"}}}, ExportOptions{},
			`The provided route key is not formatted properly for HTTP protocol. Format should be "<HTTP METHOD> /<RESOURCE PATH>" or "$default"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Export(tt.def, tt.opts)
			if e, ok := awserr.As(err); !ok || e.Type != "BadRequestException" || e.Message != tt.msg {
				t.Errorf("error = %v, want BadRequestException: %s", err, tt.msg)
			}
		})
	}
}

// canonical is a Definition reduced to what must survive Import(Export(d)): routes with their
// integration and authorizer resolved, the integrations no route uses, and every default
// Import fills in made explicit.
type canonical struct {
	Name, Version, Description string
	Cors                       *gateway.Cors
	Tags                       map[string]string
	Routes                     []canonRoute
	Unused                     []gateway.Integration
	Authorizers                []gateway.Authorizer
}

type canonRoute struct {
	Key, AuthType, Authorizer, Operation string
	Scopes                               []string
	Integration                          *gateway.Integration
}

// findIntegration returns the integration with the given Ref, or nil.
func findIntegration(d *Definition, ref string) *Integration {
	for i := range d.Integrations {
		if ref != "" && d.Integrations[i].Ref == ref {
			return &d.Integrations[i]
		}
	}
	return nil
}

func canon(d *Definition) canonical {
	c := canonical{Name: d.Name, Version: d.Version, Description: d.Description, Tags: d.Tags}
	if d.Cors != nil {
		cors := *d.Cors
		if cors.MaxAge == nil {
			cors.MaxAge = ptr(0)
		}
		if cors.AllowCredentials == nil {
			cors.AllowCredentials = ptr(false)
		}
		c.Cors = &cors
	}
	norm := func(in Integration) gateway.Integration {
		g := in.Integration
		g.IntegrationId = ""
		if g.ConnectionType == "" {
			g.ConnectionType = "INTERNET"
		}
		if g.TimeoutInMillis == 0 {
			g.TimeoutInMillis = defaultTimeout
		}
		if g.PayloadFormatVersion == "" {
			g.PayloadFormatVersion = "1.0"
		}
		return g
	}
	used := map[string]bool{}
	names := map[string]string{}
	for _, a := range d.Authorizers {
		names[a.Ref] = a.Name
		g := a.Authorizer
		g.AuthorizerId = ""
		c.Authorizers = append(c.Authorizers, g)
	}
	for _, r := range d.Routes {
		cr := canonRoute{Key: r.RouteKey, AuthType: r.AuthorizationType, Authorizer: names[r.Authorizer],
			Operation: r.OperationName, Scopes: r.AuthorizationScopes}
		if in := findIntegration(d, r.Integration); in != nil {
			g := norm(*in)
			cr.Integration = &g
			used[in.Ref] = true
		}
		c.Routes = append(c.Routes, cr)
	}
	for _, in := range d.Integrations {
		if !used[in.Ref] {
			c.Unused = append(c.Unused, norm(in))
		}
	}
	sort.Slice(c.Routes, func(i, j int) bool { return c.Routes[i].Key < c.Routes[j].Key })
	sort.Slice(c.Unused, func(i, j int) bool { return c.Unused[i].IntegrationUri < c.Unused[j].IntegrationUri })
	sort.Slice(c.Authorizers, func(i, j int) bool { return c.Authorizers[i].Name < c.Authorizers[j].Name })
	return c
}

// roundTrip exports d in both formats, imports each export and reports any difference.
func roundTrip(t *testing.T, d *Definition) {
	t.Helper()
	for _, ot := range []string{"JSON", "YAML"} {
		out, err := Export(d, ExportOptions{OutputType: ot, Endpoint: "https://x.execute-api.us-east-1.amazonaws.com", StageName: "dev"})
		if err != nil {
			t.Fatalf("%s export: %v", ot, err)
		}
		back, warnings, err := Import(out)
		if err != nil {
			t.Fatalf("%s import: %v\n%s", ot, err, out)
		}
		if len(warnings) > 0 && d.Version != "" {
			t.Errorf("%s import warnings: %q", ot, warnings)
		}
		if diff := cmp.Diff(canon(d), canon(back), cmpDef); diff != "" {
			t.Errorf("%s round trip (-exported +imported):\n%s\n%s", ot, diff, out)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	petstoreJSON, err := os.ReadFile("testdata/import/petstore.json")
	if err != nil {
		t.Fatal(err)
	}
	imported, _, err := Import(petstoreJSON)
	if err != nil {
		t.Fatal(err)
	}
	for name, d := range map[string]*Definition{
		"full":     fullAPI(),
		"minimal":  minimalAPI(),
		"odd":      oddAPI(),
		"petstore": imported,
		"empty":    {},
	} {
		t.Run(name, func(t *testing.T) { roundTrip(t, d) })
	}
}
