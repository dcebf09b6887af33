package e2e

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/gatehouse-dev/gatehouse/internal/testenv"
)

// TestSignUpCannotClaimVerified: a user cannot mark an address verified at sign-up.
func TestSignUpCannotClaimVerified(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testenv.WithMemory())
	pool := e.pool(&cip.CreateUserPoolInput{AliasAttributes: []types.AliasAttributeType{"email"}})
	client, _ := e.client(pool, nil)
	_, err := e.c.SignUp(e.ctx, &cip.SignUpInput{ClientId: &client, Username: aws.String("mallory"), Password: aws.String("Passw0rd!"),
		UserAttributes: attrs("email", "victim@example.com", "email_verified", "true")})
	testenv.WantError(t, err, "NotAuthorizedException", "A client attempted to write unauthorized attribute")
	if _, err := e.c.AdminGetUser(e.ctx, &cip.AdminGetUserInput{UserPoolId: &pool, Username: aws.String("victim@example.com")}); err == nil {
		t.Fatal("the claimed email became a sign-in alias")
	}
}

// TestForceAliasCreationKeepsUsernameAttributes: with UsernameAttributes the email is the
// sign-in name; ForceAliasCreation cannot give it to a second user.
func TestForceAliasCreationKeepsUsernameAttributes(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testenv.WithMemory())
	pool := e.pool(&cip.CreateUserPoolInput{UsernameAttributes: []types.UsernameAttributeType{"email"}})
	e.createUser(pool, "a@x.com")
	_, err := e.c.AdminCreateUser(e.ctx, &cip.AdminCreateUserInput{UserPoolId: &pool, Username: aws.String("a@x.com"),
		ForceAliasCreation: true, MessageAction: types.MessageActionTypeSuppress})
	testenv.WantError(t, err, "UsernameExistsException", "An account with the given email already exists.")
	out, err := e.c.ListUsers(e.ctx, &cip.ListUsersInput{UserPoolId: &pool, Filter: aws.String(`email = "a@x.com"`)})
	if err != nil || len(out.Users) != 1 {
		t.Fatalf("users with the email: %v %v", out, err)
	}
}

// TestForceAliasMovesVerifiedEmail: in an alias pool ForceAliasCreation moves a verified email
// to the new user; the previous owner keeps the attribute, unverified, and no stale index
// entry lets either user be found twice.
func TestForceAliasMovesVerifiedEmail(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testenv.WithMemory())
	pool := e.pool(&cip.CreateUserPoolInput{AliasAttributes: []types.AliasAttributeType{"email"}})
	e.createUser(pool, "first", "email", "shared@x.com", "email_verified", "true")
	_, err := e.c.AdminCreateUser(e.ctx, &cip.AdminCreateUserInput{UserPoolId: &pool, Username: aws.String("second"),
		UserAttributes: attrs("email", "shared@x.com", "email_verified", "true"), ForceAliasCreation: true,
		MessageAction: types.MessageActionTypeSuppress})
	e.must(err, "force alias")
	if got := aws.ToString(e.getUser(pool, "shared@x.com").Username); got != "second" {
		t.Fatalf("alias resolves to %q, want second", got)
	}
	if e.userAttrs(pool, "first")["email_verified"] != "false" {
		t.Fatal("previous owner's email is still verified")
	}
	// Changing the previous owner's email must not remove the alias the new owner holds.
	e.must(adminUpdate(e, pool, "first", "email", "other@x.com"), "update first")
	if got := aws.ToString(e.getUser(pool, "shared@x.com").Username); got != "second" {
		t.Fatalf("after the old owner's change the alias resolves to %q", got)
	}
}

func adminUpdate(e *env, pool, user string, kv ...string) error {
	_, err := e.c.AdminUpdateUserAttributes(e.ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: &pool,
		Username: aws.String(user), UserAttributes: attrs(kv...)})
	return err
}

