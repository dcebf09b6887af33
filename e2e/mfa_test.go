package e2e

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/gatehouse-dev/gatehouse/internal/cognito/totp"
	"github.com/gatehouse-dev/gatehouse/internal/testenv"
)

// mfaEnv is a sign-in environment on a fake clock, so TOTP time steps can be stepped through.
type mfaEnv struct {
	*signInEnv
	clock *testenv.Clock
}

// newMfaEnv starts a server whose clock stands at the start of a TOTP time step, creates the
// sign-in pool (alice, Passw0rd!, email alice@example.com) and sets its MFA configuration.
func newMfaEnv(t *testing.T, mfa *cip.SetUserPoolMfaConfigInput) *mfaEnv {
	t.Helper()
	clock := testenv.NewClock(time.Unix(time.Now().Unix()/totp.Period*totp.Period+1, 0))
	e := &mfaEnv{signInEnv: newSignInEnv(t, nil, nil, testenv.WithClock(clock.Now)), clock: clock}
	if mfa != nil {
		mfa.UserPoolId = &e.pool
		_, err := e.c.SetUserPoolMfaConfig(e.ctx, mfa)
		e.must(err, "set user pool mfa config")
	}
	return e
}

var (
	totpOnly = &cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOptional,
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}}
	allFactors = &cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOptional,
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true},
		SmsMfaConfiguration: &types.SmsMfaConfigType{SmsAuthenticationMessage: aws.String("Code: {####}"),
			SmsConfiguration: &types.SmsConfigurationType{SnsCallerArn: aws.String("arn:aws:iam::000000000000:role/sns")}},
		EmailMfaConfiguration: &types.EmailMfaConfigType{Message: aws.String("Your sign-in code is {####}"), Subject: aws.String("Sign-in code")}}
)

// code returns the TOTP of secret at the server's current time step, offset by steps.
func (e *mfaEnv) code(secret string, steps int64) string {
	e.t.Helper()
	c, err := totp.Code(secret, totp.Step(e.clock.Now())+steps)
	e.must(err, "totp code")
	return c
}

// setUpTotp associates and verifies a software token for the holder of access and returns its
// secret.
func (e *mfaEnv) setUpTotp(access string) string {
	e.t.Helper()
	as, err := e.c.AssociateSoftwareToken(e.ctx, &cip.AssociateSoftwareTokenInput{AccessToken: &access})
	e.must(err, "associate software token")
	secret := aws.ToString(as.SecretCode)
	v, err := e.c.VerifySoftwareToken(e.ctx, &cip.VerifySoftwareTokenInput{AccessToken: &access, UserCode: aws.String(e.code(secret, 0)),
		FriendlyDeviceName: aws.String("phone")})
	e.must(err, "verify software token")
	if v.Status != types.VerifySoftwareTokenResponseTypeSuccess {
		e.t.Fatalf("verify status = %s", v.Status)
	}
	return secret
}

func (e *mfaEnv) respond(challenge types.ChallengeNameType, session string, kv ...string) (*cip.RespondToAuthChallengeOutput, error) {
	resp := map[string]string{"USERNAME": "alice"}
	for i := 0; i+1 < len(kv); i += 2 {
		resp[kv[i]] = kv[i+1]
	}
	return e.c.RespondToAuthChallenge(e.ctx, &cip.RespondToAuthChallengeInput{ClientId: &e.client, ChallengeName: challenge,
		Session: &session, ChallengeResponses: resp})
}

func (e *mfaEnv) mfaSettings() (list []string, preferred string) {
	u := e.getUser(e.pool, "alice")
	return u.UserMFASettingList, aws.ToString(u.PreferredMfaSetting)
}

