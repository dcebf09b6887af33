package cognitoidp

import (
	"context"

	"github.com/gatehouse-dev/gatehouse/internal/awsproto"
	"github.com/gatehouse-dev/gatehouse/internal/cognito"
)

// TargetPrefix is the X-Amz-Target prefix of the user-pool API.
const TargetPrefix = "AWSCognitoIdentityProviderService"

// SigningName is the SigV4 service name of the user-pool API.
const SigningName = "cognito-idp"

// Service returns the awsproto description of the user-pool API served by svc. anonymous
// reports whether AWS serves an operation without SigV4 (the model's authtype "none").
func Service(svc *cognito.Service, validator awsproto.Validator, anonymous func(op string) bool) *awsproto.JSONService {
	h := handlers{svc}
	ops := map[string]awsproto.HandlerFunc{
		// pools
		"CreateUserPool":        awsproto.Handle(h.createUserPool),
		"DescribeUserPool":      awsproto.Handle(h.describeUserPool),
		"ListUserPools":         awsproto.Handle(h.listUserPools),
		"UpdateUserPool":        awsproto.Handle(h.updateUserPool),
		"DeleteUserPool":        awsproto.Handle(h.deleteUserPool),
		"AddCustomAttributes":   awsproto.Handle(h.addCustomAttributes),
		"GetUserPoolMfaConfig":  awsproto.Handle(h.getUserPoolMfaConfig),
		"SetUserPoolMfaConfig":  awsproto.Handle(h.setUserPoolMfaConfig),
		"GetSigningCertificate": awsproto.Handle(h.getSigningCertificate),
		"TagResource":           awsproto.Handle(h.tagResource),
		"UntagResource":         awsproto.Handle(h.untagResource),
		"ListTagsForResource":   awsproto.Handle(h.listTagsForResource),
		// app clients
		"CreateUserPoolClient":       awsproto.Handle(h.createUserPoolClient),
		"DescribeUserPoolClient":     awsproto.Handle(h.describeUserPoolClient),
		"ListUserPoolClients":        awsproto.Handle(h.listUserPoolClients),
		"UpdateUserPoolClient":       awsproto.Handle(h.updateUserPoolClient),
		"DeleteUserPoolClient":       awsproto.Handle(h.deleteUserPoolClient),
		"AddUserPoolClientSecret":    awsproto.Handle(h.addUserPoolClientSecret),
		"ListUserPoolClientSecrets":  awsproto.Handle(h.listUserPoolClientSecrets),
		"DeleteUserPoolClientSecret": awsproto.Handle(h.deleteUserPoolClientSecret),
		// users (admin)
		"AdminCreateUser":           awsproto.Handle(h.adminCreateUser),
		"AdminGetUser":              awsproto.Handle(h.adminGetUser),
		"AdminDeleteUser":           awsproto.Handle(h.adminDeleteUser),
		"AdminUpdateUserAttributes": awsproto.Handle(h.adminUpdateUserAttributes),
		"AdminDeleteUserAttributes": awsproto.Handle(h.adminDeleteUserAttributes),
		"AdminEnableUser":           awsproto.Handle(h.adminEnableUser),
		"AdminDisableUser":          awsproto.Handle(h.adminDisableUser),
		"AdminSetUserPassword":      awsproto.Handle(h.adminSetUserPassword),
		"AdminConfirmSignUp":        awsproto.Handle(h.adminConfirmSignUp),
		"AdminResetUserPassword":    awsproto.Handle(h.adminResetUserPassword),
		"ListUsers":                 awsproto.Handle(h.listUsers),
		// self-service
		"SignUp":                 awsproto.Handle(h.signUp),
		"ConfirmSignUp":          awsproto.Handle(h.confirmSignUp),
		"ResendConfirmationCode": awsproto.Handle(h.resendConfirmationCode),
		"ForgotPassword":         awsproto.Handle(h.forgotPassword),
		"ConfirmForgotPassword":  awsproto.Handle(h.confirmForgotPassword),
		// sign-in
		"InitiateAuth":                awsproto.Handle(h.initiateAuth),
		"AdminInitiateAuth":           awsproto.Handle(h.adminInitiateAuth),
		"RespondToAuthChallenge":      awsproto.Handle(h.respondToAuthChallenge),
		"AdminRespondToAuthChallenge": awsproto.Handle(h.adminRespondToAuthChallenge),
		"GetTokensFromRefreshToken":   awsproto.Handle(h.getTokensFromRefreshToken),
		// MFA
		"AssociateSoftwareToken":    awsproto.Handle(h.associateSoftwareToken),
		"VerifySoftwareToken":       awsproto.Handle(h.verifySoftwareToken),
		"SetUserMFAPreference":      awsproto.Handle(h.setUserMFAPreference),
		"AdminSetUserMFAPreference": awsproto.Handle(h.adminSetUserMFAPreference),
		"SetUserSettings":           awsproto.Handle(h.setUserSettings),
		"AdminSetUserSettings":      awsproto.Handle(h.adminSetUserSettings),
		// the signed-in user (access token)
		"GetUser":                          awsproto.Handle(h.getUser),
		"ChangePassword":                   awsproto.Handle(h.changePassword),
		"UpdateUserAttributes":             awsproto.Handle(h.updateUserAttributes),
		"DeleteUserAttributes":             awsproto.Handle(h.deleteUserAttributes),
		"DeleteUser":                       awsproto.Handle(h.deleteUser),
		"GlobalSignOut":                    awsproto.Handle(h.globalSignOut),
		"AdminUserGlobalSignOut":           awsproto.Handle(h.adminUserGlobalSignOut),
		"RevokeToken":                      awsproto.Handle(h.revokeToken),
		"GetUserAttributeVerificationCode": awsproto.Handle(h.getUserAttributeVerificationCode),
		"VerifyUserAttribute":              awsproto.Handle(h.verifyUserAttribute),
		// groups
		"CreateGroup":              awsproto.Handle(h.createGroup),
		"GetGroup":                 awsproto.Handle(h.getGroup),
		"ListGroups":               awsproto.Handle(h.listGroups),
		"UpdateGroup":              awsproto.Handle(h.updateGroup),
		"DeleteGroup":              awsproto.Handle(h.deleteGroup),
		"AdminAddUserToGroup":      awsproto.Handle(h.adminAddUserToGroup),
		"AdminRemoveUserFromGroup": awsproto.Handle(h.adminRemoveUserFromGroup),
		"AdminListGroupsForUser":   awsproto.Handle(h.adminListGroupsForUser),
		"ListUsersInGroup":         awsproto.Handle(h.listUsersInGroup),
		// resource servers
		"CreateResourceServer":   awsproto.Handle(h.createResourceServer),
		"DescribeResourceServer": awsproto.Handle(h.describeResourceServer),
		"ListResourceServers":    awsproto.Handle(h.listResourceServers),
		"UpdateResourceServer":   awsproto.Handle(h.updateResourceServer),
		"DeleteResourceServer":   awsproto.Handle(h.deleteResourceServer),
		// domains
		"CreateUserPoolDomain":   awsproto.Handle(h.createUserPoolDomain),
		"DescribeUserPoolDomain": awsproto.Handle(h.describeUserPoolDomain),
		"UpdateUserPoolDomain":   awsproto.Handle(h.updateUserPoolDomain),
		"DeleteUserPoolDomain":   awsproto.Handle(h.deleteUserPoolDomain),
	}
	s := &awsproto.JSONService{TargetPrefix: TargetPrefix, SigningName: SigningName, Validator: validator,
		Operations: map[string]awsproto.Operation{}}
	for name, fn := range ops {
		s.Operations[name] = awsproto.Operation{Handler: fn, Anonymous: anonymous != nil && anonymous(name)}
	}
	return s
}

