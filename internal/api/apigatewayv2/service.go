package apigatewayv2

import (
	"context"

	"github.com/gatehouse-dev/gatehouse/internal/awsmodel"
	"github.com/gatehouse-dev/gatehouse/internal/awsproto"
	"github.com/gatehouse-dev/gatehouse/internal/gateway"
)

// SigningName is the SigV4 service name of the apigatewayv2 API.
const SigningName = "apigateway"

// Service returns the awsproto description of the apigatewayv2 API served by svc.
func Service(svc *gateway.Service, model *awsmodel.Model) *awsproto.RESTService {
	h := handlers{svc}
	ops := map[string]awsproto.HandlerFunc{
		"CreateApi":               awsproto.Handle(h.createApi),
		"GetApi":                  awsproto.Handle(h.getApi),
		"GetApis":                 awsproto.Handle(h.getApis),
		"UpdateApi":               awsproto.Handle(h.updateApi),
		"DeleteApi":               awsproto.Handle(h.deleteApi),
		"DeleteCorsConfiguration": awsproto.Handle(h.deleteCors),
		"ImportApi":               awsproto.Handle(h.importApi),
		"ReimportApi":             awsproto.Handle(h.reimportApi),
		"ExportApi": func(ctx context.Context, body []byte) (any, error) {
			in := new(exportInput)
			if err := awsproto.DecodeJSON(body, in); err != nil {
				return nil, err
			}
			return exportApi(ctx, svc, in)
		},

		"CreateRoute":                 awsproto.Handle(h.createRoute),
		"GetRoute":                    awsproto.Handle(h.getRoute),
		"GetRoutes":                   awsproto.Handle(h.getRoutes),
		"UpdateRoute":                 awsproto.Handle(h.updateRoute),
		"DeleteRoute":                 awsproto.Handle(h.deleteRoute),
		"DeleteRouteRequestParameter": awsproto.Handle(h.deleteRouteRequestParameter),

		"CreateIntegration": awsproto.Handle(h.createIntegration),
		"GetIntegration":    awsproto.Handle(h.getIntegration),
		"GetIntegrations":   awsproto.Handle(h.getIntegrations),
		"UpdateIntegration": awsproto.Handle(h.updateIntegration),
		"DeleteIntegration": awsproto.Handle(h.deleteIntegration),

		"CreateAuthorizer": awsproto.Handle(h.createAuthorizer),
		"GetAuthorizer":    awsproto.Handle(h.getAuthorizer),
		"GetAuthorizers":   awsproto.Handle(h.getAuthorizers),
		"UpdateAuthorizer": awsproto.Handle(h.updateAuthorizer),
		"DeleteAuthorizer": awsproto.Handle(h.deleteAuthorizer),

		"CreateStage":             awsproto.Handle(h.createStage),
		"GetStage":                awsproto.Handle(h.getStage),
		"GetStages":               awsproto.Handle(h.getStages),
		"UpdateStage":             awsproto.Handle(h.updateStage),
		"DeleteStage":             awsproto.Handle(h.deleteStage),
		"DeleteAccessLogSettings": awsproto.Handle(h.deleteAccessLogSettings),
		"DeleteRouteSettings":     awsproto.Handle(h.deleteRouteSettings),
		"ResetAuthorizersCache":   awsproto.Handle(h.resetAuthorizersCache),

		"CreateDeployment": awsproto.Handle(h.createDeployment),
		"GetDeployment":    awsproto.Handle(h.getDeployment),
		"GetDeployments":   awsproto.Handle(h.getDeployments),
		"UpdateDeployment": awsproto.Handle(h.updateDeployment),
		"DeleteDeployment": awsproto.Handle(h.deleteDeployment),

		"TagResource":   awsproto.Handle(h.tagResource),
		"UntagResource": awsproto.Handle(h.untagResource),
		"GetTags":       awsproto.Handle(h.getTags),
	}
	s := &awsproto.RESTService{Model: model, SigningName: SigningName, ValidationErrorType: gateway.ErrBadRequest,
		Operations: map[string]awsproto.Operation{}}
	for name, fn := range ops {
		s.Operations[name] = awsproto.Operation{Handler: fn}
	}
	return s
}

type handlers struct{ svc *gateway.Service }

type empty struct{}

// Path and query members shared by several operations.

type apiInput struct {
	ApiId string `json:"apiId"`
}

type listInput struct {
	ApiId      string `json:"apiId"`
	MaxResults string `json:"maxResults,omitempty"`
	NextToken  string `json:"nextToken,omitempty"`
}

