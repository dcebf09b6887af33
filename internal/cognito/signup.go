package cognito

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

// SignUpInput is SignUpRequest.
type SignUpInput struct {
	ClientId       string            `json:"ClientId"`
	SecretHash     string            `json:"SecretHash,omitempty"`
	Username       string            `json:"Username"`
	Password       string            `json:"Password,omitempty"`
	UserAttributes []Attribute       `json:"UserAttributes,omitempty"`
	ValidationData []Attribute       `json:"ValidationData,omitempty"`
	ClientMetadata map[string]string `json:"ClientMetadata,omitempty"`
}

// SignUpOutput is SignUpResponse.
type SignUpOutput struct {
	UserConfirmed       bool                 `json:"UserConfirmed"`
	CodeDeliveryDetails *CodeDeliveryDetails `json:"CodeDeliveryDetails,omitempty"`
	UserSub             string               `json:"UserSub"`
}

// preventsExistenceErrors reports whether the client hides whether a user exists.
func preventsExistenceErrors(c *Client) bool { return c.PreventUserExistenceErrors == "ENABLED" }

// clientUser is what a public operation addressed by ClientId and Username works on: the pool
// and app client (SECRET_HASH already checked) and the user, when one has that name.
type clientUser struct {
	pool   *UserPool
	client *Client
	user   userRecord
	found  bool
}

// prevent reports whether the app client hides whether users exist.
func (c *clientUser) prevent() bool { return preventsExistenceErrors(c.client) }

// unknownUser is the error for a user that does not exist: hidden when the client prevents
// user-existence errors, UserNotFoundException otherwise.
func (c *clientUser) unknownUser(hidden error) error {
	if c.prevent() {
		return hidden
	}
	return errUnknownUserForClient()
}

// lookupClientUser resolves the app client, enforces its SECRET_HASH and finds the user.
func (s *Service) lookupClientUser(tx storage.Tx, clientID, username, secretHash string) (*clientUser, error) {
	rec, cr, err := resolveClient(tx, clientID)
	if err != nil {
		return nil, err
	}
	if err := s.checkSecretHash(cr, username, secretHash); err != nil {
		return nil, err
	}
	u, ok, err := findUser(tx, &rec.Pool, username)
	if err != nil {
		return nil, err
	}
	return &clientUser{pool: &rec.Pool, client: &cr.Client, user: u, found: ok}, nil
}

func errUnknownUserForClient() error {
	return awserr.New(ErrUserNotFound, "Username/client id combination not found.")
}

// signUpCodeAttribute picks where a sign-up confirmation code goes: the phone number when the
// pool verifies phone numbers automatically and the user has one, otherwise the email.
func signUpCodeAttribute(p *UserPool, attrs map[string]string) string {
	if slices.Contains(p.AutoVerifiedAttributes, "phone_number") && attrs["phone_number"] != "" {
		return "phone_number"
	}
	if slices.Contains(p.AutoVerifiedAttributes, "email") && attrs["email"] != "" {
		return "email"
	}
	return ""
}

// checkWritable enforces the app client's WriteAttributes on attributes a user sets.
// Without WriteAttributes a client may write every attribute except the verification flags:
// a user proves an address with a code, never by claiming it verified.
func checkWritable(c *Client, attrs []Attribute) error {
	for _, a := range attrs {
		allowed := slices.Contains(c.WriteAttributes, a.Name)
		if len(c.WriteAttributes) == 0 {
			allowed = a.Name != "email_verified" && a.Name != "phone_number_verified"
		}
		if !allowed {
			return awserr.New(awserr.NotAuthorized, "A client attempted to write unauthorized attribute")
		}
	}
	return nil
}

// signUpPlan is a sign-up request that passed validation.
type signUpPlan struct {
	pool   *UserPool
	client *Client
	cr     clientRecord
	// attrs are the validated attributes; withName adds the attribute a pool that signs in by
	// email or phone number fills from the user name (what triggers see).
	attrs, withName map[string]string
	// name is the canonical user name: the sub when the pool signs in by email or phone.
	name string
}

