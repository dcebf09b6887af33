package cognito_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/internal/cognito"
)

func TestPreAuthentication(t *testing.T) {
	e := newTriggerEnv(t, poolWith("PreAuthentication"), cognito.ClientSettings{})
	e.fl.on(arn("PreAuthentication"), refuse("blocked", "Cannot authenticate users from this app client"))
	e.createUser("amy")
	e.createUser("blocked")
	e.tokensOf(e.signIn("amy", testPass, map[string]string{"ip": "192.0.2.1"}))
	// InitiateAuth's ClientMetadata is the event's validationData; userNotFound is only sent for
	// clients that prevent user-existence errors.
	e.wantEvent("PreAuthentication_Authentication", "amy", e.client,
		`{"userAttributes": `+e.eventAttrs("amy", "")+`, "validationData": {"ip": "192.0.2.1"}}`, `{}`)

	// An error denies the sign-in, before the password is checked.
	_, err := e.signIn("blocked", "wrong", nil)
	e.wantErr(err, "UserLambdaValidationException", "PreAuthentication failed with error Cannot authenticate users from this app client.")

	// SRP: it runs on InitiateAuth.
	_, err = e.svc.InitiateAuth(e.ctx, &cognito.InitiateAuthInput{ClientId: e.client, AuthFlow: "USER_SRP_AUTH",
		AuthParameters: map[string]string{"USERNAME": "blocked", "SRP_A": srpA(t)}}, false)
	e.wantErr(err, "UserLambdaValidationException", "")

	// An unknown user: not run (UserNotFoundException) …
	n := len(e.fl.events("PreAuthentication_Authentication"))
	_, err = e.signIn("nobody", testPass, nil)
	e.wantErr(err, "UserNotFoundException", "")
	if len(e.fl.events("PreAuthentication_Authentication")) != n {
		t.Fatal("PreAuthentication ran for an unknown user")
	}
	// … except for a client that prevents user-existence errors, with userNotFound.
	prevent, err := e.svc.CreateUserPoolClient(e.ctx, &cognito.CreateClientInput{ClientSettings: cognito.ClientSettings{UserPoolId: e.pool.Id,
		ClientName: "prevent", PreventUserExistenceErrors: "ENABLED", ExplicitAuthFlows: []string{"ALLOW_USER_PASSWORD_AUTH"}}})
	e.must(err, "client")
	_, err = e.svc.InitiateAuth(e.ctx, &cognito.InitiateAuthInput{ClientId: prevent.ClientId, AuthFlow: "USER_PASSWORD_AUTH",
		AuthParameters: map[string]string{"USERNAME": "nobody", "PASSWORD": testPass}}, false)
	e.wantErr(err, "NotAuthorizedException", "Incorrect username or password.")
	jsonEqual(t, "unknown user's request", e.fl.last(t, "PreAuthentication_Authentication")["request"],
		`{"userAttributes": {}, "validationData": null, "userNotFound": true}`)
}

