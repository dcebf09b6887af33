package cognito_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"github.com/gatehouse-dev/gatehouse/internal/lambda"
	"io"
	"log/slog"
	"maps"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/cognito"
	"github.com/gatehouse-dev/gatehouse/internal/secrets"
	"github.com/gatehouse-dev/gatehouse/internal/storage/memory"
	"github.com/gatehouse-dev/gatehouse/internal/tokens"
)

// fnErr is an error a fake function throws: the invocation succeeds with FunctionError set.
type fnErr string

func (e fnErr) Error() string { return string(e) }

// handler is a fake function: it gets the decoded event and returns what the function returns
// (marshalled to JSON unless it is a []byte), an fnErr, or an invocation error.
type handler func(ev map[string]any) (any, error)

// call is one invocation the fake Lambda received.
type call struct {
	lambda.InvokeInput
	event map[string]any
}

// fakeLambda is an in-process cognito.Invoker: function ARNs mapped to Go handlers.
type fakeLambda struct {
	mu    sync.Mutex
	fns   map[string]handler
	calls []call
}

func (f *fakeLambda) Invoke(_ context.Context, in lambda.InvokeInput) (*lambda.InvokeOutput, error) {
	var ev, recorded map[string]any
	for _, v := range []*map[string]any{&ev, &recorded} {
		dec := json.NewDecoder(bytes.NewReader(in.Payload))
		dec.UseNumber()
		if err := dec.Decode(v); err != nil {
			return nil, err
		}
	}
	f.mu.Lock()
	f.calls = append(f.calls, call{in, recorded})
	fn, ok := f.fns[in.Function]
	f.mu.Unlock()
	if !ok {
		return nil, awserr.New("ResourceNotFoundException", "Function not found: "+in.Function)
	}
	out, err := fn(ev)
	var fe fnErr
	if errors.As(err, &fe) {
		b, _ := json.Marshal(map[string]any{"errorMessage": string(fe), "errorType": "Error", "trace": []string{}})
		return &lambda.InvokeOutput{Payload: b, FunctionError: "Unhandled"}, nil
	}
	if err != nil {
		return nil, err
	}
	if raw, ok := out.([]byte); ok {
		return &lambda.InvokeOutput{Payload: raw}, nil
	}
	b, err := json.Marshal(out)
	return &lambda.InvokeOutput{Payload: b}, err
}

// on installs fn as the function arn.
func (f *fakeLambda) on(arn string, fn handler) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fns == nil {
		f.fns = map[string]handler{}
	}
	f.fns[arn] = fn
}

// events returns the events of the calls whose triggerSource is source, in order.
func (f *fakeLambda) events(source string) []map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []map[string]any
	for _, c := range f.calls {
		if c.event["triggerSource"] == source {
			out = append(out, c.event)
		}
	}
	return out
}

// last returns the last call's event with triggerSource source, failing when there is none.
func (f *fakeLambda) last(t *testing.T, source string) map[string]any {
	t.Helper()
	evs := f.events(source)
	if len(evs) == 0 {
		t.Fatalf("no %s event", source)
	}
	return evs[len(evs)-1]
}

// respond returns a handler that merges fields into the event's response and returns the event.
func respond(fields map[string]any) handler {
	return func(ev map[string]any) (any, error) {
		r, _ := ev["response"].(map[string]any)
		if r == nil {
			r = map[string]any{}
		}
		maps.Copy(r, fields)
		ev["response"] = r
		return ev, nil
	}
}

// echo returns the event unchanged.
func echo(ev map[string]any) (any, error) { return ev, nil }

// messenger records delivered messages.
type messenger struct {
	mu   sync.Mutex
	msgs []cognito.Message
}

func (m *messenger) Deliver(_ context.Context, msg cognito.Message) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.msgs = append(m.msgs, msg)
	return nil
}

func (m *messenger) last(t *testing.T) cognito.Message {
	t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.msgs) == 0 {
		t.Fatal("no message delivered")
	}
	return m.msgs[len(m.msgs)-1]
}

func (m *messenger) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.msgs)
}

// issuer is a cognito.TokenIssuer that builds the claims as Cognito sets them (tokens.IDClaims,
// tokens.AccessClaims), applies the request's Customize as the real issuer does, and encodes
// them unsigned: the tests read the claims a pre token generation trigger changed.
type issuer struct{}

func issuerURL(pool string) string { return "https://issuer.test/" + pool }

