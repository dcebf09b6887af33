package cognito

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/awsjson"
	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

// poolRecord is what is stored for a pool: its public configuration plus internal state.
type poolRecord struct {
	Pool UserPool
	Mfa  MfaConfig
	// SigningCert is the base64 DER of the pool's SAML signing certificate, made on first use.
	SigningCert string `json:",omitempty"`
	// SigningKey is the sealed PKCS#8 private key of SigningCert.
	SigningKey []byte `json:",omitempty"`
}

// PoolSettings are the settings CreateUserPool and UpdateUserPool share.
type PoolSettings struct {
	Policies                    *UserPoolPolicy              `json:"Policies,omitempty"`
	DeletionProtection          string                       `json:"DeletionProtection,omitempty"`
	LambdaConfig                json.RawMessage              `json:"LambdaConfig,omitempty"`
	AutoVerifiedAttributes      []string                     `json:"AutoVerifiedAttributes,omitempty"`
	SmsVerificationMessage      string                       `json:"SmsVerificationMessage,omitempty"`
	EmailVerificationMessage    string                       `json:"EmailVerificationMessage,omitempty"`
	EmailVerificationSubject    string                       `json:"EmailVerificationSubject,omitempty"`
	VerificationMessageTemplate *VerificationMessageTemplate `json:"VerificationMessageTemplate,omitempty"`
	SmsAuthenticationMessage    string                       `json:"SmsAuthenticationMessage,omitempty"`
	UserAttributeUpdateSettings *UserAttributeUpdateSettings `json:"UserAttributeUpdateSettings,omitempty"`
	MfaConfiguration            string                       `json:"MfaConfiguration,omitempty"`
	DeviceConfiguration         json.RawMessage              `json:"DeviceConfiguration,omitempty"`
	EmailConfiguration          json.RawMessage              `json:"EmailConfiguration,omitempty"`
	SmsConfiguration            json.RawMessage              `json:"SmsConfiguration,omitempty"`
	UserPoolTags                map[string]string            `json:"UserPoolTags,omitempty"`
	AdminCreateUserConfig       *AdminCreateUserConfig       `json:"AdminCreateUserConfig,omitempty"`
	UserPoolAddOns              json.RawMessage              `json:"UserPoolAddOns,omitempty"`
	AccountRecoverySetting      *AccountRecoverySetting      `json:"AccountRecoverySetting,omitempty"`
	UserPoolTier                string                       `json:"UserPoolTier,omitempty"`
}

// CreateUserPoolInput is CreateUserPoolRequest.
type CreateUserPoolInput struct {
	PoolName string `json:"PoolName"`
	PoolSettings
	AliasAttributes       []string               `json:"AliasAttributes,omitempty"`
	UsernameAttributes    []string               `json:"UsernameAttributes,omitempty"`
	Schema                []SchemaAttribute      `json:"Schema,omitempty"`
	UsernameConfiguration *UsernameConfiguration `json:"UsernameConfiguration,omitempty"`
}

// UpdateUserPoolInput is UpdateUserPoolRequest.
type UpdateUserPoolInput struct {
	UserPoolId string `json:"UserPoolId"`
	PoolName   string `json:"PoolName,omitempty"`
	PoolSettings
}

const (
	defaultMinimumLength      = 8
	defaultTempPasswordDays   = 7
	defaultUnusedAccountDays  = 7
	defaultEmailSendingAcct   = `{"EmailSendingAccount":"COGNITO_DEFAULT"}`
	defaultSignInPolicy       = `{"AllowedFirstAuthFactors":["PASSWORD"]}`
	defaultUserPoolTier       = "ESSENTIALS"
	defaultDeletionProtection = "INACTIVE"
)

