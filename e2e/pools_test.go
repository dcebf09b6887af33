package e2e

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/gatehouse-dev/gatehouse/internal/testenv"
)

// adminEnv is a running Gatehouse and an SDK client for the administrative (SigV4) operations.
type adminEnv struct {
	t   *testing.T
	s   *testenv.Server
	c   *cip.Client
	ctx context.Context
}

func newAdminEnv(t *testing.T, opts ...testenv.Option) *adminEnv {
	t.Helper()
	s := testenv.Start(t, opts...)
	c := s.Cognito()
	return &adminEnv{t: t, s: s, c: c, ctx: testenv.Ctx(t)}
}

// createPool creates a pool and fails the test on error.
func (e *adminEnv) createPool(in *cip.CreateUserPoolInput) *types.UserPoolType {
	e.t.Helper()
	out, err := e.c.CreateUserPool(e.ctx, in)
	if err != nil {
		e.t.Fatalf("CreateUserPool(%s): %v", aws.ToString(in.PoolName), err)
	}
	return out.UserPool
}

// pool creates a pool with default settings and returns its id.
func (e *adminEnv) pool(name string) string {
	e.t.Helper()
	return aws.ToString(e.createPool(&cip.CreateUserPoolInput{PoolName: aws.String(name)}).Id)
}

func (e *adminEnv) describePool(id string) *types.UserPoolType {
	e.t.Helper()
	out, err := e.c.DescribeUserPool(e.ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(id)})
	if err != nil {
		e.t.Fatalf("DescribeUserPool(%s): %v", id, err)
	}
	return out.UserPool
}

func (e *adminEnv) createClient(in *cip.CreateUserPoolClientInput) *types.UserPoolClientType {
	e.t.Helper()
	out, err := e.c.CreateUserPoolClient(e.ctx, in)
	if err != nil {
		e.t.Fatalf("CreateUserPoolClient(%s): %v", aws.ToString(in.ClientName), err)
	}
	return out.UserPoolClient
}

// user creates a confirmed-by-admin user without sending an invitation.
func (e *adminEnv) user(pool, name string) {
	e.t.Helper()
	_, err := e.c.AdminCreateUser(e.ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String(name),
		MessageAction: types.MessageActionTypeSuppress})
	if err != nil {
		e.t.Fatalf("AdminCreateUser(%s): %v", name, err)
	}
}

// sameJSON fails the test unless got and want marshal to the same JSON.
func sameJSON(t *testing.T, what string, got, want any) {
	t.Helper()
	g, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	w, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	if string(g) != string(w) {
		t.Errorf("%s:\n got %s\nwant %s", what, g, w)
	}
}

// sameSet fails the test unless got and want hold the same strings in any order.
func sameSet[S ~string](t *testing.T, what string, got []S, want ...S) {
	t.Helper()
	g, w := slices.Clone(got), slices.Clone(want)
	slices.Sort(g)
	slices.Sort(w)
	if !slices.Equal(g, w) {
		t.Errorf("%s = %v, want %v (any order)", what, got, want)
	}
}

var (
	poolIDRE   = regexp.MustCompile(`^us-east-1_[0-9A-Za-z]{9}$`)
	clientIDRE = regexp.MustCompile(`^[a-z0-9]{26}$`)
)

// unknownPool is a well-formed pool id no test creates.
const unknownPool = "us-east-1_NoSuchP00"

// standardAttributeNames are the attributes every pool has, in the order AWS lists them for a pool
// created through the API.
var standardAttributeNames = []string{"sub", "name", "given_name", "family_name", "middle_name", "nickname",
	"preferred_username", "profile", "picture", "website", "email", "email_verified", "gender", "birthdate",
	"zoneinfo", "locale", "phone_number", "phone_number_verified", "address", "updated_at"}

func schemaByName(p *types.UserPoolType) map[string]types.SchemaAttributeType {
	m := map[string]types.SchemaAttributeType{}
	for _, a := range p.SchemaAttributes {
		m[aws.ToString(a.Name)] = a
	}
	return m
}

// TestCreateUserPoolDefaults checks what AWS shows for a pool created with a name only.
func TestCreateUserPoolDefaults(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	before := time.Now().Add(-time.Second)
	created := e.createPool(&cip.CreateUserPoolInput{PoolName: aws.String("minimal")})
	id := aws.ToString(created.Id)
	if !poolIDRE.MatchString(id) {
		t.Errorf("pool id %q does not look like us-east-1_ + 9 alphanumerics", id)
	}
	p := e.describePool(id)
	sameJSON(t, "CreateUserPool and DescribeUserPool", created, p)
	if got, want := aws.ToString(p.Arn), "arn:aws:cognito-idp:us-east-1:000000000000:userpool/"+id; got != want {
		t.Errorf("Arn = %q, want %q", got, want)
	}
	if aws.ToString(p.Name) != "minimal" {
		t.Errorf("Name = %q", aws.ToString(p.Name))
	}
	if p.CreationDate == nil || p.CreationDate.Before(before) || !p.CreationDate.Equal(aws.ToTime(p.LastModifiedDate)) {
		t.Errorf("CreationDate = %v, LastModifiedDate = %v", p.CreationDate, p.LastModifiedDate)
	}
	sameJSON(t, "PasswordPolicy", p.Policies.PasswordPolicy, &types.PasswordPolicyType{MinimumLength: aws.Int32(8),
		RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true,
		TemporaryPasswordValidityDays: 7})
	if p.MfaConfiguration != types.UserPoolMfaTypeOff {
		t.Errorf("MfaConfiguration = %q, want OFF", p.MfaConfiguration)
	}
	if p.DeletionProtection != types.DeletionProtectionTypeInactive {
		t.Errorf("DeletionProtection = %q, want INACTIVE", p.DeletionProtection)
	}
	if p.EmailConfiguration == nil || p.EmailConfiguration.EmailSendingAccount != types.EmailSendingAccountTypeCognitoDefault {
		t.Errorf("EmailConfiguration = %+v, want COGNITO_DEFAULT", p.EmailConfiguration)
	}
	if p.LambdaConfig == nil {
		t.Error("LambdaConfig is missing, want {}")
	}
	if p.VerificationMessageTemplate == nil || p.VerificationMessageTemplate.DefaultEmailOption != types.DefaultEmailOptionTypeConfirmWithCode {
		t.Errorf("VerificationMessageTemplate = %+v, want DefaultEmailOption CONFIRM_WITH_CODE", p.VerificationMessageTemplate)
	}
	sameJSON(t, "AdminCreateUserConfig", p.AdminCreateUserConfig,
		&types.AdminCreateUserConfigType{AllowAdminCreateUserOnly: false, UnusedAccountValidityDays: 7})
	if u := p.UserAttributeUpdateSettings; u == nil || u.AttributesRequireVerificationBeforeUpdate == nil ||
		len(u.AttributesRequireVerificationBeforeUpdate) != 0 {
		t.Errorf("UserAttributeUpdateSettings = %+v, want an empty AttributesRequireVerificationBeforeUpdate", u)
	}
	if p.EstimatedNumberOfUsers != 0 || len(p.AliasAttributes) != 0 || len(p.UsernameAttributes) != 0 || len(p.AutoVerifiedAttributes) != 0 {
		t.Errorf("users %d, aliases %v, username attributes %v, auto-verified %v", p.EstimatedNumberOfUsers,
			p.AliasAttributes, p.UsernameAttributes, p.AutoVerifiedAttributes)
	}
	var names []string
	for _, a := range p.SchemaAttributes {
		names = append(names, aws.ToString(a.Name))
	}
	if !slices.Equal(names, standardAttributeNames) {
		t.Errorf("SchemaAttributes names = %v\nwant %v", names, standardAttributeNames)
	}
	sameJSON(t, "sub", p.SchemaAttributes[0], types.SchemaAttributeType{Name: aws.String("sub"),
		AttributeDataType: types.AttributeDataTypeString, DeveloperOnlyAttribute: aws.Bool(false),
		Mutable: aws.Bool(false), Required: aws.Bool(true),
		StringAttributeConstraints: &types.StringAttributeConstraintsType{MinLength: aws.String("1"), MaxLength: aws.String("2048")}})
	schema := schemaByName(p)
	sameJSON(t, "email_verified", schema["email_verified"], types.SchemaAttributeType{Name: aws.String("email_verified"),
		AttributeDataType: types.AttributeDataTypeBoolean, DeveloperOnlyAttribute: aws.Bool(false),
		Mutable: aws.Bool(true), Required: aws.Bool(false)})
	sameJSON(t, "birthdate", schema["birthdate"].StringAttributeConstraints,
		&types.StringAttributeConstraintsType{MinLength: aws.String("10"), MaxLength: aws.String("10")})
	sameJSON(t, "updated_at", schema["updated_at"].NumberAttributeConstraints,
		&types.NumberAttributeConstraintsType{MinValue: aws.String("0")})
}

