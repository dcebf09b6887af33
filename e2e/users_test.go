package e2e

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/gatehouse-dev/gatehouse/internal/testenv"
)

// Shared helpers of the e2e tests. Every test starts its own server (testenv.Start) and talks
// to it only through the AWS SDK and the /_gatehouse/messages development endpoint.

// env is one running server with an SDK client.
type env struct {
	t   *testing.T
	s   *testenv.Server
	c   *cip.Client
	ctx context.Context
}

func newEnv(t *testing.T, opts ...testenv.Option) *env {
	t.Helper()
	s := testenv.Start(t, opts...)
	return &env{t: t, s: s, c: s.Cognito(), ctx: testenv.Ctx(t)}
}

// pool creates a user pool from in (PoolName defaults to the test name) and returns its id.
func (e *env) pool(in *cip.CreateUserPoolInput) string {
	e.t.Helper()
	if in == nil {
		in = &cip.CreateUserPoolInput{}
	}
	if in.PoolName == nil {
		in.PoolName = aws.String(strings.NewReplacer("/", "-", " ", "-").Replace(e.t.Name()))
	}
	out, err := e.c.CreateUserPool(e.ctx, in)
	if err != nil {
		e.t.Fatalf("create user pool: %v", err)
	}
	return aws.ToString(out.UserPool.Id)
}

// client creates an app client of pool from in and returns its id and secret.
func (e *env) client(pool string, in *cip.CreateUserPoolClientInput) (id, secret string) {
	e.t.Helper()
	if in == nil {
		in = &cip.CreateUserPoolClientInput{}
	}
	in.UserPoolId = aws.String(pool)
	if in.ClientName == nil {
		in.ClientName = aws.String("app")
	}
	out, err := e.c.CreateUserPoolClient(e.ctx, in)
	if err != nil {
		e.t.Fatalf("create user pool client: %v", err)
	}
	return aws.ToString(out.UserPoolClient.ClientId), aws.ToString(out.UserPoolClient.ClientSecret)
}

// createUser creates a user with AdminCreateUser without sending an invitation.
// kv lists attribute names and values.
func (e *env) createUser(pool, name string, kv ...string) *types.UserType {
	e.t.Helper()
	out, err := e.c.AdminCreateUser(e.ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String(name),
		UserAttributes: attrs(kv...), MessageAction: types.MessageActionTypeSuppress})
	if err != nil {
		e.t.Fatalf("admin create user %q: %v", name, err)
	}
	return out.User
}

// getUser returns AdminGetUser of name, failing the test on error.
func (e *env) getUser(pool, name string) *cip.AdminGetUserOutput {
	e.t.Helper()
	out, err := e.c.AdminGetUser(e.ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String(name)})
	if err != nil {
		e.t.Fatalf("admin get user %q: %v", name, err)
	}
	return out
}

// userAttrs returns the attributes of a user as AdminGetUser reports them.
func (e *env) userAttrs(pool, name string) map[string]string {
	e.t.Helper()
	return attrMap(e.getUser(pool, name).UserAttributes)
}

// must fails the test when err is not nil.
func (e *env) must(err error, what string) {
	e.t.Helper()
	if err != nil {
		e.t.Fatalf("%s: %v", what, err)
	}
}

// messageCount returns how many messages were delivered to user (name or address) of pool.
func (e *env) messageCount(pool, user string) int {
	e.t.Helper()
	return len(e.s.Messages(e.t, pool, user))
}

