package tokens

import (
	"encoding/base64"
	"encoding/json"
	"strings"
)

// PoolOf reads, without verifying anything, the user pool a token claims to come from: the last
// path segment of its iss. Callers then Verify the token against that pool's keys and issuer,
// so a forged iss only chooses which keys must have signed it.
func PoolOf(token string) (string, bool) {
	if len(token) > MaxTokenSize {
		return "", false
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return "", false
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return "", false
	}
	var c struct {
		Iss string `json:"iss"`
	}
	if json.Unmarshal(payload, &c) != nil {
		return "", false
	}
	i := strings.LastIndex(c.Iss, "/")
	if i < 0 || i == len(c.Iss)-1 || !strings.Contains(c.Iss[i+1:], "_") {
		return "", false
	}
	return c.Iss[i+1:], true
}
