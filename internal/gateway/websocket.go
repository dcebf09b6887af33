package gateway

import (
	"context"
	"regexp"

	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

// RouteResponse is a route response of a WebSocket API.
type RouteResponse struct {
	ModelSelectionExpression string                         `json:"modelSelectionExpression,omitempty"`
	ResponseModels           map[string]string              `json:"responseModels,omitempty"`
	ResponseParameters       map[string]ParameterConstraint `json:"responseParameters,omitempty"`
	RouteResponseId          string                         `json:"routeResponseId"`
	RouteResponseKey         string                         `json:"routeResponseKey"`
}

// RouteResponseInput is CreateRouteResponseRequest and UpdateRouteResponseRequest (members
// left out of an update keep their values).
type RouteResponseInput struct {
	ApiId                    string                         `json:"apiId"`
	RouteId                  string                         `json:"routeId"`
	RouteResponseId          string                         `json:"routeResponseId,omitempty"`
	ModelSelectionExpression *string                        `json:"modelSelectionExpression,omitempty"`
	ResponseModels           map[string]string              `json:"responseModels,omitempty"`
	ResponseParameters       map[string]ParameterConstraint `json:"responseParameters,omitempty"`
	RouteResponseKey         *string                        `json:"routeResponseKey,omitempty"`
}

// IntegrationResponse is an integration response of a WebSocket API.
type IntegrationResponse struct {
	ContentHandlingStrategy     string            `json:"contentHandlingStrategy,omitempty"`
	IntegrationResponseId       string            `json:"integrationResponseId"`
	IntegrationResponseKey      string            `json:"integrationResponseKey"`
	ResponseParameters          map[string]string `json:"responseParameters,omitempty"`
	ResponseTemplates           map[string]string `json:"responseTemplates,omitempty"`
	TemplateSelectionExpression string            `json:"templateSelectionExpression,omitempty"`
}

// IntegrationResponseInput is CreateIntegrationResponseRequest and
// UpdateIntegrationResponseRequest (members left out of an update keep their values).
type IntegrationResponseInput struct {
	ApiId                       string            `json:"apiId"`
	IntegrationId               string            `json:"integrationId"`
	IntegrationResponseId       string            `json:"integrationResponseId,omitempty"`
	ContentHandlingStrategy     *string           `json:"contentHandlingStrategy,omitempty"`
	IntegrationResponseKey      *string           `json:"integrationResponseKey,omitempty"`
	ResponseParameters          map[string]string `json:"responseParameters,omitempty"`
	ResponseTemplates           map[string]string `json:"responseTemplates,omitempty"`
	TemplateSelectionExpression *string           `json:"templateSelectionExpression,omitempty"`
}

// Model is a data model of a WebSocket API.
type Model struct {
	ContentType string `json:"contentType,omitempty"`
	Description string `json:"description,omitempty"`
	ModelId     string `json:"modelId"`
	Name        string `json:"name"`
	Schema      string `json:"schema,omitempty"`
}

// ModelInput is CreateModelRequest and UpdateModelRequest (members left out of an update keep
// their values).
type ModelInput struct {
	ApiId       string  `json:"apiId"`
	ModelId     string  `json:"modelId,omitempty"`
	ContentType *string `json:"contentType,omitempty"`
	Description *string `json:"description,omitempty"`
	Name        *string `json:"name,omitempty"`
	Schema      *string `json:"schema,omitempty"`
}

// wsKind describes a kind of child only WebSocket APIs have: route responses (under a
// route), integration responses (under an integration) and models (of the API itself).
type wsKind[T any] struct {
	kind    string                                                        // in NotFoundException: "RouteResponse"
	feature string                                                        // in an HTTP API's BadRequestException
	parent  string                                                        // "Route", "Integration"; "" for the API
	id      func(*T) *string                                              // the child's id member
	items   func(rec *apiRecord, parent string, create bool) map[string]T // the children, made when create
}

// of returns the picker of the children of parent: BadRequestException on an HTTP API
// (API Gateway supports these resources for WebSocket APIs only), NotFoundException when the
// parent does not exist.
func (k wsKind[T]) of(parent string, create bool) func(*apiRecord) (map[string]T, error) {
	return func(rec *apiRecord) (map[string]T, error) {
		if rec.Api.ProtocolType == "HTTP" {
			// The wording of AWS's message is not documented; the API reference says of
			// each of these resources "Supported only for WebSocket APIs".
			return nil, badRequest("%s are supported only for WebSocket APIs.", k.feature)
		}
		exists := true
		switch k.parent {
		case "Route":
			_, exists = rec.Routes[parent]
		case "Integration":
			_, exists = rec.Integrations[parent]
		}
		if !exists {
			return nil, errChildNotFound(k.parent, parent)
		}
		return k.items(rec, parent, create), nil
	}
}

// nested returns the inner map of parent in *m, made when create.
func nested[T any](m *map[string]map[string]T, parent string, create bool) map[string]T {
	if create && *m == nil {
		*m = map[string]map[string]T{}
	}
	if create && (*m)[parent] == nil {
		(*m)[parent] = map[string]T{}
	}
	return (*m)[parent]
}

var (
	routeResponses = wsKind[RouteResponse]{kind: "RouteResponse", feature: "Route responses", parent: "Route",
		id: func(v *RouteResponse) *string { return &v.RouteResponseId },
		items: func(rec *apiRecord, parent string, create bool) map[string]RouteResponse {
			return nested(&rec.RouteResponses, parent, create)
		}}
	integrationResponses = wsKind[IntegrationResponse]{kind: "IntegrationResponse", feature: "Integration responses", parent: "Integration",
		id: func(v *IntegrationResponse) *string { return &v.IntegrationResponseId },
		items: func(rec *apiRecord, parent string, create bool) map[string]IntegrationResponse {
			return nested(&rec.IntegrationResponses, parent, create)
		}}
	models = wsKind[Model]{kind: "Model", feature: "Models",
		id: func(v *Model) *string { return &v.ModelId },
		items: func(rec *apiRecord, _ string, create bool) map[string]Model {
			if create && rec.Models == nil {
				rec.Models = map[string]Model{}
			}
			return rec.Models
		}}
)

// wsGet returns one child.
func wsGet[T any](ctx context.Context, s *Service, op, api, parent, id string, k wsKind[T]) (*T, error) {
	return getChildIn(ctx, s, op, api, k.kind, id, k.of(parent, false))
}

// wsList returns a page of the children of parent.
func wsList[T any](ctx context.Context, s *Service, op, api, parent, maxResults, token string, k wsKind[T]) ([]T, string, error) {
	return listChildrenIn(ctx, s, op, api, maxResults, token, k.of(parent, false), func(v T) string { return *k.id(&v) })
}

// wsPut creates a child under a fresh id (id "") or changes child id; apply applies the
// request to it and validates the result.
func wsPut[T any](ctx context.Context, s *Service, op, api, parent, id string, k wsKind[T],
	apply func(rec *apiRecord, v *T) error) (*T, error) {
	var out T
	err := s.editAPI(ctx, op, api, false, func(_ storage.Tx, rec *apiRecord) error {
		items, err := k.of(parent, true)(rec)
		if err != nil {
			return err
		}
		v, ok := items[id]
		if id == "" {
			*k.id(&v) = s.newID(childIDLength)
		} else if !ok {
			return errChildNotFound(k.kind, id)
		}
		if err := apply(rec, &v); err != nil {
			return err
		}
		items[*k.id(&v)] = v
		out = v
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// wsDelete deletes a child.
func wsDelete[T any](ctx context.Context, s *Service, op, api, parent, id string, k wsKind[T]) error {
	return s.editAPI(ctx, op, api, false, func(_ storage.Tx, rec *apiRecord) error {
		items, err := k.of(parent, false)(rec)
		if err != nil {
			return err
		}
		if _, ok := items[id]; !ok {
			return errChildNotFound(k.kind, id)
		}
		delete(items, id)
		return nil
	})
}

// CreateRouteResponse adds a response to a route of a WebSocket API.
func (s *Service) CreateRouteResponse(ctx context.Context, in *RouteResponseInput) (*RouteResponse, error) {
	return wsPut(ctx, s, "create route response", in.ApiId, in.RouteId, "", routeResponses, in.apply)
}

// UpdateRouteResponse changes a route response.
func (s *Service) UpdateRouteResponse(ctx context.Context, in *RouteResponseInput) (*RouteResponse, error) {
	return wsPut(ctx, s, "update route response", in.ApiId, in.RouteId, in.RouteResponseId, routeResponses, in.apply)
}

func (in *RouteResponseInput) apply(_ *apiRecord, r *RouteResponse) error {
	setStr(&r.RouteResponseKey, in.RouteResponseKey)
	setStr(&r.ModelSelectionExpression, in.ModelSelectionExpression)
	if in.ResponseModels != nil {
		r.ResponseModels = in.ResponseModels
	}
	if in.ResponseParameters != nil {
		r.ResponseParameters = in.ResponseParameters
	}
	if r.RouteResponseKey == "" {
		return badRequest("RouteResponseKey is required")
	}
	return nil
}

// GetRouteResponse returns a route response.
func (s *Service) GetRouteResponse(ctx context.Context, api, routeID, id string) (*RouteResponse, error) {
	return wsGet(ctx, s, "get route response", api, routeID, id, routeResponses)
}

// GetRouteResponses lists the responses of a route.
func (s *Service) GetRouteResponses(ctx context.Context, api, routeID, maxResults, token string) ([]RouteResponse, string, error) {
	return wsList(ctx, s, "get route responses", api, routeID, maxResults, token, routeResponses)
}

// DeleteRouteResponse deletes a route response.
func (s *Service) DeleteRouteResponse(ctx context.Context, api, routeID, id string) error {
	return wsDelete(ctx, s, "delete route response", api, routeID, id, routeResponses)
}

// CreateIntegrationResponse adds a response to an integration of a WebSocket API.
func (s *Service) CreateIntegrationResponse(ctx context.Context, in *IntegrationResponseInput) (*IntegrationResponse, error) {
	return wsPut(ctx, s, "create integration response", in.ApiId, in.IntegrationId, "", integrationResponses, in.apply)
}

// UpdateIntegrationResponse changes an integration response.
func (s *Service) UpdateIntegrationResponse(ctx context.Context, in *IntegrationResponseInput) (*IntegrationResponse, error) {
	return wsPut(ctx, s, "update integration response", in.ApiId, in.IntegrationId, in.IntegrationResponseId, integrationResponses, in.apply)
}

func (in *IntegrationResponseInput) apply(_ *apiRecord, r *IntegrationResponse) error {
	setStr(&r.IntegrationResponseKey, in.IntegrationResponseKey)
	setStr(&r.ContentHandlingStrategy, in.ContentHandlingStrategy)
	setStr(&r.TemplateSelectionExpression, in.TemplateSelectionExpression)
	if in.ResponseParameters != nil {
		r.ResponseParameters = in.ResponseParameters
	}
	if in.ResponseTemplates != nil {
		r.ResponseTemplates = in.ResponseTemplates
	}
	if r.IntegrationResponseKey == "" {
		return badRequest("IntegrationResponseKey is required")
	}
	return nil
}

// GetIntegrationResponse returns an integration response.
func (s *Service) GetIntegrationResponse(ctx context.Context, api, integrationID, id string) (*IntegrationResponse, error) {
	return wsGet(ctx, s, "get integration response", api, integrationID, id, integrationResponses)
}

// GetIntegrationResponses lists the responses of an integration.
func (s *Service) GetIntegrationResponses(ctx context.Context, api, integrationID, maxResults, token string) ([]IntegrationResponse, string, error) {
	return wsList(ctx, s, "get integration responses", api, integrationID, maxResults, token, integrationResponses)
}

// DeleteIntegrationResponse deletes an integration response.
func (s *Service) DeleteIntegrationResponse(ctx context.Context, api, integrationID, id string) error {
	return wsDelete(ctx, s, "delete integration response", api, integrationID, id, integrationResponses)
}

// modelName is what API Gateway allows as a model name.
var modelName = regexp.MustCompile(`^[A-Za-z0-9]+$`)

// CreateModel adds a data model to a WebSocket API.
func (s *Service) CreateModel(ctx context.Context, in *ModelInput) (*Model, error) {
	return wsPut(ctx, s, "create model", in.ApiId, "", "", models, in.apply)
}

// UpdateModel changes a model.
func (s *Service) UpdateModel(ctx context.Context, in *ModelInput) (*Model, error) {
	return wsPut(ctx, s, "update model", in.ApiId, "", in.ModelId, models, in.apply)
}

func (in *ModelInput) apply(rec *apiRecord, m *Model) error {
	setStr(&m.Name, in.Name)
	setStr(&m.ContentType, in.ContentType)
	setStr(&m.Description, in.Description)
	setStr(&m.Schema, in.Schema)
	if !modelName.MatchString(m.Name) {
		return badRequest("Model name must be alphanumeric: %s", m.Name)
	}
	for id, other := range rec.Models {
		if id != m.ModelId && other.Name == m.Name {
			return conflict("Model name already exists for this API: %s", m.Name)
		}
	}
	return nil
}

// GetModel returns a model.
func (s *Service) GetModel(ctx context.Context, api, id string) (*Model, error) {
	return wsGet(ctx, s, "get model", api, "", id, models)
}

// GetModels lists an API's models.
func (s *Service) GetModels(ctx context.Context, api, maxResults, token string) ([]Model, string, error) {
	return wsList(ctx, s, "get models", api, "", maxResults, token, models)
}

// DeleteModel deletes a model.
func (s *Service) DeleteModel(ctx context.Context, api, id string) error {
	return wsDelete(ctx, s, "delete model", api, "", id, models)
}
