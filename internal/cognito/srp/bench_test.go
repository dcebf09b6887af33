package srp

import (
	crand "crypto/rand"
	"math/big"
	"testing"
)

func BenchmarkVerifier(b *testing.B) {
	salt := []byte("0123456789abcdef")
	for b.Loop() {
		Verifier("pool", "user", "password", salt)
	}
}

func BenchmarkNewServerSession(b *testing.B) {
	v := Verifier("pool", "user", "password", []byte("0123456789abcdef"))
	for b.Loop() {
		if _, err := NewServerSession(crand.Reader, v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyClaim(b *testing.B) {
	s, _ := fixedSession(b)
	c, err := newTestClient(crand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	ts := "Sun Oct 6 13:37:50 UTC 2024"
	sig, err := c.claim("pool", "user", "password", SaltHex([]byte("0123456789abcdef")), s.B(), nil, ts)
	if err != nil {
		b.Fatal(err)
	}
	a := c.srpA()
	for b.Loop() {
		if ok, err := s.VerifyClaim("pool", "user", a, nil, ts, sig); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}

// BenchmarkMathBigExp256 is the variable-time math/big cost of one
// 256-bit-exponent modexp over N, for comparison with the bigmod paths.
func BenchmarkMathBigExp256(b *testing.B) {
	e := new(big.Int).SetBytes(kBytes)
	g := big.NewInt(Generator)
	for b.Loop() {
		new(big.Int).Exp(g, e, nInt)
	}
}
