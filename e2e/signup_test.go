package e2e

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/gatehouse-dev/gatehouse/internal/testenv"
)

// emailPool creates a pool that verifies email automatically and an app client of it.
func (e *env) emailPool(in *cip.CreateUserPoolInput, client *cip.CreateUserPoolClientInput) (pool, clientID, secret string) {
	e.t.Helper()
	if in == nil {
		in = &cip.CreateUserPoolInput{}
	}
	if in.AutoVerifiedAttributes == nil {
		in.AutoVerifiedAttributes = []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}
	}
	pool = e.pool(in)
	clientID, secret = e.client(pool, client)
	return pool, clientID, secret
}

// signUp signs up name with password Passw0rd! and the given attributes.
func (e *env) signUp(clientID, name string, kv ...string) *cip.SignUpOutput {
	e.t.Helper()
	out, err := e.c.SignUp(e.ctx, &cip.SignUpInput{ClientId: aws.String(clientID), Username: aws.String(name),
		Password: aws.String("Passw0rd!"), UserAttributes: attrs(kv...)})
	if err != nil {
		e.t.Fatalf("sign up %q: %v", name, err)
	}
	return out
}

func (e *env) confirmSignUp(clientID, name, code string) error {
	_, err := e.c.ConfirmSignUp(e.ctx, &cip.ConfirmSignUpInput{ClientId: aws.String(clientID), Username: aws.String(name),
		ConfirmationCode: aws.String(code)})
	return err
}

// confirmedUser signs up name with a verified email through the sign-up flow.
func (e *env) confirmedUser(pool, clientID, name, email string) {
	e.t.Helper()
	e.signUp(clientID, name, "email", email)
	e.must(e.confirmSignUp(clientID, name, e.s.LastCode(e.t, pool, name)), "confirm "+name)
}

// wrongCode returns a six-digit code different from code.
func wrongCode(code string) string {
	if code == "000000" {
		return "111111"
	}
	return "000000"
}

const (
	msgCodeMismatch  = "Invalid verification code provided, please try again."
	msgExpiredCode   = "Invalid code provided, please request a code again."
	msgUnknownClient = "Username/client id combination not found."
)

func TestSignUpPasswordPolicy(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, cid, _ := e.emailPool(nil, nil)
	for _, tc := range []struct{ pw, msg string }{
		{"Sh0rt!", "Password not long enough"},
		{"lowercase1!", "Password must have uppercase characters"},
		{"UPPERCASE1!", "Password must have lowercase characters"},
		{"NoNumbers!!", "Password must have numeric characters"},
		{"NoSymbols12", "Password must have symbol characters"},
	} {
		_, err := e.c.SignUp(e.ctx, &cip.SignUpInput{ClientId: &cid, Username: aws.String("wendy"), Password: aws.String(tc.pw),
			UserAttributes: attrs("email", "wendy@example.com")})
		testenv.WantError(t, err, "InvalidPasswordException", "Password did not conform with policy: "+tc.msg)
	}
	// A relaxed policy accepts what the default refuses.
	_, relaxed, _ := e.emailPool(&cip.CreateUserPoolInput{PoolName: aws.String("relaxed"), Policies: &types.UserPoolPolicyType{
		PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(6)}}}, nil)
	_, err := e.c.SignUp(e.ctx, &cip.SignUpInput{ClientId: &relaxed, Username: aws.String("wendy"), Password: aws.String("simple"),
		UserAttributes: attrs("email", "wendy@example.com")})
	e.must(err, "sign up with a relaxed policy")
}

