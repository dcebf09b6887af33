// Package totp implements the software-token (TOTP, RFC 6238) MFA of Cognito user pools: it
// makes the shared secrets that AssociateSoftwareToken hands out and checks the codes of
// VerifySoftwareToken and the SOFTWARE_TOKEN_MFA challenge, refusing a code whose time step has
// already been used (the replay guard).
package totp
