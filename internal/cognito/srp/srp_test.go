package srp

import (
	"bytes"
	crand "crypto/rand"
	"encoding/hex"
	"errors"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// seeded returns a deterministic random source for reproducible tests.
func seeded(seed uint64) *rand.ChaCha8 {
	var s [32]byte
	s[0] = byte(seed)
	s[1] = byte(seed >> 8)
	return rand.NewChaCha8(s)
}

func randString(r *rand.Rand, alphabet []rune, max int) string {
	n := r.IntN(max) + 1
	var sb strings.Builder
	for range n {
		sb.WriteRune(alphabet[r.IntN(len(alphabet))])
	}
	return sb.String()
}

// TestRoundTrip runs full handshakes between the package and the independent
// test client on random inputs, serializing the session in between.
func TestRoundTrip(t *testing.T) {
	src := seeded(1)
	r := rand.New(src)
	alphabet := []rune("abcXYZ019_-.@:+ äß密🔑")
	n := 12
	if testing.Short() {
		n = 3
	}
	for i := range n {
		pool := randString(r, []rune("abcdefghijkLMNOP0123456789"), 12)
		user := randString(r, alphabet, 40)
		pass := randString(r, alphabet, 80)
		salt, err := NewSalt(src)
		if err != nil {
			t.Fatal(err)
		}
		if i%4 == 0 {
			salt[0] = 0 // exercise padHex normalisation of the salt
		}
		v := Verifier(pool, user, pass, salt)
		if len(v) != VerifierSize {
			t.Fatalf("verifier length %d", len(v))
		}

		client, err := newTestClient(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := ValidateA(client.srpA()); err != nil {
			t.Fatalf("ValidateA: %v", err)
		}
		s, err := NewServerSession(src, v)
		if err != nil {
			t.Fatal(err)
		}
		state, err := s.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		block := make([]byte, r.IntN(200))
		src.Read(block)
		ts := time.Unix(r.Int64N(4e9), 0).UTC().Format(TimestampLayout)

		sig, err := client.claim(pool, user, pass, SaltHex(salt), s.B(), block, ts)
		if err != nil {
			t.Fatal(err)
		}
		wrong, err := client.claim(pool, user, pass+"!", SaltHex(salt), s.B(), block, ts)
		if err != nil {
			t.Fatal(err)
		}
		s2, err := UnmarshalServerSession(state, v)
		if err != nil {
			t.Fatal(err)
		}
		if s2.B() != s.B() {
			t.Fatal("B changed across MarshalBinary/UnmarshalServerSession")
		}
		for _, sess := range []*ServerSession{s, s2} {
			if ok, err := sess.VerifyClaim(pool, user, client.srpA(), block, ts, sig); !ok || err != nil {
				t.Fatalf("case %d: VerifyClaim = %v, %v; want true", i, ok, err)
			}
		}
		tampered := []struct {
			name                 string
			pool, user, a, ts, s string
			block                []byte
		}{
			{"wrong password", pool, user, client.srpA(), ts, wrong, block},
			{"pool", pool + "x", user, client.srpA(), ts, sig, block},
			{"user", pool, user + "x", client.srpA(), ts, sig, block},
			{"timestamp", pool, user, client.srpA(), ts + " ", sig, block},
			{"secret block", pool, user, client.srpA(), ts, sig, append(block, 0)},
			{"A", pool, user, incHex(client.srpA()), ts, sig, block},
		}
		for _, tc := range tampered {
			ok, err := s2.VerifyClaim(tc.pool, tc.user, tc.a, tc.block, tc.ts, tc.s)
			if ok || err != nil {
				t.Errorf("case %d, tampered %s: VerifyClaim = %v, %v; want false, nil", i, tc.name, ok, err)
			}
		}
		// A session restored with another verifier (password changed meanwhile) fails.
		other := Verifier(pool, user, pass+"new", salt)
		s3, err := UnmarshalServerSession(state, other)
		if err != nil {
			t.Fatal(err)
		}
		if ok, _ := s3.VerifyClaim(pool, user, client.srpA(), block, ts, sig); ok {
			t.Errorf("case %d: claim verified against a different verifier", i)
		}
	}
}

func TestRoundTripCryptoRand(t *testing.T) {
	salt, err := NewSalt(crand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	v := Verifier("pool", "user", "pw", salt)
	s, err := NewServerSession(crand.Reader, v)
	if err != nil {
		t.Fatal(err)
	}
	c, err := newTestClient(crand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ts := time.Now().UTC().Format(TimestampLayout)
	sig, err := c.claim("pool", "user", "pw", SaltHex(salt), s.B(), []byte("block"), ts)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := s.VerifyClaim("pool", "user", c.srpA(), []byte("block"), ts, sig); !ok || err != nil {
		t.Fatalf("VerifyClaim = %v, %v", ok, err)
	}
}

func TestPadBytes(t *testing.T) {
	// Examples from AuthenticationHelper.padHex's documentation, plus edges.
	for _, tc := range []struct{ in, want string }{
		{"", "00"},
		{"00", "00"},
		{"0000", "00"},
		{"14", "14"},
		{"38", "38"},
		{"ec", "00ec"},
		{"c8", "00c8"},
		{"000ec8", "0ec8"},
		{"0080", "0080"},
		{"7f", "7f"},
		{"80", "0080"},
	} {
		in, _ := hex.DecodeString(tc.in)
		if got := hex.EncodeToString(padBytes(in)); got != tc.want {
			t.Errorf("padBytes(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestSaltNormalisation(t *testing.T) {
	// Leading zero bytes are not part of the salt's padHex form, for clients
	// as for the server, so they do not change the verifier.
	salt := []byte{0, 0, 0x12, 0x34}
	if got := SaltHex(salt); got != "1234" {
		t.Errorf("SaltHex = %s", got)
	}
	if !bytes.Equal(Verifier("p", "u", "pw", salt), Verifier("p", "u", "pw", salt[2:])) {
		t.Error("leading zero bytes changed the verifier")
	}
	if got := SaltHex([]byte{0x9a}); got != "009a" {
		t.Errorf("SaltHex(9a) = %s", got)
	}
	if got := SaltHex(nil); got != "00" {
		t.Errorf("SaltHex(nil) = %s", got)
	}
}

func TestNewSalt(t *testing.T) {
	salt, err := NewSalt(crand.Reader)
	if err != nil || len(salt) != SaltSize {
		t.Fatalf("NewSalt = %x, %v", salt, err)
	}
	if _, err := NewSalt(iotest.ErrReader(errors.New("boom"))); err == nil {
		t.Error("NewSalt ignored a reader error")
	}
	if _, err := NewSalt(bytes.NewReader(make([]byte, 5))); err == nil {
		t.Error("NewSalt accepted a short read")
	}
}

func TestPoolName(t *testing.T) {
	for in, want := range map[string]string{
		"us-east-1_AbC123":   "AbC123",
		"eu-west-2_Z9y8X7w6": "Z9y8X7w6",
		"local_abc_def":      "abc",
		"no-underscore":      "",
		"_x":                 "x",
		"":                   "",
	} {
		if got := PoolName(in); got != want {
			t.Errorf("PoolName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCheckPasswordBadVerifier(t *testing.T) {
	salt := []byte("0123456789abcdef")
	v := Verifier("p", "u", "pw", salt)
	for _, bad := range [][]byte{nil, v[:VerifierSize-1], append(append([]byte(nil), v...), 0)} {
		if CheckPassword("p", "u", "pw", salt, bad) {
			t.Errorf("CheckPassword accepted a %d-byte verifier", len(bad))
		}
	}
}

func fixedSession(t testing.TB) (*ServerSession, []byte) {
	t.Helper()
	v := Verifier("pool", "user", "password", []byte("0123456789abcdef"))
	s, err := NewServerSession(bytes.NewReader(bytes.Repeat([]byte{0x5a}, SecretSize)), v)
	if err != nil {
		t.Fatal(err)
	}
	return s, v
}

func TestNewServerSessionErrors(t *testing.T) {
	_, v := fixedSession(t)
	nBytes := nInt.Bytes()
	nMinus1 := new(big.Int).Sub(nInt, big.NewInt(1)).Bytes()
	for name, bad := range map[string][]byte{
		"nil":   nil,
		"short": v[1:],
		"long":  append([]byte{0}, v...),
		"zero":  make([]byte, VerifierSize),
		"N":     nBytes,
		"ff":    bytes.Repeat([]byte{0xff}, VerifierSize),
	} {
		if _, err := NewServerSession(crand.Reader, bad); !errors.Is(err, ErrInvalidVerifier) {
			t.Errorf("%s verifier: err = %v, want ErrInvalidVerifier", name, err)
		}
	}
	if _, err := NewServerSession(crand.Reader, nMinus1); err != nil {
		t.Errorf("N-1 verifier: %v", err)
	}
	if _, err := NewServerSession(bytes.NewReader(make([]byte, SecretSize)), v); err == nil {
		t.Error("accepted an all-zero secret")
	}
	if _, err := NewServerSession(bytes.NewReader(make([]byte, SecretSize-1)), v); err == nil {
		t.Error("accepted a short random read")
	}
}

func TestUnmarshalServerSessionErrors(t *testing.T) {
	s, v := fixedSession(t)
	state, err := s.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if len(state) != stateSize {
		t.Fatalf("state is %d bytes", len(state))
	}
	mutate := func(f func([]byte) []byte) []byte { return f(append([]byte(nil), state...)) }
	for name, bad := range map[string][]byte{
		"empty":     nil,
		"truncated": state[:len(state)-1],
		"extended":  append(append([]byte(nil), state...), 0),
		"version":   mutate(func(b []byte) []byte { b[0] = 2; return b }),
		"zero b":    mutate(func(b []byte) []byte { clear(b[1 : 1+SecretSize]); return b }),
		"zero B":    mutate(func(b []byte) []byte { clear(b[1+SecretSize:]); return b }),
		"B >= N":    mutate(func(b []byte) []byte { copy(b[1+SecretSize:], bytes.Repeat([]byte{0xff}, VerifierSize)); return b }),
	} {
		if _, err := UnmarshalServerSession(bad, v); !errors.Is(err, ErrInvalidSession) {
			t.Errorf("%s: err = %v, want ErrInvalidSession", name, err)
		}
	}
	if _, err := UnmarshalServerSession(state, v[:10]); !errors.Is(err, ErrInvalidVerifier) {
		t.Errorf("bad verifier: err = %v", err)
	}
	// Unmarshal must copy: mutating the input afterwards changes nothing.
	s2, err := UnmarshalServerSession(state, v)
	if err != nil {
		t.Fatal(err)
	}
	clear(state)
	clear(v)
	if s2.B() != s.B() {
		t.Error("session aliases its input")
	}
	if again, _ := s2.MarshalBinary(); again[0] != stateVersion || isZero(again[1:]) {
		t.Error("session aliases its input")
	}
}

func TestZeroSession(t *testing.T) {
	for _, s := range []*ServerSession{nil, {}} {
		if s.B() != "" {
			t.Error("B() of an invalid session is not empty")
		}
		if _, err := s.MarshalBinary(); !errors.Is(err, ErrInvalidSession) {
			t.Errorf("MarshalBinary err = %v", err)
		}
		if ok, err := s.VerifyClaim("p", "u", "2", nil, "", ""); ok || !errors.Is(err, ErrInvalidSession) {
			t.Errorf("VerifyClaim = %v, %v", ok, err)
		}
	}
}

func TestValidateA(t *testing.T) {
	nHexLower := strings.ToLower(NHex)
	nMinus1 := new(big.Int).Sub(nInt, big.NewInt(1)).Text(16)
	for _, tc := range []struct {
		a  string
		ok bool
	}{
		{"", false},
		{"0", false},
		{"000", false},
		{"1", true},
		{"2", true},
		{"02", true},
		{"000abc", true},
		{"ABCdef", true},
		{nMinus1, true},
		{strings.ToUpper(nMinus1), true},
		{nHexLower, false},
		{"1" + nHexLower, false},
		{strings.Repeat("0", 5000) + "1", true},
		{strings.Repeat("1", 2*VerifierSize+1), false},
		{"-1", false},
		{"+1", false},
		{"0x1", false},
		{" 1", false},
		{"1 ", false},
		{"1_0", false},
		{"g", false},
	} {
		err := ValidateA(tc.a)
		if (err == nil) != tc.ok {
			t.Errorf("ValidateA(%.20q) = %v, want ok=%v", tc.a, err, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrInvalidA) {
			t.Errorf("ValidateA(%.20q) = %v, want ErrInvalidA", tc.a, err)
		}
	}
}

func TestVerifyClaimMalformed(t *testing.T) {
	s, _ := fixedSession(t)
	goodSig := "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
	if ok, err := s.VerifyClaim("p", "u", "0", nil, "", goodSig); ok || !errors.Is(err, ErrInvalidA) {
		t.Errorf("A=0: %v, %v", ok, err)
	}
	if ok, err := s.VerifyClaim("p", "u", strings.ToLower(NHex), nil, "", goodSig); ok || !errors.Is(err, ErrInvalidA) {
		t.Errorf("A=N: %v, %v", ok, err)
	}
	for _, sig := range []string{"not base64!", "AAAA====", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "AAAA\nAAAA"} {
		if ok, err := s.VerifyClaim("p", "u", "2", nil, "", sig); ok || !errors.Is(err, ErrInvalidSignature) {
			t.Errorf("sig %q: %v, %v", sig, ok, err)
		}
	}
	// Well-formed but wrong: false without error, whatever the length.
	for _, sig := range []string{"", "AAAA", goodSig} {
		if ok, err := s.VerifyClaim("p", "u", "2", nil, "", sig); ok || err != nil {
			t.Errorf("sig %q: %v, %v; want false, nil", sig, ok, err)
		}
	}
	// Degenerate but in-range A values (1, N-1) are the client's problem,
	// not a crash: they just fail.
	for _, a := range []string{"1", new(big.Int).Sub(nInt, big.NewInt(1)).Text(16)} {
		if ok, err := s.VerifyClaim("p", "u", a, nil, "", goodSig); ok || err != nil {
			t.Errorf("A=%.8s: %v, %v", a, ok, err)
		}
	}
}

func TestParseTimestamp(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Time
	}{
		{"Sun Oct 6 13:37:50 UTC 2024", time.Date(2024, 10, 6, 13, 37, 50, 0, time.UTC)},
		{"Wed Jan 1 00:00:05 UTC 2025", time.Date(2025, 1, 1, 0, 0, 5, 0, time.UTC)},
		{"Thu Feb 29 09:05:00 UTC 2024", time.Date(2024, 2, 29, 9, 5, 0, 0, time.UTC)},
		{"Thu Dec 31 23:59:59 UTC 2026", time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC)},
	} {
		got, err := ParseTimestamp(tc.in)
		if err != nil || !got.Equal(tc.want) || got.Location() != time.UTC {
			t.Errorf("ParseTimestamp(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{
		"",
		"Sun Oct 06 13:37:50 UTC 2024", // zero-padded day
		"Sun Oct  6 13:37:50 UTC 2024", // space-padded day
		"Mon Oct 6 13:37:50 UTC 2024",  // wrong weekday
		"Sun Oct 6 1:37:50 UTC 2024",   // unpadded hour
		"Sun Oct 6 01:37:50 PM UTC 2024",
		"Sun Oct 6 13:37:5 UTC 2024",
		"Sun Oct 6 13:37:50 GMT 2024",
		"Sun Oct 6 13:37:50 utc 2024",
		"sun oct 6 13:37:50 UTC 2024",
		"Sunday Oct 6 13:37:50 UTC 2024",
		"Sun October 6 13:37:50 UTC 2024",
		"Sun Oct 6 13:37:50 UTC 2024 ",
		" Sun Oct 6 13:37:50 UTC 2024",
		"Sun Oct 6 13:37:50 UTC 24",
		"Sun Oct 6 24:00:00 UTC 2024",
		"Sun Oct 6 13:37:60 UTC 2024",
		"Fri Feb 29 09:05:00 UTC 2025", // no such day
		"Sun Oct 6 13:37:50.123 UTC 2024",
		"2024-10-06T13:37:50Z",
	} {
		if _, err := ParseTimestamp(bad); !errors.Is(err, ErrInvalidTimestamp) {
			t.Errorf("ParseTimestamp(%q) err = %v, want ErrInvalidTimestamp", bad, err)
		}
	}
}