func TestTotpMfaWithAccessToken(t *testing.T) {
	t.Parallel()
	e := newMfaEnv(t, totpOnly)
	access, _ := e.signIn("alice", "Passw0rd!")

	as, err := e.c.AssociateSoftwareToken(e.ctx, &cip.AssociateSoftwareTokenInput{AccessToken: &access})
	e.must(err, "associate")
	secret := aws.ToString(as.SecretCode)
	if len(secret) < 16 || as.Session != nil {
		t.Fatalf("associate = %+v", as)
	}
	_, err = e.c.VerifySoftwareToken(e.ctx, &cip.VerifySoftwareTokenInput{AccessToken: &access, UserCode: aws.String(wrongCode(e.code(secret, 0)))})
	testenv.WantError(t, err, "EnableSoftwareTokenMFAException", "Code mismatch and fail enable Software Token MFA")
	_, err = e.c.SetUserMFAPreference(e.ctx, &cip.SetUserMFAPreferenceInput{AccessToken: &access,
		SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true, PreferredMfa: true}})
	testenv.WantError(t, err, "InvalidParameterException", "User has not verified software token mfa")

	v, err := e.c.VerifySoftwareToken(e.ctx, &cip.VerifySoftwareTokenInput{AccessToken: &access, UserCode: aws.String(e.code(secret, 0)),
		FriendlyDeviceName: aws.String("phone")})
	e.must(err, "verify")
	if v.Status != types.VerifySoftwareTokenResponseTypeSuccess {
		t.Fatalf("verify = %+v", v)
	}
	// Verified but not turned on: in an OPTIONAL pool the user still signs in with a password.
	if list, _ := e.mfaSettings(); len(list) != 0 {
		t.Fatalf("UserMFASettingList after verify = %v", list)
	}
	e.signIn("alice", "Passw0rd!")

	_, err = e.c.SetUserMFAPreference(e.ctx, &cip.SetUserMFAPreferenceInput{AccessToken: &access,
		SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true, PreferredMfa: true}})
	e.must(err, "set mfa preference")
	if list, pref := e.mfaSettings(); !slices.Equal(list, []string{"SOFTWARE_TOKEN_MFA"}) || pref != "SOFTWARE_TOKEN_MFA" {
		t.Fatalf("mfa settings = %v %q", list, pref)
	}
	gu, err := e.c.GetUser(e.ctx, &cip.GetUserInput{AccessToken: &access})
	e.must(err, "get user")
	if !slices.Equal(gu.UserMFASettingList, []string{"SOFTWARE_TOKEN_MFA"}) || aws.ToString(gu.PreferredMfaSetting) != "SOFTWARE_TOKEN_MFA" {
		t.Errorf("GetUser mfa = %v %v", gu.UserMFASettingList, gu.PreferredMfaSetting)
	}

	out, err := e.passwordAuth("alice", "Passw0rd!")
	e.must(err, "sign in")
	if out.ChallengeName != types.ChallengeNameTypeSoftwareTokenMfa || out.AuthenticationResult != nil || aws.ToString(out.Session) == "" ||
		out.ChallengeParameters["FRIENDLY_DEVICE_NAME"] != "phone" {
		t.Fatalf("sign-in = %+v", out)
	}
	session := aws.ToString(out.Session)
	// The code that verified the token was used: the same time step is refused.
	_, err = e.respond(types.ChallengeNameTypeSoftwareTokenMfa, session, "SOFTWARE_TOKEN_MFA_CODE", e.code(secret, 0))
	testenv.WantError(t, err, "ExpiredCodeException", "Your software token has already been used once.")
	e.clock.Advance(totp.Period * time.Second)
	_, err = e.respond(types.ChallengeNameTypeSoftwareTokenMfa, session, "SOFTWARE_TOKEN_MFA_CODE", wrongCode(e.code(secret, 0)))
	testenv.WantError(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
	_, err = e.respond(types.ChallengeNameTypeSoftwareTokenMfa, session)
	testenv.WantError(t, err, "InvalidParameterException", "Missing required parameter SOFTWARE_TOKEN_MFA_CODE")
	res, err := e.respond(types.ChallengeNameTypeSoftwareTokenMfa, session, "SOFTWARE_TOKEN_MFA_CODE", e.code(secret, 0))
	e.must(err, "answer SOFTWARE_TOKEN_MFA")
	if res.AuthenticationResult == nil || aws.ToString(res.AuthenticationResult.RefreshToken) == "" || res.ChallengeName != "" {
		t.Fatalf("answer = %+v", res)
	}
	claims, _ := e.claims(aws.ToString(res.AuthenticationResult.IdToken))
	if claims["cognito:username"] != "alice" {
		t.Errorf("claims = %v", claims)
	}
	// A session answers once.
	e.clock.Advance(totp.Period * time.Second)
	_, err = e.respond(types.ChallengeNameTypeSoftwareTokenMfa, session, "SOFTWARE_TOKEN_MFA_CODE", e.code(secret, 0))
	testenv.WantError(t, err, "NotAuthorizedException", "Invalid session for the user, session is expired.")

	// Turning the factor off ends the challenge.
	_, err = e.c.AdminSetUserMFAPreference(e.ctx, &cip.AdminSetUserMFAPreferenceInput{UserPoolId: &e.pool, Username: aws.String("alice"),
		SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: false}})
	e.must(err, "admin set mfa preference")
	if list, pref := e.mfaSettings(); len(list) != 0 || pref != "" {
		t.Fatalf("mfa settings after turning off = %v %q", list, pref)
	}
	e.signIn("alice", "Passw0rd!")
}

