package e2e

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/gatehouse-dev/gatehouse/internal/testenv"
)

// clientPool creates a pool with a custom attribute and a resource server "api" with scopes
// read and write, for app-client tests.
func (e *adminEnv) clientPool() *string {
	e.t.Helper()
	p := e.createPool(&cip.CreateUserPoolInput{PoolName: aws.String("apps"), Schema: []types.SchemaAttributeType{
		{Name: aws.String("tenant"), AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(true)},
		{Name: aws.String("secret"), AttributeDataType: types.AttributeDataTypeString, DeveloperOnlyAttribute: aws.Bool(true)},
	}})
	_, err := e.c.CreateResourceServer(e.ctx, &cip.CreateResourceServerInput{UserPoolId: p.Id, Identifier: aws.String("api"),
		Name: aws.String("API"), Scopes: []types.ResourceServerScopeType{
			{ScopeName: aws.String("read"), ScopeDescription: aws.String("Read")},
			{ScopeName: aws.String("write"), ScopeDescription: aws.String("Write")},
		}})
	if err != nil {
		e.t.Fatal(err)
	}
	return p.Id
}

func TestCreateUserPoolClientDefaults(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	pool := e.clientPool()
	before := time.Now().Add(-time.Second)
	c := e.createClient(&cip.CreateUserPoolClientInput{UserPoolId: pool, ClientName: aws.String("minimal")})
	if !clientIDRE.MatchString(aws.ToString(c.ClientId)) {
		t.Errorf("client id %q is not 26 lowercase alphanumerics", aws.ToString(c.ClientId))
	}
	if aws.ToString(c.UserPoolId) != aws.ToString(pool) || aws.ToString(c.ClientName) != "minimal" {
		t.Errorf("pool %q, name %q", aws.ToString(c.UserPoolId), aws.ToString(c.ClientName))
	}
	sameSet(t, "default ExplicitAuthFlows", c.ExplicitAuthFlows, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth,
		types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowCustomAuth)
	if c.ClientSecret != nil {
		t.Errorf("a client without GenerateSecret has secret %q", aws.ToString(c.ClientSecret))
	}
	if c.RefreshTokenValidity != 30 || !aws.ToBool(c.EnableTokenRevocation) || aws.ToInt32(c.AuthSessionValidity) != 3 ||
		aws.ToBool(c.AllowedOAuthFlowsUserPoolClient) || aws.ToBool(c.EnablePropagateAdditionalUserContextData) {
		t.Errorf("defaults: refresh %d, revocation %v, session %d, oauth %v, propagate %v", c.RefreshTokenValidity,
			aws.ToBool(c.EnableTokenRevocation), aws.ToInt32(c.AuthSessionValidity), aws.ToBool(c.AllowedOAuthFlowsUserPoolClient),
			aws.ToBool(c.EnablePropagateAdditionalUserContextData))
	}
	if c.CreationDate == nil || c.CreationDate.Before(before) || !c.CreationDate.Equal(aws.ToTime(c.LastModifiedDate)) {
		t.Errorf("CreationDate %v, LastModifiedDate %v", c.CreationDate, c.LastModifiedDate)
	}
	got, err := e.c.DescribeUserPoolClient(e.ctx, &cip.DescribeUserPoolClientInput{UserPoolId: pool, ClientId: c.ClientId})
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "DescribeUserPoolClient", got.UserPoolClient, c)
	secrets, err := e.c.ListUserPoolClientSecrets(e.ctx, &cip.ListUserPoolClientSecretsInput{UserPoolId: pool, ClientId: c.ClientId})
	if err != nil {
		t.Fatal(err)
	}
	if len(secrets.ClientSecrets) != 0 {
		t.Errorf("client without a secret lists %d secrets", len(secrets.ClientSecrets))
	}
}