func TestSignUpAttributes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pool, cid, _ := e.emailPool(&cip.CreateUserPoolInput{Schema: []types.SchemaAttributeType{
		{Name: aws.String("given_name"), AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(true), Mutable: aws.Bool(true)},
		{Name: aws.String("plan"), AttributeDataType: types.AttributeDataTypeString},
		{Name: aws.String("score"), AttributeDataType: types.AttributeDataTypeNumber, DeveloperOnlyAttribute: aws.Bool(true)},
	}}, nil)
	signUp := func(kv ...string) error {
		_, err := e.c.SignUp(e.ctx, &cip.SignUpInput{ClientId: &cid, Username: aws.String("xavier"), Password: aws.String("Passw0rd!"),
			UserAttributes: attrs(kv...)})
		return err
	}
	testenv.WantError(t, signUp("email", "x@example.com"), "InvalidParameterException",
		"Attributes did not conform to the schema: given_name: The attribute is required\n")
	testenv.WantError(t, signUp("email", "x@example.com", "given_name", "X", "custom:nope", "1"), "InvalidParameterException",
		"Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema.\n")
	// Developer-only attributes cannot be written by users.
	code, msg := testenv.APIError(t, signUp("email", "x@example.com", "given_name", "X", "dev:custom:score", "5"))
	if code != "InvalidParameterException" || !strings.Contains(msg, "dev:custom:score: Attribute does not exist in the schema.") {
		t.Fatalf("dev attribute: %s: %q", code, msg)
	}
	testenv.WantError(t, signUp("email", "not-an-email", "given_name", "X"), "InvalidParameterException", "Invalid email address format.")

	out, err := e.c.SignUp(e.ctx, &cip.SignUpInput{ClientId: &cid, Username: aws.String("xavier"), Password: aws.String("Passw0rd!"),
		UserAttributes: attrs("email", "x@example.com", "given_name", "X", "custom:plan", "pro")})
	e.must(err, "sign up")
	if out.UserConfirmed || !uuidRE.MatchString(aws.ToString(out.UserSub)) {
		t.Fatalf("sign up = %+v", out)
	}
	got := e.userAttrs(pool, "xavier")
	if got["given_name"] != "X" || got["custom:plan"] != "pro" || got["email"] != "x@example.com" || got["sub"] != aws.ToString(out.UserSub) {
		t.Fatalf("attributes = %v", got)
	}
	if st := e.getUser(pool, "xavier").UserStatus; st != types.UserStatusTypeUnconfirmed {
		t.Fatalf("status = %s", st)
	}
	testenv.WantError(t, signUp("email", "x2@example.com", "given_name", "X"), "UsernameExistsException", "User already exists")
	// The developer-only attribute is still writable by an administrator, who sees it.
	_, err = e.c.AdminUpdateUserAttributes(e.ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: &pool, Username: aws.String("xavier"),
		UserAttributes: attrs("dev:custom:score", "42")})
	e.must(err, "admin writes a developer-only attribute")
	if got := e.userAttrs(pool, "xavier"); got["dev:custom:score"] != "42" {
		t.Fatalf("attributes = %v", got)
	}
}

func TestSignUpClientWriteAttributes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, cid, _ := e.emailPool(nil, &cip.CreateUserPoolClientInput{WriteAttributes: []string{"email", "name"}})
	_, err := e.c.SignUp(e.ctx, &cip.SignUpInput{ClientId: &cid, Username: aws.String("yara"), Password: aws.String("Passw0rd!"),
		UserAttributes: attrs("email", "yara@example.com", "nickname", "y")})
	testenv.WantError(t, err, "NotAuthorizedException", "A client attempted to write unauthorized attribute")
	_, err = e.c.SignUp(e.ctx, &cip.SignUpInput{ClientId: &cid, Username: aws.String("yara"), Password: aws.String("Passw0rd!"),
		UserAttributes: attrs("email", "yara@example.com", "name", "Yara")})
	e.must(err, "sign up with writable attributes")
}

func TestSignUpRefusals(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, cid, _ := e.emailPool(&cip.CreateUserPoolInput{AdminCreateUserConfig: &types.AdminCreateUserConfigType{AllowAdminCreateUserOnly: true}}, nil)
	_, err := e.c.SignUp(e.ctx, &cip.SignUpInput{ClientId: &cid, Username: aws.String("zoe"), Password: aws.String("Passw0rd!")})
	testenv.WantError(t, err, "NotAuthorizedException", "SignUp is not permitted for this user pool")
	_, err = e.c.SignUp(e.ctx, &cip.SignUpInput{ClientId: aws.String("1234567890abcdefghijklmnop"), Username: aws.String("zoe"), Password: aws.String("Passw0rd!")})
	testenv.WantError(t, err, "ResourceNotFoundException", "User pool client 1234567890abcdefghijklmnop does not exist.")
}

