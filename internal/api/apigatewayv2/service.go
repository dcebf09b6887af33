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

		"CreateRouteResponse": awsproto.Handle(h.createRouteResponse),
		"GetRouteResponse":    awsproto.Handle(h.getRouteResponse),
		"GetRouteResponses":   awsproto.Handle(h.getRouteResponses),
		"UpdateRouteResponse": awsproto.Handle(h.updateRouteResponse),
		"DeleteRouteResponse": awsproto.Handle(h.deleteRouteResponse),

		"CreateIntegrationResponse": awsproto.Handle(h.createIntegrationResponse),
		"GetIntegrationResponse":    awsproto.Handle(h.getIntegrationResponse),
		"GetIntegrationResponses":   awsproto.Handle(h.getIntegrationResponses),
		"UpdateIntegrationResponse": awsproto.Handle(h.updateIntegrationResponse),
		"DeleteIntegrationResponse": awsproto.Handle(h.deleteIntegrationResponse),

		"CreateModel": awsproto.Handle(h.createModel),
		"GetModel":    awsproto.Handle(h.getModel),
		"GetModels":   awsproto.Handle(h.getModels),
		"UpdateModel": awsproto.Handle(h.updateModel),
		"DeleteModel": awsproto.Handle(h.deleteModel),

		"CreateDomainName": awsproto.Handle(h.createDomainName),
		"GetDomainName":    awsproto.Handle(h.getDomainName),
		"GetDomainNames":   awsproto.Handle(h.getDomainNames),
		"UpdateDomainName": awsproto.Handle(h.updateDomainName),
		"DeleteDomainName": awsproto.Handle(h.deleteDomainName),

		"CreateApiMapping": awsproto.Handle(h.createApiMapping),
		"GetApiMapping":    awsproto.Handle(h.getApiMapping),
		"GetApiMappings":   awsproto.Handle(h.getApiMappings),
		"UpdateApiMapping": awsproto.Handle(h.updateApiMapping),
		"DeleteApiMapping": awsproto.Handle(h.deleteApiMapping),

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

// Route responses, integration responses and models (WebSocket APIs only).

// wsIDInput names one route response, integration response or model.
type wsIDInput struct {
	ApiId                 string `json:"apiId"`
	RouteId               string `json:"routeId,omitempty"`
	RouteResponseId       string `json:"routeResponseId,omitempty"`
	IntegrationId         string `json:"integrationId,omitempty"`
	IntegrationResponseId string `json:"integrationResponseId,omitempty"`
	ModelId               string `json:"modelId,omitempty"`
}

// wsListInput is GetRouteResponsesRequest, GetIntegrationResponsesRequest and GetModelsRequest.
type wsListInput struct {
	ApiId         string `json:"apiId"`
	RouteId       string `json:"routeId,omitempty"`
	IntegrationId string `json:"integrationId,omitempty"`
	MaxResults    string `json:"maxResults,omitempty"`
	NextToken     string `json:"nextToken,omitempty"`
}

func (h handlers) createRouteResponse(ctx context.Context, in *gateway.RouteResponseInput) (*gateway.RouteResponse, error) {
	return h.svc.CreateRouteResponse(ctx, in)
}

func (h handlers) getRouteResponse(ctx context.Context, in *wsIDInput) (*gateway.RouteResponse, error) {
	return h.svc.GetRouteResponse(ctx, in.ApiId, in.RouteId, in.RouteResponseId)
}

func (h handlers) getRouteResponses(ctx context.Context, in *wsListInput) (*listOutput[gateway.RouteResponse], error) {
	return list(h.svc.GetRouteResponses(ctx, in.ApiId, in.RouteId, in.MaxResults, in.NextToken))
}

func (h handlers) updateRouteResponse(ctx context.Context, in *gateway.RouteResponseInput) (*gateway.RouteResponse, error) {
	return h.svc.UpdateRouteResponse(ctx, in)
}

func (h handlers) deleteRouteResponse(ctx context.Context, in *wsIDInput) (*empty, error) {
	return nil, h.svc.DeleteRouteResponse(ctx, in.ApiId, in.RouteId, in.RouteResponseId)
}

func (h handlers) createIntegrationResponse(ctx context.Context, in *gateway.IntegrationResponseInput) (*gateway.IntegrationResponse, error) {
	return h.svc.CreateIntegrationResponse(ctx, in)
}

