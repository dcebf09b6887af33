package e2e

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	lmb "github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/gatehouse-dev/gatehouse/internal/testenv"
)

// User-pool Lambda triggers, end to end: Node.js functions created through the Lambda API,
// named in a pool's LambdaConfig, allowed to be invoked by cognito-idp.amazonaws.com for that
// pool, and changing what the Cognito API answers.

// triggerFunctions are the Node.js sources of the test triggers.
var triggerFunctions = map[string]string{
	// Only example.com addresses may sign up; they are confirmed and verified at once.
	"presignup": `exports.handler = async (event) => {
  const email = event.request.userAttributes.email || "";
  if (!email.endsWith("@example.com")) { throw new Error("Only example.com addresses may sign up."); }
  event.response.autoConfirmUser = true;
  event.response.autoVerifyEmail = true;
  return event;
};`,
	// A tenant claim from the sign-in's client metadata, and a group.
	"pretoken": `exports.handler = async (event) => {
  event.response.claimsOverrideDetails = {
    claimsToAddOrOverride: { tenant: "acme", source: event.triggerSource },
    groupOverrideDetails: { groupsToOverride: ["tenant-acme"] },
  };
  return event;
};`,
	// Users of the old directory, with their old passwords.
	"migrate": `const legacy = { "oldtimer": "0ldSecret!" };
exports.handler = async (event) => {
  if (legacy[event.userName] === undefined || event.request.password !== legacy[event.userName]) {
    throw new Error("Bad password");
  }
  event.response.userAttributes = { email: event.userName + "@legacy.example", email_verified: "true" };
  event.response.finalUserStatus = "CONFIRMED";
  event.response.messageAction = "SUPPRESS";
  return event;
};`,
	// Two questions, then tokens; a wrong answer ends the sign-in.
	"define": `exports.handler = async (event) => {
  const s = event.request.session;
  if (s.some((r) => !r.challengeResult)) {
    event.response.failAuthentication = true;
  } else if (s.length === 2) {
    event.response.issueTokens = true;
  } else {
    event.response.challengeName = "CUSTOM_CHALLENGE";
  }
  return event;
};`,
	"create": `exports.handler = async (event) => {
  const n = event.request.session.length;
  event.response.publicChallengeParameters = { question: "what is " + n + " + 1?" };
  event.response.privateChallengeParameters = { answer: String(n + 1) };
  event.response.challengeMetadata = "QUESTION-" + n;
  return event;
};`,
	"verify": `exports.handler = async (event) => {
  event.response.answerCorrect = event.request.challengeAnswer === event.request.privateChallengeParameters.answer;
  return event;
};`,
}

