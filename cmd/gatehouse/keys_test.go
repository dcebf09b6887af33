package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/gatehouse-dev/gatehouse/internal/app"
	"github.com/gatehouse-dev/gatehouse/internal/storage/postgres/pgtest"
	"github.com/gatehouse-dev/gatehouse/internal/testenv"
	"github.com/gatehouse-dev/gatehouse/internal/tokens"
)

// rotatedRE matches one line of `gatehouse keys rotate` output; the previous keys are missing
// for a pool that had none yet.
var rotatedRE = regexp.MustCompile(`^rotated (\S+): id kid ([A-Za-z0-9+/=]+), access kid ([A-Za-z0-9+/=]+)` +
	`(?:; previous kids ([A-Za-z0-9+/=]+), ([A-Za-z0-9+/=]+) stay in the JWKS until (\S+))?$`)

// rotation is one parsed output line.
type rotation struct{ pool, idKid, accessKid, oldID, oldAccess, until string }

// keysEnv is a running server and the means to run `gatehouse keys` against its store, both
// reading one fake clock.
type keysEnv struct {
	t      *testing.T
	s      *testenv.Server
	c      *cip.Client
	ctx    context.Context
	clock  *testenv.Clock
	args   []string          // the store flags of the command
	getenv map[string]string // its environment
}

func newKeysEnv(t *testing.T, args []string, getenv map[string]string, opts ...testenv.Option) *keysEnv {
	t.Helper()
	// The clock starts at the wall time: the rotation's timestamps are compared with it.
	clock := testenv.NewClock(time.Now())
	s := testenv.Start(t, append(opts, testenv.WithClock(clock.Now))...)
	return &keysEnv{t: t, s: s, c: s.Cognito(), ctx: testenv.Ctx(t), clock: clock, args: args, getenv: getenv}
}

// run runs the gatehouse command args (the store flags are appended) and returns its stdout.
func (e *keysEnv) run(args ...string) (string, error) {
	var stdout, stderr bytes.Buffer
	m := &Main{Stdout: &stdout, Stderr: &stderr, Now: e.clock.Now, Getenv: func(k string) string { return e.getenv[k] }}
	err := m.Run(append(args, e.args...))
	if stderr.Len() > 0 {
		e.t.Logf("stderr: %s", stderr.String())
	}
	return stdout.String(), err
}

// rotate runs `gatehouse keys rotate` with extra args and parses its output, one line per pool.
func (e *keysEnv) rotate(extra ...string) []rotation {
	e.t.Helper()
	out, err := e.run(append([]string{"keys", "rotate"}, extra...)...)
	if err != nil {
		e.t.Fatalf("keys rotate %v: %v", extra, err)
	}
	var rs []rotation
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		m := rotatedRE.FindStringSubmatch(line)
		if m == nil {
			e.t.Fatalf("keys rotate printed %q", line)
		}
		rs = append(rs, rotation{m[1], m[2], m[3], m[4], m[5], m[6]})
	}
	return rs
}

