package e2e

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/gatehouse-dev/gatehouse/internal/cognito/srp/srpclient"
	"github.com/gatehouse-dev/gatehouse/internal/testenv"
)

// signInEnv is a pool with a confirmed user "alice" (password Passw0rd!) and a client that
// allows the password, SRP and refresh flows.
type signInEnv struct {
	*env
	pool, client string
}

func newSignInEnv(t *testing.T, poolIn *cip.CreateUserPoolInput, clientIn *cip.CreateUserPoolClientInput, opts ...testenv.Option) *signInEnv {
	t.Helper()
	e := newEnv(t, append([]testenv.Option{testenv.WithMemory()}, opts...)...)
	pool := e.pool(poolIn)
	if clientIn == nil {
		clientIn = &cip.CreateUserPoolClientInput{ExplicitAuthFlows: []types.ExplicitAuthFlowsType{
			"ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}
	}
	client, _ := e.client(pool, clientIn)
	e.createUser(pool, "alice", "email", "alice@example.com", "email_verified", "true", "name", "Alice")
	_, err := e.c.AdminSetUserPassword(e.ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &pool, Username: aws.String("alice"),
		Password: aws.String("Passw0rd!"), Permanent: true})
	e.must(err, "set password")
	return &signInEnv{env: e, pool: pool, client: client}
}

func (e *signInEnv) passwordAuth(user, pw string) (*cip.InitiateAuthOutput, error) {
	return e.c.InitiateAuth(e.ctx, &cip.InitiateAuthInput{ClientId: &e.client, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": user, "PASSWORD": pw}})
}

// claims verifies a token against the pool's published JWKS and returns its claims.
func (e *signInEnv) claims(token string) (map[string]any, string) {
	e.t.Helper()
	resp, err := http.Get(e.s.URL + "/" + e.pool + "/.well-known/jwks.json")
	e.must(err, "get jwks")
	defer resp.Body.Close()
	var set jose.JSONWebKeySet
	e.must(json.NewDecoder(resp.Body).Decode(&set), "decode jwks")
	tok, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.RS256})
	e.must(err, "parse token")
	kid := tok.Headers[0].KeyID
	keys := set.Key(kid)
	if len(keys) != 1 {
		e.t.Fatalf("kid %q not in the JWKS", kid)
	}
	var c map[string]any
	e.must(tok.Claims(keys[0].Key, &c), "verify token signature")
	return c, kid
}

func TestSignInPasswordTokens(t *testing.T) {
	t.Parallel()
	e := newSignInEnv(t, nil, nil)
	out, err := e.passwordAuth("alice", "Passw0rd!")
	e.must(err, "USER_PASSWORD_AUTH")
	r := out.AuthenticationResult
	if r == nil || out.ChallengeName != "" || aws.ToString(r.TokenType) != "Bearer" || r.ExpiresIn != 3600 ||
		aws.ToString(r.RefreshToken) == "" {
		t.Fatalf("result = %+v", out)
	}
	id, idKid := e.claims(aws.ToString(r.IdToken))
	access, accessKid := e.claims(aws.ToString(r.AccessToken))
	if idKid == accessKid {
		t.Error("ID and access tokens share a kid")
	}
	sub := e.userAttrs(e.pool, "alice")["sub"]
	iss := e.s.URL + "/" + e.pool
	iss = strings.Replace(iss, "127.0.0.1", "localhost", 1)
	if id["token_use"] != "id" || id["aud"] != e.client || id["sub"] != sub || id["cognito:username"] != "alice" ||
		id["email"] != "alice@example.com" || id["email_verified"] != true || id["name"] != "Alice" || id["iss"] != iss {
		t.Errorf("id claims = %v", id)
	}
	if access["token_use"] != "access" || access["client_id"] != e.client || access["username"] != "alice" ||
		access["scope"] != "aws.cognito.signin.user.admin" || access["aud"] != nil || access["origin_jti"] != id["origin_jti"] {
		t.Errorf("access claims = %v", access)
	}

	// Refresh: new ID and access tokens, no new refresh token, same auth_time and origin_jti.
	ref, err := e.c.InitiateAuth(e.ctx, &cip.InitiateAuthInput{ClientId: &e.client, AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
		AuthParameters: map[string]string{"REFRESH_TOKEN": aws.ToString(r.RefreshToken)}})
	e.must(err, "REFRESH_TOKEN_AUTH")
	if ref.AuthenticationResult == nil || ref.AuthenticationResult.RefreshToken != nil {
		t.Fatalf("refresh result = %+v", ref.AuthenticationResult)
	}
	id2, _ := e.claims(aws.ToString(ref.AuthenticationResult.IdToken))
	if id2["auth_time"] != id["auth_time"] || id2["origin_jti"] != id["origin_jti"] {
		t.Errorf("refresh changed auth_time/origin_jti: %v vs %v", id2, id)
	}
	_, err = e.c.InitiateAuth(e.ctx, &cip.InitiateAuthInput{ClientId: &e.client, AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
		AuthParameters: map[string]string{"REFRESH_TOKEN": aws.ToString(r.RefreshToken) + "x"}})
	testenv.WantError(t, err, "NotAuthorizedException", "Invalid Refresh Token")

	// Discovery agrees with the tokens.
	resp, err := http.Get(e.s.URL + "/" + e.pool + "/.well-known/openid-configuration")
	e.must(err, "discovery")
	var doc map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&doc)
	resp.Body.Close()
	if doc["issuer"] != id["iss"] || !strings.HasSuffix(doc["jwks_uri"].(string), "/"+e.pool+"/.well-known/jwks.json") {
		t.Errorf("discovery = %v", doc)
	}
}