func TestTotpSessionAttemptLimit(t *testing.T) {
	t.Parallel()
	e := newMfaEnv(t, totpOnly)
	access, _ := e.signIn("alice", "Passw0rd!")
	secret := e.setUpTotp(access)
	_, err := e.c.SetUserMFAPreference(e.ctx, &cip.SetUserMFAPreferenceInput{AccessToken: &access,
		SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true}})
	e.must(err, "set preference")
	e.clock.Advance(totp.Period * time.Second)
	out, err := e.passwordAuth("alice", "Passw0rd!")
	e.must(err, "sign in")
	session := aws.ToString(out.Session)
	for range 5 {
		_, err = e.respond(types.ChallengeNameTypeSoftwareTokenMfa, session, "SOFTWARE_TOKEN_MFA_CODE", wrongCode(e.code(secret, 0)))
		testenv.WantError(t, err, "CodeMismatchException", "")
	}
	// Five wrong codes use the session up: even the right code is refused now.
	_, err = e.respond(types.ChallengeNameTypeSoftwareTokenMfa, session, "SOFTWARE_TOKEN_MFA_CODE", e.code(secret, 0))
	testenv.WantError(t, err, "NotAuthorizedException", "Invalid session for the user, session is expired.")
}

func TestMfaSetupWhenRequired(t *testing.T) {
	t.Parallel()
	e := newMfaEnv(t, &cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOn,
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}})
	out, err := e.passwordAuth("alice", "Passw0rd!")
	e.must(err, "sign in")
	if out.ChallengeName != types.ChallengeNameTypeMfaSetup || out.ChallengeParameters["MFAS_CAN_SETUP"] != `["SOFTWARE_TOKEN_MFA"]` ||
		out.AuthenticationResult != nil {
		t.Fatalf("sign-in = %+v", out)
	}
	// MFA_SETUP cannot be answered before a token is set up.
	_, err = e.respond(types.ChallengeNameTypeMfaSetup, aws.ToString(out.Session))
	testenv.WantError(t, err, "NotAuthorizedException", "")
	out, err = e.passwordAuth("alice", "Passw0rd!")
	e.must(err, "sign in again")

	as, err := e.c.AssociateSoftwareToken(e.ctx, &cip.AssociateSoftwareTokenInput{Session: out.Session})
	e.must(err, "associate with session")
	if aws.ToString(as.Session) == "" || aws.ToString(as.SecretCode) == "" {
		t.Fatalf("associate = %+v", as)
	}
	// The challenge's session was spent by AssociateSoftwareToken.
	_, err = e.c.AssociateSoftwareToken(e.ctx, &cip.AssociateSoftwareTokenInput{Session: out.Session})
	testenv.WantError(t, err, "NotAuthorizedException", "")
	_, err = e.c.AssociateSoftwareToken(e.ctx, &cip.AssociateSoftwareTokenInput{})
	testenv.WantError(t, err, "InvalidParameterException", "")

	secret := aws.ToString(as.SecretCode)
	v, err := e.c.VerifySoftwareToken(e.ctx, &cip.VerifySoftwareTokenInput{Session: as.Session, UserCode: aws.String(e.code(secret, 0))})
	e.must(err, "verify with session")
	if v.Status != types.VerifySoftwareTokenResponseTypeSuccess || aws.ToString(v.Session) == "" {
		t.Fatalf("verify = %+v", v)
	}
	res, err := e.respond(types.ChallengeNameTypeMfaSetup, aws.ToString(v.Session))
	e.must(err, "answer MFA_SETUP")
	if res.AuthenticationResult == nil || aws.ToString(res.AuthenticationResult.AccessToken) == "" {
		t.Fatalf("MFA_SETUP answer = %+v", res)
	}
	if list, pref := e.mfaSettings(); !slices.Equal(list, []string{"SOFTWARE_TOKEN_MFA"}) || pref != "SOFTWARE_TOKEN_MFA" {
		t.Errorf("mfa settings after setup = %v %q", list, pref)
	}
	// From now on the user answers SOFTWARE_TOKEN_MFA, through SRP too.
	e.clock.Advance(totp.Period * time.Second)
	pv, err := e.srpSignIn(e.client, "alice", "Passw0rd!")
	e.must(err, "SRP sign-in")
	if pv.ChallengeName != types.ChallengeNameTypeSoftwareTokenMfa || pv.AuthenticationResult != nil {
		t.Fatalf("after SRP = %+v", pv)
	}
	res, err = e.respond(types.ChallengeNameTypeSoftwareTokenMfa, aws.ToString(pv.Session), "SOFTWARE_TOKEN_MFA_CODE", e.code(secret, 0))
	e.must(err, "answer after SRP")
	if res.AuthenticationResult == nil {
		t.Fatalf("answer = %+v", res)
	}
}