// attrs builds an attribute list from name/value pairs.
func attrs(kv ...string) []types.AttributeType {
	if len(kv)%2 != 0 {
		panic("attrs: odd number of arguments")
	}
	var out []types.AttributeType
	for i := 0; i < len(kv); i += 2 {
		out = append(out, types.AttributeType{Name: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	return out
}

func attrMap(list []types.AttributeType) map[string]string {
	m := map[string]string{}
	for _, a := range list {
		m[aws.ToString(a.Name)] = aws.ToString(a.Value)
	}
	return m
}

// secretHash is SECRET_HASH as AWS documents it: Base64(HMAC-SHA256(secret, username+clientId)).
func secretHash(secret, username, clientID string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(username + clientID))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// checkPolicyPassword fails unless pw satisfies Cognito's default password policy.
func checkPolicyPassword(t *testing.T, pw string) {
	t.Helper()
	if len(pw) < 8 || !strings.ContainsAny(pw, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") || !strings.ContainsAny(pw, "abcdefghijklmnopqrstuvwxyz") ||
		!strings.ContainsAny(pw, "0123456789") || strings.Trim(pw, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") == "" {
		t.Fatalf("temporary password %q does not satisfy the default policy", pw)
	}
}

// TestAdminCreateUserInvitation checks the invitation: a generated temporary password that
// satisfies the policy, delivered by every requested medium with {username} and {####} filled
// into the pool's InviteMessageTemplate.
func TestAdminCreateUserInvitation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pool := e.pool(&cip.CreateUserPoolInput{AdminCreateUserConfig: &types.AdminCreateUserConfigType{
		InviteMessageTemplate: &types.MessageTemplateType{
			EmailSubject: aws.String("Welcome aboard"),
			EmailMessage: aws.String("Hello {username}, your temporary password is {####} (keep it secret)."),
			SMSMessage:   aws.String("User {username} / password {####}"),
		}}})
	out, err := e.c.AdminCreateUser(e.ctx, &cip.AdminCreateUserInput{UserPoolId: &pool, Username: aws.String("Bob"),
		UserAttributes:         attrs("email", "bob@example.com", "phone_number", "+15555550100", "name", "Bob Builder"),
		DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail, types.DeliveryMediumTypeSms}})
	e.must(err, "admin create user")
	u := out.User
	if aws.ToString(u.Username) != "Bob" || u.UserStatus != types.UserStatusTypeForceChangePassword || !u.Enabled {
		t.Fatalf("user = %s %s enabled=%v", aws.ToString(u.Username), u.UserStatus, u.Enabled)
	}
	got := attrMap(u.Attributes)
	if !uuidRE.MatchString(got["sub"]) || got["email"] != "bob@example.com" || got["name"] != "Bob Builder" {
		t.Fatalf("attributes = %v", got)
	}
	if u.UserCreateDate == nil || u.UserLastModifiedDate == nil {
		t.Fatalf("dates missing: %+v", u)
	}
	msgs := e.s.Messages(t, pool, "Bob")
	if len(msgs) != 2 {
		t.Fatalf("%d messages, want 2 (email and SMS): %+v", len(msgs), msgs)
	}
	byMedium := map[string]int{}
	for i, m := range msgs {
		byMedium[m.Medium] = i
	}
	email, sms := msgs[byMedium["EMAIL"]], msgs[byMedium["SMS"]]
	if email.Medium != "EMAIL" || sms.Medium != "SMS" {
		t.Fatalf("media = %s, %s", msgs[0].Medium, msgs[1].Medium)
	}
	pw := email.Code
	checkPolicyPassword(t, pw)
	if email.Destination != "bob@example.com" || email.Subject != "Welcome aboard" ||
		email.Body != "Hello Bob, your temporary password is "+pw+" (keep it secret)." || email.Purpose != "AdminCreateUser" {
		t.Fatalf("email = %+v", email)
	}
	if sms.Destination != "+15555550100" || sms.Body != "User Bob / password "+pw || sms.Code != pw {
		t.Fatalf("sms = %+v", sms)
	}

	// Without a template the default invitation carries the user name and password too.
	plain := e.pool(&cip.CreateUserPoolInput{PoolName: aws.String("plain")})
	_, err = e.c.AdminCreateUser(e.ctx, &cip.AdminCreateUserInput{UserPoolId: &plain, Username: aws.String("carol"),
		UserAttributes: attrs("email", "carol@example.com"), DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail}})
	e.must(err, "admin create user without template")
	m := e.s.Messages(t, plain, "carol")
	if len(m) != 1 || !strings.Contains(m[0].Body, "carol") || !strings.Contains(m[0].Body, m[0].Code) || m[0].Code == "" {
		t.Fatalf("default invitation = %+v", m)
	}
	checkPolicyPassword(t, m[0].Code)
}

func TestAdminCreateUserTemporaryPassword(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pool := e.pool(&cip.CreateUserPoolInput{Policies: &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{
		MinimumLength: aws.Int32(10), RequireNumbers: true, RequireUppercase: true}}})
	for _, tc := range []struct{ pw, msg string }{
		{"Short1", "Password not long enough"},
		{"nouppercase1", "Password must have uppercase characters"},
		{"NoNumbersHere", "Password must have numeric characters"},
	} {
		_, err := e.c.AdminCreateUser(e.ctx, &cip.AdminCreateUserInput{UserPoolId: &pool, Username: aws.String("dave"),
			TemporaryPassword: aws.String(tc.pw), MessageAction: types.MessageActionTypeSuppress})
		testenv.WantError(t, err, "InvalidPasswordException", "Password did not conform with password policy: "+tc.msg)
	}
	// Nothing was created by the failed attempts.
	_, err := e.c.AdminGetUser(e.ctx, &cip.AdminGetUserInput{UserPoolId: &pool, Username: aws.String("dave")})
	testenv.WantError(t, err, "UserNotFoundException", "User does not exist.")

	_, err = e.c.AdminCreateUser(e.ctx, &cip.AdminCreateUserInput{UserPoolId: &pool, Username: aws.String("dave"),
		UserAttributes: attrs("email", "dave@example.com"), TemporaryPassword: aws.String("GoodEnough7"),
		DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail}})
	e.must(err, "admin create user with a valid temporary password")
	if code := e.s.LastCode(t, pool, "dave"); code != "GoodEnough7" {
		t.Fatalf("invitation carries %q, want the given temporary password", code)
	}
	if st := e.getUser(pool, "dave").UserStatus; st != types.UserStatusTypeForceChangePassword {
		t.Fatalf("status = %s", st)
	}
}

func TestAdminCreateUserMessageActions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pool := e.pool(nil)
	create := func(name string, action types.MessageActionType, kv ...string) (*cip.AdminCreateUserOutput, error) {
		return e.c.AdminCreateUser(e.ctx, &cip.AdminCreateUserInput{UserPoolId: &pool, Username: aws.String(name),
			UserAttributes: attrs(kv...), MessageAction: action,
			DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail}})
	}

	// SUPPRESS sends nothing.
	_, err := create("quiet", types.MessageActionTypeSuppress, "email", "quiet@example.com")
	e.must(err, "create suppressed")
	if n := e.messageCount(pool, "quiet"); n != 0 {
		t.Fatalf("SUPPRESS delivered %d messages", n)
	}

	// RESEND sends a new temporary password to an existing FORCE_CHANGE_PASSWORD user.
	_, err = create("eve", "", "email", "eve@example.com")
	e.must(err, "create eve")
	first := e.s.LastCode(t, pool, "eve")
	out, err := create("eve", types.MessageActionTypeResend)
	e.must(err, "resend")
	if aws.ToString(out.User.Username) != "eve" || out.User.UserStatus != types.UserStatusTypeForceChangePassword ||
		attrMap(out.User.Attributes)["email"] != "eve@example.com" {
		t.Fatalf("resend returned %+v", out.User)
	}
	msgs := e.s.Messages(t, pool, "eve")
	if len(msgs) != 2 || msgs[0].Code == first || msgs[0].Destination != "eve@example.com" {
		t.Fatalf("after RESEND messages = %+v (first code %s)", msgs, first)
	}
	checkPolicyPassword(t, msgs[0].Code)
	// RESEND works on a suppressed user too: it was never told its password.
	_, err = create("quiet", types.MessageActionTypeResend)
	e.must(err, "resend to a suppressed user")
	if n := e.messageCount(pool, "quiet"); n != 1 {
		t.Fatalf("RESEND delivered %d messages to the suppressed user", n)
	}

	// RESEND to a user that is not FORCE_CHANGE_PASSWORD fails, and to an unknown user too.
	_, err = e.c.AdminSetUserPassword(e.ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &pool, Username: aws.String("eve"),
		Password: aws.String("Perm4nent!pass"), Permanent: true})
	e.must(err, "set permanent password")
	_, err = create("eve", types.MessageActionTypeResend)
	testenv.WantError(t, err, "UnsupportedUserStateException", "")
	_, err = create("nobody", types.MessageActionTypeResend)
	testenv.WantError(t, err, "UserNotFoundException", "User does not exist.")

	// Without MessageAction an existing name is a duplicate.
	_, err = create("eve", "")
	testenv.WantError(t, err, "UsernameExistsException", "User account already exists")
}

