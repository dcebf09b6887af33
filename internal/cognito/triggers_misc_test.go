package cognito_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/cognito"
)

// legacy is the directory the migration tests move users from.
var legacy = map[string]string{"olive": "0ldPassw0rd!", "reset": "0ldPassw0rd!", "weird": "0ldPassw0rd!", "alien": "0ldPassw0rd!"}

func migrationHandler(ev map[string]any) (any, error) {
	name, _ := ev["userName"].(string)
	req := ev["request"].(map[string]any)
	pw, known := legacy[name]
	if !known {
		return nil, fnErr("Bad user")
	}
	if ev["triggerSource"] == "UserMigration_Authentication" && req["password"] != pw {
		return nil, fnErr("Bad password")
	}
	resp := map[string]any{"userAttributes": map[string]any{"email": name + "@legacy.example", "email_verified": "true"},
		"messageAction": "SUPPRESS"}
	switch name {
	case "reset":
		resp["finalUserStatus"] = "RESET_REQUIRED"
	case "weird":
		resp["finalUserStatus"] = "ARCHIVED"
	case "alien":
		resp["userAttributes"] = map[string]any{"planet": "mars"}
	}
	return respond(resp)(ev)
}

func TestUserMigrationAuthentication(t *testing.T) {
	e := newTriggerEnv(t, poolWith("UserMigration", "PreAuthentication"), cognito.ClientSettings{})
	e.fl.on(arn("UserMigration"), migrationHandler)
	e.fl.on(arn("PreAuthentication"), echo)
	id, _ := e.tokensOf(e.signIn("olive", "0ldPassw0rd!", map[string]string{"app": "v1"}))
	// The password reaches the function (as AWS documents for this trigger); ClientMetadata is
	// the validationData.
	e.wantEvent("UserMigration_Authentication", "olive", e.client, `{"password": "0ldPassw0rd!", "validationData": {"app": "v1"}}`,
		`{"userAttributes": null, "finalUserStatus": null, "messageAction": null, "desiredDeliveryMediums": null, "forceAliasCreation": false}`)
	if id["email"] != "olive@legacy.example" {
		t.Fatalf("ID token = %v", id)
	}
	u, attrs := e.user("olive")
	if u.UserStatus != "CONFIRMED" || attrs["email_verified"] != "true" {
		t.Fatalf("migrated user = %s %v", u.UserStatus, attrs)
	}
	// The pre authentication trigger sees the migrated user.
	if e.fl.last(t, "PreAuthentication_Authentication")["userName"] != "olive" {
		t.Fatal("pre authentication")
	}
	// Migrated once: the next sign-in is the pool's own (the old password was not checked by
	// the policy, and works).
	n := len(e.fl.events("UserMigration_Authentication"))
	e.tokensOf(e.signIn("olive", "0ldPassw0rd!", nil))
	_, err := e.signIn("olive", "other", nil)
	e.wantErr(err, "NotAuthorizedException", "Incorrect username or password.")
	if len(e.fl.events("UserMigration_Authentication")) != n {
		t.Fatal("UserMigration ran for an existing user")
	}

	_, err = e.signIn("nobody", "x", nil)
	e.wantErr(err, "UserLambdaValidationException", "UserMigration failed with error Bad user.")
	_, err = e.signIn("reset", "0ldPassw0rd!", nil)
	e.wantErr(err, "PasswordResetRequiredException", "Password reset required for the user")
	_, err = e.signIn("weird", "0ldPassw0rd!", nil)
	e.wantErr(err, "UserNotFoundException", "")
	_, err = e.signIn("alien", "0ldPassw0rd!", nil)
	e.wantErr(err, "UserNotFoundException", "Attributes did not conform to the schema: planet: Attribute does not exist in the schema.\n")
	// SRP cannot migrate: the password never reaches the server.
	n = len(e.fl.events("UserMigration_Authentication"))
	_, err = e.svc.InitiateAuth(e.ctx, &cognito.InitiateAuthInput{ClientId: e.client, AuthFlow: "USER_SRP_AUTH",
		AuthParameters: map[string]string{"USERNAME": "olive2", "SRP_A": srpA(t)}}, false)
	e.wantErr(err, "UserNotFoundException", "")
	if len(e.fl.events("UserMigration_Authentication")) != n {
		t.Fatal("UserMigration ran for SRP")
	}

	// A function that cannot be invoked.
	e.fl.mu.Lock()
	delete(e.fl.fns, arn("UserMigration"))
	e.fl.mu.Unlock()
	_, err = e.signIn("olivia", "x", nil)
	e.wantErr(err, "UserNotFoundException", "Exception migrating user in app client "+e.client)
}