func TestSmsAndEmailMfa(t *testing.T) {
	t.Parallel()
	e := newMfaEnv(t, allFactors)
	_, err := e.c.AdminSetUserMFAPreference(e.ctx, &cip.AdminSetUserMFAPreferenceInput{UserPoolId: &e.pool, Username: aws.String("alice"),
		SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true}})
	testenv.WantError(t, err, "InvalidParameterException", "User does not have delivery config set to turn on SMS_MFA")
	_, err = e.c.AdminUpdateUserAttributes(e.ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: &e.pool, Username: aws.String("alice"),
		UserAttributes: []types.AttributeType{{Name: aws.String("phone_number"), Value: aws.String("+15555550123")}}})
	e.must(err, "add phone number")
	_, err = e.c.AdminSetUserMFAPreference(e.ctx, &cip.AdminSetUserMFAPreferenceInput{UserPoolId: &e.pool, Username: aws.String("alice"),
		SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true, PreferredMfa: true}})
	e.must(err, "enable sms mfa")
	u := e.getUser(e.pool, "alice")
	if len(u.MFAOptions) != 1 || u.MFAOptions[0].DeliveryMedium != types.DeliveryMediumTypeSms {
		t.Errorf("MFAOptions = %+v", u.MFAOptions)
	}

	out, err := e.passwordAuth("alice", "Passw0rd!")
	e.must(err, "sign in")
	if out.ChallengeName != types.ChallengeNameTypeSmsMfa || out.ChallengeParameters["CODE_DELIVERY_DELIVERY_MEDIUM"] != "SMS" ||
		out.ChallengeParameters["CODE_DELIVERY_DESTINATION"] != "+*******0123" {
		t.Fatalf("sign-in = %+v", out)
	}
	msg := e.s.Messages(t, e.pool, "alice")[0]
	if msg.Medium != "SMS" || msg.Body != "Code: "+msg.Code {
		t.Errorf("SMS = %+v", msg)
	}
	_, err = e.respond(types.ChallengeNameTypeSmsMfa, aws.ToString(out.Session), "SMS_MFA_CODE", wrongCode(msg.Code))
	testenv.WantError(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
	res, err := e.respond(types.ChallengeNameTypeSmsMfa, aws.ToString(out.Session), "SMS_MFA_CODE", msg.Code)
	e.must(err, "answer SMS_MFA")
	if res.AuthenticationResult == nil {
		t.Fatalf("answer = %+v", res)
	}
	// An SMS code belongs to its sign-in: it does not answer a later one.
	out2, err := e.passwordAuth("alice", "Passw0rd!")
	e.must(err, "sign in again")
	_, err = e.respond(types.ChallengeNameTypeSmsMfa, aws.ToString(out2.Session), "SMS_MFA_CODE", msg.Code)
	testenv.WantError(t, err, "CodeMismatchException", "")

	// Email MFA, as the preferred factor.
	_, err = e.c.AdminSetUserMFAPreference(e.ctx, &cip.AdminSetUserMFAPreferenceInput{UserPoolId: &e.pool, Username: aws.String("alice"),
		EmailMfaSettings: &types.EmailMfaSettingsType{Enabled: true, PreferredMfa: true}})
	e.must(err, "enable email mfa")
	if list, pref := e.mfaSettings(); !slices.Equal(list, []string{"SMS_MFA", "EMAIL_OTP"}) || pref != "EMAIL_OTP" {
		t.Fatalf("mfa settings = %v %q", list, pref)
	}
	out, err = e.passwordAuth("alice", "Passw0rd!")
	e.must(err, "sign in with email mfa")
	if out.ChallengeName != types.ChallengeNameTypeEmailOtp || out.ChallengeParameters["CODE_DELIVERY_DESTINATION"] != "a***@e***" {
		t.Fatalf("sign-in = %+v", out)
	}
	msg = e.s.Messages(t, e.pool, "alice")[0]
	if msg.Medium != "EMAIL" || msg.Subject != "Sign-in code" || msg.Body != "Your sign-in code is "+msg.Code {
		t.Errorf("email = %+v", msg)
	}
	res, err = e.respond(types.ChallengeNameTypeEmailOtp, aws.ToString(out.Session), "EMAIL_OTP_CODE", msg.Code)
	e.must(err, "answer EMAIL_OTP")
	if res.AuthenticationResult == nil {
		t.Fatalf("answer = %+v", res)
	}

	// Two factors on, none preferred: the user chooses.
	_, err = e.c.AdminSetUserMFAPreference(e.ctx, &cip.AdminSetUserMFAPreferenceInput{UserPoolId: &e.pool, Username: aws.String("alice"),
		EmailMfaSettings: &types.EmailMfaSettingsType{Enabled: true, PreferredMfa: false}})
	e.must(err, "clear preferred")
	out, err = e.passwordAuth("alice", "Passw0rd!")
	e.must(err, "sign in with a choice")
	var choices []string
	_ = json.Unmarshal([]byte(out.ChallengeParameters["MFAS_CAN_CHOOSE"]), &choices)
	if out.ChallengeName != types.ChallengeNameTypeSelectMfaType || !slices.Equal(choices, []string{"SMS_MFA", "EMAIL_OTP"}) {
		t.Fatalf("sign-in = %+v", out)
	}
	_, err = e.respond(types.ChallengeNameTypeSelectMfaType, aws.ToString(out.Session), "ANSWER", "SOFTWARE_TOKEN_MFA")
	testenv.WantError(t, err, "InvalidParameterException", "")
	sel, err := e.respond(types.ChallengeNameTypeSelectMfaType, aws.ToString(out.Session), "ANSWER", "SMS_MFA")
	e.must(err, "select SMS_MFA")
	if sel.ChallengeName != types.ChallengeNameTypeSmsMfa {
		t.Fatalf("select = %+v", sel)
	}
	res, err = e.respond(types.ChallengeNameTypeSmsMfa, aws.ToString(sel.Session), "SMS_MFA_CODE", e.s.LastCode(t, e.pool, "alice"))
	e.must(err, "answer the chosen factor")
	if res.AuthenticationResult == nil {
		t.Fatalf("answer = %+v", res)
	}
}

