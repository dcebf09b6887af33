package srp

import (
	"bytes"
	"math/big"
	"math/rand/v2"
	"testing"

	"filippo.io/bigmod"
)

// TestExpG checks the fixed-base exponentiation against math/big and against bigmod's generic
// exponentiation, for exponents that exercise every window and nibble value.
func TestExpG(t *testing.T) {
	r := rand.New(seeded(7))
	var exps [][]byte
	for _, fill := range []byte{0x00, 0xff, 0x01, 0x10, 0x80, 0x0f, 0xf0, 0x5a} {
		exps = append(exps, bytes.Repeat([]byte{fill}, gExpBytes))
	}
	for i := range gExpBytes { // a single non-zero byte at each position, both nibbles
		for _, v := range []byte{0x01, 0x0f, 0x10, 0xf0, 0xa5} {
			e := make([]byte, gExpBytes)
			e[i] = v
			exps = append(exps, e)
		}
	}
	for nib := range byte(16) { // every nibble value in every window at once
		e := make([]byte, gExpBytes)
		for i := range e {
			e[i] = nib<<4 | (15 - nib)
		}
		exps = append(exps, e)
	}
	for range 200 {
		e := make([]byte, gExpBytes)
		for i := range e {
			e[i] = byte(r.Uint32())
		}
		exps = append(exps, e)
	}
	g := big.NewInt(Generator)
	for _, e := range exps {
		got := expG(e)
		want := new(big.Int).Exp(g, new(big.Int).SetBytes(e), nInt).FillBytes(make([]byte, VerifierSize))
		if !bytes.Equal(got, want) {
			t.Fatalf("expG(%x) differs from math/big", e)
		}
		generic := bigmod.NewNat().Exp(nat(gBytes), e, nMod).Bytes(nMod)
		if !bytes.Equal(got, generic) {
			t.Fatalf("expG(%x) differs from bigmod.Exp", e)
		}
	}
}

func TestExpGLength(t *testing.T) {
	for _, n := range []int{0, gExpBytes - 1, gExpBytes + 1} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("expG with a %d-byte exponent did not panic", n)
				}
			}()
			expG(make([]byte, n))
		}()
	}
}

func TestGTable(t *testing.T) {
	tab := gTable()
	g := big.NewInt(Generator)
	r := new(big.Int).Lsh(big.NewInt(1), 8*VerifierSize)
	for _, i := range []int{0, 1, 2, 31, gWindows - 1} {
		for j := range 16 {
			e := new(big.Int).Lsh(big.NewInt(int64(j)), uint(4*i)) // j·16^i
			want := new(big.Int).Exp(g, e, nInt)
			want.Mul(want, r).Mod(want, nInt)
			if got := new(big.Int).SetBytes(tab[i][j].bytes()); got.Cmp(want) != 0 {
				t.Fatalf("gTable[%d][%d] != g^(%d·16^%d)·R mod N", i, j, j, i)
			}
		}
	}
}

func TestLimbs(t *testing.T) {
	b := make([]byte, VerifierSize)
	for i := range b {
		b[i] = byte(i)
	}
	l := toLimbs(b)
	if l[0] != 0x78797a7b7c7d7e7f || l[nLimbs-1] != 0x0001020304050607 || !bytes.Equal(l.bytes(), b) {
		t.Fatalf("limbs of 00 01 … 7f = %x …", l[0])
	}
	if new(big.Int).SetBytes(nLimbsN.bytes()).Cmp(nInt) != 0 {
		t.Fatal("nLimbsN != N")
	}
	if nLimbsN[0]*-nInv != 1 {
		t.Fatal("nInv is not -N⁻¹ mod 2^64")
	}
}

// TestMontMul checks montMul against math/big on edge values and random ones, including
// aliased operands.
func TestMontMul(t *testing.T) {
	r := rand.New(seeded(11))
	rInv := new(big.Int).ModInverse(new(big.Int).Lsh(big.NewInt(1), 8*VerifierSize), nInt)
	random := func() *big.Int {
		b := make([]byte, VerifierSize)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		x := new(big.Int).SetBytes(b)
		return x.Mod(x, nInt)
	}
	sub := func(d int64) *big.Int { return new(big.Int).Sub(nInt, big.NewInt(d)) }
	vals := []*big.Int{big.NewInt(0), big.NewInt(1), big.NewInt(2), sub(1), sub(2),
		new(big.Int).Rsh(nInt, 1), new(big.Int).Lsh(big.NewInt(1), 3071), new(big.Int).Lsh(big.NewInt(1), 64)}
	for range 60 {
		vals = append(vals, random())
	}
	limbsOf := func(x *big.Int) limbs { return toLimbs(x.FillBytes(make([]byte, VerifierSize))) }
	for _, x := range vals {
		for _, y := range vals {
			lx, ly := limbsOf(x), limbsOf(y)
			var z limbs
			montMul(&z, &lx, &ly)
			want := new(big.Int).Mul(x, y)
			want.Mul(want, rInv).Mod(want, nInt)
			if new(big.Int).SetBytes(z.bytes()).Cmp(want) != 0 {
				t.Fatalf("montMul(%x…, %x…) is wrong", x.Bytes()[:4], y.Bytes()[:4])
			}
			montMul(&lx, &lx, &ly) // z aliases x
			if lx != z {
				t.Fatal("montMul with z = x differs")
			}
			ly2 := limbsOf(y)
			montMul(&ly2, &ly2, &ly2) // z = x = y
			want.Mul(y, y).Mul(want, rInv).Mod(want, nInt)
			if new(big.Int).SetBytes(ly2.bytes()).Cmp(want) != 0 {
				t.Fatal("montMul squaring in place is wrong")
			}
		}
	}
}

func BenchmarkMontMul(b *testing.B) {
	x := toLimbs(new(big.Int).Sub(nInt, big.NewInt(12345)).FillBytes(make([]byte, VerifierSize)))
	for b.Loop() {
		montMul(&x, &x, &x)
	}
}

func BenchmarkExpG(b *testing.B) {
	e := bytes.Repeat([]byte{0xa5}, gExpBytes)
	gTable()
	for b.Loop() {
		expG(e)
	}
}

func BenchmarkExpGeneric(b *testing.B) {
	e := bytes.Repeat([]byte{0xa5}, gExpBytes)
	for b.Loop() {
		bigmod.NewNat().Exp(nat(gBytes), e, nMod)
	}
}

func BenchmarkGTable(b *testing.B) {
	for b.Loop() {
		gTableBuild()
	}
}

// TestExpGSizes pins the exponent sizes expG serves: the server secret and the SHA-256
// password exponent.
func TestExpGSizes(t *testing.T) {
	if SecretSize != gExpBytes {
		t.Errorf("SecretSize = %d, expG takes %d-byte exponents", SecretSize, gExpBytes)
	}
	if n := len(passwordExponent("p", "u", "pw", []byte{1})); n != gExpBytes {
		t.Errorf("password exponent is %d bytes, expG takes %d", n, gExpBytes)
	}
}
