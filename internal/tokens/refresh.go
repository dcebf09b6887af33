package tokens

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

// Refresh tokens are opaque to clients and unforgeable: the payload is sealed with the master
// keyring (AES-256-GCM) and laid out like Cognito's JWE refresh tokens,
//
//	<header "{"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"}">.<256 random bytes>.<nonce>.<ciphertext>.<tag>
//
// all base64url. The header and the random part are bound as associated data, so no part can be
// changed.
const (
	refreshHeader  = "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ"
	refreshKeySize = 256 // the size of an RSA-OAEP-2048 encrypted key
	gcmNonceSize   = 12
	gcmTagSize     = 16
	sealVersion    = 1 // the first byte of secrets.Keyring output
	refreshAADTag  = "gatehouse refresh token v1\x00"
)

// RefreshToken is the payload of a refresh token.
type RefreshToken struct {
	// ID uniquely identifies this refresh token (set by NewRefreshToken).
	ID string `json:"id"`
	// PoolID, ClientID, Username and Sub identify whose token it is.
	PoolID   string `json:"p"`
	ClientID string `json:"c"`
	Username string `json:"u"`
	Sub      string `json:"s"`
	// OriginJTI is the origin_jti of the tokens of the authentication this token continues;
	// revoking it revokes them.
	OriginJTI string `json:"o"`
	// DeviceKey is the device the token was issued to, if any.
	DeviceKey string `json:"d,omitempty"`
	// AuthTime is the original authentication time, kept by every refresh.
	AuthTime int64 `json:"at"`
	// IssuedAt and Expires are Unix times (set by NewRefreshToken).
	IssuedAt int64 `json:"iat"`
	Expires  int64 `json:"exp"`
}

// NewRefreshToken seals p into an opaque refresh token valid for validity from now. It fills
// p.ID, p.IssuedAt and p.Expires and returns the completed payload with the token.
func (m *Manager) NewRefreshToken(p RefreshToken, validity time.Duration) (string, RefreshToken, error) {
	now := m.now()
	var err error
	if p.ID, err = newUUID(m.rand); err != nil {
		return "", p, err
	}
	p.IssuedAt = now.Unix()
	p.Expires = now.Add(validity).Unix()
	plain, err := json.Marshal(p)
	if err != nil {
		return "", p, fmt.Errorf("encode refresh token: %w", err)
	}
	pad := make([]byte, refreshKeySize)
	if _, err := io.ReadFull(m.rand, pad); err != nil {
		return "", p, fmt.Errorf("random: %w", err)
	}
	part2 := base64.RawURLEncoding.EncodeToString(pad)
	sealed := m.keyring.Seal(plain, refreshAAD(part2))
	nonce := sealed[1 : 1+gcmNonceSize]
	ct := sealed[1+gcmNonceSize : len(sealed)-gcmTagSize]
	tag := sealed[len(sealed)-gcmTagSize:]
	enc := base64.RawURLEncoding.EncodeToString
	return refreshHeader + "." + part2 + "." + enc(nonce) + "." + enc(ct) + "." + enc(tag), p, nil
}

// ParseRefreshToken opens a refresh token made by NewRefreshToken. It returns an error wrapping
// ErrInvalidToken if the token was not made with this master key or was altered, and ErrExpired
// if it has expired. The caller checks pool, client and revocation.
func (m *Manager) ParseRefreshToken(token string) (RefreshToken, error) {
	var p RefreshToken
	if len(token) > MaxTokenSize {
		return p, invalid("token too large")
	}
	parts := strings.Split(token, ".")
	if len(parts) != 5 || parts[0] != refreshHeader {
		return p, invalid("malformed refresh token")
	}
	var raw [3][]byte
	for i := range raw {
		b, err := base64.RawURLEncoding.DecodeString(parts[2+i])
		if err != nil {
			return p, invalid("malformed refresh token")
		}
		raw[i] = b
	}
	if len(raw[0]) != gcmNonceSize || len(raw[2]) != gcmTagSize {
		return p, invalid("malformed refresh token")
	}
	sealed := make([]byte, 0, 1+len(raw[0])+len(raw[1])+len(raw[2]))
	sealed = append(sealed, sealVersion)
	sealed = append(append(append(sealed, raw[0]...), raw[1]...), raw[2]...)
	plain, err := m.keyring.Open(sealed, refreshAAD(parts[1]))
	if err != nil {
		return p, invalid("refresh token does not open")
	}
	if err := json.Unmarshal(plain, &p); err != nil {
		return p, invalid("bad refresh payload")
	}
	if m.now().Unix() >= p.Expires {
		return p, ErrExpired
	}
	return p, nil
}

func refreshAAD(part2 string) []byte {
	return []byte(refreshAADTag + refreshHeader + "." + part2)
}