func TestMfaRequiredUsesPhone(t *testing.T) {
	t.Parallel()
	// MFA is required and the user has turned nothing on, but has a phone number: SMS is used.
	e := newMfaEnv(t, &cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOn,
		SmsMfaConfiguration: allFactors.SmsMfaConfiguration})
	out, err := e.passwordAuth("alice", "Passw0rd!")
	e.must(err, "sign in")
	if out.ChallengeName != types.ChallengeNameTypeMfaSetup || out.ChallengeParameters["MFAS_CAN_SETUP"] != `["SMS_MFA"]` {
		t.Fatalf("without a phone = %+v", out)
	}
	_, err = e.c.AdminUpdateUserAttributes(e.ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: &e.pool, Username: aws.String("alice"),
		UserAttributes: []types.AttributeType{{Name: aws.String("phone_number"), Value: aws.String("+15555550123")}}})
	e.must(err, "add phone number")
	out, err = e.passwordAuth("alice", "Passw0rd!")
	e.must(err, "sign in with a phone")
	if out.ChallengeName != types.ChallengeNameTypeSmsMfa {
		t.Fatalf("with a phone = %+v", out)
	}
	// The software token cannot be set up in a pool without TOTP.
	_, err = e.c.AssociateSoftwareToken(e.ctx, &cip.AssociateSoftwareTokenInput{Session: out.Session})
	testenv.WantError(t, err, "NotAuthorizedException", "")
	res, err := e.respond(types.ChallengeNameTypeSmsMfa, aws.ToString(out.Session), "SMS_MFA_CODE", e.s.LastCode(t, e.pool, "alice"))
	e.must(err, "answer")
	access := aws.ToString(res.AuthenticationResult.AccessToken)
	_, err = e.c.AssociateSoftwareToken(e.ctx, &cip.AssociateSoftwareTokenInput{AccessToken: &access})
	testenv.WantError(t, err, "SoftwareTokenMFANotFoundException", "Software Token MFA has not been enabled by the userPool.")
}