func TestUserMigrationForgotPassword(t *testing.T) {
	e := newTriggerEnv(t, poolWith("UserMigration"), cognito.ClientSettings{})
	e.fl.on(arn("UserMigration"), migrationHandler)
	d, err := e.svc.ForgotPassword(e.ctx, &cognito.ClientUserInput{ClientId: e.client, Username: "olive", ClientMetadata: map[string]string{"k": "v"}})
	e.must(err, "forgot password")
	if d.DeliveryMedium != "EMAIL" || d.AttributeName != "email" {
		t.Fatalf("delivery = %+v", d)
	}
	// No password in this flow; ClientMetadata is clientMetadata.
	jsonEqual(t, "request", e.fl.last(t, "UserMigration_ForgotPassword")["request"], `{"validationData": null, "clientMetadata": {"k": "v"}}`)
	if u, _ := e.user("olive"); u.UserStatus != "RESET_REQUIRED" {
		t.Fatalf("status = %s", u.UserStatus)
	}
	e.must(e.svc.ConfirmForgotPassword(e.ctx, &cognito.ConfirmForgotPasswordInput{ClientId: e.client, Username: "olive",
		ConfirmationCode: e.msgs.last(t).Code, Password: testPass}), "confirm")
	e.tokensOf(e.signIn("olive", testPass, nil))

	_, err = e.svc.ForgotPassword(e.ctx, &cognito.ClientUserInput{ClientId: e.client, Username: "nobody"})
	e.wantErr(err, "UserLambdaValidationException", "UserMigration failed with error Bad user.")
}

