package gateway

import (
	"context"
	"slices"
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/gateway/route"
	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

// RouteInput is CreateRouteRequest and UpdateRouteRequest (members left out of an update keep
// their values).
type RouteInput struct {
	ApiId                            string                         `json:"apiId"`
	RouteId                          string                         `json:"routeId,omitempty"`
	ApiKeyRequired                   *bool                          `json:"apiKeyRequired,omitempty"`
	AuthorizationScopes              []string                       `json:"authorizationScopes,omitempty"`
	AuthorizationType                *string                        `json:"authorizationType,omitempty"`
	AuthorizerId                     *string                        `json:"authorizerId,omitempty"`
	ModelSelectionExpression         *string                        `json:"modelSelectionExpression,omitempty"`
	OperationName                    *string                        `json:"operationName,omitempty"`
	RequestModels                    map[string]string              `json:"requestModels,omitempty"`
	RequestParameters                map[string]ParameterConstraint `json:"requestParameters,omitempty"`
	RouteKey                         *string                        `json:"routeKey,omitempty"`
	RouteResponseSelectionExpression *string                        `json:"routeResponseSelectionExpression,omitempty"`
	Target                           *string                        `json:"target,omitempty"`
}

// parseRouteKey validates an HTTP API route key.
func parseRouteKey(key string) (route.Key, error) {
	k, err := route.Parse(key)
	if err != nil {
		if _, ok := awserr.As(err); ok {
			return k, err
		}
		return k, badRequest("%s", err.Error())
	}
	return k, nil
}

// CreateRoute adds a route to an API.
func (s *Service) CreateRoute(ctx context.Context, in *RouteInput) (*Route, error) {
	var out Route
	err := s.editAPI(ctx, "create route", in.ApiId, true, func(_ storage.Tx, rec *apiRecord) error {
		r := Route{RouteId: s.newID(childIDLength), AuthorizationType: "NONE", RequestParameters: map[string]ParameterConstraint{}}
		if err := applyRoute(rec, &r, in); err != nil {
			return err
		}
		if rec.Routes == nil {
			rec.Routes = map[string]Route{}
		}
		rec.Routes[r.RouteId] = r
		out = r
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateRoute changes a route.
func (s *Service) UpdateRoute(ctx context.Context, in *RouteInput) (*Route, error) {
	var out Route
	err := s.editAPI(ctx, "update route", in.ApiId, true, func(_ storage.Tx, rec *apiRecord) error {
		r, ok := rec.Routes[in.RouteId]
		if !ok {
			return errChildNotFound("Route", in.RouteId)
		}
		if err := applyRoute(rec, &r, in); err != nil {
			return err
		}
		rec.Routes[r.RouteId] = r
		out = r
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// applyRoute applies a create or update request to r and validates the result against the
// API's other routes, integrations and authorizers.
func applyRoute(rec *apiRecord, r *Route, in *RouteInput) error {
	if in.RouteKey != nil {
		r.RouteKey = *in.RouteKey
	}
	if r.RouteKey == "" {
		return badRequest("Route key is required")
	}
	if rec.Api.ProtocolType == "HTTP" {
		if _, err := parseRouteKey(r.RouteKey); err != nil {
			return err
		}
	}
	entries := []route.Entry[string]{}
	for id, other := range rec.Routes {
		if id == r.RouteId {
			continue
		}
		if other.RouteKey == r.RouteKey {
			return conflict("Route with key %s already exists for this API", r.RouteKey)
		}
		if k, err := route.Parse(other.RouteKey); err == nil {
			entries = append(entries, route.Entry[string]{Key: k, Value: id})
		}
	}
	if rec.Api.ProtocolType == "HTTP" {
		// Path variables of different names at the same level of the path conflict.
		k, _ := route.Parse(r.RouteKey)
		if _, err := route.NewTable(append(entries, route.Entry[string]{Key: k, Value: r.RouteId})); err != nil {
			return err
		}
	}
	if in.ApiKeyRequired != nil {
		r.ApiKeyRequired = *in.ApiKeyRequired
	}
	if in.AuthorizationType != nil {
		r.AuthorizationType = *in.AuthorizationType
	}
	if in.AuthorizerId != nil {
		r.AuthorizerId = *in.AuthorizerId
	}
	if in.AuthorizationScopes != nil {
		r.AuthorizationScopes = in.AuthorizationScopes
	}
	setStr(&r.ModelSelectionExpression, in.ModelSelectionExpression)
	setStr(&r.OperationName, in.OperationName)
	setStr(&r.RouteResponseSelectionExpression, in.RouteResponseSelectionExpression)
	if in.RequestModels != nil {
		r.RequestModels = in.RequestModels
	}
	if in.RequestParameters != nil {
		r.RequestParameters = in.RequestParameters
	}
	if in.Target != nil {
		r.Target = *in.Target
	}
	if r.AuthorizationType == "NONE" || r.AuthorizationType == "AWS_IAM" {
		if in.AuthorizationType != nil && in.AuthorizerId == nil {
			r.AuthorizerId = ""
		}
	}
	return validateRoute(rec, r)
}

func setStr(dst *string, v *string) {
	if v != nil {
		*dst = *v
	}
}

// validateRoute checks a route's authorization and target.
func validateRoute(rec *apiRecord, r *Route) error {
	switch r.AuthorizationType {
	case "NONE", "AWS_IAM":
		if r.AuthorizerId != "" {
			return badRequest("AuthorizerId is not supported for authorization type %s", r.AuthorizationType)
		}
	case "JWT", "CUSTOM":
		want := map[string]string{"JWT": "JWT", "CUSTOM": "REQUEST"}[r.AuthorizationType]
		if a, ok := rec.Authorizers[r.AuthorizerId]; !ok || a.AuthorizerType != want {
			if r.AuthorizationType == "JWT" {
				return badRequest("Invalid authorizer ID specified. Setting the authorization type to JWT requires a valid JWT authorizer.")
			}
			return badRequest("Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.")
		}
	default:
		return badRequest("Invalid authorization type specified: %s", r.AuthorizationType)
	}
	if len(r.AuthorizationScopes) > 0 && r.AuthorizationType != "JWT" {
		return badRequest("Invalid Route authorization type specified. Authorization Scopes are only valid for COGNITO_USER_POOLS and JWT authorization types")
	}
	if len(r.AuthorizationScopes) > 10 {
		return badRequest("A route can have at most 10 authorization scopes")
	}
	if r.Target != "" {
		id, ok := strings.CutPrefix(r.Target, "integrations/")
		if !ok || id == "" {
			return badRequest("Invalid target %s: targets are of the form integrations/{integrationId}", r.Target)
		}
		if _, ok := rec.Integrations[id]; !ok {
			return badRequest("Invalid integration ID specified in target: %s", id)
		}
	}
	return nil
}

// GetRoute returns a route.
func (s *Service) GetRoute(ctx context.Context, api, id string) (*Route, error) {
	return getChild(ctx, s, "get route", api, "Route", id, func(r *apiRecord) map[string]Route { return r.Routes })
}

// GetRoutes lists an API's routes.
func (s *Service) GetRoutes(ctx context.Context, api, maxResults, token string) ([]Route, string, error) {
	return listChildren(ctx, s, "get routes", api, maxResults, token, func(r *apiRecord) map[string]Route { return r.Routes },
		func(v Route) string { return v.RouteId })
}

// DeleteRoute deletes a route.
func (s *Service) DeleteRoute(ctx context.Context, api, id string) error {
	return s.editAPI(ctx, "delete route", api, true, func(_ storage.Tx, rec *apiRecord) error {
		if _, ok := rec.Routes[id]; !ok {
			return errChildNotFound("Route", id)
		}
		delete(rec.Routes, id)
		delete(rec.RouteResponses, id)
		for name, st := range rec.Stages {
			// Per-route settings of a deleted route go with it.
			for key := range st.RouteSettings {
				if !slices.ContainsFunc(mapValues(rec.Routes), func(r Route) bool { return r.RouteKey == key }) {
					delete(st.RouteSettings, key)
				}
			}
			rec.Stages[name] = st
		}
		return nil
	})
}

// DeleteRouteRequestParameter removes one request parameter of a route.
func (s *Service) DeleteRouteRequestParameter(ctx context.Context, api, id, key string) error {
	return s.editAPI(ctx, "delete route request parameter", api, true, func(_ storage.Tx, rec *apiRecord) error {
		r, ok := rec.Routes[id]
		if !ok {
			return errChildNotFound("Route", id)
		}
		if _, ok := r.RequestParameters[key]; !ok {
			return notFound("Invalid request parameter key specified %s", key)
		}
		delete(r.RequestParameters, key)
		rec.Routes[id] = r
		return nil
	})
}

func mapValues[K comparable, V any](m map[K]V) []V {
	out := make([]V, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}