func TestMfaSetupWithEmail(t *testing.T) {
	t.Parallel()
	e := newMfaEnv(t, &cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOn,
		EmailMfaConfiguration: allFactors.EmailMfaConfiguration, SoftwareTokenMfaConfiguration: totpOnly.SoftwareTokenMfaConfiguration})
	// bob has no email address: he must set a factor up, and picks email.
	e.createUser(e.pool, "bob")
	_, err := e.c.AdminSetUserPassword(e.ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &e.pool, Username: aws.String("bob"),
		Password: aws.String("Passw0rd!"), Permanent: true})
	e.must(err, "set password")
	out, err := e.passwordAuth("bob", "Passw0rd!")
	e.must(err, "sign in")
	var canSetup []string
	_ = json.Unmarshal([]byte(out.ChallengeParameters["MFAS_CAN_SETUP"]), &canSetup)
	if out.ChallengeName != types.ChallengeNameTypeMfaSetup || !slices.Equal(canSetup, []string{"SOFTWARE_TOKEN_MFA", "EMAIL_OTP"}) {
		t.Fatalf("sign-in = %+v", out)
	}
	otp, err := e.c.RespondToAuthChallenge(e.ctx, &cip.RespondToAuthChallengeInput{ClientId: &e.client, ChallengeName: types.ChallengeNameTypeMfaSetup,
		Session: out.Session, ChallengeResponses: map[string]string{"USERNAME": "bob", "EMAIL": "bob@example.com"}})
	e.must(err, "MFA_SETUP with EMAIL")
	if otp.ChallengeName != types.ChallengeNameTypeEmailOtp {
		t.Fatalf("MFA_SETUP answer = %+v", otp)
	}
	res, err := e.c.RespondToAuthChallenge(e.ctx, &cip.RespondToAuthChallengeInput{ClientId: &e.client, ChallengeName: types.ChallengeNameTypeEmailOtp,
		Session: otp.Session, ChallengeResponses: map[string]string{"USERNAME": "bob", "EMAIL_OTP_CODE": e.s.LastCode(t, e.pool, "bob")}})
	e.must(err, "EMAIL_OTP")
	if res.AuthenticationResult == nil {
		t.Fatalf("EMAIL_OTP answer = %+v", res)
	}
	attrs := e.userAttrs(e.pool, "bob")
	u := e.getUser(e.pool, "bob")
	if attrs["email"] != "bob@example.com" || attrs["email_verified"] != "true" || !slices.Equal(u.UserMFASettingList, []string{"EMAIL_OTP"}) {
		t.Errorf("after email setup: %v %v", attrs, u.UserMFASettingList)
	}
}

