// Package tokens manages per-pool RSA signing keys and mints and verifies Cognito-exact ID,
// access and refresh tokens.
package tokens
