package tokens

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/storage"
	"github.com/gatehouse-dev/gatehouse/internal/storage/sqlite"
)

func TestRotateKeysResult(t *testing.T) {
	e := newEnv(t)
	// A pool without keys gets its first ones and retires nothing.
	first, err := e.m.RotateKeys(ctx, testPool)
	if err != nil {
		t.Fatal(err)
	}
	if first.Pool != testPool || first.IDKid == "" || first.AccessKid == "" || first.IDKid == first.AccessKid ||
		len(first.Retired) != 0 || !first.VerifyUntil.IsZero() {
		t.Fatalf("first rotation = %+v", first)
	}
	if got := kidsOf(jwks(t, e)); !slices.Equal(got, []string{first.IDKid, first.AccessKid}) {
		t.Fatalf("JWKS = %v, want the new keys %+v", got, first)
	}
	e.clock.Add(time.Hour)
	second, err := e.m.RotateKeys(ctx, testPool)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(second.Retired, []string{first.IDKid, first.AccessKid}) || !second.VerifyUntil.Equal(e.clock.Now().Add(DefaultOverlap)) {
		t.Fatalf("second rotation = %+v", second)
	}
	if got := kidsOf(jwks(t, e)); !slices.Equal(got, []string{second.IDKid, second.AccessKid, first.IDKid, first.AccessKid}) {
		t.Fatalf("JWKS = %v", got)
	}
	// The retired keys leave the JWKS at VerifyUntil.
	e.clock.Add(DefaultOverlap - time.Second)
	if n := len(jwks(t, e).Keys); n != 4 {
		t.Errorf("JWKS a second before VerifyUntil has %d keys", n)
	}
	e.clock.Add(time.Second)
	if got := kidsOf(jwks(t, e)); !slices.Equal(got, []string{second.IDKid, second.AccessKid}) {
		t.Errorf("JWKS at VerifyUntil = %v", got)
	}
}

func kidsOf(s *JWKS) []string {
	var out []string
	for _, k := range s.Keys {
		out = append(out, k.Kid)
	}
	return out
}

// TestExternalRotationConvergence: a rotation done by another process (here a Manager on its
// own connection to the same SQLite file) reaches a running server's Manager in bounded time,
// without Forget: the JWKS within minRefresh, verification of tokens the new keys signed as soon
// as the cached copy is older than minRefresh, and signing within the cache TTL.
func TestExternalRotationConvergence(t *testing.T) {
	path := filepath.Join(t.TempDir(), "gatehouse.db")
	open := func() storage.Store {
		st, err := sqlite.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	kr := testKeyring(t, 7)
	// Like processes, the Managers draw kids from independent random sources (newEnvOn's
	// seeded one would give them all the same kids).
	replica := func() *env {
		c := &clock{t: t0}
		st := open()
		return &env{m: NewManager(st, kr, Options{Now: c.Now}), store: st, kr: kr, clock: c}
	}
	server, verifier, signer, cli := replica(), replica(), replica(), replica()
	old := issue(t, server)
	issue(t, verifier) // every server-side Manager has the keys cached
	issue(t, signer)
	before := kidsOf(jwks(t, server))

	r, err := cli.m.RotateKeys(ctx, testPool)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.Retired, before) {
		t.Fatalf("retired %v, want %v", r.Retired, before)
	}
	fresh := issue(t, cli) // signed by the new access key

	// JWKS: the cached copy is served for less than minRefresh, then storage is reread.
	if got := kidsOf(jwks(t, server)); !slices.Equal(got, before) {
		t.Errorf("JWKS just after the rotation = %v, want the cached %v", got, before)
	}
	server.clock.Add(minRefresh)
	want := []string{r.IDKid, r.AccessKid, before[0], before[1]}
	if got := kidsOf(jwks(t, server)); !slices.Equal(got, want) {
		t.Errorf("JWKS after minRefresh = %v, want %v", got, want)
	}
	for _, tok := range []string{old.AccessToken, fresh.AccessToken} {
		if _, err := server.m.Verify(ctx, testPool, tok, Expect{testIss, UseAccess}); err != nil {
			t.Errorf("server rejects a token after the rotation: %v", err)
		}
	}

	// Verification: the new kid is unknown to the cached copy, which is reread once it is
	// older than minRefresh.
	verifier.clock.Add(minRefresh)
	if _, err := verifier.m.Verify(ctx, testPool, fresh.AccessToken, Expect{testIss, UseAccess}); err != nil {
		t.Errorf("a Manager with cached keys rejects a token of the new key: %v", err)
	}

	// Signing: a Manager that neither serves the JWKS nor meets the new kid signs with its
	// cached keys until the cache TTL is over, then with the new ones.
	signedWith := func() string {
		t.Helper()
		c, err := server.m.Verify(ctx, testPool, issue(t, signer).AccessToken, Expect{testIss, UseAccess})
		if err != nil {
			t.Fatal(err)
		}
		return c.KeyID
	}
	signer.clock.Add(DefaultCacheTTL - time.Second)
	if kid := signedWith(); kid != before[1] {
		t.Errorf("within the cache TTL the signer uses %s, want the cached %s", kid, before[1])
	}
	signer.clock.Add(time.Second)
	if kid := signedWith(); kid != r.AccessKid {
		t.Errorf("after the cache TTL the signer uses %s, want the new %s", kid, r.AccessKid)
	}
}
