package e2e

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/gatehouse-dev/gatehouse/internal/testenv"
)

// Benchmarks of directory operations through the real SDK over loopback HTTP on SQLite.
// Run: go test -run '^$' -bench . -benchtime 2s ./e2e/

func benchPool(b *testing.B) (*testenv.Server, *cip.Client, string) {
	s := testenv.Start(b)
	c := s.Cognito()
	p, err := c.CreateUserPool(testenv.Ctx(b), &cip.CreateUserPoolInput{PoolName: aws.String("bench")})
	if err != nil {
		b.Fatal(err)
	}
	return s, c, aws.ToString(p.UserPool.Id)
}

func BenchmarkDescribeUserPool(b *testing.B) {
	_, c, pid := benchPool(b)
	ctx := testenv.Ctx(b)
	for b.Loop() {
		if _, err := c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: &pid}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAdminCreateUser(b *testing.B) {
	_, c, pid := benchPool(b)
	ctx := testenv.Ctx(b)
	i := 0
	for b.Loop() {
		i++
		_, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &pid, Username: aws.String(fmt.Sprintf("u%d", i)),
			UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(fmt.Sprintf("u%d@example.com", i))}},
			MessageAction:  types.MessageActionTypeSuppress})
		if err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAdminGetUser(b *testing.B) {
	_, c, pid := benchPool(b)
	ctx := testenv.Ctx(b)
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &pid, Username: aws.String("someone"),
		MessageAction: types.MessageActionTypeSuppress}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: &pid, Username: aws.String("someone")}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkListUsersFilter(b *testing.B) {
	_, c, pid := benchPool(b)
	ctx := testenv.Ctx(b)
	for i := range 500 {
		if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &pid, Username: aws.String(fmt.Sprintf("user%03d", i)),
			UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(fmt.Sprintf("user%03d@example.com", i))}},
			MessageAction:  types.MessageActionTypeSuppress}); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		out, err := c.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: &pid, Filter: aws.String(`email ^= "user1"`)})
		if err != nil || len(out.Users) != 60 {
			b.Fatalf("%v %d", err, len(out.Users))
		}
	}
}
