package cognito

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/cognito/srp"
	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

// TokenRequest is what a TokenIssuer needs to mint the tokens of one sign-in or refresh.
type TokenRequest struct {
	PoolID, ClientID string
	// Username is the canonical user name (cognito:username); Sub is the user's sub.
	Username, Sub string
	// Attributes are the attributes the client may read (ID token claims).
	Attributes map[string]string
	// Groups are the user's groups (cognito:groups, roles).
	Groups []Group
	// AuthTime is when the user authenticated (kept across refreshes).
	AuthTime time.Time
	// OriginJTI ties tokens to the refresh token they came from; empty for a new sign-in.
	OriginJTI string
	// Validity of each token.
	IDValidity, AccessValidity, RefreshValidity time.Duration
	// Refresh asks for a new refresh token too.
	Refresh bool
	// Customize, when set, changes the claims of the ID token (id) and access token before they
	// are signed (the pool's pre token generation trigger); id is nil when only an access token
	// is issued. The TokenIssuer calls it with the claims it built.
	Customize func(id, access map[string]any)
}

// AuthenticationResult is AuthenticationResultType.
type AuthenticationResult struct {
	AccessToken  string `json:"AccessToken,omitempty"`
	ExpiresIn    int    `json:"ExpiresIn,omitempty"`
	TokenType    string `json:"TokenType,omitempty"`
	RefreshToken string `json:"RefreshToken,omitempty"`
	IdToken      string `json:"IdToken,omitempty"`
}

// RefreshClaims is what a refresh token proves.
type RefreshClaims struct {
	// TokenID identifies the refresh token itself.
	TokenID                               string
	PoolID, ClientID, Username, OriginJTI string
	AuthTime, IssuedAt, Expires           time.Time
}

// TokenIssuer mints and reads the tokens of sign-in. internal/tokens implements it.
type TokenIssuer interface {
	// Issue mints ID and access tokens (and a refresh token when req.Refresh).
	Issue(ctx context.Context, req TokenRequest) (*AuthenticationResult, error)
	// ParseRefresh checks a refresh token and returns its claims; any failure (tampered,
	// foreign, malformed) is an error. An expired token's claims are returned without error;
	// the caller checks Expires.
	ParseRefresh(ctx context.Context, token string) (*RefreshClaims, error)
	// VerifyAccess checks an access token (signature, issuer, token_use, expiry) and returns
	// its claims, or NotAuthorizedException "Invalid Access Token" / "Access Token has expired".
	VerifyAccess(ctx context.Context, token string) (*AccessClaims, error)
}

// InitiateAuthInput is InitiateAuthRequest and AdminInitiateAuthRequest.
type InitiateAuthInput struct {
	UserPoolId     string            `json:"UserPoolId,omitempty"`
	ClientId       string            `json:"ClientId"`
	AuthFlow       string            `json:"AuthFlow"`
	AuthParameters map[string]string `json:"AuthParameters,omitempty"`
	ClientMetadata map[string]string `json:"ClientMetadata,omitempty"`
	Session        string            `json:"Session,omitempty"`
}

// RespondToAuthChallengeInput is RespondToAuthChallengeRequest and its Admin variant.
type RespondToAuthChallengeInput struct {
	UserPoolId         string            `json:"UserPoolId,omitempty"`
	ClientId           string            `json:"ClientId"`
	ChallengeName      string            `json:"ChallengeName"`
	Session            string            `json:"Session,omitempty"`
	ChallengeResponses map[string]string `json:"ChallengeResponses,omitempty"`
	ClientMetadata     map[string]string `json:"ClientMetadata,omitempty"`
}

// AuthOutput is InitiateAuthResponse and RespondToAuthChallengeResponse: a challenge or tokens,
// never both.
type AuthOutput struct {
	ChallengeName        string                `json:"ChallengeName,omitempty"`
	Session              string                `json:"Session,omitempty"`
	ChallengeParameters  map[string]string     `json:"ChallengeParameters"`
	AuthenticationResult *AuthenticationResult `json:"AuthenticationResult,omitempty"`
}

// authSession is the state a challenge carries between calls: sealed under the master key into
// the Session (or SECRET_BLOCK) string, so any replica can continue it.
type authSession struct {
	ID        string
	Pool      string
	Client    string
	Username  string // canonical
	Challenge string
	Expires   time.Time
	AuthTime  time.Time `json:",omitempty"`
	SRPState  []byte    `json:",omitempty"`
	SRPA      string    `json:",omitempty"`
	Fake      bool      `json:",omitempty"` // an SRP handshake for a user that does not exist
	// CodeMAC is the MAC of the code an SMS_MFA or EMAIL_OTP challenge sent.
	CodeMAC []byte `json:",omitempty"`
	// Choices are the factors a SELECT_MFA_TYPE challenge offered.
	Choices []string `json:",omitempty"`
	// Verified marks an MFA_SETUP session whose software token VerifySoftwareToken accepted.
	Verified bool `json:",omitempty"`
	// Enable names the factor a successful answer turns on (set up during this sign-in).
	Enable string `json:",omitempty"`
	// Rounds are the challenges of a custom authentication (CUSTOM_AUTH) so far, as the define
	// auth challenge trigger sees them; Custom marks the SRP handshake of one.
	Rounds []challengeResult `json:",omitempty"`
	Custom bool              `json:",omitempty"`
	// Private and Metadata are the private challenge parameters and the challenge metadata of a
	// CUSTOM_CHALLENGE: sealed with the rest, they never reach the client.
	Private  map[string]string `json:",omitempty"`
	Metadata *string           `json:",omitempty"`
	// NotFound marks the custom authentication of a user who does not exist (a client that
	// prevents user-existence errors): it can only fail.
	NotFound bool `json:",omitempty"`
}

const sessionAAD = "auth-session"

func (s *Service) sealSession(a authSession) string {
	b, _ := json.Marshal(a)
	return base64.StdEncoding.EncodeToString(s.Keys.Seal(b, []byte(sessionAAD)))
}

