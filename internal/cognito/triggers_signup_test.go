package cognito_test

import (
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/internal/cognito"
)

func signUpInput(client, name string, attrs ...cognito.Attribute) *cognito.SignUpInput {
	return &cognito.SignUpInput{ClientId: client, Username: name, Password: testPass,
		UserAttributes: append([]cognito.Attribute{{Name: "email", Value: ptr(name + "@example.com")}}, attrs...)}
}

func TestPreSignUpSignUp(t *testing.T) {
	e := newTriggerEnv(t, poolWith("PreSignUp"), cognito.ClientSettings{})
	e.fl.on(arn("PreSignUp"), refuse("mallory", "Not allowed."))
	in := signUpInput(e.client, "alice", cognito.Attribute{Name: "name", Value: ptr("Alice")})
	in.ValidationData = []cognito.Attribute{{Name: "captcha", Value: ptr("ok")}}
	in.ClientMetadata = map[string]string{"origin": "web"}
	out, err := e.svc.SignUp(e.ctx, in)
	e.must(err, "sign up")
	if out.UserConfirmed || out.CodeDeliveryDetails == nil {
		t.Fatalf("sign-up = %+v, want an unconfirmed user with a code sent", out)
	}
	// The event AWS sends: the attributes given (no sub yet), validationData, clientMetadata, and
	// a response pre-filled with false.
	e.wantEvent("PreSignUp_SignUp", "alice", e.client, `{"userAttributes": {"email": "alice@example.com", "name": "Alice"},
		"validationData": {"captcha": "ok"}, "clientMetadata": {"origin": "web"}}`,
		`{"autoConfirmUser": false, "autoVerifyEmail": false, "autoVerifyPhone": false}`)
	c := e.fl.calls[0]
	if c.Function != arn("PreSignUp") || c.Principal != "cognito-idp.amazonaws.com" ||
		c.SourceArn != "arn:aws:cognito-idp:us-east-1:123456789012:userpool/"+e.pool.Id || c.SourceAccount != testAccount {
		t.Fatalf("invocation = %s %s %s %s", c.Function, c.Principal, c.SourceArn, c.SourceAccount)
	}

	// Without ValidationData or ClientMetadata: validationData is null, clientMetadata absent.
	_, err = e.svc.SignUp(e.ctx, signUpInput(e.client, "bob"))
	e.must(err, "sign up bob")
	req := e.fl.last(t, "PreSignUp_SignUp")["request"].(map[string]any)
	if v, ok := req["validationData"]; !ok || v != nil {
		t.Fatalf("validationData = %v (present %v), want null", v, ok)
	}
	if _, ok := req["clientMetadata"]; ok {
		t.Fatal("clientMetadata present without ClientMetadata")
	}

	// A function error refuses the sign-up; no user is created.
	_, err = e.svc.SignUp(e.ctx, signUpInput(e.client, "mallory"))
	e.wantErr(err, "UserLambdaValidationException", "PreSignUp failed with error Not allowed..")
	_, err = e.svc.AdminGetUser(e.ctx, e.pool.Id, "mallory")
	e.wantErr(err, "UserNotFoundException", "")

	// A taken user name is refused before the trigger runs.
	n := len(e.fl.events("PreSignUp_SignUp"))
	_, err = e.svc.SignUp(e.ctx, signUpInput(e.client, "alice"))
	e.wantErr(err, "UsernameExistsException", "User already exists")
	if len(e.fl.events("PreSignUp_SignUp")) != n {
		t.Fatal("PreSignUp ran for a taken user name")
	}
}