func (h handlers) getIntegrationResponse(ctx context.Context, in *wsIDInput) (*gateway.IntegrationResponse, error) {
	return h.svc.GetIntegrationResponse(ctx, in.ApiId, in.IntegrationId, in.IntegrationResponseId)
}

func (h handlers) getIntegrationResponses(ctx context.Context, in *wsListInput) (*listOutput[gateway.IntegrationResponse], error) {
	return list(h.svc.GetIntegrationResponses(ctx, in.ApiId, in.IntegrationId, in.MaxResults, in.NextToken))
}

func (h handlers) updateIntegrationResponse(ctx context.Context, in *gateway.IntegrationResponseInput) (*gateway.IntegrationResponse, error) {
	return h.svc.UpdateIntegrationResponse(ctx, in)
}

func (h handlers) deleteIntegrationResponse(ctx context.Context, in *wsIDInput) (*empty, error) {
	return nil, h.svc.DeleteIntegrationResponse(ctx, in.ApiId, in.IntegrationId, in.IntegrationResponseId)
}

func (h handlers) createModel(ctx context.Context, in *gateway.ModelInput) (*gateway.Model, error) {
	return h.svc.CreateModel(ctx, in)
}

func (h handlers) getModel(ctx context.Context, in *wsIDInput) (*gateway.Model, error) {
	return h.svc.GetModel(ctx, in.ApiId, in.ModelId)
}

func (h handlers) getModels(ctx context.Context, in *wsListInput) (*listOutput[gateway.Model], error) {
	return list(h.svc.GetModels(ctx, in.ApiId, in.MaxResults, in.NextToken))
}

func (h handlers) updateModel(ctx context.Context, in *gateway.ModelInput) (*gateway.Model, error) {
	return h.svc.UpdateModel(ctx, in)
}

func (h handlers) deleteModel(ctx context.Context, in *wsIDInput) (*empty, error) {
	return nil, h.svc.DeleteModel(ctx, in.ApiId, in.ModelId)
}

// Custom domain names and API mappings.

// domainInput names a domain name or one of its API mappings, and pages through either list.
type domainInput struct {
	DomainName   string `json:"domainName,omitempty"`
	ApiMappingId string `json:"apiMappingId,omitempty"`
	MaxResults   string `json:"maxResults,omitempty"`
	NextToken    string `json:"nextToken,omitempty"`
}

func (h handlers) createDomainName(ctx context.Context, in *gateway.DomainNameInput) (*gateway.DomainName, error) {
	return h.svc.CreateDomainName(ctx, in)
}

func (h handlers) getDomainName(ctx context.Context, in *domainInput) (*gateway.DomainName, error) {
	return h.svc.GetDomainName(ctx, in.DomainName)
}

func (h handlers) getDomainNames(ctx context.Context, in *domainInput) (*listOutput[gateway.DomainName], error) {
	return list(h.svc.GetDomainNames(ctx, in.MaxResults, in.NextToken))
}

func (h handlers) updateDomainName(ctx context.Context, in *gateway.DomainNameInput) (*gateway.DomainName, error) {
	return h.svc.UpdateDomainName(ctx, in)
}

func (h handlers) deleteDomainName(ctx context.Context, in *domainInput) (*empty, error) {
	return nil, h.svc.DeleteDomainName(ctx, in.DomainName)
}

func (h handlers) createApiMapping(ctx context.Context, in *gateway.ApiMappingInput) (*gateway.ApiMapping, error) {
	return h.svc.CreateApiMapping(ctx, in)
}

func (h handlers) getApiMapping(ctx context.Context, in *domainInput) (*gateway.ApiMapping, error) {
	return h.svc.GetApiMapping(ctx, in.DomainName, in.ApiMappingId)
}

func (h handlers) getApiMappings(ctx context.Context, in *domainInput) (*listOutput[gateway.ApiMapping], error) {
	return list(h.svc.GetApiMappings(ctx, in.DomainName, in.MaxResults, in.NextToken))
}

func (h handlers) updateApiMapping(ctx context.Context, in *gateway.ApiMappingInput) (*gateway.ApiMapping, error) {
	return h.svc.UpdateApiMapping(ctx, in)
}

func (h handlers) deleteApiMapping(ctx context.Context, in *domainInput) (*empty, error) {
	return nil, h.svc.DeleteApiMapping(ctx, in.DomainName, in.ApiMappingId)
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
