package cognito

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/cognito/totp"
	"github.com/gatehouse-dev/gatehouse/internal/secrets"
	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

// MFA factor names as UserMFASettingList, PreferredMfaSetting and the challenges use them.
const (
	mfaSMS   = "SMS_MFA"
	mfaTOTP  = "SOFTWARE_TOKEN_MFA"
	mfaEmail = "EMAIL_OTP"
)

// mfaOrder is the order factors are listed in.
var mfaOrder = []string{mfaSMS, mfaTOTP, mfaEmail}

// totpRecord is a user's software token. Secrets are sealed under the master key.
type totpRecord struct {
	// Secret is the verified authenticator's secret; Pending is one associated but not yet
	// verified (verifying it replaces Secret).
	Secret  []byte `json:",omitempty"`
	Pending []byte `json:",omitempty"`
	// FriendlyName is the FriendlyDeviceName given when the token was verified.
	FriendlyName string `json:",omitempty"`
	// LastStep is the last TOTP time step accepted: codes of it and earlier steps are refused.
	LastStep int64 `json:",omitempty"`
}

func totpAAD(pool, username string) []byte { return []byte("totp/" + pool + "/" + username) }

// The MFA codes sent by SMS and email are valid as long as the challenge's session; a session
// takes at most maxSessionTries wrong codes.
const maxSessionTries = 5

func errMfaCodeMismatch() error {
	return awserr.New(ErrCodeMismatch, "Invalid code or auth state for the user.")
}

func errTotpReplayed() error {
	return awserr.New(ErrExpiredCode, "Your software token has already been used once.")
}

func errTotpNotEnabledForPool() error {
	return awserr.New("SoftwareTokenMFANotFoundException", "Software Token MFA has not been enabled by the userPool.")
}

// poolFactors lists the MFA factors a pool has configured.
func poolFactors(m MfaConfig) []string {
	var out []string
	if enabledFactor(m.SmsMfaConfiguration, true) {
		out = append(out, mfaSMS)
	}
	if enabledFactor(m.SoftwareTokenMfaConfiguration, false) {
		out = append(out, mfaTOTP)
	}
	if enabledFactor(m.EmailMfaConfiguration, true) {
		out = append(out, mfaEmail)
	}
	return out
}

// usable reports whether factor can challenge user u in a pool configured as m: SMS and email
// need the pool's configuration and the user's phone number or email address; a software token
// needs a verified authenticator (which keeps working if the pool later turns TOTP off, as AWS
// documents).
func usable(m MfaConfig, u *userRecord, factor string) bool {
	switch factor {
	case mfaSMS:
		return enabledFactor(m.SmsMfaConfiguration, true) && u.Attributes["phone_number"] != ""
	case mfaEmail:
		return enabledFactor(m.EmailMfaConfiguration, true) && u.Attributes["email"] != ""
	case mfaTOTP:
		return u.Totp != nil && len(u.Totp.Secret) > 0
	}
	return false
}

// mfaChallenge decides, after a right password, whether the sign-in needs a second factor and
// returns that challenge, or the tokens when it does not.
func (s *Service) mfaChallenge(tx storage.Tx, ac *authContext, authTime time.Time) (*AuthOutput, *TokenRequest, error) {
	u := &ac.user
	mode := ac.mfa.MfaConfiguration
	if mode != "ON" && mode != "OPTIONAL" {
		req, err := s.tokenRequest(tx, ac, authTime, "")
		return nil, req, err
	}
	var factors []string
	for _, f := range u.MfaSettings {
		if usable(ac.mfa, u, f) {
			factors = append(factors, f)
		}
	}
	if len(factors) == 0 && mode == "ON" {
		// MFA is required and the user has turned no factor on: any factor the user can
		// receive is used; without one, the user must set one up.
		for _, f := range mfaOrder {
			if usable(ac.mfa, u, f) {
				factors = append(factors, f)
			}
		}
		if len(factors) == 0 {
			return s.mfaSetupChallenge(ac, authTime)
		}
	}
	switch {
	case len(factors) == 0:
		req, err := s.tokenRequest(tx, ac, authTime, "")
		return nil, req, err
	case len(factors) == 1:
		return s.factorChallenge(ac, factors[0], authTime)
	case slices.Contains(factors, u.PreferredMfa):
		return s.factorChallenge(ac, u.PreferredMfa, authTime)
	}
	choices, _ := json.Marshal(factors)
	sess := s.newAuthSession(ac, "SELECT_MFA_TYPE", authTime)
	sess.Choices = factors
	return &AuthOutput{ChallengeName: "SELECT_MFA_TYPE", Session: s.sealSession(sess), ChallengeParameters: map[string]string{
		"MFAS_CAN_CHOOSE": string(choices), "USER_ID_FOR_SRP": u.Username}}, nil, nil
}