// fullPoolInput sets every member of CreateUserPoolInput.
func fullPoolInput() *cip.CreateUserPoolInput {
	lambda := func(name string) *string { return aws.String("arn:aws:lambda:us-east-1:000000000000:function:" + name) }
	return &cip.CreateUserPoolInput{
		PoolName: aws.String("everything"),
		Policies: &types.UserPoolPolicyType{
			PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(12), RequireUppercase: true,
				RequireLowercase: false, RequireNumbers: true, RequireSymbols: false, PasswordHistorySize: aws.Int32(5),
				TemporaryPasswordValidityDays: 3},
			SignInPolicy: &types.SignInPolicyType{AllowedFirstAuthFactors: []types.AuthFactorType{
				types.AuthFactorTypePassword, types.AuthFactorTypeEmailOtp}},
		},
		DeletionProtection: types.DeletionProtectionTypeActive,
		LambdaConfig: &types.LambdaConfigType{
			PreSignUp:                   lambda("pre-sign-up"),
			CustomMessage:               lambda("custom-message"),
			PostConfirmation:            lambda("post-confirmation"),
			PreAuthentication:           lambda("pre-auth"),
			PostAuthentication:          lambda("post-auth"),
			DefineAuthChallenge:         lambda("define"),
			CreateAuthChallenge:         lambda("create"),
			VerifyAuthChallengeResponse: lambda("verify"),
			PreTokenGeneration:          lambda("pre-token"),
			UserMigration:               lambda("migrate"),
			PreTokenGenerationConfig: &types.PreTokenGenerationVersionConfigType{
				LambdaArn: lambda("pre-token"), LambdaVersion: types.PreTokenGenerationLambdaVersionTypeV20},
			CustomSMSSender: &types.CustomSMSLambdaVersionConfigType{
				LambdaArn: lambda("sms-sender"), LambdaVersion: types.CustomSMSSenderLambdaVersionTypeV10},
			CustomEmailSender: &types.CustomEmailLambdaVersionConfigType{
				LambdaArn: lambda("email-sender"), LambdaVersion: types.CustomEmailSenderLambdaVersionTypeV10},
			KMSKeyID: aws.String("arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
		},
		AutoVerifiedAttributes:   []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail, types.VerifiedAttributeTypePhoneNumber},
		AliasAttributes:          []types.AliasAttributeType{types.AliasAttributeTypeEmail, types.AliasAttributeTypePreferredUsername},
		SmsVerificationMessage:   aws.String("Your SMS code is {####}"),
		EmailVerificationMessage: aws.String("Your email code is {####}"),
		EmailVerificationSubject: aws.String("Verify your email"),
		VerificationMessageTemplate: &types.VerificationMessageTemplateType{
			SmsMessage:         aws.String("Your SMS code is {####}"),
			EmailMessage:       aws.String("Your email code is {####}"),
			EmailSubject:       aws.String("Verify your email"),
			EmailMessageByLink: aws.String("Click {##here##} to verify"),
			EmailSubjectByLink: aws.String("Your verification link"),
			DefaultEmailOption: types.DefaultEmailOptionTypeConfirmWithLink,
		},
		SmsAuthenticationMessage: aws.String("Your sign-in code is {####}"),
		UserAttributeUpdateSettings: &types.UserAttributeUpdateSettingsType{
			AttributesRequireVerificationBeforeUpdate: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}},
		MfaConfiguration: types.UserPoolMfaTypeOptional,
		DeviceConfiguration: &types.DeviceConfigurationType{ChallengeRequiredOnNewDevice: true,
			DeviceOnlyRememberedOnUserPrompt: true},
		EmailConfiguration: &types.EmailConfigurationType{
			SourceArn:           aws.String("arn:aws:ses:us-east-1:000000000000:identity/no-reply@example.com"),
			ReplyToEmailAddress: aws.String("support@example.com"),
			EmailSendingAccount: types.EmailSendingAccountTypeDeveloper,
			From:                aws.String("Example <no-reply@example.com>"),
			ConfigurationSet:    aws.String("cognito-set"),
		},
		SmsConfiguration: &types.SmsConfigurationType{SnsCallerArn: aws.String("arn:aws:iam::000000000000:role/cognito-sms"),
			ExternalId: aws.String("external-id"), SnsRegion: aws.String("us-east-1")},
		UserPoolTags: map[string]string{"env": "test", "team": "identity"},
		AdminCreateUserConfig: &types.AdminCreateUserConfigType{AllowAdminCreateUserOnly: true, UnusedAccountValidityDays: 10,
			InviteMessageTemplate: &types.MessageTemplateType{
				SMSMessage:   aws.String("User {username}, code {####}"),
				EmailMessage: aws.String("Hello {username}, your temporary password is {####}"),
				EmailSubject: aws.String("Welcome"),
			}},
		Schema: []types.SchemaAttributeType{
			{Name: aws.String("email"), AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(true), Required: aws.Bool(true)},
			{Name: aws.String("name"), AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(true), Required: aws.Bool(true),
				StringAttributeConstraints: &types.StringAttributeConstraintsType{MinLength: aws.String("1"), MaxLength: aws.String("256")}},
			{Name: aws.String("tenant"), AttributeDataType: types.AttributeDataTypeString, DeveloperOnlyAttribute: aws.Bool(false),
				Mutable: aws.Bool(false), Required: aws.Bool(false),
				StringAttributeConstraints: &types.StringAttributeConstraintsType{MinLength: aws.String("1"), MaxLength: aws.String("64")}},
			{Name: aws.String("age"), AttributeDataType: types.AttributeDataTypeNumber, Mutable: aws.Bool(true),
				NumberAttributeConstraints: &types.NumberAttributeConstraintsType{MinValue: aws.String("0"), MaxValue: aws.String("150")}},
			{Name: aws.String("internal"), AttributeDataType: types.AttributeDataTypeString, DeveloperOnlyAttribute: aws.Bool(true),
				Mutable: aws.Bool(true)},
		},
		UserPoolAddOns: &types.UserPoolAddOnsType{AdvancedSecurityMode: types.AdvancedSecurityModeTypeAudit,
			AdvancedSecurityAdditionalFlows: &types.AdvancedSecurityAdditionalFlowsType{CustomAuthMode: types.AdvancedSecurityEnabledModeTypeAudit}},
		UsernameConfiguration: &types.UsernameConfigurationType{CaseSensitive: aws.Bool(false)},
		AccountRecoverySetting: &types.AccountRecoverySettingType{RecoveryMechanisms: []types.RecoveryOptionType{
			{Name: types.RecoveryOptionNameTypeVerifiedEmail, Priority: aws.Int32(1)},
			{Name: types.RecoveryOptionNameTypeVerifiedPhoneNumber, Priority: aws.Int32(2)},
		}},
		UserPoolTier: types.UserPoolTierTypePlus,
	}
}