func TestPreSignUpAutoConfirm(t *testing.T) {
	e := newTriggerEnv(t, poolWith("PreSignUp", "PostConfirmation"), cognito.ClientSettings{})
	e.fl.on(arn("PostConfirmation"), echo)
	e.fl.on(arn("PreSignUp"), func(ev map[string]any) (any, error) {
		switch ev["userName"] {
		case "carol":
			return respond(map[string]any{"autoConfirmUser": true, "autoVerifyEmail": true})(ev)
		case "dave":
			return respond(map[string]any{"autoVerifyEmail": true})(ev)
		case "erin":
			return respond(map[string]any{"autoConfirmUser": true, "autoVerifyPhone": true})(ev)
		case "frank":
			return respond(map[string]any{"autoConfirmUser": "yes"})(ev)
		}
		return respond(map[string]any{"autoConfirmUser": true})(ev)
	})
	out, err := e.svc.SignUp(e.ctx, signUpInput(e.client, "carol"))
	e.must(err, "sign up carol")
	if !out.UserConfirmed || out.CodeDeliveryDetails != nil || e.msgs.count() != 0 {
		t.Fatalf("sign-up = %+v, %d messages; want confirmed, no code", out, e.msgs.count())
	}
	u, attrs := e.user("carol")
	if u.UserStatus != "CONFIRMED" || attrs["email_verified"] != "true" {
		t.Fatalf("carol = %s %v", u.UserStatus, attrs)
	}
	// Cognito does not run the post confirmation trigger for a user the pre sign-up trigger
	// confirmed.
	if n := len(e.fl.events("PostConfirmation_ConfirmSignUp")); n != 0 {
		t.Fatalf("PostConfirmation ran %d times", n)
	}
	e.tokensOf(e.signIn("carol", testPass, nil))

	// Confirmed but not verified: the email stays unverified.
	_, err = e.svc.SignUp(e.ctx, signUpInput(e.client, "gina"))
	e.must(err, "sign up gina")
	if u, attrs := e.user("gina"); u.UserStatus != "CONFIRMED" || attrs["email_verified"] == "true" {
		t.Fatalf("gina = %s %v", u.UserStatus, attrs)
	}

	// Verification needs confirmation, and the attribute.
	_, err = e.svc.SignUp(e.ctx, signUpInput(e.client, "dave"))
	e.wantErr(err, "InvalidParameterException", "Phone or email cannot be auto verified, when user is not being auto confirmed.")
	_, err = e.svc.SignUp(e.ctx, signUpInput(e.client, "erin"))
	e.wantErr(err, "InvalidParameterException", "")
	// A response of the wrong shape.
	_, err = e.svc.SignUp(e.ctx, signUpInput(e.client, "frank"))
	e.wantErr(err, "InvalidLambdaResponseException", "Unrecognizable lambda output")
	for _, name := range []string{"dave", "erin", "frank"} {
		_, err = e.svc.AdminGetUser(e.ctx, e.pool.Id, name)
		e.wantErr(err, "UserNotFoundException", "")
	}
}

func TestPreSignUpUsernameAttributes(t *testing.T) {
	in := poolWith("PreSignUp")
	in.UsernameAttributes = []string{"email"}
	e := newTriggerEnv(t, in, cognito.ClientSettings{})
	e.fl.on(arn("PreSignUp"), respond(map[string]any{"autoConfirmUser": true, "autoVerifyEmail": true}))
	out, err := e.svc.SignUp(e.ctx, &cognito.SignUpInput{ClientId: e.client, Username: "hank@example.com", Password: testPass})
	e.must(err, "sign up")
	// The event names the user by the sub it will have; its attributes hold the email from the
	// user name.
	ev := e.fl.last(t, "PreSignUp_SignUp")
	if ev["userName"] != out.UserSub {
		t.Fatalf("userName = %v, want the sub %s", ev["userName"], out.UserSub)
	}
	jsonEqual(t, "userAttributes", ev["request"].(map[string]any)["userAttributes"], `{"email": "hank@example.com"}`)
	if u, attrs := e.user("hank@example.com"); u.UserStatus != "CONFIRMED" || attrs["email_verified"] != "true" || attrs["sub"] != out.UserSub {
		t.Fatalf("user = %s %v", u.UserStatus, attrs)
	}
}

func TestPreSignUpAdminCreateUser(t *testing.T) {
	e := newTriggerEnv(t, poolWith("PreSignUp"), cognito.ClientSettings{})
	e.fl.on(arn("PreSignUp"), func(ev map[string]any) (any, error) {
		if ev["userName"] == "mallory" {
			return nil, fnErr("no admins today")
		}
		// Cognito ignores the response for administrator-created users.
		return respond(map[string]any{"autoConfirmUser": true, "autoVerifyEmail": true})(ev)
	})
	_, err := e.svc.AdminCreateUser(e.ctx, &cognito.AdminCreateUserInput{UserPoolId: e.pool.Id, Username: "ivan", MessageAction: "SUPPRESS",
		UserAttributes: []cognito.Attribute{{Name: "email", Value: ptr("ivan@example.com")}},
		ValidationData: []cognito.Attribute{{Name: "k", Value: ptr("v")}}, ClientMetadata: map[string]string{"by": "admin"}})
	e.must(err, "create ivan")
	e.wantEvent("PreSignUp_AdminCreateUser", "ivan", "CLIENT_ID_NOT_APPLICABLE",
		`{"userAttributes": {"email": "ivan@example.com"}, "validationData": {"k": "v"}, "clientMetadata": {"by": "admin"}}`,
		`{"autoConfirmUser": false, "autoVerifyEmail": false, "autoVerifyPhone": false}`)
	if u, attrs := e.user("ivan"); u.UserStatus != "FORCE_CHANGE_PASSWORD" || attrs["email_verified"] == "true" {
		t.Fatalf("ivan = %s %v (the response must be ignored)", u.UserStatus, attrs)
	}
	_, err = e.svc.AdminCreateUser(e.ctx, &cognito.AdminCreateUserInput{UserPoolId: e.pool.Id, Username: "mallory", MessageAction: "SUPPRESS"})
	e.wantErr(err, "UserLambdaValidationException", "PreSignUp failed with error no admins today.")
	_, err = e.svc.AdminGetUser(e.ctx, e.pool.Id, "mallory")
	e.wantErr(err, "UserNotFoundException", "")
	// RESEND does not sign anyone up.
	n := len(e.fl.events("PreSignUp_AdminCreateUser"))
	_, err = e.svc.AdminCreateUser(e.ctx, &cognito.AdminCreateUserInput{UserPoolId: e.pool.Id, Username: "ivan", MessageAction: "RESEND"})
	e.must(err, "resend")
	if len(e.fl.events("PreSignUp_AdminCreateUser")) != n {
		t.Fatal("PreSignUp ran for RESEND")
	}
}