type handlers struct{ svc *cognito.Service }

type empty struct{}

// Requests and responses of operations whose domain method takes plain arguments.

type poolIDInput struct {
	UserPoolId string `json:"UserPoolId"`
}

type userPoolOutput struct {
	UserPool *cognito.UserPool `json:"UserPool"`
}

func (h handlers) createUserPool(ctx context.Context, in *cognito.CreateUserPoolInput) (*userPoolOutput, error) {
	p, err := h.svc.CreateUserPool(ctx, in)
	if err != nil {
		return nil, err
	}
	return &userPoolOutput{p}, nil
}

func (h handlers) describeUserPool(ctx context.Context, in *poolIDInput) (*userPoolOutput, error) {
	p, err := h.svc.DescribeUserPool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	return &userPoolOutput{p}, nil
}

type listUserPoolsInput struct {
	NextToken  string `json:"NextToken,omitempty"`
	MaxResults int    `json:"MaxResults"`
}

type listUserPoolsOutput struct {
	UserPools []cognito.UserPoolDescription `json:"UserPools"`
	NextToken string                        `json:"NextToken,omitempty"`
}

func (h handlers) listUserPools(ctx context.Context, in *listUserPoolsInput) (*listUserPoolsOutput, error) {
	pools, next, err := h.svc.ListUserPools(ctx, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	if pools == nil {
		pools = []cognito.UserPoolDescription{}
	}
	return &listUserPoolsOutput{pools, next}, nil
}

func (h handlers) updateUserPool(ctx context.Context, in *cognito.UpdateUserPoolInput) (*empty, error) {
	return nil, h.svc.UpdateUserPool(ctx, in)
}

func (h handlers) deleteUserPool(ctx context.Context, in *poolIDInput) (*empty, error) {
	return nil, h.svc.DeleteUserPool(ctx, in.UserPoolId)
}

type addCustomAttributesInput struct {
	UserPoolId       string                    `json:"UserPoolId"`
	CustomAttributes []cognito.SchemaAttribute `json:"CustomAttributes"`
}

func (h handlers) addCustomAttributes(ctx context.Context, in *addCustomAttributesInput) (*empty, error) {
	return nil, h.svc.AddCustomAttributes(ctx, in.UserPoolId, in.CustomAttributes)
}

func (h handlers) getUserPoolMfaConfig(ctx context.Context, in *poolIDInput) (*cognito.MfaConfig, error) {
	return h.svc.GetUserPoolMfaConfig(ctx, in.UserPoolId)
}

type setMfaConfigInput struct {
	UserPoolId string `json:"UserPoolId"`
	cognito.MfaConfig
}

func (h handlers) setUserPoolMfaConfig(ctx context.Context, in *setMfaConfigInput) (*cognito.MfaConfig, error) {
	return h.svc.SetUserPoolMfaConfig(ctx, in.UserPoolId, in.MfaConfig)
}

type certificateOutput struct {
	Certificate string `json:"Certificate"`
}

func (h handlers) getSigningCertificate(ctx context.Context, in *poolIDInput) (*certificateOutput, error) {
	c, err := h.svc.GetSigningCertificate(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	return &certificateOutput{c}, nil
}

type tagResourceInput struct {
	ResourceArn string            `json:"ResourceArn"`
	Tags        map[string]string `json:"Tags"`
}

func (h handlers) tagResource(ctx context.Context, in *tagResourceInput) (*empty, error) {
	return nil, h.svc.TagResource(ctx, in.ResourceArn, in.Tags)
}

type untagResourceInput struct {
	ResourceArn string   `json:"ResourceArn"`
	TagKeys     []string `json:"TagKeys"`
}

func (h handlers) untagResource(ctx context.Context, in *untagResourceInput) (*empty, error) {
	return nil, h.svc.UntagResource(ctx, in.ResourceArn, in.TagKeys)
}

type resourceArnInput struct {
	ResourceArn string `json:"ResourceArn"`
}

type tagsOutput struct {
	Tags map[string]string `json:"Tags"`
}

func (h handlers) listTagsForResource(ctx context.Context, in *resourceArnInput) (*tagsOutput, error) {
	t, err := h.svc.ListTagsForResource(ctx, in.ResourceArn)
	if err != nil {
		return nil, err
	}
	return &tagsOutput{t}, nil
}

// App clients.

type clientOutput struct {
	UserPoolClient *cognito.Client `json:"UserPoolClient"`
}

func (h handlers) createUserPoolClient(ctx context.Context, in *cognito.CreateClientInput) (*clientOutput, error) {
	c, err := h.svc.CreateUserPoolClient(ctx, in)
	if err != nil {
		return nil, err
	}
	return &clientOutput{c}, nil
}

type clientIDInput struct {
	UserPoolId string `json:"UserPoolId"`
	ClientId   string `json:"ClientId"`
}

func (h handlers) describeUserPoolClient(ctx context.Context, in *clientIDInput) (*clientOutput, error) {
	c, err := h.svc.DescribeUserPoolClient(ctx, in.UserPoolId, in.ClientId)
	if err != nil {
		return nil, err
	}
	return &clientOutput{c}, nil
}

type listClientsInput struct {
	UserPoolId string `json:"UserPoolId"`
	MaxResults int    `json:"MaxResults,omitempty"`
	NextToken  string `json:"NextToken,omitempty"`
}

type listClientsOutput struct {
	UserPoolClients []cognito.ClientDescription `json:"UserPoolClients"`
	NextToken       string                      `json:"NextToken,omitempty"`
}

func (h handlers) listUserPoolClients(ctx context.Context, in *listClientsInput) (*listClientsOutput, error) {
	cs, next, err := h.svc.ListUserPoolClients(ctx, in.UserPoolId, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		cs = []cognito.ClientDescription{}
	}
	return &listClientsOutput{cs, next}, nil
}

func (h handlers) updateUserPoolClient(ctx context.Context, in *cognito.UpdateClientInput) (*clientOutput, error) {
	c, err := h.svc.UpdateUserPoolClient(ctx, in)
	if err != nil {
		return nil, err
	}
	return &clientOutput{c}, nil
}

func (h handlers) deleteUserPoolClient(ctx context.Context, in *clientIDInput) (*empty, error) {
	return nil, h.svc.DeleteUserPoolClient(ctx, in.UserPoolId, in.ClientId)
}

type addSecretInput struct {
	UserPoolId   string `json:"UserPoolId"`
	ClientId     string `json:"ClientId"`
	ClientSecret string `json:"ClientSecret,omitempty"`
}

type addSecretOutput struct {
	ClientSecretDescriptor *cognito.ClientSecretDescriptor `json:"ClientSecretDescriptor"`
}

func (h handlers) addUserPoolClientSecret(ctx context.Context, in *addSecretInput) (*addSecretOutput, error) {
	d, err := h.svc.AddUserPoolClientSecret(ctx, in.UserPoolId, in.ClientId, in.ClientSecret)
	if err != nil {
		return nil, err
	}
	return &addSecretOutput{d}, nil
}

type listSecretsInput struct {
	UserPoolId string `json:"UserPoolId"`
	ClientId   string `json:"ClientId"`
	NextToken  string `json:"NextToken,omitempty"`
}

type listSecretsOutput struct {
	ClientSecrets []cognito.ClientSecretDescriptor `json:"ClientSecrets"`
}

func (h handlers) listUserPoolClientSecrets(ctx context.Context, in *listSecretsInput) (*listSecretsOutput, error) {
	s, err := h.svc.ListUserPoolClientSecrets(ctx, in.UserPoolId, in.ClientId)
	if err != nil {
		return nil, err
	}
	return &listSecretsOutput{s}, nil
}

type deleteSecretInput struct {
	UserPoolId     string `json:"UserPoolId"`
	ClientId       string `json:"ClientId"`
	ClientSecretId string `json:"ClientSecretId"`
}

func (h handlers) deleteUserPoolClientSecret(ctx context.Context, in *deleteSecretInput) (*empty, error) {
	return nil, h.svc.DeleteUserPoolClientSecret(ctx, in.UserPoolId, in.ClientId, in.ClientSecretId)
}

// Users.

type userOutput struct {
	User *cognito.UserView `json:"User"`
}

func (h handlers) adminCreateUser(ctx context.Context, in *cognito.AdminCreateUserInput) (*userOutput, error) {
	u, err := h.svc.AdminCreateUser(ctx, in)
	if err != nil {
		return nil, err
	}
	return &userOutput{u}, nil
}

type adminUserInput struct {
	UserPoolId     string            `json:"UserPoolId"`
	Username       string            `json:"Username"`
	ClientMetadata map[string]string `json:"ClientMetadata,omitempty"`
}

func (h handlers) adminGetUser(ctx context.Context, in *adminUserInput) (*cognito.AdminGetUserOutput, error) {
	return h.svc.AdminGetUser(ctx, in.UserPoolId, in.Username)
}

func (h handlers) adminDeleteUser(ctx context.Context, in *adminUserInput) (*empty, error) {
	return nil, h.svc.AdminDeleteUser(ctx, in.UserPoolId, in.Username)
}

func (h handlers) adminUpdateUserAttributes(ctx context.Context, in *cognito.AdminUpdateUserAttributesInput) (*empty, error) {
	return nil, h.svc.AdminUpdateUserAttributes(ctx, in)
}

type deleteAttributesInput struct {
	UserPoolId         string   `json:"UserPoolId"`
	Username           string   `json:"Username"`
	UserAttributeNames []string `json:"UserAttributeNames"`
}

func (h handlers) adminDeleteUserAttributes(ctx context.Context, in *deleteAttributesInput) (*empty, error) {
	return nil, h.svc.AdminDeleteUserAttributes(ctx, in.UserPoolId, in.Username, in.UserAttributeNames)
}

func (h handlers) adminEnableUser(ctx context.Context, in *adminUserInput) (*empty, error) {
	return nil, h.svc.AdminEnableUser(ctx, in.UserPoolId, in.Username)
}

func (h handlers) adminDisableUser(ctx context.Context, in *adminUserInput) (*empty, error) {
	return nil, h.svc.AdminDisableUser(ctx, in.UserPoolId, in.Username)
}

type setPasswordInput struct {
	UserPoolId string `json:"UserPoolId"`
	Username   string `json:"Username"`
	Password   string `json:"Password"`
	Permanent  bool   `json:"Permanent,omitempty"`
}

func (h handlers) adminSetUserPassword(ctx context.Context, in *setPasswordInput) (*empty, error) {
	return nil, h.svc.AdminSetUserPassword(ctx, in.UserPoolId, in.Username, in.Password, in.Permanent)
}

func (h handlers) adminConfirmSignUp(ctx context.Context, in *adminUserInput) (*empty, error) {
	return nil, h.svc.AdminConfirmSignUp(ctx, in.UserPoolId, in.Username, in.ClientMetadata)
}

func (h handlers) adminResetUserPassword(ctx context.Context, in *adminUserInput) (*empty, error) {
	return nil, h.svc.AdminResetUserPassword(ctx, in.UserPoolId, in.Username, in.ClientMetadata)
}

func (h handlers) listUsers(ctx context.Context, in *cognito.ListUsersInput) (*cognito.ListUsersOutput, error) {
	return h.svc.ListUsers(ctx, in)
}

// Self-service.

func (h handlers) signUp(ctx context.Context, in *cognito.SignUpInput) (*cognito.SignUpOutput, error) {
	return h.svc.SignUp(ctx, in)
}

func (h handlers) confirmSignUp(ctx context.Context, in *cognito.ConfirmSignUpInput) (*empty, error) {
	return nil, h.svc.ConfirmSignUp(ctx, in)
}

type deliveryOutput struct {
	CodeDeliveryDetails *cognito.CodeDeliveryDetails `json:"CodeDeliveryDetails,omitempty"`
}

func (h handlers) resendConfirmationCode(ctx context.Context, in *cognito.ClientUserInput) (*deliveryOutput, error) {
	d, err := h.svc.ResendConfirmationCode(ctx, in)
	if err != nil {
		return nil, err
	}
	return &deliveryOutput{d}, nil
}

func (h handlers) forgotPassword(ctx context.Context, in *cognito.ClientUserInput) (*deliveryOutput, error) {
	d, err := h.svc.ForgotPassword(ctx, in)
	if err != nil {
		return nil, err
	}
	return &deliveryOutput{d}, nil
}

func (h handlers) confirmForgotPassword(ctx context.Context, in *cognito.ConfirmForgotPasswordInput) (*empty, error) {
	return nil, h.svc.ConfirmForgotPassword(ctx, in)
}

// Sign-in.

func (h handlers) initiateAuth(ctx context.Context, in *cognito.InitiateAuthInput) (*cognito.AuthOutput, error) {
	in.UserPoolId = ""
	return h.svc.InitiateAuth(ctx, in, false)
}

func (h handlers) adminInitiateAuth(ctx context.Context, in *cognito.InitiateAuthInput) (*cognito.AuthOutput, error) {
	return h.svc.InitiateAuth(ctx, in, true)
}

func (h handlers) respondToAuthChallenge(ctx context.Context, in *cognito.RespondToAuthChallengeInput) (*cognito.AuthOutput, error) {
	in.UserPoolId = ""
	return h.svc.RespondToAuthChallenge(ctx, in, false)
}

func (h handlers) adminRespondToAuthChallenge(ctx context.Context, in *cognito.RespondToAuthChallengeInput) (*cognito.AuthOutput, error) {
	return h.svc.RespondToAuthChallenge(ctx, in, true)
}

type tokensOutput struct {
	AuthenticationResult *cognito.AuthenticationResult `json:"AuthenticationResult"`
}

func (h handlers) getTokensFromRefreshToken(ctx context.Context, in *cognito.GetTokensFromRefreshTokenInput) (*tokensOutput, error) {
	res, err := h.svc.GetTokensFromRefreshToken(ctx, in)
	if err != nil {
		return nil, err
	}
	return &tokensOutput{res}, nil
}

// MFA.

type softwareTokenInput struct {
	AccessToken        string `json:"AccessToken,omitempty"`
	Session            string `json:"Session,omitempty"`
	UserCode           string `json:"UserCode,omitempty"`
	FriendlyDeviceName string `json:"FriendlyDeviceName,omitempty"`
}

func (h handlers) associateSoftwareToken(ctx context.Context, in *softwareTokenInput) (*cognito.AssociateSoftwareTokenOutput, error) {
	return h.svc.AssociateSoftwareToken(ctx, in.AccessToken, in.Session)
}

func (h handlers) verifySoftwareToken(ctx context.Context, in *softwareTokenInput) (*cognito.VerifySoftwareTokenOutput, error) {
	return h.svc.VerifySoftwareToken(ctx, in.AccessToken, in.Session, in.UserCode, in.FriendlyDeviceName)
}

type setMfaPreferenceInput struct {
	cognito.MfaPreference
	AccessToken string `json:"AccessToken"`
}

func (h handlers) setUserMFAPreference(ctx context.Context, in *setMfaPreferenceInput) (*empty, error) {
	return nil, h.svc.SetUserMFAPreference(ctx, in.AccessToken, &in.MfaPreference)
}

type adminSetMfaPreferenceInput struct {
	cognito.MfaPreference
	UserPoolId string `json:"UserPoolId"`
	Username   string `json:"Username"`
}

func (h handlers) adminSetUserMFAPreference(ctx context.Context, in *adminSetMfaPreferenceInput) (*empty, error) {
	return nil, h.svc.AdminSetUserMFAPreference(ctx, in.UserPoolId, in.Username, &in.MfaPreference)
}

type userSettingsInput struct {
	AccessToken string              `json:"AccessToken"`
	MFAOptions  []cognito.MFAOption `json:"MFAOptions"`
}

func (h handlers) setUserSettings(ctx context.Context, in *userSettingsInput) (*empty, error) {
	return nil, h.svc.SetUserSettings(ctx, in.AccessToken, in.MFAOptions)
}

type adminUserSettingsInput struct {
	UserPoolId string              `json:"UserPoolId"`
	Username   string              `json:"Username"`
	MFAOptions []cognito.MFAOption `json:"MFAOptions"`
}

func (h handlers) adminSetUserSettings(ctx context.Context, in *adminUserSettingsInput) (*empty, error) {
	return nil, h.svc.AdminSetUserSettings(ctx, in.UserPoolId, in.Username, in.MFAOptions)
}

// The signed-in user.

type accessTokenInput struct {
	AccessToken string `json:"AccessToken"`
}

func (h handlers) getUser(ctx context.Context, in *accessTokenInput) (*cognito.GetUserOutput, error) {
	return h.svc.GetUser(ctx, in.AccessToken)
}

type changePasswordInput struct {
	PreviousPassword string `json:"PreviousPassword,omitempty"`
	ProposedPassword string `json:"ProposedPassword"`
	AccessToken      string `json:"AccessToken"`
}

func (h handlers) changePassword(ctx context.Context, in *changePasswordInput) (*empty, error) {
	return nil, h.svc.ChangePassword(ctx, in.AccessToken, in.PreviousPassword, in.ProposedPassword)
}

type updateAttributesInput struct {
	UserAttributes []cognito.Attribute `json:"UserAttributes"`
	AccessToken    string              `json:"AccessToken"`
	ClientMetadata map[string]string   `json:"ClientMetadata,omitempty"`
}

type updateAttributesOutput struct {
	CodeDeliveryDetailsList []cognito.CodeDeliveryDetails `json:"CodeDeliveryDetailsList"`
}

func (h handlers) updateUserAttributes(ctx context.Context, in *updateAttributesInput) (*updateAttributesOutput, error) {
	d, err := h.svc.UpdateUserAttributes(ctx, in.AccessToken, in.UserAttributes, in.ClientMetadata)
	if err != nil {
		return nil, err
	}
	return &updateAttributesOutput{d}, nil
}

type deleteOwnAttributesInput struct {
	UserAttributeNames []string `json:"UserAttributeNames"`
	AccessToken        string   `json:"AccessToken"`
}

func (h handlers) deleteUserAttributes(ctx context.Context, in *deleteOwnAttributesInput) (*empty, error) {
	return nil, h.svc.DeleteUserAttributes(ctx, in.AccessToken, in.UserAttributeNames)
}

func (h handlers) deleteUser(ctx context.Context, in *accessTokenInput) (*empty, error) {
	return nil, h.svc.DeleteUser(ctx, in.AccessToken)
}

func (h handlers) globalSignOut(ctx context.Context, in *accessTokenInput) (*empty, error) {
	return nil, h.svc.GlobalSignOut(ctx, in.AccessToken)
}

func (h handlers) adminUserGlobalSignOut(ctx context.Context, in *adminUserInput) (*empty, error) {
	return nil, h.svc.AdminUserGlobalSignOut(ctx, in.UserPoolId, in.Username)
}

type revokeTokenInput struct {
	Token        string `json:"Token"`
	ClientId     string `json:"ClientId"`
	ClientSecret string `json:"ClientSecret,omitempty"`
}

func (h handlers) revokeToken(ctx context.Context, in *revokeTokenInput) (*empty, error) {
	return nil, h.svc.RevokeToken(ctx, in.Token, in.ClientId, in.ClientSecret)
}

type attributeCodeInput struct {
	AccessToken    string            `json:"AccessToken"`
	AttributeName  string            `json:"AttributeName"`
	Code           string            `json:"Code,omitempty"`
	ClientMetadata map[string]string `json:"ClientMetadata,omitempty"`
}

func (h handlers) getUserAttributeVerificationCode(ctx context.Context, in *attributeCodeInput) (*deliveryOutput, error) {
	d, err := h.svc.GetUserAttributeVerificationCode(ctx, in.AccessToken, in.AttributeName, in.ClientMetadata)
	if err != nil {
		return nil, err
	}
	return &deliveryOutput{d}, nil
}

func (h handlers) verifyUserAttribute(ctx context.Context, in *attributeCodeInput) (*empty, error) {
	return nil, h.svc.VerifyUserAttribute(ctx, in.AccessToken, in.AttributeName, in.Code)
}

// Groups.

type groupOutput struct {
	Group *cognito.Group `json:"Group"`
}

func (h handlers) createGroup(ctx context.Context, in *cognito.GroupInput) (*groupOutput, error) {
	g, err := h.svc.CreateGroup(ctx, in)
	if err != nil {
		return nil, err
	}
	return &groupOutput{g}, nil
}

type groupNameInput struct {
	UserPoolId string `json:"UserPoolId"`
	GroupName  string `json:"GroupName"`
	Username   string `json:"Username,omitempty"`
	Limit      int    `json:"Limit,omitempty"`
	NextToken  string `json:"NextToken,omitempty"`
}

func (h handlers) getGroup(ctx context.Context, in *groupNameInput) (*groupOutput, error) {
	g, err := h.svc.GetGroup(ctx, in.UserPoolId, in.GroupName)
	if err != nil {
		return nil, err
	}
	return &groupOutput{g}, nil
}

type groupsOutput struct {
	Groups    []cognito.Group `json:"Groups"`
	NextToken string          `json:"NextToken,omitempty"`
}

func (h handlers) listGroups(ctx context.Context, in *groupNameInput) (*groupsOutput, error) {
	gs, next, err := h.svc.ListGroups(ctx, in.UserPoolId, in.Limit, in.NextToken)
	if err != nil {
		return nil, err
	}
	return &groupsOutput{gs, next}, nil
}

func (h handlers) updateGroup(ctx context.Context, in *cognito.GroupInput) (*groupOutput, error) {
	g, err := h.svc.UpdateGroup(ctx, in)
	if err != nil {
		return nil, err
	}
	return &groupOutput{g}, nil
}

func (h handlers) deleteGroup(ctx context.Context, in *groupNameInput) (*empty, error) {
	return nil, h.svc.DeleteGroup(ctx, in.UserPoolId, in.GroupName)
}

func (h handlers) adminAddUserToGroup(ctx context.Context, in *groupNameInput) (*empty, error) {
	return nil, h.svc.AdminAddUserToGroup(ctx, in.UserPoolId, in.Username, in.GroupName)
}

func (h handlers) adminRemoveUserFromGroup(ctx context.Context, in *groupNameInput) (*empty, error) {
	return nil, h.svc.AdminRemoveUserFromGroup(ctx, in.UserPoolId, in.Username, in.GroupName)
}

func (h handlers) adminListGroupsForUser(ctx context.Context, in *groupNameInput) (*groupsOutput, error) {
	gs, next, err := h.svc.AdminListGroupsForUser(ctx, in.UserPoolId, in.Username, in.Limit, in.NextToken)
	if err != nil {
		return nil, err
	}
	return &groupsOutput{gs, next}, nil
}

type usersOutput struct {
	Users     []cognito.UserView `json:"Users"`
	NextToken string             `json:"NextToken,omitempty"`
}

func (h handlers) listUsersInGroup(ctx context.Context, in *groupNameInput) (*usersOutput, error) {
	us, next, err := h.svc.ListUsersInGroup(ctx, in.UserPoolId, in.GroupName, in.Limit, in.NextToken)
	if err != nil {
		return nil, err
	}
	return &usersOutput{us, next}, nil
}

// Resource servers.

type resourceServerOutput struct {
	ResourceServer *cognito.ResourceServer `json:"ResourceServer"`
}

func (h handlers) createResourceServer(ctx context.Context, in *cognito.ResourceServer) (*resourceServerOutput, error) {
	rs, err := h.svc.CreateResourceServer(ctx, *in)
	if err != nil {
		return nil, err
	}
	return &resourceServerOutput{rs}, nil
}

type resourceServerInput struct {
	UserPoolId string `json:"UserPoolId"`
	Identifier string `json:"Identifier"`
	MaxResults int    `json:"MaxResults,omitempty"`
	NextToken  string `json:"NextToken,omitempty"`
}

func (h handlers) describeResourceServer(ctx context.Context, in *resourceServerInput) (*resourceServerOutput, error) {
	rs, err := h.svc.DescribeResourceServer(ctx, in.UserPoolId, in.Identifier)
	if err != nil {
		return nil, err
	}
	return &resourceServerOutput{rs}, nil
}

type resourceServersOutput struct {
	ResourceServers []cognito.ResourceServer `json:"ResourceServers"`
	NextToken       string                   `json:"NextToken,omitempty"`
}

func (h handlers) listResourceServers(ctx context.Context, in *resourceServerInput) (*resourceServersOutput, error) {
	rs, next, err := h.svc.ListResourceServers(ctx, in.UserPoolId, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	return &resourceServersOutput{rs, next}, nil
}

func (h handlers) updateResourceServer(ctx context.Context, in *cognito.ResourceServer) (*resourceServerOutput, error) {
	rs, err := h.svc.UpdateResourceServer(ctx, *in)
	if err != nil {
		return nil, err
	}
	return &resourceServerOutput{rs}, nil
}

func (h handlers) deleteResourceServer(ctx context.Context, in *resourceServerInput) (*empty, error) {
	return nil, h.svc.DeleteResourceServer(ctx, in.UserPoolId, in.Identifier)
}

// Domains.

func (h handlers) createUserPoolDomain(ctx context.Context, in *cognito.DomainInput) (*cognito.DomainOutput, error) {
	return h.svc.CreateUserPoolDomain(ctx, in)
}

type domainInput struct {
	Domain     string `json:"Domain"`
	UserPoolId string `json:"UserPoolId,omitempty"`
}

type domainDescriptionOutput struct {
	DomainDescription *cognito.DomainDescription `json:"DomainDescription"`
}

func (h handlers) describeUserPoolDomain(ctx context.Context, in *domainInput) (*domainDescriptionOutput, error) {
	d, err := h.svc.DescribeUserPoolDomain(ctx, in.Domain)
	if err != nil {
		return nil, err
	}
	return &domainDescriptionOutput{d}, nil
}

func (h handlers) updateUserPoolDomain(ctx context.Context, in *cognito.DomainInput) (*cognito.DomainOutput, error) {
	return h.svc.UpdateUserPoolDomain(ctx, in)
}

func (h handlers) deleteUserPoolDomain(ctx context.Context, in *domainInput) (*empty, error) {
	return nil, h.svc.DeleteUserPoolDomain(ctx, in.UserPoolId, in.Domain)
}