// TestCreateUserPoolRoundTripsEveryField sets every member of CreateUserPoolInput and reads each
// one back through DescribeUserPool, as Terraform and CDK do after creating a pool.
func TestCreateUserPoolRoundTripsEveryField(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	in := fullPoolInput()
	created := e.createPool(in)
	p := e.describePool(aws.ToString(created.Id))
	sameJSON(t, "CreateUserPool and DescribeUserPool", created, p)

	if aws.ToString(p.Name) != "everything" {
		t.Errorf("Name = %q", aws.ToString(p.Name))
	}
	sameJSON(t, "Policies", p.Policies, in.Policies)
	if p.DeletionProtection != in.DeletionProtection {
		t.Errorf("DeletionProtection = %q", p.DeletionProtection)
	}
	sameJSON(t, "LambdaConfig", p.LambdaConfig, in.LambdaConfig)
	sameJSON(t, "AutoVerifiedAttributes", p.AutoVerifiedAttributes, in.AutoVerifiedAttributes)
	sameJSON(t, "AliasAttributes", p.AliasAttributes, in.AliasAttributes)
	if len(p.UsernameAttributes) != 0 {
		t.Errorf("UsernameAttributes = %v, want none", p.UsernameAttributes)
	}
	for _, f := range []struct {
		name      string
		got, want *string
	}{
		{"SmsVerificationMessage", p.SmsVerificationMessage, in.SmsVerificationMessage},
		{"EmailVerificationMessage", p.EmailVerificationMessage, in.EmailVerificationMessage},
		{"EmailVerificationSubject", p.EmailVerificationSubject, in.EmailVerificationSubject},
		{"SmsAuthenticationMessage", p.SmsAuthenticationMessage, in.SmsAuthenticationMessage},
	} {
		if aws.ToString(f.got) != aws.ToString(f.want) {
			t.Errorf("%s = %q, want %q", f.name, aws.ToString(f.got), aws.ToString(f.want))
		}
	}
	sameJSON(t, "VerificationMessageTemplate", p.VerificationMessageTemplate, in.VerificationMessageTemplate)
	sameJSON(t, "UserAttributeUpdateSettings", p.UserAttributeUpdateSettings, in.UserAttributeUpdateSettings)
	if p.MfaConfiguration != in.MfaConfiguration {
		t.Errorf("MfaConfiguration = %q", p.MfaConfiguration)
	}
	sameJSON(t, "DeviceConfiguration", p.DeviceConfiguration, in.DeviceConfiguration)
	sameJSON(t, "EmailConfiguration", p.EmailConfiguration, in.EmailConfiguration)
	sameJSON(t, "SmsConfiguration", p.SmsConfiguration, in.SmsConfiguration)
	sameJSON(t, "UserPoolTags", p.UserPoolTags, in.UserPoolTags)
	sameJSON(t, "AdminCreateUserConfig", p.AdminCreateUserConfig, in.AdminCreateUserConfig)
	sameJSON(t, "UserPoolAddOns", p.UserPoolAddOns, in.UserPoolAddOns)
	sameJSON(t, "UsernameConfiguration", p.UsernameConfiguration, in.UsernameConfiguration)
	sameJSON(t, "AccountRecoverySetting", p.AccountRecoverySetting, in.AccountRecoverySetting)
	if p.UserPoolTier != in.UserPoolTier {
		t.Errorf("UserPoolTier = %q", p.UserPoolTier)
	}

	// The schema: the standard attributes with the overrides, then the custom attributes with
	// their prefixes.
	schema := schemaByName(p)
	if len(p.SchemaAttributes) != len(standardAttributeNames)+3 {
		t.Errorf("%d schema attributes, want %d", len(p.SchemaAttributes), len(standardAttributeNames)+3)
	}
	sameJSON(t, "email", schema["email"], types.SchemaAttributeType{Name: aws.String("email"),
		AttributeDataType: types.AttributeDataTypeString, DeveloperOnlyAttribute: aws.Bool(false),
		Mutable: aws.Bool(true), Required: aws.Bool(true),
		StringAttributeConstraints: &types.StringAttributeConstraintsType{MinLength: aws.String("0"), MaxLength: aws.String("2048")}})
	sameJSON(t, "name", schema["name"], types.SchemaAttributeType{Name: aws.String("name"),
		AttributeDataType: types.AttributeDataTypeString, DeveloperOnlyAttribute: aws.Bool(false),
		Mutable: aws.Bool(true), Required: aws.Bool(true),
		StringAttributeConstraints: &types.StringAttributeConstraintsType{MinLength: aws.String("1"), MaxLength: aws.String("256")}})
	sameJSON(t, "custom:tenant", schema["custom:tenant"], types.SchemaAttributeType{Name: aws.String("custom:tenant"),
		AttributeDataType: types.AttributeDataTypeString, DeveloperOnlyAttribute: aws.Bool(false),
		Mutable: aws.Bool(false), Required: aws.Bool(false),
		StringAttributeConstraints: &types.StringAttributeConstraintsType{MinLength: aws.String("1"), MaxLength: aws.String("64")}})
	sameJSON(t, "custom:age", schema["custom:age"], types.SchemaAttributeType{Name: aws.String("custom:age"),
		AttributeDataType: types.AttributeDataTypeNumber, DeveloperOnlyAttribute: aws.Bool(false),
		Mutable: aws.Bool(true), Required: aws.Bool(false),
		NumberAttributeConstraints: &types.NumberAttributeConstraintsType{MinValue: aws.String("0"), MaxValue: aws.String("150")}})
	if a, ok := schema["dev:custom:internal"]; !ok || !aws.ToBool(a.DeveloperOnlyAttribute) || a.AttributeDataType != types.AttributeDataTypeString {
		t.Errorf("dev:custom:internal = %+v (present %v)", a, ok)
	}
	if !slices.Equal(
		[]string{aws.ToString(p.SchemaAttributes[len(standardAttributeNames)].Name), aws.ToString(p.SchemaAttributes[len(standardAttributeNames)+2].Name)},
		[]string{"custom:tenant", "dev:custom:internal"}) {
		t.Errorf("custom attributes are not listed after the standard ones in request order")
	}

	// MFA OPTIONAL with an SMS configuration turns SMS MFA on.
	mfa, err := e.c.GetUserPoolMfaConfig(e.ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: created.Id})
	if err != nil {
		t.Fatal(err)
	}
	if mfa.MfaConfiguration != types.UserPoolMfaTypeOptional || mfa.SmsMfaConfiguration == nil ||
		aws.ToString(mfa.SmsMfaConfiguration.SmsAuthenticationMessage) != "Your sign-in code is {####}" {
		t.Errorf("GetUserPoolMfaConfig = %+v", mfa)
	} else {
		sameJSON(t, "SmsMfaConfiguration.SmsConfiguration", mfa.SmsMfaConfiguration.SmsConfiguration, in.SmsConfiguration)
	}

	// The tags are the pool's resource tags.
	tags, err := e.c.ListTagsForResource(e.ctx, &cip.ListTagsForResourceInput{ResourceArn: p.Arn})
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "ListTagsForResource", tags.Tags, in.UserPoolTags)
}

