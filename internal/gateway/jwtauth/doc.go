// Package jwtauth is the HTTP API JWT authorizer as Amazon API Gateway documents it
// (http-api-jwt-authorizer.html, http-api-troubleshooting-jwt.html, http-api-quotas.html).
//
// A [Verifier] takes an authorizer's configuration ([Config]: issuer and audience list), the
// identity-source value the caller extracted from the request (the raw Authorization header,
// with or without "Bearer ") and the route's authorizationScopes, and returns a [Result]: either
// an allow carrying the claims exactly as API Gateway hands them to integrations (payload 2.0
// requestContext.authorizer.jwt.{claims,scopes}), or a denial carrying the status, body and
// www-authenticate value API Gateway answers with.
//
// The checks, in order: the token is a compact JWS (three segments) no longer than the header
// limit; its alg is RSA-based (RS256/384/512, PS256/384/512: AWS supports only RSA); its kid
// names an RSA key of the configured issuer's JWKS, found through
// {issuer}/.well-known/openid-configuration → jwks_uri; the signature verifies over the token's
// literal first two segments; iss equals the configured issuer exactly; aud (or client_id, only
// when aud is absent) is one of the audiences; exp is in the future and nbf and iat are not,
// with no clock skew; and, when the route has scopes, scp (or scope when scp is absent) holds at
// least one of them. token_use is not checked, as AWS does not. Every failure is a 401 except
// the scope miss, a 403. Nothing is ever allowed on an error path.
//
// Keys are cached per issuer for two hours; an unknown kid refreshes the set at most once per
// minimum refresh interval, concurrent fetches for one issuer are merged, and a failed fetch
// denies without discarding a still-valid cached set. Fetches time out after 1500 ms and a JWKS
// larger than 150000 bytes is refused (AWS's quotas). Issuers served by this process are
// resolved through [Options.Local] without HTTP. Verified tokens are kept in a bounded LRU cache
// keyed by SHA-256 of the authorizer configuration and the token, never past the token's exp;
// every hit re-checks exp, nbf and iat, and scopes are checked per route on every request.
//
// The package is pure: it has no knowledge of routes, stages or HTTP handlers beyond fetching
// keys; the data plane renders the [Result].
package jwtauth
