package cognito

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/awsjson"
	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

// clientRecord is what is stored for an app client: its settings and its sealed secrets.
type clientRecord struct {
	Client  Client
	Secrets []clientSecret `json:",omitempty"`
}

type clientSecret struct {
	ID      string
	Sealed  []byte
	Created time.Time
}

// Error types of app-client settings.
const (
	// ErrScopeDoesNotExist is an OAuth scope that is neither standard nor defined by a resource server.
	ErrScopeDoesNotExist = "ScopeDoesNotExistException"
	// ErrInvalidOAuthFlow is a combination of OAuth flows the client cannot have.
	ErrInvalidOAuthFlow = "InvalidOAuthFlowException"
)

func errNoSecretForClientCredentials() error {
	return awserr.New(ErrInvalidOAuthFlow, "client_credentials flow can not be selected if client does not have a client secret.")
}

// maxClientSecrets is how many secrets an app client may have at once.
const maxClientSecrets = 2

// ClientSettings are the settings CreateUserPoolClient and UpdateUserPoolClient share.
type ClientSettings struct {
	UserPoolId                               string                `json:"UserPoolId"`
	ClientName                               string                `json:"ClientName,omitempty"`
	RefreshTokenValidity                     *int                  `json:"RefreshTokenValidity,omitempty"`
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
	AllowedOAuthFlowsUserPoolClient          bool                  `json:"AllowedOAuthFlowsUserPoolClient,omitempty"`
	AnalyticsConfiguration                   json.RawMessage       `json:"AnalyticsConfiguration,omitempty"`
	PreventUserExistenceErrors               string                `json:"PreventUserExistenceErrors,omitempty"`
	EnableTokenRevocation                    *bool                 `json:"EnableTokenRevocation,omitempty"`
	EnablePropagateAdditionalUserContextData *bool                 `json:"EnablePropagateAdditionalUserContextData,omitempty"`
	AuthSessionValidity                      *int                  `json:"AuthSessionValidity,omitempty"`
	RefreshTokenRotation                     *RefreshTokenRotation `json:"RefreshTokenRotation,omitempty"`
}

// CreateClientInput is CreateUserPoolClientRequest.
type CreateClientInput struct {
	ClientSettings
	GenerateSecret bool   `json:"GenerateSecret,omitempty"`
	ClientSecret   string `json:"ClientSecret,omitempty"`
}

// UpdateClientInput is UpdateUserPoolClientRequest.
type UpdateClientInput struct {
	ClientSettings
	ClientId string `json:"ClientId"`
}

// Explicit auth flows.
var (
	legacyFlows  = []string{"ADMIN_NO_SRP_AUTH", "CUSTOM_AUTH_FLOW_ONLY", "USER_PASSWORD_AUTH"}
	defaultFlows = []string{"ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_USER_SRP_AUTH"}
	// standardScopes are the OAuth scopes every pool knows.
	standardScopes = []string{"phone", "email", "openid", "profile", "aws.cognito.signin.user.admin"}
)

