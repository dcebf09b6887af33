package srp

import (
	"errors"
	"testing"
	"time"
)

func FuzzVerifyClaim(f *testing.F) {
	s, _ := fixedSession(f)
	// Seed with a genuine claim so the fuzzer starts from the success path.
	c, err := newTestClient(seeded(7))
	if err != nil {
		f.Fatal(err)
	}
	ts := "Sun Oct 6 13:37:50 UTC 2024"
	block := []byte("secret block")
	sig, err := c.claim("pool", "user", "password", SaltHex([]byte("0123456789abcdef")), s.B(), block, ts)
	if err != nil {
		f.Fatal(err)
	}
	if ok, err := s.VerifyClaim("pool", "user", c.srpA(), block, ts, sig); !ok || err != nil {
		f.Fatalf("seed claim does not verify: %v, %v", ok, err)
	}
	f.Add("user", c.srpA(), block, ts, sig)
	f.Add("user", "0", []byte{}, "", "")
	f.Add("", "1", []byte{0}, "x", "AAAA")
	f.Add("u", NHex, []byte(nil), ts, "====")

	f.Fuzz(func(t *testing.T, user, a string, block []byte, ts, sig string) {
		ok, err := s.VerifyClaim("pool", user, a, block, ts, sig)
		if err != nil && ok {
			t.Fatal("ok with an error")
		}
		if errA := ValidateA(a); (errA == nil) == errors.Is(err, ErrInvalidA) {
			t.Fatalf("ValidateA = %v but VerifyClaim = %v", errA, err)
		}
	})
}

func FuzzParseTimestamp(f *testing.F) {
	for _, s := range []string{
		"Sun Oct 6 13:37:50 UTC 2024",
		"Sun Oct 06 13:37:50 UTC 2024",
		"Thu Feb 29 09:05:00 UTC 2024",
		"Mon Jan 2 15:04:05 UTC 2006",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ts, err := ParseTimestamp(s)
		if err != nil {
			if !ts.IsZero() {
				t.Fatal("non-zero time with an error")
			}
			return
		}
		if got := ts.Format(TimestampLayout); got != s {
			t.Fatalf("accepted %q, which formats as %q", s, got)
		}
		if ts.Location() != time.UTC {
			t.Fatalf("location %v", ts.Location())
		}
	})
}