func errInvalidSession() error {
	return awserr.New(awserr.NotAuthorized, "Invalid session for the user, session is expired.")
}

// unsealSession opens a sealed session; it does not check expiry or use.
func (s *Service) unsealSession(token string) (authSession, error) {
	var a authSession
	raw, err := base64.StdEncoding.DecodeString(token)
	if err != nil {
		return a, errInvalidSession()
	}
	plain, err := s.Keys.Open(raw, []byte(sessionAAD))
	if err != nil || json.Unmarshal(plain, &a) != nil {
		return a, errInvalidSession()
	}
	return a, nil
}

// openSession checks a sealed session for client and challenge and marks it used: a session is
// good for one response.
func (s *Service) openSession(tx storage.Tx, token, client, challenge string) (authSession, error) {
	a, err := s.unsealSession(token)
	if err != nil {
		return a, err
	}
	if a.Client != client || a.Challenge != challenge || s.now().After(a.Expires) {
		return a, errInvalidSession()
	}
	err = tx.Insert(sessionUsedKey(a.Pool, a.ID), []byte(a.Expires.Format(time.RFC3339)))
	if errors.Is(err, storage.ErrAlreadyExists) {
		return a, errInvalidSession()
	}
	return a, err
}

func sessionUsedKey(pool, id string) string { return "cog/session/" + pool + "/" + id }

// sessionValidity is the client's AuthSessionValidity (3–15 minutes).
func sessionValidity(c *Client) time.Duration {
	return time.Duration(max(c.AuthSessionValidity, 3)) * time.Minute
}

// flowAllowed reports whether the client's ExplicitAuthFlows allow flow.
func flowAllowed(c *Client, flow string) bool {
	allow := map[string][]string{
		"USER_PASSWORD_AUTH":       {"ALLOW_USER_PASSWORD_AUTH", "USER_PASSWORD_AUTH"},
		"ADMIN_USER_PASSWORD_AUTH": {"ALLOW_ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"},
		"ADMIN_NO_SRP_AUTH":        {"ALLOW_ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"},
		"USER_SRP_AUTH":            {"ALLOW_USER_SRP_AUTH"},
		"REFRESH_TOKEN_AUTH":       {"ALLOW_REFRESH_TOKEN_AUTH"},
		"REFRESH_TOKEN":            {"ALLOW_REFRESH_TOKEN_AUTH"},
		"CUSTOM_AUTH":              {"ALLOW_CUSTOM_AUTH", "CUSTOM_AUTH_FLOW_ONLY"},
	}
	names := allow[flow]
	// Legacy clients (ExplicitAuthFlows of the legacy values only) always allow SRP and refresh.
	legacy := !slices.ContainsFunc(c.ExplicitAuthFlows, func(f string) bool { return strings.HasPrefix(f, "ALLOW_") })
	if legacy && (flow == "USER_SRP_AUTH" || flow == "REFRESH_TOKEN_AUTH" || flow == "REFRESH_TOKEN") {
		return true
	}
	return slices.ContainsFunc(c.ExplicitAuthFlows, func(f string) bool { return slices.Contains(names, f) })
}

func errFlowNotEnabled(flow string) error {
	return errInvalidParam("%s flow not enabled for this client", flow)
}

func errIncorrect() error { return awserr.New(awserr.NotAuthorized, "Incorrect username or password.") }

func missingParam(name string) error { return errInvalidParam("Missing required parameter %s", name) }

// Lockout: after failedSignInsBeforeLockout consecutive failures, each further failure locks
// sign-in for a period that starts at one second and doubles up to 15 minutes, as Cognito does.
const (
	failedSignInsBeforeLockout = 5
	maxLockout                 = 15 * time.Minute
)

type signInFailures struct {
	Count int
	Until time.Time
}

func lockoutKey(pool, ukey string) string { return codePrefix(pool, ukey) + "#signin" }

// lockedOut reports whether sign-in is locked for a user.
func (s *Service) lockedOut(tx storage.Tx, pool, ukey string) (bool, error) {
	f, err := storage.GetJSON[signInFailures](tx, lockoutKey(pool, ukey))
	if isNotFound(err) {
		return false, nil
	}
	return err == nil && s.now().Before(f.Until), err
}

// recordFailure counts a failed sign-in; the caller commits and then reports the failure.
func (s *Service) recordFailure(tx storage.Tx, pool, ukey string) error {
	key := lockoutKey(pool, ukey)
	f, err := storage.GetJSON[signInFailures](tx, key)
	if err != nil && !isNotFound(err) {
		return err
	}
	f.Count++
	if f.Count >= failedSignInsBeforeLockout {
		d := time.Second << min(f.Count-failedSignInsBeforeLockout, 10)
		f.Until = s.now().Add(min(d, maxLockout))
	}
	return storage.PutJSON(tx, key, f)
}

func errAttemptsExceeded() error {
	return awserr.New(awserr.NotAuthorized, "Password attempts exceeded")
}

// authContext is a sign-in in progress inside one transaction.
type authContext struct {
	pool   *UserPool
	mfa    MfaConfig
	client *Client
	cr     clientRecord
	user   userRecord
	found  bool
	// outbox holds the messages (MFA codes) to deliver once the step has committed.
	outbox []Message
	// meta is the request's ClientMetadata as the triggers after the transaction get it (nil
	// from InitiateAuth, which passes it only to pre authentication and user migration).
	meta map[string]string
	// source is the pre token generation trigger source of the tokens the step issues
	// (TokenGeneration_Authentication when empty).
	source string
}

