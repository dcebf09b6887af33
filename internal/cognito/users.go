package cognito

import (
	"context"
	"errors"
	"iter"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/awsjson"
	"github.com/gatehouse-dev/gatehouse/internal/cognito/filter"
	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

// User statuses.
const (
	StatusUnconfirmed         = "UNCONFIRMED"
	StatusConfirmed           = "CONFIRMED"
	StatusForceChangePassword = "FORCE_CHANGE_PASSWORD"
	StatusResetRequired       = "RESET_REQUIRED"
	StatusExternalProvider    = "EXTERNAL_PROVIDER"
)

// userRecord is what is stored for a user.
type userRecord struct {
	// Username is the canonical user name as created (the sub when the pool signs in by email
	// or phone number). It never changes.
	Username   string
	Attributes map[string]string
	Enabled    bool
	Status     string
	Created    time.Time
	Modified   time.Time
	Password   *passwordRecord  `json:",omitempty"`
	History    []passwordRecord `json:",omitempty"`
	// TempPasswordExpires is when a temporary password (FORCE_CHANGE_PASSWORD) stops working.
	TempPasswordExpires time.Time `json:",omitempty"`
	// Pending holds new values of attributes that must be verified before they take effect
	// (UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate).
	Pending map[string]string `json:",omitempty"`
	// MFA settings (used by the sign-in flows).
	MFAOptions   []MFAOption `json:",omitempty"`
	PreferredMfa string      `json:",omitempty"`
	MfaSettings  []string    `json:",omitempty"`
	// Totp is the user's software token (AssociateSoftwareToken / VerifySoftwareToken).
	Totp *totpRecord `json:",omitempty"`
}

func (u *userRecord) sub() string { return u.Attributes["sub"] }

// caseSensitive reports whether the pool compares user names (and sign-in aliases) exactly.
// Pools created without UsernameConfiguration are case sensitive, as in Cognito's API.
func caseSensitive(p *UserPool) bool {
	return p.UsernameConfiguration == nil || p.UsernameConfiguration.CaseSensitive == nil || *p.UsernameConfiguration.CaseSensitive
}

// normName returns the lookup form of a user name or alias value in pool p.
func normName(p *UserPool, name string) string {
	if caseSensitive(p) {
		return name
	}
	return strings.ToLower(name)
}

// signInAttributes lists the attributes users of p may sign in with besides the user name.
func signInAttributes(p *UserPool) []string {
	if len(p.UsernameAttributes) > 0 {
		return p.UsernameAttributes
	}
	return p.AliasAttributes
}

// aliases returns the sign-in aliases a user holds: attribute → normalized value. With
// UsernameAttributes the email/phone is always an alias; with AliasAttributes email and phone
// become aliases once verified and preferred_username always is.
func aliases(p *UserPool, u *userRecord) map[string]string {
	out := map[string]string{}
	usernameAttrs := len(p.UsernameAttributes) > 0
	for _, a := range signInAttributes(p) {
		v := u.Attributes[a]
		if v == "" {
			continue
		}
		if !usernameAttrs && a != "preferred_username" && u.Attributes[a+"_verified"] != "true" {
			continue
		}
		out[a] = normName(p, v)
	}
	return out
}

// searchEntries returns the ListUsers index entries for a user: attribute → normalized value.
func searchEntries(p *UserPool, u *userRecord) map[string]string {
	out := map[string]string{}
	for _, a := range filter.SearchableAttributes() {
		var v string
		switch a {
		case filter.AttrUsername:
			v = normName(p, u.Username)
		case filter.AttrUserStatus:
			v = u.Status
		case filter.AttrStatus:
			v = filter.StatusDisabled
			if u.Enabled {
				v = filter.StatusEnabled
			}
		default:
			var ok bool
			if v, ok = u.Attributes[a]; !ok {
				continue
			}
		}
		out[a] = filter.Normalize(a, v)
	}
	return out
}

// aliasConflict reports that a sign-in alias value belongs to another user.
type aliasConflict struct {
	Attr  string
	Owner string // user key of the current owner
}

func (e *aliasConflict) Error() string { return "alias " + e.Attr + " belongs to another user" }

// putUser stores u (whose previous version is old, nil for a new user) and keeps the sub,
// alias and search indexes in step. When force is true an alias held by another user moves to
// u (ForceAliasCreation) and the other user's attribute becomes unverified; otherwise such a
// conflict is returned as *aliasConflict.
func (s *Service) putUser(tx storage.Tx, p *UserPool, old, u *userRecord, force bool) error {
	ukey := normName(p, u.Username)
	if old == nil {
		if err := tx.Put(subKey(p.Id, u.sub()), []byte(ukey)); err != nil {
			return err
		}
	}
	oldAliases, oldSearch := map[string]string{}, map[string]string{}
	if old != nil {
		oldAliases, oldSearch = aliases(p, old), searchEntries(p, old)
	}
	newAliases, newSearch := aliases(p, u), searchEntries(p, u)
	for a, v := range sortedMap(oldAliases) {
		if newAliases[a] != v {
			if err := deleteOwnedAlias(tx, p.Id, a, v, ukey); err != nil {
				return err
			}
		}
	}
	for a, v := range sortedMap(newAliases) {
		if oldAliases[a] == v {
			continue
		}
		owner, err := tx.Get(aliasKey(p.Id, a, v))
		switch {
		case isNotFound(err):
		case err != nil:
			return err
		case string(owner) != ukey:
			// ForceAliasCreation moves a verified email or phone alias; a username attribute
			// (UsernameAttributes) or preferred_username never changes hands.
			if !force || len(p.UsernameAttributes) > 0 || a == "preferred_username" {
				return &aliasConflict{Attr: a, Owner: string(owner)}
			}
			if err := s.dropAlias(tx, p, string(owner), a); err != nil {
				return err
			}
		}
		if err := tx.Put(aliasKey(p.Id, a, v), []byte(ukey)); err != nil {
			return err
		}
	}
	for a, v := range sortedMap(oldSearch) {
		if newSearch[a] != v {
			if err := tx.Delete(searchKey(p.Id, a, v, ukey)); err != nil && !isNotFound(err) {
				return err
			}
		}
	}
	for a, v := range sortedMap(newSearch) {
		if oldSearch[a] != v {
			if err := tx.Put(searchKey(p.Id, a, v, ukey), nil); err != nil {
				return err
			}
		}
	}
	return storage.PutJSON(tx, userKey(p.Id, ukey), u)
}

// deleteOwnedAlias removes the alias key (attr, value) if it points at ukey: an alias that has
// since moved to another user stays with that user.
func deleteOwnedAlias(tx storage.Tx, pool, attr, value, ukey string) error {
	owner, err := tx.Get(aliasKey(pool, attr, value))
	if isNotFound(err) || (err == nil && string(owner) != ukey) {
		return nil
	}
	if err != nil {
		return err
	}
	return tx.Delete(aliasKey(pool, attr, value))
}

// dropAlias takes alias attribute a away from the user at ukey by marking it unverified.
func (s *Service) dropAlias(tx storage.Tx, p *UserPool, ukey, a string) error {
	other, err := storage.GetJSON[userRecord](tx, userKey(p.Id, ukey))
	if err != nil {
		return err
	}
	before := other
	before.Attributes = cloneMap(other.Attributes)
	if a == "preferred_username" {
		delete(other.Attributes, a)
	} else {
		other.Attributes[a+"_verified"] = "false"
	}
	other.Modified = s.now()
	return s.putUser(tx, p, &before, &other, false)
}

// deleteUser removes a user and every index entry, code and group membership of it.
func (s *Service) deleteUser(tx storage.Tx, p *UserPool, u *userRecord) error {
	ukey := normName(p, u.Username)
	for a, v := range sortedMap(aliases(p, u)) {
		if err := deleteOwnedAlias(tx, p.Id, a, v, ukey); err != nil {
			return err
		}
	}
	for a, v := range sortedMap(searchEntries(p, u)) {
		if err := tx.Delete(searchKey(p.Id, a, v, ukey)); err != nil && !isNotFound(err) {
			return err
		}
	}
	if err := tx.Delete(subKey(p.Id, u.sub())); err != nil && !isNotFound(err) {
		return err
	}
	// The user's codes and failure counter ("\x00" cannot occur in a user name, so "a" and
	// "a/b" have distinct prefixes).
	if _, err := tx.DeletePrefix(codePrefix(p.Id, ukey)); err != nil {
		return err
	}
	groups, err := tx.Scan(userGroupPrefix(p.Id, ukey), "", 0)
	if err != nil {
		return err
	}
	for _, g := range groups {
		name := strings.TrimPrefix(g.Key, userGroupPrefix(p.Id, ukey))
		if err := tx.Delete(memberPrefix(p.Id, name) + ukey); err != nil && !isNotFound(err) {
			return err
		}
	}
	if _, err := tx.DeletePrefix(userGroupPrefix(p.Id, ukey)); err != nil {
		return err
	}
	return tx.Delete(userKey(p.Id, ukey))
}

// sortedMap iterates m in key order, so that every transaction writes index keys in the same
// order (see storage.Store on write order).
func sortedMap(m map[string]string) iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		for _, k := range slices.Sorted(maps.Keys(m)) {
			if !yield(k, m[k]) {
				return
			}
		}
	}
}

func cloneMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func cloneUser(u userRecord) userRecord {
	c := u
	c.Attributes = cloneMap(u.Attributes)
	if u.Pending != nil {
		c.Pending = cloneMap(u.Pending)
	}
	c.MfaSettings = slices.Clone(u.MfaSettings)
	if u.Totp != nil {
		t := *u.Totp
		c.Totp = &t
	}
	return c
}

// findUser resolves name as Cognito does: the user name, then a sign-in alias, then the sub.
func findUser(tx storage.Tx, p *UserPool, name string) (userRecord, bool, error) {
	n := normName(p, name)
	u, err := storage.GetJSON[userRecord](tx, userKey(p.Id, n))
	if err == nil {
		return u, true, nil
	}
	if !isNotFound(err) {
		return u, false, err
	}
	for _, a := range signInAttributes(p) {
		owner, err := tx.Get(aliasKey(p.Id, a, n))
		if isNotFound(err) {
			continue
		}
		if err != nil {
			return u, false, err
		}
		u, err := storage.GetJSON[userRecord](tx, userKey(p.Id, string(owner)))
		if isNotFound(err) {
			continue
		}
		return u, err == nil, err
	}
	owner, err := tx.Get(subKey(p.Id, strings.ToLower(name)))
	if isNotFound(err) {
		return u, false, nil
	}
	if err != nil {
		return u, false, err
	}
	u, err = storage.GetJSON[userRecord](tx, userKey(p.Id, string(owner)))
	if isNotFound(err) {
		return u, false, nil
	}
	return u, err == nil, err
}

