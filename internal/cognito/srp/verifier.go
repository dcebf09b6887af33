package srp

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
)

// SaltSize is the length in bytes of the salts NewSalt returns, as Cognito uses.
const SaltSize = 16

// NewSalt reads a fresh SaltSize-byte salt from r (normally crypto/rand.Reader).
func NewSalt(r io.Reader) ([]byte, error) {
	salt := make([]byte, SaltSize)
	if _, err := io.ReadFull(r, salt); err != nil {
		return nil, fmt.Errorf("read srp salt: %w", err)
	}
	return salt, nil
}

// SaltHex returns salt as the SALT challenge parameter: the lower-case
// padHex form of the salt read as a big-endian unsigned integer (leading zero
// bytes dropped, "00" prepended when the top bit is set). Clients disagree
// on other spellings: amazon-cognito-identity-js parses SALT into an integer
// (dropping leading zeros) while pycognito pads the string it receives
// (keeping them). This form is a fixed point for both, so both derive the
// same x as Verifier.
func SaltHex(salt []byte) string {
	return hex.EncodeToString(padBytes(salt))
}

// PoolName returns the pool name SRP hashes for a user pool id: the text
// between the first and second underscore ("us-east-1_AbC123" → "AbC123"),
// mirroring amazon-cognito-identity-js's UserPoolId.split('_')[1]. Passing the
// full pool id to Verifier or VerifyClaim is a classic interoperability bug.
// It returns "" if userPoolID has no underscore.
func PoolName(userPoolID string) string {
	_, rest, ok := strings.Cut(userPoolID, "_")
	if !ok {
		return ""
	}
	name, _, _ := strings.Cut(rest, "_")
	return name
}

// Verifier returns the SRP verifier v = g^x mod N for a password, where
// x = SHA-256(padHex(salt) ‖ SHA-256(poolName ‖ userID ‖ ":" ‖ password)).
// poolName is PoolName(userPoolID) and userID is the value later sent as
// USER_ID_FOR_SRP. The result is always VerifierSize bytes, big-endian, so it
// can be compared in constant time. The exponentiation runs in constant time.
func Verifier(poolName, userID, password string, salt []byte) []byte {
	return expG(passwordExponent(poolName, userID, password, salt))
}

// CheckPassword reports whether password matches verifier (as returned by
// Verifier for the same poolName, userID and salt), for flows where the
// plaintext arrives (USER_PASSWORD_AUTH and friends). The comparison is
// constant-time; a verifier of the wrong length never matches.
func CheckPassword(poolName, userID, password string, salt, verifier []byte) bool {
	if len(verifier) != VerifierSize {
		return false
	}
	return subtle.ConstantTimeCompare(Verifier(poolName, userID, password, salt), verifier) == 1
}

// passwordExponent returns x as 32 big-endian bytes.
func passwordExponent(poolName, userID, password string, salt []byte) []byte {
	inner := sha256.New()
	io.WriteString(inner, poolName)
	io.WriteString(inner, userID)
	io.WriteString(inner, ":")
	io.WriteString(inner, password)
	outer := sha256.New()
	outer.Write(padBytes(salt))
	outer.Write(inner.Sum(nil))
	return outer.Sum(nil)
}
