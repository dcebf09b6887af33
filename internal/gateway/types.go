package gateway

import "time"

// Api is an HTTP API (the model's Api shape).
type Api struct {
	ApiEndpoint               string            `json:"apiEndpoint,omitempty"`
	ApiGatewayManaged         *bool             `json:"apiGatewayManaged,omitempty"`
	ApiId                     string            `json:"apiId"`
	ApiKeySelectionExpression string            `json:"apiKeySelectionExpression,omitempty"`
	CorsConfiguration         *Cors             `json:"corsConfiguration,omitempty"`
	CreatedDate               time.Time         `json:"createdDate"`
	Description               string            `json:"description,omitempty"`
	DisableSchemaValidation   *bool             `json:"disableSchemaValidation,omitempty"`
	DisableExecuteApiEndpoint bool              `json:"disableExecuteApiEndpoint"`
	ImportInfo                []string          `json:"importInfo,omitempty"`
	IpAddressType             string            `json:"ipAddressType,omitempty"`
	Name                      string            `json:"name"`
	ProtocolType              string            `json:"protocolType"`
	RouteSelectionExpression  string            `json:"routeSelectionExpression"`
	Tags                      map[string]string `json:"tags"`
	Version                   string            `json:"version,omitempty"`
	Warnings                  []string          `json:"warnings,omitempty"`
}

// Cors is an API's CORS configuration.
type Cors struct {
	AllowCredentials *bool    `json:"allowCredentials,omitempty"`
	AllowHeaders     []string `json:"allowHeaders,omitempty"`
	AllowMethods     []string `json:"allowMethods,omitempty"`
	AllowOrigins     []string `json:"allowOrigins,omitempty"`
	ExposeHeaders    []string `json:"exposeHeaders,omitempty"`
	MaxAge           *int     `json:"maxAge,omitempty"`
}

// Route is a route of an API.
type Route struct {
	ApiGatewayManaged                *bool                          `json:"apiGatewayManaged,omitempty"`
	ApiKeyRequired                   bool                           `json:"apiKeyRequired"`
	AuthorizationScopes              []string                       `json:"authorizationScopes,omitempty"`
	AuthorizationType                string                         `json:"authorizationType"`
	AuthorizerId                     string                         `json:"authorizerId,omitempty"`
	ModelSelectionExpression         string                         `json:"modelSelectionExpression,omitempty"`
	OperationName                    string                         `json:"operationName,omitempty"`
	RequestModels                    map[string]string              `json:"requestModels,omitempty"`
	RequestParameters                map[string]ParameterConstraint `json:"requestParameters"`
	RouteId                          string                         `json:"routeId"`
	RouteKey                         string                         `json:"routeKey"`
	RouteResponseSelectionExpression string                         `json:"routeResponseSelectionExpression,omitempty"`
	Target                           string                         `json:"target,omitempty"`
}

// ParameterConstraint is ParameterConstraints (WebSocket route request parameters).
type ParameterConstraint struct {
	Required bool `json:"required"`
}

// Integration is an integration of an API.
type Integration struct {
	ApiGatewayManaged                      *bool                        `json:"apiGatewayManaged,omitempty"`
	ConnectionId                           string                       `json:"connectionId,omitempty"`
	ConnectionType                         string                       `json:"connectionType,omitempty"`
	ContentHandlingStrategy                string                       `json:"contentHandlingStrategy,omitempty"`
	CredentialsArn                         string                       `json:"credentialsArn,omitempty"`
	Description                            string                       `json:"description,omitempty"`
	IntegrationId                          string                       `json:"integrationId"`
	IntegrationMethod                      string                       `json:"integrationMethod,omitempty"`
	IntegrationResponseSelectionExpression string                       `json:"integrationResponseSelectionExpression,omitempty"`
	IntegrationSubtype                     string                       `json:"integrationSubtype,omitempty"`
	IntegrationType                        string                       `json:"integrationType"`
	IntegrationUri                         string                       `json:"integrationUri,omitempty"`
	PassthroughBehavior                    string                       `json:"passthroughBehavior,omitempty"`
	PayloadFormatVersion                   string                       `json:"payloadFormatVersion,omitempty"`
	RequestParameters                      map[string]string            `json:"requestParameters,omitempty"`
	RequestTemplates                       map[string]string            `json:"requestTemplates,omitempty"`
	ResponseParameters                     map[string]map[string]string `json:"responseParameters,omitempty"`
	TemplateSelectionExpression            string                       `json:"templateSelectionExpression,omitempty"`
	TimeoutInMillis                        int                          `json:"timeoutInMillis,omitempty"`
	TlsConfig                              *TlsConfig                   `json:"tlsConfig,omitempty"`
}

