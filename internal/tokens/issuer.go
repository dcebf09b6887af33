package tokens

import "strings"

// Issuer styles accepted by IssuerURL (the --issuer-style flag).
const (
	// StyleURL makes iss "<public-url>/<poolId>": where this Gatehouse is reachable.
	StyleURL = "url"
	// StyleAWS makes iss "https://cognito-idp.<region>.amazonaws.com/<poolId>", as Cognito does.
	StyleAWS = "aws"
)

// IssuerURL returns the iss claim of a pool's tokens: "https://cognito-idp.<region>.amazonaws.com/
// <poolId>" for style "aws" and "<publicURL>/<poolId>" for any other style ("url").
func IssuerURL(style, publicURL, region, poolID string) string {
	if style == StyleAWS {
		return "https://cognito-idp." + region + ".amazonaws.com/" + poolID
	}
	return strings.TrimRight(publicURL, "/") + "/" + poolID
}