// TestUsernameAttributesPool covers a pool that signs in with email or phone as the username.
func TestUsernameAttributesPool(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	p := e.createPool(&cip.CreateUserPoolInput{PoolName: aws.String("by-email"),
		UsernameAttributes:     []types.UsernameAttributeType{types.UsernameAttributeTypeEmail, types.UsernameAttributeTypePhoneNumber},
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}})
	p = e.describePool(aws.ToString(p.Id))
	sameJSON(t, "UsernameAttributes", p.UsernameAttributes,
		[]types.UsernameAttributeType{types.UsernameAttributeTypeEmail, types.UsernameAttributeTypePhoneNumber})
	if len(p.AliasAttributes) != 0 {
		t.Errorf("AliasAttributes = %v", p.AliasAttributes)
	}
	_, err := e.c.CreateUserPool(e.ctx, &cip.CreateUserPoolInput{PoolName: aws.String("both"),
		UsernameAttributes: []types.UsernameAttributeType{types.UsernameAttributeTypeEmail},
		AliasAttributes:    []types.AliasAttributeType{types.AliasAttributeTypePhoneNumber}})
	testenv.WantError(t, err, "InvalidParameterException", "")
}

func TestCreateUserPoolRefusesInvalidSettings(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	for _, tc := range []struct {
		name      string
		in        *cip.CreateUserPoolInput
		code, msg string
	}{
		{"MFA on without a factor", &cip.CreateUserPoolInput{MfaConfiguration: types.UserPoolMfaTypeOn},
			"InvalidParameterException", "SMS configuration and Auto verification for phone_number are required when MFA is required/optional"},
		{"verification before update of an attribute that is not auto-verified", &cip.CreateUserPoolInput{
			UserAttributeUpdateSettings: &types.UserAttributeUpdateSettingsType{
				AttributesRequireVerificationBeforeUpdate: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}}},
			"InvalidParameterException", "All attributes in AttributesRequireVerificationBeforeUpdate must exist in AutoVerifiedAttributes"},
		{"required custom attribute", &cip.CreateUserPoolInput{Schema: []types.SchemaAttributeType{
			{Name: aws.String("plan"), AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(true)}}},
			"InvalidParameterException", "Required custom attributes are not supported currently."},
		{"minimum length below the model's range", &cip.CreateUserPoolInput{Policies: &types.UserPoolPolicyType{
			PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(5)}}},
			"InvalidParameterException", "1 validation error detected: Value '5' at 'policies.passwordPolicy.minimumLength' failed to satisfy constraint: Member must have value greater than or equal to 6"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.in.PoolName = aws.String("invalid")
			_, err := e.c.CreateUserPool(e.ctx, tc.in)
			testenv.WantError(t, err, tc.code, tc.msg)
		})
	}
	out, err := e.c.ListUserPools(e.ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(60)})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.UserPools) != 0 {
		t.Errorf("refused requests created %d pools", len(out.UserPools))
	}
}

