package e2e

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/gatehouse-dev/gatehouse/internal/testenv"
)

// TestSmokeSignUpConfirm walks the tutorial path: pool → client → sign-up → confirm with the
// delivered code → the user is CONFIRMED with a verified email.
func TestSmokeSignUpConfirm(t *testing.T) {
	s := testenv.Start(t)
	c := s.Cognito()
	ctx := testenv.Ctx(t)
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("smoke"),
		AutoVerifiedAttributes: []types.VerifiedAttributeType{"email"}, UsernameAttributes: []types.UsernameAttributeType{"email"}})
	if err != nil {
		t.Fatal(err)
	}
	pid := aws.ToString(pool.UserPool.Id)
	cl, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: &pid, ClientName: aws.String("web")})
	if err != nil {
		t.Fatal(err)
	}
	cid := cl.UserPoolClient.ClientId
	su, err := c.SignUp(ctx, &cip.SignUpInput{ClientId: cid, Username: aws.String("alice@example.com"), Password: aws.String("Passw0rd!")})
	if err != nil {
		t.Fatal(err)
	}
	if su.UserConfirmed || su.CodeDeliveryDetails == nil || aws.ToString(su.CodeDeliveryDetails.Destination) != "a***@e***" {
		t.Fatalf("sign up = %+v", su)
	}
	code := s.LastCode(t, pid, "alice@example.com")
	if _, err := c.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: cid, Username: aws.String("alice@example.com"), ConfirmationCode: aws.String(code)}); err != nil {
		t.Fatal(err)
	}
	u, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: &pid, Username: aws.String("alice@example.com")})
	if err != nil {
		t.Fatal(err)
	}
	if u.UserStatus != types.UserStatusTypeConfirmed || aws.ToString(u.Username) != aws.ToString(su.UserSub) {
		t.Fatalf("user = %s %s", u.UserStatus, aws.ToString(u.Username))
	}
	got := map[string]string{}
	for _, a := range u.UserAttributes {
		got[aws.ToString(a.Name)] = aws.ToString(a.Value)
	}
	if got["email"] != "alice@example.com" || got["email_verified"] != "true" || got["sub"] != aws.ToString(su.UserSub) {
		t.Fatalf("attributes = %v", got)
	}
	_, err = c.SignUp(ctx, &cip.SignUpInput{ClientId: cid, Username: aws.String("alice@example.com"), Password: aws.String("Passw0rd!")})
	testenv.WantError(t, err, "UsernameExistsException", "An account with the given email already exists.")
	lu, err := c.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: &pid, Filter: aws.String(`email ^= "ALICE"`)})
	if err != nil {
		t.Fatal(err)
	}
	if len(lu.Users) != 1 {
		t.Fatalf("list users = %d", len(lu.Users))
	}
}