// newAuthSession starts the session of a challenge for the user of ac.
func (s *Service) newAuthSession(ac *authContext, challenge string, authTime time.Time) authSession {
	return authSession{ID: s.newUUID(), Pool: ac.pool.Id, Client: ac.client.ClientId, Username: ac.user.Username,
		Challenge: challenge, Expires: s.now().Add(sessionValidity(ac.client)), AuthTime: authTime}
}

// mfaSetupChallenge asks a user without a usable factor, in a pool that requires MFA, to set one
// up.
func (s *Service) mfaSetupChallenge(ac *authContext, authTime time.Time) (*AuthOutput, *TokenRequest, error) {
	canSetup := poolFactors(ac.mfa)
	list, _ := json.Marshal(canSetup)
	sess := s.newAuthSession(ac, "MFA_SETUP", authTime)
	return &AuthOutput{ChallengeName: "MFA_SETUP", Session: s.sealSession(sess), ChallengeParameters: map[string]string{
		"MFAS_CAN_SETUP": string(list), "USER_ID_FOR_SRP": ac.user.Username}}, nil, nil
}

// factorChallenge returns the challenge of one factor; for SMS and email it sends the code
// (after the transaction commits).
func (s *Service) factorChallenge(ac *authContext, factor string, authTime time.Time) (*AuthOutput, *TokenRequest, error) {
	u, p := &ac.user, ac.pool
	sess := s.newAuthSession(ac, factor, authTime)
	params := map[string]string{"USER_ID_FOR_SRP": u.Username}
	if factor == mfaTOTP {
		if u.Totp.FriendlyName != "" {
			params["FRIENDLY_DEVICE_NAME"] = u.Totp.FriendlyName
		}
		return &AuthOutput{ChallengeName: factor, Session: s.sealSession(sess), ChallengeParameters: params}, nil, nil
	}
	code := s.randomString(6, digits)
	sess.CodeMAC = s.Keys.MAC("mfa-code", sess.Pool, sess.Username, sess.ID, code)
	m := Message{PoolID: p.Id, Username: u.Username, Code: code, Purpose: "Authentication"}
	if factor == mfaSMS {
		var cfg struct{ SmsAuthenticationMessage string }
		_ = json.Unmarshal(ac.mfa.SmsMfaConfiguration, &cfg)
		m.Medium, m.Destination = "SMS", u.Attributes["phone_number"]
		m.Body = fill(firstNonEmpty(cfg.SmsAuthenticationMessage, p.SmsAuthenticationMessage, defaultAuthBody), u.Username, code)
	} else {
		var cfg struct{ Message, Subject string }
		_ = json.Unmarshal(ac.mfa.EmailMfaConfiguration, &cfg)
		m.Medium, m.Destination = "EMAIL", u.Attributes["email"]
		m.Subject = firstNonEmpty(cfg.Subject, defaultAuthSubject)
		m.Body = fill(firstNonEmpty(cfg.Message, defaultAuthBody), u.Username, code)
	}
	ac.outbox = append(ac.outbox, m)
	params["CODE_DELIVERY_DELIVERY_MEDIUM"] = m.Medium
	params["CODE_DELIVERY_DESTINATION"] = maskDestination(m.Medium, m.Destination)
	return &AuthOutput{ChallengeName: factor, Session: s.sealSession(sess), ChallengeParameters: params}, nil, nil
}

const (
	defaultAuthBody    = "Your authentication code is {####}. "
	defaultAuthSubject = "Your authentication code"
)

// sessionTriesKey counts the wrong answers given to a session that may be retried.
func sessionTriesKey(pool, id string) string { return sessionUsedKey(pool, id) + "#tries" }

