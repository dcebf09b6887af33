package cognito

import (
	"encoding/json"

	"github.com/gatehouse-dev/gatehouse/internal/awsjson"
)

// UserPool is a user pool's configuration as DescribeUserPool returns it (UserPoolType).
// Nested settings the domain does not interpret are kept verbatim as raw JSON so that every
// field a client sets is returned unchanged.
type UserPool struct {
	Id                          string                       `json:"Id"`
	Name                        string                       `json:"Name"`
	Arn                         string                       `json:"Arn,omitempty"`
	Policies                    *UserPoolPolicy              `json:"Policies,omitempty"`
	DeletionProtection          string                       `json:"DeletionProtection,omitempty"`
	LambdaConfig                json.RawMessage              `json:"LambdaConfig,omitempty"`
	LastModifiedDate            awsjson.Time                 `json:"LastModifiedDate"`
	CreationDate                awsjson.Time                 `json:"CreationDate"`
	SchemaAttributes            []SchemaAttribute            `json:"SchemaAttributes,omitempty"`
	AutoVerifiedAttributes      []string                     `json:"AutoVerifiedAttributes,omitempty"`
	AliasAttributes             []string                     `json:"AliasAttributes,omitempty"`
	UsernameAttributes          []string                     `json:"UsernameAttributes,omitempty"`
	SmsVerificationMessage      string                       `json:"SmsVerificationMessage,omitempty"`
	EmailVerificationMessage    string                       `json:"EmailVerificationMessage,omitempty"`
	EmailVerificationSubject    string                       `json:"EmailVerificationSubject,omitempty"`
	VerificationMessageTemplate *VerificationMessageTemplate `json:"VerificationMessageTemplate,omitempty"`
	SmsAuthenticationMessage    string                       `json:"SmsAuthenticationMessage,omitempty"`
	UserAttributeUpdateSettings *UserAttributeUpdateSettings `json:"UserAttributeUpdateSettings,omitempty"`
	MfaConfiguration            string                       `json:"MfaConfiguration,omitempty"`
	DeviceConfiguration         json.RawMessage              `json:"DeviceConfiguration,omitempty"`
	EstimatedNumberOfUsers      int                          `json:"EstimatedNumberOfUsers"`
	EmailConfiguration          json.RawMessage              `json:"EmailConfiguration,omitempty"`
	SmsConfiguration            json.RawMessage              `json:"SmsConfiguration,omitempty"`
	UserPoolTags                map[string]string            `json:"UserPoolTags,omitempty"`
	Domain                      string                       `json:"Domain,omitempty"`
	CustomDomain                string                       `json:"CustomDomain,omitempty"`
	AdminCreateUserConfig       *AdminCreateUserConfig       `json:"AdminCreateUserConfig,omitempty"`
	UserPoolAddOns              json.RawMessage              `json:"UserPoolAddOns,omitempty"`
	UsernameConfiguration       *UsernameConfiguration       `json:"UsernameConfiguration,omitempty"`
	AccountRecoverySetting      *AccountRecoverySetting      `json:"AccountRecoverySetting,omitempty"`
	UserPoolTier                string                       `json:"UserPoolTier,omitempty"`
}

// UserPoolPolicy is UserPoolPolicyType.
type UserPoolPolicy struct {
	PasswordPolicy *PasswordPolicy `json:"PasswordPolicy,omitempty"`
	SignInPolicy   json.RawMessage `json:"SignInPolicy,omitempty"`
}

// PasswordPolicy is PasswordPolicyType.
type PasswordPolicy struct {
	MinimumLength                 *int `json:"MinimumLength,omitempty"`
	RequireUppercase              bool `json:"RequireUppercase"`
	RequireLowercase              bool `json:"RequireLowercase"`
	RequireNumbers                bool `json:"RequireNumbers"`
	RequireSymbols                bool `json:"RequireSymbols"`
	PasswordHistorySize           *int `json:"PasswordHistorySize,omitempty"`
	TemporaryPasswordValidityDays *int `json:"TemporaryPasswordValidityDays,omitempty"`
}

// SchemaAttribute is SchemaAttributeType.
type SchemaAttribute struct {
	Name                       string                      `json:"Name"`
	AttributeDataType          string                      `json:"AttributeDataType,omitempty"`
	DeveloperOnlyAttribute     *bool                       `json:"DeveloperOnlyAttribute,omitempty"`
	Mutable                    *bool                       `json:"Mutable,omitempty"`
	Required                   *bool                       `json:"Required,omitempty"`
	NumberAttributeConstraints *NumberAttributeConstraints `json:"NumberAttributeConstraints,omitempty"`
	StringAttributeConstraints *StringAttributeConstraints `json:"StringAttributeConstraints,omitempty"`
}

// NumberAttributeConstraints is NumberAttributeConstraintsType (values are strings on the wire).
type NumberAttributeConstraints struct {
	MinValue *string `json:"MinValue,omitempty"`
	MaxValue *string `json:"MaxValue,omitempty"`
}