// TestAdminCreateUserTemplateWithoutPassword: an invitation template without the {####}
// placeholder is not delivered (AWS: "Amazon Cognito doesn't deliver the invitation message");
// the user is created all the same.
func TestAdminCreateUserTemplateWithoutPassword(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pool := e.pool(&cip.CreateUserPoolInput{AdminCreateUserConfig: &types.AdminCreateUserConfigType{
		InviteMessageTemplate: &types.MessageTemplateType{
			EmailMessage: aws.String("Welcome {username}, ask your admin for a password."),
			SMSMessage:   aws.String("Hi {username}, your password is {####}"),
		}}})
	_, err := e.c.AdminCreateUser(e.ctx, &cip.AdminCreateUserInput{UserPoolId: &pool, Username: aws.String("gus"),
		UserAttributes:         attrs("email", "gus@example.com", "phone_number", "+15555550103"),
		DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail, types.DeliveryMediumTypeSms}})
	e.must(err, "admin create user")
	msgs := e.s.Messages(t, pool, "gus")
	if len(msgs) != 1 || msgs[0].Medium != "SMS" {
		t.Fatalf("messages = %+v, want only the SMS whose template has {####}", msgs)
	}
	if st := e.getUser(pool, "gus").UserStatus; st != types.UserStatusTypeForceChangePassword {
		t.Fatalf("status = %s", st)
	}
}

// TestVerifiedFlagNeedsValue: email_verified/phone_number_verified need an email/phone number
// (AdminCreateUser: "You must provide a value for email when you want to set email_verified").
func TestVerifiedFlagNeedsValue(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pool := e.pool(nil)
	_, err := e.c.AdminCreateUser(e.ctx, &cip.AdminCreateUserInput{UserPoolId: &pool, Username: aws.String("hal"),
		UserAttributes: attrs("email_verified", "true"), MessageAction: types.MessageActionTypeSuppress})
	testenv.WantError(t, err, "InvalidParameterException", "Email is required to verify/un-verify an email")
	_, err = e.c.AdminCreateUser(e.ctx, &cip.AdminCreateUserInput{UserPoolId: &pool, Username: aws.String("hal"),
		UserAttributes: attrs("phone_number_verified", "true"), MessageAction: types.MessageActionTypeSuppress})
	testenv.WantError(t, err, "InvalidParameterException", "Phone Number is required to verify/un-verify a phone number")
	e.createUser(pool, "hal", "email", "hal@example.com")
	_, err = e.c.AdminUpdateUserAttributes(e.ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: &pool, Username: aws.String("hal"),
		UserAttributes: attrs("phone_number_verified", "true")})
	testenv.WantError(t, err, "InvalidParameterException", "Phone Number is required to verify/un-verify a phone number")
	// Verifying the email the user already has needs no email in the request.
	_, err = e.c.AdminUpdateUserAttributes(e.ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: &pool, Username: aws.String("hal"),
		UserAttributes: attrs("email_verified", "true")})
	e.must(err, "verify the existing email")
	if got := e.userAttrs(pool, "hal"); got["email_verified"] != "true" {
		t.Fatalf("attributes = %v", got)
	}
	// A user name that is an email address provides the email.
	emailPool := e.pool(&cip.CreateUserPoolInput{PoolName: aws.String("by-email"), UsernameAttributes: []types.UsernameAttributeType{types.UsernameAttributeTypeEmail}})
	u := e.createUser(emailPool, "ivy@example.com", "email_verified", "true")
	if got := attrMap(u.Attributes); got["email"] != "ivy@example.com" || got["email_verified"] != "true" {
		t.Fatalf("attributes = %v", got)
	}
}

func TestAdminCreateUserDeliveryMediums(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pool := e.pool(nil)
	_, err := e.c.AdminCreateUser(e.ctx, &cip.AdminCreateUserInput{UserPoolId: &pool, Username: aws.String("frank"),
		UserAttributes:         attrs("phone_number", "+15555550101"),
		DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail}})
	testenv.WantError(t, err, "InvalidParameterException", "No email provided but desired delivery medium was Email")
	// The failed request created nothing.
	_, err = e.c.AdminGetUser(e.ctx, &cip.AdminGetUserInput{UserPoolId: &pool, Username: aws.String("frank")})
	testenv.WantError(t, err, "UserNotFoundException", "User does not exist.")

	_, err = e.c.AdminCreateUser(e.ctx, &cip.AdminCreateUserInput{UserPoolId: &pool, Username: aws.String("frank"),
		UserAttributes:         attrs("phone_number", "+15555550101"),
		DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeSms}})
	e.must(err, "create with SMS")
	msgs := e.s.Messages(t, pool, "frank")
	if len(msgs) != 1 || msgs[0].Medium != "SMS" || msgs[0].Destination != "+15555550101" {
		t.Fatalf("messages = %+v", msgs)
	}
}