// peekSession checks a sealed session like openSession but does not use it up: the caller
// ends it with spendSession (right answer) or failSession (wrong answer).
func (s *Service) peekSession(tx storage.Tx, token, client, challenge string) (authSession, error) {
	a, err := s.unsealSession(token)
	if err != nil || a.Client != client || a.Challenge != challenge || s.now().After(a.Expires) {
		return a, errInvalidSession()
	}
	return a, checkUnused(tx, a)
}

// checkUnused fails with the invalid-session error when session a has been answered already.
func checkUnused(tx storage.Tx, a authSession) error {
	_, err := tx.Get(sessionUsedKey(a.Pool, a.ID))
	switch {
	case err == nil:
		return errInvalidSession()
	case isNotFound(err):
		return nil
	}
	return err
}

// spendSession marks a session used.
func spendSession(tx storage.Tx, a authSession) error {
	if err := tx.Delete(sessionTriesKey(a.Pool, a.ID)); err != nil && !isNotFound(err) {
		return err
	}
	return tx.Put(sessionUsedKey(a.Pool, a.ID), []byte(a.Expires.Format(time.RFC3339)))
}

// failSession counts a wrong answer; after maxSessionTries the session is used up.
func failSession(tx storage.Tx, a authSession) error {
	key := sessionTriesKey(a.Pool, a.ID)
	n, err := storage.GetJSON[int](tx, key)
	if err != nil && !isNotFound(err) {
		return err
	}
	if n+1 >= maxSessionTries {
		return spendSession(tx, a)
	}
	return storage.PutJSON(tx, key, n+1)
}

// mfaUser loads the user of an MFA session.
func mfaUser(tx storage.Tx, ac *authContext, a authSession) error {
	u, ok, err := findUser(tx, ac.pool, a.Username)
	if err != nil {
		return err
	}
	if !ok || u.Username != a.Username || !u.Enabled {
		return errInvalidSession()
	}
	ac.user, ac.found = u, true
	return nil
}

// answerMfa checks the code of an SMS_MFA, EMAIL_OTP or SOFTWARE_TOKEN_MFA challenge.
func (s *Service) answerMfa(tx storage.Tx, ac *authContext, challenge, session string, resp map[string]string) (*AuthOutput, *TokenRequest, error, error) {
	param := map[string]string{mfaSMS: "SMS_MFA_CODE", mfaEmail: "EMAIL_OTP_CODE", mfaTOTP: "SOFTWARE_TOKEN_MFA_CODE"}[challenge]
	code := resp[param]
	if challenge == mfaEmail && code == "" {
		code = resp["EMAIL_MFA_CODE"]
	}
	if session == "" {
		return nil, nil, nil, missingParam("Session")
	}
	if code == "" {
		return nil, nil, nil, missingParam(param)
	}
	a, err := s.peekSession(tx, session, ac.client.ClientId, challenge)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := mfaUser(tx, ac, a); err != nil {
		return nil, nil, nil, err
	}
	p, u := ac.pool, &ac.user
	ukey := normName(p, u.Username)
	fails, spent, err := s.codeBudget(tx, p.Id, ukey)
	if err != nil || spent {
		return nil, nil, failureIf(spent, errAttemptLimit()), err
	}
	var good bool
	if challenge == mfaTOTP {
		if u.Totp == nil || len(u.Totp.Secret) == 0 {
			return nil, nil, nil, errInvalidSession()
		}
		secret, err := s.Keys.Open(u.Totp.Secret, totpAAD(p.Id, u.Username))
		if err != nil {
			return nil, nil, nil, err
		}
		step, ok, replayed := totp.Check(string(secret), code, s.now(), u.Totp.LastStep)
		if replayed {
			return nil, nil, errTotpReplayed(), nil
		}
		if good = ok; good {
			old := cloneUser(*u)
			u.Totp.LastStep = step
			if err := s.putUser(tx, p, &old, u, false); err != nil {
				return nil, nil, nil, err
			}
		}
	} else {
		good = secrets.EqualMAC(a.CodeMAC, s.Keys.MAC("mfa-code", a.Pool, a.Username, a.ID, code))
	}
	if !good {
		if err := s.countWrongCode(tx, p.Id, ukey, fails); err != nil {
			return nil, nil, nil, err
		}
		return nil, nil, errMfaCodeMismatch(), failSession(tx, a)
	}
	if err := clearWrongCodes(tx, p.Id, ukey); err != nil {
		return nil, nil, nil, err
	}
	if err := spendSession(tx, a); err != nil {
		return nil, nil, nil, err
	}
	if a.Enable != "" {
		// The sign-in set this factor up (MFA_SETUP with an email address): it is now on, and
		// the code proved the address.
		old := cloneUser(*u)
		enableFactor(u, a.Enable)
		if a.Enable == mfaEmail {
			u.Attributes["email_verified"] = "true"
		}
		if err := s.putUser(tx, p, &old, u, false); err != nil {
			return nil, nil, nil, err
		}
	}
	req, err := s.tokenRequest(tx, ac, a.AuthTime, "")
	return nil, req, nil, err
}

