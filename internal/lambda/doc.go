// Package lambda owns Lambda functions: their configuration, code, versions, aliases and
// resource policies in storage, and the Invoker that runs them through the local runtime
// host (package runtime). The Lambda API, API Gateway integrations and authorizers, and
// Cognito triggers all invoke functions through Invoker.
package lambda