func TestPostAuthentication(t *testing.T) {
	e := newTriggerEnv(t, poolWith("PostAuthentication"), cognito.ClientSettings{})
	e.fl.on(arn("PostAuthentication"), refuse("bert", "audit log unavailable"))
	e.createUser("anna")
	e.createUser("bert")
	e.tokensOf(e.signIn("anna", testPass, map[string]string{"not": "passed"}))
	e.wantEvent("PostAuthentication_Authentication", "anna", e.client,
		`{"userAttributes": `+e.eventAttrs("anna", "")+`, "newDeviceUsed": false}`, `{}`)
	// A failing trigger fails the sign-in: no tokens.
	out, err := e.signIn("bert", testPass, nil)
	e.wantErr(err, "UserLambdaValidationException", "PostAuthentication failed with error audit log unavailable.")
	if out != nil {
		t.Fatalf("tokens issued: %+v", out)
	}
	// A wrong password does not run it.
	n := len(e.fl.events("PostAuthentication_Authentication"))
	_, err = e.signIn("anna", "Wr0ngPass!", nil)
	e.wantErr(err, "NotAuthorizedException", "Incorrect username or password.")
	if len(e.fl.events("PostAuthentication_Authentication")) != n {
		t.Fatal("PostAuthentication ran for a wrong password")
	}

	// RespondToAuthChallenge passes its ClientMetadata (here after NEW_PASSWORD_REQUIRED).
	_, err = e.svc.AdminCreateUser(e.ctx, &cognito.AdminCreateUserInput{UserPoolId: e.pool.Id, Username: "cleo", TemporaryPassword: "Temp0rary!",
		MessageAction: "SUPPRESS"})
	e.must(err, "create cleo")
	ch, err := e.signIn("cleo", "Temp0rary!", nil)
	e.must(err, "sign in cleo")
	res, err := e.svc.RespondToAuthChallenge(e.ctx, &cognito.RespondToAuthChallengeInput{ClientId: e.client, ChallengeName: "NEW_PASSWORD_REQUIRED",
		Session: ch.Session, ChallengeResponses: map[string]string{"USERNAME": "cleo", "NEW_PASSWORD": testPass},
		ClientMetadata: map[string]string{"device": "kiosk"}}, false)
	e.tokensOf(res, err)
	jsonEqual(t, "clientMetadata", e.fl.last(t, "PostAuthentication_Authentication")["request"].(map[string]any)["clientMetadata"], `{"device": "kiosk"}`)

	// A refresh does not run it.
	n = len(e.fl.events("PostAuthentication_Authentication"))
	_, err = e.svc.InitiateAuth(e.ctx, &cognito.InitiateAuthInput{ClientId: e.client, AuthFlow: "REFRESH_TOKEN_AUTH",
		AuthParameters: map[string]string{"REFRESH_TOKEN": res.AuthenticationResult.RefreshToken}}, false)
	e.must(err, "refresh")
	if len(e.fl.events("PostAuthentication_Authentication")) != n {
		t.Fatal("PostAuthentication ran for a refresh")
	}
}

// groupsEnv is a pool whose user "gus" belongs to two groups with roles.
func groupsEnv(t *testing.T, lambdaConfig string) *triggerEnv {
	t.Helper()
	e := newTriggerEnv(t, cognito.CreateUserPoolInput{PoolSettings: cognito.PoolSettings{LambdaConfig: json.RawMessage(lambdaConfig)}},
		cognito.ClientSettings{})
	e.createUser("gus", cognito.Attribute{Name: "phone_number", Value: ptr("+12065550100")})
	for i, g := range []string{"admins", "staff"} {
		_, err := e.svc.CreateGroup(e.ctx, &cognito.GroupInput{GroupName: g, UserPoolId: e.pool.Id, Precedence: ptr(i + 1),
			RoleArn: ptr("arn:aws:iam::123456789012:role/" + g)})
		e.must(err, "group")
		e.must(e.svc.AdminAddUserToGroup(e.ctx, e.pool.Id, "gus", g), "add to group")
	}
	return e
}