// poolUser loads a pool and one of its users (ResourceNotFoundException, UserNotFoundException).
func poolUser(tx storage.Tx, pool, name string) (*UserPool, userRecord, error) {
	rec, err := getPool(tx, pool)
	if err != nil {
		return nil, userRecord{}, err
	}
	u, err := mustFindUser(tx, &rec.Pool, name)
	return &rec.Pool, u, err
}

// mustFindUser is findUser with UserNotFoundException for unknown users.
func mustFindUser(tx storage.Tx, p *UserPool, name string) (userRecord, error) {
	u, ok, err := findUser(tx, p, name)
	if err == nil && !ok {
		err = errUserNotFound()
	}
	return u, err
}

// attributeList renders a user's attributes in schema order (sub first). Developer-only
// attributes appear only to administrators; names lists which to include (nil: all).
func attributeList(p *UserPool, attrs map[string]string, admin bool, names []string) []Attribute {
	out := []Attribute{}
	seen := map[string]bool{}
	add := func(name string) {
		v, ok := attrs[name]
		if !ok || seen[name] {
			return
		}
		if !admin && strings.HasPrefix(name, "dev:") {
			return
		}
		if names != nil && !slices.Contains(names, name) {
			return
		}
		seen[name] = true
		out = append(out, Attribute{Name: name, Value: ptr(v)})
	}
	for _, a := range p.SchemaAttributes {
		add(a.Name)
	}
	rest := make([]string, 0)
	for k := range attrs {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		add(k)
	}
	return out
}

func userView(p *UserPool, u *userRecord, names []string) UserView {
	return UserView{
		Username:             u.Username,
		Attributes:           attributeList(p, u.Attributes, true, names),
		UserCreateDate:       awsjson.At(u.Created),
		UserLastModifiedDate: awsjson.At(u.Modified),
		Enabled:              u.Enabled,
		UserStatus:           u.Status,
		MFAOptions:           u.MFAOptions,
	}
}

// usernameAttributeFor decides which attribute a username given at sign-up fills when the pool
// signs in by email or phone number, or returns AWS's error for a name that is neither.
func usernameAttributeFor(p *UserPool, name string) (string, error) {
	email := slices.Contains(p.UsernameAttributes, "email")
	phone := slices.Contains(p.UsernameAttributes, "phone_number")
	switch {
	case email && validEmail(name):
		return "email", nil
	case phone && validPhone(name):
		return "phone_number", nil
	case email && phone:
		return "", errInvalidParam("Username should be either an email or a phone number.")
	case email:
		return "", errInvalidParam("Username should be an email.")
	default:
		return "", errInvalidParam("Username should be a phone number.")
	}
}

// checkAliasUsername rejects user names that look like an alias of an alias pool.
func checkAliasUsername(p *UserPool, name string) error {
	if slices.Contains(p.AliasAttributes, "email") && validEmail(name) {
		return errInvalidParam("Username cannot be of email format, since user pool is configured for email alias.")
	}
	if slices.Contains(p.AliasAttributes, "phone_number") && validPhone(name) {
		return errInvalidParam("Username cannot be of phone number format, since user pool is configured for phone number alias.")
	}
	return nil
}

// newUserInput describes a user to create.
type newUserInput struct {
	Name string
	// Sub is the user's sub; a new one is made when empty.
	Sub      string
	Attrs    map[string]string
	Status   string
	Password *passwordRecord
	Force    bool
	// ExistsMessage is the UsernameExistsException message for a taken user name.
	ExistsMessage string
}

// createUser inserts a new user, resolving UsernameAttributes (the username becomes the sub) and
// reporting taken names and aliases with AWS's errors.
func (s *Service) createUser(tx storage.Tx, p *UserPool, in newUserInput) (userRecord, error) {
	name := in.Name
	attrs := in.Attrs
	sub := in.Sub
	if sub == "" {
		sub = s.newUUID()
	}
	attrs["sub"] = sub
	if len(p.UsernameAttributes) > 0 {
		a, err := usernameAttributeFor(p, name)
		if err != nil {
			return userRecord{}, err
		}
		if v, ok := attrs[a]; ok && v != name {
			return userRecord{}, errInvalidParam("The %s attribute must be equal to the username.", a)
		}
		attrs[a] = name
		name = sub
	} else if err := checkAliasUsername(p, name); err != nil {
		return userRecord{}, err
	}
	if _, err := tx.Get(userKey(p.Id, normName(p, name))); err == nil {
		return userRecord{}, awserr.New(ErrUsernameExists, in.ExistsMessage)
	} else if !isNotFound(err) {
		return userRecord{}, err
	}
	now := s.now()
	u := userRecord{Username: name, Attributes: attrs, Enabled: true, Status: in.Status, Created: now, Modified: now, Password: in.Password}
	if err := s.putUser(tx, p, nil, &u, in.Force); err != nil {
		return u, aliasError(err, len(p.UsernameAttributes) > 0)
	}
	return u, nil
}

// aliasError turns an *aliasConflict into AWS's error: UsernameExistsException when the alias
// is a username attribute, AliasExistsException otherwise.
func aliasError(err error, usernameAttr bool) error {
	var c *aliasConflict
	if !errors.As(err, &c) {
		return err
	}
	if usernameAttr {
		return awserr.Newf(ErrUsernameExists, "An account with the given %s already exists.", c.Attr)
	}
	return awserr.Newf(ErrAliasExists, "An account with the %s already exists.", strings.ReplaceAll(c.Attr, "_", " "))
}

