package totp

import (
	"bytes"
	"encoding/base32"
	"testing"
	"time"
)

// RFC 6238 appendix B: the SHA-1 secret "12345678901234567890", eight-digit codes; the last
// six digits are the six-digit codes.
func TestRFC6238Vectors(t *testing.T) {
	secret := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString([]byte("12345678901234567890"))
	for _, v := range []struct {
		unix int64
		code string
	}{
		{59, "287082"}, {1111111109, "081804"}, {1111111111, "050471"}, {1234567890, "005924"},
		{2000000000, "279037"}, {20000000000, "353130"},
	} {
		got, err := Code(secret, Step(time.Unix(v.unix, 0)))
		if err != nil || got != v.code {
			t.Errorf("Code at %d = %q, %v; want %q", v.unix, got, err, v.code)
		}
	}
}

func TestCheck(t *testing.T) {
	secret, err := NewSecret(bytes.NewReader(bytes.Repeat([]byte{7}, SecretSize)))
	if err != nil || len(secret) != 52 {
		t.Fatalf("NewSecret = %q, %v", secret, err)
	}
	now := time.Unix(1_800_000_015, 0)
	cur := Step(now)
	code := func(s int64) string { c, _ := Code(secret, s); return c }
	cases := []struct {
		name         string
		code         string
		last         int64
		ok, replayed bool
		step         int64
	}{
		{"current step", code(cur), 0, true, false, cur},
		{"previous step (skew)", code(cur - 1), 0, true, false, cur - 1},
		{"next step (skew)", code(cur + 1), 0, true, false, cur + 1},
		{"two steps old", code(cur - 2), 0, false, false, 0},
		{"replay of the last step", code(cur), cur, false, true, cur},
		{"older than the last step", code(cur - 1), cur, false, true, cur - 1},
		{"newer than the last step", code(cur + 1), cur, true, false, cur + 1},
		{"wrong", "000000", 0, false, false, 0},
		{"short", code(cur)[:5], 0, false, false, 0},
		{"not digits", "12a456", 0, false, false, 0},
		{"empty", "", 0, false, false, 0},
	}
	for _, c := range cases {
		step, ok, replayed := Check(secret, c.code, now, c.last)
		if ok != c.ok || replayed != c.replayed || (c.ok || c.replayed) && step != c.step {
			t.Errorf("%s: Check = %d, %v, %v; want %d, %v, %v", c.name, step, ok, replayed, c.step, c.ok, c.replayed)
		}
	}
}

func FuzzCheck(f *testing.F) {
	f.Add("JBSWY3DPEHPK3PXP", "123456", int64(1_700_000_000))
	f.Add("", "", int64(0))
	f.Fuzz(func(t *testing.T, secret, code string, unix int64) {
		step, ok, _ := Check(secret, code, time.Unix(unix, 0), 0)
		if ok {
			if want, err := Code(secret, step); err != nil || want != code {
				t.Fatalf("accepted %q for step %d, whose code is %q (%v)", code, step, want, err)
			}
		}
	})
}