func failureIf(cond bool, err error) error {
	if cond {
		return err
	}
	return nil
}

// selectMfaType answers SELECT_MFA_TYPE with the challenge of the chosen factor.
func (s *Service) selectMfaType(tx storage.Tx, ac *authContext, session string, resp map[string]string) (*AuthOutput, *TokenRequest, error) {
	if session == "" {
		return nil, nil, missingParam("Session")
	}
	answer := resp["ANSWER"]
	if answer == "" {
		return nil, nil, missingParam("ANSWER")
	}
	if answer == "EMAIL_MFA" {
		answer = mfaEmail
	}
	a, err := s.peekSession(tx, session, ac.client.ClientId, "SELECT_MFA_TYPE")
	if err != nil {
		return nil, nil, err
	}
	if !slices.Contains(a.Choices, answer) {
		return nil, nil, errInvalidParam("Invalid MFA type %s; choose one of MFAS_CAN_CHOOSE.", answer)
	}
	if err := mfaUser(tx, ac, a); err != nil {
		return nil, nil, err
	}
	if !usable(ac.mfa, &ac.user, answer) {
		return nil, nil, errInvalidSession()
	}
	if err := spendSession(tx, a); err != nil {
		return nil, nil, err
	}
	return s.factorChallenge(ac, answer, a.AuthTime)
}

// completeMfaSetup answers MFA_SETUP: with the session VerifySoftwareToken returned (the user
// has set up a software token) it finishes the sign-in; with an EMAIL response (pools with email
// MFA) it records the address and sends an EMAIL_OTP challenge to it.
func (s *Service) completeMfaSetup(tx storage.Tx, ac *authContext, session string, resp map[string]string) (*AuthOutput, *TokenRequest, error) {
	if session == "" {
		return nil, nil, missingParam("Session")
	}
	a, err := s.peekSession(tx, session, ac.client.ClientId, "MFA_SETUP")
	if err != nil {
		return nil, nil, err
	}
	if err := mfaUser(tx, ac, a); err != nil {
		return nil, nil, err
	}
	p, u := ac.pool, &ac.user
	email := resp["EMAIL"]
	switch {
	case a.Verified:
		if err := spendSession(tx, a); err != nil {
			return nil, nil, err
		}
		req, err := s.tokenRequest(tx, ac, a.AuthTime, "")
		return nil, req, err
	case email != "" && slices.Contains(poolFactors(ac.mfa), mfaEmail):
		if err := spendSession(tx, a); err != nil {
			return nil, nil, err
		}
		old := cloneUser(*u)
		if _, err := s.changeAttributes(tx, p, u, []Attribute{{Name: "email", Value: ptr(email)}}, modeAdmin, ac.client.ClientId); err != nil {
			return nil, nil, err
		}
		u.Modified = s.now()
		if err := aliasError(s.putUser(tx, p, &old, u, false), len(p.UsernameAttributes) > 0); err != nil {
			return nil, nil, err
		}
		out, req, err := s.factorChallenge(ac, mfaEmail, a.AuthTime)
		if err == nil && out != nil {
			// The factor is turned on once the user proves the address with the code.
			next, _ := s.unsealSession(out.Session)
			next.Enable = mfaEmail
			out.Session = s.sealSession(next)
		}
		return out, req, err
	default:
		return nil, nil, awserr.New(awserr.NotAuthorized, "Invalid session provided. MFA has not been set up for the user.")
	}
}