func TestAdminGetUserLookups(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pool := e.pool(&cip.CreateUserPoolInput{AliasAttributes: []types.AliasAttributeType{types.AliasAttributeTypeEmail, types.AliasAttributeTypePreferredUsername}})
	u := e.createUser(pool, "grace", "email", "grace@example.com", "email_verified", "true", "preferred_username", "gracie")
	sub := attrMap(u.Attributes)["sub"]
	for _, name := range []string{"grace", sub, "grace@example.com", "gracie"} {
		got := e.getUser(pool, name)
		if aws.ToString(got.Username) != "grace" || attrMap(got.UserAttributes)["sub"] != sub {
			t.Fatalf("AdminGetUser(%q) = %s", name, aws.ToString(got.Username))
		}
		if got.UserStatus != types.UserStatusTypeForceChangePassword || !got.Enabled {
			t.Fatalf("AdminGetUser(%q) status %s enabled %v", name, got.UserStatus, got.Enabled)
		}
	}
	// Attributes come back with sub first.
	if a := e.getUser(pool, "grace").UserAttributes; aws.ToString(a[0].Name) != "sub" {
		t.Fatalf("first attribute = %s", aws.ToString(a[0].Name))
	}
	for _, name := range []string{"Grace", "nobody", "GRACE@example.com"} {
		_, err := e.c.AdminGetUser(e.ctx, &cip.AdminGetUserInput{UserPoolId: &pool, Username: aws.String(name)})
		testenv.WantError(t, err, "UserNotFoundException", "User does not exist.")
	}
	_, err := e.c.AdminGetUser(e.ctx, &cip.AdminGetUserInput{UserPoolId: aws.String("us-east-1_doesnotexist"), Username: aws.String("grace")})
	testenv.WantError(t, err, "ResourceNotFoundException", "User pool us-east-1_doesnotexist does not exist.")
}

func TestAdminDeleteUser(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pool := e.pool(&cip.CreateUserPoolInput{AliasAttributes: []types.AliasAttributeType{types.AliasAttributeTypeEmail}})
	e.createUser(pool, "heidi", "email", "heidi@example.com", "email_verified", "true")
	_, err := e.c.AdminDeleteUser(e.ctx, &cip.AdminDeleteUserInput{UserPoolId: &pool, Username: aws.String("heidi@example.com")})
	e.must(err, "delete by alias")
	for _, name := range []string{"heidi", "heidi@example.com"} {
		_, err = e.c.AdminGetUser(e.ctx, &cip.AdminGetUserInput{UserPoolId: &pool, Username: aws.String(name)})
		testenv.WantError(t, err, "UserNotFoundException", "User does not exist.")
	}
	_, err = e.c.AdminDeleteUser(e.ctx, &cip.AdminDeleteUserInput{UserPoolId: &pool, Username: aws.String("heidi")})
	testenv.WantError(t, err, "UserNotFoundException", "User does not exist.")
	// The name and the alias are free again.
	e.createUser(pool, "heidi", "email", "heidi@example.com", "email_verified", "true")
	if got := e.getUser(pool, "heidi@example.com"); aws.ToString(got.Username) != "heidi" {
		t.Fatalf("recreated user = %s", aws.ToString(got.Username))
	}
	lu, err := e.c.ListUsers(e.ctx, &cip.ListUsersInput{UserPoolId: &pool})
	e.must(err, "list users")
	if len(lu.Users) != 1 {
		t.Fatalf("%d users listed after delete and re-create", len(lu.Users))
	}

	// Deleting "a" leaves everything of "a/b" alone, its pending code included.
	codes := e.pool(&cip.CreateUserPoolInput{PoolName: aws.String("codes"), AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}})
	cid, _ := e.client(codes, nil)
	e.signUp(cid, "a", "email", "a@example.com")
	e.signUp(cid, "a/b", "email", "ab@example.com")
	code := e.s.LastCode(t, codes, "a/b")
	_, err = e.c.AdminDeleteUser(e.ctx, &cip.AdminDeleteUserInput{UserPoolId: &codes, Username: aws.String("a")})
	e.must(err, "delete a")
	e.must(e.confirmSignUp(cid, "a/b", code), "confirm a/b after deleting a")
}

func TestAdminUpdateUserAttributes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pool := e.pool(&cip.CreateUserPoolInput{AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		Schema: []types.SchemaAttributeType{
			{Name: aws.String("team"), AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(true)},
			{Name: aws.String("badge"), AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(false)},
		}})
	e.createUser(pool, "ivan", "email", "ivan@example.com", "email_verified", "true", "custom:badge", "B-1")
	update := func(kv ...string) error {
		_, err := e.c.AdminUpdateUserAttributes(e.ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: &pool, Username: aws.String("ivan"),
			UserAttributes: attrs(kv...)})
		return err
	}

	// A plain attribute changes with no message.
	e.must(update("name", "Ivan I", "custom:team", "blue"), "update name")
	got := e.userAttrs(pool, "ivan")
	if got["name"] != "Ivan I" || got["custom:team"] != "blue" || got["email_verified"] != "true" {
		t.Fatalf("attributes = %v", got)
	}
	if n := e.messageCount(pool, "ivan"); n != 0 {
		t.Fatalf("%d messages after a name change", n)
	}

	// A new email in a pool that verifies email automatically: unverified, and a code is sent to it.
	e.must(update("email", "ivan@new.example.com"), "update email")
	got = e.userAttrs(pool, "ivan")
	if got["email"] != "ivan@new.example.com" || got["email_verified"] != "false" {
		t.Fatalf("after email change attributes = %v", got)
	}
	msgs := e.s.Messages(t, pool, "ivan")
	if len(msgs) != 1 || msgs[0].Destination != "ivan@new.example.com" || len(msgs[0].Code) != 6 || msgs[0].Medium != "EMAIL" {
		t.Fatalf("messages = %+v", msgs)
	}

	// With email_verified=true in the same request the new email is verified at once and no code is sent.
	e.must(update("email", "ivan@third.example.com", "email_verified", "true"), "update verified email")
	got = e.userAttrs(pool, "ivan")
	if got["email"] != "ivan@third.example.com" || got["email_verified"] != "true" {
		t.Fatalf("after verified email change attributes = %v", got)
	}
	if n := e.messageCount(pool, "ivan"); n != 1 {
		t.Fatalf("%d messages, want no new one", n)
	}

	// An empty value deletes the attribute.
	e.must(update("custom:team", ""), "clear custom:team")
	if v, ok := e.userAttrs(pool, "ivan")["custom:team"]; ok {
		t.Fatalf("custom:team = %q after setting it empty", v)
	}

	// Immutable, unknown and sub are refused, and nothing changes.
	for _, tc := range []struct{ name, problem string }{
		{"custom:badge", "custom:badge: Attribute cannot be updated. (changing an immutable attribute)"},
		{"custom:nope", "custom:nope: Attribute does not exist in the schema."},
		{"sub", "sub: Attribute cannot be updated. (changing an immutable attribute)"},
	} {
		err := update("name", "changed", tc.name, "x")
		code, msg := testenv.APIError(t, err)
		if code != "InvalidParameterException" || !strings.HasPrefix(msg, "Attributes did not conform to the schema: ") || !strings.Contains(msg, tc.problem) {
			t.Fatalf("update %s: %s: %q", tc.name, code, msg)
		}
	}
	if got := e.userAttrs(pool, "ivan"); got["name"] != "Ivan I" || got["custom:badge"] != "B-1" {
		t.Fatalf("refused updates changed attributes: %v", got)
	}

	_, err := e.c.AdminUpdateUserAttributes(e.ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: &pool, Username: aws.String("nobody"),
		UserAttributes: attrs("name", "x")})
	testenv.WantError(t, err, "UserNotFoundException", "User does not exist.")
}

