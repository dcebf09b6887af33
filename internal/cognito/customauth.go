package cognito

import (
	"context"
	"maps"

	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

// Custom authentication (CUSTOM_AUTH): the define auth challenge trigger decides, round after
// round, whether to issue tokens, fail, or present a challenge; the create auth challenge
// trigger makes each CUSTOM_CHALLENGE and the verify auth challenge response trigger checks the
// answers. A sign-in may start with SRP (SRP_A in AuthParameters), the define trigger then
// asking for PASSWORD_VERIFIER. The rounds so far, and a challenge's private parameters, travel
// sealed in the Session; triggers run outside the write transaction, which only spends the
// session and applies the decision.

// challengeResult is one entry of the session a define or create auth challenge event carries.
type challengeResult struct {
	ChallengeName     string  `json:"challengeName"`
	ChallengeResult   bool    `json:"challengeResult"`
	ChallengeMetadata *string `json:"challengeMetadata"`
}

// challengeCustom is the challenge the create auth challenge trigger makes.
const challengeCustom = "CUSTOM_CHALLENGE"

// defineAuthChallengeRequest is the request of a define auth challenge event.
type defineAuthChallengeRequest struct {
	UserAttributes map[string]string `json:"userAttributes"`
	Session        []challengeResult `json:"session"`
	ClientMetadata map[string]string `json:"clientMetadata,omitempty"`
	UserNotFound   *bool             `json:"userNotFound,omitempty"`
}

// defineAuthChallengeResponse is the response of a define auth challenge event.
type defineAuthChallengeResponse struct {
	ChallengeName      *string `json:"challengeName"`
	IssueTokens        bool    `json:"issueTokens"`
	FailAuthentication bool    `json:"failAuthentication"`
}

// createAuthChallengeRequest is the request of a create auth challenge event.
type createAuthChallengeRequest struct {
	UserAttributes map[string]string `json:"userAttributes"`
	ChallengeName  string            `json:"challengeName"`
	Session        []challengeResult `json:"session"`
	ClientMetadata map[string]string `json:"clientMetadata,omitempty"`
	UserNotFound   *bool             `json:"userNotFound,omitempty"`
}

// createAuthChallengeResponse is the response of a create auth challenge event.
type createAuthChallengeResponse struct {
	PublicChallengeParameters  map[string]string `json:"publicChallengeParameters"`
	PrivateChallengeParameters map[string]string `json:"privateChallengeParameters"`
	ChallengeMetadata          *string           `json:"challengeMetadata"`
}

// verifyAuthChallengeRequest is the request of a verify auth challenge response event.
type verifyAuthChallengeRequest struct {
	UserAttributes             map[string]string `json:"userAttributes"`
	PrivateChallengeParameters map[string]string `json:"privateChallengeParameters"`
	ChallengeAnswer            string            `json:"challengeAnswer"`
	ClientMetadata             map[string]string `json:"clientMetadata,omitempty"`
	UserNotFound               *bool             `json:"userNotFound,omitempty"`
}

// verifyAuthChallengeResponse is the response of a verify auth challenge response event.
type verifyAuthChallengeResponse struct {
	AnswerCorrect bool `json:"answerCorrect"`
}

// customAuth is a custom authentication in progress.
type customAuth struct {
	pool   *UserPool
	client *Client
	user   userRecord
	found  bool
	// name is the user name the events carry: the canonical one when the user exists.
	name string
	// meta is the ClientMetadata the triggers get (none from InitiateAuth).
	meta map[string]string
}

func (c *customAuth) attributes() map[string]string { return attributesOf(c.pool, &c.user, c.found) }

func (c *customAuth) notFound() *bool { return userNotFound(c.client, c.found) }

// invokeCustom runs one of the custom authentication triggers (trigger, function arn) with request
// and the pre-filled response; a pool without the function cannot run custom authentication.
func (s *Service) invokeCustom(ctx context.Context, c *customAuth, trigger, arn string, req, resp any) (respFields, error) {
	if arn == "" {
		return nil, errCustomAuthNotConfigured()
	}
	source := trigger + "_Authentication"
	return s.invokeTrigger(ctx, c.pool, trigger, arn, s.newEvent(c.pool, source, c.name, c.client.ClientId, req, resp))
}

// customNext is what a custom authentication does next: fail, issue tokens, or present the
// challenge in out.
type customNext struct {
	fail, issue bool
	out         *AuthOutput
}

// startCustomAuth starts a CUSTOM_AUTH sign-in (prepareSignIn has checked the request and run
// the pre authentication trigger).
func (s *Service) startCustomAuth(ctx context.Context, in *InitiateAuthInput, admin bool, prep *signInPrep) (*AuthOutput, error) {
	if !prep.found && !preventsExistenceErrors(prep.client) {
		return nil, errUserNotFound()
	}
	c := &customAuth{pool: prep.pool, client: prep.client, user: prep.user, found: prep.found, name: in.AuthParameters["USERNAME"]}
	if c.found {
		c.name = c.user.Username
	}
	rounds := []challengeResult{}
	srpA := in.AuthParameters["SRP_A"]
	if srpA != "" {
		rounds = append(rounds, challengeResult{ChallengeName: "SRP_A", ChallengeResult: true})
	}
	next, err := s.nextCustom(ctx, c, rounds, srpA)
	if err != nil {
		return nil, err
	}
	return s.authStep(ctx, "initiate auth", in.UserPoolId, in.ClientId, admin, nil, func(tx storage.Tx, ac *authContext) (*AuthOutput, *TokenRequest, error, error) {
		if err := s.checkInitiate(ac, in, admin); err != nil {
			return nil, nil, nil, err
		}
		return s.applyCustom(tx, ac, next, c.user.Username)
	})
}

// nextCustom asks the define auth challenge trigger what follows rounds and, for a
// CUSTOM_CHALLENGE, has the create auth challenge trigger make it. srpA is the client's SRP_A
// when the define trigger may ask for PASSWORD_VERIFIER (the first round of a sign-in that
// started with SRP).
func (s *Service) nextCustom(ctx context.Context, c *customAuth, rounds []challengeResult, srpA string) (*customNext, error) {
	req := defineAuthChallengeRequest{UserAttributes: c.attributes(), Session: rounds, ClientMetadata: metadata(c.meta), UserNotFound: c.notFound()}
	f, err := s.invokeCustom(ctx, c, trigDefineAuthChallenge, triggersOf(c.pool).DefineAuthChallenge, req, defineAuthChallengeResponse{})
	var d defineAuthChallengeResponse
	if err == nil {
		err = f.members(map[string]any{"failAuthentication": &d.FailAuthentication, "issueTokens": &d.IssueTokens, "challengeName": &d.ChallengeName})
	}
	if err != nil {
		return nil, err
	}
	switch challenge := deref(d.ChallengeName, ""); {
	case d.FailAuthentication:
		return &customNext{fail: true}, nil
	case d.IssueTokens:
		// A user who does not exist cannot get tokens, whatever the trigger says.
		return &customNext{issue: c.found, fail: !c.found}, nil
	case challenge == challengeCustom:
		return s.createCustomChallenge(ctx, c, rounds)
	case challenge == "PASSWORD_VERIFIER" && srpA != "":
		ac := &authContext{pool: c.pool, client: c.client, user: c.user, found: c.found}
		out, err := s.startSRP(ac, c.name, srpA, rounds)
		if err != nil {
			return nil, err
		}
		return &customNext{out: out}, nil
	}
	return nil, errUnrecognizable()
}

// createCustomChallenge runs the create auth challenge trigger and returns the
// CUSTOM_CHALLENGE: its public parameters (and USERNAME) for the client, its private ones
// sealed in the Session.
func (s *Service) createCustomChallenge(ctx context.Context, c *customAuth, rounds []challengeResult) (*customNext, error) {
	p := c.pool
	req := createAuthChallengeRequest{UserAttributes: c.attributes(), ChallengeName: challengeCustom, Session: rounds,
		ClientMetadata: metadata(c.meta), UserNotFound: c.notFound()}
	f, err := s.invokeCustom(ctx, c, trigCreateAuthChallenge, triggersOf(p).CreateAuthChallenge, req, createAuthChallengeResponse{})
	var r createAuthChallengeResponse
	if err == nil {
		err = f.members(map[string]any{"publicChallengeParameters": &r.PublicChallengeParameters,
			"privateChallengeParameters": &r.PrivateChallengeParameters, "challengeMetadata": &r.ChallengeMetadata})
	}
	if err != nil {
		return nil, err
	}
	params := map[string]string{}
	maps.Copy(params, r.PublicChallengeParameters)
	params["USERNAME"] = c.name
	sess := authSession{ID: s.newUUID(), Pool: p.Id, Client: c.client.ClientId, Username: c.name, Challenge: challengeCustom,
		Expires: s.now().Add(sessionValidity(c.client)), Rounds: rounds, Private: r.PrivateChallengeParameters,
		Metadata: r.ChallengeMetadata, NotFound: !c.found}
	return &customNext{out: &AuthOutput{ChallengeName: challengeCustom, Session: s.sealSession(sess), ChallengeParameters: params}}, nil
}

// applyCustom applies, inside the step's transaction, what a custom authentication does next
// for the user named username: a failure (reported after the commit), the tokens (the user's
// status and MFA are checked as after a password), or the next challenge.
func (s *Service) applyCustom(tx storage.Tx, ac *authContext, next *customNext, username string) (*AuthOutput, *TokenRequest, error, error) {
	switch {
	case next.fail:
		return nil, nil, errIncorrect(), nil
	case next.issue:
		u, ok, err := findUser(tx, ac.pool, username)
		if err != nil {
			return nil, nil, nil, err
		}
		if !ok || u.Username != username {
			return nil, nil, errIncorrect(), nil
		}
		ac.user, ac.found = u, true
		out, req, err := s.afterPassword(tx, ac)
		return out, req, nil, err
	}
	return next.out, nil, nil, nil
}

// answerCustomChallenge answers a CUSTOM_CHALLENGE: the verify trigger checks the ANSWER, the
// define trigger decides what follows, and the step spends the session.
func (s *Service) answerCustomChallenge(ctx context.Context, in *RespondToAuthChallengeInput, admin bool) (*AuthOutput, error) {
	resp := in.ChallengeResponses
	var (
		a authSession
		c customAuth
	)
	err := s.view(ctx, func(tx storage.Tx) error {
		ac, err := s.authClient(tx, in.UserPoolId, in.ClientId, admin)
		if err != nil {
			return err
		}
		name := resp["USERNAME"]
		if name == "" {
			return missingParam("USERNAME")
		}
		if err := s.checkSecretHash(ac.cr, name, resp["SECRET_HASH"]); err != nil {
			return err
		}
		if in.Session == "" {
			return missingParam("Session")
		}
		if resp["ANSWER"] == "" {
			return missingParam("ANSWER")
		}
		if a, err = s.peekSession(tx, in.Session, ac.client.ClientId, challengeCustom); err != nil {
			return err
		}
		c = customAuth{pool: ac.pool, client: ac.client, name: a.Username, meta: in.ClientMetadata}
		if !a.NotFound {
			if c.user, c.found, err = findUser(tx, ac.pool, a.Username); err != nil {
				return err
			}
			if !c.found || c.user.Username != a.Username || !c.user.Enabled {
				return errInvalidSession()
			}
		}
		return nil
	})
	if err != nil {
		return nil, internal("respond to auth challenge", err)
	}
	correct, err := s.verifyAuthChallenge(ctx, &c, a.Private, resp["ANSWER"])
	if err != nil {
		return nil, err
	}
	rounds := append(append([]challengeResult{}, a.Rounds...), challengeResult{ChallengeName: challengeCustom,
		ChallengeResult: correct, ChallengeMetadata: a.Metadata})
	next, err := s.nextCustom(ctx, &c, rounds, "")
	if err != nil {
		return nil, err
	}
	return s.authStep(ctx, "respond to auth challenge", in.UserPoolId, in.ClientId, admin, in.ClientMetadata, func(tx storage.Tx, ac *authContext) (*AuthOutput, *TokenRequest, error, error) {
		if _, err := s.openSession(tx, in.Session, ac.client.ClientId, challengeCustom); err != nil {
			return nil, nil, nil, err
		}
		return s.applyCustom(tx, ac, next, a.Username)
	})
}

// verifyAuthChallenge runs the verify auth challenge response trigger on a user's answer.
func (s *Service) verifyAuthChallenge(ctx context.Context, c *customAuth, private map[string]string, answer string) (bool, error) {
	req := verifyAuthChallengeRequest{UserAttributes: c.attributes(), PrivateChallengeParameters: private, ChallengeAnswer: answer,
		ClientMetadata: metadata(c.meta), UserNotFound: c.notFound()}
	f, err := s.invokeCustom(ctx, c, trigVerifyAuthChallenge, triggersOf(c.pool).VerifyAuthChallengeResponse, req, verifyAuthChallengeResponse{})
	if err != nil {
		return false, err
	}
	return f.boolean("answerCorrect")
}

// customAfterPassword continues a custom authentication whose PASSWORD_VERIFIER claim the
// precheck found right: the define trigger sees the PASSWORD_VERIFIER round and decides. It
// returns nil for an SRP sign-in that is not a custom one, and for a claim the precheck did
// not find right (the step then fails it and counts the failure).
func (s *Service) customAfterPassword(ctx context.Context, in *RespondToAuthChallengeInput, admin bool, pre *passwordCheck) (*customNext, error) {
	a, err := s.unsealSession(in.ChallengeResponses["PASSWORD_CLAIM_SECRET_BLOCK"])
	if err != nil || !a.Custom || pre == nil || !pre.ok || s.now().After(a.Expires) {
		return nil, nil
	}
	var c customAuth
	err = s.view(ctx, func(tx storage.Tx) error {
		ac, err := s.authClient(tx, in.UserPoolId, in.ClientId, admin)
		if err != nil {
			return err
		}
		c = customAuth{pool: ac.pool, client: ac.client, name: a.Username, meta: in.ClientMetadata}
		c.user, c.found, err = findUser(tx, ac.pool, a.Username)
		return err
	})
	if err != nil || !c.found || c.user.Username != a.Username || a.Client != c.client.ClientId {
		return nil, internal("respond to auth challenge", err)
	}
	rounds := append(append([]challengeResult{}, a.Rounds...), challengeResult{ChallengeName: "PASSWORD_VERIFIER", ChallengeResult: true})
	return s.nextCustom(ctx, &c, rounds, "")
}