// AdminCreateUserInput is AdminCreateUserRequest.
type AdminCreateUserInput struct {
	UserPoolId             string            `json:"UserPoolId"`
	Username               string            `json:"Username"`
	UserAttributes         []Attribute       `json:"UserAttributes,omitempty"`
	ValidationData         []Attribute       `json:"ValidationData,omitempty"`
	TemporaryPassword      string            `json:"TemporaryPassword,omitempty"`
	ForceAliasCreation     bool              `json:"ForceAliasCreation,omitempty"`
	MessageAction          string            `json:"MessageAction,omitempty"`
	DesiredDeliveryMediums []string          `json:"DesiredDeliveryMediums,omitempty"`
	ClientMetadata         map[string]string `json:"ClientMetadata,omitempty"`
}

// AdminCreateUser creates a user with a temporary password and sends the invitation. The pool's
// pre sign-up trigger (PreSignUp_AdminCreateUser) may refuse a new user; what it returns is
// otherwise ignored, as Cognito ignores it.
func (s *Service) AdminCreateUser(ctx context.Context, in *AdminCreateUserInput) (*UserView, error) {
	var (
		out  UserView
		msgs []Message
	)
	sub := s.newUUID()
	if in.MessageAction != "RESEND" {
		if err := s.adminPreSignUp(ctx, in, sub); err != nil {
			return nil, err
		}
	}
	err := s.update(ctx, func(tx storage.Tx) error {
		msgs = nil
		rec, err := getPool(tx, in.UserPoolId)
		if err != nil {
			return err
		}
		p := &rec.Pool
		pw := in.TemporaryPassword
		if pw != "" {
			if err := checkPassword(p, pw, tempPolicyPrefix); err != nil {
				return err
			}
		} else {
			pw = s.tempPassword(p)
		}
		var u userRecord
		if in.MessageAction == "RESEND" {
			u, err = mustFindUser(tx, p, in.Username)
			if err != nil {
				return err
			}
			if u.Status != StatusForceChangePassword {
				return awserr.Newf(ErrUnsupportedUserState, "Resend not possible. %s status is not FORCE_CHANGE_PASSWORD", u.Username)
			}
			old := cloneUser(u)
			pwRec, err := s.makePassword(p.Id, u.Username, pw)
			if err != nil {
				return err
			}
			u.Password = &pwRec
			u.TempPasswordExpires = s.now().Add(tempValidity(p))
			u.Modified = s.now()
			if err := s.putUser(tx, p, &old, &u, false); err != nil {
				return err
			}
		} else {
			attrs, err := validateAttributes(p.SchemaAttributes, in.UserAttributes, modeAdmin, true)
			if err != nil {
				return err
			}
			var pwRec passwordRecord
			u, err = s.createUser(tx, p, newUserInput{Name: in.Username, Sub: sub, Attrs: attrs, Status: StatusForceChangePassword,
				Force: in.ForceAliasCreation, ExistsMessage: "User account already exists"})
			if err != nil {
				return err
			}
			// After createUser, so that an email or phone number given as the user name counts.
			if err := checkVerifiedHasValue(u.Attributes, u.Attributes); err != nil {
				return err
			}
			if pwRec, err = s.makePassword(p.Id, u.Username, pw); err != nil {
				return err
			}
			old := cloneUser(u)
			u.Password = &pwRec
			u.TempPasswordExpires = s.now().Add(tempValidity(p))
			if err := s.putUser(tx, p, &old, &u, false); err != nil {
				return err
			}
		}
		if in.MessageAction != "SUPPRESS" {
			msgs, err = inviteMessages(p, &u, in.Username, pw, in.DesiredDeliveryMediums)
			if err != nil {
				return err
			}
		}
		out = userView(p, &u, nil)
		return nil
	})
	if err != nil {
		return nil, internal("admin create user", err)
	}
	for _, m := range msgs {
		if err := s.send(ctx, m, msgTrigger{meta: in.ClientMetadata, loginName: in.Username}); err != nil {
			return nil, err
		}
	}
	return &out, nil
}

// adminPreSignUp checks an AdminCreateUser request that creates a user and runs the pool's pre
// sign-up trigger for it, before the write transaction; sub is the sub the user will get.
func (s *Service) adminPreSignUp(ctx context.Context, in *AdminCreateUserInput, sub string) error {
	var (
		p     *UserPool
		attrs map[string]string
		name  = in.Username
	)
	err := s.view(ctx, func(tx storage.Tx) error {
		rec, err := getPool(tx, in.UserPoolId)
		if err != nil {
			return err
		}
		p = &rec.Pool
		if triggersOf(p).PreSignUp == "" {
			return nil
		}
		if in.TemporaryPassword != "" {
			if err := checkPassword(p, in.TemporaryPassword, tempPolicyPrefix); err != nil {
				return err
			}
		}
		if attrs, err = validateAttributes(p.SchemaAttributes, in.UserAttributes, modeAdmin, true); err != nil {
			return err
		}
		if len(p.UsernameAttributes) > 0 {
			a, err := usernameAttributeFor(p, in.Username)
			if err != nil {
				return err
			}
			attrs[a], name = in.Username, sub
		} else if err := checkAliasUsername(p, in.Username); err != nil {
			return err
		}
		if _, err := tx.Get(userKey(p.Id, normName(p, name))); err == nil {
			return awserr.New(ErrUsernameExists, "User account already exists")
		} else if !isNotFound(err) {
			return err
		}
		return nil
	})
	if err != nil {
		return internal("admin create user", err)
	}
	if attrs == nil {
		return nil
	}
	_, err = s.preSignUp(ctx, p, "PreSignUp_AdminCreateUser", name, "", attrs, in.ValidationData, in.ClientMetadata)
	return err
}

