package e2e

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/gatehouse-dev/gatehouse/internal/testenv"
)

// forge rebuilds a JWT with a new header (alg and the original kid) and, for HS256, an HMAC
// signature keyed with key; for "none" the signature is empty.
func forge(t *testing.T, token, alg string, key []byte) string {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", token)
	}
	hdr, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil {
		t.Fatalf("header: %v", err)
	}
	newHdr := strings.Replace(string(hdr), `"RS256"`, `"`+alg+`"`, 1)
	signing := base64.RawURLEncoding.EncodeToString([]byte(newHdr)) + "." + parts[1]
	if alg == "none" {
		return signing + "."
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(signing))
	return signing + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// tamper changes one character in the middle of a token's payload.
func tamper(token string) string {
	parts := strings.Split(token, ".")
	p := []byte(parts[1])
	i := len(p) / 2
	if p[i] == 'A' {
		p[i] = 'B'
	} else {
		p[i] = 'A'
	}
	parts[1] = string(p)
	return strings.Join(parts, ".")
}

// TestAttackTable runs the attacks issue 3 names against the sign-in flows and tokens: every one
// is refused with the error AWS gives.
func TestAttackTable(t *testing.T) {
	t.Parallel()
	clock := testenv.NewClock(time.Now())
	e := newSignInEnv(t, &cip.CreateUserPoolInput{AutoVerifiedAttributes: []types.VerifiedAttributeType{"email"}}, nil,
		testenv.WithClock(clock.Now))
	secretClient, secret := e.env.client(e.pool, &cip.CreateUserPoolClientInput{ClientName: aws.String("confidential"), GenerateSecret: true,
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	revoking, _ := e.env.client(e.pool, &cip.CreateUserPoolClientInput{ClientName: aws.String("revoking"), EnableTokenRevocation: aws.Bool(true),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	signInWith := func(client string, hash bool) *types.AuthenticationResultType {
		params := map[string]string{"USERNAME": "alice", "PASSWORD": "Passw0rd!"}
		if hash {
			params["SECRET_HASH"] = secretHash(secret, "alice", client)
		}
		out, err := e.c.InitiateAuth(e.ctx, &cip.InitiateAuthInput{ClientId: &client, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
			AuthParameters: params})
		e.must(err, "sign in")
		return out.AuthenticationResult
	}
	tokens := signInWith(e.client, false)
	access, id := aws.ToString(tokens.AccessToken), aws.ToString(tokens.IdToken)
	getUser := func(tok string) error {
		_, err := e.c.GetUser(e.ctx, &cip.GetUserInput{AccessToken: &tok})
		return err
	}

	// NEW_PASSWORD_REQUIRED sessions of invited users; the first is answered once.
	newPasswordSession := func(user string) string {
		e.createUser(e.pool, user)
		_, err := e.c.AdminSetUserPassword(e.ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &e.pool, Username: &user,
			Password: aws.String("TempPassw0rd!")})
		e.must(err, "temporary password")
		out, err := e.passwordAuth(user, "TempPassw0rd!")
		e.must(err, "sign in "+user)
		return aws.ToString(out.Session)
	}
	answerNewPassword := func(client, user, session string) error {
		_, err := e.c.RespondToAuthChallenge(e.ctx, &cip.RespondToAuthChallengeInput{ClientId: &client,
			ChallengeName: types.ChallengeNameTypeNewPasswordRequired, Session: &session,
			ChallengeResponses: map[string]string{"USERNAME": user, "NEW_PASSWORD": "NewPassw0rd!"}})
		return err
	}
	npSession := newPasswordSession("temp")
	e.must(answerNewPassword(e.client, "temp", npSession), "answer NEW_PASSWORD_REQUIRED")

	// A confirmation code that is a day old.
	e.signUp(e.client, "late", "email", "late@example.com")
	lateCode := e.s.LastCode(t, e.pool, "late")

	// Tokens revoked three ways.
	signedOut := signInWith(e.client, false)
	_, err := e.c.GlobalSignOut(e.ctx, &cip.GlobalSignOutInput{AccessToken: signedOut.AccessToken})
	e.must(err, "global sign out")
	revoked := signInWith(revoking, false)
	_, err = e.c.RevokeToken(e.ctx, &cip.RevokeTokenInput{ClientId: &revoking, Token: revoked.RefreshToken})
	e.must(err, "revoke token")

	invalidSession := "Invalid session for the user, session is expired."
	attacks := []struct {
		name      string
		run       func() error
		code, msg string
	}{
		{"replayed NEW_PASSWORD_REQUIRED session", func() error { return answerNewPassword(e.client, "temp", npSession) },
			"NotAuthorizedException", invalidSession},
		{"session tampered with", func() error { return answerNewPassword(e.client, "temp", tamper("x."+npSession+".y")) },
			"NotAuthorizedException", invalidSession},
		{"session of another client", func() error { return answerNewPassword(revoking, "temp2", newPasswordSession("temp2")) },
			"NotAuthorizedException", invalidSession},
		{"replayed SRP password claim", func() error {
			res, err := e.srpReplay(e.client, "alice", "Passw0rd!")
			if err != nil {
				t.Fatalf("first SRP answer: %v", err)
			}
			return res()
		}, "NotAuthorizedException", invalidSession},
		{"SRP with a wrong password", func() error { _, err := e.srpSignIn(e.client, "alice", "Wrong0ne!"); return err },
			"NotAuthorizedException", "Incorrect username or password."},
		{"missing SECRET_HASH", func() error {
			_, err := e.c.InitiateAuth(e.ctx, &cip.InitiateAuthInput{ClientId: &secretClient, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
				AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": "Passw0rd!"}})
			return err
		}, "NotAuthorizedException", "Client " + secretClient + " is configured with secret but SECRET_HASH was not received"},
		{"wrong SECRET_HASH", func() error {
			_, err := e.c.InitiateAuth(e.ctx, &cip.InitiateAuthInput{ClientId: &secretClient, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
				AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": "Passw0rd!", "SECRET_HASH": secretHash(secret, "bob", secretClient)}})
			return err
		}, "NotAuthorizedException", "Unable to verify secret hash for client " + secretClient},
		{"SECRET_HASH of another client's secret", func() error {
			_, err := e.c.InitiateAuth(e.ctx, &cip.InitiateAuthInput{ClientId: &secretClient, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
				AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": "Passw0rd!", "SECRET_HASH": secretHash("not-the-secret", "alice", secretClient)}})
			return err
		}, "NotAuthorizedException", "Unable to verify secret hash for client " + secretClient},
		{"refresh without SECRET_HASH", func() error {
			r := signInWith(secretClient, true)
			_, err := e.c.InitiateAuth(e.ctx, &cip.InitiateAuthInput{ClientId: &secretClient, AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
				AuthParameters: map[string]string{"REFRESH_TOKEN": aws.ToString(r.RefreshToken)}})
			return err
		}, "NotAuthorizedException", "Client " + secretClient + " is configured with secret but SECRET_HASH was not received"},
		{"access token with a changed payload", func() error { return getUser(tamper(access)) }, "NotAuthorizedException", "Invalid Access Token"},
		{"access token with alg none", func() error { return getUser(forge(t, access, "none", nil)) }, "NotAuthorizedException", "Invalid Access Token"},
		{"access token re-signed HS256", func() error { return getUser(forge(t, access, "HS256", []byte("secret"))) },
			"NotAuthorizedException", "Invalid Access Token"},
		{"access token without its signature", func() error { return getUser(access[:strings.LastIndex(access, ".")+1]) },
			"NotAuthorizedException", "Invalid Access Token"},
		{"ID token as an access token", func() error { return getUser(id) }, "NotAuthorizedException", "Invalid Access Token"},
		{"access token after GlobalSignOut", func() error { return getUser(aws.ToString(signedOut.AccessToken)) },
			"NotAuthorizedException", "Access Token has been revoked"},
		{"refresh token after GlobalSignOut", func() error { return e.refresh(aws.ToString(signedOut.RefreshToken)) },
			"NotAuthorizedException", "Refresh Token has been revoked"},
		{"refresh token after RevokeToken", func() error {
			_, err := e.c.InitiateAuth(e.ctx, &cip.InitiateAuthInput{ClientId: &revoking, AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
				AuthParameters: map[string]string{"REFRESH_TOKEN": aws.ToString(revoked.RefreshToken)}})
			return err
		}, "NotAuthorizedException", "Refresh Token has been revoked"},
		{"access token after RevokeToken", func() error { return getUser(aws.ToString(revoked.AccessToken)) },
			"NotAuthorizedException", "Access Token has been revoked"},
		{"refresh token of another client", func() error {
			_, err := e.c.InitiateAuth(e.ctx, &cip.InitiateAuthInput{ClientId: &revoking, AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
				AuthParameters: map[string]string{"REFRESH_TOKEN": aws.ToString(tokens.RefreshToken)}})
			return err
		}, "NotAuthorizedException", "Invalid Refresh Token"},
		{"refresh token with a changed byte", func() error { return e.refresh(tamper(aws.ToString(tokens.RefreshToken))) },
			"NotAuthorizedException", "Invalid Refresh Token"},
		// Time-based attacks last: they move the clock.
		{"expired challenge session", func() error {
			session := newPasswordSession("temp3")
			clock.Advance(4 * time.Minute) // AuthSessionValidity defaults to 3 minutes
			return answerNewPassword(e.client, "temp3", session)
		}, "NotAuthorizedException", invalidSession},
		{"expired access token", func() error { clock.Advance(61 * time.Minute); return getUser(access) },
			"NotAuthorizedException", "Access Token has expired"},
		{"expired confirmation code", func() error { clock.Advance(24 * time.Hour); return e.confirmSignUp(e.client, "late", lateCode) },
			"ExpiredCodeException", "Invalid code provided, please request a code again."},
	}
	for _, a := range attacks {
		err := a.run()
		if err == nil {
			t.Errorf("%s: accepted", a.name)
			continue
		}
		code, msg := testenv.APIError(t, err)
		if code != a.code || msg != a.msg {
			t.Errorf("%s: %s: %q; want %s: %q", a.name, code, msg, a.code, a.msg)
		}
	}
}
