package gateway

import (
	"context"
	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"maps"
	"slices"

	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

// Spec is an HTTP API as a document describes it (OpenAPI, via internal/gateway/openapi):
// what ImportApi creates, ReimportApi replaces and ExportApi writes. Routes name their
// integration and authorizer by a reference local to the Spec.
type Spec struct {
	Name, Version, Description string
	Cors                       *Cors
	Tags                       map[string]string
	Routes                     []SpecRoute
	// Integrations and Authorizers by reference.
	Integrations map[string]Integration
	Authorizers  map[string]Authorizer
	// ImportInfo and Warnings are what the import reported (the Api's importInfo, warnings).
	ImportInfo, Warnings []string
}

// SpecRoute is a route of a Spec.
type SpecRoute struct {
	RouteKey, AuthorizationType, OperationName string
	AuthorizationScopes                        []string
	// IntegrationRef and AuthorizerRef name entries of the Spec ("" for none).
	IntegrationRef, AuthorizerRef string
}

// build fills rec with the routes, integrations and authorizers of spec, validating each as
// the Create operations do.
func (s *Service) build(rec *apiRecord, spec *Spec) error {
	rec.Routes, rec.Integrations, rec.Authorizers = map[string]Route{}, map[string]Integration{}, map[string]Authorizer{}
	integIDs, authzIDs := map[string]string{}, map[string]string{}
	for _, ref := range slices.Sorted(maps.Keys(spec.Integrations)) {
		in := spec.Integrations[ref]
		in.IntegrationId = s.newID(childIDLength)
		if in.ConnectionType == "" {
			in.ConnectionType = "INTERNET"
		}
		if in.TimeoutInMillis == 0 {
			in.TimeoutInMillis = defaultTimeout
		}
		if in.PayloadFormatVersion == "" {
			in.PayloadFormatVersion = "1.0"
		}
		if err := validateIntegration(&in); err != nil {
			return err
		}
		rec.Integrations[in.IntegrationId] = in
		integIDs[ref] = in.IntegrationId
	}
	for _, ref := range slices.Sorted(maps.Keys(spec.Authorizers)) {
		a := spec.Authorizers[ref]
		a.AuthorizerId = s.newID(authorizerLen)
		if err := validateAuthorizer(rec, &a); err != nil {
			return err
		}
		rec.Authorizers[a.AuthorizerId] = a
		authzIDs[ref] = a.AuthorizerId
	}
	if len(rec.Authorizers) > maxAuthorizers {
		return badRequest("Maximum number of Authorizers for this API has been reached")
	}
	for _, sr := range spec.Routes {
		r := Route{RouteId: s.newID(childIDLength), RouteKey: sr.RouteKey, AuthorizationType: firstNonEmpty(sr.AuthorizationType, "NONE"),
			AuthorizationScopes: sr.AuthorizationScopes, OperationName: sr.OperationName, RequestParameters: map[string]ParameterConstraint{}}
		if sr.IntegrationRef != "" {
			id, ok := integIDs[sr.IntegrationRef]
			if !ok {
				return badRequest("Route %s refers to an unknown integration %s", sr.RouteKey, sr.IntegrationRef)
			}
			r.Target = "integrations/" + id
		}
		if sr.AuthorizerRef != "" {
			id, ok := authzIDs[sr.AuthorizerRef]
			if !ok {
				return badRequest("Route %s refers to an unknown authorizer %s", sr.RouteKey, sr.AuthorizerRef)
			}
			r.AuthorizerId = id
		}
		if err := applyRoute(rec, &r, &RouteInput{}); err != nil {
			return err
		}
		rec.Routes[r.RouteId] = r
	}
	return nil
}

// ImportApi creates an API from a Spec.
func (s *Service) ImportApi(ctx context.Context, spec *Spec) (*Api, error) {
	if spec.Name == "" {
		return nil, badRequest("Invalid OpenAPI input: info.title is required")
	}
	if err := validateCors(spec.Cors); err != nil {
		return nil, err
	}
	a := Api{Name: spec.Name, ProtocolType: "HTTP", Version: spec.Version, Description: spec.Description,
		CorsConfiguration: spec.Cors, Tags: nonNil(spec.Tags), CreatedDate: s.now(), ImportInfo: spec.ImportInfo,
		Warnings: spec.Warnings, IpAddressType: "ipv4", ApiKeySelectionExpression: defaultApiKeySelection,
		RouteSelectionExpression: defaultRouteSelection}
	return s.insertAPI(ctx, "import api", a, func(_ storage.Tx, rec *apiRecord) error { return s.build(rec, spec) })
}

// ReimportApi replaces an API's definition (name, CORS, routes, integrations, authorizers)
// with a Spec, keeping its id and stages; auto-deploy stages serve the new definition at once.
func (s *Service) ReimportApi(ctx context.Context, id string, spec *Spec) (*Api, error) {
	if err := validateCors(spec.Cors); err != nil {
		return nil, err
	}
	var out Api
	err := s.editAPI(ctx, "reimport api", id, true, func(_ storage.Tx, rec *apiRecord) error {
		if spec.Name != "" {
			rec.Api.Name = spec.Name
		}
		rec.Api.Version, rec.Api.Description, rec.Api.CorsConfiguration = spec.Version, spec.Description, spec.Cors
		rec.Api.ImportInfo, rec.Api.Warnings = spec.ImportInfo, spec.Warnings
		if len(spec.Tags) > 0 {
			rec.Api.Tags = spec.Tags
		}
		if err := s.build(rec, spec); err != nil {
			return err
		}
		for name, st := range rec.Stages {
			for key := range st.RouteSettings {
				found := false
				for _, r := range rec.Routes {
					found = found || r.RouteKey == key
				}
				if !found {
					delete(st.RouteSettings, key)
				}
			}
			rec.Stages[name] = st
		}
		out = rec.Api
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ExportSpec returns an API's definition as a Spec: the stage's deployment when stage is
// given, otherwise the current configuration. References are the ids.
func (s *Service) ExportSpec(ctx context.Context, id, stage string) (*Spec, *Api, error) {
	var (
		spec Spec
		api  Api
	)
	err := s.view(ctx, func(tx storage.Tx) error {
		rec, err := s.getAPI(tx, id)
		if err != nil {
			return err
		}
		api = rec.Api
		sn := snapshot(&rec)
		if stage != "" {
			st, ok := rec.Stages[stage]
			if !ok {
				return errChildNotFound("Stage", stage)
			}
			if st.DeploymentId == "" {
				return badRequest("Stage %s has no deployment to export", stage)
			}
			d, err := s.deployment(tx, id, st.DeploymentId)
			if err != nil {
				return err
			}
			sn = d.Snapshot
		}
		spec = Spec{Name: api.Name, Version: api.Version, Description: api.Description, Cors: sn.Cors, Tags: api.Tags,
			Integrations: sn.Integrations, Authorizers: sn.Authorizers}
		for _, r := range sn.Routes {
			sr := SpecRoute{RouteKey: r.RouteKey, AuthorizationType: r.AuthorizationType, OperationName: r.OperationName,
				AuthorizationScopes: r.AuthorizationScopes, AuthorizerRef: r.AuthorizerId}
			if len(r.Target) > len("integrations/") {
				sr.IntegrationRef = r.Target[len("integrations/"):]
			}
			spec.Routes = append(spec.Routes, sr)
		}
		return nil
	})
	if err != nil {
		return nil, nil, awserr.Wrap("export api", err)
	}
	return &spec, &api, nil
}