// TestSignUpConfirm walks the code path: masked delivery details, a wrong code, the right code,
// and the code being void afterwards.
func TestSignUpConfirm(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pool, cid, _ := e.emailPool(&cip.CreateUserPoolInput{VerificationMessageTemplate: &types.VerificationMessageTemplateType{
		EmailSubject: aws.String("Confirm your account"), EmailMessage: aws.String("Welcome {username}! Your code: {####}")}}, nil)
	out := e.signUp(cid, "anna", "email", "anna@example.com")
	d := out.CodeDeliveryDetails
	if d == nil || aws.ToString(d.Destination) != "a***@e***" || d.DeliveryMedium != types.DeliveryMediumTypeEmail || aws.ToString(d.AttributeName) != "email" {
		t.Fatalf("CodeDeliveryDetails = %+v", d)
	}
	msgs := e.s.Messages(t, pool, "anna")
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	m := msgs[0]
	if !regexp.MustCompile(`^[0-9]{6}$`).MatchString(m.Code) || m.Subject != "Confirm your account" ||
		m.Body != "Welcome anna! Your code: "+m.Code || m.Destination != "anna@example.com" || m.Medium != "EMAIL" {
		t.Fatalf("message = %+v", m)
	}
	testenv.WantError(t, e.confirmSignUp(cid, "anna", wrongCode(m.Code)), "CodeMismatchException", msgCodeMismatch)
	e.must(e.confirmSignUp(cid, "anna", m.Code), "confirm")
	u := e.getUser(pool, "anna")
	if u.UserStatus != types.UserStatusTypeConfirmed || attrMap(u.UserAttributes)["email_verified"] != "true" {
		t.Fatalf("user = %s %v", u.UserStatus, attrMap(u.UserAttributes))
	}
	testenv.WantError(t, e.confirmSignUp(cid, "anna", m.Code), "NotAuthorizedException", "User cannot be confirmed. Current status is CONFIRMED")
	testenv.WantError(t, e.confirmSignUp(cid, "nobody", m.Code), "UserNotFoundException", msgUnknownClient)

	// A pool that verifies phone numbers sends the code by SMS.
	phonePool, phoneClient, _ := e.emailPool(&cip.CreateUserPoolInput{PoolName: aws.String("phone"),
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypePhoneNumber},
		SmsVerificationMessage: aws.String("Code {####}")}, nil)
	out = e.signUp(phoneClient, "ben", "phone_number", "+15555551234", "email", "ben@example.com")
	d = out.CodeDeliveryDetails
	if d == nil || aws.ToString(d.Destination) != "+*******1234" || d.DeliveryMedium != types.DeliveryMediumTypeSms || aws.ToString(d.AttributeName) != "phone_number" {
		t.Fatalf("SMS CodeDeliveryDetails = %+v", d)
	}
	sms := e.s.Messages(t, phonePool, "ben")
	if len(sms) != 1 || sms[0].Medium != "SMS" || sms[0].Body != "Code "+sms[0].Code || sms[0].Destination != "+15555551234" {
		t.Fatalf("SMS = %+v", sms)
	}
	e.must(e.confirmSignUp(phoneClient, "ben", sms[0].Code), "confirm by SMS code")
	got := e.userAttrs(phonePool, "ben")
	if got["phone_number_verified"] != "true" || got["email_verified"] == "true" {
		t.Fatalf("attributes = %v", got)
	}

	// Without automatic verification there is no code; an administrator confirms.
	_, noVerify, _ := e.emailPool(&cip.CreateUserPoolInput{PoolName: aws.String("none"), AutoVerifiedAttributes: []types.VerifiedAttributeType{}}, nil)
	if out := e.signUp(noVerify, "cleo", "email", "cleo@example.com"); out.CodeDeliveryDetails != nil {
		t.Fatalf("CodeDeliveryDetails without auto-verification = %+v", out.CodeDeliveryDetails)
	}
	_, err := e.c.ResendConfirmationCode(e.ctx, &cip.ResendConfirmationCodeInput{ClientId: &noVerify, Username: aws.String("cleo")})
	testenv.WantError(t, err, "InvalidParameterException", "")
}

// TestCodeDeliveryMasking: CodeDeliveryDetails show the first character of the address and of
// its domain, whole characters even outside ASCII.
func TestCodeDeliveryMasking(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, cid, _ := e.emailPool(nil, nil)
	for name, email := range map[string]string{"m1": "m@x.io", "m2": "élodie@ëxample.com", "m3": "Zed.Smith+tag@Mail.Example.COM"} {
		out := e.signUp(cid, name, "email", email)
		r := []rune(email)
		at := strings.IndexRune(email, '@')
		want := string(r[0]) + "***@" + string([]rune(email[at+1:])[0]) + "***"
		if got := aws.ToString(out.CodeDeliveryDetails.Destination); got != want {
			t.Errorf("SignUp(%s) destination = %q, want %q", email, got, want)
		}
	}
}