// fullClientInput sets every member of CreateUserPoolClientInput.
func fullClientInput(pool *string) *cip.CreateUserPoolClientInput {
	return &cip.CreateUserPoolClientInput{
		UserPoolId:           pool,
		ClientName:           aws.String("everything"),
		GenerateSecret:       true,
		RefreshTokenValidity: 90,
		AccessTokenValidity:  aws.Int32(30),
		IdTokenValidity:      aws.Int32(2),
		TokenValidityUnits: &types.TokenValidityUnitsType{RefreshToken: types.TimeUnitsTypeMinutes,
			AccessToken: types.TimeUnitsTypeMinutes, IdToken: types.TimeUnitsTypeHours},
		ReadAttributes:  []string{"email", "email_verified", "name", "custom:tenant"},
		WriteAttributes: []string{"email", "name", "custom:tenant"},
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth,
			types.ExplicitAuthFlowsTypeAllowAdminUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
		SupportedIdentityProviders:      []string{"COGNITO"},
		CallbackURLs:                    []string{"https://app.example.com/callback", "http://localhost:3000/callback"},
		LogoutURLs:                      []string{"https://app.example.com/logout"},
		DefaultRedirectURI:              aws.String("https://app.example.com/callback"),
		AllowedOAuthFlows:               []types.OAuthFlowType{types.OAuthFlowTypeCode, types.OAuthFlowTypeImplicit},
		AllowedOAuthScopes:              []string{"openid", "email", "profile", "aws.cognito.signin.user.admin", "api/read"},
		AllowedOAuthFlowsUserPoolClient: true,
		AnalyticsConfiguration: &types.AnalyticsConfigurationType{
			ApplicationArn: aws.String("arn:aws:mobiletargeting:us-east-1:000000000000:apps/abcdef0123456789"), UserDataShared: true},
		PreventUserExistenceErrors:               types.PreventUserExistenceErrorTypesEnabled,
		EnableTokenRevocation:                    aws.Bool(false),
		EnablePropagateAdditionalUserContextData: aws.Bool(true),
		AuthSessionValidity:                      aws.Int32(10),
		RefreshTokenRotation: &types.RefreshTokenRotationType{Feature: types.FeatureTypeEnabled,
			RetryGracePeriodSeconds: aws.Int32(30)},
	}
}

// TestUserPoolClientRoundTripsEveryField sets every member of CreateUserPoolClientInput and reads
// each back through DescribeUserPoolClient.
func TestUserPoolClientRoundTripsEveryField(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	pool := e.clientPool()
	in := fullClientInput(pool)
	c := e.createClient(in)
	if !clientIDRE.MatchString(aws.ToString(c.ClientId)) {
		t.Errorf("client id %q is not 26 lowercase alphanumerics", aws.ToString(c.ClientId))
	}
	if aws.ToString(c.ClientSecret) == "" {
		t.Fatal("GenerateSecret did not return a secret")
	}
	out, err := e.c.DescribeUserPoolClient(e.ctx, &cip.DescribeUserPoolClientInput{UserPoolId: pool, ClientId: c.ClientId})
	if err != nil {
		t.Fatal(err)
	}
	d := out.UserPoolClient
	sameJSON(t, "CreateUserPoolClient and DescribeUserPoolClient", d, c)
	if aws.ToString(d.ClientSecret) != aws.ToString(c.ClientSecret) {
		t.Error("DescribeUserPoolClient does not return the client secret")
	}
	want := &types.UserPoolClientType{
		UserPoolId: pool, ClientName: in.ClientName, ClientId: c.ClientId, ClientSecret: c.ClientSecret,
		CreationDate: c.CreationDate, LastModifiedDate: c.LastModifiedDate,
		RefreshTokenValidity: in.RefreshTokenValidity, AccessTokenValidity: in.AccessTokenValidity, IdTokenValidity: in.IdTokenValidity,
		TokenValidityUnits: in.TokenValidityUnits, ReadAttributes: in.ReadAttributes, WriteAttributes: in.WriteAttributes,
		ExplicitAuthFlows: in.ExplicitAuthFlows, SupportedIdentityProviders: in.SupportedIdentityProviders,
		CallbackURLs: in.CallbackURLs, LogoutURLs: in.LogoutURLs, DefaultRedirectURI: in.DefaultRedirectURI,
		AllowedOAuthFlows: in.AllowedOAuthFlows, AllowedOAuthScopes: in.AllowedOAuthScopes,
		AllowedOAuthFlowsUserPoolClient: aws.Bool(true), AnalyticsConfiguration: in.AnalyticsConfiguration,
		PreventUserExistenceErrors: in.PreventUserExistenceErrors, EnableTokenRevocation: aws.Bool(false),
		EnablePropagateAdditionalUserContextData: aws.Bool(true), AuthSessionValidity: in.AuthSessionValidity,
		RefreshTokenRotation: in.RefreshTokenRotation,
	}
	sameJSON(t, "every field", d, want)

	// UpdateUserPoolClient sets what it gives and returns the rest to the defaults.
	upd, err := e.c.UpdateUserPoolClient(e.ctx, &cip.UpdateUserPoolClientInput{UserPoolId: pool, ClientId: c.ClientId,
		ClientName: aws.String("renamed"), ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth,
			types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
		AccessTokenValidity: aws.Int32(1), TokenValidityUnits: &types.TokenValidityUnitsType{AccessToken: types.TimeUnitsTypeDays}})
	if err != nil {
		t.Fatal(err)
	}
	u := upd.UserPoolClient
	if aws.ToString(u.ClientName) != "renamed" || aws.ToInt32(u.AccessTokenValidity) != 1 || u.TokenValidityUnits.AccessToken != types.TimeUnitsTypeDays {
		t.Errorf("update did not set name %q / access validity %d %s", aws.ToString(u.ClientName), aws.ToInt32(u.AccessTokenValidity), u.TokenValidityUnits.AccessToken)
	}
	sameSet(t, "ExplicitAuthFlows", u.ExplicitAuthFlows, types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth)
	if u.RefreshTokenValidity != 30 || u.IdTokenValidity != nil || len(u.CallbackURLs) != 0 || len(u.LogoutURLs) != 0 ||
		len(u.AllowedOAuthFlows) != 0 || len(u.AllowedOAuthScopes) != 0 || aws.ToBool(u.AllowedOAuthFlowsUserPoolClient) ||
		len(u.ReadAttributes) != 0 || len(u.WriteAttributes) != 0 || !aws.ToBool(u.EnableTokenRevocation) ||
		aws.ToInt32(u.AuthSessionValidity) != 3 || u.RefreshTokenRotation != nil || u.AnalyticsConfiguration != nil {
		t.Errorf("settings the update left out were not reset: %+v", u)
	}
	if aws.ToString(u.ClientSecret) != aws.ToString(c.ClientSecret) || !u.CreationDate.Equal(aws.ToTime(c.CreationDate)) {
		t.Error("update changed the secret or the creation date")
	}
	if u.LastModifiedDate.Before(aws.ToTime(c.LastModifiedDate)) {
		t.Error("LastModifiedDate went back")
	}
	out, err = e.c.DescribeUserPoolClient(e.ctx, &cip.DescribeUserPoolClientInput{UserPoolId: pool, ClientId: c.ClientId})
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "DescribeUserPoolClient after update", out.UserPoolClient, u)
}

