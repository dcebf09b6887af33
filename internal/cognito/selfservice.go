package cognito

import (
	"context"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

// AccessClaims are the verified claims of an access token.
type AccessClaims struct {
	PoolID, ClientID, Username, OriginJTI string
	IssuedAt                              time.Time
}

func errAccessRevoked() error {
	return awserr.New(awserr.NotAuthorized, "Access Token has been revoked")
}

// originKey records one authentication (sign-in) of a user by its origin_jti: every token of
// that authentication, refresh token included, is valid only while the record exists. Sign-out
// deletes the user's records; revoking a refresh token deletes its one.
func originKey(pool, ukey, originJTI string) string { return originPrefix(pool, ukey) + originJTI }

func originPrefix(pool, ukey string) string { return codePrefix(pool, ukey) + "#origin/" }

// originValid reports whether the authentication originJTI of a user is still valid.
func originValid(tx storage.Tx, pool, ukey, originJTI string) (bool, error) {
	if originJTI == "" {
		return false, nil
	}
	_, err := tx.Get(originKey(pool, ukey, originJTI))
	if isNotFound(err) {
		return false, nil
	}
	return err == nil, err
}

// signOut revokes every token of a user issued until now.
func signOut(tx storage.Tx, pool, ukey string) error {
	_, err := tx.DeletePrefix(originPrefix(pool, ukey))
	return err
}

// tokenUser resolves the user an access token was issued to, refusing revoked tokens and
// disabled or deleted users.
func (s *Service) tokenUser(ctx context.Context, tx storage.Tx, token string) (*UserPool, *Client, userRecord, error) {
	var u userRecord
	if s.Tokens == nil {
		return nil, nil, u, awserr.New(awserr.NotAuthorized, "Invalid Access Token")
	}
	c, err := s.Tokens.VerifyAccess(ctx, token)
	if err != nil {
		return nil, nil, u, err
	}
	rec, err := getPool(tx, c.PoolID)
	if err != nil {
		return nil, nil, u, awserr.New(awserr.NotAuthorized, "Invalid Access Token")
	}
	cr, err := storage.GetJSON[clientRecord](tx, clientKey(c.PoolID, c.ClientID))
	if err != nil {
		return nil, nil, u, awserr.New(awserr.NotAuthorized, "Invalid Access Token")
	}
	u, err = storage.GetJSON[userRecord](tx, userKey(c.PoolID, normName(&rec.Pool, c.Username)))
	if isNotFound(err) {
		return nil, nil, u, errUserNotFound()
	}
	if err != nil {
		return nil, nil, u, err
	}
	valid, err := originValid(tx, c.PoolID, normName(&rec.Pool, u.Username), c.OriginJTI)
	if err != nil {
		return nil, nil, u, err
	}
	if !valid {
		return nil, nil, u, errAccessRevoked()
	}
	if !u.Enabled {
		return nil, nil, u, awserr.New(awserr.NotAuthorized, "User is disabled.")
	}
	return &rec.Pool, &cr.Client, u, nil
}

// GetUserOutput is GetUserResponse.
type GetUserOutput struct {
	Username            string      `json:"Username"`
	UserAttributes      []Attribute `json:"UserAttributes"`
	MFAOptions          []MFAOption `json:"MFAOptions,omitempty"`
	PreferredMfaSetting string      `json:"PreferredMfaSetting,omitempty"`
	UserMFASettingList  []string    `json:"UserMFASettingList,omitempty"`
}

// GetUser returns the signed-in user's attributes.
func (s *Service) GetUser(ctx context.Context, token string) (*GetUserOutput, error) {
	var out GetUserOutput
	err := s.view(ctx, func(tx storage.Tx) error {
		p, _, u, err := s.tokenUser(ctx, tx, token)
		if err != nil {
			return err
		}
		out = GetUserOutput{Username: u.Username, UserAttributes: attributeList(p, u.Attributes, false, nil),
			MFAOptions: u.MFAOptions, PreferredMfaSetting: u.PreferredMfa, UserMFASettingList: u.MfaSettings}
		return nil
	})
	if err != nil {
		return nil, internal("get user", err)
	}
	return &out, nil
}

// editTokenUser runs fn on the user of an access token in a read-write transaction and stores
// the result. A failure fn sets aside (to be reported after the commit) goes in *failure.
func (s *Service) editTokenUser(ctx context.Context, op, token string, fn func(tx storage.Tx, p *UserPool, c *Client, u *userRecord) error) error {
	err := s.update(ctx, func(tx storage.Tx) error {
		p, c, u, err := s.tokenUser(ctx, tx, token)
		if err != nil {
			return err
		}
		old := cloneUser(u)
		if err := fn(tx, p, c, &u); err != nil {
			return err
		}
		u.Modified = s.now()
		return aliasError(s.putUser(tx, p, &old, &u, false), false)
	})
	return internal(op, err)
}

// ChangePassword changes the signed-in user's password.
func (s *Service) ChangePassword(ctx context.Context, token, previous, proposed string) error {
	var failure error
	err := s.update(ctx, func(tx storage.Tx) error {
		failure = nil
		p, _, u, err := s.tokenUser(ctx, tx, token)
		if err != nil {
			return err
		}
		ukey := normName(p, u.Username)
		locked, err := s.lockedOut(tx, p.Id, ukey)
		if err != nil {
			return err
		}
		if locked {
			failure = errAttemptsExceeded()
			return nil
		}
		if !s.passwordMatches(p.Id, u.Username, previous, u.Password) {
			failure = errIncorrect()
			return s.recordFailure(tx, p.Id, ukey)
		}
		if err := checkPassword(p, proposed, policyPrefix); err != nil {
			return err
		}
		old := cloneUser(u)
		if err := s.setPassword(p, &u, proposed, true); err != nil {
			return err
		}
		u.Modified = s.now()
		return s.putUser(tx, p, &old, &u, false)
	})
	if err != nil {
		return internal("change password", err)
	}
	return failure
}

// UpdateUserAttributes changes the signed-in user's attributes; addresses the pool verifies
// get a code, whose deliveries are returned. meta is the request's ClientMetadata, for the
// custom message trigger.
func (s *Service) UpdateUserAttributes(ctx context.Context, token string, attrs []Attribute, meta map[string]string) ([]CodeDeliveryDetails, error) {
	var (
		msgs   []Message
		client string
	)
	err := s.editTokenUser(ctx, "update user attributes", token, func(tx storage.Tx, p *UserPool, c *Client, u *userRecord) error {
		msgs, client = nil, c.ClientId
		if err := checkWritable(c, attrs); err != nil {
			return err
		}
		m, err := s.changeAttributes(tx, p, u, attrs, modeUser, c.ClientId)
		msgs = m
		return err
	})
	if err != nil {
		return nil, err
	}
	out := []CodeDeliveryDetails{}
	for _, m := range msgs {
		if err := s.send(ctx, m, msgTrigger{clientID: client, meta: meta}); err != nil {
			return nil, err
		}
		attr := "email"
		if m.Medium == "SMS" {
			attr = "phone_number"
		}
		out = append(out, *details(m, attr))
	}
	return out, nil
}

// DeleteUserAttributes deletes attributes of the signed-in user.
func (s *Service) DeleteUserAttributes(ctx context.Context, token string, names []string) error {
	return s.editTokenUser(ctx, "delete user attributes", token, func(_ storage.Tx, p *UserPool, c *Client, u *userRecord) error {
		var writable []Attribute
		for _, n := range names {
			writable = append(writable, Attribute{Name: n})
		}
		if err := checkWritable(c, writable); err != nil {
			return err
		}
		return deleteAttributes(p, u, names, modeUser)
	})
}

// DeleteUser deletes the signed-in user.
func (s *Service) DeleteUser(ctx context.Context, token string) error {
	err := s.update(ctx, func(tx storage.Tx) error {
		p, _, u, err := s.tokenUser(ctx, tx, token)
		if err != nil {
			return err
		}
		return s.deleteUser(tx, p, &u)
	})
	return internal("delete user", err)
}

// GlobalSignOut revokes every token of the signed-in user.
func (s *Service) GlobalSignOut(ctx context.Context, token string) error {
	err := s.update(ctx, func(tx storage.Tx) error {
		p, _, u, err := s.tokenUser(ctx, tx, token)
		if err != nil {
			return err
		}
		return signOut(tx, p.Id, normName(p, u.Username))
	})
	return internal("global sign out", err)
}

// AdminUserGlobalSignOut revokes every token of a user.
func (s *Service) AdminUserGlobalSignOut(ctx context.Context, pool, name string) error {
	err := s.update(ctx, func(tx storage.Tx) error {
		p, u, err := poolUser(tx, pool, name)
		if err != nil {
			return err
		}
		return signOut(tx, pool, normName(p, u.Username))
	})
	return internal("admin user global sign out", err)
}

// GetUserAttributeVerificationCode sends a code to verify the signed-in user's email or phone
// number (the new value, when an update awaits verification). meta is the request's
// ClientMetadata, for the custom message trigger.
func (s *Service) GetUserAttributeVerificationCode(ctx context.Context, token, attr string, meta map[string]string) (*CodeDeliveryDetails, error) {
	var (
		msg    Message
		client string
	)
	err := s.update(ctx, func(tx storage.Tx) error {
		p, c, u, err := s.tokenUser(ctx, tx, token)
		if err != nil {
			return err
		}
		client = c.ClientId
		if attr != "email" && attr != "phone_number" {
			return errInvalidParam("Invalid attribute name: %s can not be verified", attr)
		}
		v := u.Attributes[attr]
		if pending, ok := u.Pending[attr]; ok {
			v = pending
		}
		if v == "" {
			return errInvalidParam("The user has no %s to verify.", attr)
		}
		msg, err = s.attributeCode(tx, p, &u, attr, v, c.ClientId, "VerifyUserAttribute")
		return err
	})
	if err != nil {
		return nil, internal("get user attribute verification code", err)
	}
	if err := s.send(ctx, msg, msgTrigger{clientID: client, meta: meta}); err != nil {
		return nil, err
	}
	return details(msg, attr), nil
}

// VerifyUserAttribute verifies the signed-in user's email or phone number with a code; a value
// that was waiting for verification takes effect.
func (s *Service) VerifyUserAttribute(ctx context.Context, token, attr, code string) error {
	var failure error
	err := s.update(ctx, func(tx storage.Tx) error {
		failure = nil
		p, _, u, err := s.tokenUser(ctx, tx, token)
		if err != nil {
			return err
		}
		if attr != "email" && attr != "phone_number" {
			return errInvalidParam("Invalid attribute name: %s can not be verified", attr)
		}
		rec, fail, err := s.consumeCode(tx, p.Id, normName(p, u.Username), purposeVerify+attr, code)
		if err != nil {
			return err
		}
		if fail != nil {
			failure = fail
			return nil
		}
		old := cloneUser(u)
		switch {
		case u.Pending[attr] != "" && u.Pending[attr] == rec.Value:
			u.Attributes[attr] = rec.Value
			delete(u.Pending, attr)
		case u.Attributes[attr] != rec.Value:
			// The attribute changed since the code was sent: the code proves nothing now.
			failure = errCodeMismatch()
			return nil
		}
		u.Attributes[attr+"_verified"] = "true"
		u.Modified = s.now()
		return aliasError(s.putUser(tx, p, &old, &u, false), false)
	})
	if err != nil {
		return internal("verify user attribute", err)
	}
	return failure
}

// RevokeToken revokes a refresh token and every access token of the same authentication.
func (s *Service) RevokeToken(ctx context.Context, token, clientID, clientSecret string) error {
	err := s.update(ctx, func(tx storage.Tx) error {
		_, cr, err := resolveClient(tx, clientID)
		if err != nil {
			return err
		}
		if len(cr.Secrets) > 0 || clientSecret != "" {
			if !s.secretMatches(cr, clientSecret) {
				return awserr.New("UnauthorizedException", "Invalid client secret.")
			}
		}
		if !cr.Client.EnableTokenRevocation {
			return awserr.New("UnsupportedOperationException", "Token revocation is not enabled for the app client.")
		}
		if s.Tokens == nil {
			return awserr.New("UnsupportedTokenTypeException", "Unsupported token type.")
		}
		rc, err := s.Tokens.ParseRefresh(ctx, token)
		if err != nil {
			return awserr.New("UnsupportedTokenTypeException", "Unsupported token type.")
		}
		if rc.ClientID != clientID {
			return awserr.New("UnauthorizedException", "Client is not authorized to revoke this token.")
		}
		rec, err := getPool(tx, rc.PoolID)
		if err != nil {
			return nil // the pool is gone: nothing left to revoke
		}
		err = tx.Delete(originKey(rc.PoolID, normName(&rec.Pool, rc.Username), rc.OriginJTI))
		if isNotFound(err) {
			return nil // revoking twice is not an error
		}
		return err
	})
	return internal("revoke token", err)
}
