package jwtauth

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// renderClaims turns decoded claims into requestContext.authorizer.jwt.claims. The observed
// wire format (floci JwtClaimsWireFormatTest, KensioSoftware/yulin#302, DefinitelyTyped#75458):
// strings as they are, numbers and booleans as text ("1787996002", "true"), arrays in Go's fmt
// form ("[admin poweruser]"), null claims omitted, objects as JSON text. That is what fmt.Sprint
// gives for everything but objects (which it would print as map[k:v]); numbers stay json.Number
// so their text is the token's own. Elements inside arrays follow fmt.Sprint throughout (a
// null element prints as <nil>, an object as map[k:v]); that corner is unconfirmed.
func renderClaims(claims map[string]any) map[string]string {
	out := make(map[string]string, len(claims))
	for k, v := range claims {
		switch x := v.(type) {
		case nil:
		case string:
			out[k] = x
		case map[string]any:
			out[k] = jsonText(x)
		default:
			out[k] = fmt.Sprint(x)
		}
	}
	return out
}

// jsonText is v as compact JSON without HTML escaping.
func jsonText(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil { // unreachable for decoded JSON
		return ""
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// tokenScopes is requestContext.authorizer.jwt.scopes: scp when present, else scope; a string is
// split on spaces (RFC 6749's delimiter), an array keeps its string elements. Nil when the token has neither claim.
func tokenScopes(claims map[string]any) []string {
	v := claims["scp"]
	if v == nil {
		v = claims["scope"]
	}
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		out := []string{}
		for s := range strings.SplitSeq(x, " ") {
			if s != "" {
				out = append(out, s)
			}
		}
		return out
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	default:
		return []string{}
	}
}