func TestSignInErrors(t *testing.T) {
	t.Parallel()
	e := newSignInEnv(t, nil, nil)
	_, err := e.passwordAuth("alice", "wrong")
	testenv.WantError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	_, err = e.passwordAuth("nobody", "Passw0rd!")
	testenv.WantError(t, err, "UserNotFoundException", "User does not exist.")
	_, err = e.c.InitiateAuth(e.ctx, &cip.InitiateAuthInput{ClientId: &e.client, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "alice"}})
	testenv.WantError(t, err, "InvalidParameterException", "Missing required parameter PASSWORD")
	_, err = e.c.InitiateAuth(e.ctx, &cip.InitiateAuthInput{ClientId: &e.client, AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": "Passw0rd!"}})
	testenv.WantError(t, err, "InvalidParameterException", "Initiate Auth method not supported.")

	// A client without ALLOW_USER_PASSWORD_AUTH.
	srpOnly, _ := e.env.client(e.pool, &cip.CreateUserPoolClientInput{ClientName: aws.String("srp")})
	_, err = e.c.InitiateAuth(e.ctx, &cip.InitiateAuthInput{ClientId: &srpOnly, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": "Passw0rd!"}})
	testenv.WantError(t, err, "InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client")

	// Disabled, unconfirmed.
	_, err = e.c.AdminDisableUser(e.ctx, &cip.AdminDisableUserInput{UserPoolId: &e.pool, Username: aws.String("alice")})
	e.must(err, "disable")
	_, err = e.passwordAuth("alice", "Passw0rd!")
	testenv.WantError(t, err, "NotAuthorizedException", "User is disabled.")
	_, err = e.c.SignUp(e.ctx, &cip.SignUpInput{ClientId: &e.client, Username: aws.String("bob"), Password: aws.String("Passw0rd!")})
	e.must(err, "sign up")
	_, err = e.passwordAuth("bob", "Passw0rd!")
	testenv.WantError(t, err, "UserNotConfirmedException", "User is not confirmed.")
	_, err = e.passwordAuth("bob", "wrong")
	testenv.WantError(t, err, "NotAuthorizedException", "Incorrect username or password.")

	// With PreventUserExistenceErrors an unknown user looks like a wrong password.
	prevent, _ := e.env.client(e.pool, &cip.CreateUserPoolClientInput{ClientName: aws.String("prevent"),
		PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled,
		ExplicitAuthFlows:          []types.ExplicitAuthFlowsType{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"}})
	_, err = e.c.InitiateAuth(e.ctx, &cip.InitiateAuthInput{ClientId: &prevent, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "nobody", "PASSWORD": "Passw0rd!"}})
	testenv.WantError(t, err, "NotAuthorizedException", "Incorrect username or password.")
}

func TestSignInLockout(t *testing.T) {
	t.Parallel()
	e := newSignInEnv(t, nil, nil)
	for range 5 {
		_, err := e.passwordAuth("alice", "wrong")
		testenv.WantError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	}
	_, err := e.passwordAuth("alice", "Passw0rd!")
	testenv.WantError(t, err, "NotAuthorizedException", "Password attempts exceeded")
}

func TestSignInNewPasswordRequired(t *testing.T) {
	t.Parallel()
	e := newSignInEnv(t, nil, nil)
	_, err := e.c.AdminCreateUser(e.ctx, &cip.AdminCreateUserInput{UserPoolId: &e.pool, Username: aws.String("carol"),
		TemporaryPassword: aws.String("TempPassw0rd!"), MessageAction: types.MessageActionTypeSuppress})
	e.must(err, "create carol")
	_, err = e.c.AdminInitiateAuth(e.ctx, &cip.AdminInitiateAuthInput{UserPoolId: &e.pool, ClientId: &e.client,
		AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth, AuthParameters: map[string]string{"USERNAME": "carol", "PASSWORD": "wrong"}})
	testenv.WantError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	out, err := e.c.AdminInitiateAuth(e.ctx, &cip.AdminInitiateAuthInput{UserPoolId: &e.pool, ClientId: &e.client,
		AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth, AuthParameters: map[string]string{"USERNAME": "carol", "PASSWORD": "TempPassw0rd!"}})
	e.must(err, "ADMIN_USER_PASSWORD_AUTH")
	if out.ChallengeName != types.ChallengeNameTypeNewPasswordRequired || out.AuthenticationResult != nil || aws.ToString(out.Session) == "" ||
		out.ChallengeParameters["USER_ID_FOR_SRP"] != "carol" || out.ChallengeParameters["requiredAttributes"] != "[]" {
		t.Fatalf("challenge = %+v", out)
	}
	respond := func(pw string) (*cip.RespondToAuthChallengeOutput, error) {
		return e.c.RespondToAuthChallenge(e.ctx, &cip.RespondToAuthChallengeInput{ClientId: &e.client,
			ChallengeName: types.ChallengeNameTypeNewPasswordRequired, Session: out.Session,
			ChallengeResponses: map[string]string{"USERNAME": "carol", "NEW_PASSWORD": pw, "userAttributes.name": "Carol"}})
	}
	// A password the policy refuses leaves the session usable for another try.
	_, err = respond("weak")
	testenv.WantError(t, err, "InvalidPasswordException", "Password did not conform with policy: Password not long enough")
	res, err := respond("NewPassw0rd!")
	e.must(err, "NEW_PASSWORD_REQUIRED")
	if res.AuthenticationResult == nil || res.ChallengeName != "" {
		t.Fatalf("respond = %+v", res)
	}
	if u := e.getUser(e.pool, "carol"); u.UserStatus != types.UserStatusTypeConfirmed || attrMap(u.UserAttributes)["name"] != "Carol" {
		t.Fatalf("carol after the challenge: %s %v", u.UserStatus, attrMap(u.UserAttributes))
	}
	// A session answers one challenge only.
	_, err = respond("OtherPassw0rd!")
	testenv.WantError(t, err, "NotAuthorizedException", "Invalid session for the user, session is expired.")
	if _, err := e.passwordAuth("carol", "NewPassw0rd!"); err != nil {
		t.Fatalf("sign-in with the new password: %v", err)
	}
}

// srpTimestamp formats t as amazon-cognito-identity-js does ("Sun Oct 6 13:37:50 UTC 2024").
func srpTimestamp(t time.Time) string { return t.UTC().Format("Mon Jan 2 15:04:05 UTC 2006") }

func (e *signInEnv) srpSignIn(client, user, pw string) (*cip.RespondToAuthChallengeOutput, error) {
	e.t.Helper()
	in, err := e.srpClaim(client, user, pw)
	if err != nil {
		return nil, err
	}
	return e.c.RespondToAuthChallenge(e.ctx, in)
}

// srpReplay signs in with SRP and returns a function that sends the same password claim again.
func (e *signInEnv) srpReplay(client, user, pw string) (replay func() error, err error) {
	e.t.Helper()
	in, err := e.srpClaim(client, user, pw)
	if err != nil {
		return nil, err
	}
	if _, err := e.c.RespondToAuthChallenge(e.ctx, in); err != nil {
		return nil, err
	}
	return func() error { _, err := e.c.RespondToAuthChallenge(e.ctx, in); return err }, nil
}

// srpClaim runs USER_SRP_AUTH and returns the PASSWORD_VERIFIER answer for password pw.
func (e *signInEnv) srpClaim(client, user, pw string) (*cip.RespondToAuthChallengeInput, error) {
	e.t.Helper()
	c, err := srpclient.New(rand.Reader)
	e.must(err, "srp client")
	out, err := e.c.InitiateAuth(e.ctx, &cip.InitiateAuthInput{ClientId: &client, AuthFlow: types.AuthFlowTypeUserSrpAuth,
		AuthParameters: map[string]string{"USERNAME": user, "SRP_A": c.A()}})
	if err != nil {
		return nil, err
	}
	p := out.ChallengeParameters
	if out.ChallengeName != types.ChallengeNameTypePasswordVerifier {
		e.t.Fatalf("challenge = %s", out.ChallengeName)
	}
	ts := srpTimestamp(time.Now())
	block := p["SECRET_BLOCK"]
	raw, err := decodeStd(block)
	e.must(err, "secret block")
	sig, err := c.Claim(strings.SplitN(e.pool, "_", 2)[1], p["USER_ID_FOR_SRP"], pw, p["SALT"], p["SRP_B"], raw, ts)
	e.must(err, "claim")
	return &cip.RespondToAuthChallengeInput{ClientId: &client,
		ChallengeName: types.ChallengeNameTypePasswordVerifier, ChallengeResponses: map[string]string{
			"USERNAME": p["USERNAME"], "PASSWORD_CLAIM_SECRET_BLOCK": block, "PASSWORD_CLAIM_SIGNATURE": sig, "TIMESTAMP": ts}}, nil
}

func TestSignInSRP(t *testing.T) {
	t.Parallel()
	e := newSignInEnv(t, &cip.CreateUserPoolInput{AliasAttributes: []types.AliasAttributeType{"email"}}, nil)
	// By user name and by (verified) email alias: USER_ID_FOR_SRP is the user name.
	for _, name := range []string{"alice", "alice@example.com"} {
		res, err := e.srpSignIn(e.client, name, "Passw0rd!")
		e.must(err, "SRP sign-in as "+name)
		if res.AuthenticationResult == nil || aws.ToString(res.AuthenticationResult.IdToken) == "" {
			t.Fatalf("SRP result = %+v", res)
		}
		id, _ := e.claims(aws.ToString(res.AuthenticationResult.IdToken))
		if id["cognito:username"] != "alice" {
			t.Errorf("cognito:username = %v", id["cognito:username"])
		}
	}
	_, err := e.srpSignIn(e.client, "alice", "wrong")
	testenv.WantError(t, err, "NotAuthorizedException", "Incorrect username or password.")

	// An unknown user under PreventUserExistenceErrors gets a stable fake salt and SRP_B.
	prevent, _ := e.env.client(e.pool, &cip.CreateUserPoolClientInput{ClientName: aws.String("prevent"),
		PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled})
	salts := map[string]bool{}
	for range 2 {
		c, _ := srpclient.New(rand.Reader)
		out, err := e.c.InitiateAuth(e.ctx, &cip.InitiateAuthInput{ClientId: &prevent, AuthFlow: types.AuthFlowTypeUserSrpAuth,
			AuthParameters: map[string]string{"USERNAME": "ghost", "SRP_A": c.A()}})
		e.must(err, "fake SRP")
		salts[out.ChallengeParameters["SALT"]] = true
	}
	if len(salts) != 1 {
		t.Errorf("fake salts differ between attempts: %v", salts)
	}
	_, err = e.srpSignIn(prevent, "ghost", "whatever")
	testenv.WantError(t, err, "NotAuthorizedException", "Incorrect username or password.")
}

func decodeStd(s string) ([]byte, error) { return base64.StdEncoding.DecodeString(s) }