// pool creates a pool with a password-sign-in client and a confirmed user alice.
func (e *keysEnv) pool(name string) (pool, client string) {
	e.t.Helper()
	p, err := e.c.CreateUserPool(e.ctx, &cip.CreateUserPoolInput{PoolName: aws.String(name)})
	e.must(err, "create pool")
	pool = aws.ToString(p.UserPool.Id)
	cl, err := e.c.CreateUserPoolClient(e.ctx, &cip.CreateUserPoolClientInput{UserPoolId: &pool, ClientName: aws.String("app"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	e.must(err, "create client")
	_, err = e.c.AdminCreateUser(e.ctx, &cip.AdminCreateUserInput{UserPoolId: &pool, Username: aws.String("alice"),
		MessageAction: types.MessageActionTypeSuppress})
	e.must(err, "create user")
	_, err = e.c.AdminSetUserPassword(e.ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &pool, Username: aws.String("alice"),
		Password: aws.String("Passw0rd!"), Permanent: true})
	e.must(err, "set password")
	return pool, aws.ToString(cl.UserPoolClient.ClientId)
}

func (e *keysEnv) must(err error, what string) {
	e.t.Helper()
	if err != nil {
		e.t.Fatalf("%s: %v", what, err)
	}
}

// signIn signs alice in and returns the ID and access tokens.
func (e *keysEnv) signIn(client string) (id, access string) {
	e.t.Helper()
	out, err := e.c.InitiateAuth(e.ctx, &cip.InitiateAuthInput{ClientId: &client, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": "Passw0rd!"}})
	e.must(err, "sign in")
	return aws.ToString(out.AuthenticationResult.IdToken), aws.ToString(out.AuthenticationResult.AccessToken)
}

// jwks returns the server's JWKS of pool.
func (e *keysEnv) jwks(pool string) jose.JSONWebKeySet {
	e.t.Helper()
	resp, err := http.Get(e.s.URL + "/" + pool + "/.well-known/jwks.json")
	e.must(err, "get jwks")
	defer resp.Body.Close()
	var set jose.JSONWebKeySet
	e.must(json.NewDecoder(resp.Body).Decode(&set), "decode jwks")
	return set
}

func kids(set jose.JSONWebKeySet) []string {
	var out []string
	for _, k := range set.Keys {
		out = append(out, k.KeyID)
	}
	return out
}

// kidOf returns the kid in token's header.
func kidOf(t *testing.T, token string) string {
	t.Helper()
	tok, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatal(err)
	}
	return tok.Headers[0].KeyID
}

// verifies reports whether token's signature verifies with set.
func verifies(token string, set jose.JSONWebKeySet) bool {
	tok, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		return false
	}
	keys := set.Key(tok.Headers[0].KeyID)
	var c map[string]any
	return len(keys) == 1 && tok.Claims(keys[0].Key, &c) == nil
}

// getUser reports whether the server accepts access (GetUser).
func (e *keysEnv) getUser(access string) error {
	_, err := e.c.GetUser(e.ctx, &cip.GetUserInput{AccessToken: &access})
	return err
}

// testKeysRotate rotates a pool's keys with `gatehouse keys rotate` while a server runs on the
// same store, and checks that the server keeps accepting the old tokens, publishes both key
// generations, and signs with the new keys once its key cache expires.
func testKeysRotate(t *testing.T, e *keysEnv) {
	pool, client := e.pool("rotate")
	oldID, oldAccess := e.signIn(client)
	before := kids(e.jwks(pool))
	if len(before) != 2 || kidOf(t, oldID) != before[0] || kidOf(t, oldAccess) != before[1] {
		t.Fatalf("JWKS before rotation = %v", before)
	}

	rs := e.rotate("--pool", pool)
	if len(rs) != 1 {
		t.Fatalf("rotations = %+v", rs)
	}
	r := rs[0]
	if r.pool != pool || r.oldID != before[0] || r.oldAccess != before[1] || r.idKid == r.accessKid ||
		r.idKid == before[0] || r.accessKid == before[1] {
		t.Fatalf("rotation = %+v, keys before %v", r, before)
	}
	until, err := time.Parse(time.RFC3339, r.until)
	if err != nil || until.Before(e.clock.Now().Add(tokens.DefaultOverlap-time.Minute)) {
		t.Errorf("old keys verify until %q (%v)", r.until, err)
	}

	// The server signs with the keys it has cached until their TTL is over (its bound on
	// picking up a rotation done elsewhere), then with the new ones. No request in between
	// reads the JWKS, which would refresh the cache sooner.
	id, access := e.signIn(client)
	if kidOf(t, id) != before[0] || kidOf(t, access) != before[1] {
		t.Errorf("within the cache TTL the server signs with %s/%s", kidOf(t, id), kidOf(t, access))
	}
	e.clock.Advance(tokens.DefaultCacheTTL)
	newID, newAccess := e.signIn(client)
	if kidOf(t, newID) != r.idKid || kidOf(t, newAccess) != r.accessKid {
		t.Fatalf("after the cache TTL the server signs with %s/%s, want %s/%s", kidOf(t, newID), kidOf(t, newAccess), r.idKid, r.accessKid)
	}

	// The JWKS lists both generations, new first; tokens of both verify against it and are
	// accepted by the server.
	set := e.jwks(pool)
	if got, want := kids(set), []string{r.idKid, r.accessKid, before[0], before[1]}; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("JWKS after rotation = %v, want %v", got, want)
	}
	for name, tok := range map[string]string{"old id": oldID, "old access": oldAccess, "new id": newID, "new access": newAccess} {
		if !verifies(tok, set) {
			t.Errorf("%s token does not verify against the JWKS", name)
		}
	}
	if err := e.getUser(oldAccess); err != nil {
		t.Errorf("GetUser with a token of the rotated-out key: %v", err)
	}
	if err := e.getUser(newAccess); err != nil {
		t.Errorf("GetUser with a token of the new key: %v", err)
	}

	// A second rotation shows in the server's JWKS within a second (before the server signs
	// with it), and the first generation is still there.
	r2 := e.rotate("--pool", pool)[0]
	if r2.oldID != r.idKid || r2.oldAccess != r.accessKid {
		t.Errorf("second rotation retired %s/%s, want %s/%s", r2.oldID, r2.oldAccess, r.idKid, r.accessKid)
	}
	e.clock.Advance(time.Second)
	if got, want := kids(e.jwks(pool)), []string{r2.idKid, r2.accessKid, r.idKid, r.accessKid, before[0], before[1]}; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("JWKS after the second rotation = %v, want %v", got, want)
	}

	// --all rotates every pool, including one that never had keys (it gets its first ones);
	// an unknown pool is an error that names it.
	other, _ := e.pool("other")
	all := e.rotate("--all")
	if len(all) != 2 {
		t.Fatalf("--all rotated %+v", all)
	}
	got := map[string]rotation{all[0].pool: all[0], all[1].pool: all[1]}
	if got[pool].oldID != r2.idKid || got[other].idKid == "" || got[other].oldID != "" {
		t.Errorf("--all rotated %+v, want %s (retiring %s) and %s (new keys)", all, pool, r2.idKid, other)
	}
	_, err = e.run("keys", "rotate", "--pool", "us-east-1_Nope12345")
	if err == nil || !strings.Contains(err.Error(), "user pool us-east-1_Nope12345 does not exist") {
		t.Errorf("unknown pool: %v", err)
	}
}