// authStep runs one step of a sign-in in a transaction: it resolves the app client, lets step
// decide (a challenge, tokens to issue, or a failure to report after the commit so that failure
// counts are kept), then, outside the transaction, sends the step's messages, runs the
// triggers of a completed sign-in and issues the tokens. meta is the request's ClientMetadata
// for those triggers.
func (s *Service) authStep(ctx context.Context, op, pool, client string, admin bool, meta map[string]string,
	step func(tx storage.Tx, ac *authContext) (out *AuthOutput, req *TokenRequest, failure, err error)) (*AuthOutput, error) {
	var (
		out     *AuthOutput
		req     *TokenRequest
		failure error
		last    *authContext
	)
	err := s.update(ctx, func(tx storage.Tx) error {
		ac, err := s.authClient(tx, pool, client, admin)
		if err != nil {
			return err
		}
		ac.meta = meta
		out, req, failure, err = step(tx, ac)
		last = ac
		return err
	})
	if err != nil {
		return nil, internal(op, err)
	}
	if failure != nil {
		return nil, failure
	}
	for _, m := range last.outbox {
		if err := s.send(ctx, m, msgTrigger{clientID: last.client.ClientId, meta: meta}); err != nil {
			return nil, err
		}
	}
	if req != nil {
		if err := s.signedIn(ctx, last, req); err != nil {
			return nil, err
		}
	}
	return s.finish(ctx, out, req)
}

// InitiateAuth starts a sign-in through the public API; AdminInitiateAuth through the admin API
// (admin is true and in.UserPoolId is set). The pool's user migration and pre authentication
// triggers run first; CUSTOM_AUTH continues in startCustomAuth.
func (s *Service) InitiateAuth(ctx context.Context, in *InitiateAuthInput, admin bool) (*AuthOutput, error) {
	prep, err := s.prepareSignIn(ctx, in, admin)
	if err != nil {
		return nil, err
	}
	if in.AuthFlow == "CUSTOM_AUTH" {
		return s.startCustomAuth(ctx, in, admin, prep)
	}
	return s.authStep(ctx, "initiate auth", in.UserPoolId, in.ClientId, admin, nil, func(tx storage.Tx, ac *authContext) (*AuthOutput, *TokenRequest, error, error) {
		if err := s.checkInitiate(ac, in, admin); err != nil {
			return nil, nil, nil, err
		}
		params := in.AuthParameters
		if isRefresh(in.AuthFlow) {
			ac.source = tokenSourceRefresh
			req, err := s.refreshAuth(ctx, tx, ac, params)
			return nil, req, nil, err
		}
		name := params["USERNAME"]
		var err error
		if ac.user, ac.found, err = findUser(tx, ac.pool, name); err != nil {
			return nil, nil, nil, err
		}
		if in.AuthFlow == "USER_SRP_AUTH" {
			out, err := s.startSRP(ac, name, params["SRP_A"], nil)
			return out, nil, nil, err
		}
		pw := params["PASSWORD"]
		if pw == "" {
			return nil, nil, nil, missingParam("PASSWORD")
		}
		return s.passwordSignIn(tx, ac, name, pw, prep.check)
	})
}

func isRefresh(flow string) bool { return flow == "REFRESH_TOKEN_AUTH" || flow == "REFRESH_TOKEN" }

func isPasswordFlow(flow string) bool {
	return flow == "USER_PASSWORD_AUTH" || flow == "ADMIN_USER_PASSWORD_AUTH" || flow == "ADMIN_NO_SRP_AUTH"
}

// checkInitiate checks an InitiateAuth request against the app client of ac: the flow, and
// (except for refreshes) the USERNAME and SECRET_HASH.
func (s *Service) checkInitiate(ac *authContext, in *InitiateAuthInput, admin bool) error {
	flow := in.AuthFlow
	// Flows each API serves; the admin-only flows need IAM credentials, USER_PASSWORD_AUTH
	// is the public API's.
	supported := []string{"USER_PASSWORD_AUTH", "USER_SRP_AUTH", "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN", "CUSTOM_AUTH"}
	if admin {
		supported = []string{"ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH", "USER_SRP_AUTH", "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN", "CUSTOM_AUTH"}
	}
	if !slices.Contains(supported, flow) {
		return errInvalidParam("Initiate Auth method not supported.")
	}
	if !flowAllowed(ac.client, flow) {
		return errFlowNotEnabled(flow)
	}
	if isRefresh(flow) {
		return nil
	}
	name := in.AuthParameters["USERNAME"]
	if name == "" {
		return missingParam("USERNAME")
	}
	return s.checkSecretHash(ac.cr, name, in.AuthParameters["SECRET_HASH"])
}

// signInPrep is what a sign-in learned and did before its write transaction.
type signInPrep struct {
	// check is the password checked outside the transaction, or nil.
	check *passwordCheck
	// The pool, client and user (when found) of the sign-in.
	pool   *UserPool
	client *Client
	user   userRecord
	found  bool
}