// TlsConfig is an integration's TLS settings.
type TlsConfig struct {
	ServerNameToVerify string `json:"serverNameToVerify,omitempty"`
}

// Authorizer is an authorizer of an API.
type Authorizer struct {
	AuthorizerCredentialsArn       string            `json:"authorizerCredentialsArn,omitempty"`
	AuthorizerId                   string            `json:"authorizerId"`
	AuthorizerPayloadFormatVersion string            `json:"authorizerPayloadFormatVersion,omitempty"`
	AuthorizerResultTtlInSeconds   *int              `json:"authorizerResultTtlInSeconds,omitempty"`
	AuthorizerType                 string            `json:"authorizerType"`
	AuthorizerUri                  string            `json:"authorizerUri,omitempty"`
	EnableSimpleResponses          *bool             `json:"enableSimpleResponses,omitempty"`
	IdentitySource                 []string          `json:"identitySource,omitempty"`
	IdentityValidationExpression   string            `json:"identityValidationExpression,omitempty"`
	JwtConfiguration               *JWTConfiguration `json:"jwtConfiguration,omitempty"`
	Name                           string            `json:"name"`
}

// JWTConfiguration is a JWT authorizer's issuer and audiences.
type JWTConfiguration struct {
	Audience []string `json:"audience,omitempty"`
	Issuer   string   `json:"issuer,omitempty"`
}

// Stage is a stage of an API.
type Stage struct {
	AccessLogSettings           *AccessLogSettings       `json:"accessLogSettings,omitempty"`
	ApiGatewayManaged           *bool                    `json:"apiGatewayManaged,omitempty"`
	AutoDeploy                  bool                     `json:"autoDeploy"`
	ClientCertificateId         string                   `json:"clientCertificateId,omitempty"`
	CreatedDate                 time.Time                `json:"createdDate"`
	DefaultRouteSettings        *RouteSettings           `json:"defaultRouteSettings,omitempty"`
	DeploymentId                string                   `json:"deploymentId,omitempty"`
	Description                 string                   `json:"description,omitempty"`
	LastDeploymentStatusMessage string                   `json:"lastDeploymentStatusMessage,omitempty"`
	LastUpdatedDate             time.Time                `json:"lastUpdatedDate"`
	RouteSettings               map[string]RouteSettings `json:"routeSettings"`
	StageName                   string                   `json:"stageName"`
	StageVariables              map[string]string        `json:"stageVariables"`
	Tags                        map[string]string        `json:"tags"`
}

// RouteSettings are throttling and logging settings of a stage or one of its routes.
type RouteSettings struct {
	DataTraceEnabled       *bool    `json:"dataTraceEnabled,omitempty"`
	DetailedMetricsEnabled *bool    `json:"detailedMetricsEnabled,omitempty"`
	LoggingLevel           string   `json:"loggingLevel,omitempty"`
	ThrottlingBurstLimit   *int     `json:"throttlingBurstLimit,omitempty"`
	ThrottlingRateLimit    *float64 `json:"throttlingRateLimit,omitempty"`
}

// AccessLogSettings are a stage's access log destination and format.
type AccessLogSettings struct {
	DestinationArn string `json:"destinationArn,omitempty"`
	Format         string `json:"format,omitempty"`
}

// Deployment is a snapshot of an API's configuration that stages serve.
type Deployment struct {
	AutoDeployed            bool      `json:"autoDeployed"`
	CreatedDate             time.Time `json:"createdDate"`
	DeploymentId            string    `json:"deploymentId"`
	DeploymentStatus        string    `json:"deploymentStatus"`
	DeploymentStatusMessage string    `json:"deploymentStatusMessage,omitempty"`
	Description             string    `json:"description,omitempty"`
}
