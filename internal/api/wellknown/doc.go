// Package wellknown serves a user pool's /.well-known/jwks.json and /.well-known/openid-configuration.
package wellknown