func tempValidity(p *UserPool) time.Duration {
	days := defaultTempPasswordDays
	if p.Policies != nil && p.Policies.PasswordPolicy != nil && p.Policies.PasswordPolicy.TemporaryPasswordValidityDays != nil {
		days = *p.Policies.PasswordPolicy.TemporaryPasswordValidityDays
	}
	return time.Duration(days) * 24 * time.Hour
}

// inviteMessages builds the AdminCreateUser invitations for the requested media. Without
// DesiredDeliveryMediums Cognito uses SMS; a user without a phone number then gets email.
func inviteMessages(p *UserPool, u *userRecord, loginName, pw string, mediums []string) ([]Message, error) {
	var out []Message
	explicit := len(mediums) > 0
	if !explicit {
		if u.Attributes["phone_number"] != "" {
			mediums = []string{"SMS"}
		} else if u.Attributes["email"] != "" {
			mediums = []string{"EMAIL"}
		}
	}
	for _, m := range mediums {
		attr := "email"
		if m == "SMS" {
			attr = "phone_number"
		}
		dest := u.Attributes[attr]
		if dest == "" {
			if explicit {
				medium := "Email"
				if m == "SMS" {
					medium = "Sms"
				}
				return nil, errInvalidParam("No %s provided but desired delivery medium was %s", attr, medium)
			}
			continue
		}
		if !strings.Contains(inviteTemplate(p, m), "{####}") {
			// AWS: "If your template doesn't have this placeholder, Amazon Cognito doesn't
			// deliver the invitation message."
			continue
		}
		subject, body := inviteMessage(p, m, loginName, pw)
		out = append(out, Message{PoolID: p.Id, Username: u.Username, Medium: m, Destination: dest,
			Subject: subject, Body: body, Code: pw, Purpose: "AdminCreateUser"})
	}
	return out, nil
}

// checkVerifiedHasValue refuses email_verified or phone_number_verified in req when the user
// (whose attributes after the change are attrs) has no email or phone number: AdminCreateUser
// documents that "you must provide a value for email when you want to set email_verified".
func checkVerifiedHasValue(req, attrs map[string]string) error {
	if _, ok := req["email_verified"]; ok && attrs["email"] == "" {
		return errInvalidParam("Email is required to verify/un-verify an email")
	}
	if _, ok := req["phone_number_verified"]; ok && attrs["phone_number"] == "" {
		return errInvalidParam("Phone Number is required to verify/un-verify a phone number")
	}
	return nil
}

// AdminGetUserOutput is AdminGetUserResponse.
type AdminGetUserOutput struct {
	Username             string       `json:"Username"`
	UserAttributes       []Attribute  `json:"UserAttributes"`
	UserCreateDate       awsjson.Time `json:"UserCreateDate"`
	UserLastModifiedDate awsjson.Time `json:"UserLastModifiedDate"`
	Enabled              bool         `json:"Enabled"`
	UserStatus           string       `json:"UserStatus"`
	MFAOptions           []MFAOption  `json:"MFAOptions,omitempty"`
	PreferredMfaSetting  string       `json:"PreferredMfaSetting,omitempty"`
	UserMFASettingList   []string     `json:"UserMFASettingList,omitempty"`
}

// AdminGetUser returns a user as an administrator sees it.
func (s *Service) AdminGetUser(ctx context.Context, pool, name string) (*AdminGetUserOutput, error) {
	var out AdminGetUserOutput
	err := s.view(ctx, func(tx storage.Tx) error {
		p, u, err := poolUser(tx, pool, name)
		if err != nil {
			return err
		}
		out = AdminGetUserOutput{Username: u.Username, UserAttributes: attributeList(p, u.Attributes, true, nil),
			UserCreateDate: awsjson.At(u.Created), UserLastModifiedDate: awsjson.At(u.Modified), Enabled: u.Enabled,
			UserStatus: u.Status, MFAOptions: u.MFAOptions, PreferredMfaSetting: u.PreferredMfa, UserMFASettingList: u.MfaSettings}
		return nil
	})
	if err != nil {
		return nil, internal("admin get user", err)
	}
	return &out, nil
}

// editUser loads a user in a read-write transaction, lets fn change it and stores the result.
// fn receives the pool and the user; the user's previous version is kept for the indexes.
func (s *Service) editUser(ctx context.Context, op, pool, name string, fn func(tx storage.Tx, p *UserPool, u *userRecord) error) error {
	err := s.update(ctx, func(tx storage.Tx) error {
		p, u, err := poolUser(tx, pool, name)
		if err != nil {
			return err
		}
		old := cloneUser(u)
		if err := fn(tx, p, &u); err != nil {
			return err
		}
		u.Modified = s.now()
		return aliasError(s.putUser(tx, p, &old, &u, false), false)
	})
	return internal(op, err)
}

// AdminDeleteUser deletes a user.
func (s *Service) AdminDeleteUser(ctx context.Context, pool, name string) error {
	err := s.update(ctx, func(tx storage.Tx) error {
		p, u, err := poolUser(tx, pool, name)
		if err != nil {
			return err
		}
		return s.deleteUser(tx, p, &u)
	})
	return internal("admin delete user", err)
}