func TestCustomMessage(t *testing.T) {
	in := poolWith("CustomMessage")
	in.AdminCreateUserConfig = &cognito.AdminCreateUserConfig{}
	e := newTriggerEnv(t, in, cognito.ClientSettings{})
	e.fl.on(arn("CustomMessage"), func(ev map[string]any) (any, error) {
		req := ev["request"].(map[string]any)
		code, user := req["codeParameter"].(string), req["usernameParameter"]
		switch ev["userName"] {
		case "noplaceholder":
			return respond(map[string]any{"emailMessage": "no code here", "emailSubject": "Hi"})(ev)
		case "failing":
			return nil, fnErr("template missing")
		}
		if user != nil {
			return respond(map[string]any{"emailMessage": "Welcome " + user.(string) + ", your password is " + code,
				"emailSubject": "Welcome"})(ev)
		}
		return respond(map[string]any{"emailMessage": "[" + ev["triggerSource"].(string) + "] code " + code,
			"emailSubject": "Custom subject", "smsMessage": "sms " + code})(ev)
	})
	_, err := e.svc.SignUp(e.ctx, &cognito.SignUpInput{ClientId: e.client, Username: "sam", Password: testPass,
		UserAttributes: []cognito.Attribute{{Name: "email", Value: ptr("sam@example.com")}}, ClientMetadata: map[string]string{"lang": "fr"}})
	e.must(err, "sign up")
	m := e.msgs.last(t)
	if m.Body != "[CustomMessage_SignUp] code "+m.Code || m.Subject != "Custom subject" || m.Code == "" {
		t.Fatalf("message = %+v", m)
	}
	_, attrs := e.user("sam")
	// The placeholders, never the code, reach the function.
	e.wantEvent("CustomMessage_SignUp", "sam", e.client, `{"userAttributes": {"sub": "`+attrs["sub"]+`", "email": "sam@example.com",
		"cognito:user_status": "UNCONFIRMED"}, "codeParameter": "{####}", "usernameParameter": null, "clientMetadata": {"lang": "fr"}}`,
		`{"smsMessage": null, "emailMessage": null, "emailSubject": null}`)
	if strings.Contains(jsonString(e.fl.calls), m.Code) {
		t.Fatal("the code reached an event")
	}

	_, err = e.svc.ResendConfirmationCode(e.ctx, &cognito.ClientUserInput{ClientId: e.client, Username: "sam"})
	e.must(err, "resend")
	if m := e.msgs.last(t); m.Body != "[CustomMessage_ResendCode] code "+m.Code {
		t.Fatalf("resend message = %+v", m)
	}
	e.must(e.svc.ConfirmSignUp(e.ctx, &cognito.ConfirmSignUpInput{ClientId: e.client, Username: "sam", ConfirmationCode: e.msgs.last(t).Code}), "confirm")
	_, err = e.svc.ForgotPassword(e.ctx, &cognito.ClientUserInput{ClientId: e.client, Username: "sam"})
	e.must(err, "forgot")
	if m := e.msgs.last(t); m.Body != "[CustomMessage_ForgotPassword] code "+m.Code {
		t.Fatalf("forgot message = %+v", m)
	}
	e.must(e.svc.AdminResetUserPassword(e.ctx, e.pool.Id, "sam", map[string]string{"by": "admin"}), "admin reset")
	if m := e.msgs.last(t); m.Body != "[CustomMessage_ForgotPassword] code "+m.Code {
		t.Fatalf("admin reset message = %+v", m)
	}
	jsonEqual(t, "admin reset clientMetadata", e.fl.last(t, "CustomMessage_ForgotPassword")["request"].(map[string]any)["clientMetadata"], `{"by": "admin"}`)
	e.must(e.svc.AdminUpdateUserAttributes(e.ctx, &cognito.AdminUpdateUserAttributesInput{UserPoolId: e.pool.Id, Username: "sam",
		UserAttributes: []cognito.Attribute{{Name: "email", Value: ptr("sam2@example.com")}}}), "update")
	if m := e.msgs.last(t); m.Body != "[CustomMessage_UpdateUserAttribute] code "+m.Code || m.Destination != "sam2@example.com" {
		t.Fatalf("update message = %+v", m)
	}

	// The invitation: usernameParameter, and the message must hold both placeholders.
	_, err = e.svc.AdminCreateUser(e.ctx, &cognito.AdminCreateUserInput{UserPoolId: e.pool.Id, Username: "tina", TemporaryPassword: "Temp0rary!",
		UserAttributes: []cognito.Attribute{{Name: "email", Value: ptr("tina@example.com")}}, DesiredDeliveryMediums: []string{"EMAIL"}})
	e.must(err, "create tina")
	if m := e.msgs.last(t); m.Body != "Welcome tina, your password is Temp0rary!" || m.Subject != "Welcome" {
		t.Fatalf("invitation = %+v", m)
	}
	ev := e.fl.last(t, "CustomMessage_AdminCreateUser")
	if ev["request"].(map[string]any)["usernameParameter"] != "{username}" || ev["callerContext"].(map[string]any)["clientId"] != "CLIENT_ID_NOT_APPLICABLE" {
		t.Fatalf("invitation event = %v", ev)
	}

	// A message without the code placeholder is not used; the pool's own is sent.
	_, err = e.svc.SignUp(e.ctx, signUpInput(e.client, "noplaceholder"))
	e.must(err, "sign up")
	if m := e.msgs.last(t); !strings.Contains(m.Body, m.Code) || m.Body == "no code here" || m.Subject != "Hi" {
		t.Fatalf("message = %+v", m)
	}
	// A failing trigger fails the request.
	n := e.msgs.count()
	_, err = e.svc.SignUp(e.ctx, signUpInput(e.client, "failing"))
	e.wantErr(err, "UserLambdaValidationException", "CustomMessage failed with error template missing.")
	if e.msgs.count() != n {
		t.Fatal("a message was sent")
	}
}

func TestCustomMessageAuthentication(t *testing.T) {
	e := newTriggerEnv(t, poolWith("CustomMessage"), cognito.ClientSettings{})
	e.fl.on(arn("CustomMessage"), respond(map[string]any{"smsMessage": "Your sign-in code: {####}"}))
	_, err := e.svc.SetUserPoolMfaConfig(e.ctx, e.pool.Id, cognito.MfaConfig{MfaConfiguration: "ON",
		SmsMfaConfiguration: json.RawMessage(`{"SmsConfiguration": {"SnsCallerArn": "arn:aws:iam::123456789012:role/sns"}}`)})
	e.must(err, "mfa config")
	e.createUser("uma", cognito.Attribute{Name: "phone_number", Value: ptr("+12065550100")})
	out, err := e.signIn("uma", testPass, nil)
	e.must(err, "sign in")
	if out.ChallengeName != "SMS_MFA" {
		t.Fatalf("challenge = %+v", out)
	}
	m := e.msgs.last(t)
	if m.Medium != "SMS" || m.Body != "Your sign-in code: "+m.Code {
		t.Fatalf("MFA message = %+v", m)
	}
	e.fl.last(t, "CustomMessage_Authentication")
	e.tokensOf(e.svc.RespondToAuthChallenge(e.ctx, &cognito.RespondToAuthChallengeInput{ClientId: e.client, ChallengeName: "SMS_MFA",
		Session: out.Session, ChallengeResponses: map[string]string{"USERNAME": "uma", "SMS_MFA_CODE": m.Code}}, false))
}