// prepareSignIn checks an InitiateAuth request in a read-only transaction, then, outside any
// transaction, runs the pool's user migration trigger for an unknown user of a password
// sign-in, the pre authentication trigger, and the password check (the 3072-bit exponentiation
// then holds no lock, and is not repeated when PostgreSQL retries a serialization conflict).
func (s *Service) prepareSignIn(ctx context.Context, in *InitiateAuthInput, admin bool) (*signInPrep, error) {
	var prep signInPrep
	if isRefresh(in.AuthFlow) {
		return &prep, nil
	}
	params := in.AuthParameters
	err := s.view(ctx, func(tx storage.Tx) error {
		ac, err := s.authClient(tx, in.UserPoolId, in.ClientId, admin)
		if err != nil {
			return err
		}
		if err := s.checkInitiate(ac, in, admin); err != nil {
			return err
		}
		prep.pool, prep.client = ac.pool, ac.client
		prep.user, prep.found, err = findUser(tx, ac.pool, params["USERNAME"])
		return err
	})
	if err != nil {
		return nil, internal("initiate auth", err)
	}
	p, flow := prep.pool, in.AuthFlow
	cfg := triggersOf(p)
	password := isPasswordFlow(flow)
	switch {
	case password && params["PASSWORD"] == "":
		return nil, missingParam("PASSWORD")
	case flow == "USER_SRP_AUTH" && params["SRP_A"] == "":
		return nil, missingParam("SRP_A")
	case (flow == "USER_SRP_AUTH" || flow == "CUSTOM_AUTH") && params["SRP_A"] != "" && srp.ValidateA(params["SRP_A"]) != nil:
		return nil, errInvalidParam("Invalid SRP_A value")
	case flow == "CUSTOM_AUTH" && cfg.DefineAuthChallenge == "":
		return nil, errCustomAuthNotConfigured()
	}
	if password && !prep.found && cfg.UserMigration != "" {
		pw := params["PASSWORD"]
		u, err := s.migrateUser(ctx, migration{pool: p, client: prep.client, name: params["USERNAME"], password: &pw,
			source: "UserMigration_Authentication", validation: in.ClientMetadata})
		if err != nil {
			if awserr.Is(err, ErrUserNotFound) && preventsExistenceErrors(prep.client) {
				return nil, errIncorrect()
			}
			return nil, err
		}
		prep.user, prep.found = u, true
		prep.check = &passwordCheck{pool: p.Id, username: u.Username, verifier: u.Password.Verifier, ok: true}
	}
	if prep.found || preventsExistenceErrors(prep.client) {
		if err := s.preAuthentication(ctx, p, prep.client, params["USERNAME"], &prep.user, prep.found, in.ClientMetadata); err != nil {
			return nil, err
		}
	}
	if u := &prep.user; password && prep.found && prep.check == nil && u.Password != nil {
		prep.check = &passwordCheck{pool: p.Id, username: u.Username, verifier: u.Password.Verifier,
			ok: s.passwordMatches(p.Id, u.Username, params["PASSWORD"], u.Password)}
	}
	return &prep, nil
}

// finish issues tokens for a completed sign-in.
func (s *Service) finish(ctx context.Context, out *AuthOutput, req *TokenRequest) (*AuthOutput, error) {
	if req == nil {
		return out, nil
	}
	if s.Tokens == nil {
		return nil, errors.New("no token issuer configured")
	}
	res, err := s.Tokens.Issue(ctx, *req)
	if err != nil {
		return nil, internal("issue tokens", err)
	}
	return &AuthOutput{ChallengeParameters: map[string]string{}, AuthenticationResult: res}, nil
}

// authClient resolves the app client (and, for admin operations, checks it belongs to the pool).
func (s *Service) authClient(tx storage.Tx, pool, clientID string, admin bool) (*authContext, error) {
	rec, cr, err := resolveClient(tx, clientID)
	if err != nil {
		return nil, err
	}
	if admin {
		if _, err := getPool(tx, pool); err != nil {
			return nil, err
		}
		if rec.Pool.Id != pool {
			return nil, errClientNotFound(clientID)
		}
	}
	return &authContext{pool: &rec.Pool, mfa: rec.Mfa, client: &cr.Client, cr: cr}, nil
}

// passwordSignIn checks a user's password (USER_PASSWORD_AUTH and the admin flows) and
// continues the sign-in. A wrong password is returned as failure, after the failure count has
// been written to tx.
func (s *Service) passwordSignIn(tx storage.Tx, ac *authContext, name, pw string, pre *passwordCheck) (out *AuthOutput, req *TokenRequest, failure, err error) {
	p := ac.pool
	if !ac.found {
		if preventsExistenceErrors(ac.client) {
			// Spend the time a real check takes, then answer as for a wrong password.
			srp.Verifier(srp.PoolName(p.Id), name, pw, make([]byte, srp.SaltSize))
			return nil, nil, errIncorrect(), nil
		}
		return nil, nil, errUserNotFound(), nil
	}
	u := &ac.user
	ukey := normName(p, u.Username)
	locked, err := s.lockedOut(tx, p.Id, ukey)
	if err != nil {
		return nil, nil, nil, err
	}
	if locked {
		return nil, nil, errAttemptsExceeded(), nil
	}
	if !pre.matches(p.Id, u, func() bool { return s.passwordMatches(p.Id, u.Username, pw, u.Password) }) {
		if err := s.recordFailure(tx, p.Id, ukey); err != nil {
			return nil, nil, nil, err
		}
		return nil, nil, errIncorrect(), nil
	}
	out, req, err = s.afterPassword(tx, ac)
	return out, req, nil, err
}

// passwordCheck is the outcome of a password check made before the sign-in's write
// transaction: the 3072-bit exponentiation then holds no lock (SQLite's one writer) and is not
// repeated when PostgreSQL retries a serialization conflict. It applies only while the user's
// password record is the one it checked.
type passwordCheck struct {
	pool, username string
	verifier       []byte // the sealed verifier checked
	ok             bool
}

// matches returns the result of the check for user u of pool, computing it with check when
// the precheck does not apply (no precheck, another user, or a password changed since).
func (c *passwordCheck) matches(pool string, u *userRecord, check func() bool) bool {
	if c != nil && c.pool == pool && c.username == u.Username && u.Password != nil && bytes.Equal(c.verifier, u.Password.Verifier) {
		return c.ok
	}
	return check()
}

var errNoPrecheck = errors.New("no password to precheck")