// planSignUp validates a sign-up; sub is the sub the user will get.
func (s *Service) planSignUp(tx storage.Tx, in *SignUpInput, sub string) (*signUpPlan, error) {
	rec, cr, err := resolveClient(tx, in.ClientId)
	if err != nil {
		return nil, err
	}
	if err := s.checkSecretHash(cr, in.Username, in.SecretHash); err != nil {
		return nil, err
	}
	p := &rec.Pool
	if p.AdminCreateUserConfig != nil && p.AdminCreateUserConfig.AllowAdminCreateUserOnly {
		return nil, awserr.New(awserr.NotAuthorized, "SignUp is not permitted for this user pool")
	}
	if err := checkWritable(&cr.Client, in.UserAttributes); err != nil {
		return nil, err
	}
	attrs, err := validateAttributes(p.SchemaAttributes, in.UserAttributes, modeUser, true)
	if err != nil {
		return nil, err
	}
	if in.Password == "" {
		return nil, errInvalidParam("Missing required parameter Password")
	}
	if err := checkPassword(p, in.Password, policyPrefix); err != nil {
		return nil, err
	}
	plan := &signUpPlan{pool: p, client: &cr.Client, cr: cr, attrs: attrs, withName: cloneMap(attrs), name: in.Username}
	if len(p.UsernameAttributes) > 0 {
		if a, err := usernameAttributeFor(p, in.Username); err == nil {
			plan.withName[a] = in.Username
		}
		plan.name = sub
	}
	if missing := requiredMissing(p.SchemaAttributes, plan.withName); len(missing) > 0 {
		problems := make([]string, len(missing))
		for i, m := range missing {
			problems[i] = m + ": The attribute is required"
		}
		return nil, schemaError(problems)
	}
	return plan, nil
}

