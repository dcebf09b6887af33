package cognito

import (
	"strings"
	"time"
	"unicode"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/cognito/srp"
)

// passwordRecord is how a password is stored: an SRP salt and verifier (the verifier sealed under
// the master key), never the password itself. The verifier binds the pool name and the user's
// canonical username, as Cognito's SRP does.
type passwordRecord struct {
	Salt     []byte
	Verifier []byte // sealed
	SetAt    time.Time
}

// symbols are the characters Cognito counts as special characters.
const symbols = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- "

// policyPrefix is how InvalidPasswordException messages start: AdminCreateUser's temporary
// passwords are reported against the "password policy", other operations against the "policy".
const (
	policyPrefix     = "Password did not conform with policy: "
	tempPolicyPrefix = "Password did not conform with password policy: "
)

// checkPassword returns InvalidPasswordException if pw breaks the pool's policy.
func checkPassword(p *UserPool, pw, prefix string) error {
	pol := PasswordPolicy{MinimumLength: ptr(defaultMinimumLength), RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true}
	if p.Policies != nil && p.Policies.PasswordPolicy != nil {
		pol = *p.Policies.PasswordPolicy
	}
	fail := func(msg string) error { return awserr.New(ErrInvalidPassword, prefix+msg) }
	if len([]rune(pw)) < deref(pol.MinimumLength, defaultMinimumLength) {
		return fail("Password not long enough")
	}
	if strings.TrimSpace(pw) != pw {
		return fail("Password must satisfy regular expression pattern: ^\\S.*\\S$")
	}
	var upper, lower, number, symbol bool
	for _, r := range pw {
		switch {
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsLower(r):
			lower = true
		case r >= '0' && r <= '9':
			number = true
		case strings.ContainsRune(symbols, r):
			symbol = true
		}
	}
	switch {
	case pol.RequireNumbers && !number:
		return fail("Password must have numeric characters")
	case pol.RequireLowercase && !lower:
		return fail("Password must have lowercase characters")
	case pol.RequireUppercase && !upper:
		return fail("Password must have uppercase characters")
	case pol.RequireSymbols && !symbol:
		return fail("Password must have symbol characters")
	}
	return nil
}

// verifierAAD binds a sealed verifier to its pool and user.
func verifierAAD(pool, username string) []byte {
	return []byte("srp-verifier/" + pool + "/" + username)
}

// makePassword derives the stored form of pw for a user.
func (s *Service) makePassword(pool, username, pw string) (passwordRecord, error) {
	salt, err := srp.NewSalt(s.rand())
	if err != nil {
		return passwordRecord{}, err
	}
	v := srp.Verifier(srp.PoolName(pool), username, pw, salt)
	return passwordRecord{Salt: salt, Verifier: s.Keys.Seal(v, verifierAAD(pool, username)), SetAt: s.now()}, nil
}

// passwordMatches reports whether pw is the password stored in rec, in constant time.
func (s *Service) passwordMatches(pool, username, pw string, rec *passwordRecord) bool {
	if rec == nil || len(rec.Salt) == 0 {
		return false
	}
	v, err := s.Keys.Open(rec.Verifier, verifierAAD(pool, username))
	if err != nil {
		return false
	}
	return srp.CheckPassword(srp.PoolName(pool), username, pw, rec.Salt, v)
}

// tempPasswordAlphabet groups the character classes a generated temporary password draws from.
var tempPasswordClasses = []string{"ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz", "23456789", "^$*.[]{}()?!@#%&/,><:;|_~=+-"}

// tempPassword generates a temporary password that satisfies the pool's policy.
func (s *Service) tempPassword(p *UserPool) string {
	n := defaultMinimumLength
	if p.Policies != nil && p.Policies.PasswordPolicy != nil {
		n = max(n, deref(p.Policies.PasswordPolicy.MinimumLength, n))
	}
	n = max(n, 12)
	var b []byte
	for _, class := range tempPasswordClasses { // one of each class first
		b = append(b, s.randomString(1, class)...)
	}
	all := strings.Join(tempPasswordClasses, "")
	b = append(b, s.randomString(n-len(b), all)...)
	// shuffle so the class order is not predictable
	for i := len(b) - 1; i > 0; i-- {
		j := s.randInt(i + 1)
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}