// TestConfirmSignUpAttemptLimit: five wrong codes, then even the right one is refused. AWS does
// not publish its limits; Gatehouse voids a code at the fifth wrong attempt.
func TestConfirmSignUpAttemptLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pool, cid, _ := e.emailPool(nil, nil)
	e.signUp(cid, "dora", "email", "dora@example.com")
	code := e.s.LastCode(t, pool, "dora")
	for i := range 5 {
		err := e.confirmSignUp(cid, "dora", wrongCode(code))
		want := "CodeMismatchException"
		if i == 4 {
			want = "LimitExceededException"
		}
		if c, _ := testenv.APIError(t, err); c != want {
			t.Fatalf("wrong attempt %d: %s, want %s", i+1, c, want)
		}
	}
	testenv.WantError(t, e.confirmSignUp(cid, "dora", code), "LimitExceededException", "Attempt limit exceeded, please try after some time.")
	if st := e.getUser(pool, "dora").UserStatus; st != types.UserStatusTypeUnconfirmed {
		t.Fatalf("status = %s", st)
	}
	// A new code starts over.
	_, err := e.c.ResendConfirmationCode(e.ctx, &cip.ResendConfirmationCodeInput{ClientId: &cid, Username: aws.String("dora")})
	e.must(err, "resend")
	e.must(e.confirmSignUp(cid, "dora", e.s.LastCode(t, pool, "dora")), "confirm with the new code")
}

// TestCodeExpiry moves a fake clock: sign-up codes last 24 hours, password-reset codes one hour.
func TestCodeExpiry(t *testing.T) {
	t.Parallel()
	clock := testenv.NewClock(time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC))
	e := newEnv(t, testenv.WithClock(clock.Now))
	pool, cid, _ := e.emailPool(nil, nil)

	e.signUp(cid, "emil", "email", "emil@example.com")
	code := e.s.LastCode(t, pool, "emil")
	if u := e.getUser(pool, "emil"); u.UserCreateDate.Sub(time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)).Abs() > time.Second {
		t.Fatalf("UserCreateDate = %v, want the fake clock's time", u.UserCreateDate)
	}
	clock.Advance(24*time.Hour + time.Minute)
	testenv.WantError(t, e.confirmSignUp(cid, "emil", code), "ExpiredCodeException", msgExpiredCode)
	_, err := e.c.ResendConfirmationCode(e.ctx, &cip.ResendConfirmationCodeInput{ClientId: &cid, Username: aws.String("emil")})
	e.must(err, "resend")
	clock.Advance(23 * time.Hour)
	e.must(e.confirmSignUp(cid, "emil", e.s.LastCode(t, pool, "emil")), "confirm within 24 hours")

	forgot := func() string {
		_, err := e.c.ForgotPassword(e.ctx, &cip.ForgotPasswordInput{ClientId: &cid, Username: aws.String("emil")})
		e.must(err, "forgot password")
		return e.s.LastCode(t, pool, "emil")
	}
	confirm := func(code string) error {
		_, err := e.c.ConfirmForgotPassword(e.ctx, &cip.ConfirmForgotPasswordInput{ClientId: &cid, Username: aws.String("emil"),
			ConfirmationCode: aws.String(code), Password: aws.String("N3w-password")})
		return err
	}
	code = forgot()
	clock.Advance(time.Hour + time.Minute)
	testenv.WantError(t, confirm(code), "ExpiredCodeException", msgExpiredCode)
	code = forgot()
	clock.Advance(59 * time.Minute)
	e.must(confirm(code), "confirm forgot password within the hour")
}

