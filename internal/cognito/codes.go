package cognito

import (
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/secrets"
	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

// Code purposes.
const (
	purposeSignUp = "signup"
	purposeForgot = "forgot"
	purposeVerify = "verify:" // + attribute name
)

// Code validity as AWS documents it.
const (
	signUpCodeValidity = 24 * time.Hour
	forgotCodeValidity = time.Hour
	verifyCodeValidity = 24 * time.Hour
	maxCodeAttempts    = 5
	// A user may get at most maxUserCodeFailures wrong codes (over all codes and purposes)
	// per codeFailureWindow, however many new codes are requested: without this, requesting a
	// fresh code after every fifth miss would allow unbounded guessing.
	maxUserCodeFailures = 20
	codeFailureWindow   = time.Hour
	failuresPurpose     = "#failures"
)

// codeFailures counts a user's recent wrong codes.
type codeFailures struct {
	Count int
	Since time.Time
}

// codeRecord is a stored one-time code: only its MAC is kept.
type codeRecord struct {
	MAC      []byte
	Expires  time.Time
	Attempts int
	// Attribute and Value record what an attribute-verification code verifies.
	Attribute string `json:",omitempty"`
	Value     string `json:",omitempty"`
}

func errCodeMismatch() error {
	return awserr.New(ErrCodeMismatch, "Invalid verification code provided, please try again.")
}

func errExpiredCode() error {
	return awserr.New(ErrExpiredCode, "Invalid code provided, please request a code again.")
}

func errAttemptLimit() error {
	return awserr.New(awserr.LimitExceeded, "Attempt limit exceeded, please try after some time.")
}

// newCode makes a 6-digit code and stores its MAC for (pool, user, purpose), replacing any
// earlier code for the same purpose.
func (s *Service) newCode(tx storage.Tx, pool, ukey, purpose string, validity time.Duration, rec codeRecord) (string, error) {
	code := s.randomString(6, digits)
	rec.MAC = s.Keys.MAC("code", pool, ukey, purpose, code)
	rec.Expires = s.now().Add(validity)
	rec.Attempts = 0
	return code, storage.PutJSON(tx, codeKey(pool, ukey, purpose), rec)
}

// codeBudget returns a user's recent wrong codes and whether they have used up the budget of
// maxUserCodeFailures per codeFailureWindow.
func (s *Service) codeBudget(tx storage.Tx, pool, ukey string) (codeFailures, bool, error) {
	fails, err := storage.GetJSON[codeFailures](tx, codeKey(pool, ukey, failuresPurpose))
	if err != nil && !isNotFound(err) {
		return fails, false, err
	}
	now := s.now()
	if now.Sub(fails.Since) > codeFailureWindow {
		fails = codeFailures{Since: now}
	}
	return fails, fails.Count >= maxUserCodeFailures, nil
}

// countWrongCode records one more wrong code against the user's budget.
func (s *Service) countWrongCode(tx storage.Tx, pool, ukey string, fails codeFailures) error {
	fails.Count++
	return storage.PutJSON(tx, codeKey(pool, ukey, failuresPurpose), fails)
}

// clearWrongCodes resets the budget after a right code.
func clearWrongCodes(tx storage.Tx, pool, ukey string) error {
	if err := tx.Delete(codeKey(pool, ukey, failuresPurpose)); err != nil && !isNotFound(err) {
		return err
	}
	return nil
}

// consumeCode checks code against the stored one. A match deletes the code and returns its
// record. A mismatch counts an attempt; after maxCodeAttempts the code is void. The returned
// failure must be reported only after tx commits (so the attempt count is kept): callers set it
// aside, return nil from the transaction, and return the failure afterwards.
func (s *Service) consumeCode(tx storage.Tx, pool, ukey, purpose, code string) (rec codeRecord, failure error, err error) {
	key := codeKey(pool, ukey, purpose)
	fails, spent, err := s.codeBudget(tx, pool, ukey)
	if err != nil || spent {
		return rec, failureIf(spent, errAttemptLimit()), err
	}
	rec, err = storage.GetJSON[codeRecord](tx, key)
	if isNotFound(err) {
		return rec, errExpiredCode(), nil
	}
	if err != nil {
		return rec, nil, err
	}
	if s.now().After(rec.Expires) {
		return rec, errExpiredCode(), tx.Delete(key)
	}
	if rec.Attempts >= maxCodeAttempts {
		return rec, errAttemptLimit(), nil
	}
	if !secrets.EqualMAC(rec.MAC, s.Keys.MAC("code", pool, ukey, purpose, code)) {
		rec.Attempts++
		if err := s.countWrongCode(tx, pool, ukey, fails); err != nil {
			return rec, nil, err
		}
		if rec.Attempts >= maxCodeAttempts {
			return rec, errAttemptLimit(), storage.PutJSON(tx, key, rec)
		}
		return rec, errCodeMismatch(), storage.PutJSON(tx, key, rec)
	}
	if err := clearWrongCodes(tx, pool, ukey); err != nil {
		return rec, nil, err
	}
	return rec, nil, tx.Delete(key)
}