// SignUp registers a user through an app client and sends the confirmation code. The pool's
// pre sign-up trigger may refuse the user or confirm it (and verify its email address or phone
// number) at once; a confirmation code then is not sent.
func (s *Service) SignUp(ctx context.Context, in *SignUpInput) (*SignUpOutput, error) {
	sub := s.newUUID()
	var plan *signUpPlan
	err := s.view(ctx, func(tx storage.Tx) error {
		var err error
		if plan, err = s.planSignUp(tx, in, sub); err != nil {
			return err
		}
		if len(plan.pool.UsernameAttributes) == 0 {
			// A taken name is refused before any trigger runs.
			if _, err := tx.Get(userKey(plan.pool.Id, normName(plan.pool, in.Username))); err == nil {
				return awserr.New(ErrUsernameExists, "User already exists")
			} else if !isNotFound(err) {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, internal("sign up", err)
	}
	auto, err := s.preSignUp(ctx, plan.pool, "PreSignUp_SignUp", plan.name, plan.client.ClientId, plan.withName, in.ValidationData, in.ClientMetadata)
	if err != nil {
		return nil, err
	}
	verified := cloneMap(plan.withName)
	confirmed, err := auto.apply(verified)
	if err != nil {
		return nil, err
	}
	// The verifier's exponentiation runs outside the write transaction.
	pw, err := s.makePassword(plan.pool.Id, plan.name, in.Password)
	if err != nil {
		return nil, err
	}
	var (
		out SignUpOutput
		msg *Message
	)
	err = s.update(ctx, func(tx storage.Tx) error {
		msg = nil
		plan, err := s.planSignUp(tx, in, sub)
		if err != nil {
			return err
		}
		p, attrs := plan.pool, plan.attrs
		status := StatusUnconfirmed
		if confirmed {
			status = StatusConfirmed
			for _, f := range []string{"email_verified", "phone_number_verified"} {
				if verified[f] == "true" {
					attrs[f] = "true"
				}
			}
		}
		// An address the trigger verifies becomes the new user's alias, taken from any other
		// user (AWS: "the alias will be moved to the new user").
		force := auto.AutoVerifyEmail || auto.AutoVerifyPhone
		u, err := s.createUser(tx, p, newUserInput{Name: in.Username, Sub: sub, Attrs: attrs, Status: status, Password: &pw,
			Force: force, ExistsMessage: "User already exists"})
		if err != nil {
			return err
		}
		out = SignUpOutput{UserConfirmed: confirmed, UserSub: u.sub()}
		if attr := signUpCodeAttribute(p, u.Attributes); attr != "" && !confirmed {
			m, err := s.signUpCode(tx, p, &u, attr, plan.client.ClientId, "SignUp")
			if err != nil {
				return err
			}
			msg = &m
			out.CodeDeliveryDetails = details(m, attr)
		}
		return nil
	})
	if err != nil {
		return nil, internal("sign up", err)
	}
	if msg != nil {
		if err := s.send(ctx, *msg, msgTrigger{clientID: in.ClientId, meta: in.ClientMetadata}); err != nil {
			return nil, err
		}
	}
	return &out, nil
}

func details(m Message, attr string) *CodeDeliveryDetails {
	return &CodeDeliveryDetails{Destination: maskDestination(m.Medium, m.Destination), DeliveryMedium: m.Medium, AttributeName: attr}
}

// signUpCode creates a sign-up confirmation code sent to attr and returns its message.
func (s *Service) signUpCode(tx storage.Tx, p *UserPool, u *userRecord, attr, clientID, purpose string) (Message, error) {
	code, err := s.newCode(tx, p.Id, normName(p, u.Username), purposeSignUp, signUpCodeValidity, codeRecord{Attribute: attr, Value: u.Attributes[attr]})
	if err != nil {
		return Message{}, err
	}
	medium := mediumFor(attr)
	subject, body := s.verificationMessage(p, medium, u.Username, code, clientID)
	return Message{PoolID: p.Id, Username: u.Username, Medium: medium, Destination: u.Attributes[attr],
		Subject: subject, Body: body, Code: code, Purpose: purpose}, nil
}

// ConfirmSignUpInput is ConfirmSignUpRequest.
type ConfirmSignUpInput struct {
	ClientId           string            `json:"ClientId"`
	SecretHash         string            `json:"SecretHash,omitempty"`
	Username           string            `json:"Username"`
	ConfirmationCode   string            `json:"ConfirmationCode"`
	ForceAliasCreation bool              `json:"ForceAliasCreation,omitempty"`
	ClientMetadata     map[string]string `json:"ClientMetadata,omitempty"`
	Session            string            `json:"Session,omitempty"`
}

// ConfirmSignUp confirms a user with the code sent at sign-up; the attribute the code went to
// becomes verified.
func (s *Service) ConfirmSignUp(ctx context.Context, in *ConfirmSignUpInput) error {
	var (
		failure   error
		pool      *UserPool
		confirmed userRecord
	)
	err := s.update(ctx, func(tx storage.Tx) error {
		failure = nil
		cu, err := s.lookupClientUser(tx, in.ClientId, in.Username, in.SecretHash)
		if err != nil {
			return err
		}
		p, u := cu.pool, cu.user
		if !cu.found {
			return cu.unknownUser(errCodeMismatch())
		}
		if u.Status != StatusUnconfirmed {
			return awserr.Newf(awserr.NotAuthorized, "User cannot be confirmed. Current status is %s", u.Status)
		}
		code, fail, err := s.consumeCode(tx, p.Id, normName(p, u.Username), purposeSignUp, in.ConfirmationCode)
		if err != nil {
			return err
		}
		if fail != nil {
			failure = fail
			return nil // commit the attempt count
		}
		old := cloneUser(u)
		u.Status = StatusConfirmed
		if code.Attribute != "" && u.Attributes[code.Attribute] == code.Value {
			u.Attributes[code.Attribute+"_verified"] = "true"
		}
		u.Modified = s.now()
		pool, confirmed = p, u
		return aliasError(s.putUser(tx, p, &old, &u, in.ForceAliasCreation), len(p.UsernameAttributes) > 0)
	})
	if err != nil {
		return internal("confirm sign up", err)
	}
	if failure != nil {
		return failure
	}
	return s.postConfirmation(ctx, pool, &confirmed, "PostConfirmation_ConfirmSignUp", in.ClientId, in.ClientMetadata)
}

// ClientUserInput is the request of ResendConfirmationCode and ForgotPassword.
type ClientUserInput struct {
	ClientId       string            `json:"ClientId"`
	SecretHash     string            `json:"SecretHash,omitempty"`
	Username       string            `json:"Username"`
	ClientMetadata map[string]string `json:"ClientMetadata,omitempty"`
}

// simulatedDetails returns plausible, deterministic CodeDeliveryDetails for a user that does
// not exist (or must not get a code), so that PreventUserExistenceErrors hides which users
// exist. As AWS documents, the simulated medium follows the format of the user name given and
// the pool's verification settings: an email address or phone number is masked as if the code
// went to it; any other name gets a stable made-up destination.
func (s *Service) simulatedDetails(p *UserPool, name string) *CodeDeliveryDetails {
	switch {
	case validEmail(name):
		return &CodeDeliveryDetails{Destination: maskDestination("EMAIL", name), DeliveryMedium: "EMAIL", AttributeName: "email"}
	case validPhone(name):
		return &CodeDeliveryDetails{Destination: maskDestination("SMS", name), DeliveryMedium: "SMS", AttributeName: "phone_number"}
	}
	h := sha256.Sum256(s.Keys.MAC("simulated-delivery", p.Id, name))
	hx := hex.EncodeToString(h[:])
	if slices.Contains(p.AutoVerifiedAttributes, "phone_number") && !slices.Contains(p.AutoVerifiedAttributes, "email") {
		return &CodeDeliveryDetails{Destination: "+*******" + digitsOf(hx, 4), DeliveryMedium: "SMS", AttributeName: "phone_number"}
	}
	return &CodeDeliveryDetails{Destination: string(hx[0]) + "***@" + string(hx[1]) + "***", DeliveryMedium: "EMAIL", AttributeName: "email"}
}

func digitsOf(hx string, n int) string {
	out := make([]byte, 0, n)
	for i := 0; len(out) < n && i < len(hx); i++ {
		out = append(out, '0'+hx[i]%10)
	}
	return string(out)
}

// issueCode runs the shape shared by ResendConfirmationCode and ForgotPassword: find the client
// and user, let issue create a code (or decide on simulated details), commit, then deliver.
// An unknown user, and any user issue reports as hidden, gets simulated CodeDeliveryDetails
// when the client prevents user-existence errors.
func (s *Service) issueCode(ctx context.Context, op string, in *ClientUserInput,
	issue func(tx storage.Tx, cu *clientUser) (msg *Message, attr string, hidden bool, err error)) (*CodeDeliveryDetails, error) {
	var (
		out *CodeDeliveryDetails
		msg *Message
	)
	err := s.update(ctx, func(tx storage.Tx) error {
		out, msg = nil, nil
		cu, err := s.lookupClientUser(tx, in.ClientId, in.Username, in.SecretHash)
		if err != nil {
			return err
		}
		if !cu.found {
			if cu.prevent() {
				out = s.simulatedDetails(cu.pool, in.Username)
				return nil
			}
			return errUnknownUserForClient()
		}
		m, attr, hidden, err := issue(tx, cu)
		switch {
		case err != nil:
			return err
		case hidden:
			out = s.simulatedDetails(cu.pool, in.Username)
		default:
			msg, out = m, details(*m, attr)
		}
		return nil
	})
	if err != nil {
		return nil, internal(op, err)
	}
	if msg != nil {
		if err := s.send(ctx, *msg, msgTrigger{clientID: in.ClientId, meta: in.ClientMetadata}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ResendConfirmationCode sends a new sign-up confirmation code.
func (s *Service) ResendConfirmationCode(ctx context.Context, in *ClientUserInput) (*CodeDeliveryDetails, error) {
	return s.issueCode(ctx, "resend confirmation code", in, func(tx storage.Tx, cu *clientUser) (*Message, string, bool, error) {
		p, u := cu.pool, cu.user
		if !u.Enabled && cu.prevent() {
			// AWS: with PreventUserExistenceErrors, a disabled user gets CodeDeliveryDetails
			// as an unknown one does, and no code.
			return nil, "", true, nil
		}
		if u.Status != StatusUnconfirmed {
			return nil, "", false, errInvalidParam("User is already confirmed.")
		}
		attr := signUpCodeAttribute(p, u.Attributes)
		if attr == "" {
			return nil, "", false, errInvalidParam("Auto verification not turned on.")
		}
		m, err := s.signUpCode(tx, p, &u, attr, cu.client.ClientId, "ResendCode")
		return &m, attr, false, err
	})
}

// ForgotPassword sends a password-reset code to the user's verified email or phone number. A user
// who does not exist may first be migrated by the pool's user migration trigger.
func (s *Service) ForgotPassword(ctx context.Context, in *ClientUserInput) (*CodeDeliveryDetails, error) {
	if err := s.migrateForReset(ctx, in); err != nil {
		return nil, err
	}
	return s.issueCode(ctx, "forgot password", in, func(tx storage.Tx, cu *clientUser) (*Message, string, bool, error) {
		p, u := cu.pool, cu.user
		if !u.Enabled {
			// AWS: with PreventUserExistenceErrors a deactivated user gets simulated
			// CodeDeliveryDetails, like an unknown one.
			if cu.prevent() {
				return nil, "", true, nil
			}
			return nil, "", false, awserr.New(awserr.NotAuthorized, "User is disabled.")
		}
		if u.Status == StatusForceChangePassword || u.Status == StatusExternalProvider {
			return nil, "", false, awserr.New(awserr.NotAuthorized, "User password cannot be reset in the current state.")
		}
		attr, err := recoveryDestination(p, &u)
		if err != nil && cu.prevent() && awserr.Is(err, awserr.InvalidParameter) {
			// AWS: ... and so does a user without a verified email or phone number.
			return nil, "", true, nil
		}
		m, err := s.forgotCode(tx, p, &u, cu.client.ClientId, "ForgotPassword")
		return &m, attr, false, err
	})
}

// ConfirmForgotPasswordInput is ConfirmForgotPasswordRequest.
type ConfirmForgotPasswordInput struct {
	ClientId         string            `json:"ClientId"`
	SecretHash       string            `json:"SecretHash,omitempty"`
	Username         string            `json:"Username"`
	ConfirmationCode string            `json:"ConfirmationCode"`
	Password         string            `json:"Password"`
	ClientMetadata   map[string]string `json:"ClientMetadata,omitempty"`
}

// ConfirmForgotPassword sets a new password with a password-reset code.
func (s *Service) ConfirmForgotPassword(ctx context.Context, in *ConfirmForgotPasswordInput) error {
	var (
		failure error
		pool    *UserPool
		reset   userRecord
	)
	err := s.update(ctx, func(tx storage.Tx) error {
		failure = nil
		cu, err := s.lookupClientUser(tx, in.ClientId, in.Username, in.SecretHash)
		if err != nil {
			return err
		}
		p, u := cu.pool, cu.user
		// The policy is checked first, so that a weak password gets the same answer whether or
		// not the user exists.
		if err := checkPassword(p, in.Password, policyPrefix); err != nil {
			return err
		}
		if !cu.found {
			return cu.unknownUser(errCodeMismatch())
		}
		if !u.Enabled {
			// AWS: with PreventUserExistenceErrors a disabled user gets CodeMismatchException,
			// like an unknown one; otherwise the reset is refused as ForgotPassword refuses it.
			if cu.prevent() {
				return errCodeMismatch()
			}
			return awserr.New(awserr.NotAuthorized, "User is disabled.")
		}
		if cu.prevent() {
			// A user who never requested a code answers like an unknown one.
			if _, err := tx.Get(codeKey(p.Id, normName(p, u.Username), purposeForgot)); isNotFound(err) {
				return errCodeMismatch()
			}
		}
		code, fail, err := s.consumeCode(tx, p.Id, normName(p, u.Username), purposeForgot, in.ConfirmationCode)
		if err != nil {
			return err
		}
		if fail != nil {
			failure = fail
			return nil
		}
		old := cloneUser(u)
		status := u.Status
		if err := s.setPassword(p, &u, in.Password, true); err != nil {
			return err
		}
		if status == StatusUnconfirmed {
			u.Status = StatusUnconfirmed
		}
		if code.Attribute != "" && code.Value != "" && u.Attributes[code.Attribute] == code.Value {
			u.Attributes[code.Attribute+"_verified"] = "true"
		}
		u.Modified = s.now()
		pool, reset = p, u
		return aliasError(s.putUser(tx, p, &old, &u, false), false)
	})
	if err != nil {
		return internal("confirm forgot password", err)
	}
	if failure != nil {
		return failure
	}
	return s.postConfirmation(ctx, pool, &reset, "PostConfirmation_ConfirmForgotPassword", in.ClientId, in.ClientMetadata)
}