func TestResendConfirmationCode(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pool, cid, _ := e.emailPool(nil, nil)
	e.signUp(cid, "finn", "email", "finn@example.com")
	old := e.s.LastCode(t, pool, "finn")
	out, err := e.c.ResendConfirmationCode(e.ctx, &cip.ResendConfirmationCodeInput{ClientId: &cid, Username: aws.String("finn")})
	e.must(err, "resend")
	if d := out.CodeDeliveryDetails; d == nil || aws.ToString(d.Destination) != "f***@e***" || d.DeliveryMedium != types.DeliveryMediumTypeEmail {
		t.Fatalf("CodeDeliveryDetails = %+v", d)
	}
	msgs := e.s.Messages(t, pool, "finn")
	if len(msgs) != 2 || msgs[0].Purpose != "ResendCode" {
		t.Fatalf("messages = %+v", msgs)
	}
	fresh := msgs[0].Code
	if fresh != old {
		testenv.WantError(t, e.confirmSignUp(cid, "finn", old), "CodeMismatchException", msgCodeMismatch)
	}
	e.must(e.confirmSignUp(cid, "finn", fresh), "confirm with the new code")
	_, err = e.c.ResendConfirmationCode(e.ctx, &cip.ResendConfirmationCodeInput{ClientId: &cid, Username: aws.String("finn")})
	testenv.WantError(t, err, "InvalidParameterException", "User is already confirmed.")
	_, err = e.c.ResendConfirmationCode(e.ctx, &cip.ResendConfirmationCodeInput{ClientId: &cid, Username: aws.String("nobody")})
	testenv.WantError(t, err, "UserNotFoundException", msgUnknownClient)
}

func TestForgotPassword(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pool, cid, _ := e.emailPool(&cip.CreateUserPoolInput{Policies: &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{
		MinimumLength: aws.Int32(8), RequireNumbers: true, PasswordHistorySize: aws.Int32(2)}}}, nil)
	e.confirmedUser(pool, cid, "gina", "gina@example.com")

	out, err := e.c.ForgotPassword(e.ctx, &cip.ForgotPasswordInput{ClientId: &cid, Username: aws.String("gina")})
	e.must(err, "forgot password")
	if d := out.CodeDeliveryDetails; d == nil || aws.ToString(d.Destination) != "g***@e***" || d.DeliveryMedium != types.DeliveryMediumTypeEmail ||
		aws.ToString(d.AttributeName) != "email" {
		t.Fatalf("CodeDeliveryDetails = %+v", d)
	}
	msgs := e.s.Messages(t, pool, "gina")
	if len(msgs) != 2 || msgs[0].Purpose != "ForgotPassword" || msgs[0].Destination != "gina@example.com" {
		t.Fatalf("messages = %+v", msgs)
	}
	code := msgs[0].Code
	confirm := func(code, pw string) error {
		_, err := e.c.ConfirmForgotPassword(e.ctx, &cip.ConfirmForgotPasswordInput{ClientId: &cid, Username: aws.String("gina"),
			ConfirmationCode: aws.String(code), Password: aws.String(pw)})
		return err
	}
	testenv.WantError(t, confirm(code, "short1"), "InvalidPasswordException", "Password did not conform with policy: Password not long enough")
	testenv.WantError(t, confirm(wrongCode(code), "new-password1"), "CodeMismatchException", msgCodeMismatch)
	e.must(confirm(code, "new-password1"), "confirm forgot password")
	if st := e.getUser(pool, "gina").UserStatus; st != types.UserStatusTypeConfirmed {
		t.Fatalf("status = %s", st)
	}
	// The code is single use.
	testenv.WantError(t, confirm(code, "newer-password1"), "ExpiredCodeException", msgExpiredCode)
	// The new password is the user's password now: the history refuses it (and the sign-up one).
	for _, pw := range []string{"new-password1", "Passw0rd!"} {
		_, err = e.c.AdminSetUserPassword(e.ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &pool, Username: aws.String("gina"),
			Password: aws.String(pw), Permanent: true})
		testenv.WantError(t, err, "PasswordHistoryPolicyViolationException", "")
	}
	// Nor can a reset reuse it.
	_, err = e.c.ForgotPassword(e.ctx, &cip.ForgotPasswordInput{ClientId: &cid, Username: aws.String("gina")})
	e.must(err, "forgot password again")
	testenv.WantError(t, confirm(e.s.LastCode(t, pool, "gina"), "new-password1"), "PasswordHistoryPolicyViolationException", "")

	_, err = e.c.ForgotPassword(e.ctx, &cip.ForgotPasswordInput{ClientId: &cid, Username: aws.String("nobody")})
	testenv.WantError(t, err, "UserNotFoundException", msgUnknownClient)
	_, err = e.c.ConfirmForgotPassword(e.ctx, &cip.ConfirmForgotPasswordInput{ClientId: &cid, Username: aws.String("nobody"),
		ConfirmationCode: aws.String("123456"), Password: aws.String("new-password1")})
	testenv.WantError(t, err, "UserNotFoundException", msgUnknownClient)

	// Without a verified email or phone number there is nowhere to send a code.
	e.signUp(cid, "hank", "email", "hank@example.com")
	_, err = e.c.ForgotPassword(e.ctx, &cip.ForgotPasswordInput{ClientId: &cid, Username: aws.String("hank")})
	testenv.WantError(t, err, "InvalidParameterException", "Cannot reset password for the user as there is no registered/verified email or phone_number")
}