func TestListUserPoolsPagination(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	want := map[string]string{}
	for _, name := range []string{"a", "b", "c", "d", "e"} {
		want[e.pool("pool-"+name)] = "pool-" + name
	}
	got := map[string]string{}
	var token *string
	pages := 0
	for {
		out, err := e.c.ListUserPools(e.ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(2), NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if len(out.UserPools) > 2 {
			t.Fatalf("page %d has %d pools, MaxResults was 2", pages, len(out.UserPools))
		}
		for _, p := range out.UserPools {
			id := aws.ToString(p.Id)
			if _, dup := got[id]; dup {
				t.Errorf("pool %s listed twice", id)
			}
			got[id] = aws.ToString(p.Name)
			if p.CreationDate == nil || p.LastModifiedDate == nil || p.LambdaConfig == nil {
				t.Errorf("pool description %+v lacks dates or LambdaConfig", p)
			}
		}
		token = out.NextToken
		if token == nil {
			break
		}
		if pages > 5 {
			t.Fatal("pagination does not end")
		}
	}
	if pages != 3 {
		t.Errorf("5 pools in pages of 2 took %d pages, want 3", pages)
	}
	sameJSON(t, "listed pools", got, want)

	// The paginator of the SDK walks the same pages.
	n := 0
	for pg := cip.NewListUserPoolsPaginator(e.c, &cip.ListUserPoolsInput{MaxResults: aws.Int32(3)}); pg.HasMorePages(); {
		out, err := pg.NextPage(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		n += len(out.UserPools)
	}
	if n != 5 {
		t.Errorf("paginator saw %d pools, want 5", n)
	}

	for _, tc := range []struct {
		max int32
		msg string
	}{
		{0, "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{61, "1 validation error detected: Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60"},
	} {
		_, err := e.c.ListUserPools(e.ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(tc.max)})
		testenv.WantError(t, err, "InvalidParameterException", tc.msg)
	}
	_, err := e.c.ListUserPools(e.ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(2), NextToken: aws.String("not-a-token")})
	testenv.WantError(t, err, "InvalidParameterException", "")
}

// TestUpdateUserPoolResetsOmittedSettings checks AWS's replace semantics: an update sets every
// updatable setting, and the ones the request leaves out return to their defaults.
func TestUpdateUserPoolResetsOmittedSettings(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	in := fullPoolInput()
	in.UserAttributeUpdateSettings = nil
	created := e.createPool(in)
	id := created.Id

	_, err := e.c.UpdateUserPool(e.ctx, &cip.UpdateUserPoolInput{UserPoolId: id, PoolName: aws.String("renamed")})
	if err != nil {
		t.Fatal(err)
	}
	p := e.describePool(aws.ToString(id))
	if aws.ToString(p.Name) != "renamed" {
		t.Errorf("Name = %q, want renamed", aws.ToString(p.Name))
	}
	sameJSON(t, "PasswordPolicy after update", p.Policies.PasswordPolicy, &types.PasswordPolicyType{MinimumLength: aws.Int32(8),
		RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true,
		TemporaryPasswordValidityDays: 7})
	if p.DeletionProtection != types.DeletionProtectionTypeInactive || p.MfaConfiguration != types.UserPoolMfaTypeOff {
		t.Errorf("DeletionProtection %q, MfaConfiguration %q; want INACTIVE, OFF", p.DeletionProtection, p.MfaConfiguration)
	}
	sameJSON(t, "LambdaConfig after update", p.LambdaConfig, &types.LambdaConfigType{})
	if len(p.AutoVerifiedAttributes) != 0 || p.DeviceConfiguration != nil || p.SmsConfiguration != nil ||
		aws.ToString(p.SmsAuthenticationMessage) != "" || aws.ToString(p.EmailVerificationMessage) != "" {
		t.Errorf("settings not in the update survived it: auto-verified %v, device %+v, sms %+v, %q, %q",
			p.AutoVerifiedAttributes, p.DeviceConfiguration, p.SmsConfiguration,
			aws.ToString(p.SmsAuthenticationMessage), aws.ToString(p.EmailVerificationMessage))
	}
	if p.EmailConfiguration == nil || p.EmailConfiguration.EmailSendingAccount != types.EmailSendingAccountTypeCognitoDefault {
		t.Errorf("EmailConfiguration = %+v, want COGNITO_DEFAULT", p.EmailConfiguration)
	}
	sameJSON(t, "AdminCreateUserConfig after update", p.AdminCreateUserConfig,
		&types.AdminCreateUserConfigType{UnusedAccountValidityDays: 7})
	// What UpdateUserPool cannot change stays.
	sameJSON(t, "AliasAttributes after update", p.AliasAttributes, in.AliasAttributes)
	sameJSON(t, "UsernameConfiguration after update", p.UsernameConfiguration, in.UsernameConfiguration)
	if len(p.SchemaAttributes) != len(created.SchemaAttributes) || !p.CreationDate.Equal(aws.ToTime(created.CreationDate)) {
		t.Errorf("schema or creation date changed")
	}
	if p.LastModifiedDate.Before(aws.ToTime(created.LastModifiedDate)) {
		t.Errorf("LastModifiedDate went back")
	}
	list, err := e.c.ListUserPools(e.ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.UserPools) != 1 || aws.ToString(list.UserPools[0].Name) != "renamed" {
		t.Errorf("ListUserPools after rename = %+v", list.UserPools)
	}

	// A full update sets what it gives.
	_, err = e.c.UpdateUserPool(e.ctx, &cip.UpdateUserPoolInput{UserPoolId: id,
		Policies: &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(10),
			RequireNumbers: true, TemporaryPasswordValidityDays: 2}},
		DeletionProtection:     types.DeletionProtectionTypeActive,
		LambdaConfig:           &types.LambdaConfigType{PreSignUp: in.LambdaConfig.PreSignUp},
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		UserAttributeUpdateSettings: &types.UserAttributeUpdateSettingsType{
			AttributesRequireVerificationBeforeUpdate: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}},
		EmailVerificationMessage: aws.String("Code: {####}"),
		EmailVerificationSubject: aws.String("Code"),
		DeviceConfiguration:      &types.DeviceConfigurationType{ChallengeRequiredOnNewDevice: true},
		UserPoolTags:             map[string]string{"env": "prod"},
		AdminCreateUserConfig:    &types.AdminCreateUserConfigType{AllowAdminCreateUserOnly: true},
		AccountRecoverySetting: &types.AccountRecoverySettingType{RecoveryMechanisms: []types.RecoveryOptionType{
			{Name: types.RecoveryOptionNameTypeAdminOnly, Priority: aws.Int32(1)}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	p = e.describePool(aws.ToString(id))
	if aws.ToString(p.Name) != "renamed" {
		t.Errorf("Name = %q after an update without PoolName, want it kept", aws.ToString(p.Name))
	}
	sameJSON(t, "PasswordPolicy", p.Policies.PasswordPolicy, &types.PasswordPolicyType{MinimumLength: aws.Int32(10),
		RequireNumbers: true, TemporaryPasswordValidityDays: 2})
	if p.DeletionProtection != types.DeletionProtectionTypeActive {
		t.Errorf("DeletionProtection = %q", p.DeletionProtection)
	}
	sameJSON(t, "LambdaConfig", p.LambdaConfig, &types.LambdaConfigType{PreSignUp: in.LambdaConfig.PreSignUp})
	if aws.ToString(p.EmailVerificationMessage) != "Code: {####}" || aws.ToString(p.VerificationMessageTemplate.EmailMessage) != "Code: {####}" {
		t.Errorf("EmailVerificationMessage %q, template %q", aws.ToString(p.EmailVerificationMessage),
			aws.ToString(p.VerificationMessageTemplate.EmailMessage))
	}
	sameJSON(t, "UserPoolTags", p.UserPoolTags, map[string]string{"env": "prod"})
	sameJSON(t, "AdminCreateUserConfig", p.AdminCreateUserConfig,
		&types.AdminCreateUserConfigType{AllowAdminCreateUserOnly: true, UnusedAccountValidityDays: 7})

	// UserAttributeUpdateSettings are kept when an update leaves them out, so an update that
	// drops the auto-verified attributes they name is refused (the usual surprise when turning
	// deletion protection off with a one-flag update).
	_, err = e.c.UpdateUserPool(e.ctx, &cip.UpdateUserPoolInput{UserPoolId: id, DeletionProtection: types.DeletionProtectionTypeInactive})
	testenv.WantError(t, err, "InvalidParameterException", "All attributes in AttributesRequireVerificationBeforeUpdate must exist in AutoVerifiedAttributes")
	_, err = e.c.UpdateUserPool(e.ctx, &cip.UpdateUserPoolInput{UserPoolId: id, DeletionProtection: types.DeletionProtectionTypeInactive,
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}})
	if err != nil {
		t.Fatal(err)
	}
	p = e.describePool(aws.ToString(id))
	sameJSON(t, "kept UserAttributeUpdateSettings", p.UserAttributeUpdateSettings, &types.UserAttributeUpdateSettingsType{
		AttributesRequireVerificationBeforeUpdate: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}})

	_, err = e.c.UpdateUserPool(e.ctx, &cip.UpdateUserPoolInput{UserPoolId: aws.String(unknownPool)})
	testenv.WantError(t, err, "ResourceNotFoundException", "User pool "+unknownPool+" does not exist.")
}