// afterPassword continues a sign-in whose password was right: user state checks, the
// challenges that follow a password, or tokens.
func (s *Service) afterPassword(tx storage.Tx, ac *authContext) (*AuthOutput, *TokenRequest, error) {
	p, u := ac.pool, &ac.user
	if err := tx.Delete(lockoutKey(p.Id, normName(p, u.Username))); err != nil && !isNotFound(err) {
		return nil, nil, err
	}
	switch {
	case !u.Enabled:
		return nil, nil, awserr.New(awserr.NotAuthorized, "User is disabled.")
	case u.Status == StatusUnconfirmed:
		return nil, nil, awserr.New(ErrUserNotConfirmed, "User is not confirmed.")
	case u.Status == StatusResetRequired:
		return nil, nil, awserr.New("PasswordResetRequiredException", "Password reset required for the user")
	}
	now := s.now()
	if u.Status == StatusForceChangePassword {
		if !u.TempPasswordExpires.IsZero() && now.After(u.TempPasswordExpires) {
			return nil, nil, awserr.New(awserr.NotAuthorized, "Temporary password has expired and must be reset by an administrator.")
		}
		attrs := attributeList(p, u.Attributes, false, nil)
		ua := map[string]string{}
		for _, a := range attrs {
			if a.Name != "sub" && !strings.HasSuffix(a.Name, "_verified") {
				ua[a.Name] = deref(a.Value, "")
			}
		}
		uaJSON, _ := json.Marshal(ua)
		var required []string
		for _, m := range requiredMissing(p.SchemaAttributes, u.Attributes) {
			required = append(required, "userAttributes."+m)
		}
		reqJSON, _ := json.Marshal(append([]string{}, required...))
		sess := s.sealSession(authSession{ID: s.newUUID(), Pool: p.Id, Client: ac.client.ClientId, Username: u.Username,
			Challenge: "NEW_PASSWORD_REQUIRED", Expires: now.Add(sessionValidity(ac.client)), AuthTime: now})
		return &AuthOutput{ChallengeName: "NEW_PASSWORD_REQUIRED", Session: sess, ChallengeParameters: map[string]string{
			"USER_ID_FOR_SRP": u.Username, "requiredAttributes": string(reqJSON), "userAttributes": string(uaJSON)}}, nil, nil
	}
	return s.mfaChallenge(tx, ac, now)
}

// tokenRequest builds the token request for a user of the sign-in.
func (s *Service) tokenRequest(tx storage.Tx, ac *authContext, authTime time.Time, originJTI string) (*TokenRequest, error) {
	p, u, c := ac.pool, &ac.user, ac.client
	groups, err := s.groupsOf(tx, p.Id, normName(p, u.Username))
	if err != nil {
		return nil, err
	}
	readable := map[string]string{}
	for k, v := range u.Attributes {
		if strings.HasPrefix(k, "dev:") {
			continue
		}
		if len(c.ReadAttributes) > 0 && !slices.Contains(c.ReadAttributes, k) && k != "sub" {
			continue
		}
		readable[k] = v
	}
	units := TokenValidityUnits{}
	if c.TokenValidityUnits != nil {
		units = *c.TokenValidityUnits
	}
	validity := func(v *int, unit, defUnit string, def time.Duration) time.Duration {
		if sec, ok := tokenSeconds(v, unit, defUnit); ok {
			return time.Duration(sec) * time.Second
		}
		return def
	}
	refreshDays := c.RefreshTokenValidity
	refreshValidity := validity(&refreshDays, units.RefreshToken, "days", 30*24*time.Hour)
	newSignIn := originJTI == ""
	if newSignIn {
		// A new authentication: record its origin_jti so that its tokens can be revoked.
		ukey := normName(p, u.Username)
		if err := pruneOrigins(tx, p.Id, ukey, s.now()); err != nil {
			return nil, err
		}
		originJTI = s.newUUID()
		exp := s.now().Add(refreshValidity).Format(time.RFC3339)
		if err := tx.Put(originKey(p.Id, ukey, originJTI), []byte(exp)); err != nil {
			return nil, err
		}
	}
	return &TokenRequest{PoolID: p.Id, ClientID: c.ClientId, Username: u.Username, Sub: u.sub(), Attributes: readable,
		Groups: groups, AuthTime: authTime, OriginJTI: originJTI,
		IDValidity:      validity(c.IdTokenValidity, units.IdToken, "hours", time.Hour),
		AccessValidity:  validity(c.AccessTokenValidity, units.AccessToken, "hours", time.Hour),
		RefreshValidity: refreshValidity,
		Refresh:         newSignIn}, nil
}

// pruneOrigins deletes a user's authentication records whose refresh tokens have expired.
func pruneOrigins(tx storage.Tx, pool, ukey string, now time.Time) error {
	kvs, err := tx.Scan(originPrefix(pool, ukey), "", 0)
	if err != nil {
		return err
	}
	for _, kv := range kvs {
		if exp, err := time.Parse(time.RFC3339, string(kv.Value)); err == nil && now.After(exp) {
			if err := tx.Delete(kv.Key); err != nil {
				return err
			}
		}
	}
	return nil
}

// groupsOf returns the groups a user belongs to.
func (s *Service) groupsOf(tx storage.Tx, pool, ukey string) ([]Group, error) {
	prefix := userGroupPrefix(pool, ukey)
	kvs, err := tx.Scan(prefix, "", 0)
	if err != nil {
		return nil, err
	}
	return resolvePage[Group](tx, kvs, func(k string) string { return groupKey(pool, strings.TrimPrefix(k, prefix)) })
}

// refreshAuth handles REFRESH_TOKEN_AUTH: new ID and access tokens from a refresh token.
// Clients that rotate refresh tokens refresh only through GetTokensFromRefreshToken.
func (s *Service) refreshAuth(ctx context.Context, tx storage.Tx, ac *authContext, params map[string]string) (*TokenRequest, error) {
	if rotates(ac.client) {
		return nil, errFlowNotEnabled("REFRESH_TOKEN_AUTH")
	}
	tok := params["REFRESH_TOKEN"]
	if tok == "" {
		return nil, missingParam("REFRESH_TOKEN")
	}
	rc, err := s.parseRefresh(ctx, ac, tok)
	if err != nil {
		return nil, err
	}
	name := rc.Username
	if n := params["USERNAME"]; n != "" {
		name = n
	}
	if err := s.checkSecretHash(ac.cr, name, params["SECRET_HASH"]); err != nil {
		return nil, err
	}
	return s.refreshUser(tx, ac, rc)
}

// rotates reports whether a client rotates refresh tokens.
func rotates(c *Client) bool {
	return c.RefreshTokenRotation != nil && c.RefreshTokenRotation.Feature == "ENABLED"
}