// applySettings copies s onto p, filling every unset setting with Cognito's default: like
// UpdateUserPool, settings that are not given return to their defaults.
func applySettings(p *UserPool, s PoolSettings) error {
	pol := s.Policies
	if pol == nil {
		pol = &UserPoolPolicy{}
	}
	if pol.PasswordPolicy == nil {
		pol.PasswordPolicy = &PasswordPolicy{RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true}
	}
	if pol.PasswordPolicy.MinimumLength == nil {
		pol.PasswordPolicy.MinimumLength = ptr(defaultMinimumLength)
	}
	if pol.PasswordPolicy.TemporaryPasswordValidityDays == nil {
		pol.PasswordPolicy.TemporaryPasswordValidityDays = ptr(defaultTempPasswordDays)
	}
	if len(pol.SignInPolicy) == 0 {
		pol.SignInPolicy = json.RawMessage(defaultSignInPolicy)
	}
	p.Policies = pol
	p.DeletionProtection = s.DeletionProtection
	if p.DeletionProtection == "" {
		p.DeletionProtection = defaultDeletionProtection
	}
	p.LambdaConfig = s.LambdaConfig
	if len(p.LambdaConfig) == 0 {
		p.LambdaConfig = json.RawMessage(`{}`)
	}
	p.AutoVerifiedAttributes = s.AutoVerifiedAttributes
	// The legacy top-level message fields and VerificationMessageTemplate mirror each other.
	t := s.VerificationMessageTemplate
	if t == nil {
		t = &VerificationMessageTemplate{}
	} else {
		c := *t
		t = &c
	}
	if t.SmsMessage == "" {
		t.SmsMessage = s.SmsVerificationMessage
	}
	if t.EmailMessage == "" {
		t.EmailMessage = s.EmailVerificationMessage
	}
	if t.EmailSubject == "" {
		t.EmailSubject = s.EmailVerificationSubject
	}
	if t.DefaultEmailOption == "" {
		t.DefaultEmailOption = "CONFIRM_WITH_CODE"
	}
	p.VerificationMessageTemplate = t
	p.SmsVerificationMessage = firstNonEmpty(s.SmsVerificationMessage, t.SmsMessage)
	p.EmailVerificationMessage = firstNonEmpty(s.EmailVerificationMessage, t.EmailMessage)
	p.EmailVerificationSubject = firstNonEmpty(s.EmailVerificationSubject, t.EmailSubject)
	p.SmsAuthenticationMessage = s.SmsAuthenticationMessage
	// UpdateUserPool keeps the current UserAttributeUpdateSettings when the request leaves them
	// out (unlike every other setting), so an update that drops AutoVerifiedAttributes without
	// restating them is refused, as AWS does.
	if s.UserAttributeUpdateSettings != nil {
		u := *s.UserAttributeUpdateSettings
		u.AttributesRequireVerificationBeforeUpdate = slices.Clone(u.AttributesRequireVerificationBeforeUpdate)
		p.UserAttributeUpdateSettings = &u
	}
	if p.UserAttributeUpdateSettings == nil {
		p.UserAttributeUpdateSettings = &UserAttributeUpdateSettings{}
	}
	if p.UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate == nil {
		p.UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate = []string{}
	}
	for _, a := range p.UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate {
		if !slices.Contains(p.AutoVerifiedAttributes, a) {
			return errInvalidParam("All attributes in AttributesRequireVerificationBeforeUpdate must exist in AutoVerifiedAttributes")
		}
	}
	p.MfaConfiguration = s.MfaConfiguration
	if p.MfaConfiguration == "" {
		p.MfaConfiguration = "OFF"
	}
	p.DeviceConfiguration = s.DeviceConfiguration
	p.EmailConfiguration = s.EmailConfiguration
	if len(p.EmailConfiguration) == 0 {
		p.EmailConfiguration = json.RawMessage(defaultEmailSendingAcct)
	}
	p.SmsConfiguration = s.SmsConfiguration
	if s.UserPoolTags != nil {
		p.UserPoolTags = s.UserPoolTags
	}
	ac := s.AdminCreateUserConfig
	if ac == nil {
		ac = &AdminCreateUserConfig{}
	} else {
		c := *ac
		ac = &c
	}
	if ac.UnusedAccountValidityDays == nil {
		ac.UnusedAccountValidityDays = ptr(defaultUnusedAccountDays)
	}
	p.AdminCreateUserConfig = ac
	p.UserPoolAddOns = s.UserPoolAddOns
	p.AccountRecoverySetting = s.AccountRecoverySetting
	if r := p.AccountRecoverySetting; r != nil {
		seen := map[int]bool{}
		for _, m := range r.RecoveryMechanisms {
			if seen[m.Priority] {
				return errInvalidParam("Priority values of account recovery mechanisms must be unique")
			}
			seen[m.Priority] = true
			if m.Name == "admin_only" && len(r.RecoveryMechanisms) > 1 {
				return errInvalidParam("admin_only cannot be combined with other recovery mechanisms")
			}
		}
	}
	p.UserPoolTier = s.UserPoolTier
	if p.UserPoolTier == "" {
		p.UserPoolTier = defaultUserPoolTier
	}
	return nil
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// CreateUserPool creates a pool.
func (s *Service) CreateUserPool(ctx context.Context, in *CreateUserPoolInput) (*UserPool, error) {
	if len(in.AliasAttributes) > 0 && len(in.UsernameAttributes) > 0 {
		return nil, errInvalidParam("Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.")
	}
	schema, err := buildSchema(in.Schema)
	if err != nil {
		return nil, err
	}
	now := awsjson.At(s.now())
	id := s.Region + "_" + s.randomString(9, alnum)
	p := UserPool{
		Id: id, Name: in.PoolName,
		Arn:                   "arn:aws:cognito-idp:" + s.Region + ":" + s.AccountID + ":userpool/" + id,
		CreationDate:          now,
		LastModifiedDate:      now,
		SchemaAttributes:      schema,
		AliasAttributes:       in.AliasAttributes,
		UsernameAttributes:    in.UsernameAttributes,
		UsernameConfiguration: in.UsernameConfiguration,
	}
	if err := applySettings(&p, in.PoolSettings); err != nil {
		return nil, err
	}
	if err := checkTags(p.UserPoolTags); err != nil {
		return nil, err
	}
	rec := poolRecord{Pool: p}
	if err := rec.syncMfa(); err != nil {
		return nil, err
	}
	err = s.update(ctx, func(tx storage.Tx) error { return storage.InsertJSON(tx, poolKey(id), rec) })
	if err != nil {
		return nil, internal("create user pool", err)
	}
	return &p, nil
}

// getPool loads a pool record inside tx.
func getPool(tx storage.Tx, id string) (poolRecord, error) {
	rec, err := storage.GetJSON[poolRecord](tx, poolKey(id))
	if isNotFound(err) {
		return rec, errPoolNotFound(id)
	}
	return rec, err
}

// PoolExists reports whether a user pool exists.
func (s *Service) PoolExists(ctx context.Context, id string) (bool, error) {
	found := false
	err := s.view(ctx, func(tx storage.Tx) error {
		_, err := tx.Get(poolKey(id))
		found = err == nil
		if isNotFound(err) {
			return nil
		}
		return err
	})
	return found, err
}

// DescribeUserPool returns a pool's configuration.
func (s *Service) DescribeUserPool(ctx context.Context, id string) (*UserPool, error) {
	var p UserPool
	err := s.view(ctx, func(tx storage.Tx) error {
		rec, err := getPool(tx, id)
		if err != nil {
			return err
		}
		p = rec.Pool
		n, err := countUsers(tx, id)
		p.EstimatedNumberOfUsers = n
		return err
	})
	if err != nil {
		return nil, internal("describe user pool", err)
	}
	return &p, nil
}

func countUsers(tx storage.Tx, pool string) (int, error) {
	return tx.Count(kSub + pool + "/")
}

// ListUserPools lists pools in id order, at most max per page.
func (s *Service) ListUserPools(ctx context.Context, max int, token string) ([]UserPoolDescription, string, error) {
	out := []UserPoolDescription{}
	next := ""
	err := s.view(ctx, func(tx storage.Tx) error {
		recs, n, err := scanPageJSON[poolRecord](tx, kPool, token, max)
		next = n
		for _, r := range recs {
			out = append(out, UserPoolDescription{Id: r.Pool.Id, Name: r.Pool.Name, LambdaConfig: r.Pool.LambdaConfig,
				LastModifiedDate: r.Pool.LastModifiedDate, CreationDate: r.Pool.CreationDate})
		}
		return err
	})
	if err != nil {
		return nil, "", internal("list user pools", err)
	}
	return out, next, nil
}

// UpdateUserPool replaces a pool's updatable settings; settings not given return to defaults.
func (s *Service) UpdateUserPool(ctx context.Context, in *UpdateUserPoolInput) error {
	if err := checkTags(in.UserPoolTags); err != nil {
		return err
	}
	err := s.update(ctx, func(tx storage.Tx) error {
		rec, err := getPool(tx, in.UserPoolId)
		if err != nil {
			return err
		}
		p := rec.Pool
		if in.PoolName != "" {
			p.Name = in.PoolName
		}
		if err := applySettings(&p, in.PoolSettings); err != nil {
			return err
		}
		p.LastModifiedDate = awsjson.At(s.now())
		rec.Pool = p
		if err := rec.syncMfa(); err != nil {
			return err
		}
		return storage.PutJSON(tx, poolKey(p.Id), rec)
	})
	return internal("update user pool", err)
}

// DeleteUserPool deletes a pool and everything in it, unless deletion protection is active.
func (s *Service) DeleteUserPool(ctx context.Context, id string) error {
	err := s.update(ctx, func(tx storage.Tx) error {
		rec, err := getPool(tx, id)
		if err != nil {
			return err
		}
		if rec.Pool.DeletionProtection == "ACTIVE" {
			return errInvalidParam("The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.")
		}
		if rec.Pool.Domain != "" || rec.Pool.CustomDomain != "" {
			return errInvalidParam("User pool cannot be deleted. It has a domain configured that should be deleted first.")
		}
		clients, err := tx.Scan(clientPrefix(id), "", 0)
		if err != nil {
			return err
		}
		for _, c := range clients {
			if err := tx.Delete(clientIndexKey(lastComponent(c.Key, "/"))); err != nil && !isNotFound(err) {
				return err
			}
		}
		if s.PoolDeleted != nil {
			if err := s.PoolDeleted(tx, id); err != nil {
				return err
			}
		}
		for _, pfx := range poolPrefixes(id) {
			if _, err := tx.DeletePrefix(pfx); err != nil {
				return err
			}
		}
		return tx.Delete(poolKey(id))
	})
	return internal("delete user pool", err)
}

// AddCustomAttributes adds custom attributes to a pool's schema.
func (s *Service) AddCustomAttributes(ctx context.Context, pool string, attrs []SchemaAttribute) error {
	err := s.update(ctx, func(tx storage.Tx) error {
		rec, err := getPool(tx, pool)
		if err != nil {
			return err
		}
		schema, err := addCustomAttributes(rec.Pool.SchemaAttributes, attrs)
		if err != nil {
			return err
		}
		rec.Pool.SchemaAttributes = schema
		rec.Pool.LastModifiedDate = awsjson.At(s.now())
		return storage.PutJSON(tx, poolKey(pool), rec)
	})
	return internal("add custom attributes", err)
}

// GetUserPoolMfaConfig returns a pool's MFA configuration.
func (s *Service) GetUserPoolMfaConfig(ctx context.Context, pool string) (*MfaConfig, error) {
	var out MfaConfig
	err := s.view(ctx, func(tx storage.Tx) error {
		rec, err := getPool(tx, pool)
		out = rec.Mfa
		return err
	})
	if err != nil {
		return nil, internal("get user pool mfa config", err)
	}
	return &out, nil
}

// SetUserPoolMfaConfig replaces a pool's MFA configuration. Like AWS, a factor the request leaves
// out is cleared (aws/aws-sdk-js#4186): MfaConfiguration ON or OPTIONAL needs at least one factor
// in the same request, and OFF may not come with an enabled factor. MfaConfiguration itself keeps
// its value when left out.
func (s *Service) SetUserPoolMfaConfig(ctx context.Context, pool string, in MfaConfig) (*MfaConfig, error) {
	var out MfaConfig
	err := s.update(ctx, func(tx storage.Tx) error {
		rec, err := getPool(tx, pool)
		if err != nil {
			return err
		}
		m := MfaConfig{
			SmsMfaConfiguration:           in.SmsMfaConfiguration,
			SoftwareTokenMfaConfiguration: in.SoftwareTokenMfaConfiguration,
			EmailMfaConfiguration:         in.EmailMfaConfiguration,
			WebAuthnConfiguration:         in.WebAuthnConfiguration,
			MfaConfiguration:              firstNonEmpty(in.MfaConfiguration, rec.Mfa.MfaConfiguration, "OFF"),
		}
		if m.MfaConfiguration == "OFF" && m.anyFactorEnabled() {
			return errInvalidParam("Invalid MFA configuration given, can't turn off MFA and configure an MFA together.")
		}
		if m.MfaConfiguration != "OFF" && !m.anyFactorEnabled() {
			return errInvalidParam("Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.")
		}
		if len(m.EmailMfaConfiguration) > 0 && rec.Pool.UserPoolTier == "LITE" && enabledFactor(m.EmailMfaConfiguration, true) {
			return awserr.New("FeatureUnavailableInTierException", "Email MFA is not available in the LITE tier.")
		}
		if len(m.SmsMfaConfiguration) > 0 && string(m.SmsMfaConfiguration) != "null" {
			// The SMS factor's settings are the pool's SMS settings.
			var sms struct {
				SmsAuthenticationMessage *string
				SmsConfiguration         json.RawMessage
			}
			if err := json.Unmarshal(m.SmsMfaConfiguration, &sms); err == nil {
				if sms.SmsAuthenticationMessage != nil {
					rec.Pool.SmsAuthenticationMessage = *sms.SmsAuthenticationMessage
				}
				if len(sms.SmsConfiguration) > 0 && string(sms.SmsConfiguration) != "null" {
					rec.Pool.SmsConfiguration = sms.SmsConfiguration
				}
			}
		}
		rec.Mfa = m
		rec.Pool.MfaConfiguration = m.MfaConfiguration
		rec.Pool.LastModifiedDate = awsjson.At(s.now())
		out = m
		return storage.PutJSON(tx, poolKey(pool), rec)
	})
	if err != nil {
		return nil, internal("set user pool mfa config", err)
	}
	return &out, nil
}

// syncMfa brings the MFA configuration in line with the pool's MfaConfiguration after
// CreateUserPool or UpdateUserPool. MFA ON or OPTIONAL needs a factor: one already configured
// through SetUserPoolMfaConfig, or SMS, which these operations turn on when the pool has an
// SmsConfiguration (and which AWS requires otherwise).
func (r *poolRecord) syncMfa() error {
	p := &r.Pool
	r.Mfa.MfaConfiguration = p.MfaConfiguration
	if p.MfaConfiguration == "OFF" {
		return nil
	}
	hasSms := len(p.SmsConfiguration) > 0 && string(p.SmsConfiguration) != "null"
	if hasSms {
		sms := map[string]any{"SmsConfiguration": p.SmsConfiguration}
		if p.SmsAuthenticationMessage != "" {
			sms["SmsAuthenticationMessage"] = p.SmsAuthenticationMessage
		}
		b, err := json.Marshal(sms)
		if err != nil {
			return err
		}
		r.Mfa.SmsMfaConfiguration = b
		return nil
	}
	if !r.Mfa.anyFactorEnabled() {
		return errInvalidParam("SMS configuration and Auto verification for phone_number are required when MFA is required/optional")
	}
	return nil
}

// anyFactorEnabled reports whether any MFA factor is configured on.
func (m MfaConfig) anyFactorEnabled() bool {
	return enabledFactor(m.SoftwareTokenMfaConfiguration, false) || enabledFactor(m.SmsMfaConfiguration, true) ||
		enabledFactor(m.EmailMfaConfiguration, true)
}

// enabledFactor reads {"Enabled": bool} from a factor configuration; factors without an Enabled
// member (SMS and email configurations) count as enabled when present.
func enabledFactor(raw json.RawMessage, presentMeansOn bool) bool {
	if len(raw) == 0 || string(raw) == "null" {
		return false
	}
	var v struct{ Enabled *bool }
	if json.Unmarshal(raw, &v) != nil {
		return false
	}
	if v.Enabled == nil {
		return presentMeansOn
	}
	return *v.Enabled
}

// GetSigningCertificate returns the base64 DER of the pool's signing certificate, creating it
// (RSA 2048, valid ten years) on first use.
func (s *Service) GetSigningCertificate(ctx context.Context, pool string) (string, error) {
	var cert string
	err := s.view(ctx, func(tx storage.Tx) error {
		rec, err := getPool(tx, pool)
		cert = rec.SigningCert
		return err
	})
	if err != nil || cert != "" {
		return cert, internal("get signing certificate", err)
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return "", err
	}
	now := s.now()
	serial, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 64))
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: pool, Organization: []string{"Gatehouse"}, OrganizationalUnit: []string{"cognito-idp"}},
		NotBefore:    now.Add(-time.Minute),
		NotAfter:     now.AddDate(10, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return "", err
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", err
	}
	err = s.update(ctx, func(tx storage.Tx) error {
		rec, err := getPool(tx, pool)
		if err != nil {
			return err
		}
		if rec.SigningCert != "" { // another request won the race
			cert = rec.SigningCert
			return nil
		}
		cert = base64.StdEncoding.EncodeToString(der)
		rec.SigningCert = cert
		rec.SigningKey = s.Keys.Seal(pkcs8, []byte("pool-signing-cert/"+pool))
		return storage.PutJSON(tx, poolKey(pool), rec)
	})
	return cert, internal("get signing certificate", err)
}

