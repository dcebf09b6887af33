package apigatewayv2

import (
	"reflect"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/internal/awsmodel"
	"github.com/gatehouse-dev/gatehouse/internal/gateway"
)

// TestTypesMatchModel checks the wire types against AWS's model: every JSON member name is one
// AWS defines (a typo would silently drop a field); the members deliberately left out are listed.
func TestTypesMatchModel(t *testing.T) {
	cases := []struct {
		shape   string
		v       any
		missing []string
	}{
		{"Api", gateway.Api{}, nil},
		{"CreateApiRequest", gateway.CreateApiInput{}, nil},
		{"UpdateApiRequest", gateway.UpdateApiInput{}, nil},
		{"Route", gateway.Route{}, nil},
		{"UpdateRouteRequest", gateway.RouteInput{}, nil},
		{"Integration", gateway.Integration{}, nil},
		{"UpdateIntegrationRequest", gateway.IntegrationInput{}, nil},
		{"Authorizer", gateway.Authorizer{}, nil},
		{"UpdateAuthorizerRequest", gateway.AuthorizerInput{}, nil},
		{"Stage", gateway.Stage{}, nil},
		{"CreateStageRequest", gateway.StageInput{}, nil},
		{"Deployment", gateway.Deployment{}, nil},
		{"GetApisResponse", listOutput[gateway.Api]{}, nil},
		{"GetRoutesRequest", listInput{}, nil},
		{"DomainName", gateway.DomainName{}, nil},
		{"CreateDomainNameRequest", gateway.DomainNameInput{}, nil},
		{"ApiMapping", gateway.ApiMapping{}, nil},
		{"UpdateApiMappingRequest", gateway.ApiMappingInput{}, nil},
		{"GetApiMappingsResponse", listOutput[gateway.ApiMapping]{}, nil},
		{"RouteResponse", gateway.RouteResponse{}, nil},
		{"UpdateRouteResponseRequest", gateway.RouteResponseInput{}, nil},
		{"IntegrationResponse", gateway.IntegrationResponse{}, nil},
		{"UpdateIntegrationResponseRequest", gateway.IntegrationResponseInput{}, nil},
		{"Model", gateway.Model{}, nil},
		{"UpdateModelRequest", gateway.ModelInput{}, nil},
	}
	for _, c := range cases {
		t.Run(c.shape, func(t *testing.T) {
			for _, p := range awsmodel.CheckStruct("apigatewayv2", c.shape, reflect.TypeOf(c.v)) {
				allowed := false
				for _, m := range c.missing {
					if strings.HasPrefix(p, awsmodel.MissingPrefix) && strings.Contains(p, m) {
						allowed = true
					}
				}
				if !allowed {
					t.Error(p)
				}
			}
		})
	}
}