// AdminEnableUser and AdminDisableUser switch a user's Enabled flag.
func (s *Service) AdminEnableUser(ctx context.Context, pool, name string) error {
	return s.editUser(ctx, "admin enable user", pool, name, func(_ storage.Tx, _ *UserPool, u *userRecord) error {
		u.Enabled = true
		return nil
	})
}

// AdminDisableUser disables a user: it can no longer sign in.
func (s *Service) AdminDisableUser(ctx context.Context, pool, name string) error {
	return s.editUser(ctx, "admin disable user", pool, name, func(_ storage.Tx, _ *UserPool, u *userRecord) error {
		u.Enabled = false
		return nil
	})
}

// AdminSetUserPassword sets a user's password, permanent (CONFIRMED) or temporary
// (FORCE_CHANGE_PASSWORD).
func (s *Service) AdminSetUserPassword(ctx context.Context, pool, name, pw string, permanent bool) error {
	return s.editUser(ctx, "admin set user password", pool, name, func(_ storage.Tx, p *UserPool, u *userRecord) error {
		if err := checkPassword(p, pw, policyPrefix); err != nil {
			return err
		}
		return s.setPassword(p, u, pw, permanent)
	})
}

// setPassword stores a new password for u, enforcing the password history, and moves u to
// CONFIRMED (permanent) or FORCE_CHANGE_PASSWORD.
func (s *Service) setPassword(p *UserPool, u *userRecord, pw string, permanent bool) error {
	hist := 0
	if p.Policies != nil && p.Policies.PasswordPolicy != nil {
		hist = deref(p.Policies.PasswordPolicy.PasswordHistorySize, 0)
	}
	if hist > 0 {
		prev := append([]passwordRecord{}, u.History...)
		if u.Password != nil {
			prev = append(prev, *u.Password)
		}
		for i := range prev {
			if s.passwordMatches(p.Id, u.Username, pw, &prev[i]) {
				return awserr.New(ErrPasswordHistory, "The password has been used previously.")
			}
		}
	}
	rec, err := s.makePassword(p.Id, u.Username, pw)
	if err != nil {
		return err
	}
	if hist > 0 && u.Password != nil {
		u.History = append(u.History, *u.Password)
		if len(u.History) > hist-1 {
			u.History = u.History[len(u.History)-max(hist-1, 0):]
		}
	}
	u.Password = &rec
	if permanent {
		u.Status = StatusConfirmed
		u.TempPasswordExpires = time.Time{}
	} else {
		u.Status = StatusForceChangePassword
		u.TempPasswordExpires = s.now().Add(tempValidity(p))
	}
	return nil
}

// AdminConfirmSignUp confirms an UNCONFIRMED user without a code, then runs the pool's post
// confirmation trigger (PostConfirmation_ConfirmSignUp) with the request's ClientMetadata.
func (s *Service) AdminConfirmSignUp(ctx context.Context, pool, name string, meta map[string]string) error {
	var (
		p         *UserPool
		confirmed userRecord
	)
	err := s.editUser(ctx, "admin confirm sign up", pool, name, func(tx storage.Tx, pp *UserPool, u *userRecord) error {
		if u.Status != StatusUnconfirmed {
			return awserr.Newf(awserr.NotAuthorized, "User cannot be confirmed. Current status is %s", u.Status)
		}
		u.Status = StatusConfirmed
		p, confirmed = pp, *u
		// Void the sign-up code, if one was sent (pools without automatic verification send none).
		if err := tx.Delete(codeKey(pp.Id, normName(pp, u.Username), purposeSignUp)); err != nil && !isNotFound(err) {
			return err
		}
		return nil
	})
	if err != nil {
		return err
	}
	return s.postConfirmation(ctx, p, &confirmed, "PostConfirmation_ConfirmSignUp", "", meta)
}

// AdminUpdateUserAttributesInput is AdminUpdateUserAttributesRequest.
type AdminUpdateUserAttributesInput struct {
	UserPoolId     string            `json:"UserPoolId"`
	Username       string            `json:"Username"`
	UserAttributes []Attribute       `json:"UserAttributes"`
	ClientMetadata map[string]string `json:"ClientMetadata,omitempty"`
}

// AdminUpdateUserAttributes changes a user's attributes as an administrator. Changing an email
// or phone number that the pool verifies automatically marks it unverified and sends a code,
// unless the request also sets it verified; with AttributesRequireVerificationBeforeUpdate the
// old value stays in effect until the new one is verified.
func (s *Service) AdminUpdateUserAttributes(ctx context.Context, in *AdminUpdateUserAttributesInput) error {
	var msgs []Message
	err := s.editUser(ctx, "admin update user attributes", in.UserPoolId, in.Username, func(tx storage.Tx, p *UserPool, u *userRecord) error {
		msgs = nil
		m, err := s.changeAttributes(tx, p, u, in.UserAttributes, modeAdmin, "")
		msgs = m
		return err
	})
	if err != nil {
		return err
	}
	for _, m := range msgs {
		if err := s.customizeMessage(ctx, &m, msgTrigger{meta: in.ClientMetadata}); err != nil {
			return err
		}
		_ = s.deliver(ctx, m) // AdminUpdateUserAttributes does not fail on delivery
	}
	return nil
}