// TestSecretHash: a client with a secret requires SECRET_HASH on every unauthenticated call;
// while two secrets are active a hash made with either works.
func TestSecretHash(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pool, cid, secret := e.emailPool(nil, &cip.CreateUserPoolClientInput{GenerateSecret: true})
	if secret == "" {
		t.Fatal("no client secret")
	}
	signUp := func(name string, hash *string) error {
		_, err := e.c.SignUp(e.ctx, &cip.SignUpInput{ClientId: &cid, Username: aws.String(name), Password: aws.String("Passw0rd!"),
			SecretHash: hash, UserAttributes: attrs("email", name+"@example.com")})
		return err
	}
	testenv.WantError(t, signUp("ivy", nil), "NotAuthorizedException", "Client "+cid+" is configured with secret but SECRET_HASH was not received")
	testenv.WantError(t, signUp("ivy", aws.String(secretHash(secret, "someone-else", cid))), "NotAuthorizedException", "Unable to verify secret hash for client "+cid)
	e.must(signUp("ivy", aws.String(secretHash(secret, "ivy", cid))), "sign up with SECRET_HASH")

	_, err := e.c.ConfirmSignUp(e.ctx, &cip.ConfirmSignUpInput{ClientId: &cid, Username: aws.String("ivy"), ConfirmationCode: aws.String(e.s.LastCode(t, pool, "ivy"))})
	testenv.WantError(t, err, "NotAuthorizedException", "Client "+cid+" is configured with secret but SECRET_HASH was not received")

	added, err := e.c.AddUserPoolClientSecret(e.ctx, &cip.AddUserPoolClientSecretInput{UserPoolId: &pool, ClientId: &cid})
	e.must(err, "add a second secret")
	second := aws.ToString(added.ClientSecretDescriptor.ClientSecretValue)
	if second == "" || second == secret {
		t.Fatalf("second secret = %q", second)
	}
	_, err = e.c.ResendConfirmationCode(e.ctx, &cip.ResendConfirmationCodeInput{ClientId: &cid, Username: aws.String("ivy"),
		SecretHash: aws.String(secretHash(second, "ivy", cid))})
	e.must(err, "resend with the second secret")
	_, err = e.c.ConfirmSignUp(e.ctx, &cip.ConfirmSignUpInput{ClientId: &cid, Username: aws.String("ivy"),
		ConfirmationCode: aws.String(e.s.LastCode(t, pool, "ivy")), SecretHash: aws.String(secretHash(secret, "ivy", cid))})
	e.must(err, "confirm with the first secret")
	_, err = e.c.ForgotPassword(e.ctx, &cip.ForgotPasswordInput{ClientId: &cid, Username: aws.String("ivy"),
		SecretHash: aws.String(secretHash(second, "ivy", cid))})
	e.must(err, "forgot password with the second secret")
	_, err = e.c.ConfirmForgotPassword(e.ctx, &cip.ConfirmForgotPasswordInput{ClientId: &cid, Username: aws.String("ivy"),
		ConfirmationCode: aws.String(e.s.LastCode(t, pool, "ivy")), Password: aws.String("N3w-password"),
		SecretHash: aws.String(secretHash(secret, "wrong", cid))})
	testenv.WantError(t, err, "NotAuthorizedException", "Unable to verify secret hash for client "+cid)

	// Once the first secret is deleted its hashes stop working.
	list, err := e.c.ListUserPoolClientSecrets(e.ctx, &cip.ListUserPoolClientSecretsInput{UserPoolId: &pool, ClientId: &cid})
	e.must(err, "list secrets")
	for _, s := range list.ClientSecrets {
		if aws.ToString(s.ClientSecretId) != aws.ToString(added.ClientSecretDescriptor.ClientSecretId) {
			_, err = e.c.DeleteUserPoolClientSecret(e.ctx, &cip.DeleteUserPoolClientSecretInput{UserPoolId: &pool, ClientId: &cid, ClientSecretId: s.ClientSecretId})
			e.must(err, "delete the first secret")
		}
	}
	testenv.WantError(t, signUp("jack", aws.String(secretHash(secret, "jack", cid))), "NotAuthorizedException", "Unable to verify secret hash for client "+cid)
	e.must(signUp("jack", aws.String(secretHash(second, "jack", cid))), "sign up with the remaining secret")
}

