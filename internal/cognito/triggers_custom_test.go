package cognito_test

import (
	"crypto/rand"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/cognito"
	"github.com/gatehouse-dev/gatehouse/internal/cognito/srp/srpclient"
)

func newSRP(t *testing.T) *srpclient.Client {
	t.Helper()
	c, err := srpclient.New(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// customAuthPool has the three custom authentication triggers: two rounds of "what is x+1"
// questions, tokens when both are answered right, failure on a wrong answer. With SRP_A, the
// password comes first.
func customAuthPool(t *testing.T, cs cognito.ClientSettings) *triggerEnv {
	t.Helper()
	e := newTriggerEnv(t, poolWith("DefineAuthChallenge", "CreateAuthChallenge", "VerifyAuthChallengeResponse"), cs)
	e.fl.on(arn("DefineAuthChallenge"), func(ev map[string]any) (any, error) {
		session, _ := ev["request"].(map[string]any)["session"].([]any)
		resp := map[string]any{"issueTokens": false, "failAuthentication": false}
		customs := 0
		for _, r := range session {
			r := r.(map[string]any)
			if r["challengeResult"] != true {
				resp["failAuthentication"] = true
				return respond(resp)(ev)
			}
			if r["challengeName"] == "CUSTOM_CHALLENGE" {
				customs++
			}
		}
		switch {
		case len(session) == 1 && session[0].(map[string]any)["challengeName"] == "SRP_A":
			resp["challengeName"] = "PASSWORD_VERIFIER"
		case customs == 2:
			resp["issueTokens"] = true
		default:
			resp["challengeName"] = "CUSTOM_CHALLENGE"
		}
		return respond(resp)(ev)
	})
	e.fl.on(arn("CreateAuthChallenge"), func(ev map[string]any) (any, error) {
		n := len(ev["request"].(map[string]any)["session"].([]any))
		return respond(map[string]any{
			"publicChallengeParameters":  map[string]any{"question": "what is " + string(rune('0'+n)) + "+1"},
			"privateChallengeParameters": map[string]any{"answer": string(rune('1' + n))},
			"challengeMetadata":          "ROUND-" + string(rune('0'+n)),
		})(ev)
	})
	e.fl.on(arn("VerifyAuthChallengeResponse"), func(ev map[string]any) (any, error) {
		req := ev["request"].(map[string]any)
		return respond(map[string]any{"answerCorrect": req["challengeAnswer"] == req["privateChallengeParameters"].(map[string]any)["answer"]})(ev)
	})
	e.createUser("quinn")
	return e
}

func (e *triggerEnv) answer(out *cognito.AuthOutput, answer string, meta map[string]string) (*cognito.AuthOutput, error) {
	return e.svc.RespondToAuthChallenge(e.ctx, &cognito.RespondToAuthChallengeInput{ClientId: e.client, ChallengeName: "CUSTOM_CHALLENGE",
		Session: out.Session, ChallengeResponses: map[string]string{"USERNAME": out.ChallengeParameters["USERNAME"], "ANSWER": answer},
		ClientMetadata: meta}, false)
}

func TestCustomAuth(t *testing.T) {
	e := customAuthPool(t, cognito.ClientSettings{})
	out, err := e.svc.InitiateAuth(e.ctx, &cognito.InitiateAuthInput{ClientId: e.client, AuthFlow: "CUSTOM_AUTH",
		AuthParameters: map[string]string{"USERNAME": "quinn"}, ClientMetadata: map[string]string{"not": "passed"}}, false)
	e.must(err, "initiate")
	if out.ChallengeName != "CUSTOM_CHALLENGE" || out.Session == "" {
		t.Fatalf("initiate = %+v", out)
	}
	jsonEqual(t, "challenge parameters", out.ChallengeParameters, `{"question": "what is 0+1", "USERNAME": "quinn"}`)
	// The private parameters are sealed: neither the answer nor its name shows in the session.
	raw, _ := base64.StdEncoding.DecodeString(out.Session)
	if strings.Contains(out.Session, "answer") || strings.Contains(string(raw), "answer") {
		t.Fatal("private challenge parameters readable in the session")
	}
	attrs := e.eventAttrs("quinn", "")
	e.wantEvent("DefineAuthChallenge_Authentication", "quinn", e.client, `{"userAttributes": `+attrs+`, "session": []}`,
		`{"challengeName": null, "issueTokens": false, "failAuthentication": false}`)
	e.wantEvent("CreateAuthChallenge_Authentication", "quinn", e.client,
		`{"userAttributes": `+attrs+`, "challengeName": "CUSTOM_CHALLENGE", "session": []}`,
		`{"publicChallengeParameters": null, "privateChallengeParameters": null, "challengeMetadata": null}`)

	// Round one, right.
	out, err = e.answer(out, "1", map[string]string{"round": "1"})
	e.must(err, "answer 1")
	if out.ChallengeName != "CUSTOM_CHALLENGE" || out.ChallengeParameters["question"] != "what is 1+1" {
		t.Fatalf("second challenge = %+v", out)
	}
	e.wantEvent("VerifyAuthChallengeResponse_Authentication", "quinn", e.client, `{"userAttributes": `+attrs+`,
		"privateChallengeParameters": {"answer": "1"}, "challengeAnswer": "1", "clientMetadata": {"round": "1"}}`, `{"answerCorrect": false}`)
	jsonEqual(t, "define session", e.fl.last(t, "DefineAuthChallenge_Authentication")["request"].(map[string]any)["session"],
		`[{"challengeName": "CUSTOM_CHALLENGE", "challengeResult": true, "challengeMetadata": "ROUND-0"}]`)
	second := out

	// Round two, right: tokens.
	id, _ := e.tokensOf(e.answer(out, "2", nil))
	if id["cognito:username"] != "quinn" {
		t.Fatalf("ID token = %v", id)
	}
	// A session is good for one answer.
	_, err = e.answer(second, "2", nil)
	e.wantErr(err, "NotAuthorizedException", "Invalid session for the user, session is expired.")

	// A wrong answer: the define trigger fails the sign-in.
	out, err = e.svc.InitiateAuth(e.ctx, &cognito.InitiateAuthInput{ClientId: e.client, AuthFlow: "CUSTOM_AUTH",
		AuthParameters: map[string]string{"USERNAME": "quinn"}}, false)
	e.must(err, "initiate")
	_, err = e.answer(out, "41", nil)
	e.wantErr(err, "NotAuthorizedException", "Incorrect username or password.")
	// Missing answer.
	out, err = e.svc.InitiateAuth(e.ctx, &cognito.InitiateAuthInput{ClientId: e.client, AuthFlow: "CUSTOM_AUTH",
		AuthParameters: map[string]string{"USERNAME": "quinn"}}, false)
	e.must(err, "initiate")
	_, err = e.answer(out, "", nil)
	e.wantErr(err, "InvalidParameterException", "Missing required parameter ANSWER")

	// An unknown user: UserNotFoundException, and no trigger runs.
	n := len(e.fl.events("DefineAuthChallenge_Authentication"))
	_, err = e.svc.InitiateAuth(e.ctx, &cognito.InitiateAuthInput{ClientId: e.client, AuthFlow: "CUSTOM_AUTH",
		AuthParameters: map[string]string{"USERNAME": "nobody"}}, false)
	e.wantErr(err, "UserNotFoundException", "User does not exist.")
	if len(e.fl.events("DefineAuthChallenge_Authentication")) != n {
		t.Fatal("DefineAuthChallenge ran for an unknown user")
	}
}

func TestCustomAuthUserNotFound(t *testing.T) {
	e := customAuthPool(t, cognito.ClientSettings{PreventUserExistenceErrors: "ENABLED"})
	// The flow runs for a user who does not exist (userNotFound true), so that it looks the same,
	// but never ends in tokens.
	out, err := e.svc.InitiateAuth(e.ctx, &cognito.InitiateAuthInput{ClientId: e.client, AuthFlow: "CUSTOM_AUTH",
		AuthParameters: map[string]string{"USERNAME": "ghost"}}, false)
	e.must(err, "initiate")
	jsonEqual(t, "define request", e.fl.last(t, "DefineAuthChallenge_Authentication")["request"],
		`{"userAttributes": {}, "session": [], "userNotFound": true}`)
	if e.fl.last(t, "DefineAuthChallenge_Authentication")["userName"] != "ghost" {
		t.Fatal("userName")
	}
	out, err = e.answer(out, "1", nil)
	e.must(err, "answer 1")
	_, err = e.answer(out, "2", nil)
	e.wantErr(err, "NotAuthorizedException", "Incorrect username or password.")
	if e.fl.last(t, "VerifyAuthChallengeResponse_Authentication")["request"].(map[string]any)["userNotFound"] != true {
		t.Fatal("verify userNotFound")
	}
	// A known user through the same client: userNotFound false.
	_, err = e.svc.InitiateAuth(e.ctx, &cognito.InitiateAuthInput{ClientId: e.client, AuthFlow: "CUSTOM_AUTH",
		AuthParameters: map[string]string{"USERNAME": "quinn"}}, false)
	e.must(err, "initiate quinn")
	if e.fl.last(t, "DefineAuthChallenge_Authentication")["request"].(map[string]any)["userNotFound"] != false {
		t.Fatal("userNotFound for quinn")
	}
}

func TestCustomAuthSRP(t *testing.T) {
	e := customAuthPool(t, cognito.ClientSettings{})
	claim := func(pw string) (*cognito.AuthOutput, error) {
		c := newSRP(t)
		out, err := e.svc.InitiateAuth(e.ctx, &cognito.InitiateAuthInput{ClientId: e.client, AuthFlow: "CUSTOM_AUTH",
			AuthParameters: map[string]string{"USERNAME": "quinn", "SRP_A": c.A(), "CHALLENGE_NAME": "SRP_A"}}, false)
		e.must(err, "initiate")
		if out.ChallengeName != "PASSWORD_VERIFIER" || out.Session == "" {
			t.Fatalf("initiate = %+v", out)
		}
		jsonEqual(t, "define session", e.fl.last(t, "DefineAuthChallenge_Authentication")["request"].(map[string]any)["session"],
			`[{"challengeName": "SRP_A", "challengeResult": true, "challengeMetadata": null}]`)
		p := out.ChallengeParameters
		block, _ := base64.StdEncoding.DecodeString(p["SECRET_BLOCK"])
		ts := time.Now().UTC().Format("Mon Jan 2 15:04:05 UTC 2006")
		sig, err := c.Claim(strings.SplitN(e.pool.Id, "_", 2)[1], p["USER_ID_FOR_SRP"], pw, p["SALT"], p["SRP_B"], block, ts)
		e.must(err, "claim")
		return e.svc.RespondToAuthChallenge(e.ctx, &cognito.RespondToAuthChallengeInput{ClientId: e.client, ChallengeName: "PASSWORD_VERIFIER",
			Session: out.Session, ChallengeResponses: map[string]string{"USERNAME": p["USERNAME"], "PASSWORD_CLAIM_SECRET_BLOCK": p["SECRET_BLOCK"],
				"PASSWORD_CLAIM_SIGNATURE": sig, "TIMESTAMP": ts}}, false)
	}
	out, err := claim(testPass)
	e.must(err, "password verifier")
	if out.ChallengeName != "CUSTOM_CHALLENGE" {
		t.Fatalf("after the password = %+v", out)
	}
	jsonEqual(t, "define session", e.fl.last(t, "DefineAuthChallenge_Authentication")["request"].(map[string]any)["session"],
		`[{"challengeName": "SRP_A", "challengeResult": true, "challengeMetadata": null},
		  {"challengeName": "PASSWORD_VERIFIER", "challengeResult": true, "challengeMetadata": null}]`)
	// "what is N+1"
	right := func(out *cognito.AuthOutput) string { return string(out.ChallengeParameters["question"][8] + 1) }
	out, err = e.answer(out, right(out), nil)
	e.must(err, "answer 1")
	id, _ := e.tokensOf(e.answer(out, right(out), nil))
	if id["cognito:username"] != "quinn" {
		t.Fatalf("ID token = %v", id)
	}
	// A wrong password ends the sign-in.
	_, err = claim("Wr0ngPass!")
	e.wantErr(err, "NotAuthorizedException", "Incorrect username or password.")
}

func TestCustomAuthErrors(t *testing.T) {
	// A pool without the triggers.
	e := newTriggerEnv(t, poolWith(), cognito.ClientSettings{})
	e.createUser("rita")
	_, err := e.svc.InitiateAuth(e.ctx, &cognito.InitiateAuthInput{ClientId: e.client, AuthFlow: "CUSTOM_AUTH",
		AuthParameters: map[string]string{"USERNAME": "rita"}}, false)
	e.wantErr(err, "InvalidParameterException", "Custom auth lambda trigger is not configured for the user pool.")

	// A client without ALLOW_CUSTOM_AUTH.
	e = customAuthPool(t, cognito.ClientSettings{ExplicitAuthFlows: []string{"ALLOW_USER_PASSWORD_AUTH"}})
	_, err = e.svc.InitiateAuth(e.ctx, &cognito.InitiateAuthInput{ClientId: e.client, AuthFlow: "CUSTOM_AUTH",
		AuthParameters: map[string]string{"USERNAME": "quinn"}}, false)
	e.wantErr(err, "InvalidParameterException", "CUSTOM_AUTH flow not enabled for this client")

	// Define fails the authentication at once, or answers nonsense.
	e = customAuthPool(t, cognito.ClientSettings{})
	e.fl.on(arn("DefineAuthChallenge"), respond(map[string]any{"failAuthentication": true}))
	_, err = e.svc.InitiateAuth(e.ctx, &cognito.InitiateAuthInput{ClientId: e.client, AuthFlow: "CUSTOM_AUTH",
		AuthParameters: map[string]string{"USERNAME": "quinn"}}, false)
	e.wantErr(err, "NotAuthorizedException", "Incorrect username or password.")
	e.fl.on(arn("DefineAuthChallenge"), respond(map[string]any{"challengeName": "PASSWORD_VERIFIER"}))
	_, err = e.svc.InitiateAuth(e.ctx, &cognito.InitiateAuthInput{ClientId: e.client, AuthFlow: "CUSTOM_AUTH",
		AuthParameters: map[string]string{"USERNAME": "quinn"}}, false)
	e.wantErr(err, "InvalidLambdaResponseException", "Unrecognizable lambda output")
	// Tokens at once (no challenge), through AdminInitiateAuth.
	e.fl.on(arn("DefineAuthChallenge"), respond(map[string]any{"issueTokens": true}))
	e.tokensOf(e.svc.InitiateAuth(e.ctx, &cognito.InitiateAuthInput{UserPoolId: e.pool.Id, ClientId: e.client, AuthFlow: "CUSTOM_AUTH",
		AuthParameters: map[string]string{"USERNAME": "quinn"}}, true))
	// Errors of the create and verify triggers.
	e.fl.on(arn("DefineAuthChallenge"), respond(map[string]any{"challengeName": "CUSTOM_CHALLENGE"}))
	e.fl.on(arn("CreateAuthChallenge"), func(map[string]any) (any, error) { return nil, fnErr("'challengeMetaData'") })
	_, err = e.svc.InitiateAuth(e.ctx, &cognito.InitiateAuthInput{ClientId: e.client, AuthFlow: "CUSTOM_AUTH",
		AuthParameters: map[string]string{"USERNAME": "quinn"}}, false)
	e.wantErr(err, "UserLambdaValidationException", "CreateAuthChallenge failed with error 'challengeMetaData'.")
	e.fl.on(arn("CreateAuthChallenge"), echo)
	out, err := e.svc.InitiateAuth(e.ctx, &cognito.InitiateAuthInput{ClientId: e.client, AuthFlow: "CUSTOM_AUTH",
		AuthParameters: map[string]string{"USERNAME": "quinn"}}, false)
	e.must(err, "initiate")
	e.fl.on(arn("VerifyAuthChallengeResponse"), func(map[string]any) (any, error) { return []byte("null"), nil })
	_, err = e.answer(out, "x", nil)
	e.wantErr(err, "InvalidLambdaResponseException", "Invalid lambda function output : Invalid JSON")
	// The session was not spent by the failed answer.
	e.fl.on(arn("VerifyAuthChallengeResponse"), respond(map[string]any{"answerCorrect": true}))
	e.fl.on(arn("DefineAuthChallenge"), respond(map[string]any{"issueTokens": true}))
	e.tokensOf(e.answer(out, "x", nil))
}