// changeAttributes applies attribute changes to u and returns the verification messages to send.
func (s *Service) changeAttributes(tx storage.Tx, p *UserPool, u *userRecord, attrs []Attribute, mode attrMode, clientID string) ([]Message, error) {
	vals, err := validateAttributes(p.SchemaAttributes, attrs, mode, false)
	if err != nil {
		return nil, err
	}
	if len(p.UsernameAttributes) > 0 {
		for _, a := range p.UsernameAttributes {
			if v, ok := vals[a]; ok && v == "" {
				return nil, errInvalidParam("Cannot remove the %s attribute, it is a username attribute.", a)
			}
		}
	}
	requireVerify := []string{}
	if p.UserAttributeUpdateSettings != nil {
		requireVerify = p.UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate
	}
	// A blank value deletes the attribute (AdminUpdateUserAttributes: "To delete an attribute
	// from your user, submit the attribute in your API request with a blank value").
	var problems []string
	for name, v := range vals {
		if v != "" {
			continue
		}
		if def, ok := schemaAttr(p.SchemaAttributes, name); ok && def.Required != nil && *def.Required {
			problems = append(problems, name+": The attribute is required")
			continue
		}
		delete(vals, name)
		delete(u.Attributes, name)
		delete(u.Pending, name)
		if name == "email" || name == "phone_number" {
			delete(u.Attributes, name+"_verified")
			delete(vals, name+"_verified")
		}
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		return nil, schemaError(problems)
	}
	var msgs []Message
	for name, v := range vals {
		if name == "email_verified" || name == "phone_number_verified" {
			continue
		}
		old, had := u.Attributes[name]
		if (name == "email" || name == "phone_number") && (!had || old != v) {
			explicit, ok := vals[name+"_verified"]
			verifiedNow := ok && explicit == "true"
			if !verifiedNow && slices.Contains(requireVerify, name) && u.Attributes[name+"_verified"] == "true" && had {
				if u.Pending == nil {
					u.Pending = map[string]string{}
				}
				u.Pending[name] = v
			} else {
				u.Attributes[name] = v
				if !verifiedNow {
					u.Attributes[name+"_verified"] = "false"
				}
				delete(u.Pending, name)
			}
			if !verifiedNow && slices.Contains(p.AutoVerifiedAttributes, name) && v != "" {
				m, err := s.attributeCode(tx, p, u, name, v, clientID, "UpdateUserAttribute")
				if err != nil {
					return nil, err
				}
				msgs = append(msgs, m)
			}
			continue
		}
		u.Attributes[name] = v
	}
	for _, f := range []string{"email_verified", "phone_number_verified"} {
		if v, ok := vals[f]; ok {
			u.Attributes[f] = v
		}
	}
	if err := checkVerifiedHasValue(vals, u.Attributes); err != nil {
		return nil, err
	}
	return msgs, nil
}

// attributeCode creates a verification code for attribute attr with value v and returns the
// message that carries it.
func (s *Service) attributeCode(tx storage.Tx, p *UserPool, u *userRecord, attr, v, clientID, purpose string) (Message, error) {
	code, err := s.newCode(tx, p.Id, normName(p, u.Username), purposeVerify+attr, verifyCodeValidity, codeRecord{Attribute: attr, Value: v})
	if err != nil {
		return Message{}, err
	}
	medium := mediumFor(attr)
	subject, body := s.verificationMessage(p, medium, u.Username, code, clientID)
	return Message{PoolID: p.Id, Username: u.Username, Medium: medium, Destination: v, Subject: subject, Body: body, Code: code, Purpose: purpose}, nil
}

func mediumFor(attr string) string {
	if attr == "phone_number" {
		return "SMS"
	}
	return "EMAIL"
}

// AdminDeleteUserAttributes deletes attributes of a user.
func (s *Service) AdminDeleteUserAttributes(ctx context.Context, pool, name string, names []string) error {
	return s.editUser(ctx, "admin delete user attributes", pool, name, func(_ storage.Tx, p *UserPool, u *userRecord) error {
		return deleteAttributes(p, u, names, modeAdmin)
	})
}

func deleteAttributes(p *UserPool, u *userRecord, names []string, mode attrMode) error {
	var problems []string
	for _, n := range names {
		def, ok := schemaAttr(p.SchemaAttributes, n)
		switch {
		case !ok || (mode == modeUser && strings.HasPrefix(n, "dev:")):
			problems = append(problems, n+": Attribute does not exist in the schema.")
		case n == "sub" || (def.Mutable != nil && !*def.Mutable):
			problems = append(problems, n+": Attribute cannot be updated. (changing an immutable attribute)")
		case def.Required != nil && *def.Required:
			problems = append(problems, n+": The attribute is required")
		case slices.Contains(p.UsernameAttributes, n):
			return errInvalidParam("Cannot remove the %s attribute, it is a username attribute.", n)
		}
	}
	if len(problems) > 0 {
		return schemaError(problems)
	}
	for _, n := range names {
		delete(u.Attributes, n)
		delete(u.Pending, n)
		if n == "email" || n == "phone_number" {
			delete(u.Attributes, n+"_verified")
		}
	}
	return nil
}

// recoveryDestination picks where a password-reset code goes, following the pool's
// AccountRecoverySetting (default: verified phone number, then verified email).
func recoveryDestination(p *UserPool, u *userRecord) (attr string, err error) {
	order := []string{"verified_phone_number", "verified_email"}
	if r := p.AccountRecoverySetting; r != nil && len(r.RecoveryMechanisms) > 0 {
		mechs := slices.Clone(r.RecoveryMechanisms)
		slices.SortFunc(mechs, func(a, b RecoveryOption) int { return a.Priority - b.Priority })
		order = order[:0]
		for _, m := range mechs {
			order = append(order, m.Name)
		}
	}
	for _, m := range order {
		switch m {
		case "admin_only":
			return "", awserr.New(awserr.NotAuthorized, "Contact administrator to reset password.")
		case "verified_email":
			if u.Attributes["email"] != "" && u.Attributes["email_verified"] == "true" {
				return "email", nil
			}
		case "verified_phone_number":
			if u.Attributes["phone_number"] != "" && u.Attributes["phone_number_verified"] == "true" {
				return "phone_number", nil
			}
		}
	}
	return "", errInvalidParam("Cannot reset password for the user as there is no registered/verified email or phone_number")
}