// TestResetCodeVerifiesOnlyTheAddressItWentTo: a password-reset code proves the address it
// was sent to, not an address set afterwards.
func TestResetCodeVerifiesOnlyTheAddressItWentTo(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testenv.WithMemory())
	pool := e.pool(&cip.CreateUserPoolInput{AliasAttributes: []types.AliasAttributeType{"email"}})
	client, _ := e.client(pool, nil)
	e.createUser(pool, "bob", "email", "bob@x.com", "email_verified", "true")
	_, err := e.c.AdminSetUserPassword(e.ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &pool, Username: aws.String("bob"),
		Password: aws.String("Passw0rd!"), Permanent: true})
	e.must(err, "set password")
	_, err = e.c.ForgotPassword(e.ctx, &cip.ForgotPasswordInput{ClientId: &client, Username: aws.String("bob")})
	e.must(err, "forgot password")
	code := e.s.LastCode(t, pool, "bob")
	e.must(adminUpdate(e, pool, "bob", "email", "unowned@x.com"), "change email")
	_, err = e.c.ConfirmForgotPassword(e.ctx, &cip.ConfirmForgotPasswordInput{ClientId: &client, Username: aws.String("bob"),
		ConfirmationCode: aws.String(code), Password: aws.String("NewPassw0rd!")})
	e.must(err, "confirm forgot password")
	if got := e.userAttrs(pool, "bob"); got["email"] != "unowned@x.com" || got["email_verified"] != "false" {
		t.Fatalf("attributes after reset: %v", got)
	}
}

// TestLastClientSecretStays: deleting the only secret would turn a confidential client public.
func TestLastClientSecretStays(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testenv.WithMemory())
	pool := e.pool(nil)
	client, _ := e.client(pool, &cip.CreateUserPoolClientInput{GenerateSecret: true})
	list, err := e.c.ListUserPoolClientSecrets(e.ctx, &cip.ListUserPoolClientSecretsInput{UserPoolId: &pool, ClientId: &client})
	e.must(err, "list secrets")
	_, err = e.c.DeleteUserPoolClientSecret(e.ctx, &cip.DeleteUserPoolClientSecretInput{UserPoolId: &pool, ClientId: &client,
		ClientSecretId: list.ClientSecrets[0].ClientSecretId})
	testenv.WantError(t, err, "InvalidParameterException", "The last client secret of an app client cannot be deleted.")
	_, err = e.c.SignUp(e.ctx, &cip.SignUpInput{ClientId: &client, Username: aws.String("u"), Password: aws.String("Passw0rd!")})
	testenv.WantError(t, err, "NotAuthorizedException", "Client "+client+" is configured with secret but SECRET_HASH was not received")
}

// TestCodeGuessingIsBoundedAcrossResends: requesting a fresh code after every few misses does
// not reset the number of guesses a user gets.
func TestCodeGuessingIsBoundedAcrossResends(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testenv.WithMemory())
	pool := e.pool(&cip.CreateUserPoolInput{AutoVerifiedAttributes: []types.VerifiedAttributeType{"email"}})
	client, _ := e.client(pool, nil)
	_, err := e.c.SignUp(e.ctx, &cip.SignUpInput{ClientId: &client, Username: aws.String("eve"), Password: aws.String("Passw0rd!"),
		UserAttributes: attrs("email", "eve@x.com")})
	e.must(err, "sign up")
	wrong := func() error {
		_, err := e.c.ConfirmSignUp(e.ctx, &cip.ConfirmSignUpInput{ClientId: &client, Username: aws.String("eve"), ConfirmationCode: aws.String("000000")})
		return err
	}
	misses := 0
	for round := 0; round < 10 && misses < 40; round++ {
		_, err := e.c.ResendConfirmationCode(e.ctx, &cip.ResendConfirmationCodeInput{ClientId: &client, Username: aws.String("eve")})
		e.must(err, "resend")
		for range 4 {
			if code := e.s.LastCode(t, pool, "eve"); code == "000000" {
				t.Skip("the random code happened to be 000000")
			}
			err := wrong()
			if code, _ := testenv.APIError(t, err); code == "LimitExceededException" {
				if misses < 20 {
					t.Fatalf("limited after %d misses, want 20", misses)
				}
				// Even the right code is refused now.
				_, err = e.c.ConfirmSignUp(e.ctx, &cip.ConfirmSignUpInput{ClientId: &client, Username: aws.String("eve"),
					ConfirmationCode: aws.String(e.s.LastCode(t, pool, "eve"))})
				testenv.WantError(t, err, "LimitExceededException", "Attempt limit exceeded, please try after some time.")
				return
			}
			misses++
		}
	}
	t.Fatalf("%d wrong codes over fresh codes were all accepted as attempts; no limit", misses)
}