// poolArnPrefix is the ARN of a pool without its id.
func (s *Service) poolArnPrefix() string {
	return "arn:aws:cognito-idp:" + s.Region + ":" + s.AccountID + ":userpool/"
}

// poolFromArn extracts a pool id from a user pool ARN.
func (s *Service) poolFromArn(arn string) (string, error) {
	id, ok := strings.CutPrefix(arn, s.poolArnPrefix())
	if !ok || id == "" || strings.Contains(id, "/") {
		if strings.HasPrefix(arn, "arn:") {
			return "", awserr.Newf(awserr.ResourceNotFound, "Resource %s does not exist.", arn)
		}
		return "", errInvalidParam("Invalid ARN: %s", arn)
	}
	return id, nil
}

const maxTags = 50

func checkTags(tags map[string]string) error {
	if len(tags) > maxTags {
		return errInvalidParam("The number of tags on the resource exceeds the maximum of %d.", maxTags)
	}
	for k := range tags {
		if strings.HasPrefix(strings.ToLower(k), "aws:") {
			return errInvalidParam("Tag keys starting with aws: are reserved.")
		}
	}
	return nil
}

// TagResource adds or replaces tags on a pool.
func (s *Service) TagResource(ctx context.Context, arn string, tags map[string]string) error {
	return s.editTags(ctx, arn, func(t map[string]string) {
		for k, v := range tags {
			t[k] = v
		}
	})
}