func TestUserPoolClientValidation(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	pool := e.clientPool()
	for _, tc := range []struct {
		name      string
		in        cip.CreateUserPoolClientInput
		code, msg string
	}{
		{"legacy and ALLOW_ auth flows together", cip.CreateUserPoolClientInput{ExplicitAuthFlows: []types.ExplicitAuthFlowsType{
			types.ExplicitAuthFlowsTypeUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}}, "InvalidParameterException", ""},
		{"access token valid under 5 minutes", cip.CreateUserPoolClientInput{AccessTokenValidity: aws.Int32(4),
			TokenValidityUnits: &types.TokenValidityUnitsType{AccessToken: types.TimeUnitsTypeMinutes}}, "InvalidParameterException", ""},
		{"access token valid over a day", cip.CreateUserPoolClientInput{AccessTokenValidity: aws.Int32(25)}, "InvalidParameterException", ""},
		{"ID token valid over a day", cip.CreateUserPoolClientInput{IdTokenValidity: aws.Int32(2),
			TokenValidityUnits: &types.TokenValidityUnitsType{IdToken: types.TimeUnitsTypeDays}}, "InvalidParameterException", ""},
		{"refresh token valid under an hour", cip.CreateUserPoolClientInput{RefreshTokenValidity: 59,
			TokenValidityUnits: &types.TokenValidityUnitsType{RefreshToken: types.TimeUnitsTypeMinutes}}, "InvalidParameterException", ""},
		{"refresh token valid over ten years", cip.CreateUserPoolClientInput{RefreshTokenValidity: 3651}, "InvalidParameterException", ""},
		{"unknown read attribute", cip.CreateUserPoolClientInput{ReadAttributes: []string{"custom:nope"}},
			"InvalidParameterException", "Invalid read attributes specified while creating a client"},
		{"unknown write attribute", cip.CreateUserPoolClientInput{WriteAttributes: []string{"email", "custom:nope"}},
			"InvalidParameterException", "Invalid write attributes specified while creating a client"},
		{"writing an immutable attribute", cip.CreateUserPoolClientInput{WriteAttributes: []string{"sub"}},
			"InvalidParameterException", "Invalid write attributes specified while creating a client"},
		{"client_credentials without a secret", cip.CreateUserPoolClientInput{AllowedOAuthFlowsUserPoolClient: true,
			AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials}, AllowedOAuthScopes: []string{"api/read"}},
			"InvalidOAuthFlowException", "client_credentials flow can not be selected if client does not have a client secret."},
		{"client_credentials with code", cip.CreateUserPoolClientInput{AllowedOAuthFlowsUserPoolClient: true, GenerateSecret: true,
			AllowedOAuthFlows:  []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials, types.OAuthFlowTypeCode},
			AllowedOAuthScopes: []string{"api/read"}, CallbackURLs: []string{"https://example.com/cb"}}, "InvalidOAuthFlowException", ""},
		{"unknown custom scope", cip.CreateUserPoolClientInput{AllowedOAuthFlowsUserPoolClient: true, GenerateSecret: true,
			AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials}, AllowedOAuthScopes: []string{"api/delete"}},
			"ScopeDoesNotExistException", "Invalid scope requested: api/delete"},
		{"scope of an unknown resource server", cip.CreateUserPoolClientInput{AllowedOAuthFlowsUserPoolClient: true, GenerateSecret: true,
			AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials}, AllowedOAuthScopes: []string{"other/read"}},
			"ScopeDoesNotExistException", "Invalid scope requested: other/read"},
		{"default redirect that is not a callback", cip.CreateUserPoolClientInput{CallbackURLs: []string{"https://example.com/cb"},
			DefaultRedirectURI: aws.String("https://example.com/other")}, "InvalidParameterException", ""},
		{"unknown identity provider", cip.CreateUserPoolClientInput{SupportedIdentityProviders: []string{"Google"}}, "InvalidParameterException", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.UserPoolId, in.ClientName = pool, aws.String("invalid")
			_, err := e.c.CreateUserPoolClient(e.ctx, &in)
			testenv.WantError(t, err, tc.code, tc.msg)
		})
	}
	list, err := e.c.ListUserPoolClients(e.ctx, &cip.ListUserPoolClientsInput{UserPoolId: pool})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.UserPoolClients) != 0 {
		t.Errorf("refused requests created %d clients", len(list.UserPoolClients))
	}

	// Edge values that are allowed.
	ok := e.createClient(&cip.CreateUserPoolClientInput{UserPoolId: pool, ClientName: aws.String("edges"),
		AccessTokenValidity: aws.Int32(5), IdTokenValidity: aws.Int32(1), RefreshTokenValidity: 3650,
		TokenValidityUnits: &types.TokenValidityUnitsType{AccessToken: types.TimeUnitsTypeMinutes, IdToken: types.TimeUnitsTypeDays}})
	if aws.ToInt32(ok.AccessTokenValidity) != 5 || aws.ToInt32(ok.IdTokenValidity) != 1 || ok.RefreshTokenValidity != 3650 {
		t.Errorf("edge validities = %d, %d, %d", aws.ToInt32(ok.AccessTokenValidity), aws.ToInt32(ok.IdTokenValidity), ok.RefreshTokenValidity)
	}
	legacy := e.createClient(&cip.CreateUserPoolClientInput{UserPoolId: pool, ClientName: aws.String("legacy"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAdminNoSrpAuth, types.ExplicitAuthFlowsTypeUserPasswordAuth}})
	sameSet(t, "legacy flows", legacy.ExplicitAuthFlows, types.ExplicitAuthFlowsTypeAdminNoSrpAuth, types.ExplicitAuthFlowsTypeUserPasswordAuth)

	// A machine client: client_credentials with a secret and a resource-server scope.
	m2m := e.createClient(&cip.CreateUserPoolClientInput{UserPoolId: pool, ClientName: aws.String("m2m"), GenerateSecret: true,
		AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials},
		AllowedOAuthScopes: []string{"api/read", "api/write"}})
	sameJSON(t, "machine client scopes", m2m.AllowedOAuthScopes, []string{"api/read", "api/write"})

	// The same rules hold on update.
	_, err = e.c.UpdateUserPoolClient(e.ctx, &cip.UpdateUserPoolClientInput{UserPoolId: pool, ClientId: legacy.ClientId,
		ReadAttributes: []string{"custom:nope"}})
	testenv.WantError(t, err, "InvalidParameterException", "Invalid read attributes specified while updating a client")
	_, err = e.c.UpdateUserPoolClient(e.ctx, &cip.UpdateUserPoolClientInput{UserPoolId: pool, ClientId: legacy.ClientId,
		AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials},
		AllowedOAuthScopes: []string{"api/read"}})
	testenv.WantError(t, err, "InvalidOAuthFlowException", "client_credentials flow can not be selected if client does not have a client secret.")
	_, err = e.c.UpdateUserPoolClient(e.ctx, &cip.UpdateUserPoolClientInput{UserPoolId: pool, ClientId: m2m.ClientId,
		AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials},
		AllowedOAuthScopes: []string{"api/admin"}})
	testenv.WantError(t, err, "ScopeDoesNotExistException", "Invalid scope requested: api/admin")
}