// StringAttributeConstraints is StringAttributeConstraintsType (values are strings on the wire).
type StringAttributeConstraints struct {
	MinLength *string `json:"MinLength,omitempty"`
	MaxLength *string `json:"MaxLength,omitempty"`
}

// VerificationMessageTemplate is VerificationMessageTemplateType.
type VerificationMessageTemplate struct {
	SmsMessage         string `json:"SmsMessage,omitempty"`
	EmailMessage       string `json:"EmailMessage,omitempty"`
	EmailSubject       string `json:"EmailSubject,omitempty"`
	EmailMessageByLink string `json:"EmailMessageByLink,omitempty"`
	EmailSubjectByLink string `json:"EmailSubjectByLink,omitempty"`
	DefaultEmailOption string `json:"DefaultEmailOption,omitempty"`
}

// UserAttributeUpdateSettings is UserAttributeUpdateSettingsType.
type UserAttributeUpdateSettings struct {
	AttributesRequireVerificationBeforeUpdate []string `json:"AttributesRequireVerificationBeforeUpdate"`
}

// AdminCreateUserConfig is AdminCreateUserConfigType.
type AdminCreateUserConfig struct {
	AllowAdminCreateUserOnly  bool             `json:"AllowAdminCreateUserOnly"`
	UnusedAccountValidityDays *int             `json:"UnusedAccountValidityDays,omitempty"`
	InviteMessageTemplate     *MessageTemplate `json:"InviteMessageTemplate,omitempty"`
}

// MessageTemplate is MessageTemplateType.
type MessageTemplate struct {
	SMSMessage   string `json:"SMSMessage,omitempty"`
	EmailMessage string `json:"EmailMessage,omitempty"`
	EmailSubject string `json:"EmailSubject,omitempty"`
}

// UsernameConfiguration is UsernameConfigurationType.
type UsernameConfiguration struct {
	CaseSensitive *bool `json:"CaseSensitive,omitempty"`
}

// AccountRecoverySetting is AccountRecoverySettingType.
type AccountRecoverySetting struct {
	RecoveryMechanisms []RecoveryOption `json:"RecoveryMechanisms"`
}

// RecoveryOption is RecoveryOptionType.
type RecoveryOption struct {
	Priority int    `json:"Priority"`
	Name     string `json:"Name"`
}

// UserPoolDescription is UserPoolDescriptionType, one row of ListUserPools.
type UserPoolDescription struct {
	Id               string          `json:"Id"`
	Name             string          `json:"Name"`
	LambdaConfig     json.RawMessage `json:"LambdaConfig,omitempty"`
	LastModifiedDate awsjson.Time    `json:"LastModifiedDate"`
	CreationDate     awsjson.Time    `json:"CreationDate"`
}

// MfaConfig is the pool's MFA configuration as Get/SetUserPoolMfaConfig carry it.
type MfaConfig struct {
	SmsMfaConfiguration           json.RawMessage `json:"SmsMfaConfiguration,omitempty"`
	SoftwareTokenMfaConfiguration json.RawMessage `json:"SoftwareTokenMfaConfiguration,omitempty"`
	EmailMfaConfiguration         json.RawMessage `json:"EmailMfaConfiguration,omitempty"`
	MfaConfiguration              string          `json:"MfaConfiguration,omitempty"`
	WebAuthnConfiguration         json.RawMessage `json:"WebAuthnConfiguration,omitempty"`
}

// Client is an app client (UserPoolClientType).
type Client struct {
	UserPoolId                               string                `json:"UserPoolId"`
	ClientName                               string                `json:"ClientName"`
	ClientId                                 string                `json:"ClientId"`
	ClientSecret                             string                `json:"ClientSecret,omitempty"`
	LastModifiedDate                         awsjson.Time          `json:"LastModifiedDate"`
	CreationDate                             awsjson.Time          `json:"CreationDate"`
	RefreshTokenValidity                     int                   `json:"RefreshTokenValidity"`
	AccessTokenValidity                      *int                  `json:"AccessTokenValidity,omitempty"`
	IdTokenValidity                          *int                  `json:"IdTokenValidity,omitempty"`
	TokenValidityUnits                       *TokenValidityUnits   `json:"TokenValidityUnits,omitempty"`
	ReadAttributes                           []string              `json:"ReadAttributes,omitempty"`
	WriteAttributes                          []string              `json:"WriteAttributes,omitempty"`
	ExplicitAuthFlows                        []string              `json:"ExplicitAuthFlows,omitempty"`
	SupportedIdentityProviders               []string              `json:"SupportedIdentityProviders,omitempty"`
	CallbackURLs                             []string              `json:"CallbackURLs,omitempty"`
	LogoutURLs                               []string              `json:"LogoutURLs,omitempty"`
	DefaultRedirectURI                       string                `json:"DefaultRedirectURI,omitempty"`
	AllowedOAuthFlows                        []string              `json:"AllowedOAuthFlows,omitempty"`
	AllowedOAuthScopes                       []string              `json:"AllowedOAuthScopes,omitempty"`
	AllowedOAuthFlowsUserPoolClient          bool                  `json:"AllowedOAuthFlowsUserPoolClient"`
	AnalyticsConfiguration                   json.RawMessage       `json:"AnalyticsConfiguration,omitempty"`
	PreventUserExistenceErrors               string                `json:"PreventUserExistenceErrors,omitempty"`
	EnableTokenRevocation                    bool                  `json:"EnableTokenRevocation"`
	EnablePropagateAdditionalUserContextData bool                  `json:"EnablePropagateAdditionalUserContextData"`
	AuthSessionValidity                      int                   `json:"AuthSessionValidity"`
	RefreshTokenRotation                     *RefreshTokenRotation `json:"RefreshTokenRotation,omitempty"`
}

