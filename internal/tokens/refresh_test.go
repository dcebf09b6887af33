package tokens

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestRefreshToken(t *testing.T) {
	e := newEnv(t)
	in := RefreshToken{PoolID: testPool, ClientID: testClient, Username: "alice", Sub: "s-1", OriginJTI: "o-1", AuthTime: t0.Unix(), DeviceKey: "dk"}
	tok, p, err := e.m.NewRefreshToken(in, 30*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(tok, ".")
	if len(parts) != 5 || !strings.HasPrefix(tok, "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.") {
		t.Fatalf("refresh token shape: %d parts, %q", len(parts), tok[:20])
	}
	if len(parts[1]) != 342 || len(parts[2]) != 16 || len(parts[4]) != 22 {
		t.Errorf("part lengths %d/%d/%d, want 342/16/22 as in Cognito's", len(parts[1]), len(parts[2]), len(parts[4]))
	}
	for _, s := range []string{"alice", testPool, testClient, "o-1"} {
		if strings.Contains(tok, s) || strings.Contains(tok, base64.RawURLEncoding.EncodeToString([]byte(s))) {
			t.Errorf("refresh token reveals %q", s)
		}
	}
	got, err := e.m.ParseRefreshToken(tok)
	if err != nil {
		t.Fatal(err)
	}
	if got != p || got.ID == "" || got.Username != "alice" || got.OriginJTI != "o-1" || got.DeviceKey != "dk" ||
		got.IssuedAt != t0.Unix() || got.Expires != t0.Add(30*24*time.Hour).Unix() {
		t.Errorf("payload = %+v", got)
	}
	tok2, p2, _ := e.m.NewRefreshToken(in, time.Hour)
	if tok2 == tok || p2.ID == p.ID {
		t.Error("two refresh tokens are equal")
	}

	// Every part is authenticated.
	for i := range parts {
		for _, pos := range []int{0, len(parts[i]) / 2, len(parts[i]) - 2} {
			b := []byte(parts[i])
			if b[pos] == 'A' {
				b[pos] = 'B'
			} else {
				b[pos] = 'A'
			}
			mod := append([]string{}, parts...)
			mod[i] = string(b)
			if _, err := e.m.ParseRefreshToken(strings.Join(mod, ".")); !errors.Is(err, ErrInvalidToken) {
				t.Errorf("tampered part %d at %d: err = %v", i, pos, err)
			}
		}
	}
	// Swapping the random part of two tokens fails too.
	parts2 := strings.Split(tok2, ".")
	if _, err := e.m.ParseRefreshToken(strings.Join([]string{parts[0], parts2[1], parts[2], parts[3], parts[4]}, ".")); !errors.Is(err, ErrInvalidToken) {
		t.Errorf("spliced token: err = %v", err)
	}
	for _, bad := range []string{"", "x", tok + ".x", strings.Join(parts[:4], "."), "a.b.c.d.e", strings.Repeat("a", MaxTokenSize+1)} {
		if _, err := e.m.ParseRefreshToken(bad); !errors.Is(err, ErrInvalidToken) {
			t.Errorf("ParseRefreshToken(%.30q): err = %v", bad, err)
		}
	}
	// Another master key cannot open it.
	other := newEnvOn(t, e.store, testKeyring(t, 9))
	if _, err := other.m.ParseRefreshToken(tok); !errors.Is(err, ErrInvalidToken) {
		t.Errorf("other master key: err = %v", err)
	}
	// Expiry.
	e.clock.Add(time.Hour)
	if _, err := e.m.ParseRefreshToken(tok2); !errors.Is(err, ErrExpired) {
		t.Errorf("expired: err = %v", err)
	}
	if _, err := e.m.ParseRefreshToken(tok); err != nil {
		t.Errorf("unexpired: %v", err)
	}
}
