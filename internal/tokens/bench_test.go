package tokens

import "testing"

func BenchmarkIssue(b *testing.B) {
	e := newEnv(b)
	r := testRequest()
	if _, err := e.m.Issue(ctx, r); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.m.Issue(ctx, r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	e := newEnv(b)
	tok, err := e.m.Issue(ctx, testRequest())
	if err != nil {
		b.Fatal(err)
	}
	want := Expect{testIss, UseAccess}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.m.Verify(ctx, testPool, tok.AccessToken, want); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRefreshToken(b *testing.B) {
	e := newEnv(b)
	p := RefreshToken{PoolID: testPool, ClientID: testClient, Username: "alice", Sub: "s", OriginJTI: "o"}
	b.ReportAllocs()
	for b.Loop() {
		tok, _, err := e.m.NewRefreshToken(p, 3600e9)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := e.m.ParseRefreshToken(tok); err != nil {
			b.Fatal(err)
		}
	}
}