// TokenValidityUnits is TokenValidityUnitsType.
type TokenValidityUnits struct {
	AccessToken  string `json:"AccessToken,omitempty"`
	IdToken      string `json:"IdToken,omitempty"`
	RefreshToken string `json:"RefreshToken,omitempty"`
}

// RefreshTokenRotation is RefreshTokenRotationType.
type RefreshTokenRotation struct {
	Feature                 string `json:"Feature"`
	RetryGracePeriodSeconds *int   `json:"RetryGracePeriodSeconds,omitempty"`
}

// ClientDescription is UserPoolClientDescription, one row of ListUserPoolClients.
type ClientDescription struct {
	ClientId   string `json:"ClientId"`
	UserPoolId string `json:"UserPoolId"`
	ClientName string `json:"ClientName"`
}

// ClientSecretDescriptor is ClientSecretDescriptorType.
type ClientSecretDescriptor struct {
	ClientSecretId         string       `json:"ClientSecretId"`
	ClientSecretValue      string       `json:"ClientSecretValue,omitempty"`
	ClientSecretCreateDate awsjson.Time `json:"ClientSecretCreateDate"`
}

// Attribute is AttributeType, a name/value pair.
type Attribute struct {
	Name  string  `json:"Name"`
	Value *string `json:"Value,omitempty"`
}

// UserView is UserType as the list and create operations return it.
type UserView struct {
	Username             string       `json:"Username"`
	Attributes           []Attribute  `json:"Attributes,omitempty"`
	UserCreateDate       awsjson.Time `json:"UserCreateDate"`
	UserLastModifiedDate awsjson.Time `json:"UserLastModifiedDate"`
	Enabled              bool         `json:"Enabled"`
	UserStatus           string       `json:"UserStatus"`
	MFAOptions           []MFAOption  `json:"MFAOptions,omitempty"`
}

// MFAOption is MFAOptionType.
type MFAOption struct {
	DeliveryMedium string `json:"DeliveryMedium,omitempty"`
	AttributeName  string `json:"AttributeName,omitempty"`
}

// CodeDeliveryDetails is CodeDeliveryDetailsType.
type CodeDeliveryDetails struct {
	Destination    string `json:"Destination,omitempty"`
	DeliveryMedium string `json:"DeliveryMedium,omitempty"`
	AttributeName  string `json:"AttributeName,omitempty"`
}

// Group is GroupType.
type Group struct {
	GroupName        string       `json:"GroupName"`
	UserPoolId       string       `json:"UserPoolId"`
	Description      string       `json:"Description,omitempty"`
	RoleArn          string       `json:"RoleArn,omitempty"`
	Precedence       *int         `json:"Precedence,omitempty"`
	LastModifiedDate awsjson.Time `json:"LastModifiedDate"`
	CreationDate     awsjson.Time `json:"CreationDate"`
}

// ResourceServer is ResourceServerType.
type ResourceServer struct {
	UserPoolId string          `json:"UserPoolId"`
	Identifier string          `json:"Identifier"`
	Name       string          `json:"Name"`
	Scopes     []ResourceScope `json:"Scopes"`
}

// ResourceScope is ResourceServerScopeType.
type ResourceScope struct {
	ScopeName        string `json:"ScopeName"`
	ScopeDescription string `json:"ScopeDescription"`
}

// DomainDescription is DomainDescriptionType.
type DomainDescription struct {
	UserPoolId             string          `json:"UserPoolId,omitempty"`
	AWSAccountId           string          `json:"AWSAccountId,omitempty"`
	Domain                 string          `json:"Domain,omitempty"`
	S3Bucket               string          `json:"S3Bucket,omitempty"`
	CloudFrontDistribution string          `json:"CloudFrontDistribution,omitempty"`
	Version                string          `json:"Version,omitempty"`
	Status                 string          `json:"Status,omitempty"`
	CustomDomainConfig     json.RawMessage `json:"CustomDomainConfig,omitempty"`
	ManagedLoginVersion    *int            `json:"ManagedLoginVersion,omitempty"`
}
