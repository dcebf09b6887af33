package totp

import (
	"crypto/subtle"
	"encoding/base32"
	"fmt"
	"io"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// Parameters of the codes, as authenticator apps and Cognito use them: 30-second steps, six
// digits, HMAC-SHA1, and one step of clock skew either way.
const (
	Period = 30
	Digits = 6
	Skew   = 1
)

// SecretSize is the number of random bytes in a secret; its base32 form (Cognito's SecretCode)
// is 52 characters long.
const SecretSize = 32

var encoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewSecret returns a new random secret in base32, as AssociateSoftwareToken returns it.
func NewSecret(r io.Reader) (string, error) {
	b := make([]byte, SecretSize)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fmt.Errorf("totp secret: %w", err)
	}
	return encoding.EncodeToString(b), nil
}

// Step returns the time step of t.
func Step(t time.Time) int64 { return t.Unix() / Period }

// Code returns the code of secret at time step step.
func Code(secret string, step int64) (string, error) {
	return totp.GenerateCodeCustom(secret, time.Unix(step*Period, 0).UTC(), totp.ValidateOpts{
		Period: Period, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
}

// Check reports whether code is a valid code of secret at time now, within Skew steps, for a
// time step after lastStep (the last step accepted for this secret, 0 for none). It returns the
// step the code belongs to. replayed is true when the code is right but its step was already
// used: the caller answers as Cognito does for a reused code.
func Check(secret, code string, now time.Time, lastStep int64) (step int64, ok, replayed bool) {
	if len(code) != Digits {
		return 0, false, false
	}
	for _, c := range code {
		if c < '0' || c > '9' {
			return 0, false, false
		}
	}
	cur := Step(now)
	match := int64(-1)
	for s := cur - Skew; s <= cur+Skew; s++ {
		want, err := Code(secret, s)
		if err != nil {
			return 0, false, false
		}
		// Compare every candidate, in constant time, so timing does not tell which step matched.
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 && match < 0 {
			match = s
		}
	}
	if match < 0 {
		return 0, false, false
	}
	if match <= lastStep {
		return match, false, true
	}
	return match, true, false
}
