package gateway

import (
	"context"
	"net/url"
	"sort"
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

// IntegrationInput is CreateIntegrationRequest and UpdateIntegrationRequest (members left out of
// an update keep their values).
type IntegrationInput struct {
	ApiId                       string                       `json:"apiId"`
	IntegrationId               string                       `json:"integrationId,omitempty"`
	ConnectionId                *string                      `json:"connectionId,omitempty"`
	ConnectionType              *string                      `json:"connectionType,omitempty"`
	ContentHandlingStrategy     *string                      `json:"contentHandlingStrategy,omitempty"`
	CredentialsArn              *string                      `json:"credentialsArn,omitempty"`
	Description                 *string                      `json:"description,omitempty"`
	IntegrationMethod           *string                      `json:"integrationMethod,omitempty"`
	IntegrationSubtype          *string                      `json:"integrationSubtype,omitempty"`
	IntegrationType             *string                      `json:"integrationType,omitempty"`
	IntegrationUri              *string                      `json:"integrationUri,omitempty"`
	PassthroughBehavior         *string                      `json:"passthroughBehavior,omitempty"`
	PayloadFormatVersion        *string                      `json:"payloadFormatVersion,omitempty"`
	RequestParameters           map[string]string            `json:"requestParameters,omitempty"`
	RequestTemplates            map[string]string            `json:"requestTemplates,omitempty"`
	ResponseParameters          map[string]map[string]string `json:"responseParameters,omitempty"`
	TemplateSelectionExpression *string                      `json:"templateSelectionExpression,omitempty"`
	TimeoutInMillis             *int                         `json:"timeoutInMillis,omitempty"`
	TlsConfig                   *TlsConfig                   `json:"tlsConfig,omitempty"`
}

// defaultTimeout is an HTTP API integration's default and maximum timeout.
const defaultTimeout = 30000

// CreateIntegration adds an integration to an API.
func (s *Service) CreateIntegration(ctx context.Context, in *IntegrationInput) (*Integration, error) {
	var out Integration
	err := s.editAPI(ctx, "create integration", in.ApiId, true, func(_ storage.Tx, rec *apiRecord) error {
		i := Integration{IntegrationId: s.newID(childIDLength), ConnectionType: "INTERNET"}
		if rec.Api.ProtocolType == "HTTP" {
			i.TimeoutInMillis = defaultTimeout
		}
		applyIntegration(&i, in)
		if i.IntegrationType == "" {
			return badRequest("IntegrationType is required")
		}
		if i.PayloadFormatVersion == "" {
			i.PayloadFormatVersion = "1.0"
		}
		if i.IntegrationType == "AWS_PROXY" && i.IntegrationMethod == "" {
			i.IntegrationMethod = "POST"
		}
		if rec.Api.ProtocolType == "HTTP" {
			if err := validateIntegration(&i); err != nil {
				return err
			}
		}
		if rec.Integrations == nil {
			rec.Integrations = map[string]Integration{}
		}
		rec.Integrations[i.IntegrationId] = i
		out = i
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateIntegration changes an integration.
func (s *Service) UpdateIntegration(ctx context.Context, in *IntegrationInput) (*Integration, error) {
	var out Integration
	err := s.editAPI(ctx, "update integration", in.ApiId, true, func(_ storage.Tx, rec *apiRecord) error {
		i, ok := rec.Integrations[in.IntegrationId]
		if !ok {
			return errChildNotFound("Integration", in.IntegrationId)
		}
		applyIntegration(&i, in)
		if rec.Api.ProtocolType == "HTTP" {
			if err := validateIntegration(&i); err != nil {
				return err
			}
		}
		rec.Integrations[i.IntegrationId] = i
		out = i
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func applyIntegration(i *Integration, in *IntegrationInput) {
	setStr(&i.ConnectionId, in.ConnectionId)
	setStr(&i.ConnectionType, in.ConnectionType)
	setStr(&i.ContentHandlingStrategy, in.ContentHandlingStrategy)
	setStr(&i.CredentialsArn, in.CredentialsArn)
	setStr(&i.Description, in.Description)
	setStr(&i.IntegrationMethod, in.IntegrationMethod)
	setStr(&i.IntegrationSubtype, in.IntegrationSubtype)
	setStr(&i.IntegrationType, in.IntegrationType)
	setStr(&i.IntegrationUri, in.IntegrationUri)
	setStr(&i.PassthroughBehavior, in.PassthroughBehavior)
	setStr(&i.PayloadFormatVersion, in.PayloadFormatVersion)
	setStr(&i.TemplateSelectionExpression, in.TemplateSelectionExpression)
	if in.RequestParameters != nil {
		i.RequestParameters = in.RequestParameters
	}
	if in.RequestTemplates != nil {
		i.RequestTemplates = in.RequestTemplates
	}
	if in.ResponseParameters != nil {
		i.ResponseParameters = in.ResponseParameters
	}
	if in.TimeoutInMillis != nil {
		i.TimeoutInMillis = *in.TimeoutInMillis
	}
	if in.TlsConfig != nil {
		i.TlsConfig = in.TlsConfig
	}
}

// validateIntegration checks an HTTP API integration as API Gateway does.
func validateIntegration(i *Integration) error {
	switch i.IntegrationType {
	case "HTTP_PROXY":
		if i.PayloadFormatVersion != "1.0" {
			return badRequest("Unsupported payload format version %s for HTTP_PROXY integrations; it must be 1.0", i.PayloadFormatVersion)
		}
		if i.IntegrationMethod == "" {
			return badRequest("IntegrationMethod is required for HTTP_PROXY integrations")
		}
		if i.ConnectionType != "VPC_LINK" {
			u, err := url.Parse(i.IntegrationUri)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				if !strings.Contains(i.IntegrationUri, "${stageVariables.") {
					return badRequest("Invalid HTTP endpoint specified for URI")
				}
			}
		}
	case "AWS_PROXY":
		if i.PayloadFormatVersion != "1.0" && i.PayloadFormatVersion != "2.0" {
			return badRequest("Unsupported payload format version %s; use 1.0 or 2.0", i.PayloadFormatVersion)
		}
		if i.IntegrationUri == "" && i.IntegrationSubtype == "" {
			return badRequest("IntegrationUri is required for AWS_PROXY integrations")
		}
	default:
		return badRequest("Currently, an API with a protocol type of HTTP may only be associated with proxy integrations (AWS_PROXY, HTTP_PROXY)")
	}
	if i.TimeoutInMillis != 0 && (i.TimeoutInMillis < 50 || i.TimeoutInMillis > defaultTimeout) {
		return badRequest("Timeout must be between 50 ms and 30000 ms")
	}
	for k := range i.RequestParameters {
		if err := validateMappingKey(k, false); err != nil {
			return err
		}
	}
	for status, params := range i.ResponseParameters {
		if len(status) != 3 || status[0] < '2' || status[0] > '5' {
			return badRequest("Invalid status code %s in response parameters", status)
		}
		for k := range params {
			if err := validateMappingKey(k, true); err != nil {
				return err
			}
		}
	}
	return nil
}

// validateMappingKey checks a parameter mapping key: append|overwrite|remove:header.<name>,
// append|overwrite|remove:querystring.<name>, overwrite:path (requests) or
// overwrite:statuscode (responses).
func validateMappingKey(k string, response bool) error {
	action, target, ok := strings.Cut(k, ":")
	if !ok || (action != "append" && action != "overwrite" && action != "remove") {
		return badRequest("Invalid mapping expression specified: %s", k)
	}
	switch {
	case strings.HasPrefix(target, "header.") && len(target) > len("header."):
		name := strings.ToLower(strings.TrimPrefix(target, "header."))
		if reservedHeader(name) {
			return badRequest("Invalid mapping expression specified: %s. The header %s is reserved", k, name)
		}
		return nil
	case !response && strings.HasPrefix(target, "querystring.") && len(target) > len("querystring."):
		return nil
	case !response && target == "path" && action == "overwrite":
		return nil
	case response && target == "statuscode" && action == "overwrite":
		return nil
	}
	return badRequest("Invalid mapping expression specified: %s", k)
}

// reservedHeader reports whether a header cannot be mapped (AWS's reserved list).
func reservedHeader(h string) bool {
	switch h {
	case "authorization", "connection", "content-encoding", "content-length", "content-location", "forwarded",
		"keep-alive", "origin", "proxy-authenticate", "proxy-authorization", "te", "trailers", "transfer-encoding",
		"upgrade", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "via":
		return true
	}
	return strings.HasPrefix(h, "access-control-") || strings.HasPrefix(h, "apigw-") ||
		strings.HasPrefix(h, "x-amz-") || strings.HasPrefix(h, "x-amzn-")
}

// GetIntegration returns an integration.
func (s *Service) GetIntegration(ctx context.Context, api, id string) (*Integration, error) {
	return getChild(ctx, s, "get integration", api, "Integration", id, func(r *apiRecord) map[string]Integration { return r.Integrations })
}

// GetIntegrations lists an API's integrations.
func (s *Service) GetIntegrations(ctx context.Context, api, maxResults, token string) ([]Integration, string, error) {
	return listChildren(ctx, s, "get integrations", api, maxResults, token, func(r *apiRecord) map[string]Integration { return r.Integrations },
		func(v Integration) string { return v.IntegrationId })
}

// DeleteIntegration deletes an integration that no route targets.
func (s *Service) DeleteIntegration(ctx context.Context, api, id string) error {
	return s.editAPI(ctx, "delete integration", api, true, func(_ storage.Tx, rec *apiRecord) error {
		if _, ok := rec.Integrations[id]; !ok {
			return errChildNotFound("Integration", id)
		}
		var users []string
		for _, r := range rec.Routes {
			if r.Target == "integrations/"+id {
				users = append(users, r.RouteId)
			}
		}
		if len(users) > 0 {
			sort.Strings(users)
			return conflict("Cannot delete Integration because it is referenced by the following Routes with Ids: [%s]", strings.Join(users, ", "))
		}
		delete(rec.Integrations, id)
		delete(rec.IntegrationResponses, id)
		return nil
	})
}
