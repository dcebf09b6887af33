package cognitoidp

import (
	"reflect"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/internal/awsmodel"
	"github.com/gatehouse-dev/gatehouse/internal/cognito"
)

// TestTypesMatchModel checks every wire type against AWS's model: no JSON member name that
// AWS does not define (a typo would silently drop a field), and the members we deliberately
// leave out are listed here.
func TestTypesMatchModel(t *testing.T) {
	cases := []struct {
		shape string
		v     any
		// missing lists members of the shape the type is allowed to lack.
		missing []string
	}{
		{"UserPoolType", cognito.UserPool{}, []string{"Status", "SmsConfigurationFailure", "EmailConfigurationFailure"}},
		{"CreateUserPoolRequest", cognito.CreateUserPoolInput{}, nil},
		{"UpdateUserPoolRequest", cognito.UpdateUserPoolInput{}, nil},
		{"UserPoolClientType", cognito.Client{}, nil},
		{"CreateUserPoolClientRequest", cognito.CreateClientInput{}, nil},
		{"UpdateUserPoolClientRequest", cognito.UpdateClientInput{}, nil},
		{"UserType", cognito.UserView{}, nil},
		{"GroupType", cognito.Group{}, nil},
		{"CreateGroupRequest", cognito.GroupInput{}, nil},
		{"ResourceServerType", cognito.ResourceServer{}, nil},
		{"DomainDescriptionType", cognito.DomainDescription{}, nil},
		{"CreateUserPoolDomainRequest", cognito.DomainInput{}, nil},
		{"CreateUserPoolDomainResponse", cognito.DomainOutput{}, nil},
		{"AdminCreateUserRequest", cognito.AdminCreateUserInput{}, nil},
		{"AdminGetUserResponse", cognito.AdminGetUserOutput{}, nil},
		{"AdminUpdateUserAttributesRequest", cognito.AdminUpdateUserAttributesInput{}, nil},
		{"ListUsersRequest", cognito.ListUsersInput{}, nil},
		{"ListUsersResponse", cognito.ListUsersOutput{}, nil},
		{"SignUpRequest", cognito.SignUpInput{}, []string{"AnalyticsMetadata", "UserContextData"}},
		{"SignUpResponse", cognito.SignUpOutput{}, []string{"Session"}},
		{"ConfirmSignUpRequest", cognito.ConfirmSignUpInput{}, []string{"AnalyticsMetadata", "UserContextData"}},
		{"ForgotPasswordRequest", cognito.ClientUserInput{}, []string{"AnalyticsMetadata", "UserContextData"}},
		{"ConfirmForgotPasswordRequest", cognito.ConfirmForgotPasswordInput{}, []string{"AnalyticsMetadata", "UserContextData"}},
		{"GetUserPoolMfaConfigResponse", cognito.MfaConfig{}, nil},
		{"UserPoolDescriptionType", cognito.UserPoolDescription{}, []string{"Status"}},
		{"ClientSecretDescriptorType", cognito.ClientSecretDescriptor{}, nil},
		{"ListUserPoolsResponse", listUserPoolsOutput{}, []string{"Status"}},
		{"ListUserPoolClientsResponse", listClientsOutput{}, nil},
		{"ListGroupsResponse", groupsOutput{}, nil},
		{"ListUsersInGroupResponse", usersOutput{}, nil},
		{"ListResourceServersResponse", resourceServersOutput{}, nil},
		{"AddUserPoolClientSecretResponse", addSecretOutput{}, nil},
		{"ListUserPoolClientSecretsResponse", listSecretsOutput{}, []string{"NextToken"}},
		// The public InitiateAuth and RespondToAuthChallenge requests share the admin variants'
		// structs (whose extra UserPoolId the canonical body never carries for them).
		{"AdminInitiateAuthRequest", cognito.InitiateAuthInput{}, []string{"AnalyticsMetadata", "ContextData"}},
		{"InitiateAuthResponse", cognito.AuthOutput{}, []string{"AvailableChallenges", "NewDeviceMetadata"}},
		{"AdminRespondToAuthChallengeRequest", cognito.RespondToAuthChallengeInput{}, []string{"AnalyticsMetadata", "ContextData"}},
		{"RespondToAuthChallengeResponse", cognito.AuthOutput{}, []string{"NewDeviceMetadata"}},
		{"GetUserResponse", cognito.GetUserOutput{}, nil},
		{"ChangePasswordRequest", changePasswordInput{}, nil},
		{"UpdateUserAttributesRequest", updateAttributesInput{}, nil},
		{"UpdateUserAttributesResponse", updateAttributesOutput{}, nil},
		{"DeleteUserAttributesRequest", deleteOwnAttributesInput{}, nil},
		{"GetTokensFromRefreshTokenRequest", cognito.GetTokensFromRefreshTokenInput{}, nil},
		{"GetTokensFromRefreshTokenResponse", tokensOutput{}, []string{"NewDeviceMetadata"}},
		{"VerifySoftwareTokenRequest", softwareTokenInput{}, nil},
		{"AssociateSoftwareTokenResponse", cognito.AssociateSoftwareTokenOutput{}, nil},
		{"VerifySoftwareTokenResponse", cognito.VerifySoftwareTokenOutput{}, nil},
		{"SetUserMFAPreferenceRequest", setMfaPreferenceInput{}, nil},
		{"AdminSetUserMFAPreferenceRequest", adminSetMfaPreferenceInput{}, nil},
		{"SMSMfaSettingsType", cognito.MfaSettings{}, nil},
		{"SetUserSettingsRequest", userSettingsInput{}, nil},
		{"AdminSetUserSettingsRequest", adminUserSettingsInput{}, nil},
	}
	for _, c := range cases {
		t.Run(c.shape, func(t *testing.T) {
			for _, p := range awsmodel.CheckStruct("cognito-idp", c.shape, reflect.TypeOf(c.v)) {
				if strings.HasPrefix(p, awsmodel.MissingPrefix) {
					allowed := false
					for _, m := range c.missing {
						if strings.Contains(p, m) {
							allowed = true
						}
					}
					if allowed {
						continue
					}
				}
				t.Error(p)
			}
		})
	}
}
