package gateway

import (
	"context"
	"errors"
	"fmt"
	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

// CreateApiInput is CreateApiRequest.
type CreateApiInput struct {
	ApiKeySelectionExpression string            `json:"apiKeySelectionExpression,omitempty"`
	CorsConfiguration         *Cors             `json:"corsConfiguration,omitempty"`
	CredentialsArn            string            `json:"credentialsArn,omitempty"`
	Description               string            `json:"description,omitempty"`
	DisableSchemaValidation   *bool             `json:"disableSchemaValidation,omitempty"`
	DisableExecuteApiEndpoint *bool             `json:"disableExecuteApiEndpoint,omitempty"`
	IpAddressType             string            `json:"ipAddressType,omitempty"`
	Name                      string            `json:"name"`
	ProtocolType              string            `json:"protocolType"`
	RouteKey                  string            `json:"routeKey,omitempty"`
	RouteSelectionExpression  string            `json:"routeSelectionExpression,omitempty"`
	Tags                      map[string]string `json:"tags,omitempty"`
	Target                    string            `json:"target,omitempty"`
	Version                   string            `json:"version,omitempty"`
}

// UpdateApiInput is UpdateApiRequest: members left out keep their values.
type UpdateApiInput struct {
	ApiId                     string  `json:"apiId"`
	ApiKeySelectionExpression *string `json:"apiKeySelectionExpression,omitempty"`
	CorsConfiguration         *Cors   `json:"corsConfiguration,omitempty"`
	CredentialsArn            *string `json:"credentialsArn,omitempty"`
	Description               *string `json:"description,omitempty"`
	DisableSchemaValidation   *bool   `json:"disableSchemaValidation,omitempty"`
	DisableExecuteApiEndpoint *bool   `json:"disableExecuteApiEndpoint,omitempty"`
	IpAddressType             *string `json:"ipAddressType,omitempty"`
	Name                      *string `json:"name,omitempty"`
	RouteKey                  *string `json:"routeKey,omitempty"`
	RouteSelectionExpression  *string `json:"routeSelectionExpression,omitempty"`
	Target                    *string `json:"target,omitempty"`
	Version                   *string `json:"version,omitempty"`
}

const (
	defaultRouteSelection = "$request.method $request.path"
	// bracedRouteSelection is the same expression in the ${} form, which AWS also accepts.
	bracedRouteSelection   = "${request.method} ${request.path}"
	defaultApiKeySelection = "$request.header.x-api-key"
)

// endpoint is the API's invoke URL as AWS reports it.
func (s *Service) endpoint(id, protocol string) string {
	if protocol == "WEBSOCKET" {
		return fmt.Sprintf("wss://%s.execute-api.%s.amazonaws.com", id, s.Region)
	}
	return fmt.Sprintf("https://%s.execute-api.%s.amazonaws.com", id, s.Region)
}

// CreateApi creates an API. With Target (quick create) it also creates the integration, a route
// (RouteKey, $default by default) and an auto-deploying $default stage.
func (s *Service) CreateApi(ctx context.Context, in *CreateApiInput) (*Api, error) {
	if in.ProtocolType == "HTTP" && in.RouteSelectionExpression != "" && !httpRouteSelection(in.RouteSelectionExpression) {
		return nil, badRequest("Currently, only %s is supported as the RouteSelectionExpression for HTTP APIs.", defaultRouteSelection)
	}
	if in.Target == "" && (in.RouteKey != "" || in.CredentialsArn != "") {
		return nil, badRequest("RouteKey and CredentialsArn are only supported with Target (quick create).")
	}
	if in.Target != "" && in.ProtocolType != "HTTP" {
		return nil, badRequest("Quick create is only supported for HTTP APIs.")
	}
	if err := validateCors(in.CorsConfiguration); err != nil {
		return nil, err
	}
	now := s.now()
	a := Api{Name: in.Name, ProtocolType: in.ProtocolType, Description: in.Description, Version: in.Version,
		CorsConfiguration: in.CorsConfiguration, DisableSchemaValidation: in.DisableSchemaValidation,
		IpAddressType: in.IpAddressType, Tags: nonNil(in.Tags), CreatedDate: now,
		ApiKeySelectionExpression: firstNonEmpty(in.ApiKeySelectionExpression, defaultApiKeySelection),
		RouteSelectionExpression:  firstNonEmpty(in.RouteSelectionExpression, defaultRouteSelection)}
	if in.ProtocolType == "HTTP" {
		a.IpAddressType = firstNonEmpty(in.IpAddressType, "ipv4")
	}
	if in.DisableExecuteApiEndpoint != nil {
		a.DisableExecuteApiEndpoint = *in.DisableExecuteApiEndpoint
	}
	if in.ProtocolType != "HTTP" {
		a.CorsConfiguration = nil
	}
	return s.insertAPI(ctx, "create api", a, func(tx storage.Tx, rec *apiRecord) error {
		if in.Target == "" {
			return nil
		}
		return s.quickCreate(tx, rec, in)
	})
}

// insertAPI stores a new API a under a fresh id, after fill has added its routes,
// integrations, authorizers and stages.
func (s *Service) insertAPI(ctx context.Context, op string, a Api, fill func(tx storage.Tx, rec *apiRecord) error) (*Api, error) {
	var out Api
	err := s.update(ctx, func(tx storage.Tx) error {
		for {
			a.ApiId = s.newID(apiIDLength)
			if _, err := tx.Get(apiKey(a.ApiId)); errors.Is(err, storage.ErrNotFound) {
				break
			} else if err != nil {
				return err
			}
		}
		a.ApiEndpoint = s.endpoint(a.ApiId, a.ProtocolType)
		rec := apiRecord{Api: a}
		if err := fill(tx, &rec); err != nil {
			return err
		}
		out = rec.Api
		if err := storage.InsertJSON(tx, apiKey(a.ApiId), rec); err != nil {
			return err
		}
		return touch(tx)
	})
	if err != nil {
		return nil, awserr.Wrap(op, err)
	}
	s.notify(out.ApiId)
	return &out, nil
}

// httpRouteSelection reports whether e is the one route selection expression HTTP APIs take.
func httpRouteSelection(e string) bool {
	return e == defaultRouteSelection || e == bracedRouteSelection
}

// quickCreate adds the integration, route and $default stage of a quick-created API.
func (s *Service) quickCreate(tx storage.Tx, rec *apiRecord, in *CreateApiInput) error {
	managed := ptr(true)
	integ := Integration{ApiGatewayManaged: managed, IntegrationId: s.newID(childIDLength), ConnectionType: "INTERNET",
		IntegrationUri: in.Target, CredentialsArn: in.CredentialsArn, TimeoutInMillis: defaultTimeout}
	if strings.HasPrefix(in.Target, "http://") || strings.HasPrefix(in.Target, "https://") {
		integ.IntegrationType, integ.IntegrationMethod, integ.PayloadFormatVersion = "HTTP_PROXY", "ANY", "1.0"
	} else {
		integ.IntegrationType, integ.IntegrationMethod, integ.PayloadFormatVersion = "AWS_PROXY", "POST", "2.0"
	}
	if err := validateIntegration(&integ); err != nil {
		return err
	}
	key := firstNonEmpty(in.RouteKey, "$default")
	if _, err := parseRouteKey(key); err != nil {
		return err
	}
	r := Route{ApiGatewayManaged: managed, RouteId: s.newID(childIDLength), RouteKey: key, AuthorizationType: "NONE",
		Target: "integrations/" + integ.IntegrationId}
	rec.Integrations = map[string]Integration{integ.IntegrationId: integ}
	rec.Routes = map[string]Route{r.RouteId: r}
	now := s.now()
	rec.Stages = map[string]Stage{"$default": {StageName: "$default", AutoDeploy: true, ApiGatewayManaged: managed,
		CreatedDate: now, LastUpdatedDate: now, DefaultRouteSettings: defaultRouteSettings(), RouteSettings: map[string]RouteSettings{},
		StageVariables: map[string]string{}}}
	return s.autoDeploy(tx, rec)
}

// GetApi returns an API.
func (s *Service) GetApi(ctx context.Context, id string) (*Api, error) {
	var out Api
	err := s.view(ctx, func(tx storage.Tx) error {
		rec, err := s.getAPI(tx, id)
		out = rec.Api
		return err
	})
	if err != nil {
		return nil, awserr.Wrap("get api", err)
	}
	return &out, nil
}

// GetApis lists APIs a page at a time.
func (s *Service) GetApis(ctx context.Context, maxResults, nextToken string) ([]Api, string, error) {
	return listPrefix(ctx, s, "get apis", apiPrefix, maxResults, nextToken, nil,
		func(r apiRecord) Api { return r.Api }, func(a Api) string { return a.ApiId })
}

// UpdateApi changes an API's settings. Target and RouteKey update the quick-created
// integration and route.
func (s *Service) UpdateApi(ctx context.Context, in *UpdateApiInput) (*Api, error) {
	var out Api
	err := s.editAPI(ctx, "update api", in.ApiId, true, func(tx storage.Tx, rec *apiRecord) error {
		a := &rec.Api
		set := func(dst *string, v *string) {
			if v != nil {
				*dst = *v
			}
		}
		set(&a.Name, in.Name)
		set(&a.Description, in.Description)
		set(&a.Version, in.Version)
		set(&a.ApiKeySelectionExpression, in.ApiKeySelectionExpression)
		set(&a.IpAddressType, in.IpAddressType)
		if in.RouteSelectionExpression != nil {
			if a.ProtocolType == "HTTP" && !httpRouteSelection(*in.RouteSelectionExpression) {
				return badRequest("Currently, only %s is supported as the RouteSelectionExpression for HTTP APIs.", defaultRouteSelection)
			}
			a.RouteSelectionExpression = *in.RouteSelectionExpression
		}
		if in.DisableExecuteApiEndpoint != nil {
			a.DisableExecuteApiEndpoint = *in.DisableExecuteApiEndpoint
		}
		if in.DisableSchemaValidation != nil {
			a.DisableSchemaValidation = in.DisableSchemaValidation
		}
		if in.CorsConfiguration != nil {
			if a.ProtocolType != "HTTP" {
				return badRequest("CORS is only supported for HTTP APIs.")
			}
			if err := validateCors(in.CorsConfiguration); err != nil {
				return err
			}
			a.CorsConfiguration = in.CorsConfiguration
		}
		if in.Target != nil || in.RouteKey != nil || in.CredentialsArn != nil {
			if err := s.updateQuickCreated(rec, in); err != nil {
				return err
			}
		}
		out = *a
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// updateQuickCreated applies UpdateApi's Target, RouteKey and CredentialsArn to the managed
// integration and route.
func (s *Service) updateQuickCreated(rec *apiRecord, in *UpdateApiInput) error {
	var route *Route
	for id, r := range rec.Routes {
		if r.ApiGatewayManaged != nil && *r.ApiGatewayManaged {
			route = &r
			defer func(id string) { rec.Routes[id] = *route }(id)
			break
		}
	}
	if route == nil {
		return badRequest("Target, RouteKey and CredentialsArn can only be updated on quick-created APIs.")
	}
	if in.RouteKey != nil {
		if _, err := parseRouteKey(*in.RouteKey); err != nil {
			return err
		}
		route.RouteKey = *in.RouteKey
	}
	id := strings.TrimPrefix(route.Target, "integrations/")
	integ, ok := rec.Integrations[id]
	if !ok {
		return nil
	}
	if in.Target != nil {
		integ.IntegrationUri = *in.Target
	}
	if in.CredentialsArn != nil {
		integ.CredentialsArn = *in.CredentialsArn
	}
	rec.Integrations[id] = integ
	return nil
}

// DeleteApi deletes an API with its deployments; an API a custom domain name maps is refused.
func (s *Service) DeleteApi(ctx context.Context, id string) error {
	err := s.update(ctx, func(tx storage.Tx) error {
		if _, err := s.getAPI(tx, id); err != nil {
			return err
		}
		if err := mappedBy(tx, id, ""); err != nil {
			return err
		}
		if err := tx.Delete(apiKey(id)); err != nil {
			return err
		}
		if _, err := tx.DeletePrefix(deploymentPrefix(id)); err != nil {
			return err
		}
		return touch(tx)
	})
	if err != nil {
		return awserr.Wrap("delete api", err)
	}
	s.notify(id)
	return nil
}

// DeleteCorsConfiguration removes an API's CORS configuration.
func (s *Service) DeleteCorsConfiguration(ctx context.Context, id string) error {
	return s.editAPI(ctx, "delete cors configuration", id, true, func(_ storage.Tx, rec *apiRecord) error {
		rec.Api.CorsConfiguration = nil
		return nil
	})
}

// validateCors checks a CORS configuration as API Gateway does.
func validateCors(c *Cors) error {
	if c == nil {
		return nil
	}
	for _, o := range c.AllowOrigins {
		if o == "*" && c.AllowCredentials != nil && *c.AllowCredentials {
			return badRequest("allow-credentials is not supported if 'allow-origin' is *")
		}
	}
	for _, m := range c.AllowMethods {
		switch strings.ToUpper(m) {
		case "*", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS":
		default:
			return badRequest("Invalid CORS allowed method %s", m)
		}
	}
	return nil
}

// nonNil returns m, or an empty map for nil (AWS renders absent tag and variable maps as {}).
func nonNil(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