// fakeJWT encodes claims as an unsigned JWT.
func fakeJWT(claims any) string {
	b, _ := json.Marshal(claims)
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"none"}`)) + "." + enc(b) + "."
}

func (issuer) Issue(_ context.Context, req cognito.TokenRequest) (*cognito.AuthenticationResult, error) {
	r := tokens.Request{Issuer: issuerURL(req.PoolID), PoolID: req.PoolID, ClientID: req.ClientID, AuthTime: req.AuthTime,
		User:      tokens.User{Username: req.Username, Sub: req.Sub, Attributes: req.Attributes, Groups: cognito.TokenGroups(req.Groups)},
		OriginJTI: req.OriginJTI, EventID: "event", IDValidity: req.IDValidity, AccessValidity: req.AccessValidity}
	now := time.Now()
	id, access := tokens.IDClaims(r, now, "id-jti"), tokens.AccessClaims(r, now, "access-jti")
	if req.Customize != nil {
		req.Customize(id, access)
	}
	res := &cognito.AuthenticationResult{IdToken: fakeJWT(id), AccessToken: fakeJWT(access), TokenType: "Bearer", ExpiresIn: 3600}
	if req.Refresh {
		res.RefreshToken = fakeJWT(cognito.RefreshClaims{TokenID: req.OriginJTI, PoolID: req.PoolID, ClientID: req.ClientID,
			Username: req.Username, OriginJTI: req.OriginJTI, AuthTime: req.AuthTime, IssuedAt: now, Expires: now.Add(req.RefreshValidity)})
	}
	return res, nil
}

// payload decodes the claims of a token (numbers kept exact) into v, without verifying it.
func payload(token string, v any) error {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return errors.New("not a JWT")
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	return dec.Decode(v)
}

func (issuer) ParseRefresh(_ context.Context, token string) (*cognito.RefreshClaims, error) {
	var rc cognito.RefreshClaims
	return &rc, payload(token, &rc)
}

func (issuer) VerifyAccess(_ context.Context, token string) (*cognito.AccessClaims, error) {
	var c struct {
		Iss       string `json:"iss"`
		TokenUse  string `json:"token_use"`
		ClientID  string `json:"client_id"`
		Username  string `json:"username"`
		OriginJTI string `json:"origin_jti"`
	}
	if err := payload(token, &c); err != nil || c.TokenUse != "access" {
		return nil, awserr.New(awserr.NotAuthorized, "Invalid Access Token")
	}
	return &cognito.AccessClaims{PoolID: strings.TrimPrefix(c.Iss, issuerURL("")), ClientID: c.ClientID, Username: c.Username,
		OriginJTI: c.OriginJTI}, nil
}

const (
	testRegion  = "us-east-1"
	testAccount = "123456789012"
	testPass    = "Passw0rd!"
)

// arn returns the ARN of a fake function.
func arn(name string) string {
	return "arn:aws:lambda:" + testRegion + ":" + testAccount + ":function:" + name
}

// triggerEnv is a Cognito service with a fake Lambda, one pool and one app client.
type triggerEnv struct {
	t      *testing.T
	ctx    context.Context
	svc    *cognito.Service
	fl     *fakeLambda
	msgs   *messenger
	pool   *cognito.UserPool
	client string
}

// newTriggerEnv creates a pool from in (its name and LambdaConfig filled in by the caller) and a
// client allowing every flow, with cs's settings.
func newTriggerEnv(t *testing.T, in cognito.CreateUserPoolInput, cs cognito.ClientSettings) *triggerEnv {
	t.Helper()
	st := memory.New()
	kr, err := secrets.New(bytes.Repeat([]byte{7}, secrets.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	e := &triggerEnv{t: t, ctx: context.Background(), fl: &fakeLambda{}, msgs: &messenger{}}
	e.svc = &cognito.Service{Store: st, Keys: kr, Messenger: e.msgs, Region: testRegion, AccountID: testAccount,
		Tokens: issuer{}, Lambda: e.fl, PublicURL: "http://localhost:4566",
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if in.PoolName == "" {
		in.PoolName = "triggers"
	}
	if in.AutoVerifiedAttributes == nil {
		in.AutoVerifiedAttributes = []string{"email"}
	}
	if e.pool, err = e.svc.CreateUserPool(e.ctx, &in); err != nil {
		t.Fatal(err)
	}
	cs.UserPoolId, cs.ClientName = e.pool.Id, "app"
	if cs.ExplicitAuthFlows == nil {
		cs.ExplicitAuthFlows = []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH",
			"ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}
	}
	c, err := e.svc.CreateUserPoolClient(e.ctx, &cognito.CreateClientInput{ClientSettings: cs})
	if err != nil {
		t.Fatal(err)
	}
	e.client = c.ClientId
	return e
}

// lambdaConfig returns a LambdaConfig naming the fake function of each trigger after the
// trigger (arn("PreSignUp"), …).
func lambdaConfig(triggers ...string) json.RawMessage {
	m := map[string]string{}
	for _, tr := range triggers {
		m[tr] = arn(tr)
	}
	b, _ := json.Marshal(m)
	return b
}

// poolWith returns CreateUserPool settings with the given triggers.
func poolWith(triggers ...string) cognito.CreateUserPoolInput {
	return cognito.CreateUserPoolInput{PoolSettings: cognito.PoolSettings{LambdaConfig: lambdaConfig(triggers...)}}
}

func (e *triggerEnv) must(err error, what string) {
	e.t.Helper()
	if err != nil {
		e.t.Fatalf("%s: %v", what, err)
	}
}

// wantErr checks that err is an AWS error of type typ with message msg ("" for any message).
func (e *triggerEnv) wantErr(err error, typ, msg string) {
	e.t.Helper()
	ae, ok := awserr.As(err)
	if !ok {
		e.t.Fatalf("error = %v, want %s", err, typ)
	}
	if ae.Type != typ || (msg != "" && ae.Message != msg) {
		e.t.Fatalf("error = %s: %q, want %s: %q", ae.Type, ae.Message, typ, msg)
	}
}

// createUser creates a confirmed user with a permanent password and a verified email.
func (e *triggerEnv) createUser(name string, attrs ...cognito.Attribute) {
	e.t.Helper()
	attrs = append(attrs, cognito.Attribute{Name: "email", Value: ptr(name + "@example.com")},
		cognito.Attribute{Name: "email_verified", Value: ptr("true")})
	_, err := e.svc.AdminCreateUser(e.ctx, &cognito.AdminCreateUserInput{UserPoolId: e.pool.Id, Username: name, UserAttributes: attrs,
		MessageAction: "SUPPRESS"})
	e.must(err, "create user "+name)
	e.must(e.svc.AdminSetUserPassword(e.ctx, e.pool.Id, name, testPass, true), "set password")
}

// signIn signs in with USER_PASSWORD_AUTH.
func (e *triggerEnv) signIn(name, pw string, meta map[string]string) (*cognito.AuthOutput, error) {
	return e.svc.InitiateAuth(e.ctx, &cognito.InitiateAuthInput{ClientId: e.client, AuthFlow: "USER_PASSWORD_AUTH",
		AuthParameters: map[string]string{"USERNAME": name, "PASSWORD": pw}, ClientMetadata: meta}, false)
}

// tokensOf checks that out is a completed sign-in and returns its ID and access token claims.
func (e *triggerEnv) tokensOf(out *cognito.AuthOutput, err error) (id, access map[string]any) {
	e.t.Helper()
	e.must(err, "sign in")
	if out.AuthenticationResult == nil {
		e.t.Fatalf("sign-in result = %+v, want tokens", out)
	}
	return claimsOf(e.t, out.AuthenticationResult.IdToken), claimsOf(e.t, out.AuthenticationResult.AccessToken)
}

// claimsOf decodes a token's claims.
func claimsOf(t *testing.T, jwt string) map[string]any {
	t.Helper()
	var c map[string]any
	if err := payload(jwt, &c); err != nil {
		t.Fatalf("token %q: %v", jwt, err)
	}
	return c
}

// user returns a user as AdminGetUser sees it, with its attributes as a map.
func (e *triggerEnv) user(name string) (*cognito.AdminGetUserOutput, map[string]string) {
	e.t.Helper()
	u, err := e.svc.AdminGetUser(e.ctx, e.pool.Id, name)
	e.must(err, "get user "+name)
	attrs := map[string]string{}
	for _, a := range u.UserAttributes {
		attrs[a.Name] = *a.Value
	}
	return u, attrs
}

// jsonEqual compares a value with the JSON of want, failing with both when they differ.
func jsonEqual(t *testing.T, what string, got any, want string) {
	t.Helper()
	gb, _ := json.Marshal(got)
	var g, w any
	_ = json.Unmarshal(gb, &g)
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad expectation %s: %v", what, err)
	}
	wb, _ := json.Marshal(w)
	gb, _ = json.Marshal(g)
	if !bytes.Equal(gb, wb) {
		t.Fatalf("%s =\n%s\nwant\n%s", what, gb, wb)
	}
}

func ptr[T any](v T) *T { return &v }

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// wantEvent checks the last event of source: the members every event has (user name user, app
// client client), then request and response against their JSON. It returns the event.
func (e *triggerEnv) wantEvent(source, user, client, request, response string) map[string]any {
	e.t.Helper()
	ev := e.fl.last(e.t, source)
	jsonEqual(e.t, source+" event", ev, `{"version": "1", "region": "us-east-1", "userPoolId": "`+e.pool.Id+`",
		"userName": "`+user+`", "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "`+client+`"},
		"triggerSource": "`+source+`", "request": `+request+`, "response": `+response+`}`)
	return ev
}

// eventAttrs returns the JSON of the event userAttributes of a confirmed user with a verified
// email name@example.com, with the members more (`, "k": "v"`) added.
func (e *triggerEnv) eventAttrs(name, more string) string {
	e.t.Helper()
	_, attrs := e.user(name)
	return `{"sub": "` + attrs["sub"] + `", "email": "` + name + `@example.com", "email_verified": "true",
		"cognito:user_status": "CONFIRMED"` + more + `}`
}

// refuse returns a function that fails with msg for the user name user and returns other events
// unchanged.
func refuse(user, msg string) handler {
	return func(ev map[string]any) (any, error) {
		if ev["userName"] == user {
			return nil, fnErr(msg)
		}
		return ev, nil
	}
}