// validity ranges by unit, as AWS documents them.
var unitSeconds = map[string]int{"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}

func tokenSeconds(v *int, unit, def string) (int, bool) {
	if v == nil {
		return 0, false
	}
	if unit == "" {
		unit = def
	}
	return *v * unitSeconds[unit], true
}

// applyClientSettings validates in and copies it onto c; like UpdateUserPoolClient, settings not
// given return to their defaults.
func (s *Service) applyClientSettings(tx storage.Tx, p *UserPool, c *Client, in ClientSettings, verb string) error {
	units := in.TokenValidityUnits
	var u TokenValidityUnits
	if units != nil {
		u = *units
	}
	if sec, ok := tokenSeconds(in.AccessTokenValidity, u.AccessToken, "hours"); ok && (sec < 300 || sec > 86400) {
		return errInvalidParam("Invalid range for token validity: AccessTokenValidity must be between 5 minutes and 1 day.")
	}
	if sec, ok := tokenSeconds(in.IdTokenValidity, u.IdToken, "hours"); ok && (sec < 300 || sec > 86400) {
		return errInvalidParam("Invalid range for token validity: IdTokenValidity must be between 5 minutes and 1 day.")
	}
	if sec, ok := tokenSeconds(in.RefreshTokenValidity, u.RefreshToken, "days"); ok && (sec < 3600 || sec > 315360000) {
		return errInvalidParam("Invalid range for token validity: RefreshTokenValidity must be between 60 minutes and 10 years.")
	}
	flows := in.ExplicitAuthFlows
	hasLegacy, hasNew := false, false
	for _, f := range flows {
		if slices.Contains(legacyFlows, f) {
			hasLegacy = true
		} else {
			hasNew = true
		}
	}
	if hasLegacy && hasNew {
		return errInvalidParam("ExplicitAuthFlows can not have both legacy and new values.")
	}
	if len(flows) == 0 {
		flows = slices.Clone(defaultFlows)
	}
	for _, a := range in.ReadAttributes {
		if _, ok := schemaAttr(p.SchemaAttributes, a); !ok || strings.HasPrefix(a, "dev:") {
			return errInvalidParam("Invalid read attributes specified while %s a client", verb)
		}
	}
	for _, a := range in.WriteAttributes {
		def, ok := schemaAttr(p.SchemaAttributes, a)
		if !ok || strings.HasPrefix(a, "dev:") || a == "sub" || (def.Mutable != nil && !*def.Mutable) {
			return errInvalidParam("Invalid write attributes specified while %s a client", verb)
		}
	}
	oauth := in.AllowedOAuthFlows
	if slices.Contains(oauth, "client_credentials") && (slices.Contains(oauth, "code") || slices.Contains(oauth, "implicit")) {
		return awserr.New(ErrInvalidOAuthFlow, "client_credentials flow can not be selected along with code flow or implicit flow.")
	}
	if in.AllowedOAuthFlowsUserPoolClient && (len(oauth) == 0 || len(in.AllowedOAuthScopes) == 0) {
		return errInvalidParam("AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows.")
	}
	if (slices.Contains(oauth, "code") || slices.Contains(oauth, "implicit")) && in.AllowedOAuthFlowsUserPoolClient && len(in.CallbackURLs) == 0 {
		return errInvalidParam("CallbackURLs are required when the code or implicit OAuth flow is allowed.")
	}
	if in.DefaultRedirectURI != "" && !slices.Contains(in.CallbackURLs, in.DefaultRedirectURI) {
		return errInvalidParam("DefaultRedirectURI must be one of the CallbackURLs.")
	}
	for _, sc := range in.AllowedOAuthScopes {
		if slices.Contains(standardScopes, sc) {
			continue
		}
		ok, err := resourceScopeExists(tx, p.Id, sc)
		if err != nil {
			return err
		}
		if !ok {
			return awserr.Newf(ErrScopeDoesNotExist, "Invalid scope requested: %s", sc)
		}
	}
	if slices.Contains(in.AllowedOAuthScopes, "aws.cognito.signin.user.admin") || slices.Contains(in.AllowedOAuthScopes, "email") ||
		slices.Contains(in.AllowedOAuthScopes, "phone") || slices.Contains(in.AllowedOAuthScopes, "profile") {
		if !slices.Contains(in.AllowedOAuthScopes, "openid") && slices.ContainsFunc(in.AllowedOAuthScopes, func(s string) bool {
			return s == "email" || s == "phone" || s == "profile"
		}) {
			return errInvalidParam("Scopes email, phone and profile require the openid scope.")
		}
	}
	for _, idp := range in.SupportedIdentityProviders {
		if idp != "COGNITO" {
			return errInvalidParam("The provider %s does not exist for User Pool %s", idp, p.Id)
		}
	}
	if r := in.RefreshTokenRotation; r != nil && r.Feature == "ENABLED" && r.RetryGracePeriodSeconds == nil {
		r.RetryGracePeriodSeconds = ptr(0)
	}
	c.ClientName = firstNonEmpty(in.ClientName, c.ClientName)
	c.RefreshTokenValidity = deref(in.RefreshTokenValidity, 30)
	c.AccessTokenValidity = in.AccessTokenValidity
	c.IdTokenValidity = in.IdTokenValidity
	c.TokenValidityUnits = in.TokenValidityUnits
	c.ReadAttributes = in.ReadAttributes
	c.WriteAttributes = in.WriteAttributes
	c.ExplicitAuthFlows = flows
	c.SupportedIdentityProviders = in.SupportedIdentityProviders
	c.CallbackURLs = in.CallbackURLs
	c.LogoutURLs = in.LogoutURLs
	c.DefaultRedirectURI = in.DefaultRedirectURI
	c.AllowedOAuthFlows = in.AllowedOAuthFlows
	c.AllowedOAuthScopes = in.AllowedOAuthScopes
	c.AllowedOAuthFlowsUserPoolClient = in.AllowedOAuthFlowsUserPoolClient
	c.AnalyticsConfiguration = in.AnalyticsConfiguration
	c.PreventUserExistenceErrors = firstNonEmpty(in.PreventUserExistenceErrors, "LEGACY")
	c.EnableTokenRevocation = deref(in.EnableTokenRevocation, true)
	c.EnablePropagateAdditionalUserContextData = deref(in.EnablePropagateAdditionalUserContextData, false)
	c.AuthSessionValidity = deref(in.AuthSessionValidity, 3)
	c.RefreshTokenRotation = in.RefreshTokenRotation
	return nil
}

// CreateUserPoolClient creates an app client.
func (s *Service) CreateUserPoolClient(ctx context.Context, in *CreateClientInput) (*Client, error) {
	var out Client
	err := s.update(ctx, func(tx storage.Tx) error {
		rec, err := getPool(tx, in.UserPoolId)
		if err != nil {
			return err
		}
		now := awsjson.At(s.now())
		c := Client{UserPoolId: in.UserPoolId, ClientId: s.randomString(26, lowerAlnum), CreationDate: now, LastModifiedDate: now}
		if err := s.applyClientSettings(tx, &rec.Pool, &c, in.ClientSettings, "creating"); err != nil {
			return err
		}
		cr := clientRecord{Client: c}
		if in.GenerateSecret || in.ClientSecret != "" {
			secret := in.ClientSecret
			if secret == "" {
				secret = s.randomString(51, lowerAlnum)
			}
			cr.Secrets = []clientSecret{s.sealSecret(c.ClientId, secret)}
		} else if slices.Contains(c.AllowedOAuthFlows, "client_credentials") {
			return errNoSecretForClientCredentials()
		}
		if err := storage.InsertJSON(tx, clientKey(c.UserPoolId, c.ClientId), cr); err != nil {
			return err
		}
		if err := tx.Put(clientIndexKey(c.ClientId), []byte(c.UserPoolId)); err != nil {
			return err
		}
		out, err = s.clientView(cr)
		return err
	})
	if err != nil {
		return nil, internal("create user pool client", err)
	}
	return &out, nil
}

func (s *Service) sealSecret(clientID, secret string) clientSecret {
	id := clientID + "--" + s.randomString(13, digits)
	return clientSecret{ID: id, Sealed: s.Keys.Seal([]byte(secret), []byte("client-secret/"+clientID+"/"+id)), Created: s.now()}
}

func (s *Service) openSecret(clientID string, cs clientSecret) (string, error) {
	b, err := s.Keys.Open(cs.Sealed, []byte("client-secret/"+clientID+"/"+cs.ID))
	return string(b), err
}

// clientView returns the client as Describe shows it, with its first secret.
func (s *Service) clientView(cr clientRecord) (Client, error) {
	c := cr.Client
	if len(cr.Secrets) > 0 {
		secret, err := s.openSecret(c.ClientId, cr.Secrets[0])
		if err != nil {
			return c, err
		}
		c.ClientSecret = secret
	}
	return c, nil
}

func getClient(tx storage.Tx, pool, id string) (clientRecord, error) {
	if _, err := getPool(tx, pool); err != nil {
		return clientRecord{}, err
	}
	cr, err := storage.GetJSON[clientRecord](tx, clientKey(pool, id))
	if isNotFound(err) {
		return cr, errClientNotFound(id)
	}
	return cr, err
}

// DescribeUserPoolClient returns an app client, including its secret.
func (s *Service) DescribeUserPoolClient(ctx context.Context, pool, id string) (*Client, error) {
	var out Client
	err := s.view(ctx, func(tx storage.Tx) error {
		cr, err := getClient(tx, pool, id)
		if err != nil {
			return err
		}
		out, err = s.clientView(cr)
		return err
	})
	if err != nil {
		return nil, internal("describe user pool client", err)
	}
	return &out, nil
}

// ListUserPoolClients lists a pool's app clients.
func (s *Service) ListUserPoolClients(ctx context.Context, pool string, max int, token string) ([]ClientDescription, string, error) {
	if max <= 0 {
		max = 60
	}
	out := []ClientDescription{}
	next := ""
	err := s.view(ctx, func(tx storage.Tx) error {
		if _, err := getPool(tx, pool); err != nil {
			return err
		}
		recs, n, err := scanPageJSON[clientRecord](tx, clientPrefix(pool), token, max)
		next = n
		for _, r := range recs {
			out = append(out, ClientDescription{ClientId: r.Client.ClientId, UserPoolId: pool, ClientName: r.Client.ClientName})
		}
		return err
	})
	if err != nil {
		return nil, "", internal("list user pool clients", err)
	}
	return out, next, nil
}

// UpdateUserPoolClient replaces an app client's settings; settings not given return to defaults.
func (s *Service) UpdateUserPoolClient(ctx context.Context, in *UpdateClientInput) (*Client, error) {
	var out Client
	err := s.update(ctx, func(tx storage.Tx) error {
		cr, err := getClient(tx, in.UserPoolId, in.ClientId)
		if err != nil {
			return err
		}
		rec, err := getPool(tx, in.UserPoolId)
		if err != nil {
			return err
		}
		c := cr.Client
		if err := s.applyClientSettings(tx, &rec.Pool, &c, in.ClientSettings, "updating"); err != nil {
			return err
		}
		if slices.Contains(c.AllowedOAuthFlows, "client_credentials") && len(cr.Secrets) == 0 {
			return errNoSecretForClientCredentials()
		}
		c.LastModifiedDate = awsjson.At(s.now())
		cr.Client = c
		if err := storage.PutJSON(tx, clientKey(c.UserPoolId, c.ClientId), cr); err != nil {
			return err
		}
		out, err = s.clientView(cr)
		return err
	})
	if err != nil {
		return nil, internal("update user pool client", err)
	}
	return &out, nil
}

// DeleteUserPoolClient deletes an app client.
func (s *Service) DeleteUserPoolClient(ctx context.Context, pool, id string) error {
	err := s.update(ctx, func(tx storage.Tx) error {
		if _, err := getClient(tx, pool, id); err != nil {
			return err
		}
		if err := tx.Delete(clientKey(pool, id)); err != nil {
			return err
		}
		return tx.Delete(clientIndexKey(id))
	})
	return internal("delete user pool client", err)
}

// AddUserPoolClientSecret adds a secret (given or generated) to an app client; at most two
// secrets may be active.
func (s *Service) AddUserPoolClientSecret(ctx context.Context, pool, id, secret string) (*ClientSecretDescriptor, error) {
	var out ClientSecretDescriptor
	err := s.update(ctx, func(tx storage.Tx) error {
		cr, err := getClient(tx, pool, id)
		if err != nil {
			return err
		}
		if len(cr.Secrets) >= maxClientSecrets {
			return awserr.Newf(awserr.LimitExceeded, "The app client %s already has the maximum number of %d client secrets.", id, maxClientSecrets)
		}
		if secret == "" {
			secret = s.randomString(51, lowerAlnum)
		}
		cs := s.sealSecret(id, secret)
		cr.Secrets = append(cr.Secrets, cs)
		cr.Client.LastModifiedDate = awsjson.At(s.now())
		out = ClientSecretDescriptor{ClientSecretId: cs.ID, ClientSecretValue: secret, ClientSecretCreateDate: awsjson.At(cs.Created)}
		return storage.PutJSON(tx, clientKey(pool, id), cr)
	})
	if err != nil {
		return nil, internal("add user pool client secret", err)
	}
	return &out, nil
}

// ListUserPoolClientSecrets lists an app client's secrets (without their values).
func (s *Service) ListUserPoolClientSecrets(ctx context.Context, pool, id string) ([]ClientSecretDescriptor, error) {
	var out []ClientSecretDescriptor
	err := s.view(ctx, func(tx storage.Tx) error {
		cr, err := getClient(tx, pool, id)
		for _, cs := range cr.Secrets {
			out = append(out, ClientSecretDescriptor{ClientSecretId: cs.ID, ClientSecretCreateDate: awsjson.At(cs.Created)})
		}
		return err
	})
	if out == nil {
		out = []ClientSecretDescriptor{}
	}
	return out, internal("list user pool client secrets", err)
}

// DeleteUserPoolClientSecret deletes one secret of an app client.
func (s *Service) DeleteUserPoolClientSecret(ctx context.Context, pool, id, secretID string) error {
	err := s.update(ctx, func(tx storage.Tx) error {
		cr, err := getClient(tx, pool, id)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(cr.Secrets, func(cs clientSecret) bool { return cs.ID == secretID })
		if i < 0 {
			return awserr.Newf(awserr.ResourceNotFound, "Client secret %s does not exist.", secretID)
		}
		if len(cr.Secrets) == 1 {
			// A confidential client stays confidential: without a secret, SECRET_HASH would
			// no longer be required.
			return errInvalidParam("The last client secret of an app client cannot be deleted.")
		}
		cr.Secrets = slices.Delete(cr.Secrets, i, i+1)
		cr.Client.LastModifiedDate = awsjson.At(s.now())
		return storage.PutJSON(tx, clientKey(pool, id), cr)
	})
	return internal("delete user pool client secret", err)
}

// resolveClient finds an app client by id alone, as the public operations address it.
func resolveClient(tx storage.Tx, clientID string) (poolRecord, clientRecord, error) {
	poolID, err := tx.Get(clientIndexKey(clientID))
	if isNotFound(err) {
		return poolRecord{}, clientRecord{}, errClientNotFound(clientID)
	}
	if err != nil {
		return poolRecord{}, clientRecord{}, err
	}
	rec, err := getPool(tx, string(poolID))
	if err != nil {
		return rec, clientRecord{}, err
	}
	cr, err := storage.GetJSON[clientRecord](tx, clientKey(string(poolID), clientID))
	if isNotFound(err) {
		return rec, cr, errClientNotFound(clientID)
	}
	return rec, cr, err
}

// secretMatches reports, in constant time per secret, whether secret is one of the client's.
func (s *Service) secretMatches(cr clientRecord, secret string) bool {
	ok := false
	for _, cs := range cr.Secrets {
		v, err := s.openSecret(cr.Client.ClientId, cs)
		if err == nil && subtle.ConstantTimeCompare([]byte(v), []byte(secret)) == 1 {
			ok = true
		}
	}
	return ok
}

// checkSecretHash enforces SECRET_HASH for clients with a secret: it must equal
// Base64(HMAC-SHA256(secret, username + clientId)) under one of the client's active secrets.
func (s *Service) checkSecretHash(cr clientRecord, username, hash string) error {
	if len(cr.Secrets) == 0 {
		return nil
	}
	id := cr.Client.ClientId
	if hash == "" {
		return awserr.Newf(awserr.NotAuthorized, "Client %s is configured with secret but SECRET_HASH was not received", id)
	}
	got, err := base64.StdEncoding.DecodeString(hash)
	if err == nil {
		for _, cs := range cr.Secrets {
			secret, err := s.openSecret(id, cs)
			if err != nil {
				return err
			}
			m := hmac.New(sha256.New, []byte(secret))
			m.Write([]byte(username + id))
			if subtle.ConstantTimeCompare(m.Sum(nil), got) == 1 {
				return nil
			}
		}
	}
	return awserr.Newf(awserr.NotAuthorized, "Unable to verify secret hash for client %s", id)
}