func TestKeysRotateSQLite(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := newKeysEnv(t, []string{"--data", dir}, nil, func(c *app.Config) { c.Data = dir })
	testKeysRotate(t, e)
}

func TestKeysRotatePostgres(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	key := make([]byte, 32)
	rand.Read(key)
	master := base64.StdEncoding.EncodeToString(key)
	// The store and master key come from the environment here; the data directory is empty.
	e := newKeysEnv(t, []string{"--data", t.TempDir()}, map[string]string{"GATEHOUSE_DB": dsn, "GATEHOUSE_MASTER_KEY": master},
		func(c *app.Config) { c.DB = dsn; c.MasterKey = master })
	testKeysRotate(t, e)
}

// TestKeysRotateErrors: the command refuses to run without a pool choice, on a store that is
// not a Gatehouse's, and with the wrong master key, and creates nothing on the way.
func TestKeysRotateErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	run := func(env map[string]string, args ...string) error {
		var out bytes.Buffer
		m := &Main{Stdout: &out, Stderr: &out, Getenv: func(k string) string { return env[k] }}
		return m.Run(append([]string{"keys", "rotate"}, args...))
	}
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--data", dir}, nil, "give either --pool <poolId> or --all"},
		{[]string{"--data", dir, "--pool", "p", "--all"}, nil, "give either --pool <poolId> or --all"},
		{[]string{"--data", dir, "--pool", "us-east-1_Abc"}, nil, "no Gatehouse database"},
		{[]string{"--db", "memory", "--all"}, nil, "throw-away store"},
		{[]string{"--all"}, map[string]string{"GATEHOUSE_DB": "mysql://x"}, "--db must be"},
		{[]string{"--data", dir, "--all", "extra"}, nil, `unexpected argument "extra"`},
	} {
		err := run(tc.env, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("keys rotate %v: %v, want %q", tc.args, err, tc.want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("keys rotate created %v", entries)
	}

	// A data directory with a database but another master key.
	a, err := app.Open(context.Background(), func() *app.Config {
		c := app.DefaultConfig()
		c.Data = dir
		return c
	}(), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	other := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{1}, 32))
	if err := run(map[string]string{"GATEHOUSE_MASTER_KEY": other}, "--data", dir, "--all"); err == nil ||
		!strings.Contains(err.Error(), "master key does not match") {
		t.Errorf("wrong master key: %v", err)
	}
	if err := run(nil, "--data", dir, "--all"); err != nil {
		t.Errorf("no pools: %v", err)
	}

	var out bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &out, Getenv: func(string) string { return "" }}
	if err := m.Run([]string{"keys", "shred"}); err == nil || !strings.Contains(out.String(), "usage: gatehouse keys rotate") {
		t.Errorf("keys shred: %v, %s", err, out.String())
	}
}