func TestMfaPreferenceValidation(t *testing.T) {
	t.Parallel()
	e := newMfaEnv(t, totpOnly)
	access, _ := e.signIn("alice", "Passw0rd!")
	_, err := e.c.SetUserMFAPreference(e.ctx, &cip.SetUserMFAPreferenceInput{AccessToken: &access,
		EmailMfaSettings: &types.EmailMfaSettingsType{Enabled: true, PreferredMfa: true},
		SMSMfaSettings:   &types.SMSMfaSettingsType{Enabled: true, PreferredMfa: true}})
	testenv.WantError(t, err, "InvalidParameterException", "")
	_, err = e.c.SetUserMFAPreference(e.ctx, &cip.SetUserMFAPreferenceInput{AccessToken: aws.String("nope"),
		EmailMfaSettings: &types.EmailMfaSettingsType{Enabled: true}})
	testenv.WantError(t, err, "NotAuthorizedException", "Invalid Access Token")
	_, err = e.c.AdminSetUserMFAPreference(e.ctx, &cip.AdminSetUserMFAPreferenceInput{UserPoolId: &e.pool, Username: aws.String("nobody"),
		EmailMfaSettings: &types.EmailMfaSettingsType{Enabled: true}})
	testenv.WantError(t, err, "UserNotFoundException", "User does not exist.")
	_, err = e.c.VerifySoftwareToken(e.ctx, &cip.VerifySoftwareTokenInput{AccessToken: &access, UserCode: aws.String("123456")})
	testenv.WantError(t, err, "EnableSoftwareTokenMFAException", "")

	// Legacy SetUserSettings turns SMS MFA on and off.
	_, err = e.c.AdminUpdateUserAttributes(e.ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: &e.pool, Username: aws.String("alice"),
		UserAttributes: []types.AttributeType{{Name: aws.String("phone_number"), Value: aws.String("+15555550123")}}})
	e.must(err, "add phone")
	_, err = e.c.AdminSetUserSettings(e.ctx, &cip.AdminSetUserSettingsInput{UserPoolId: &e.pool, Username: aws.String("alice"),
		MFAOptions: []types.MFAOptionType{{DeliveryMedium: types.DeliveryMediumTypeSms, AttributeName: aws.String("phone_number")}}})
	e.must(err, "admin set user settings")
	if list, _ := e.mfaSettings(); !slices.Equal(list, []string{"SMS_MFA"}) {
		t.Errorf("after SetUserSettings: %v", list)
	}
	_, err = e.c.SetUserSettings(e.ctx, &cip.SetUserSettingsInput{AccessToken: &access, MFAOptions: []types.MFAOptionType{}})
	e.must(err, "set user settings")
	if list, _ := e.mfaSettings(); len(list) != 0 {
		t.Errorf("after clearing: %v", list)
	}
}