// TestAdminUpdateUserAttributesRequireVerification: with AttributesRequireVerificationBeforeUpdate
// a verified email keeps its old value until the new one is verified.
func TestAdminUpdateUserAttributesRequireVerification(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pool := e.pool(&cip.CreateUserPoolInput{AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		UserAttributeUpdateSettings: &types.UserAttributeUpdateSettingsType{
			AttributesRequireVerificationBeforeUpdate: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}}})
	e.createUser(pool, "judy", "email", "judy@example.com", "email_verified", "true")
	_, err := e.c.AdminUpdateUserAttributes(e.ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: &pool, Username: aws.String("judy"),
		UserAttributes: attrs("email", "judy@new.example.com")})
	e.must(err, "update email")
	got := e.userAttrs(pool, "judy")
	if got["email"] != "judy@example.com" || got["email_verified"] != "true" {
		t.Fatalf("the old verified email must stay in effect: %v", got)
	}
	msgs := e.s.Messages(t, pool, "judy")
	if len(msgs) != 1 || msgs[0].Destination != "judy@new.example.com" {
		t.Fatalf("the code must go to the new address: %+v", msgs)
	}
	// An administrator can still set and verify it at once.
	_, err = e.c.AdminUpdateUserAttributes(e.ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: &pool, Username: aws.String("judy"),
		UserAttributes: attrs("email", "judy@admin.example.com", "email_verified", "true")})
	e.must(err, "update verified email")
	if got := e.userAttrs(pool, "judy"); got["email"] != "judy@admin.example.com" || got["email_verified"] != "true" {
		t.Fatalf("attributes = %v", got)
	}
}

func TestAdminDeleteUserAttributes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pool := e.pool(&cip.CreateUserPoolInput{Schema: []types.SchemaAttributeType{
		{Name: aws.String("team"), AttributeDataType: types.AttributeDataTypeString},
		{Name: aws.String("given_name"), AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(true), Mutable: aws.Bool(true)},
	}})
	e.createUser(pool, "ken", "email", "ken@example.com", "email_verified", "true", "custom:team", "red", "given_name", "Ken", "nickname", "kk")
	_, err := e.c.AdminDeleteUserAttributes(e.ctx, &cip.AdminDeleteUserAttributesInput{UserPoolId: &pool, Username: aws.String("ken"),
		UserAttributeNames: []string{"custom:team", "nickname", "email"}})
	e.must(err, "delete attributes")
	got := e.userAttrs(pool, "ken")
	for _, gone := range []string{"custom:team", "nickname", "email", "email_verified"} {
		if v, ok := got[gone]; ok {
			t.Fatalf("%s = %q after delete", gone, v)
		}
	}
	if got["given_name"] != "Ken" || got["sub"] == "" {
		t.Fatalf("attributes = %v", got)
	}
	for _, tc := range []struct{ name, problem string }{
		{"given_name", "given_name: The attribute is required"},
		{"sub", "sub: Attribute cannot be updated. (changing an immutable attribute)"},
		{"custom:nope", "custom:nope: Attribute does not exist in the schema."},
	} {
		_, err := e.c.AdminDeleteUserAttributes(e.ctx, &cip.AdminDeleteUserAttributesInput{UserPoolId: &pool, Username: aws.String("ken"),
			UserAttributeNames: []string{tc.name}})
		code, msg := testenv.APIError(t, err)
		if code != "InvalidParameterException" || !strings.Contains(msg, tc.problem) {
			t.Fatalf("delete %s: %s: %q", tc.name, code, msg)
		}
	}
}

func TestAdminEnableDisableUser(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pool := e.pool(nil)
	e.createUser(pool, "leo")
	_, err := e.c.AdminDisableUser(e.ctx, &cip.AdminDisableUserInput{UserPoolId: &pool, Username: aws.String("leo")})
	e.must(err, "disable")
	if u := e.getUser(pool, "leo"); u.Enabled || u.UserStatus != types.UserStatusTypeForceChangePassword {
		t.Fatalf("after disable enabled=%v status=%s", u.Enabled, u.UserStatus)
	}
	lu, err := e.c.ListUsers(e.ctx, &cip.ListUsersInput{UserPoolId: &pool})
	e.must(err, "list")
	if len(lu.Users) != 1 || lu.Users[0].Enabled {
		t.Fatalf("list shows %+v", lu.Users)
	}
	_, err = e.c.AdminEnableUser(e.ctx, &cip.AdminEnableUserInput{UserPoolId: &pool, Username: aws.String("leo")})
	e.must(err, "enable")
	if u := e.getUser(pool, "leo"); !u.Enabled {
		t.Fatal("still disabled after enable")
	}
	_, err = e.c.AdminDisableUser(e.ctx, &cip.AdminDisableUserInput{UserPoolId: &pool, Username: aws.String("nobody")})
	testenv.WantError(t, err, "UserNotFoundException", "User does not exist.")
}

