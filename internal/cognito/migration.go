package cognito

import (
	"context"
	"maps"
	"slices"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

// The user migration trigger: when a user who does not exist signs in with a password or asks
// for a password reset, the function may return the user's attributes from another directory;
// the user is created and the operation continues.

// userMigrationRequest is the request of a user migration event: password is the one the user
// signed in with (absent in the forgot-password flow), validationData the ClientMetadata of
// InitiateAuth, clientMetadata that of ForgotPassword.
type userMigrationRequest struct {
	Password       *string           `json:"password,omitempty"`
	ValidationData map[string]string `json:"validationData"`
	ClientMetadata map[string]string `json:"clientMetadata,omitempty"`
}

// userMigrationResponse is the response of a user migration event as Cognito pre-fills it.
type userMigrationResponse struct {
	UserAttributes         map[string]string `json:"userAttributes"`
	FinalUserStatus        *string           `json:"finalUserStatus"`
	MessageAction          *string           `json:"messageAction"`
	DesiredDeliveryMediums []string          `json:"desiredDeliveryMediums"`
	ForceAliasCreation     bool              `json:"forceAliasCreation"`
}

// errMigration is the error Cognito reports when a user cannot be migrated: the function cannot
// be invoked or returned no user.
func errMigration(clientID string) error {
	return awserr.Newf(ErrUserNotFound, "Exception migrating user in app client %s", clientID)
}

// migration is one user migration: who asks, through which client, and what they gave.
type migration struct {
	pool   *UserPool
	client *Client
	// name is the user name as the user entered it.
	name string
	// password is the password of a sign-in; nil in the forgot-password flow.
	password *string
	source   string
	// validation and meta are the event's validationData and clientMetadata.
	validation, meta map[string]string
}

// migrateUser runs the pool's user migration trigger and creates the user it returns. The
// password of a sign-in becomes the user's password without the pool's password policy (as in
// Cognito); a user migrated for a password reset has none until the reset and is
// RESET_REQUIRED.
func (s *Service) migrateUser(ctx context.Context, m migration) (userRecord, error) {
	p := m.pool
	req := userMigrationRequest{Password: m.password, ValidationData: metadata(m.validation), ClientMetadata: metadata(m.meta)}
	f, err := s.invokeTrigger(ctx, p, trigUserMigration, triggersOf(p).UserMigration,
		s.newEvent(p, m.source, m.name, m.client.ClientId, req, userMigrationResponse{}))
	if awserr.Is(err, ErrUnexpectedLambda) {
		return userRecord{}, errMigration(m.client.ClientId)
	}
	var r userMigrationResponse
	if err == nil {
		err = f.members(map[string]any{"userAttributes": &r.UserAttributes, "finalUserStatus": &r.FinalUserStatus,
			"messageAction": &r.MessageAction, "desiredDeliveryMediums": &r.DesiredDeliveryMediums, "forceAliasCreation": &r.ForceAliasCreation})
	}
	if err != nil {
		return userRecord{}, err
	}
	if len(r.UserAttributes) == 0 {
		return userRecord{}, errMigration(m.client.ClientId)
	}
	status := StatusConfirmed
	switch deref(r.FinalUserStatus, "") {
	case "", StatusConfirmed:
	case StatusResetRequired:
		status = StatusResetRequired
	default:
		return userRecord{}, awserr.New(ErrUserNotFound, "Error during migration: Invalid finalUserStatus")
	}
	if a := deref(r.MessageAction, ""); a != "" && a != "SUPPRESS" && a != "RESEND" {
		return userRecord{}, awserr.New(ErrUserNotFound, "Error during migration: Invalid messageAction")
	}
	for _, d := range r.DesiredDeliveryMediums {
		if d != "EMAIL" && d != "SMS" {
			return userRecord{}, awserr.New(ErrUserNotFound, "Error during migration: Invalid desiredDeliveryMediums")
		}
	}
	list := make([]Attribute, 0, len(r.UserAttributes))
	for _, k := range slices.Sorted(maps.Keys(r.UserAttributes)) {
		list = append(list, Attribute{Name: k, Value: ptr(r.UserAttributes[k])})
	}
	attrs, err := validateAttributes(p.SchemaAttributes, list, modeAdmin, true)
	if err != nil {
		if e, ok := awserr.As(err); ok {
			return userRecord{}, awserr.New(ErrUserNotFound, e.Message)
		}
		return userRecord{}, err
	}
	sub := s.newUUID()
	canonical := m.name
	if len(p.UsernameAttributes) > 0 {
		canonical = sub
	}
	var pw *passwordRecord
	if m.password != nil {
		rec, err := s.makePassword(p.Id, canonical, *m.password)
		if err != nil {
			return userRecord{}, err
		}
		pw = &rec
	} else {
		status = StatusResetRequired
	}
	var u userRecord
	err = s.update(ctx, func(tx storage.Tx) error {
		if _, err := getPool(tx, p.Id); err != nil {
			return err
		}
		var err error
		u, err = s.createUser(tx, p, newUserInput{Name: m.name, Sub: sub, Attrs: cloneMap(attrs), Status: status,
			Password: pw, Force: r.ForceAliasCreation, ExistsMessage: "User already exists"})
		return err
	})
	if err != nil {
		return userRecord{}, internal("migrate user", err)
	}
	return u, nil
}

// migrateForReset runs the user migration trigger for ForgotPassword when the user does not
// exist. A user the function does not return stays unknown (and, for clients that prevent
// user-existence errors, gets the simulated answer of an unknown user).
func (s *Service) migrateForReset(ctx context.Context, in *ClientUserInput) error {
	var cu *clientUser
	err := s.view(ctx, func(tx storage.Tx) error {
		var err error
		cu, err = s.lookupClientUser(tx, in.ClientId, in.Username, in.SecretHash)
		return err
	})
	if err != nil {
		return internal("forgot password", err)
	}
	if cu.found || triggersOf(cu.pool).UserMigration == "" {
		return nil
	}
	_, err = s.migrateUser(ctx, migration{pool: cu.pool, client: cu.client, name: in.Username, source: "UserMigration_ForgotPassword",
		meta: in.ClientMetadata})
	if cu.prevent() && awserr.Is(err, ErrUserNotFound) {
		return nil
	}
	return err
}
