package srp

import (
	"crypto/sha256"
	"math/big"

	"filippo.io/bigmod"
)

// NHex is the group modulus N in upper-case hex: the 3072-bit MODP prime of
// RFC 5054 Appendix A (also RFC 3526 group 15), exactly as Cognito clients
// hard-code it.
const NHex = "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1" +
	"29024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
	"EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245" +
	"E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
	"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D" +
	"C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
	"83655D23DCA3AD961C62F356208552BB9ED529077096966D" +
	"670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
	"E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9" +
	"DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
	"15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64" +
	"ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
	"ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B" +
	"F12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
	"BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31" +
	"43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF"

// Generator is the group generator g.
const Generator = 2

// KHex is the SRP-6a multiplier k = SHA-256(padHex(N) ‖ padHex(g)) in
// lower-case hex, i.e. SHA-256(0x00 ‖ N ‖ 0x02). It is derived from NHex and
// Generator at start-up; a test pins it to this value.
const KHex = "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6"

// VerifierSize is the length in bytes of an encoded verifier and of every
// other fixed-width group element: the byte length of N.
const VerifierSize = 384

// The group, parsed once. Everything here is read-only after init, so it is
// safe for concurrent use; bigmod values derived from it are always fresh
// copies.
var (
	nInt   *big.Int        // N as a math/big value, for public-value checks
	nMod   *bigmod.Modulus // N for constant-time arithmetic
	kBytes []byte          // k, big-endian
	gBytes = []byte{Generator}
)

func init() {
	var ok bool
	nInt, ok = new(big.Int).SetString(NHex, 16)
	if !ok {
		panic("srp: bad NHex")
	}
	m, err := bigmod.NewModulus(nInt.Bytes())
	if err != nil {
		panic("srp: " + err.Error())
	}
	if m.Size() != VerifierSize {
		panic("srp: unexpected modulus size")
	}
	nMod = m
	h := sha256.New()
	h.Write(padBytes(nInt.Bytes()))
	h.Write(padBytes(gBytes))
	kBytes = h.Sum(nil)
}

// nat returns b (big-endian, already < N) as a bigmod value sized for N.
// It panics if b >= N, so callers must only pass trusted or checked input.
func nat(b []byte) *bigmod.Nat {
	x, err := bigmod.NewNat().SetBytes(b, nMod)
	if err != nil {
		panic("srp: value out of range: " + err.Error())
	}
	return x
}

// padBytes returns the bytes of Cognito's padHex encoding of the non-negative
// integer whose big-endian bytes are be: the minimal big-endian encoding with a
// leading 0x00 added when the top bit is set (Java's BigInteger.toByteArray for
// positive values). Zero encodes as a single 0x00 byte. It never aliases be.
func padBytes(be []byte) []byte {
	i := 0
	for i < len(be) && be[i] == 0 {
		i++
	}
	be = be[i:]
	if len(be) == 0 {
		return []byte{0}
	}
	out := make([]byte, 0, len(be)+1)
	if be[0]&0x80 != 0 {
		out = append(out, 0)
	}
	return append(out, be...)
}

// isZero reports, in constant time over len(b), whether every byte of b is zero.
func isZero(b []byte) bool {
	var acc byte
	for _, c := range b {
		acc |= c
	}
	return acc == 0
}

// toHex returns the lower-case hex of the integer with big-endian bytes be,
// without leading zeros ("0" for zero), like JavaScript's BigInteger.toString(16).
func toHex(be []byte) string {
	return new(big.Int).SetBytes(be).Text(16)
}