func TestDeleteUserPool(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	id := e.createPool(&cip.CreateUserPoolInput{PoolName: aws.String("doomed"), DeletionProtection: types.DeletionProtectionTypeActive}).Id
	client := e.createClient(&cip.CreateUserPoolClientInput{UserPoolId: id, ClientName: aws.String("web")})
	e.user(aws.ToString(id), "alice")
	if _, err := e.c.CreateGroup(e.ctx, &cip.CreateGroupInput{UserPoolId: id, GroupName: aws.String("admins")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.CreateUserPoolDomain(e.ctx, &cip.CreateUserPoolDomainInput{UserPoolId: id, Domain: aws.String("doomed-login")}); err != nil {
		t.Fatal(err)
	}

	_, err := e.c.DeleteUserPool(e.ctx, &cip.DeleteUserPoolInput{UserPoolId: id})
	testenv.WantError(t, err, "InvalidParameterException",
		"The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.")
	if _, err := e.c.UpdateUserPool(e.ctx, &cip.UpdateUserPoolInput{UserPoolId: id, DeletionProtection: types.DeletionProtectionTypeInactive}); err != nil {
		t.Fatal(err)
	}
	_, err = e.c.DeleteUserPool(e.ctx, &cip.DeleteUserPoolInput{UserPoolId: id})
	testenv.WantError(t, err, "InvalidParameterException", "User pool cannot be deleted. It has a domain configured that should be deleted first.")
	if _, err := e.c.DeleteUserPoolDomain(e.ctx, &cip.DeleteUserPoolDomainInput{UserPoolId: id, Domain: aws.String("doomed-login")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.DeleteUserPool(e.ctx, &cip.DeleteUserPoolInput{UserPoolId: id}); err != nil {
		t.Fatal(err)
	}

	notFound := "User pool " + aws.ToString(id) + " does not exist."
	_, err = e.c.DescribeUserPool(e.ctx, &cip.DescribeUserPoolInput{UserPoolId: id})
	testenv.WantError(t, err, "ResourceNotFoundException", notFound)
	_, err = e.c.DescribeUserPoolClient(e.ctx, &cip.DescribeUserPoolClientInput{UserPoolId: id, ClientId: client.ClientId})
	testenv.WantError(t, err, "ResourceNotFoundException", "")
	_, err = e.c.AdminGetUser(e.ctx, &cip.AdminGetUserInput{UserPoolId: id, Username: aws.String("alice")})
	testenv.WantError(t, err, "ResourceNotFoundException", "")
	_, err = e.c.GetGroup(e.ctx, &cip.GetGroupInput{UserPoolId: id, GroupName: aws.String("admins")})
	testenv.WantError(t, err, "ResourceNotFoundException", "")
	// The client id is gone for the public operations too.
	_, err = e.c.SignUp(e.ctx, &cip.SignUpInput{ClientId: client.ClientId, Username: aws.String("bob"), Password: aws.String("Passw0rd!")})
	testenv.WantError(t, err, "ResourceNotFoundException", "User pool client "+aws.ToString(client.ClientId)+" does not exist.")
	_, err = e.c.DeleteUserPool(e.ctx, &cip.DeleteUserPoolInput{UserPoolId: id})
	testenv.WantError(t, err, "ResourceNotFoundException", notFound)
	list, err := e.c.ListUserPools(e.ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.UserPools) != 0 {
		t.Errorf("ListUserPools after delete = %+v", list.UserPools)
	}
	// The domain and the names inside the pool are free again.
	other := e.pool("successor")
	if _, err := e.c.CreateUserPoolDomain(e.ctx, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(other), Domain: aws.String("doomed-login")}); err != nil {
		t.Errorf("reuse of a deleted pool's domain: %v", err)
	}
}

func TestAddCustomAttributes(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	id := aws.String(e.pool("custom"))
	_, err := e.c.AddCustomAttributes(e.ctx, &cip.AddCustomAttributesInput{UserPoolId: id, CustomAttributes: []types.SchemaAttributeType{
		{Name: aws.String("plan"), AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(true),
			StringAttributeConstraints: &types.StringAttributeConstraintsType{MinLength: aws.String("2"), MaxLength: aws.String("10")}},
		{Name: aws.String("score"), AttributeDataType: types.AttributeDataTypeNumber, Mutable: aws.Bool(true),
			NumberAttributeConstraints: &types.NumberAttributeConstraintsType{MinValue: aws.String("1"), MaxValue: aws.String("100")}},
		{Name: aws.String("ssn"), AttributeDataType: types.AttributeDataTypeString, DeveloperOnlyAttribute: aws.Bool(true), Mutable: aws.Bool(false)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	schema := schemaByName(e.describePool(aws.ToString(id)))
	sameJSON(t, "custom:plan", schema["custom:plan"], types.SchemaAttributeType{Name: aws.String("custom:plan"),
		AttributeDataType: types.AttributeDataTypeString, DeveloperOnlyAttribute: aws.Bool(false), Mutable: aws.Bool(true),
		Required: aws.Bool(false), StringAttributeConstraints: &types.StringAttributeConstraintsType{MinLength: aws.String("2"), MaxLength: aws.String("10")}})
	sameJSON(t, "custom:score", schema["custom:score"], types.SchemaAttributeType{Name: aws.String("custom:score"),
		AttributeDataType: types.AttributeDataTypeNumber, DeveloperOnlyAttribute: aws.Bool(false), Mutable: aws.Bool(true),
		Required: aws.Bool(false), NumberAttributeConstraints: &types.NumberAttributeConstraintsType{MinValue: aws.String("1"), MaxValue: aws.String("100")}})
	if a, ok := schema["dev:custom:ssn"]; !ok || !aws.ToBool(a.DeveloperOnlyAttribute) || aws.ToBool(a.Mutable) {
		t.Errorf("dev:custom:ssn = %+v (present %v)", a, ok)
	}

	// The new attributes are usable at once, within their constraints.
	_, err = e.c.AdminCreateUser(e.ctx, &cip.AdminCreateUserInput{UserPoolId: id, Username: aws.String("bob"),
		MessageAction: types.MessageActionTypeSuppress, UserAttributes: []types.AttributeType{
			{Name: aws.String("custom:plan"), Value: aws.String("gold")}, {Name: aws.String("custom:score"), Value: aws.String("42")}}})
	if err != nil {
		t.Fatal(err)
	}
	u, err := e.c.AdminGetUser(e.ctx, &cip.AdminGetUserInput{UserPoolId: id, Username: aws.String("bob")})
	if err != nil {
		t.Fatal(err)
	}
	attrs := map[string]string{}
	for _, a := range u.UserAttributes {
		attrs[aws.ToString(a.Name)] = aws.ToString(a.Value)
	}
	if attrs["custom:plan"] != "gold" || attrs["custom:score"] != "42" {
		t.Errorf("user attributes = %v", attrs)
	}
	_, err = e.c.AdminUpdateUserAttributes(e.ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: id, Username: aws.String("bob"),
		UserAttributes: []types.AttributeType{{Name: aws.String("custom:plan"), Value: aws.String("platinum-plus")}}})
	testenv.WantError(t, err, "InvalidParameterException", "")

	// Cognito prefixes the name as given, even when it already starts with "custom:".
	_, err = e.c.AddCustomAttributes(e.ctx, &cip.AddCustomAttributesInput{UserPoolId: id, CustomAttributes: []types.SchemaAttributeType{
		{Name: aws.String("custom:region"), AttributeDataType: types.AttributeDataTypeString}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := schemaByName(e.describePool(aws.ToString(id)))["custom:custom:region"]; !ok {
		t.Error(`AddCustomAttributes("custom:region") did not create custom:custom:region`)
	}

	for _, tc := range []struct {
		name string
		attr types.SchemaAttributeType
		msg  string
	}{
		{"duplicate", types.SchemaAttributeType{Name: aws.String("plan"), AttributeDataType: types.AttributeDataTypeString},
			"Existing attribute already has name custom:plan."},
		{"duplicate of a developer-only attribute", types.SchemaAttributeType{Name: aws.String("ssn"), AttributeDataType: types.AttributeDataTypeString},
			""},
		{"required", types.SchemaAttributeType{Name: aws.String("req"), AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(true)},
			"Required custom attributes are not supported currently."},
		{"min length above max length", types.SchemaAttributeType{Name: aws.String("bad"), AttributeDataType: types.AttributeDataTypeString,
			StringAttributeConstraints: &types.StringAttributeConstraintsType{MinLength: aws.String("10"), MaxLength: aws.String("2")}}, ""},
		{"max length above 2048", types.SchemaAttributeType{Name: aws.String("long"), AttributeDataType: types.AttributeDataTypeString,
			StringAttributeConstraints: &types.StringAttributeConstraintsType{MaxLength: aws.String("4096")}}, ""},
		{"number constraint that is not a number", types.SchemaAttributeType{Name: aws.String("num"), AttributeDataType: types.AttributeDataTypeNumber,
			NumberAttributeConstraints: &types.NumberAttributeConstraintsType{MinValue: aws.String("low")}}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.c.AddCustomAttributes(e.ctx, &cip.AddCustomAttributesInput{UserPoolId: id, CustomAttributes: []types.SchemaAttributeType{tc.attr}})
			testenv.WantError(t, err, "InvalidParameterException", tc.msg)
		})
	}
	if n := len(e.describePool(aws.ToString(id)).SchemaAttributes); n != len(standardAttributeNames)+4 {
		t.Errorf("refused requests changed the schema: %d attributes", n)
	}
	_, err = e.c.AddCustomAttributes(e.ctx, &cip.AddCustomAttributesInput{UserPoolId: aws.String(unknownPool),
		CustomAttributes: []types.SchemaAttributeType{{Name: aws.String("x"), AttributeDataType: types.AttributeDataTypeString}}})
	testenv.WantError(t, err, "ResourceNotFoundException", "User pool "+unknownPool+" does not exist.")
}

func TestUserPoolMfaConfig(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	id := aws.String(e.pool("mfa"))
	got, err := e.c.GetUserPoolMfaConfig(e.ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: id})
	if err != nil {
		t.Fatal(err)
	}
	if got.MfaConfiguration != types.UserPoolMfaTypeOff || got.SoftwareTokenMfaConfiguration != nil || got.SmsMfaConfiguration != nil {
		t.Errorf("new pool MFA config = %+v, want OFF and no factors", got)
	}

	_, err = e.c.SetUserPoolMfaConfig(e.ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: id, MfaConfiguration: types.UserPoolMfaTypeOn})
	testenv.WantError(t, err, "InvalidParameterException",
		"Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.")
	_, err = e.c.SetUserPoolMfaConfig(e.ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: id, MfaConfiguration: types.UserPoolMfaTypeOn,
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: false}})
	testenv.WantError(t, err, "InvalidParameterException",
		"Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.")

	set, err := e.c.SetUserPoolMfaConfig(e.ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: id, MfaConfiguration: types.UserPoolMfaTypeOptional,
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}})
	if err != nil {
		t.Fatal(err)
	}
	if set.MfaConfiguration != types.UserPoolMfaTypeOptional || set.SoftwareTokenMfaConfiguration == nil || !set.SoftwareTokenMfaConfiguration.Enabled {
		t.Errorf("SetUserPoolMfaConfig = %+v", set)
	}
	got, err = e.c.GetUserPoolMfaConfig(e.ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: id})
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "GetUserPoolMfaConfig", got.SoftwareTokenMfaConfiguration, set.SoftwareTokenMfaConfiguration)
	if got.MfaConfiguration != types.UserPoolMfaTypeOptional {
		t.Errorf("MfaConfiguration = %q", got.MfaConfiguration)
	}
	if p := e.describePool(aws.ToString(id)); p.MfaConfiguration != types.UserPoolMfaTypeOptional {
		t.Errorf("DescribeUserPool MfaConfiguration = %q, want OPTIONAL", p.MfaConfiguration)
	}

	// UpdateUserPool may switch MFA on when a factor is configured, and (like every setting it
	// is not given) switches it off when it leaves MfaConfiguration out.
	if _, err := e.c.UpdateUserPool(e.ctx, &cip.UpdateUserPoolInput{UserPoolId: id, MfaConfiguration: types.UserPoolMfaTypeOn}); err != nil {
		t.Fatal(err)
	}
	got, err = e.c.GetUserPoolMfaConfig(e.ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: id})
	if err != nil {
		t.Fatal(err)
	}
	if got.MfaConfiguration != types.UserPoolMfaTypeOn || got.SoftwareTokenMfaConfiguration == nil || !got.SoftwareTokenMfaConfiguration.Enabled {
		t.Errorf("after UpdateUserPool(ON): %+v", got)
	}
	if _, err := e.c.UpdateUserPool(e.ctx, &cip.UpdateUserPoolInput{UserPoolId: id}); err != nil {
		t.Fatal(err)
	}
	got, err = e.c.GetUserPoolMfaConfig(e.ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: id})
	if err != nil {
		t.Fatal(err)
	}
	if got.MfaConfiguration != types.UserPoolMfaTypeOff {
		t.Errorf("MfaConfiguration after an UpdateUserPool without it = %q, want OFF", got.MfaConfiguration)
	}
	bare := aws.String(e.pool("no-factors"))
	_, err = e.c.UpdateUserPool(e.ctx, &cip.UpdateUserPoolInput{UserPoolId: bare, MfaConfiguration: types.UserPoolMfaTypeOptional})
	testenv.WantError(t, err, "InvalidParameterException", "SMS configuration and Auto verification for phone_number are required when MFA is required/optional")

	// A factor the request leaves out is cleared, so MFA ON alone is refused even though TOTP was on.
	_, err = e.c.SetUserPoolMfaConfig(e.ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: id, MfaConfiguration: types.UserPoolMfaTypeOn})
	testenv.WantError(t, err, "InvalidParameterException",
		"Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.")
	_, err = e.c.SetUserPoolMfaConfig(e.ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: id, MfaConfiguration: types.UserPoolMfaTypeOff,
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}})
	testenv.WantError(t, err, "InvalidParameterException", "Invalid MFA configuration given, can't turn off MFA and configure an MFA together.")

	// SMS MFA carries the pool's SMS settings.
	sms := &types.SmsConfigurationType{SnsCallerArn: aws.String("arn:aws:iam::000000000000:role/sms"), ExternalId: aws.String("x")}
	set, err = e.c.SetUserPoolMfaConfig(e.ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: id, MfaConfiguration: types.UserPoolMfaTypeOn,
		SmsMfaConfiguration:           &types.SmsMfaConfigType{SmsAuthenticationMessage: aws.String("MFA code {####}"), SmsConfiguration: sms},
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}})
	if err != nil {
		t.Fatal(err)
	}
	if set.MfaConfiguration != types.UserPoolMfaTypeOn || set.SmsMfaConfiguration == nil {
		t.Fatalf("SetUserPoolMfaConfig = %+v", set)
	}
	p := e.describePool(aws.ToString(id))
	if p.MfaConfiguration != types.UserPoolMfaTypeOn || aws.ToString(p.SmsAuthenticationMessage) != "MFA code {####}" {
		t.Errorf("DescribeUserPool MfaConfiguration %q, SmsAuthenticationMessage %q", p.MfaConfiguration, aws.ToString(p.SmsAuthenticationMessage))
	}
	sameJSON(t, "SmsConfiguration", p.SmsConfiguration, sms)

	if _, err := e.c.SetUserPoolMfaConfig(e.ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: id, MfaConfiguration: types.UserPoolMfaTypeOff}); err != nil {
		t.Fatal(err)
	}
	got, err = e.c.GetUserPoolMfaConfig(e.ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: id})
	if err != nil {
		t.Fatal(err)
	}
	if got.MfaConfiguration != types.UserPoolMfaTypeOff || (got.SoftwareTokenMfaConfiguration != nil && got.SoftwareTokenMfaConfiguration.Enabled) {
		t.Errorf("after OFF: %+v", got)
	}
	_, err = e.c.GetUserPoolMfaConfig(e.ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: aws.String(unknownPool)})
	testenv.WantError(t, err, "ResourceNotFoundException", "User pool "+unknownPool+" does not exist.")
}

