package e2e

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/gatehouse-dev/gatehouse/internal/testenv"
)

func (e *adminEnv) tags(arn *string) map[string]string {
	e.t.Helper()
	out, err := e.c.ListTagsForResource(e.ctx, &cip.ListTagsForResourceInput{ResourceArn: arn})
	if err != nil {
		e.t.Fatalf("ListTagsForResource: %v", err)
	}
	return out.Tags
}

func TestPoolTags(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	p := e.createPool(&cip.CreateUserPoolInput{PoolName: aws.String("tagged"), UserPoolTags: map[string]string{"env": "dev"}})
	arn := p.Arn
	sameJSON(t, "tags from CreateUserPool", e.tags(arn), map[string]string{"env": "dev"})

	if _, err := e.c.TagResource(e.ctx, &cip.TagResourceInput{ResourceArn: arn,
		Tags: map[string]string{"env": "prod", "team": "identity", "cost-center": "42"}}); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"env": "prod", "team": "identity", "cost-center": "42"}
	sameJSON(t, "tags after TagResource", e.tags(arn), want)
	sameJSON(t, "DescribeUserPool UserPoolTags", e.describePool(aws.ToString(p.Id)).UserPoolTags, want)

	if _, err := e.c.UntagResource(e.ctx, &cip.UntagResourceInput{ResourceArn: arn, TagKeys: []string{"team", "not-there"}}); err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "tags after UntagResource", e.tags(arn), map[string]string{"env": "prod", "cost-center": "42"})
	if _, err := e.c.UntagResource(e.ctx, &cip.UntagResourceInput{ResourceArn: arn, TagKeys: []string{"env", "cost-center"}}); err != nil {
		t.Fatal(err)
	}
	if got := e.tags(arn); len(got) != 0 {
		t.Errorf("tags after removing all = %v", got)
	}

	// A pool without tags lists none, and tags of one pool are not another's.
	untagged := e.createPool(&cip.CreateUserPoolInput{PoolName: aws.String("plain")})
	if _, err := e.c.TagResource(e.ctx, &cip.TagResourceInput{ResourceArn: arn, Tags: map[string]string{"only": "here"}}); err != nil {
		t.Fatal(err)
	}
	if got := e.tags(untagged.Arn); len(got) != 0 {
		t.Errorf("tags of an untagged pool = %v", got)
	}

	// Reserved keys are refused.
	_, err := e.c.TagResource(e.ctx, &cip.TagResourceInput{ResourceArn: arn, Tags: map[string]string{"aws:owner": "me"}})
	testenv.WantError(t, err, "InvalidParameterException", "")
}

func TestTagsOfUnknownResource(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	arn := aws.String("arn:aws:cognito-idp:us-east-1:000000000000:userpool/" + unknownPool)
	_, err := e.c.ListTagsForResource(e.ctx, &cip.ListTagsForResourceInput{ResourceArn: arn})
	testenv.WantError(t, err, "ResourceNotFoundException", "")
	_, err = e.c.TagResource(e.ctx, &cip.TagResourceInput{ResourceArn: arn, Tags: map[string]string{"k": "v"}})
	testenv.WantError(t, err, "ResourceNotFoundException", "")
	_, err = e.c.UntagResource(e.ctx, &cip.UntagResourceInput{ResourceArn: arn, TagKeys: []string{"k"}})
	testenv.WantError(t, err, "ResourceNotFoundException", "")

	// A deleted pool's ARN is unknown too.
	p := e.createPool(&cip.CreateUserPoolInput{PoolName: aws.String("short-lived"), UserPoolTags: map[string]string{"k": "v"}})
	if _, err := e.c.DeleteUserPool(e.ctx, &cip.DeleteUserPoolInput{UserPoolId: p.Id}); err != nil {
		t.Fatal(err)
	}
	_, err = e.c.ListTagsForResource(e.ctx, &cip.ListTagsForResourceInput{ResourceArn: p.Arn})
	testenv.WantError(t, err, "ResourceNotFoundException", "")

	// An ARN of another account or region is not one of this server's pools.
	_, err = e.c.ListTagsForResource(e.ctx, &cip.ListTagsForResourceInput{
		ResourceArn: aws.String("arn:aws:cognito-idp:eu-west-1:111111111111:userpool/eu-west-1_abcdefghi")})
	testenv.WantError(t, err, "ResourceNotFoundException", "")
}