func TestListUserPoolClientsPagination(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	pool := aws.String(e.pool("many-clients"))
	other := aws.String(e.pool("other"))
	e.createClient(&cip.CreateUserPoolClientInput{UserPoolId: other, ClientName: aws.String("elsewhere")})
	want := map[string]string{}
	for _, name := range []string{"a", "b", "c", "d", "e"} {
		c := e.createClient(&cip.CreateUserPoolClientInput{UserPoolId: pool, ClientName: aws.String("client-" + name)})
		want[aws.ToString(c.ClientId)] = "client-" + name
	}
	got := map[string]string{}
	pages := 0
	for pg := cip.NewListUserPoolClientsPaginator(e.c, &cip.ListUserPoolClientsInput{UserPoolId: pool, MaxResults: aws.Int32(2)}); pg.HasMorePages(); {
		out, err := pg.NextPage(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if len(out.UserPoolClients) > 2 {
			t.Errorf("page of %d clients, MaxResults was 2", len(out.UserPoolClients))
		}
		for _, c := range out.UserPoolClients {
			if aws.ToString(c.UserPoolId) != aws.ToString(pool) {
				t.Errorf("client %s of pool %s listed", aws.ToString(c.ClientId), aws.ToString(c.UserPoolId))
			}
			got[aws.ToString(c.ClientId)] = aws.ToString(c.ClientName)
		}
	}
	if pages != 3 {
		t.Errorf("5 clients in pages of 2 took %d pages, want 3", pages)
	}
	sameJSON(t, "listed clients", got, want)
	_, err := e.c.ListUserPoolClients(e.ctx, &cip.ListUserPoolClientsInput{UserPoolId: pool, MaxResults: aws.Int32(61)})
	testenv.WantError(t, err, "InvalidParameterException",
		"1 validation error detected: Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60")
	_, err = e.c.ListUserPoolClients(e.ctx, &cip.ListUserPoolClientsInput{UserPoolId: aws.String(unknownPool)})
	testenv.WantError(t, err, "ResourceNotFoundException", "User pool "+unknownPool+" does not exist.")
}

func TestDeleteUserPoolClient(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	pool := aws.String(e.pool("delete-client"))
	c := e.createClient(&cip.CreateUserPoolClientInput{UserPoolId: pool, ClientName: aws.String("gone")})
	keep := e.createClient(&cip.CreateUserPoolClientInput{UserPoolId: pool, ClientName: aws.String("kept")})
	if _, err := e.c.DeleteUserPoolClient(e.ctx, &cip.DeleteUserPoolClientInput{UserPoolId: pool, ClientId: c.ClientId}); err != nil {
		t.Fatal(err)
	}
	notFound := "User pool client " + aws.ToString(c.ClientId) + " does not exist."
	_, err := e.c.DescribeUserPoolClient(e.ctx, &cip.DescribeUserPoolClientInput{UserPoolId: pool, ClientId: c.ClientId})
	testenv.WantError(t, err, "ResourceNotFoundException", notFound)
	_, err = e.c.DeleteUserPoolClient(e.ctx, &cip.DeleteUserPoolClientInput{UserPoolId: pool, ClientId: c.ClientId})
	testenv.WantError(t, err, "ResourceNotFoundException", notFound)
	_, err = e.c.SignUp(e.ctx, &cip.SignUpInput{ClientId: c.ClientId, Username: aws.String("x"), Password: aws.String("Passw0rd!")})
	testenv.WantError(t, err, "ResourceNotFoundException", notFound)
	list, err := e.c.ListUserPoolClients(e.ctx, &cip.ListUserPoolClientsInput{UserPoolId: pool})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.UserPoolClients) != 1 || aws.ToString(list.UserPoolClients[0].ClientId) != aws.ToString(keep.ClientId) {
		t.Errorf("ListUserPoolClients after delete = %+v", list.UserPoolClients)
	}
}

