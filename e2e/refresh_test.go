package e2e

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/gatehouse-dev/gatehouse/internal/testenv"
)

func (e *signInEnv) getTokens(client, secret, refresh string) (*types.AuthenticationResultType, error) {
	in := &cip.GetTokensFromRefreshTokenInput{ClientId: &client, RefreshToken: &refresh}
	if secret != "" {
		in.ClientSecret = &secret
	}
	out, err := e.c.GetTokensFromRefreshToken(e.ctx, in)
	if err != nil {
		return nil, err
	}
	return out.AuthenticationResult, nil
}

func TestGetTokensFromRefreshTokenWithoutRotation(t *testing.T) {
	t.Parallel()
	e := newSignInEnv(t, nil, nil)
	_, refresh := e.signIn("alice", "Passw0rd!")
	r, err := e.getTokens(e.client, "", refresh)
	e.must(err, "GetTokensFromRefreshToken")
	if aws.ToString(r.AccessToken) == "" || aws.ToString(r.IdToken) == "" || r.RefreshToken != nil || r.ExpiresIn != 3600 {
		t.Fatalf("result = %+v", r)
	}
	// Without rotation the refresh token keeps working, here and in REFRESH_TOKEN_AUTH.
	_, err = e.getTokens(e.client, "", refresh)
	e.must(err, "second refresh")
	e.must(e.refresh(refresh), "REFRESH_TOKEN_AUTH")

	_, err = e.getTokens(e.client, "", refresh+"x")
	testenv.WantError(t, err, "NotAuthorizedException", "Invalid Refresh Token")
	_, err = e.getTokens("unknownclient00000000000000", "", refresh)
	testenv.WantError(t, err, "ResourceNotFoundException", "")
	other, _ := e.env.client(e.pool, &cip.CreateUserPoolClientInput{ClientName: aws.String("other"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{"ALLOW_REFRESH_TOKEN_AUTH"}})
	_, err = e.getTokens(other, "", refresh)
	testenv.WantError(t, err, "NotAuthorizedException", "Invalid Refresh Token")
}

func TestRefreshTokenRotation(t *testing.T) {
	t.Parallel()
	clock := testenv.NewClock(time.Now())
	e := newSignInEnv(t, nil, nil, testenv.WithClock(clock.Now))
	rotating, secret := e.env.client(e.pool, &cip.CreateUserPoolClientInput{ClientName: aws.String("rotating"), GenerateSecret: true,
		ExplicitAuthFlows:    []types.ExplicitAuthFlowsType{"ALLOW_ADMIN_USER_PASSWORD_AUTH"},
		RefreshTokenRotation: &types.RefreshTokenRotationType{Feature: types.FeatureTypeEnabled, RetryGracePeriodSeconds: aws.Int32(10)}})
	auth, err := e.c.AdminInitiateAuth(e.ctx, &cip.AdminInitiateAuthInput{UserPoolId: &e.pool, ClientId: &rotating,
		AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth, AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": "Passw0rd!",
			"SECRET_HASH": secretHash(secret, "alice", rotating)}})
	e.must(err, "sign in")
	first := aws.ToString(auth.AuthenticationResult.RefreshToken)
	idClaims, _ := e.claims(aws.ToString(auth.AuthenticationResult.IdToken))

	// REFRESH_TOKEN_AUTH is not available to a rotating client.
	_, err = e.c.AdminInitiateAuth(e.ctx, &cip.AdminInitiateAuthInput{UserPoolId: &e.pool, ClientId: &rotating,
		AuthFlow: types.AuthFlowTypeRefreshTokenAuth, AuthParameters: map[string]string{"REFRESH_TOKEN": first,
			"SECRET_HASH": secretHash(secret, "alice", rotating)}})
	testenv.WantError(t, err, "InvalidParameterException", "")
	// The client secret is required and checked.
	_, err = e.getTokens(rotating, "", first)
	testenv.WantError(t, err, "NotAuthorizedException", "")
	_, err = e.getTokens(rotating, secret+"x", first)
	testenv.WantError(t, err, "NotAuthorizedException", "")

	r1, err := e.getTokens(rotating, secret, first)
	e.must(err, "rotate")
	second := aws.ToString(r1.RefreshToken)
	if second == "" || second == first {
		t.Fatalf("rotation gave refresh token %q", second)
	}
	c1, _ := e.claims(aws.ToString(r1.IdToken))
	if c1["origin_jti"] != idClaims["origin_jti"] || c1["auth_time"] != idClaims["auth_time"] {
		t.Errorf("rotated tokens lost the authentication: %v vs %v", c1, idClaims)
	}
	// Within the grace period the old token still works (a client retry)...
	clock.Advance(5 * time.Second)
	_, err = e.getTokens(rotating, secret, first)
	e.must(err, "retry within the grace period")
	// ...after it, it is refused.
	clock.Advance(10 * time.Second)
	_, err = e.getTokens(rotating, secret, first)
	testenv.WantError(t, err, "RefreshTokenReuseException", "")
	r2, err := e.getTokens(rotating, secret, second)
	e.must(err, "rotate again")
	third := aws.ToString(r2.RefreshToken)

	// Signing out revokes the whole chain.
	_, err = e.c.AdminUserGlobalSignOut(e.ctx, &cip.AdminUserGlobalSignOutInput{UserPoolId: &e.pool, Username: aws.String("alice")})
	e.must(err, "sign out")
	_, err = e.getTokens(rotating, secret, third)
	testenv.WantError(t, err, "NotAuthorizedException", "Refresh Token has been revoked")
}

func TestRefreshTokenRotationNoGrace(t *testing.T) {
	t.Parallel()
	e := newSignInEnv(t, nil, nil)
	rotating, _ := e.env.client(e.pool, &cip.CreateUserPoolClientInput{ClientName: aws.String("rotating"),
		ExplicitAuthFlows:    []types.ExplicitAuthFlowsType{"ALLOW_USER_PASSWORD_AUTH"},
		RefreshTokenRotation: &types.RefreshTokenRotationType{Feature: types.FeatureTypeEnabled}})
	out, err := e.c.InitiateAuth(e.ctx, &cip.InitiateAuthInput{ClientId: &rotating, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": "Passw0rd!"}})
	e.must(err, "sign in")
	first := aws.ToString(out.AuthenticationResult.RefreshToken)
	r, err := e.getTokens(rotating, "", first)
	e.must(err, "rotate")
	if r.RefreshToken == nil {
		t.Fatal("no new refresh token")
	}
	// RetryGracePeriodSeconds 0: the old token is void at once.
	_, err = e.getTokens(rotating, "", first)
	testenv.WantError(t, err, "RefreshTokenReuseException", "")
}
