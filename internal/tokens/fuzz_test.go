package tokens

import (
	"strings"
	"testing"
)

func FuzzVerify(f *testing.F) {
	e := newEnv(f)
	tok, err := e.m.Issue(ctx, testRequest())
	if err != nil {
		f.Fatal(err)
	}
	rt, _, _ := e.m.NewRefreshToken(RefreshToken{PoolID: testPool}, 3600e9)
	for _, s := range []string{tok.IDToken, tok.AccessToken, rt, "", ".", "..", "a.b.c", "eyJhbGciOiJub25lIn0..",
		strings.Replace(tok.AccessToken, ".", "..", 1), `{"payload":"e30","signatures":[]}`} {
		f.Add(s)
	}
	// Seeds are made by the coordinator, while each fuzzing worker has its own keys, so only
	// "never panics, and anything accepted is complete" can be asserted.
	f.Fuzz(func(t *testing.T, s string) {
		for _, use := range []string{UseID, UseAccess} {
			if c, err := e.m.Verify(ctx, testPool, s, Expect{testIss, use}); err == nil && (c == nil || c.TokenUse != use || c.Issuer != testIss) {
				t.Fatalf("accepted an inconsistent token: %+v", c)
			}
		}
		if p, err := e.m.ParseRefreshToken(s); err == nil && p.PoolID != testPool {
			t.Fatalf("accepted a refresh token we did not issue: %+v", p)
		}
	})
}