type listOutput[T any] struct {
	Items     []T    `json:"items"`
	NextToken string `json:"nextToken,omitempty"`
}

func list[T any](items []T, next string, err error) (*listOutput[T], error) {
	if err != nil {
		return nil, err
	}
	if items == nil {
		items = []T{}
	}
	return &listOutput[T]{Items: items, NextToken: next}, nil
}

// APIs.

func (h handlers) createApi(ctx context.Context, in *gateway.CreateApiInput) (*gateway.Api, error) {
	return h.svc.CreateApi(ctx, in)
}

func (h handlers) getApi(ctx context.Context, in *apiInput) (*gateway.Api, error) {
	return h.svc.GetApi(ctx, in.ApiId)
}

func (h handlers) getApis(ctx context.Context, in *listInput) (*listOutput[gateway.Api], error) {
	return list(h.svc.GetApis(ctx, in.MaxResults, in.NextToken))
}

func (h handlers) updateApi(ctx context.Context, in *gateway.UpdateApiInput) (*gateway.Api, error) {
	return h.svc.UpdateApi(ctx, in)
}

func (h handlers) deleteApi(ctx context.Context, in *apiInput) (*empty, error) {
	return nil, h.svc.DeleteApi(ctx, in.ApiId)
}

func (h handlers) deleteCors(ctx context.Context, in *apiInput) (*empty, error) {
	return nil, h.svc.DeleteCorsConfiguration(ctx, in.ApiId)
}

// Routes.

type routeIDInput struct {
	ApiId               string `json:"apiId"`
	RouteId             string `json:"routeId"`
	RequestParameterKey string `json:"requestParameterKey,omitempty"`
}

func (h handlers) createRoute(ctx context.Context, in *gateway.RouteInput) (*gateway.Route, error) {
	return h.svc.CreateRoute(ctx, in)
}

func (h handlers) getRoute(ctx context.Context, in *routeIDInput) (*gateway.Route, error) {
	return h.svc.GetRoute(ctx, in.ApiId, in.RouteId)
}

func (h handlers) getRoutes(ctx context.Context, in *listInput) (*listOutput[gateway.Route], error) {
	return list(h.svc.GetRoutes(ctx, in.ApiId, in.MaxResults, in.NextToken))
}

func (h handlers) updateRoute(ctx context.Context, in *gateway.RouteInput) (*gateway.Route, error) {
	return h.svc.UpdateRoute(ctx, in)
}

func (h handlers) deleteRoute(ctx context.Context, in *routeIDInput) (*empty, error) {
	return nil, h.svc.DeleteRoute(ctx, in.ApiId, in.RouteId)
}

func (h handlers) deleteRouteRequestParameter(ctx context.Context, in *routeIDInput) (*empty, error) {
	return nil, h.svc.DeleteRouteRequestParameter(ctx, in.ApiId, in.RouteId, in.RequestParameterKey)
}

// Integrations.

type integrationIDInput struct {
	ApiId         string `json:"apiId"`
	IntegrationId string `json:"integrationId"`
}

func (h handlers) createIntegration(ctx context.Context, in *gateway.IntegrationInput) (*gateway.Integration, error) {
	return h.svc.CreateIntegration(ctx, in)
}

func (h handlers) getIntegration(ctx context.Context, in *integrationIDInput) (*gateway.Integration, error) {
	return h.svc.GetIntegration(ctx, in.ApiId, in.IntegrationId)
}

func (h handlers) getIntegrations(ctx context.Context, in *listInput) (*listOutput[gateway.Integration], error) {
	return list(h.svc.GetIntegrations(ctx, in.ApiId, in.MaxResults, in.NextToken))
}

func (h handlers) updateIntegration(ctx context.Context, in *gateway.IntegrationInput) (*gateway.Integration, error) {
	return h.svc.UpdateIntegration(ctx, in)
}

func (h handlers) deleteIntegration(ctx context.Context, in *integrationIDInput) (*empty, error) {
	return nil, h.svc.DeleteIntegration(ctx, in.ApiId, in.IntegrationId)
}

// Authorizers.

type authorizerIDInput struct {
	ApiId        string `json:"apiId"`
	AuthorizerId string `json:"authorizerId"`
}

func (h handlers) createAuthorizer(ctx context.Context, in *gateway.AuthorizerInput) (*gateway.Authorizer, error) {
	return h.svc.CreateAuthorizer(ctx, in)
}

func (h handlers) getAuthorizer(ctx context.Context, in *authorizerIDInput) (*gateway.Authorizer, error) {
	return h.svc.GetAuthorizer(ctx, in.ApiId, in.AuthorizerId)
}