func TestCustomMessageVerifyUserAttribute(t *testing.T) {
	e := newTriggerEnv(t, poolWith("CustomMessage"), cognito.ClientSettings{})
	e.fl.on(arn("CustomMessage"), func(ev map[string]any) (any, error) {
		return respond(map[string]any{"emailMessage": ev["triggerSource"].(string) + " {####}"})(ev)
	})
	e.createUser("vera")
	_, access := e.tokensOf(e.signIn("vera", testPass, nil))
	_ = access
	out, err := e.signIn("vera", testPass, nil)
	e.must(err, "sign in")
	token := out.AuthenticationResult.AccessToken
	_, err = e.svc.UpdateUserAttributes(e.ctx, token, []cognito.Attribute{{Name: "email", Value: ptr("vera2@example.com")}}, map[string]string{"m": "1"})
	e.must(err, "update")
	if m := e.msgs.last(t); m.Body != "CustomMessage_UpdateUserAttribute "+m.Code {
		t.Fatalf("update message = %+v", m)
	}
	jsonEqual(t, "clientMetadata", e.fl.last(t, "CustomMessage_UpdateUserAttribute")["request"].(map[string]any)["clientMetadata"], `{"m": "1"}`)
	_, err = e.svc.GetUserAttributeVerificationCode(e.ctx, token, "email", map[string]string{"m": "2"})
	e.must(err, "verification code")
	if m := e.msgs.last(t); m.Body != "CustomMessage_VerifyUserAttribute "+m.Code {
		t.Fatalf("verify message = %+v", m)
	}
	if e.fl.last(t, "CustomMessage_VerifyUserAttribute")["callerContext"].(map[string]any)["clientId"] != e.client {
		t.Fatal("clientId")
	}
}

func TestTriggerInvocationErrors(t *testing.T) {
	e := newTriggerEnv(t, poolWith("PreSignUp"), cognito.ClientSettings{})
	cases := []struct {
		name     string
		fn       handler
		typ, msg string
	}{
		{"no such function", nil, "UnexpectedLambdaException", "PreSignUp invocation failed due to error ResourceNotFoundException."},
		{"not allowed", func(map[string]any) (any, error) { return nil, awserr.New("AccessDeniedException", "denied") },
			"UnexpectedLambdaException", "PreSignUp invocation failed due to error AccessDeniedException."},
		{"throttled", func(map[string]any) (any, error) { return nil, awserr.New("TooManyRequestsException", "Rate exceeded") },
			"UnexpectedLambdaException", "PreSignUp invocation failed due to error TooManyRequestsException."},
		{"not JSON", func(map[string]any) (any, error) { return []byte("<html>"), nil },
			"InvalidLambdaResponseException", "Invalid lambda function output : Invalid JSON"},
		{"null", func(map[string]any) (any, error) { return []byte("null"), nil },
			"InvalidLambdaResponseException", "Invalid lambda function output : Invalid JSON"},
		{"response not an object", func(ev map[string]any) (any, error) { ev["response"] = "yes"; return ev, nil },
			"InvalidLambdaResponseException", "Unrecognizable lambda output"},
		{"error", func(map[string]any) (any, error) { return nil, fnErr("Not allowed.") },
			"UserLambdaValidationException", "PreSignUp failed with error Not allowed.."},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.fn != nil {
				e.fl.on(arn("PreSignUp"), c.fn)
			}
			_, err := e.svc.SignUp(e.ctx, signUpInput(e.client, "user"+string(rune('a'+i))))
			e.wantErr(err, c.typ, c.msg)
		})
	}
	// A function that returns the event without a response: the defaults.
	e.fl.on(arn("PreSignUp"), func(ev map[string]any) (any, error) { delete(ev, "response"); return ev, nil })
	_, err := e.svc.SignUp(e.ctx, signUpInput(e.client, "zed"))
	e.must(err, "sign up")

	// Without a Lambda service, a configured trigger cannot be invoked.
	e.svc.Lambda = nil
	_, err = e.svc.SignUp(e.ctx, signUpInput(e.client, "zoe"))
	e.wantErr(err, "UnexpectedLambdaException", "PreSignUp invocation failed due to error ResourceNotFoundException.")
}