func TestPreTokenGenerationV1(t *testing.T) {
	e := groupsEnv(t, string(lambdaConfig("PreTokenGeneration")))
	e.fl.on(arn("PreTokenGeneration"), respond(map[string]any{"claimsOverrideDetails": map[string]any{
		// Reserved claims cannot be changed: sub, aud, cognito:username, token_use are ignored.
		"claimsToAddOrOverride": map[string]any{"tier": "gold", "email": "override@example.com", "sub": "forged", "aud": "other",
			"cognito:username": "root", "token_use": "access", "custom:team": "blue"},
		"claimsToSuppress": []string{"phone_number", "tier", "iss", "exp"},
		"groupOverrideDetails": map[string]any{"groupsToOverride": []string{"readers"},
			"iamRolesToOverride": []string{"arn:aws:iam::123456789012:role/readers"}, "preferredRole": "arn:aws:iam::123456789012:role/readers"},
	}}))
	id, access := e.tokensOf(e.signIn("gus", testPass, map[string]string{"not": "passed"}))
	_, attrs := e.user("gus")
	e.wantEvent("TokenGeneration_Authentication", "gus", e.client, `{"userAttributes": `+e.eventAttrs("gus", `, "phone_number": "+12065550100"`)+`,
		"groupConfiguration": {"groupsToOverride": ["admins", "staff"],
			"iamRolesToOverride": ["arn:aws:iam::123456789012:role/admins", "arn:aws:iam::123456789012:role/staff"],
			"preferredRole": "arn:aws:iam::123456789012:role/admins"}}`, `{"claimsOverrideDetails": null}`)
	want := map[string]any{"email": "override@example.com", "custom:team": "blue", "sub": attrs["sub"], "aud": e.client,
		"cognito:username": "gus", "token_use": "id", "cognito:groups": []any{"readers"},
		"cognito:roles": []any{"arn:aws:iam::123456789012:role/readers"}, "cognito:preferred_role": "arn:aws:iam::123456789012:role/readers"}
	for k, v := range want {
		if jsonString(id[k]) != jsonString(v) {
			t.Errorf("ID token %s = %v, want %v", k, id[k], v)
		}
	}
	// Suppressed wins over added; iss and exp cannot be suppressed.
	for _, k := range []string{"phone_number", "tier"} {
		if _, ok := id[k]; ok {
			t.Errorf("ID token has suppressed claim %s", k)
		}
	}
	if id["iss"] == nil || id["exp"] == nil {
		t.Error("iss or exp suppressed")
	}
	// Version 1 changes only the groups of the access token.
	if jsonString(access["cognito:groups"]) != `["readers"]` || access["tier"] != nil || access["email"] != nil {
		t.Errorf("access token = %v", access)
	}

	// Trigger sources: new password challenge, refresh.
	_, err := e.svc.AdminCreateUser(e.ctx, &cognito.AdminCreateUserInput{UserPoolId: e.pool.Id, Username: "hal", TemporaryPassword: "Temp0rary!",
		MessageAction: "SUPPRESS"})
	e.must(err, "create hal")
	ch, err := e.signIn("hal", "Temp0rary!", nil)
	e.must(err, "sign in hal")
	res, err := e.svc.RespondToAuthChallenge(e.ctx, &cognito.RespondToAuthChallengeInput{ClientId: e.client, ChallengeName: "NEW_PASSWORD_REQUIRED",
		Session: ch.Session, ChallengeResponses: map[string]string{"USERNAME": "hal", "NEW_PASSWORD": testPass},
		ClientMetadata: map[string]string{"from": "respond"}}, false)
	e.tokensOf(res, err)
	ev := e.fl.last(t, "TokenGeneration_NewPasswordChallenge")
	jsonEqual(t, "group configuration without groups", ev["request"].(map[string]any)["groupConfiguration"],
		`{"groupsToOverride": [], "iamRolesToOverride": [], "preferredRole": null}`)
	jsonEqual(t, "clientMetadata", ev["request"].(map[string]any)["clientMetadata"], `{"from": "respond"}`)
	if _, ok := e.fl.last(t, "TokenGeneration_Authentication")["request"].(map[string]any)["clientMetadata"]; ok {
		t.Error("InitiateAuth's ClientMetadata reached the pre token generation trigger")
	}
	ref, err := e.svc.InitiateAuth(e.ctx, &cognito.InitiateAuthInput{ClientId: e.client, AuthFlow: "REFRESH_TOKEN_AUTH",
		AuthParameters: map[string]string{"REFRESH_TOKEN": res.AuthenticationResult.RefreshToken}}, false)
	id, _ = e.tokensOf(ref, err)
	e.fl.last(t, "TokenGeneration_RefreshTokens")
	if id["custom:team"] != "blue" {
		t.Errorf("refreshed ID token = %v", id)
	}

	// A failing trigger fails the sign-in.
	e.fl.on(arn("PreTokenGeneration"), func(map[string]any) (any, error) { return nil, fnErr("claims service down") })
	_, err = e.signIn("gus", testPass, nil)
	e.wantErr(err, "UserLambdaValidationException", "PreTokenGeneration failed with error claims service down.")
	// Version 1 claims are strings.
	e.fl.on(arn("PreTokenGeneration"), respond(map[string]any{"claimsOverrideDetails": map[string]any{
		"claimsToAddOrOverride": map[string]any{"n": 1}}}))
	_, err = e.signIn("gus", testPass, nil)
	e.wantErr(err, "InvalidLambdaResponseException", "Unrecognizable lambda output")
	// An empty group override suppresses the groups; none leaves them.
	e.fl.on(arn("PreTokenGeneration"), respond(map[string]any{"claimsOverrideDetails": map[string]any{"groupOverrideDetails": nil}}))
	id, access = e.tokensOf(e.signIn("gus", testPass, nil))
	if id["cognito:groups"] != nil || id["cognito:roles"] != nil || access["cognito:groups"] != nil {
		t.Errorf("groups not suppressed: %v / %v", id, access)
	}
	e.fl.on(arn("PreTokenGeneration"), respond(map[string]any{"claimsOverrideDetails": map[string]any{"claimsToAddOrOverride": map[string]any{"a": "b"}}}))
	id, _ = e.tokensOf(e.signIn("gus", testPass, nil))
	if jsonString(id["cognito:groups"]) != `["admins","staff"]` || id["a"] != "b" {
		t.Errorf("ID token = %v", id)
	}
}