func TestAdminSetUserPassword(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pool := e.pool(&cip.CreateUserPoolInput{Policies: &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{
		MinimumLength: aws.Int32(8), RequireLowercase: true, RequireNumbers: true, PasswordHistorySize: aws.Int32(2)}}})
	e.createUser(pool, "mia")
	set := func(pw string, permanent bool) error {
		_, err := e.c.AdminSetUserPassword(e.ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &pool, Username: aws.String("mia"),
			Password: aws.String(pw), Permanent: permanent})
		return err
	}
	e.must(set("password1", true), "permanent")
	if st := e.getUser(pool, "mia").UserStatus; st != types.UserStatusTypeConfirmed {
		t.Fatalf("status after a permanent password = %s", st)
	}
	e.must(set("password2", false), "temporary")
	if st := e.getUser(pool, "mia").UserStatus; st != types.UserStatusTypeForceChangePassword {
		t.Fatalf("status after a temporary password = %s", st)
	}
	testenv.WantError(t, set("short1", true), "InvalidPasswordException", "Password did not conform with policy: Password not long enough")
	testenv.WantError(t, set("nonumbers", true), "InvalidPasswordException", "Password did not conform with policy: Password must have numeric characters")
	testenv.WantError(t, set("NOLOWER123", true), "InvalidPasswordException", "Password did not conform with policy: Password must have lowercase characters")

	// PasswordHistorySize 2: the current and the previous password cannot be set again.
	for _, pw := range []string{"password2", "password1"} {
		code, _ := testenv.APIError(t, set(pw, true))
		if code != "PasswordHistoryPolicyViolationException" {
			t.Fatalf("reusing %s: %s", pw, code)
		}
	}
	e.must(set("password3", true), "new password")
	// password1 is now three passwords back, outside the history.
	e.must(set("password1", true), "password outside the history")
	if st := e.getUser(pool, "mia").UserStatus; st != types.UserStatusTypeConfirmed {
		t.Fatalf("status = %s", st)
	}
	testenv.WantError(t, func() error {
		_, err := e.c.AdminSetUserPassword(e.ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &pool, Username: aws.String("nobody"),
			Password: aws.String("password9"), Permanent: true})
		return err
	}(), "UserNotFoundException", "User does not exist.")
}

func TestAdminConfirmSignUp(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pool := e.pool(&cip.CreateUserPoolInput{AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}})
	cid, _ := e.client(pool, nil)
	_, err := e.c.SignUp(e.ctx, &cip.SignUpInput{ClientId: &cid, Username: aws.String("nina"), Password: aws.String("Passw0rd!"),
		UserAttributes: attrs("email", "nina@example.com")})
	e.must(err, "sign up")
	if st := e.getUser(pool, "nina").UserStatus; st != types.UserStatusTypeUnconfirmed {
		t.Fatalf("status = %s", st)
	}
	_, err = e.c.AdminConfirmSignUp(e.ctx, &cip.AdminConfirmSignUpInput{UserPoolId: &pool, Username: aws.String("nina")})
	e.must(err, "admin confirm")
	u := e.getUser(pool, "nina")
	if u.UserStatus != types.UserStatusTypeConfirmed {
		t.Fatalf("status = %s", u.UserStatus)
	}
	// Confirming by an administrator does not verify the email.
	if v := attrMap(u.UserAttributes)["email_verified"]; v == "true" {
		t.Fatalf("email_verified = %q", v)
	}
	_, err = e.c.AdminConfirmSignUp(e.ctx, &cip.AdminConfirmSignUpInput{UserPoolId: &pool, Username: aws.String("nina")})
	testenv.WantError(t, err, "NotAuthorizedException", "User cannot be confirmed. Current status is CONFIRMED")
	// The sign-up code is void once the user is confirmed.
	code := e.s.LastCode(t, pool, "nina")
	_, err = e.c.ConfirmSignUp(e.ctx, &cip.ConfirmSignUpInput{ClientId: &cid, Username: aws.String("nina"), ConfirmationCode: aws.String(code)})
	testenv.WantError(t, err, "NotAuthorizedException", "User cannot be confirmed. Current status is CONFIRMED")
	_, err = e.c.AdminConfirmSignUp(e.ctx, &cip.AdminConfirmSignUpInput{UserPoolId: &pool, Username: aws.String("nobody")})
	testenv.WantError(t, err, "UserNotFoundException", "User does not exist.")

	// In a pool that sends no confirmation codes there is no code to void.
	plain := e.pool(&cip.CreateUserPoolInput{PoolName: aws.String("no-codes")})
	plainClient, _ := e.client(plain, nil)
	e.signUp(plainClient, "oscar", "email", "oscar@example.com")
	_, err = e.c.AdminConfirmSignUp(e.ctx, &cip.AdminConfirmSignUpInput{UserPoolId: &plain, Username: aws.String("oscar")})
	e.must(err, "admin confirm without a code")
	if st := e.getUser(plain, "oscar").UserStatus; st != types.UserStatusTypeConfirmed {
		t.Fatalf("status = %s", st)
	}
}

func TestAdminResetUserPassword(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pool := e.pool(&cip.CreateUserPoolInput{AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		Policies: &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(8), RequireNumbers: true,
			PasswordHistorySize: aws.Int32(1)}}})
	cid, _ := e.client(pool, nil)
	e.createUser(pool, "olga", "email", "olga@example.com", "email_verified", "true")
	_, err := e.c.AdminSetUserPassword(e.ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &pool, Username: aws.String("olga"),
		Password: aws.String("original1"), Permanent: true})
	e.must(err, "set password")
	_, err = e.c.AdminResetUserPassword(e.ctx, &cip.AdminResetUserPasswordInput{UserPoolId: &pool, Username: aws.String("olga")})
	e.must(err, "reset")
	if st := e.getUser(pool, "olga").UserStatus; st != types.UserStatusTypeResetRequired {
		t.Fatalf("status = %s", st)
	}
	msgs := e.s.Messages(t, pool, "olga")
	if len(msgs) != 1 || msgs[0].Destination != "olga@example.com" || len(msgs[0].Code) != 6 {
		t.Fatalf("messages = %+v", msgs)
	}
	// The code completes the reset through ConfirmForgotPassword.
	_, err = e.c.ConfirmForgotPassword(e.ctx, &cip.ConfirmForgotPasswordInput{ClientId: &cid, Username: aws.String("olga"),
		ConfirmationCode: aws.String(msgs[0].Code), Password: aws.String("replaced1")})
	e.must(err, "confirm forgot password")
	if st := e.getUser(pool, "olga").UserStatus; st != types.UserStatusTypeConfirmed {
		t.Fatalf("status after the reset = %s", st)
	}
	// The new password is the stored one: the history (size 1) refuses it.
	_, err = e.c.AdminSetUserPassword(e.ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &pool, Username: aws.String("olga"),
		Password: aws.String("replaced1"), Permanent: true})
	testenv.WantError(t, err, "PasswordHistoryPolicyViolationException", "")

	// A user without a verified email or phone number cannot get a code.
	e.createUser(pool, "pete", "email", "pete@example.com")
	_, err = e.c.AdminResetUserPassword(e.ctx, &cip.AdminResetUserPasswordInput{UserPoolId: &pool, Username: aws.String("pete")})
	testenv.WantError(t, err, "InvalidParameterException", "Cannot reset password for the user as there is no registered/verified email or phone_number")
	_, err = e.c.AdminResetUserPassword(e.ctx, &cip.AdminResetUserPasswordInput{UserPoolId: &pool, Username: aws.String("nobody")})
	testenv.WantError(t, err, "UserNotFoundException", "User does not exist.")
}