func (h handlers) getAuthorizers(ctx context.Context, in *listInput) (*listOutput[gateway.Authorizer], error) {
	return list(h.svc.GetAuthorizers(ctx, in.ApiId, in.MaxResults, in.NextToken))
}

func (h handlers) updateAuthorizer(ctx context.Context, in *gateway.AuthorizerInput) (*gateway.Authorizer, error) {
	return h.svc.UpdateAuthorizer(ctx, in)
}

func (h handlers) deleteAuthorizer(ctx context.Context, in *authorizerIDInput) (*empty, error) {
	return nil, h.svc.DeleteAuthorizer(ctx, in.ApiId, in.AuthorizerId)
}

// Stages.

type stageIDInput struct {
	ApiId     string `json:"apiId"`
	StageName string `json:"stageName"`
	RouteKey  string `json:"routeKey,omitempty"`
}

func (h handlers) createStage(ctx context.Context, in *gateway.StageInput) (*gateway.Stage, error) {
	return h.svc.CreateStage(ctx, in)
}

func (h handlers) getStage(ctx context.Context, in *stageIDInput) (*gateway.Stage, error) {
	return h.svc.GetStage(ctx, in.ApiId, in.StageName)
}

func (h handlers) getStages(ctx context.Context, in *listInput) (*listOutput[gateway.Stage], error) {
	return list(h.svc.GetStages(ctx, in.ApiId, in.MaxResults, in.NextToken))
}

func (h handlers) updateStage(ctx context.Context, in *gateway.StageInput) (*gateway.Stage, error) {
	return h.svc.UpdateStage(ctx, in)
}

func (h handlers) deleteStage(ctx context.Context, in *stageIDInput) (*empty, error) {
	return nil, h.svc.DeleteStage(ctx, in.ApiId, in.StageName)
}

func (h handlers) deleteAccessLogSettings(ctx context.Context, in *stageIDInput) (*empty, error) {
	return nil, h.svc.DeleteAccessLogSettings(ctx, in.ApiId, in.StageName)
}

func (h handlers) deleteRouteSettings(ctx context.Context, in *stageIDInput) (*empty, error) {
	return nil, h.svc.DeleteRouteSettings(ctx, in.ApiId, in.StageName, in.RouteKey)
}

func (h handlers) resetAuthorizersCache(ctx context.Context, in *stageIDInput) (*empty, error) {
	return nil, h.svc.ResetAuthorizersCache(ctx, in.ApiId, in.StageName)
}

// Deployments.

type deploymentIDInput struct {
	ApiId        string `json:"apiId"`
	DeploymentId string `json:"deploymentId"`
}

func (h handlers) createDeployment(ctx context.Context, in *gateway.DeploymentInput) (*gateway.Deployment, error) {
	return h.svc.CreateDeployment(ctx, in)
}

func (h handlers) getDeployment(ctx context.Context, in *deploymentIDInput) (*gateway.Deployment, error) {
	return h.svc.GetDeployment(ctx, in.ApiId, in.DeploymentId)
}

func (h handlers) getDeployments(ctx context.Context, in *listInput) (*listOutput[gateway.Deployment], error) {
	return list(h.svc.GetDeployments(ctx, in.ApiId, in.MaxResults, in.NextToken))
}

func (h handlers) updateDeployment(ctx context.Context, in *gateway.DeploymentInput) (*gateway.Deployment, error) {
	return h.svc.UpdateDeployment(ctx, in)
}

func (h handlers) deleteDeployment(ctx context.Context, in *deploymentIDInput) (*empty, error) {
	return nil, h.svc.DeleteDeployment(ctx, in.ApiId, in.DeploymentId)
}

// Tags.

type tagsInput struct {
	ResourceArn string            `json:"resource-arn"`
	Tags        map[string]string `json:"tags,omitempty"`
	TagKeys     []string          `json:"tagKeys,omitempty"`
}

type tagsOutput struct {
	Tags map[string]string `json:"tags"`
}

func (h handlers) tagResource(ctx context.Context, in *tagsInput) (*empty, error) {
	return nil, h.svc.TagResource(ctx, in.ResourceArn, in.Tags)
}

func (h handlers) untagResource(ctx context.Context, in *tagsInput) (*empty, error) {
	return nil, h.svc.UntagResource(ctx, in.ResourceArn, in.TagKeys)
}

func (h handlers) getTags(ctx context.Context, in *tagsInput) (*tagsOutput, error) {
	tags, err := h.svc.GetTags(ctx, in.ResourceArn)
	if err != nil {
		return nil, err
	}
	return &tagsOutput{tags}, nil
}