// parseRefresh opens a refresh token issued to the client of ac.
func (s *Service) parseRefresh(ctx context.Context, ac *authContext, tok string) (*RefreshClaims, error) {
	if s.Tokens == nil {
		return nil, errors.New("no token issuer configured")
	}
	rc, err := s.Tokens.ParseRefresh(ctx, tok)
	if err != nil || rc.ClientID != ac.client.ClientId || rc.PoolID != ac.pool.Id {
		return nil, awserr.New(awserr.NotAuthorized, "Invalid Refresh Token")
	}
	if s.now().After(rc.Expires) {
		return nil, awserr.New(awserr.NotAuthorized, "Refresh Token has expired")
	}
	return rc, nil
}

// refreshUser checks that the user of a refresh token still exists, is enabled and has not
// revoked the token, and builds the request for new tokens.
func (s *Service) refreshUser(tx storage.Tx, ac *authContext, rc *RefreshClaims) (*TokenRequest, error) {
	u, ok, err := findUser(tx, ac.pool, rc.Username)
	if err != nil {
		return nil, err
	}
	if !ok || u.Username != rc.Username {
		return nil, awserr.New(awserr.NotAuthorized, "Invalid Refresh Token")
	}
	valid, err := originValid(tx, ac.pool.Id, normName(ac.pool, u.Username), rc.OriginJTI)
	if err != nil {
		return nil, err
	}
	if !valid {
		return nil, awserr.New(awserr.NotAuthorized, "Refresh Token has been revoked")
	}
	if !u.Enabled {
		return nil, awserr.New(awserr.NotAuthorized, "User is disabled.")
	}
	ac.user, ac.found = u, true
	return s.tokenRequest(tx, ac, rc.AuthTime, rc.OriginJTI)
}

// GetTokensFromRefreshTokenInput is GetTokensFromRefreshTokenRequest.
type GetTokensFromRefreshTokenInput struct {
	RefreshToken   string            `json:"RefreshToken"`
	ClientId       string            `json:"ClientId"`
	ClientSecret   string            `json:"ClientSecret,omitempty"`
	DeviceKey      string            `json:"DeviceKey,omitempty"`
	ClientMetadata map[string]string `json:"ClientMetadata,omitempty"`
}

// rotatedKey records that a refresh token was exchanged under rotation, and when.
func rotatedKey(pool, ukey, tokenID string) string {
	return codePrefix(pool, ukey) + "#rotated/" + tokenID
}

// GetTokensFromRefreshToken issues new ID and access tokens from a refresh token and, when the
// client rotates refresh tokens, a new refresh token: the one presented then stays valid for the
// client's RetryGracePeriodSeconds only, and presenting it later is RefreshTokenReuseException.
func (s *Service) GetTokensFromRefreshToken(ctx context.Context, in *GetTokensFromRefreshTokenInput) (*AuthenticationResult, error) {
	out, err := s.authStep(ctx, "get tokens from refresh token", "", in.ClientId, false, in.ClientMetadata, func(tx storage.Tx, ac *authContext) (*AuthOutput, *TokenRequest, error, error) {
		ac.source = tokenSourceRefresh
		if len(ac.cr.Secrets) > 0 || in.ClientSecret != "" {
			if in.ClientSecret == "" {
				return nil, nil, nil, awserr.Newf(awserr.NotAuthorized, "Client %s is configured with secret but ClientSecret was not received", ac.client.ClientId)
			}
			if !s.secretMatches(ac.cr, in.ClientSecret) {
				return nil, nil, nil, awserr.Newf(awserr.NotAuthorized, "Unable to verify secret for client %s", ac.client.ClientId)
			}
		}
		// A rotating client refreshes only here, so it needs no ALLOW_REFRESH_TOKEN_AUTH (the
		// console turns that flow off when it turns rotation on).
		if !rotates(ac.client) && !flowAllowed(ac.client, "REFRESH_TOKEN_AUTH") {
			return nil, nil, nil, errFlowNotEnabled("REFRESH_TOKEN_AUTH")
		}
		rc, err := s.parseRefresh(ctx, ac, in.RefreshToken)
		if err != nil {
			return nil, nil, nil, err
		}
		req, err := s.refreshUser(tx, ac, rc)
		if err != nil || !rotates(ac.client) {
			return nil, req, nil, err
		}
		key := rotatedKey(ac.pool.Id, normName(ac.pool, rc.Username), rc.TokenID)
		if used, err := storage.GetJSON[time.Time](tx, key); err == nil {
			grace := time.Duration(deref(ac.client.RefreshTokenRotation.RetryGracePeriodSeconds, 0)) * time.Second
			if s.now().Sub(used) > grace {
				return nil, nil, nil, awserr.New("RefreshTokenReuseException", "Refresh token has already been used.")
			}
		} else if !isNotFound(err) {
			return nil, nil, nil, err
		} else if err := storage.PutJSON(tx, key, s.now()); err != nil {
			return nil, nil, nil, err
		}
		// The new refresh token continues the same authentication (origin_jti), so signing out
		// or revoking any token of the chain revokes them all; it expires with the original.
		req.Refresh = true
		req.RefreshValidity = rc.Expires.Sub(s.now())
		return nil, req, nil, nil
	})
	if err != nil {
		return nil, err
	}
	return out.AuthenticationResult, nil
}

