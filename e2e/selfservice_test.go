package e2e

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/gatehouse-dev/gatehouse/internal/testenv"
)

// signIn returns alice's access and refresh tokens.
func (e *signInEnv) signIn(user, pw string) (access, refresh string) {
	e.t.Helper()
	out, err := e.passwordAuth(user, pw)
	e.must(err, "sign in "+user)
	return aws.ToString(out.AuthenticationResult.AccessToken), aws.ToString(out.AuthenticationResult.RefreshToken)
}

func (e *signInEnv) refresh(token string) error {
	_, err := e.c.InitiateAuth(e.ctx, &cip.InitiateAuthInput{ClientId: &e.client, AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
		AuthParameters: map[string]string{"REFRESH_TOKEN": token}})
	return err
}

func TestGetUserAndAttributes(t *testing.T) {
	t.Parallel()
	e := newSignInEnv(t, &cip.CreateUserPoolInput{AutoVerifiedAttributes: []types.VerifiedAttributeType{"email"}}, nil)
	access, _ := e.signIn("alice", "Passw0rd!")
	u, err := e.c.GetUser(e.ctx, &cip.GetUserInput{AccessToken: &access})
	e.must(err, "GetUser")
	if aws.ToString(u.Username) != "alice" || attrMap(u.UserAttributes)["email"] != "alice@example.com" {
		t.Fatalf("GetUser = %+v", u)
	}
	_, err = e.c.GetUser(e.ctx, &cip.GetUserInput{AccessToken: aws.String(access + "x")})
	testenv.WantError(t, err, "NotAuthorizedException", "Invalid Access Token")
	_, err = e.c.GetUser(e.ctx, &cip.GetUserInput{AccessToken: aws.String("not-a-token")})
	testenv.WantError(t, err, "NotAuthorizedException", "Invalid Access Token")

	// UpdateUserAttributes: a new email is unverified and gets a code.
	out, err := e.c.UpdateUserAttributes(e.ctx, &cip.UpdateUserAttributesInput{AccessToken: &access,
		UserAttributes: attrs("email", "alice2@example.com", "name", "Alice B")})
	e.must(err, "UpdateUserAttributes")
	if len(out.CodeDeliveryDetailsList) != 1 || aws.ToString(out.CodeDeliveryDetailsList[0].Destination) != "a***@e***" {
		t.Fatalf("deliveries = %+v", out.CodeDeliveryDetailsList)
	}
	if got := e.userAttrs(e.pool, "alice"); got["email"] != "alice2@example.com" || got["email_verified"] != "false" || got["name"] != "Alice B" {
		t.Fatalf("attributes = %v", got)
	}
	_, err = e.c.UpdateUserAttributes(e.ctx, &cip.UpdateUserAttributesInput{AccessToken: &access,
		UserAttributes: attrs("email_verified", "true")})
	testenv.WantError(t, err, "NotAuthorizedException", "A client attempted to write unauthorized attribute")

	_, err = e.c.DeleteUserAttributes(e.ctx, &cip.DeleteUserAttributesInput{AccessToken: &access, UserAttributeNames: []string{"name"}})
	e.must(err, "DeleteUserAttributes")
	if _, ok := e.userAttrs(e.pool, "alice")["name"]; ok {
		t.Fatal("name still set")
	}
}

func TestChangePassword(t *testing.T) {
	t.Parallel()
	e := newSignInEnv(t, nil, nil)
	access, _ := e.signIn("alice", "Passw0rd!")
	_, err := e.c.ChangePassword(e.ctx, &cip.ChangePasswordInput{AccessToken: &access, PreviousPassword: aws.String("wrong"),
		ProposedPassword: aws.String("NewPassw0rd!")})
	testenv.WantError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	_, err = e.c.ChangePassword(e.ctx, &cip.ChangePasswordInput{AccessToken: &access, PreviousPassword: aws.String("Passw0rd!"),
		ProposedPassword: aws.String("short")})
	testenv.WantError(t, err, "InvalidPasswordException", "Password did not conform with policy: Password not long enough")
	_, err = e.c.ChangePassword(e.ctx, &cip.ChangePasswordInput{AccessToken: &access, PreviousPassword: aws.String("Passw0rd!"),
		ProposedPassword: aws.String("NewPassw0rd!")})
	e.must(err, "ChangePassword")
	if _, err := e.passwordAuth("alice", "Passw0rd!"); err == nil {
		t.Fatal("old password still works")
	}
	e.signIn("alice", "NewPassw0rd!")
}

func TestGlobalSignOutRevokesTokens(t *testing.T) {
	t.Parallel()
	e := newSignInEnv(t, nil, nil)
	access1, refresh1 := e.signIn("alice", "Passw0rd!")
	access2, refresh2 := e.signIn("alice", "Passw0rd!")
	_, err := e.c.GlobalSignOut(e.ctx, &cip.GlobalSignOutInput{AccessToken: &access1})
	e.must(err, "GlobalSignOut")
	for _, a := range []string{access1, access2} {
		_, err := e.c.GetUser(e.ctx, &cip.GetUserInput{AccessToken: &a})
		testenv.WantError(t, err, "NotAuthorizedException", "Access Token has been revoked")
	}
	for _, r := range []string{refresh1, refresh2} {
		testenv.WantError(t, e.refresh(r), "NotAuthorizedException", "Refresh Token has been revoked")
	}
	// A sign-in right after the sign-out works (even within the same second).
	access3, refresh3 := e.signIn("alice", "Passw0rd!")
	if _, err := e.c.GetUser(e.ctx, &cip.GetUserInput{AccessToken: &access3}); err != nil {
		t.Fatalf("new token after sign-out: %v", err)
	}
	e.must(e.refresh(refresh3), "refresh the new token")

	_, err = e.c.AdminUserGlobalSignOut(e.ctx, &cip.AdminUserGlobalSignOutInput{UserPoolId: &e.pool, Username: aws.String("alice")})
	e.must(err, "AdminUserGlobalSignOut")
	_, err = e.c.GetUser(e.ctx, &cip.GetUserInput{AccessToken: &access3})
	testenv.WantError(t, err, "NotAuthorizedException", "Access Token has been revoked")
	testenv.WantError(t, e.refresh(refresh3), "NotAuthorizedException", "Refresh Token has been revoked")
}