// TestUsernameAttributesEmail: with UsernameAttributes=[email] the username is the sub, the
// email is how users are found, and user names must be email addresses.
func TestUsernameAttributesEmail(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pool := e.pool(&cip.CreateUserPoolInput{UsernameAttributes: []types.UsernameAttributeType{types.UsernameAttributeTypeEmail}})
	cid, _ := e.client(pool, nil)
	u := e.createUser(pool, "quinn@example.com")
	sub := attrMap(u.Attributes)["sub"]
	if aws.ToString(u.Username) != sub || !uuidRE.MatchString(sub) || attrMap(u.Attributes)["email"] != "quinn@example.com" {
		t.Fatalf("user = %s %v", aws.ToString(u.Username), attrMap(u.Attributes))
	}
	for _, name := range []string{"quinn@example.com", sub} {
		if got := e.getUser(pool, name); aws.ToString(got.Username) != sub {
			t.Fatalf("AdminGetUser(%q) = %s", name, aws.ToString(got.Username))
		}
	}
	for _, name := range []string{"quinn", "+15555550102"} {
		_, err := e.c.AdminCreateUser(e.ctx, &cip.AdminCreateUserInput{UserPoolId: &pool, Username: aws.String(name), MessageAction: types.MessageActionTypeSuppress})
		testenv.WantError(t, err, "InvalidParameterException", "Username should be an email.")
		_, err = e.c.SignUp(e.ctx, &cip.SignUpInput{ClientId: &cid, Username: aws.String(name), Password: aws.String("Passw0rd!")})
		testenv.WantError(t, err, "InvalidParameterException", "Username should be an email.")
	}
	// The email is taken: both ways of creating a user refuse it.
	_, err := e.c.AdminCreateUser(e.ctx, &cip.AdminCreateUserInput{UserPoolId: &pool, Username: aws.String("quinn@example.com"), MessageAction: types.MessageActionTypeSuppress})
	testenv.WantError(t, err, "UsernameExistsException", "An account with the given email already exists.")
	_, err = e.c.SignUp(e.ctx, &cip.SignUpInput{ClientId: &cid, Username: aws.String("quinn@example.com"), Password: aws.String("Passw0rd!")})
	testenv.WantError(t, err, "UsernameExistsException", "An account with the given email already exists.")

	// Changing the email moves the sign-in name.
	_, err = e.c.AdminUpdateUserAttributes(e.ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: &pool, Username: aws.String("quinn@example.com"),
		UserAttributes: attrs("email", "quinn@new.example.com")})
	e.must(err, "change email")
	if got := e.getUser(pool, "quinn@new.example.com"); aws.ToString(got.Username) != sub {
		t.Fatalf("lookup by new email = %s", aws.ToString(got.Username))
	}
	_, err = e.c.AdminGetUser(e.ctx, &cip.AdminGetUserInput{UserPoolId: &pool, Username: aws.String("quinn@example.com")})
	testenv.WantError(t, err, "UserNotFoundException", "User does not exist.")
}