// forgotCode creates a password-reset code for u and returns the message that carries it.
func (s *Service) forgotCode(tx storage.Tx, p *UserPool, u *userRecord, clientID, purpose string) (Message, error) {
	attr, err := recoveryDestination(p, u)
	if err != nil {
		return Message{}, err
	}
	code, err := s.newCode(tx, p.Id, normName(p, u.Username), purposeForgot, forgotCodeValidity, codeRecord{Attribute: attr, Value: u.Attributes[attr]})
	if err != nil {
		return Message{}, err
	}
	medium := mediumFor(attr)
	subject, body := s.verificationMessage(p, medium, u.Username, code, "")
	return Message{PoolID: p.Id, Username: u.Username, Medium: medium, Destination: u.Attributes[attr],
		Subject: subject, Body: body, Code: code, Purpose: purpose}, nil
}

// AdminResetUserPassword puts a user in RESET_REQUIRED and sends a password-reset code; meta is
// the request's ClientMetadata, for the custom message trigger.
func (s *Service) AdminResetUserPassword(ctx context.Context, pool, name string, meta map[string]string) error {
	var msg Message
	err := s.editUser(ctx, "admin reset user password", pool, name, func(tx storage.Tx, p *UserPool, u *userRecord) error {
		msg = Message{} // fn may run again when the transaction retries
		if u.Status == StatusUnconfirmed || u.Status == StatusExternalProvider {
			return awserr.New(awserr.NotAuthorized, "User password cannot be reset in the current state.")
		}
		m, err := s.forgotCode(tx, p, u, "", "AdminResetUserPassword")
		if err != nil {
			if awserr.Is(err, awserr.NotAuthorized) { // admin_only recovery: no code, admin resets
				u.Status = StatusResetRequired
				return nil
			}
			return err
		}
		msg = m
		u.Status = StatusResetRequired
		return nil
	})
	if err != nil {
		return err
	}
	if msg.Destination != "" {
		return s.send(ctx, msg, msgTrigger{meta: meta})
	}
	return nil
}

// ListUsersInput is ListUsersRequest.
type ListUsersInput struct {
	UserPoolId      string    `json:"UserPoolId"`
	AttributesToGet *[]string `json:"AttributesToGet,omitempty"`
	Limit           *int      `json:"Limit,omitempty"`
	PaginationToken string    `json:"PaginationToken,omitempty"`
	Filter          string    `json:"Filter,omitempty"`
}

// ListUsersOutput is ListUsersResponse.
type ListUsersOutput struct {
	Users           []UserView `json:"Users"`
	PaginationToken string     `json:"PaginationToken,omitempty"`
}

// ListUsers lists users, optionally filtered on one searchable attribute, a page at a time.
func (s *Service) ListUsers(ctx context.Context, in *ListUsersInput) (*ListUsersOutput, error) {
	f, err := filter.Parse(in.Filter)
	if err != nil {
		return nil, err
	}
	if f != nil && !filter.Searchable(f.Attribute) {
		return nil, errInvalidParam("Invalid search attribute: %s", f.Attribute)
	}
	limit := deref(in.Limit, 60)
	if limit <= 0 {
		limit = 60
	}
	out := ListUsersOutput{Users: []UserView{}}
	err = s.view(ctx, func(tx storage.Tx) error {
		rec, err := getPool(tx, in.UserPoolId)
		if err != nil {
			return err
		}
		p := &rec.Pool
		var names []string
		if in.AttributesToGet != nil {
			names = *in.AttributesToGet
			for _, n := range names {
				if _, ok := schemaAttr(p.SchemaAttributes, n); !ok {
					return errInvalidParam("One or more requested attributes do not exist.")
				}
			}
		}
		var users []userRecord
		if f == nil {
			users, out.PaginationToken, err = scanPageJSON[userRecord](tx, userPrefix(p.Id), in.PaginationToken, limit)
		} else {
			key := f.Key()
			if f.Attribute == filter.AttrUsername {
				key = normName(p, f.Value)
			}
			prefix := searchPrefix(p.Id, f.Attribute) + key
			if f.Op == filter.Equals {
				prefix += "\x00"
			}
			var kvs []storage.KV
			kvs, out.PaginationToken, err = scanPage(tx, prefix, in.PaginationToken, limit)
			if err != nil {
				return err
			}
			users, err = resolvePage[userRecord](tx, kvs, func(k string) string { return userKey(p.Id, lastComponent(k, "\x00")) })
			// An index entry is "<value>\x00<user>"; a value that itself contains NUL could
			// match a prefix it does not start with, so check each user's actual value.
			users = slices.DeleteFunc(users, func(u userRecord) bool {
				v, ok := searchEntries(p, &u)[f.Attribute]
				return !ok || (f.Op == filter.Equals && v != key) || (f.Op == filter.Prefix && !strings.HasPrefix(v, key))
			})
		}
		for i := range users {
			out.Users = append(out.Users, userView(p, &users[i], names))
		}
		return err
	})
	if err != nil {
		return nil, internal("list users", err)
	}
	return &out, nil
}
