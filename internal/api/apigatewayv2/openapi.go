package apigatewayv2

import (
	"context"
	"maps"
	"slices"

	"github.com/gatehouse-dev/gatehouse/internal/awsproto"
	"github.com/gatehouse-dev/gatehouse/internal/gateway"
	"github.com/gatehouse-dev/gatehouse/internal/gateway/openapi"
)

// importInput is ImportApiRequest and ReimportApiRequest.
type importInput struct {
	ApiId          string `json:"apiId,omitempty"`
	Basepath       string `json:"basepath,omitempty"`
	Body           string `json:"body"`
	FailOnWarnings bool   `json:"failOnWarnings,omitempty"`
}

// toSpec reads an OpenAPI document into the Spec the control plane imports.
func toSpec(in *importInput) (*gateway.Spec, error) {
	def, warnings, err := openapi.ImportWithOptions([]byte(in.Body), openapi.ImportOptions{Basepath: in.Basepath})
	if err != nil {
		return nil, err
	}
	if in.FailOnWarnings && len(warnings) > 0 {
		return nil, openapi.WarningsError(warnings)
	}
	spec := &gateway.Spec{Name: def.Name, Version: def.Version, Description: def.Description, Cors: def.Cors, Tags: def.Tags,
		ImportInfo: def.ImportInfo, Warnings: warnings,
		Integrations: map[string]gateway.Integration{}, Authorizers: map[string]gateway.Authorizer{}}
	for _, i := range def.Integrations {
		spec.Integrations[i.Ref] = i.Integration
	}
	for _, a := range def.Authorizers {
		spec.Authorizers[a.Ref] = a.Authorizer
	}
	for _, r := range def.Routes {
		spec.Routes = append(spec.Routes, gateway.SpecRoute{RouteKey: r.RouteKey, AuthorizationType: r.AuthorizationType,
			OperationName: r.OperationName, AuthorizationScopes: r.AuthorizationScopes, IntegrationRef: r.Integration,
			AuthorizerRef: r.Authorizer})
	}
	return spec, nil
}

func (h handlers) importApi(ctx context.Context, in *importInput) (*gateway.Api, error) {
	spec, err := toSpec(in)
	if err != nil {
		return nil, err
	}
	return h.svc.ImportApi(ctx, spec)
}

func (h handlers) reimportApi(ctx context.Context, in *importInput) (*gateway.Api, error) {
	spec, err := toSpec(in)
	if err != nil {
		return nil, err
	}
	return h.svc.ReimportApi(ctx, in.ApiId, spec)
}

// exportInput is ExportApiRequest.
type exportInput struct {
	ApiId             string `json:"apiId"`
	ExportVersion     string `json:"exportVersion,omitempty"`
	IncludeExtensions *bool  `json:"includeExtensions,omitempty"`
	OutputType        string `json:"outputType"`
	Specification     string `json:"specification"`
	StageName         string `json:"stageName,omitempty"`
}

// exportApi writes an API (or the deployment a stage serves) as an OpenAPI 3.0 document.
func exportApi(ctx context.Context, svc *gateway.Service, in *exportInput) (awsproto.RawBody, error) {
	spec, api, err := svc.ExportSpec(ctx, in.ApiId, in.StageName)
	if err != nil {
		return awsproto.RawBody{}, err
	}
	def := &openapi.Definition{Name: spec.Name, Version: spec.Version, Description: spec.Description, Cors: spec.Cors, Tags: spec.Tags}
	for _, id := range slices.Sorted(maps.Keys(spec.Integrations)) {
		def.Integrations = append(def.Integrations, openapi.Integration{Ref: id, Integration: spec.Integrations[id]})
	}
	for _, id := range slices.Sorted(maps.Keys(spec.Authorizers)) {
		def.Authorizers = append(def.Authorizers, openapi.Authorizer{Ref: id, Authorizer: spec.Authorizers[id]})
	}
	for _, r := range spec.Routes {
		def.Routes = append(def.Routes, openapi.Route{RouteKey: r.RouteKey, Integration: r.IntegrationRef,
			AuthorizationType: r.AuthorizationType, Authorizer: r.AuthorizerRef, AuthorizationScopes: r.AuthorizationScopes,
			OperationName: r.OperationName})
	}
	opts := openapi.ExportOptions{OutputType: in.OutputType, ExcludeExtensions: in.IncludeExtensions != nil && !*in.IncludeExtensions,
		Endpoint: api.ApiEndpoint, StageName: in.StageName, CreatedDate: api.CreatedDate}
	if opts.StageName == "$default" {
		opts.StageName = ""
	}
	b, err := openapi.Export(def, opts)
	if err != nil {
		return awsproto.RawBody{}, err
	}
	ct := "application/json"
	if in.OutputType == "YAML" {
		ct = "application/yaml"
	}
	return awsproto.RawBody{ContentType: ct, Data: b}, nil
}