// enableFactor turns factor on for u (UserMFASettingList), making it preferred when it is the
// only one.
func enableFactor(u *userRecord, factor string) {
	if !slices.Contains(u.MfaSettings, factor) {
		u.MfaSettings = append(u.MfaSettings, factor)
		slices.SortFunc(u.MfaSettings, func(a, b string) int { return slices.Index(mfaOrder, a) - slices.Index(mfaOrder, b) })
	}
	if u.PreferredMfa == "" {
		u.PreferredMfa = factor
	}
	syncMfaOptions(u)
}

// syncMfaOptions keeps the legacy MFAOptions in line with SMS MFA.
func syncMfaOptions(u *userRecord) {
	if slices.Contains(u.MfaSettings, mfaSMS) {
		u.MFAOptions = []MFAOption{{DeliveryMedium: "SMS", AttributeName: "phone_number"}}
	} else {
		u.MFAOptions = nil
	}
}

// AssociateSoftwareTokenOutput is AssociateSoftwareTokenResponse.
type AssociateSoftwareTokenOutput struct {
	SecretCode string `json:"SecretCode,omitempty"`
	Session    string `json:"Session,omitempty"`
}

// VerifySoftwareTokenOutput is VerifySoftwareTokenResponse.
type VerifySoftwareTokenOutput struct {
	Status  string `json:"Status,omitempty"`
	Session string `json:"Session,omitempty"`
}

// tokenOrSession resolves the user of AssociateSoftwareToken and VerifySoftwareToken from an
// access token or from an MFA_SETUP session (exactly one of them).
func (s *Service) tokenOrSession(ctx context.Context, tx storage.Tx, token, session string) (*UserPool, MfaConfig, userRecord, *authSession, error) {
	var u userRecord
	switch {
	case token != "" && session != "":
		return nil, MfaConfig{}, u, nil, errInvalidParam("Only one of AccessToken or Session may be provided.")
	case token == "" && session == "":
		return nil, MfaConfig{}, u, nil, errInvalidParam("Either AccessToken or Session must be provided.")
	case token != "":
		p, _, u, err := s.tokenUser(ctx, tx, token)
		if err != nil {
			return nil, MfaConfig{}, u, nil, err
		}
		rec, err := getPool(tx, p.Id)
		return p, rec.Mfa, u, nil, err
	}
	a, err := s.unsealSession(session)
	if err != nil || (a.Challenge != "MFA_SETUP" && a.Challenge != "MFA_SETUP_VERIFY") || a.Verified || s.now().After(a.Expires) {
		return nil, MfaConfig{}, u, nil, errInvalidSession()
	}
	if err := checkUnused(tx, a); err != nil {
		return nil, MfaConfig{}, u, nil, err
	}
	rec, err := getPool(tx, a.Pool)
	if err != nil {
		return nil, MfaConfig{}, u, nil, errInvalidSession()
	}
	u, ok, err := findUser(tx, &rec.Pool, a.Username)
	if err != nil {
		return nil, MfaConfig{}, u, nil, err
	}
	if !ok || u.Username != a.Username || !u.Enabled {
		return nil, MfaConfig{}, u, nil, errInvalidSession()
	}
	return &rec.Pool, rec.Mfa, u, &a, nil
}

// AssociateSoftwareToken gives the user a new TOTP secret to add to an authenticator app. The
// secret becomes the user's software token once VerifySoftwareToken checks a code of it.
func (s *Service) AssociateSoftwareToken(ctx context.Context, token, session string) (*AssociateSoftwareTokenOutput, error) {
	var out AssociateSoftwareTokenOutput
	err := s.update(ctx, func(tx storage.Tx) error {
		p, m, u, a, err := s.tokenOrSession(ctx, tx, token, session)
		if err != nil {
			return err
		}
		if !enabledFactor(m.SoftwareTokenMfaConfiguration, false) {
			return errTotpNotEnabledForPool()
		}
		secret, err := totp.NewSecret(s.rand())
		if err != nil {
			return err
		}
		old := cloneUser(u)
		if u.Totp == nil {
			u.Totp = &totpRecord{}
		}
		u.Totp.Pending = s.Keys.Seal([]byte(secret), totpAAD(p.Id, u.Username))
		if err := s.putUser(tx, p, &old, &u, false); err != nil {
			return err
		}
		out.SecretCode = secret
		if a != nil {
			if err := spendSession(tx, *a); err != nil {
				return err
			}
			next := *a
			next.ID, next.Challenge = s.newUUID(), "MFA_SETUP_VERIFY"
			out.Session = s.sealSession(next)
		}
		return nil
	})
	if err != nil {
		return nil, internal("associate software token", err)
	}
	return &out, nil
}