// TestPreventUserExistenceErrors: with PreventUserExistenceErrors=ENABLED unknown users look like
// known ones.
func TestPreventUserExistenceErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pool, cid, _ := e.emailPool(nil, &cip.CreateUserPoolClientInput{PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled})
	legacy, _ := e.client(pool, &cip.CreateUserPoolClientInput{ClientName: aws.String("legacy"), PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesLegacy})
	masked := regexp.MustCompile(`^[^*@]\*\*\*@[^*@]\*\*\*$`)

	fp, err := e.c.ForgotPassword(e.ctx, &cip.ForgotPasswordInput{ClientId: &cid, Username: aws.String("ghost")})
	e.must(err, "forgot password for an unknown user")
	d := fp.CodeDeliveryDetails
	if d == nil || !masked.MatchString(aws.ToString(d.Destination)) || d.DeliveryMedium != types.DeliveryMediumTypeEmail || aws.ToString(d.AttributeName) != "email" {
		t.Fatalf("simulated CodeDeliveryDetails = %+v", d)
	}
	again, err := e.c.ForgotPassword(e.ctx, &cip.ForgotPasswordInput{ClientId: &cid, Username: aws.String("ghost")})
	e.must(err, "forgot password again")
	if aws.ToString(again.CodeDeliveryDetails.Destination) != aws.ToString(d.Destination) {
		t.Fatalf("simulated destination changed: %q then %q", aws.ToString(d.Destination), aws.ToString(again.CodeDeliveryDetails.Destination))
	}
	rc, err := e.c.ResendConfirmationCode(e.ctx, &cip.ResendConfirmationCodeInput{ClientId: &cid, Username: aws.String("ghost")})
	e.must(err, "resend for an unknown user")
	if d := rc.CodeDeliveryDetails; d == nil || !masked.MatchString(aws.ToString(d.Destination)) || d.DeliveryMedium != types.DeliveryMediumTypeEmail {
		t.Fatalf("simulated CodeDeliveryDetails = %+v", d)
	}
	testenv.WantError(t, e.confirmSignUp(cid, "ghost", "123456"), "CodeMismatchException", msgCodeMismatch)
	_, err = e.c.ConfirmForgotPassword(e.ctx, &cip.ConfirmForgotPasswordInput{ClientId: &cid, Username: aws.String("ghost"),
		ConfirmationCode: aws.String("123456"), Password: aws.String("N3w-password")})
	testenv.WantError(t, err, "CodeMismatchException", msgCodeMismatch)
	if n := len(e.s.Messages(t, pool, "")); n != 0 {
		t.Fatalf("%d messages sent for an unknown user", n)
	}

	// The legacy client tells.
	_, err = e.c.ForgotPassword(e.ctx, &cip.ForgotPasswordInput{ClientId: &legacy, Username: aws.String("ghost")})
	testenv.WantError(t, err, "UserNotFoundException", msgUnknownClient)
	testenv.WantError(t, e.confirmSignUp(legacy, "ghost", "123456"), "UserNotFoundException", msgUnknownClient)

	// The simulated medium follows the format of the name given.
	for name, want := range map[string]types.CodeDeliveryDetailsType{
		"someone@example.net": {Destination: aws.String("s***@e***"), DeliveryMedium: types.DeliveryMediumTypeEmail, AttributeName: aws.String("email")},
		"+15555559876":        {Destination: aws.String("+*******9876"), DeliveryMedium: types.DeliveryMediumTypeSms, AttributeName: aws.String("phone_number")},
	} {
		fp, err := e.c.ForgotPassword(e.ctx, &cip.ForgotPasswordInput{ClientId: &cid, Username: aws.String(name)})
		e.must(err, "forgot password for "+name)
		d := fp.CodeDeliveryDetails
		if d == nil || aws.ToString(d.Destination) != aws.ToString(want.Destination) || d.DeliveryMedium != want.DeliveryMedium ||
			aws.ToString(d.AttributeName) != aws.ToString(want.AttributeName) {
			t.Errorf("ForgotPassword(%s) details = %+v", name, d)
		}
	}

	// A real user still gets a real code through the hiding client.
	e.confirmedUser(pool, cid, "kate", "kate@example.com")
	fp, err = e.c.ForgotPassword(e.ctx, &cip.ForgotPasswordInput{ClientId: &cid, Username: aws.String("kate")})
	e.must(err, "forgot password for a real user")
	if aws.ToString(fp.CodeDeliveryDetails.Destination) != "k***@e***" || e.messageCount(pool, "kate") != 2 {
		t.Fatalf("real user: %+v, %d messages", fp.CodeDeliveryDetails, e.messageCount(pool, "kate"))
	}
	resetCode := e.s.LastCode(t, pool, "kate")

	// A disabled user looks like an unknown one: simulated details, no message, CodeMismatchException.
	_, err = e.c.AdminDisableUser(e.ctx, &cip.AdminDisableUserInput{UserPoolId: &pool, Username: aws.String("kate")})
	e.must(err, "disable kate")
	fp, err = e.c.ForgotPassword(e.ctx, &cip.ForgotPasswordInput{ClientId: &cid, Username: aws.String("kate")})
	e.must(err, "forgot password for a disabled user")
	if d := fp.CodeDeliveryDetails; d == nil || !masked.MatchString(aws.ToString(d.Destination)) || e.messageCount(pool, "kate") != 2 {
		t.Fatalf("disabled user: %+v, %d messages", d, e.messageCount(pool, "kate"))
	}
	_, err = e.c.ConfirmForgotPassword(e.ctx, &cip.ConfirmForgotPasswordInput{ClientId: &cid, Username: aws.String("kate"),
		ConfirmationCode: aws.String(resetCode), Password: aws.String("N3w-password")})
	testenv.WantError(t, err, "CodeMismatchException", msgCodeMismatch)
	// Through the legacy client the disabled user is refused openly.
	_, err = e.c.ForgotPassword(e.ctx, &cip.ForgotPasswordInput{ClientId: &legacy, Username: aws.String("kate")})
	testenv.WantError(t, err, "NotAuthorizedException", "User is disabled.")
	_, err = e.c.ConfirmForgotPassword(e.ctx, &cip.ConfirmForgotPasswordInput{ClientId: &legacy, Username: aws.String("kate"),
		ConfirmationCode: aws.String(resetCode), Password: aws.String("N3w-password")})
	testenv.WantError(t, err, "NotAuthorizedException", "User is disabled.")
	_, err = e.c.AdminEnableUser(e.ctx, &cip.AdminEnableUserInput{UserPoolId: &pool, Username: aws.String("kate")})
	e.must(err, "enable kate")
	_, err = e.c.ConfirmForgotPassword(e.ctx, &cip.ConfirmForgotPasswordInput{ClientId: &cid, Username: aws.String("kate"),
		ConfirmationCode: aws.String(resetCode), Password: aws.String("N3w-password")})
	e.must(err, "the code still works once the user is enabled again")

	// A user without a verified email gets simulated details too (the legacy client says why).
	e.signUp(cid, "liam", "email", "liam@example.com")
	fp, err = e.c.ForgotPassword(e.ctx, &cip.ForgotPasswordInput{ClientId: &cid, Username: aws.String("liam")})
	e.must(err, "forgot password without a verified email")
	if d := fp.CodeDeliveryDetails; d == nil || !masked.MatchString(aws.ToString(d.Destination)) || e.messageCount(pool, "liam") != 1 {
		t.Fatalf("unverified user: %+v, %d messages", d, e.messageCount(pool, "liam"))
	}
	_, err = e.c.ForgotPassword(e.ctx, &cip.ForgotPasswordInput{ClientId: &legacy, Username: aws.String("liam")})
	testenv.WantError(t, err, "InvalidParameterException", "Cannot reset password for the user as there is no registered/verified email or phone_number")

	// ResendConfirmationCode to a disabled user: simulated details and no code.
	_, err = e.c.AdminDisableUser(e.ctx, &cip.AdminDisableUserInput{UserPoolId: &pool, Username: aws.String("liam")})
	e.must(err, "disable liam")
	rc, err = e.c.ResendConfirmationCode(e.ctx, &cip.ResendConfirmationCodeInput{ClientId: &cid, Username: aws.String("liam")})
	e.must(err, "resend to a disabled user")
	if d := rc.CodeDeliveryDetails; d == nil || !masked.MatchString(aws.ToString(d.Destination)) || e.messageCount(pool, "liam") != 1 {
		t.Fatalf("disabled unconfirmed user: %+v, %d messages", d, e.messageCount(pool, "liam"))
	}
}