// TestUnknownPoolAndClient checks AWS's messages for ids that do not exist, and that a client is
// only found through its own pool.
func TestUnknownPoolAndClient(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	pool := aws.String(e.pool("known"))
	other := aws.String(e.pool("other"))
	c := e.createClient(&cip.CreateUserPoolClientInput{UserPoolId: pool, ClientName: aws.String("web")})
	const unknownClient = "1example23456789"
	poolMsg := "User pool " + unknownPool + " does not exist."
	clientMsg := "User pool client " + unknownClient + " does not exist."

	_, err := e.c.DescribeUserPool(e.ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(unknownPool)})
	testenv.WantError(t, err, "ResourceNotFoundException", poolMsg)
	_, err = e.c.CreateUserPoolClient(e.ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(unknownPool), ClientName: aws.String("x")})
	testenv.WantError(t, err, "ResourceNotFoundException", poolMsg)
	_, err = e.c.DescribeUserPoolClient(e.ctx, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(unknownPool), ClientId: c.ClientId})
	testenv.WantError(t, err, "ResourceNotFoundException", poolMsg)
	_, err = e.c.DescribeUserPoolClient(e.ctx, &cip.DescribeUserPoolClientInput{UserPoolId: pool, ClientId: aws.String(unknownClient)})
	testenv.WantError(t, err, "ResourceNotFoundException", clientMsg)
	_, err = e.c.DescribeUserPoolClient(e.ctx, &cip.DescribeUserPoolClientInput{UserPoolId: other, ClientId: c.ClientId})
	testenv.WantError(t, err, "ResourceNotFoundException", "User pool client "+aws.ToString(c.ClientId)+" does not exist.")
	_, err = e.c.UpdateUserPoolClient(e.ctx, &cip.UpdateUserPoolClientInput{UserPoolId: pool, ClientId: aws.String(unknownClient)})
	testenv.WantError(t, err, "ResourceNotFoundException", clientMsg)
	_, err = e.c.DeleteUserPoolClient(e.ctx, &cip.DeleteUserPoolClientInput{UserPoolId: pool, ClientId: aws.String(unknownClient)})
	testenv.WantError(t, err, "ResourceNotFoundException", clientMsg)
	_, err = e.c.SignUp(e.ctx, &cip.SignUpInput{ClientId: aws.String(unknownClient), Username: aws.String("x"), Password: aws.String("Passw0rd!")})
	testenv.WantError(t, err, "ResourceNotFoundException", clientMsg)
}

