// Package openapi converts between OpenAPI 3.0 documents and HTTP API definitions the way
// API Gateway's ImportApi, ReimportApi and ExportApi do. It is pure: Import reads a document
// into a Definition (API name, version, description, CORS, routes, integrations,
// authorizers) plus warnings, and Export writes a Definition back out; creating the resources,
// IDs, failOnWarnings and storage are the caller's business.
//
// # Import
//
// Import accepts JSON (a body starting with '{') or YAML, at most MaxBodySize (6 MB, API
// Gateway's limit on an imported definition) and 128 levels deep; YAML aliases are expanded
// within a node budget proportional to the input. What it reads:
//
//   - info.title, info.version (a number is kept as written), info.description.
//   - x-amazon-apigateway-cors (allowOrigins, allowCredentials, exposeHeaders, maxAge,
//     allowMethods, allowHeaders).
//   - tags: each root-level tag's name and x-amazon-apigateway-tag-value ("" without one).
//   - paths: each of get, put, post, delete, options, head and patch is a route "METHOD /path";
//     x-amazon-apigateway-any-method is ANY; x-amazon-apigateway-any-method on "/$default", or
//     any operation with isDefaultRoute: true, is the $default route. A path "$default" works
//     like "/$default" but is a warning ("Resource $default should start with /"), as on AWS;
//     other paths without a leading "/" and keys route.Parse rejects are warnings, not routes.
//     An x-amazon-apigateway-integration on a path item or the document is ignored with a
//     warning: AWS reads integrations only from operations (and components).
//   - x-amazon-apigateway-integration of an operation: type aws_proxy or http_proxy (any
//     case), uri, httpMethod, payloadFormatVersion (a number such as 1.0 is accepted),
//     connectionType, connectionId, credentials, integrationSubtype, timeoutInMillis,
//     requestParameters, responseParameters, tlsConfig.serverNameToVerify. An inline
//     integration is one integration for that route (Ref = the route key); a
//     {"$ref": "#/components/x-amazon-apigateway-integrations/NAME"} is the shared integration
//     NAME, and every components.x-amazon-apigateway-integrations entry becomes an integration
//     whether or not a route uses it. Other types (aws, http, mock) are warnings and the route
//     has no integration.
//   - components.securitySchemes with x-amazon-apigateway-authorizer: type jwt
//     (jwtConfiguration.issuer and .audience, identitySource; with no issuer, a scheme of type
//     openIdConnect derives it from openIdConnectUrl by dropping
//     "/.well-known/openid-configuration" where AWS would fetch the discovery document) and type
//     request (authorizerUri, authorizerCredentials, authorizerPayloadFormatVersion,
//     enableSimpleResponses, authorizerResultTtlInSeconds, identitySource). identitySource is a
//     comma-separated list. A scheme with x-amazon-apigateway-authtype awsSigv4 means AWS_IAM.
//   - security: an operation's requirement, or the document's when the operation has none, sets
//     the route's authorization type and authorizer; its scopes become authorizationScopes (JWT
//     only). More than one requirement (or scheme in one) is an error, as AWS documents.
//   - servers[0].url's path (variables replaced by their defaults) is the base path that
//     ImportOptions.Basepath prepend and split apply.
//
// Constructs HTTP APIs do not support are warnings (ImportApi's warnings) or, when they are
// valid OpenAPI that HTTP APIs merely ignore (requestBody, REST-only extensions and
// integration members), Definition.ImportInfo (ImportApi's importInfo).
//
// # Export
//
// Export writes OpenAPI 3.0.1 with x-amazon-apigateway-importexport-version "1.0" and:
//
//   - a server "{apiEndpoint}/{basePath}" whose basePath variable defaults to the stage name;
//   - the API's tags as root-level tags with x-amazon-apigateway-tag-value;
//   - one operation per route with responses {"default": {"description": "Default response
//     for <route key>"}}, security, and an inline x-amazon-apigateway-integration (type in
//     lower case, connectionType always, timeoutInMillis unless it is the default 30000), and
//     path-level "Generated path parameter for <name>" entries for path variables;
//   - JWT authorizers as oauth2 schemes with empty flows, Lambda authorizers as apiKey schemes,
//     AWS_IAM as the "sigv4" apiKey scheme with x-amazon-apigateway-authtype awsSigv4;
//   - integrations no route uses as components.x-amazon-apigateway-integrations
//     "unusedIntegration_<ref>";
//   - x-amazon-apigateway-cors with maxAge and allowCredentials always present.
//
// Import(Export(d)) gives back d except for Refs, an integration shared by several routes
// coming back as one copy per route (exports inline every integration, as AWS's do), the
// integration defaults Import fills in, and CORS maxAge and allowCredentials becoming explicit.
//
// # Sources
//
// Developer guide pages http-api-open-api.html, http-api-export.html,
// api-gateway-swagger-extensions-integration.html, -authorizer.html, -any-method.html,
// -cors-configuration.html, api-gateway-extensions-integrations.html,
// api-gateway-extensions-integration-tls-config.html,
// api-gateway-extensions-importexport-version.html and api-gateway-import-api-basePath.html;
// the ImportApi and ExportApi API reference (basepath, failOnWarnings, includeExtensions,
// outputType, stageName). The member order and formatting of exports follow real ExportApi
// output published in public repositories (JSON and YAML, 2020 to 2026). The warning format
// "Warnings found during import:\n\t<warning>" and the swagger-parser style "Parse issue:
// attribute ... is missing" come from moto's and the Terraform provider's tests of real
// behaviour, "Parse issue: attribute paths. Resource $default should start with /" from a
// comment in the SAM translator, "Unknown integration type 'null' for 'GET /'. Ignoring." from
// a console import reported in awsdocs/amazon-api-gateway-developer-guide#65, and
// "Invalid OpenAPI input." from aws/aws-cli#8191 (a REST API import). The texts of Import's
// other errors and warnings are this package's own, in the same style.
package openapi
