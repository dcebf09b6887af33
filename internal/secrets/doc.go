// Package secrets owns the master key and the authenticated encryption of secrets at rest
// (client secrets, signing keys, TOTP secrets, SRP verifiers) and keyed MACs of one-time codes.
package secrets
