package srp

import (
	"crypto/subtle"
	"encoding/binary"
	"math/big"
	"math/bits"
	"sync"
)

// Fixed-base exponentiation of the generator, for Verifier, CheckPassword (run by every
// USER_PASSWORD_AUTH sign-in, inside its write transaction) and NewServerSession.
//
// Every secret exponent of g this package uses is 32 bytes (the password exponent x, the server
// secret b), so g^e = Π_i (g^(16^i))^(e_i) over the 64 nibbles e_i of e. With the public powers
// g^(j·16^i) precomputed, that is 64 Montgomery multiplications by a table entry chosen in
// constant time, instead of the 256 squarings and 64 multiplications of a 4-bit-window
// exponentiation. The multiplications stay in the Montgomery domain (bigmod's exported Mul
// converts in and out of it on every call), so g^e costs about an eighth of bigmod's Exp
// (0.27 ms instead of 2.2 ms on the project's 2-core machine: see docs/benchmarks.md).
//
// montMul is the only arithmetic on secret values here (the table is built with math/big from
// public values). It is a textbook CIOS Montgomery multiplication on 64-bit words with
// math/bits, whose operations take the same time for every input, and no branch or memory
// access depends on the values. Tests check it and expG against math/big and bigmod.

// gExpBytes is the exponent length expG accepts.
const gExpBytes = 32

// gWindows is the number of 4-bit windows of a gExpBytes exponent.
const gWindows = 2 * gExpBytes

// nLimbs is the length in 64-bit words of a group element.
const nLimbs = VerifierSize / 8

// limbs is a group element (or N) as little-endian 64-bit words.
type limbs [nLimbs]uint64

// Montgomery constants of N, with R = 2^3072. They are derived from NHex in a variable
// initializer, so they are ready before any init function runs.
var nLimbsN, nInv = montgomeryConstants()

// montgomeryConstants returns N as limbs and -N⁻¹ mod 2^64.
func montgomeryConstants() (limbs, uint64) {
	n, ok := new(big.Int).SetString(NHex, 16)
	if !ok {
		panic("srp: bad NHex")
	}
	l := toLimbs(n.FillBytes(make([]byte, VerifierSize)))
	// N⁻¹ mod 2^64 by Newton's iteration: each step doubles the number of correct low bits
	// (N is odd, so 1 is right mod 2).
	inv := uint64(1)
	for range 6 {
		inv *= 2 - l[0]*inv
	}
	return l, -inv
}

// toLimbs converts VerifierSize big-endian bytes to limbs.
func toLimbs(b []byte) limbs {
	var l limbs
	for i := range l {
		l[i] = binary.BigEndian.Uint64(b[VerifierSize-8*(i+1):])
	}
	return l
}

// bytes returns l as VerifierSize big-endian bytes.
func (l *limbs) bytes() []byte {
	b := make([]byte, VerifierSize)
	for i, w := range l {
		binary.BigEndian.PutUint64(b[VerifierSize-8*(i+1):], w)
	}
	return b
}

// montMul sets z = x·y·R⁻¹ mod N for x, y < N (z < N), in time independent of the values. z
// may alias x or y.
func montMul(z, x, y *limbs) {
	// t < 2N after every iteration, so t[nLimbs] ≤ 1.
	var t [nLimbs + 1]uint64
	for i := range nLimbs {
		yi := y[i]
		// t = (t + x·yi + m·N) / 2^64, with m chosen so that the division is exact: two
		// carry chains, cA for x·yi and cB for m·N, in one pass.
		hA, lA := bits.Mul64(x[0], yi)
		var c uint64
		lA, c = bits.Add64(lA, t[0], 0)
		hA += c
		m := lA * nInv
		hB, lB := bits.Mul64(m, nLimbsN[0])
		_, c = bits.Add64(lB, lA, 0) // the low word is zero by the choice of m
		hB += c
		cA, cB := hA, hB
		for j := 1; j < nLimbs; j++ {
			hA, lA := bits.Mul64(x[j], yi)
			lA, c = bits.Add64(lA, t[j], 0)
			hA += c
			lA, c = bits.Add64(lA, cA, 0)
			hA += c
			cA = hA
			hB, lB := bits.Mul64(m, nLimbsN[j])
			lB, c = bits.Add64(lB, lA, 0)
			hB += c
			lB, c = bits.Add64(lB, cB, 0)
			hB += c
			cB = hB
			t[j-1] = lB
		}
		var c1, c2 uint64
		t[nLimbs-1], c1 = bits.Add64(t[nLimbs], cA, 0)
		t[nLimbs-1], c2 = bits.Add64(t[nLimbs-1], cB, 0)
		t[nLimbs] = c1 + c2
	}
	// z = t - N if t ≥ N, else t, chosen with a mask: t ≥ N exactly when subtracting N from
	// the nLimbs+1-word t does not borrow.
	var d limbs
	var borrow uint64
	for j := range nLimbs {
		d[j], borrow = bits.Sub64(t[j], nLimbsN[j], borrow)
	}
	_, borrow = bits.Sub64(t[nLimbs], 0, borrow)
	keep := -borrow // all ones when t < N
	for j := range nLimbs {
		z[j] = t[j]&keep | d[j]&^keep
	}
}

// gTable holds gTable[i][j] = g^(j·16^i)·R mod N (Montgomery form) for i < gWindows and
// j < 16; gTable[i][0] is R mod N, the Montgomery form of 1. It is 64 × 16 elements, 384 KiB,
// built on first use (a few milliseconds with math/big: the values are public), so processes
// that never handle a password do not pay for it.
var gTable = sync.OnceValue(gTableBuild)

// gTableBuild computes gTable's value.
func gTableBuild() *[gWindows][16]limbs {
	t := new([gWindows][16]limbs)
	r := new(big.Int).Lsh(big.NewInt(1), 8*VerifierSize)
	base := big.NewInt(Generator) // g^(16^i)
	x := new(big.Int)
	buf := make([]byte, VerifierSize)
	for i := range gWindows {
		x.Set(r).Mod(x, nInt) // g^0·R
		for j := range 16 {
			if j > 0 {
				x.Mul(x, base).Mod(x, nInt) // g^(j·16^i)·R
			}
			t[i][j] = toLimbs(x.FillBytes(buf))
		}
		base.Exp(base, big.NewInt(16), nInt)
	}
	return t
}

// expG returns g^e mod N as VerifierSize big-endian bytes, for a gExpBytes-byte big-endian
// exponent e. Its timing and memory accesses do not depend on e: every window reads its whole
// row of the table and does one multiplication (by 1 for a zero nibble). It panics if
// len(e) != gExpBytes.
func expG(e []byte) []byte {
	if len(e) != gExpBytes {
		panic("srp: expG exponent must be 32 bytes")
	}
	t := gTable()
	acc := t[0][0] // 1
	var sel limbs
	for i := range gWindows {
		// Window i is bits 4i..4i+3 of e, counted from the least significant.
		nib := (e[gExpBytes-1-i/2] >> (4 * (i % 2))) & 0x0f
		sel = limbs{}
		for j := range 16 {
			mask := -uint64(subtle.ConstantTimeByteEq(nib, byte(j)))
			row := &t[i][j]
			for w := range sel {
				sel[w] |= mask & row[w]
			}
		}
		montMul(&acc, &acc, &sel)
	}
	one := limbs{1}
	montMul(&acc, &acc, &one) // out of the Montgomery domain
	clear(sel[:])
	return acc.bytes()
}