// VerifySoftwareToken checks a code of the secret AssociateSoftwareToken gave out and, if it is
// right, makes it the user's software token.
func (s *Service) VerifySoftwareToken(ctx context.Context, token, session, code, friendlyName string) (*VerifySoftwareTokenOutput, error) {
	var (
		out     VerifySoftwareTokenOutput
		failure error
	)
	err := s.update(ctx, func(tx storage.Tx) error {
		failure = nil
		p, m, u, a, err := s.tokenOrSession(ctx, tx, token, session)
		if err != nil {
			return err
		}
		if !enabledFactor(m.SoftwareTokenMfaConfiguration, false) {
			return errTotpNotEnabledForPool()
		}
		if u.Totp == nil || len(u.Totp.Pending) == 0 {
			return awserr.New("EnableSoftwareTokenMFAException", "Associate a software token with the user before verifying it.")
		}
		ukey := normName(p, u.Username)
		fails, spent, err := s.codeBudget(tx, p.Id, ukey)
		if err != nil {
			return err
		}
		if spent {
			failure = errAttemptLimit()
			return nil
		}
		secret, err := s.Keys.Open(u.Totp.Pending, totpAAD(p.Id, u.Username))
		if err != nil {
			return err
		}
		step, ok, _ := totp.Check(string(secret), code, s.now(), 0)
		if !ok {
			failure = awserr.New("EnableSoftwareTokenMFAException", "Code mismatch and fail enable Software Token MFA")
			if a != nil {
				if err := failSession(tx, *a); err != nil {
					return err
				}
			}
			return s.countWrongCode(tx, p.Id, ukey, fails)
		}
		if err := clearWrongCodes(tx, p.Id, ukey); err != nil {
			return err
		}
		old := cloneUser(u)
		u.Totp = &totpRecord{Secret: u.Totp.Pending, FriendlyName: friendlyName, LastStep: step}
		if a != nil {
			// Setting the token up during a sign-in that requires MFA turns it on.
			enableFactor(&u, mfaTOTP)
		}
		u.Modified = s.now()
		if err := s.putUser(tx, p, &old, &u, false); err != nil {
			return err
		}
		out.Status = "SUCCESS"
		if a != nil {
			if err := spendSession(tx, *a); err != nil {
				return err
			}
			next := *a
			next.ID, next.Challenge, next.Verified = s.newUUID(), "MFA_SETUP", true
			out.Session = s.sealSession(next)
		}
		return nil
	})
	if err != nil {
		return nil, internal("verify software token", err)
	}
	if failure != nil {
		return nil, failure
	}
	return &out, nil
}

// MfaSettings is SMSMfaSettingsType, SoftwareTokenMfaSettingsType and EmailMfaSettingsType.
type MfaSettings struct {
	Enabled      bool `json:"Enabled,omitempty"`
	PreferredMfa bool `json:"PreferredMfa,omitempty"`
}

// MfaPreference is the factor settings of SetUserMFAPreferenceRequest and
// AdminSetUserMFAPreferenceRequest.
type MfaPreference struct {
	SMSMfaSettings           *MfaSettings    `json:"SMSMfaSettings,omitempty"`
	SoftwareTokenMfaSettings *MfaSettings    `json:"SoftwareTokenMfaSettings,omitempty"`
	EmailMfaSettings         *MfaSettings    `json:"EmailMfaSettings,omitempty"`
	WebAuthnMfaSettings      json.RawMessage `json:"WebAuthnMfaSettings,omitempty"`
}