func TestGetSigningCertificate(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	id := aws.String(e.pool("saml"))
	first, err := e.c.GetSigningCertificate(e.ctx, &cip.GetSigningCertificateInput{UserPoolId: id})
	if err != nil {
		t.Fatal(err)
	}
	der, err := base64.StdEncoding.DecodeString(aws.ToString(first.Certificate))
	if err != nil {
		t.Fatalf("certificate is not base64: %v", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatalf("certificate does not parse: %v", err)
	}
	if now := time.Now(); now.Before(cert.NotBefore) || now.After(cert.NotAfter) {
		t.Errorf("certificate valid %v to %v, not now", cert.NotBefore, cert.NotAfter)
	}
	second, err := e.c.GetSigningCertificate(e.ctx, &cip.GetSigningCertificateInput{UserPoolId: id})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(second.Certificate) != aws.ToString(first.Certificate) {
		t.Error("second GetSigningCertificate returned a different certificate")
	}
	other, err := e.c.GetSigningCertificate(e.ctx, &cip.GetSigningCertificateInput{UserPoolId: aws.String(e.pool("other"))})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(other.Certificate) == aws.ToString(first.Certificate) {
		t.Error("two pools share a signing certificate")
	}
	_, err = e.c.GetSigningCertificate(e.ctx, &cip.GetSigningCertificateInput{UserPoolId: aws.String(unknownPool)})
	testenv.WantError(t, err, "ResourceNotFoundException", "User pool "+unknownPool+" does not exist.")
}

// TestModelValidation checks that requests the AWS model forbids are refused with AWS's
// validation message before any operation runs.
func TestModelValidation(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	_, err := e.c.DescribeUserPool(e.ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String("not a pool")})
	testenv.WantError(t, err, "InvalidParameterException",
		`1 validation error detected: Value 'not a pool' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w-]+_[0-9a-zA-Z]+`)
	_, err = e.c.ListUserPoolClients(e.ctx, &cip.ListUserPoolClientsInput{UserPoolId: aws.String("nounderscore")})
	testenv.WantError(t, err, "InvalidParameterException",
		`1 validation error detected: Value 'nounderscore' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w-]+_[0-9a-zA-Z]+`)
	_, err = e.c.CreateUserPool(e.ctx, &cip.CreateUserPoolInput{PoolName: aws.String("bad name!")})
	testenv.WantError(t, err, "InvalidParameterException",
		`1 validation error detected: Value 'bad name!' at 'poolName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w\s+=,.@-]+`)
	_, err = e.c.CreateUserPoolClient(e.ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(unknownPool), ClientName: aws.String("c"),
		AuthSessionValidity: aws.Int32(2)})
	testenv.WantError(t, err, "InvalidParameterException",
		"1 validation error detected: Value '2' at 'authSessionValidity' failed to satisfy constraint: Member must have value greater than or equal to 3")
	_, err = e.c.CreateGroup(e.ctx, &cip.CreateGroupInput{UserPoolId: aws.String(unknownPool), GroupName: aws.String("g"), Precedence: aws.Int32(-1)})
	testenv.WantError(t, err, "InvalidParameterException",
		"1 validation error detected: Value '-1' at 'precedence' failed to satisfy constraint: Member must have value greater than or equal to 0")
}