// UntagResource removes tags from a pool.
func (s *Service) UntagResource(ctx context.Context, arn string, keys []string) error {
	return s.editTags(ctx, arn, func(t map[string]string) {
		for _, k := range keys {
			delete(t, k)
		}
	})
}

func (s *Service) editTags(ctx context.Context, arn string, edit func(map[string]string)) error {
	id, err := s.poolFromArn(arn)
	if err != nil {
		return err
	}
	err = s.update(ctx, func(tx storage.Tx) error {
		rec, err := getPool(tx, id)
		if err != nil {
			if awserr.Is(err, awserr.ResourceNotFound) {
				return awserr.Newf(awserr.ResourceNotFound, "Resource %s does not exist.", arn)
			}
			return err
		}
		t := map[string]string{}
		for k, v := range rec.Pool.UserPoolTags {
			t[k] = v
		}
		edit(t)
		if err := checkTags(t); err != nil {
			return err
		}
		if len(t) == 0 {
			t = nil
		}
		rec.Pool.UserPoolTags = t
		return storage.PutJSON(tx, poolKey(id), rec)
	})
	return internal("tag resource", err)
}

// ListTagsForResource returns a pool's tags.
func (s *Service) ListTagsForResource(ctx context.Context, arn string) (map[string]string, error) {
	id, err := s.poolFromArn(arn)
	if err != nil {
		return nil, err
	}
	var tags map[string]string
	err = s.view(ctx, func(tx storage.Tx) error {
		rec, err := getPool(tx, id)
		if awserr.Is(err, awserr.ResourceNotFound) {
			return awserr.Newf(awserr.ResourceNotFound, "Resource %s does not exist.", arn)
		}
		tags = rec.Pool.UserPoolTags
		return err
	})
	if tags == nil {
		tags = map[string]string{}
	}
	return tags, internal("list tags", err)
}
