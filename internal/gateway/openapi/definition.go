package openapi

import "github.com/gatehouse-dev/gatehouse/internal/gateway"

// Definition is an HTTP API as an OpenAPI document describes it: what ImportApi creates and
// what ExportApi writes. Routes name their integration and authorizer by Ref, a name local to
// the Definition; the caller maps Refs to the IDs it creates (import) or sets Refs from
// existing IDs (export).
type Definition struct {
	// Name is info.title, the API's name.
	Name string
	// Version is info.version, the API's version.
	Version string
	// Description is info.description.
	Description string
	// Cors is x-amazon-apigateway-cors, or nil.
	Cors *gateway.Cors
	// Tags are the root-level tags: each tag's name and its x-amazon-apigateway-tag-value (""
	// when the tag has none), which ImportApi makes the API's tags.
	Tags map[string]string
	// Routes are the document's operations, in document order on import.
	Routes []Route
	// Integrations are the integrations routes use plus any that no route uses (an import's
	// unreferenced components.x-amazon-apigateway-integrations entries, an export's
	// "unusedIntegration_" components).
	Integrations []Integration
	// Authorizers are the security schemes carrying x-amazon-apigateway-authorizer.
	Authorizers []Authorizer
	// ImportInfo holds Import's info messages: constructs that are valid OpenAPI but that HTTP
	// APIs ignore (AWS returns them in the Api's importInfo). Export ignores it.
	ImportInfo []string
}

// Route is one route: an operation of a path item, ANY for x-amazon-apigateway-any-method,
// or the $default route.
type Route struct {
	// RouteKey is "METHOD /path" or "$default"; Import only produces keys route.Parse accepts.
	RouteKey string
	// Integration is the Ref of the route's integration, or "" for a route without one.
	Integration string
	// AuthorizationType is NONE, JWT, CUSTOM (a Lambda REQUEST authorizer) or AWS_IAM.
	AuthorizationType string
	// Authorizer is the Ref of the route's authorizer for JWT and CUSTOM, otherwise "".
	Authorizer string
	// AuthorizationScopes are the scopes of the route's security requirement (JWT only).
	AuthorizationScopes []string
	// OperationName is the operation's operationId.
	OperationName string
}

// Integration is an integration together with the Ref routes name it by. Import leaves
// IntegrationId empty and fills in the defaults CreateIntegration would (connectionType
// INTERNET, timeoutInMillis 30000, payloadFormatVersion 1.0, POST for AWS_PROXY).
type Integration struct {
	// Ref names the integration within the Definition. Import uses the components name for a
	// reusable integration and the route key for an inline one.
	Ref string
	gateway.Integration
}

// Authorizer is an authorizer together with the Ref routes name it by. Import sets Ref and
// Name to the security scheme's name and leaves AuthorizerId empty; Export names the scheme
// after Name.
type Authorizer struct {
	// Ref names the authorizer within the Definition.
	Ref string
	gateway.Authorizer
}

// Authorization types of a Route.
const (
	AuthNone   = "NONE"
	AuthJWT    = "JWT"
	AuthCustom = "CUSTOM"
	AuthIAM    = "AWS_IAM"
)