// TestAdminHappyPathOnEveryStore runs one pool → client → group → user path on each storage
// backend: SQLite (the default), memory, and PostgreSQL when GATEHOUSE_TEST_POSTGRES_DSN is set.
func TestAdminHappyPathOnEveryStore(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		opts func(t *testing.T) []testenv.Option
	}{
		{"sqlite", func(*testing.T) []testenv.Option { return nil }},
		{"memory", func(*testing.T) []testenv.Option { return []testenv.Option{testenv.WithMemory()} }},
		{"postgres", func(t *testing.T) []testenv.Option { return []testenv.Option{testenv.WithPostgres(t)} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			adminHappyPath(t, newAdminEnv(t, tc.opts(t)...))
		})
	}
}

func adminHappyPath(t *testing.T, e *adminEnv) {
	in := fullPoolInput()
	in.LambdaConfig = nil // its triggers name functions that do not exist, and would refuse the users below
	created := e.createPool(in)
	id := created.Id
	sameJSON(t, "DescribeUserPool", e.describePool(aws.ToString(id)), created)

	cl := e.createClient(&cip.CreateUserPoolClientInput{UserPoolId: id, ClientName: aws.String("web"), GenerateSecret: true,
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	got, err := e.c.DescribeUserPoolClient(e.ctx, &cip.DescribeUserPoolClientInput{UserPoolId: id, ClientId: cl.ClientId})
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "DescribeUserPoolClient", got.UserPoolClient, cl)
	upd, err := e.c.UpdateUserPoolClient(e.ctx, &cip.UpdateUserPoolClientInput{UserPoolId: id, ClientId: cl.ClientId, ClientName: aws.String("web2")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(upd.UserPoolClient.ClientName) != "web2" || aws.ToString(upd.UserPoolClient.ClientSecret) != aws.ToString(cl.ClientSecret) {
		t.Errorf("UpdateUserPoolClient = %+v", upd.UserPoolClient)
	}

	if _, err := e.c.CreateGroup(e.ctx, &cip.CreateGroupInput{UserPoolId: id, GroupName: aws.String("admins"), Precedence: aws.Int32(1)}); err != nil {
		t.Fatal(err)
	}
	e.user(aws.ToString(id), "alice")
	if _, err := e.c.AdminAddUserToGroup(e.ctx, &cip.AdminAddUserToGroupInput{UserPoolId: id, Username: aws.String("alice"), GroupName: aws.String("admins")}); err != nil {
		t.Fatal(err)
	}
	members, err := e.c.ListUsersInGroup(e.ctx, &cip.ListUsersInGroupInput{UserPoolId: id, GroupName: aws.String("admins")})
	if err != nil {
		t.Fatal(err)
	}
	if len(members.Users) != 1 || aws.ToString(members.Users[0].Username) != "alice" {
		t.Errorf("ListUsersInGroup = %+v", members.Users)
	}
	if p := e.describePool(aws.ToString(id)); p.EstimatedNumberOfUsers != 1 {
		t.Errorf("EstimatedNumberOfUsers = %d, want 1", p.EstimatedNumberOfUsers)
	}

	if _, err := e.c.UpdateUserPool(e.ctx, &cip.UpdateUserPoolInput{UserPoolId: id, DeletionProtection: types.DeletionProtectionTypeInactive,
		AutoVerifiedAttributes: in.AutoVerifiedAttributes, SmsConfiguration: in.SmsConfiguration}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.DeleteUserPool(e.ctx, &cip.DeleteUserPoolInput{UserPoolId: id}); err != nil {
		t.Fatal(err)
	}
	_, err = e.c.DescribeUserPoolClient(e.ctx, &cip.DescribeUserPoolClientInput{UserPoolId: id, ClientId: cl.ClientId})
	testenv.WantError(t, err, "ResourceNotFoundException", "")
	_, err = e.c.AdminGetUser(e.ctx, &cip.AdminGetUserInput{UserPoolId: id, Username: aws.String("alice")})
	testenv.WantError(t, err, "ResourceNotFoundException", "")
}