// TestAliasAttributes: with AliasAttributes=[email, preferred_username] an email becomes a sign-in
// alias only once verified; a second user verifying the same email is refused unless
// ForceAliasCreation moves the alias.
func TestAliasAttributes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pool := e.pool(&cip.CreateUserPoolInput{AliasAttributes: []types.AliasAttributeType{types.AliasAttributeTypeEmail, types.AliasAttributeTypePreferredUsername}})
	cid, _ := e.client(pool, nil)

	_, err := e.c.AdminCreateUser(e.ctx, &cip.AdminCreateUserInput{UserPoolId: &pool, Username: aws.String("rita@example.com"), MessageAction: types.MessageActionTypeSuppress})
	testenv.WantError(t, err, "InvalidParameterException", "Username cannot be of email format, since user pool is configured for email alias.")
	_, err = e.c.SignUp(e.ctx, &cip.SignUpInput{ClientId: &cid, Username: aws.String("rita@example.com"), Password: aws.String("Passw0rd!")})
	testenv.WantError(t, err, "InvalidParameterException", "Username cannot be of email format, since user pool is configured for email alias.")

	// Unverified: not an alias.
	e.createUser(pool, "rita", "email", "rita@example.com", "preferred_username", "ri")
	_, err = e.c.AdminGetUser(e.ctx, &cip.AdminGetUserInput{UserPoolId: &pool, Username: aws.String("rita@example.com")})
	testenv.WantError(t, err, "UserNotFoundException", "User does not exist.")
	if got := e.getUser(pool, "ri"); aws.ToString(got.Username) != "rita" {
		t.Fatalf("preferred_username lookup = %s", aws.ToString(got.Username))
	}
	// A second user may hold the same unverified email.
	e.createUser(pool, "sam", "email", "rita@example.com")

	// Verified: an alias.
	_, err = e.c.AdminUpdateUserAttributes(e.ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: &pool, Username: aws.String("rita"),
		UserAttributes: attrs("email", "rita@example.com", "email_verified", "true")})
	e.must(err, "verify rita's email")
	if got := e.getUser(pool, "rita@example.com"); aws.ToString(got.Username) != "rita" {
		t.Fatalf("email lookup = %s", aws.ToString(got.Username))
	}
	// sam verifying the same email is refused...
	_, err = e.c.AdminUpdateUserAttributes(e.ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: &pool, Username: aws.String("sam"),
		UserAttributes: attrs("email", "rita@example.com", "email_verified", "true")})
	testenv.WantError(t, err, "AliasExistsException", "An account with the email already exists.")
	_, err = e.c.AdminCreateUser(e.ctx, &cip.AdminCreateUserInput{UserPoolId: &pool, Username: aws.String("tom"), MessageAction: types.MessageActionTypeSuppress,
		UserAttributes: attrs("email", "rita@example.com", "email_verified", "true")})
	testenv.WantError(t, err, "AliasExistsException", "An account with the email already exists.")
	// ... and a taken preferred_username as well.
	_, err = e.c.AdminCreateUser(e.ctx, &cip.AdminCreateUserInput{UserPoolId: &pool, Username: aws.String("tom"), MessageAction: types.MessageActionTypeSuppress,
		UserAttributes: attrs("preferred_username", "ri")})
	testenv.WantError(t, err, "AliasExistsException", "")

	// ForceAliasCreation moves the alias: rita's email becomes unverified.
	_, err = e.c.AdminCreateUser(e.ctx, &cip.AdminCreateUserInput{UserPoolId: &pool, Username: aws.String("tom"), MessageAction: types.MessageActionTypeSuppress,
		UserAttributes: attrs("email", "rita@example.com", "email_verified", "true"), ForceAliasCreation: true})
	e.must(err, "force alias")
	if got := e.getUser(pool, "rita@example.com"); aws.ToString(got.Username) != "tom" {
		t.Fatalf("email lookup after ForceAliasCreation = %s", aws.ToString(got.Username))
	}
	if got := e.userAttrs(pool, "rita"); got["email_verified"] != "false" || got["email"] != "rita@example.com" {
		t.Fatalf("previous owner's attributes = %v", got)
	}

	// A sign-up whose confirmation verifies a taken email: AliasExistsException, unless forced.
	_, err = e.c.UpdateUserPool(e.ctx, &cip.UpdateUserPoolInput{UserPoolId: &pool, AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}})
	e.must(err, "update pool")
	_, err = e.c.SignUp(e.ctx, &cip.SignUpInput{ClientId: &cid, Username: aws.String("uma"), Password: aws.String("Passw0rd!"),
		UserAttributes: attrs("email", "rita@example.com")})
	e.must(err, "sign up uma")
	code := e.s.LastCode(t, pool, "uma")
	_, err = e.c.ConfirmSignUp(e.ctx, &cip.ConfirmSignUpInput{ClientId: &cid, Username: aws.String("uma"), ConfirmationCode: aws.String(code)})
	testenv.WantError(t, err, "AliasExistsException", "An account with the email already exists.")
	_, err = e.c.ConfirmSignUp(e.ctx, &cip.ConfirmSignUpInput{ClientId: &cid, Username: aws.String("uma"), ConfirmationCode: aws.String(code), ForceAliasCreation: true})
	e.must(err, "confirm with ForceAliasCreation")
	if got := e.getUser(pool, "rita@example.com"); aws.ToString(got.Username) != "uma" || got.UserStatus != types.UserStatusTypeConfirmed {
		t.Fatalf("email lookup = %s %s", aws.ToString(got.Username), got.UserStatus)
	}
}

// TestUsernameCaseSensitivity compares a pool with CaseSensitive=false to a default pool.
func TestUsernameCaseSensitivity(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	insensitive := e.pool(&cip.CreateUserPoolInput{PoolName: aws.String("insensitive"),
		UsernameConfiguration: &types.UsernameConfigurationType{CaseSensitive: aws.Bool(false)},
		AliasAttributes:       []types.AliasAttributeType{types.AliasAttributeTypeEmail}})
	sensitive := e.pool(&cip.CreateUserPoolInput{PoolName: aws.String("sensitive")})

	e.createUser(insensitive, "Victor", "email", "Victor@Example.com", "email_verified", "true")
	for _, name := range []string{"Victor", "victor", "VICTOR", "victor@example.com", "VICTOR@EXAMPLE.COM"} {
		got := e.getUser(insensitive, name)
		if aws.ToString(got.Username) != "Victor" {
			t.Fatalf("insensitive AdminGetUser(%q) = %q: the user name must keep its case", name, aws.ToString(got.Username))
		}
	}
	_, err := e.c.AdminCreateUser(e.ctx, &cip.AdminCreateUserInput{UserPoolId: &insensitive, Username: aws.String("VICTOR"), MessageAction: types.MessageActionTypeSuppress})
	testenv.WantError(t, err, "UsernameExistsException", "User account already exists")
	lu, err := e.c.ListUsers(e.ctx, &cip.ListUsersInput{UserPoolId: &insensitive, Filter: aws.String(`username = "victor"`)})
	e.must(err, "list")
	if len(lu.Users) != 1 || aws.ToString(lu.Users[0].Username) != "Victor" {
		t.Fatalf("filter on username in an insensitive pool = %d users", len(lu.Users))
	}

	e.createUser(sensitive, "Victor")
	e.createUser(sensitive, "victor")
	if a, b := e.getUser(sensitive, "Victor"), e.getUser(sensitive, "victor"); aws.ToString(a.Username) != "Victor" || aws.ToString(b.Username) != "victor" {
		t.Fatalf("sensitive pool users = %s, %s", aws.ToString(a.Username), aws.ToString(b.Username))
	}
	_, err = e.c.AdminGetUser(e.ctx, &cip.AdminGetUserInput{UserPoolId: &sensitive, Username: aws.String("VICTOR")})
	testenv.WantError(t, err, "UserNotFoundException", "User does not exist.")
	lu, err = e.c.ListUsers(e.ctx, &cip.ListUsersInput{UserPoolId: &sensitive, Filter: aws.String(`username = "victor"`)})
	e.must(err, "list")
	if len(lu.Users) != 1 || aws.ToString(lu.Users[0].Username) != "victor" {
		t.Fatalf("filter on username in a sensitive pool = %+v", lu.Users)
	}
}