// startSRP answers USER_SRP_AUTH with the PASSWORD_VERIFIER challenge. For a user that does
// not exist under PreventUserExistenceErrors, the salt and SRP_B are derived deterministically
// from the name, so repeated attempts look like a real user's. rounds, when not nil, are the
// challenges of the custom authentication (CUSTOM_AUTH with SRP_A) the handshake is part of:
// the SECRET_BLOCK carries them, and is the Session too.
func (s *Service) startSRP(ac *authContext, name, srpA string, rounds []challengeResult) (*AuthOutput, error) {
	if srpA == "" {
		return nil, missingParam("SRP_A")
	}
	if err := srp.ValidateA(srpA); err != nil {
		return nil, errInvalidParam("Invalid SRP_A value")
	}
	p := ac.pool
	var salt, verifier []byte
	username, fake := name, false
	r := s.rand()
	if ac.found {
		u := &ac.user
		if u.Password == nil {
			return nil, errIncorrect()
		}
		v, err := s.Keys.Open(u.Password.Verifier, verifierAAD(p.Id, u.Username))
		if err != nil {
			return nil, err
		}
		salt, verifier, username = u.Password.Salt, v, u.Username
	} else {
		if !preventsExistenceErrors(ac.client) {
			return nil, errUserNotFound()
		}
		fake = true
		mac := s.Keys.MAC("fake-srp", p.Id, normName(p, name))
		salt = mac[:srp.SaltSize]
		verifier = srp.Verifier(srp.PoolName(p.Id), name, base64.StdEncoding.EncodeToString(mac), salt)
		r = bytes.NewReader(s.Keys.MAC("fake-srp-b", p.Id, normName(p, name)))
	}
	sess, err := srp.NewServerSession(r, verifier)
	if err != nil {
		return nil, err
	}
	state, err := sess.MarshalBinary()
	if err != nil {
		return nil, err
	}
	block := s.sealSession(authSession{ID: s.newUUID(), Pool: p.Id, Client: ac.client.ClientId, Username: username,
		Challenge: "PASSWORD_VERIFIER", Expires: s.now().Add(sessionValidity(ac.client)), SRPState: state, SRPA: srpA, Fake: fake,
		Rounds: rounds, Custom: rounds != nil})
	out := &AuthOutput{ChallengeName: "PASSWORD_VERIFIER", ChallengeParameters: map[string]string{
		"SALT": srp.SaltHex(salt), "SRP_B": sess.B(), "SECRET_BLOCK": block, "USER_ID_FOR_SRP": username, "USERNAME": username,
	}}
	if rounds != nil {
		out.Session = block
	}
	return out, nil
}

// timestampSkew bounds how far an SRP TIMESTAMP may be from the server's clock.
const timestampSkew = 15 * time.Minute

// RespondToAuthChallenge answers a challenge: PASSWORD_VERIFIER (SRP), NEW_PASSWORD_REQUIRED,
// the MFA challenges (SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP, SELECT_MFA_TYPE), MFA_SETUP and
// CUSTOM_CHALLENGE (custom authentication, see answerCustomChallenge).
func (s *Service) RespondToAuthChallenge(ctx context.Context, in *RespondToAuthChallengeInput, admin bool) (*AuthOutput, error) {
	var (
		pre  *passwordCheck
		next *customNext
	)
	switch in.ChallengeName {
	case "CUSTOM_CHALLENGE":
		return s.answerCustomChallenge(ctx, in, admin)
	case "PASSWORD_VERIFIER":
		pre = s.precheckClaim(ctx, in.ChallengeResponses)
		var err error
		if next, err = s.customAfterPassword(ctx, in, admin, pre); err != nil {
			return nil, err
		}
	}
	return s.authStep(ctx, "respond to auth challenge", in.UserPoolId, in.ClientId, admin, in.ClientMetadata, func(tx storage.Tx, ac *authContext) (*AuthOutput, *TokenRequest, error, error) {
		resp := in.ChallengeResponses
		name := resp["USERNAME"]
		if name == "" {
			return nil, nil, nil, missingParam("USERNAME")
		}
		if err := s.checkSecretHash(ac.cr, name, resp["SECRET_HASH"]); err != nil {
			return nil, nil, nil, err
		}
		switch in.ChallengeName {
		case "PASSWORD_VERIFIER":
			return s.passwordVerifier(tx, ac, resp, pre, next)
		case "NEW_PASSWORD_REQUIRED":
			out, req, err := s.newPasswordRequired(tx, ac, in.Session, resp)
			return out, req, nil, err
		case mfaSMS, mfaTOTP, mfaEmail:
			return s.answerMfa(tx, ac, in.ChallengeName, in.Session, resp)
		case "SELECT_MFA_TYPE":
			out, req, err := s.selectMfaType(tx, ac, in.Session, resp)
			return out, req, nil, err
		case "MFA_SETUP":
			out, req, err := s.completeMfaSetup(tx, ac, in.Session, resp)
			return out, req, nil, err
		default:
			return nil, nil, nil, errInvalidParam("Challenge %s is not supported for this sign-in.", in.ChallengeName)
		}
	})
}

// passwordVerifier checks the SRP password claim. The claim of a custom authentication continues
// as next says (what the define auth challenge trigger decided, outside the transaction).
func (s *Service) passwordVerifier(tx storage.Tx, ac *authContext, resp map[string]string, pre *passwordCheck, next *customNext) (*AuthOutput, *TokenRequest, error, error) {
	block := resp["PASSWORD_CLAIM_SECRET_BLOCK"]
	sig := resp["PASSWORD_CLAIM_SIGNATURE"]
	ts := resp["TIMESTAMP"]
	switch {
	case block == "":
		return nil, nil, nil, missingParam("PASSWORD_CLAIM_SECRET_BLOCK")
	case sig == "":
		return nil, nil, nil, missingParam("PASSWORD_CLAIM_SIGNATURE")
	case ts == "":
		return nil, nil, nil, missingParam("TIMESTAMP")
	}
	when, err := srp.ParseTimestamp(ts)
	if err != nil {
		return nil, nil, nil, errInvalidParam("TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.")
	}
	if d := s.now().Sub(when); d > timestampSkew || d < -timestampSkew {
		return nil, nil, errIncorrect(), nil
	}
	sess, err := s.openSession(tx, block, ac.client.ClientId, "PASSWORD_VERIFIER")
	if err != nil {
		return nil, nil, nil, err
	}
	p := ac.pool
	if sess.Fake {
		return nil, nil, errIncorrect(), nil
	}
	u, ok, err := findUser(tx, p, sess.Username)
	if err != nil {
		return nil, nil, nil, err
	}
	if !ok || u.Password == nil {
		return nil, nil, errIncorrect(), nil
	}
	ac.user, ac.found = u, true
	ukey := normName(p, u.Username)
	locked, err := s.lockedOut(tx, p.Id, ukey)
	if err != nil {
		return nil, nil, nil, err
	}
	if locked {
		return nil, nil, errAttemptsExceeded(), nil
	}
	good := pre.matches(p.Id, &u, func() bool { return s.verifyClaim(p.Id, &u, sess, block, ts, sig) })
	if !good {
		if err := s.recordFailure(tx, p.Id, ukey); err != nil {
			return nil, nil, nil, err
		}
		return nil, nil, errIncorrect(), nil
	}
	if sess.Custom {
		if next == nil {
			// The claim checked before the transaction was not this one.
			return nil, nil, nil, errInvalidSession()
		}
		if err := tx.Delete(lockoutKey(p.Id, ukey)); err != nil && !isNotFound(err) {
			return nil, nil, nil, err
		}
		return s.applyCustom(tx, ac, next, u.Username)
	}
	out, req, err := s.afterPassword(tx, ac)
	return out, req, nil, err
}