func TestDeleteUserWithToken(t *testing.T) {
	t.Parallel()
	e := newSignInEnv(t, nil, nil)
	access, _ := e.signIn("alice", "Passw0rd!")
	_, err := e.c.DeleteUser(e.ctx, &cip.DeleteUserInput{AccessToken: &access})
	e.must(err, "DeleteUser")
	_, err = e.c.AdminGetUser(e.ctx, &cip.AdminGetUserInput{UserPoolId: &e.pool, Username: aws.String("alice")})
	testenv.WantError(t, err, "UserNotFoundException", "User does not exist.")
	_, err = e.c.GetUser(e.ctx, &cip.GetUserInput{AccessToken: &access})
	testenv.WantError(t, err, "UserNotFoundException", "User does not exist.")
}

func TestDisabledUserToken(t *testing.T) {
	t.Parallel()
	e := newSignInEnv(t, nil, nil)
	access, refresh := e.signIn("alice", "Passw0rd!")
	_, err := e.c.AdminDisableUser(e.ctx, &cip.AdminDisableUserInput{UserPoolId: &e.pool, Username: aws.String("alice")})
	e.must(err, "disable")
	_, err = e.c.GetUser(e.ctx, &cip.GetUserInput{AccessToken: &access})
	testenv.WantError(t, err, "NotAuthorizedException", "User is disabled.")
	testenv.WantError(t, e.refresh(refresh), "NotAuthorizedException", "User is disabled.")
}

func TestVerifyUserAttribute(t *testing.T) {
	t.Parallel()
	e := newSignInEnv(t, &cip.CreateUserPoolInput{AutoVerifiedAttributes: []types.VerifiedAttributeType{"email"},
		UserAttributeUpdateSettings: &types.UserAttributeUpdateSettingsType{
			AttributesRequireVerificationBeforeUpdate: []types.VerifiedAttributeType{"email"}}}, nil)
	access, _ := e.signIn("alice", "Passw0rd!")
	// With AttributesRequireVerificationBeforeUpdate the old, verified email stays until the
	// new one is verified.
	_, err := e.c.UpdateUserAttributes(e.ctx, &cip.UpdateUserAttributesInput{AccessToken: &access,
		UserAttributes: attrs("email", "new@example.com")})
	e.must(err, "update email")
	if got := e.userAttrs(e.pool, "alice"); got["email"] != "alice@example.com" || got["email_verified"] != "true" {
		t.Fatalf("before verification: %v", got)
	}
	_, err = e.c.VerifyUserAttribute(e.ctx, &cip.VerifyUserAttributeInput{AccessToken: &access, AttributeName: aws.String("email"), Code: aws.String("000000")})
	if code, _ := testenv.APIError(t, err); code != "CodeMismatchException" {
		t.Fatalf("wrong code: %v", err)
	}
	d, err := e.c.GetUserAttributeVerificationCode(e.ctx, &cip.GetUserAttributeVerificationCodeInput{AccessToken: &access, AttributeName: aws.String("email")})
	e.must(err, "GetUserAttributeVerificationCode")
	if aws.ToString(d.CodeDeliveryDetails.Destination) != "n***@e***" {
		t.Fatalf("delivery = %+v", d.CodeDeliveryDetails)
	}
	code := e.s.LastCode(t, e.pool, "new@example.com")
	_, err = e.c.VerifyUserAttribute(e.ctx, &cip.VerifyUserAttributeInput{AccessToken: &access, AttributeName: aws.String("email"), Code: &code})
	e.must(err, "VerifyUserAttribute")
	if got := e.userAttrs(e.pool, "alice"); got["email"] != "new@example.com" || got["email_verified"] != "true" {
		t.Fatalf("after verification: %v", got)
	}
}

func TestRevokeToken(t *testing.T) {
	t.Parallel()
	e := newSignInEnv(t, nil, nil)
	access1, refresh1 := e.signIn("alice", "Passw0rd!")
	access2, refresh2 := e.signIn("alice", "Passw0rd!")
	_, err := e.c.RevokeToken(e.ctx, &cip.RevokeTokenInput{ClientId: &e.client, Token: &refresh1})
	e.must(err, "RevokeToken")
	testenv.WantError(t, e.refresh(refresh1), "NotAuthorizedException", "Refresh Token has been revoked")
	_, err = e.c.GetUser(e.ctx, &cip.GetUserInput{AccessToken: &access1})
	testenv.WantError(t, err, "NotAuthorizedException", "Access Token has been revoked")
	// The other authentication is untouched.
	e.must(e.refresh(refresh2), "other refresh token")
	_, err = e.c.GetUser(e.ctx, &cip.GetUserInput{AccessToken: &access2})
	e.must(err, "other access token")
	_, err = e.c.RevokeToken(e.ctx, &cip.RevokeTokenInput{ClientId: &e.client, Token: &access2})
	if code, _ := testenv.APIError(t, err); code != "UnsupportedTokenTypeException" {
		t.Fatalf("revoking an access token: %v", err)
	}
}