func TestUserPoolClientSecrets(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	pool := aws.String(e.pool("secrets"))
	c := e.createClient(&cip.CreateUserPoolClientInput{UserPoolId: pool, ClientName: aws.String("rotating"), GenerateSecret: true})
	list := func() []types.ClientSecretDescriptorType {
		t.Helper()
		out, err := e.c.ListUserPoolClientSecrets(e.ctx, &cip.ListUserPoolClientSecretsInput{UserPoolId: pool, ClientId: c.ClientId})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range out.ClientSecrets {
			if s.ClientSecretValue != nil {
				t.Errorf("ListUserPoolClientSecrets shows the value of %s", aws.ToString(s.ClientSecretId))
			}
			if aws.ToString(s.ClientSecretId) == "" || s.ClientSecretCreateDate == nil || s.ClientSecretCreateDate.IsZero() {
				t.Errorf("secret descriptor %+v lacks an id or a date", s)
			}
		}
		return out.ClientSecrets
	}
	first := list()
	if len(first) != 1 {
		t.Fatalf("a client made with GenerateSecret lists %d secrets, want 1", len(first))
	}

	added, err := e.c.AddUserPoolClientSecret(e.ctx, &cip.AddUserPoolClientSecretInput{UserPoolId: pool, ClientId: c.ClientId})
	if err != nil {
		t.Fatal(err)
	}
	d := added.ClientSecretDescriptor
	if aws.ToString(d.ClientSecretValue) == "" || aws.ToString(d.ClientSecretId) == "" || d.ClientSecretCreateDate == nil {
		t.Fatalf("AddUserPoolClientSecret = %+v", d)
	}
	if aws.ToString(d.ClientSecretValue) == aws.ToString(c.ClientSecret) || aws.ToString(d.ClientSecretId) == aws.ToString(first[0].ClientSecretId) {
		t.Error("the new secret repeats the first one")
	}
	two := list()
	if len(two) != 2 {
		t.Fatalf("%d secrets after adding one, want 2", len(two))
	}
	ids := []string{aws.ToString(two[0].ClientSecretId), aws.ToString(two[1].ClientSecretId)}
	sameSet(t, "secret ids", ids, aws.ToString(first[0].ClientSecretId), aws.ToString(d.ClientSecretId))

	_, err = e.c.AddUserPoolClientSecret(e.ctx, &cip.AddUserPoolClientSecretInput{UserPoolId: pool, ClientId: c.ClientId,
		ClientSecret: aws.String("aThirdSecretThatIsLongEnough0123456789")})
	testenv.WantError(t, err, "LimitExceededException", "")

	// Retire the original secret: the client now authenticates with the added one.
	if _, err := e.c.DeleteUserPoolClientSecret(e.ctx, &cip.DeleteUserPoolClientSecretInput{UserPoolId: pool, ClientId: c.ClientId,
		ClientSecretId: first[0].ClientSecretId}); err != nil {
		t.Fatal(err)
	}
	one := list()
	if len(one) != 1 || aws.ToString(one[0].ClientSecretId) != aws.ToString(d.ClientSecretId) {
		t.Fatalf("secrets after deleting the first = %+v", one)
	}
	desc, err := e.c.DescribeUserPoolClient(e.ctx, &cip.DescribeUserPoolClientInput{UserPoolId: pool, ClientId: c.ClientId})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(desc.UserPoolClient.ClientSecret) != aws.ToString(d.ClientSecretValue) {
		t.Error("DescribeUserPoolClient does not show the remaining secret")
	}

	// A secret may also be given; it is returned as given.
	given := "givenSecret0123456789abcdefghijklmnopqrstuvwxyz"
	added, err = e.c.AddUserPoolClientSecret(e.ctx, &cip.AddUserPoolClientSecretInput{UserPoolId: pool, ClientId: c.ClientId,
		ClientSecret: aws.String(given)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(added.ClientSecretDescriptor.ClientSecretValue) != given {
		t.Errorf("given secret came back as %q", aws.ToString(added.ClientSecretDescriptor.ClientSecretValue))
	}

	_, err = e.c.DeleteUserPoolClientSecret(e.ctx, &cip.DeleteUserPoolClientSecretInput{UserPoolId: pool, ClientId: c.ClientId,
		ClientSecretId: first[0].ClientSecretId})
	testenv.WantError(t, err, "ResourceNotFoundException", "")
	_, err = e.c.DeleteUserPoolClientSecret(e.ctx, &cip.DeleteUserPoolClientSecretInput{UserPoolId: pool, ClientId: c.ClientId,
		ClientSecretId: aws.String("no-such-secret")})
	testenv.WantError(t, err, "ResourceNotFoundException", "")
	_, err = e.c.ListUserPoolClientSecrets(e.ctx, &cip.ListUserPoolClientSecretsInput{UserPoolId: pool, ClientId: aws.String("1example23456789")})
	testenv.WantError(t, err, "ResourceNotFoundException", "User pool client 1example23456789 does not exist.")
	_, err = e.c.AddUserPoolClientSecret(e.ctx, &cip.AddUserPoolClientSecretInput{UserPoolId: aws.String(unknownPool), ClientId: c.ClientId})
	testenv.WantError(t, err, "ResourceNotFoundException", "User pool "+unknownPool+" does not exist.")

	// A client made without a secret can get one.
	plain := e.createClient(&cip.CreateUserPoolClientInput{UserPoolId: pool, ClientName: aws.String("plain")})
	if _, err := e.c.AddUserPoolClientSecret(e.ctx, &cip.AddUserPoolClientSecretInput{UserPoolId: pool, ClientId: plain.ClientId}); err != nil {
		t.Fatal(err)
	}
	desc, err = e.c.DescribeUserPoolClient(e.ctx, &cip.DescribeUserPoolClientInput{UserPoolId: pool, ClientId: plain.ClientId})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(desc.UserPoolClient.ClientSecret) == "" {
		t.Error("client given a secret by AddUserPoolClientSecret shows none")
	}
}