func TestPreTokenGenerationV2(t *testing.T) {
	config := `{"PreTokenGenerationConfig": {"LambdaVersion": "V2_0", "LambdaArn": "` + arn("PreTokenGeneration") + `"}}`
	e := groupsEnv(t, config)
	complexClaim := map[string]any{"first": map[string]any{"key": "value"}, "list": []any{"a", 1, true}}
	e.fl.on(arn("PreTokenGeneration"), func(ev map[string]any) (any, error) {
		return respond(map[string]any{"claimsAndScopeOverrideDetails": map[string]any{
			"idTokenGeneration": map[string]any{
				"claimsToAddOrOverride": map[string]any{"json": complexClaim, "big": json.Number("9223372036854775807"),
					"flag": false, "email_verified": map[string]any{"no": "objects"}},
				"claimsToSuppress": []string{"phone_number"}},
			"accessTokenGeneration": map[string]any{
				"claimsToAddOrOverride": map[string]any{"tenant": "acme", "aud": ev["callerContext"].(map[string]any)["clientId"],
					"client_id": "forged", "username": "root", "scope": "admin"},
				"claimsToSuppress": []string{"cognito:groups"},
				"scopesToAdd":      []string{"openid", "api/read", "bad scope"},
				"scopesToSuppress": []string{"aws.cognito.signin.user.admin"}},
			"groupOverrideDetails": map[string]any{"groupsToOverride": []string{"g1"}},
		}})(ev)
	})
	id, access := e.tokensOf(e.signIn("gus", testPass, nil))
	ev := e.fl.last(t, "TokenGeneration_Authentication")
	if ev["version"] != "2" || jsonString(ev["request"].(map[string]any)["scopes"]) != `["aws.cognito.signin.user.admin"]` ||
		jsonString(ev["response"]) != `{"claimsAndScopeOverrideDetails":null}` {
		t.Fatalf("V2 event = %v", ev)
	}
	// Complex values and exact numbers in the ID token; email_verified keeps its boolean.
	if jsonString(id["json"]) != jsonString(complexClaim) || jsonString(id["big"]) != "9223372036854775807" || id["flag"] != false ||
		id["email_verified"] != true || id["phone_number"] != nil {
		t.Errorf("ID token = %v", id)
	}
	if jsonString(id["cognito:groups"]) != `["g1"]` || id["cognito:roles"] != nil || id["cognito:preferred_role"] != nil {
		t.Errorf("ID token groups = %v %v %v", id["cognito:groups"], id["cognito:roles"], id["cognito:preferred_role"])
	}
	_, attrs := e.user("gus")
	if access["tenant"] != "acme" || access["aud"] != e.client || access["client_id"] != e.client || access["username"] != "gus" ||
		access["scope"] != "openid api/read" || access["cognito:groups"] != nil || access["sub"] != attrs["sub"] {
		t.Errorf("access token = %v", access)
	}

	// Version 3: the same event, version "3".
	e2 := groupsEnv(t, strings.Replace(config, "V2_0", "V3_0", 1))
	e2.fl.on(arn("PreTokenGeneration"), respond(map[string]any{"claimsAndScopeOverrideDetails": map[string]any{
		"accessTokenGeneration": map[string]any{"claimsToAddOrOverride": map[string]any{"aud": "someone-else"}}}}))
	_, access = e2.tokensOf(e2.signIn("gus", testPass, nil))
	if e2.fl.last(t, "TokenGeneration_Authentication")["version"] != "3" || access["aud"] != nil {
		t.Errorf("V3: version %v, aud %v", e2.fl.last(t, "TokenGeneration_Authentication")["version"], access["aud"])
	}
}

// srpA returns a valid SRP_A.
func srpA(t *testing.T) string {
	t.Helper()
	return newSRP(t).A()
}