// applyMfaPreference turns factors on and off and sets the preferred one, as
// SetUserMFAPreference does. Settings left out of the request are unchanged.
func applyMfaPreference(u *userRecord, in *MfaPreference) error {
	settings := []struct {
		factor string
		s      *MfaSettings
	}{{mfaSMS, in.SMSMfaSettings}, {mfaTOTP, in.SoftwareTokenMfaSettings}, {mfaEmail, in.EmailMfaSettings}}
	preferred := 0
	for _, x := range settings {
		if x.s == nil {
			continue
		}
		if x.s.PreferredMfa {
			preferred++
		}
		if !x.s.Enabled && !x.s.PreferredMfa {
			continue
		}
		switch x.factor {
		case mfaSMS:
			if u.Attributes["phone_number"] == "" {
				return errInvalidParam("User does not have delivery config set to turn on SMS_MFA")
			}
		case mfaEmail:
			if u.Attributes["email"] == "" {
				return errInvalidParam("User does not have delivery config set to turn on EMAIL_OTP")
			}
		case mfaTOTP:
			if u.Totp == nil || len(u.Totp.Secret) == 0 {
				return errInvalidParam("User has not verified software token mfa")
			}
		}
	}
	if preferred > 1 {
		return errInvalidParam("Only one MFA method can be set as preferred.")
	}
	for _, x := range settings {
		if x.s == nil {
			continue
		}
		on := x.s.Enabled || x.s.PreferredMfa
		switch {
		case on && !slices.Contains(u.MfaSettings, x.factor):
			u.MfaSettings = append(u.MfaSettings, x.factor)
		case !on:
			u.MfaSettings = slices.DeleteFunc(u.MfaSettings, func(f string) bool { return f == x.factor })
		}
		switch {
		case x.s.PreferredMfa:
			u.PreferredMfa = x.factor
		case u.PreferredMfa == x.factor:
			u.PreferredMfa = ""
		}
	}
	slices.SortFunc(u.MfaSettings, func(a, b string) int { return slices.Index(mfaOrder, a) - slices.Index(mfaOrder, b) })
	if len(u.MfaSettings) == 0 {
		u.MfaSettings = nil
	}
	syncMfaOptions(u)
	return nil
}

// SetUserMFAPreference sets the signed-in user's MFA factors.
func (s *Service) SetUserMFAPreference(ctx context.Context, token string, in *MfaPreference) error {
	return s.editTokenUser(ctx, "set user mfa preference", token, func(_ storage.Tx, _ *UserPool, _ *Client, u *userRecord) error {
		return applyMfaPreference(u, in)
	})
}

// AdminSetUserMFAPreference sets a user's MFA factors as an administrator.
func (s *Service) AdminSetUserMFAPreference(ctx context.Context, pool, name string, in *MfaPreference) error {
	return s.editUser(ctx, "admin set user mfa preference", pool, name, func(_ storage.Tx, _ *UserPool, u *userRecord) error {
		return applyMfaPreference(u, in)
	})
}

// applyMfaOptions is the legacy SetUserSettings: MFAOptions with an SMS entry turn SMS MFA on,
// an empty list turns it off.
func applyMfaOptions(u *userRecord, opts []MFAOption) error {
	for _, o := range opts {
		if o.DeliveryMedium != "SMS" {
			return errInvalidParam("Only SMS is supported as a delivery medium for MFA.")
		}
		if o.AttributeName != "" && o.AttributeName != "phone_number" {
			return errInvalidParam("Only phone_number is supported as the attribute name for SMS MFA.")
		}
	}
	sms := len(opts) > 0
	return applyMfaPreference(u, &MfaPreference{SMSMfaSettings: &MfaSettings{Enabled: sms,
		PreferredMfa: sms && (u.PreferredMfa == "" || u.PreferredMfa == mfaSMS)}})
}

// SetUserSettings is the legacy way for the signed-in user to turn SMS MFA on or off.
func (s *Service) SetUserSettings(ctx context.Context, token string, opts []MFAOption) error {
	return s.editTokenUser(ctx, "set user settings", token, func(_ storage.Tx, _ *UserPool, _ *Client, u *userRecord) error {
		return applyMfaOptions(u, opts)
	})
}

// AdminSetUserSettings is the legacy way for an administrator to turn a user's SMS MFA on or off.
func (s *Service) AdminSetUserSettings(ctx context.Context, pool, name string, opts []MFAOption) error {
	return s.editUser(ctx, "admin set user settings", pool, name, func(_ storage.Tx, _ *UserPool, u *userRecord) error {
		return applyMfaOptions(u, opts)
	})
}