func TestLambdaTriggers(t *testing.T) {
	t.Parallel()
	e := &signInEnv{env: newEnv(t, testenv.WithMemory())}
	c, ctx := e.c, e.ctx
	arns := map[string]string{}
	for name, src := range triggerFunctions {
		arns[name] = aws.ToString(createNode(t, e.s, "trigger-"+name, src, nil).FunctionArn)
	}
	// A function Cognito may invoke for another pool only.
	arns["forbidden"] = aws.ToString(createNode(t, e.s, "trigger-forbidden", `exports.handler = async (e) => e;`, nil).FunctionArn)
	_, err := e.s.Lambda().AddPermission(ctx, &lmb.AddPermissionInput{FunctionName: aws.String("trigger-forbidden"),
		StatementId: aws.String("cognito"), Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("cognito-idp.amazonaws.com"),
		SourceArn: aws.String("arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_Other")})
	e.must(err, "add permission")
	config := &types.LambdaConfigType{PreSignUp: aws.String(arns["presignup"]), PreTokenGeneration: aws.String(arns["pretoken"]),
		UserMigration: aws.String(arns["migrate"]), DefineAuthChallenge: aws.String(arns["define"]),
		CreateAuthChallenge: aws.String(arns["create"]), VerifyAuthChallengeResponse: aws.String(arns["verify"]),
		PostAuthentication: aws.String(arns["forbidden"])}
	e.pool = e.env.pool(&cip.CreateUserPoolInput{AutoVerifiedAttributes: []types.VerifiedAttributeType{"email"}, LambdaConfig: config})
	for name := range triggerFunctions {
		_, err := e.s.Lambda().AddPermission(ctx, &lmb.AddPermissionInput{FunctionName: aws.String("trigger-" + name),
			StatementId: aws.String("cognito"), Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("cognito-idp.amazonaws.com"),
			SourceArn: aws.String("arn:aws:cognito-idp:us-east-1:000000000000:userpool/" + e.pool), SourceAccount: aws.String("000000000000")})
		e.must(err, "add permission "+name)
	}
	e.client, _ = e.env.client(e.pool, &cip.CreateUserPoolClientInput{
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	signUp := func(name, email string) (*cip.SignUpOutput, error) {
		return c.SignUp(ctx, &cip.SignUpInput{ClientId: &e.client, Username: aws.String(name), Password: aws.String("Passw0rd!"),
			UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(email)}}})
	}

	// The post authentication function is not allowed for this pool: sign-in fails as in Cognito.
	_, err = signUp("fay", "fay@example.com")
	e.must(err, "sign up fay")
	_, err = e.passwordAuth("fay", "Passw0rd!")
	testenv.WantError(t, err, "UnexpectedLambdaException", "PostAuthentication invocation failed due to error AccessDeniedException.")
	config.PostAuthentication = nil
	_, err = c.UpdateUserPool(ctx, &cip.UpdateUserPoolInput{UserPoolId: &e.pool, AutoVerifiedAttributes: []types.VerifiedAttributeType{"email"},
		LambdaConfig: config})
	e.must(err, "update user pool")

	// Pre sign-up: refuses an address, confirms and verifies another.
	_, err = signUp("eve", "eve@elsewhere.test")
	testenv.WantError(t, err, "UserLambdaValidationException", "PreSignUp failed with error Only example.com addresses may sign up..")
	out, err := signUp("ann", "ann@example.com")
	e.must(err, "sign up ann")
	if !out.UserConfirmed || out.CodeDeliveryDetails != nil {
		t.Fatalf("sign-up = %+v, want confirmed without a code", out)
	}
	u, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: &e.pool, Username: aws.String("ann")})
	e.must(err, "get ann")
	verified := false
	for _, a := range u.UserAttributes {
		verified = verified || (aws.ToString(a.Name) == "email_verified" && aws.ToString(a.Value) == "true")
	}
	if u.UserStatus != types.UserStatusTypeConfirmed || !verified {
		t.Fatalf("user = %s %+v", u.UserStatus, u.UserAttributes)
	}

	// Pre token generation: a claim and a group, in tokens that verify against the JWKS.
	res, err := e.passwordAuth("ann", "Passw0rd!")
	e.must(err, "sign in ann")
	id, _ := e.claims(aws.ToString(res.AuthenticationResult.IdToken))
	access, _ := e.claims(aws.ToString(res.AuthenticationResult.AccessToken))
	if id["tenant"] != "acme" || id["source"] != "TokenGeneration_Authentication" || !hasGroup(id, "tenant-acme") || !hasGroup(access, "tenant-acme") {
		t.Fatalf("ID token = %v, access token = %v", id, access)
	}
	_, err = c.GetUser(ctx, &cip.GetUserInput{AccessToken: res.AuthenticationResult.AccessToken})
	e.must(err, "get user")
	ref, err := c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &e.client, AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
		AuthParameters: map[string]string{"REFRESH_TOKEN": aws.ToString(res.AuthenticationResult.RefreshToken)}})
	e.must(err, "refresh")
	if id, _ := e.claims(aws.ToString(ref.AuthenticationResult.IdToken)); id["source"] != "TokenGeneration_RefreshTokens" {
		t.Fatalf("refreshed ID token = %v", id)
	}

	// User migration at sign-in.
	_, err = e.passwordAuth("oldtimer", "wrong")
	testenv.WantError(t, err, "UserLambdaValidationException", "UserMigration failed with error Bad password.")
	res, err = e.passwordAuth("oldtimer", "0ldSecret!")
	e.must(err, "migrate oldtimer")
	if id, _ := e.claims(aws.ToString(res.AuthenticationResult.IdToken)); id["email"] != "oldtimer@legacy.example" || id["tenant"] != "acme" {
		t.Fatalf("ID token = %v", id)
	}
	u, err = c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: &e.pool, Username: aws.String("oldtimer")})
	if err != nil || u.UserStatus != types.UserStatusTypeConfirmed {
		t.Fatalf("migrated user = %+v, %v", u, err)
	}

	// A custom challenge of two rounds.
	answer := func(session *string, params map[string]string, a string) (*cip.RespondToAuthChallengeOutput, error) {
		return c.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: &e.client, ChallengeName: types.ChallengeNameTypeCustomChallenge,
			Session: session, ChallengeResponses: map[string]string{"USERNAME": params["USERNAME"], "ANSWER": a}})
	}
	start := func() *cip.InitiateAuthOutput {
		ch, err := c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &e.client, AuthFlow: types.AuthFlowTypeCustomAuth,
			AuthParameters: map[string]string{"USERNAME": "ann"}})
		e.must(err, "initiate custom auth")
		if ch.ChallengeName != types.ChallengeNameTypeCustomChallenge || ch.ChallengeParameters["question"] != "what is 0 + 1?" {
			t.Fatalf("challenge = %+v", ch)
		}
		if _, leaked := ch.ChallengeParameters["answer"]; leaked || strings.Contains(aws.ToString(ch.Session), "answer") {
			t.Fatal("private challenge parameters leaked")
		}
		return ch
	}
	ch := start()
	r1, err := answer(ch.Session, ch.ChallengeParameters, "1")
	e.must(err, "answer 1")
	if r1.ChallengeName != types.ChallengeNameTypeCustomChallenge || r1.ChallengeParameters["question"] != "what is 1 + 1?" {
		t.Fatalf("second challenge = %+v", r1)
	}
	r2, err := answer(r1.Session, r1.ChallengeParameters, "2")
	e.must(err, "answer 2")
	if r2.AuthenticationResult == nil {
		t.Fatalf("result = %+v", r2)
	}
	if id, _ := e.claims(aws.ToString(r2.AuthenticationResult.IdToken)); id["tenant"] != "acme" || id["cognito:username"] != "ann" {
		t.Fatalf("ID token = %v", id)
	}
	ch = start()
	_, err = answer(ch.Session, ch.ChallengeParameters, "7")
	testenv.WantError(t, err, "NotAuthorizedException", "Incorrect username or password.")
}

func hasGroup(claims map[string]any, group string) bool {
	gs, _ := claims["cognito:groups"].([]any)
	for _, g := range gs {
		if g == group {
			return true
		}
	}
	return false
}