// verifyClaim checks an SRP password claim against user u's verifier. A verifier that changed
// since the challenge (a new password) cannot match.
func (s *Service) verifyClaim(pool string, u *userRecord, sess authSession, block, ts, sig string) bool {
	v, err := s.Keys.Open(u.Password.Verifier, verifierAAD(pool, u.Username))
	if err != nil {
		return false
	}
	ss, err := srp.UnmarshalServerSession(sess.SRPState, v)
	if err != nil {
		return false
	}
	secretBlock, err := base64.StdEncoding.DecodeString(block)
	if err != nil {
		return false
	}
	good, err := ss.VerifyClaim(srp.PoolName(pool), u.Username, sess.SRPA, secretBlock, ts, sig)
	return err == nil && good
}

// precheckClaim verifies a PASSWORD_VERIFIER claim in a read-only transaction and outside it,
// as precheckPassword does for passwords; nil when there is nothing to check.
func (s *Service) precheckClaim(ctx context.Context, resp map[string]string) *passwordCheck {
	block, ts, sig := resp["PASSWORD_CLAIM_SECRET_BLOCK"], resp["TIMESTAMP"], resp["PASSWORD_CLAIM_SIGNATURE"]
	sess, err := s.unsealSession(block)
	if err != nil || sess.Fake || block == "" || sig == "" || ts == "" || s.now().After(sess.Expires) {
		return nil
	}
	// Spend no exponentiation on what the sign-in refuses before its own check.
	if when, err := srp.ParseTimestamp(ts); err != nil || s.now().Sub(when) > timestampSkew || when.Sub(s.now()) > timestampSkew {
		return nil
	}
	var (
		c passwordCheck
		u userRecord
	)
	err = s.view(ctx, func(tx storage.Tx) error {
		if err := checkUnused(tx, sess); err != nil {
			return errors.Join(err, errNoPrecheck)
		}
		rec, err := getPool(tx, sess.Pool)
		if err != nil {
			return err
		}
		found := false
		u, found, err = findUser(tx, &rec.Pool, sess.Username)
		if err != nil || !found || u.Password == nil || u.Username != sess.Username {
			return errors.Join(err, errNoPrecheck)
		}
		c.pool, c.username, c.verifier = rec.Pool.Id, u.Username, u.Password.Verifier
		return nil
	})
	if err != nil {
		return nil
	}
	c.ok = s.verifyClaim(c.pool, &u, sess, block, ts, sig)
	return &c
}

// newPasswordRequired completes NEW_PASSWORD_REQUIRED: the user chooses a permanent password and
// supplies required attributes.
func (s *Service) newPasswordRequired(tx storage.Tx, ac *authContext, session string, resp map[string]string) (*AuthOutput, *TokenRequest, error) {
	if session == "" {
		return nil, nil, missingParam("Session")
	}
	sess, err := s.openSession(tx, session, ac.client.ClientId, "NEW_PASSWORD_REQUIRED")
	if err != nil {
		return nil, nil, err
	}
	pw := resp["NEW_PASSWORD"]
	if pw == "" {
		return nil, nil, missingParam("NEW_PASSWORD")
	}
	p := ac.pool
	u, err := mustFindUser(tx, p, sess.Username)
	if err != nil {
		return nil, nil, err
	}
	if u.Status != StatusForceChangePassword {
		return nil, nil, errInvalidSession()
	}
	if err := checkPassword(p, pw, policyPrefix); err != nil {
		return nil, nil, err
	}
	var attrs []Attribute
	for k, v := range resp {
		if name, ok := strings.CutPrefix(k, "userAttributes."); ok {
			attrs = append(attrs, Attribute{Name: name, Value: ptr(v)})
		}
	}
	slices.SortFunc(attrs, func(a, b Attribute) int { return strings.Compare(a.Name, b.Name) })
	if err := checkWritable(ac.client, attrs); err != nil {
		return nil, nil, err
	}
	old := cloneUser(u)
	if _, err := s.changeAttributes(tx, p, &u, attrs, modeUser, ac.client.ClientId); err != nil {
		return nil, nil, err
	}
	if missing := requiredMissing(p.SchemaAttributes, u.Attributes); len(missing) > 0 {
		return nil, nil, errInvalidParam("Invalid attributes given, %s is missing", strings.Join(missing, ", "))
	}
	if err := s.setPassword(p, &u, pw, true); err != nil {
		return nil, nil, err
	}
	u.Modified = s.now()
	if err := aliasError(s.putUser(tx, p, &old, &u, false), len(p.UsernameAttributes) > 0); err != nil {
		return nil, nil, err
	}
	ac.user, ac.found = u, true
	ac.source = tokenSourceNewPassword
	return s.afterPassword(tx, ac)
}