func TestPostConfirmation(t *testing.T) {
	e := newTriggerEnv(t, poolWith("PostConfirmation"), cognito.ClientSettings{})
	fail := false
	e.fl.on(arn("PostConfirmation"), func(ev map[string]any) (any, error) {
		if fail {
			return nil, fnErr("welcome mail failed")
		}
		return ev, nil
	})
	_, err := e.svc.SignUp(e.ctx, signUpInput(e.client, "jane"))
	e.must(err, "sign up")
	code := e.msgs.last(t).Code
	e.must(e.svc.ConfirmSignUp(e.ctx, &cognito.ConfirmSignUpInput{ClientId: e.client, Username: "jane", ConfirmationCode: code,
		ClientMetadata: map[string]string{"step": "confirm"}}), "confirm")
	e.wantEvent("PostConfirmation_ConfirmSignUp", "jane", e.client,
		`{"userAttributes": `+e.eventAttrs("jane", "")+`, "clientMetadata": {"step": "confirm"}}`, `{}`)

	// A failing trigger fails the request, but the user stays confirmed (it runs after the
	// confirmation, as in Cognito).
	fail = true
	_, err = e.svc.SignUp(e.ctx, signUpInput(e.client, "kate"))
	e.must(err, "sign up kate")
	err = e.svc.ConfirmSignUp(e.ctx, &cognito.ConfirmSignUpInput{ClientId: e.client, Username: "kate", ConfirmationCode: e.msgs.last(t).Code})
	e.wantErr(err, "UserLambdaValidationException", "PostConfirmation failed with error welcome mail failed.")
	if u, _ := e.user("kate"); u.UserStatus != "CONFIRMED" {
		t.Fatalf("kate = %s", u.UserStatus)
	}
	// A wrong code does not run it.
	fail = false
	n := len(e.fl.events("PostConfirmation_ConfirmSignUp"))
	_, err = e.svc.SignUp(e.ctx, signUpInput(e.client, "liam"))
	e.must(err, "sign up liam")
	err = e.svc.ConfirmSignUp(e.ctx, &cognito.ConfirmSignUpInput{ClientId: e.client, Username: "liam", ConfirmationCode: "000000"})
	e.wantErr(err, "CodeMismatchException", "")
	if len(e.fl.events("PostConfirmation_ConfirmSignUp")) != n {
		t.Fatal("PostConfirmation ran for a wrong code")
	}

	// AdminConfirmSignUp: the same source, no app client.
	e.must(e.svc.AdminConfirmSignUp(e.ctx, e.pool.Id, "liam", map[string]string{"by": "admin"}), "admin confirm")
	ev := e.fl.last(t, "PostConfirmation_ConfirmSignUp")
	if ev["userName"] != "liam" || ev["callerContext"].(map[string]any)["clientId"] != "CLIENT_ID_NOT_APPLICABLE" {
		t.Fatalf("admin confirm event = %v", ev)
	}
	jsonEqual(t, "clientMetadata", ev["request"].(map[string]any)["clientMetadata"], `{"by": "admin"}`)

	// ConfirmForgotPassword.
	_, err = e.svc.ForgotPassword(e.ctx, &cognito.ClientUserInput{ClientId: e.client, Username: "jane"})
	e.must(err, "forgot password")
	e.must(e.svc.ConfirmForgotPassword(e.ctx, &cognito.ConfirmForgotPasswordInput{ClientId: e.client, Username: "jane",
		ConfirmationCode: e.msgs.last(t).Code, Password: "N3wPassw0rd!", ClientMetadata: map[string]string{"step": "reset"}}), "confirm forgot")
	ev = e.fl.last(t, "PostConfirmation_ConfirmForgotPassword")
	jsonEqual(t, "clientMetadata", ev["request"].(map[string]any)["clientMetadata"], `{"step": "reset"}`)
	if strings.Contains(jsonString(ev), "N3wPassw0rd!") {
		t.Fatal("the new password reached the event")
	}
}
