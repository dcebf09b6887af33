package gateway

import (
	"context"
	"net/url"
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

// AuthorizerInput is CreateAuthorizerRequest and UpdateAuthorizerRequest (members left out of an
// update keep their values).
type AuthorizerInput struct {
	ApiId                          string            `json:"apiId"`
	AuthorizerId                   string            `json:"authorizerId,omitempty"`
	AuthorizerCredentialsArn       *string           `json:"authorizerCredentialsArn,omitempty"`
	AuthorizerPayloadFormatVersion *string           `json:"authorizerPayloadFormatVersion,omitempty"`
	AuthorizerResultTtlInSeconds   *int              `json:"authorizerResultTtlInSeconds,omitempty"`
	AuthorizerType                 *string           `json:"authorizerType,omitempty"`
	AuthorizerUri                  *string           `json:"authorizerUri,omitempty"`
	EnableSimpleResponses          *bool             `json:"enableSimpleResponses,omitempty"`
	IdentitySource                 []string          `json:"identitySource,omitempty"`
	IdentityValidationExpression   *string           `json:"identityValidationExpression,omitempty"`
	JwtConfiguration               *JWTConfiguration `json:"jwtConfiguration,omitempty"`
	Name                           *string           `json:"name,omitempty"`
}

// maxAuthorizers is the number of authorizers an HTTP API may have.
const maxAuthorizers = 10

// CreateAuthorizer adds an authorizer to an API.
func (s *Service) CreateAuthorizer(ctx context.Context, in *AuthorizerInput) (*Authorizer, error) {
	var out Authorizer
	err := s.editAPI(ctx, "create authorizer", in.ApiId, true, func(_ storage.Tx, rec *apiRecord) error {
		if len(rec.Authorizers) >= maxAuthorizers {
			return badRequest("Maximum number of Authorizers for this API has been reached")
		}
		a := Authorizer{AuthorizerId: s.newID(authorizerLen)}
		applyAuthorizer(&a, in)
		for _, other := range rec.Authorizers {
			if other.Name == a.Name {
				return conflict("Authorizer name %s already exists for this API", a.Name)
			}
		}
		if err := validateAuthorizer(rec, &a); err != nil {
			return err
		}
		if rec.Authorizers == nil {
			rec.Authorizers = map[string]Authorizer{}
		}
		rec.Authorizers[a.AuthorizerId] = a
		out = a
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateAuthorizer changes an authorizer.
func (s *Service) UpdateAuthorizer(ctx context.Context, in *AuthorizerInput) (*Authorizer, error) {
	var out Authorizer
	err := s.editAPI(ctx, "update authorizer", in.ApiId, true, func(_ storage.Tx, rec *apiRecord) error {
		a, ok := rec.Authorizers[in.AuthorizerId]
		if !ok {
			return errChildNotFound("Authorizer", in.AuthorizerId)
		}
		applyAuthorizer(&a, in)
		if err := validateAuthorizer(rec, &a); err != nil {
			return err
		}
		rec.Authorizers[a.AuthorizerId] = a
		out = a
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func applyAuthorizer(a *Authorizer, in *AuthorizerInput) {
	setStr(&a.AuthorizerCredentialsArn, in.AuthorizerCredentialsArn)
	setStr(&a.AuthorizerPayloadFormatVersion, in.AuthorizerPayloadFormatVersion)
	setStr(&a.AuthorizerType, in.AuthorizerType)
	setStr(&a.AuthorizerUri, in.AuthorizerUri)
	setStr(&a.IdentityValidationExpression, in.IdentityValidationExpression)
	setStr(&a.Name, in.Name)
	if in.AuthorizerResultTtlInSeconds != nil {
		a.AuthorizerResultTtlInSeconds = in.AuthorizerResultTtlInSeconds
	}
	if in.EnableSimpleResponses != nil {
		a.EnableSimpleResponses = in.EnableSimpleResponses
	}
	if in.IdentitySource != nil {
		a.IdentitySource = in.IdentitySource
	}
	if in.JwtConfiguration != nil {
		a.JwtConfiguration = in.JwtConfiguration
	}
}

// validateAuthorizer checks an HTTP API authorizer as API Gateway does.
func validateAuthorizer(rec *apiRecord, a *Authorizer) error {
	if a.Name == "" {
		return badRequest("Name is required")
	}
	if rec.Api.ProtocolType != "HTTP" {
		return nil
	}
	switch a.AuthorizerType {
	case "JWT":
		if a.JwtConfiguration == nil || a.JwtConfiguration.Issuer == "" {
			return badRequest("JwtConfiguration with an Issuer is required for JWT authorizers")
		}
		u, err := url.Parse(a.JwtConfiguration.Issuer)
		if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
			return badRequest("Invalid issuer %s: the issuer must be an https URL", a.JwtConfiguration.Issuer)
		}
		if len(a.JwtConfiguration.Audience) > 50 {
			return badRequest("A JWT authorizer can have at most 50 audiences")
		}
		if len(a.IdentitySource) == 0 {
			a.IdentitySource = []string{"$request.header.Authorization"}
		}
		if len(a.IdentitySource) != 1 || !validIdentitySource(a.IdentitySource[0]) {
			return badRequest("Invalid identity source for a JWT authorizer: it must be a single $request.header, $request.querystring, $context or $stageVariables expression")
		}
		if a.AuthorizerUri != "" || a.AuthorizerResultTtlInSeconds != nil && *a.AuthorizerResultTtlInSeconds != 0 {
			return badRequest("AuthorizerUri and AuthorizerResultTtlInSeconds are only supported for REQUEST authorizers")
		}
	case "REQUEST":
		if a.AuthorizerUri == "" {
			return badRequest("AuthorizerUri is required for REQUEST authorizers")
		}
		if a.AuthorizerPayloadFormatVersion == "" {
			return badRequest("AuthorizerPayloadFormatVersion is a required parameter for REQUEST authorizer")
		}
		if a.AuthorizerPayloadFormatVersion != "1.0" && a.AuthorizerPayloadFormatVersion != "2.0" {
			return badRequest("AuthorizerPayloadFormatVersion must be 1.0 or 2.0 for REQUEST authorizers")
		}
		if a.EnableSimpleResponses != nil && *a.EnableSimpleResponses && a.AuthorizerPayloadFormatVersion != "2.0" {
			return badRequest("Simple responses are only supported with payload format version 2.0")
		}
		ttl := 0
		if a.AuthorizerResultTtlInSeconds != nil {
			ttl = *a.AuthorizerResultTtlInSeconds
		}
		if ttl > 0 && len(a.IdentitySource) == 0 {
			return badRequest("Identity sources are required when authorizer caching is enabled")
		}
		for _, src := range a.IdentitySource {
			if !validIdentitySource(src) {
				return badRequest("Invalid identity source %s", src)
			}
		}
		if a.JwtConfiguration != nil {
			return badRequest("JwtConfiguration is only supported for JWT authorizers")
		}
	default:
		return badRequest("Invalid authorizer type %s for HTTP APIs; use JWT or REQUEST", a.AuthorizerType)
	}
	return nil
}

// validIdentitySource checks an identity source selection expression.
func validIdentitySource(src string) bool {
	for _, p := range []string{"$request.header.", "$request.querystring.", "$context.", "$stageVariables."} {
		if rest, ok := strings.CutPrefix(src, p); ok && rest != "" {
			return true
		}
	}
	return false
}

// GetAuthorizer returns an authorizer.
func (s *Service) GetAuthorizer(ctx context.Context, api, id string) (*Authorizer, error) {
	return getChild(ctx, s, "get authorizer", api, "Authorizer", id, func(r *apiRecord) map[string]Authorizer { return r.Authorizers })
}

// GetAuthorizers lists an API's authorizers.
func (s *Service) GetAuthorizers(ctx context.Context, api, maxResults, token string) ([]Authorizer, string, error) {
	return listChildren(ctx, s, "get authorizers", api, maxResults, token, func(r *apiRecord) map[string]Authorizer { return r.Authorizers },
		func(v Authorizer) string { return v.AuthorizerId })
}

// DeleteAuthorizer deletes an authorizer no route uses.
func (s *Service) DeleteAuthorizer(ctx context.Context, api, id string) error {
	return s.editAPI(ctx, "delete authorizer", api, true, func(_ storage.Tx, rec *apiRecord) error {
		if _, ok := rec.Authorizers[id]; !ok {
			return errChildNotFound("Authorizer", id)
		}
		for _, r := range rec.Routes {
			if r.AuthorizerId == id {
				return conflict("Cannot delete authorizer '%s', is referenced in route: %s", rec.Authorizers[id].Name, r.RouteKey)
			}
		}
		delete(rec.Authorizers, id)
		return nil
	})
}
