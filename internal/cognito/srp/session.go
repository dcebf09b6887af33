package srp

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"

	"filippo.io/bigmod"
)

// Errors returned by this package. Callers map them to AWS errors; none of
// them carries client input or secret material.
var (
	// ErrInvalidVerifier means a stored verifier is not VerifierSize bytes or
	// is not a non-zero element of the group.
	ErrInvalidVerifier = errors.New("srp: invalid verifier")
	// ErrInvalidA means SRP_A is not a hex integer in [1, N), or it yields
	// the scrambling parameter u = 0.
	ErrInvalidA = errors.New("srp: invalid SRP_A")
	// ErrInvalidSignature means PASSWORD_CLAIM_SIGNATURE is not standard,
	// padded base64 (canonical padding bits, no line breaks).
	ErrInvalidSignature = errors.New("srp: malformed PASSWORD_CLAIM_SIGNATURE")
	// ErrInvalidSession means serialized session state is malformed, or a
	// ServerSession was not built by NewServerSession or UnmarshalServerSession.
	ErrInvalidSession = errors.New("srp: invalid session state")
)

// SecretSize is the length in bytes (256 bits) of the server's secret
// exponent b, which NewServerSession reads from its random source.
const SecretSize = 32

// hkdfInfo is the HKDF info string every Cognito client uses.
const hkdfInfo = "Caldera Derived Key"

// stateVersion prefixes MarshalBinary output so the format can evolve.
const stateVersion = 1

// stateSize is the MarshalBinary length: version ‖ b ‖ B.
const stateSize = 1 + SecretSize + VerifierSize

// ServerSession is the server half of one USER_SRP_AUTH handshake.
//
// InitiateAuth: check SRP_A with ValidateA, call NewServerSession with the
// user's verifier, return SRP_B = B(), SALT = SaltHex(salt) and a
// SECRET_BLOCK that seals MarshalBinary's output together with SRP_A and the
// pool and user ids (plus an expiry). RespondToAuthChallenge: open the
// SECRET_BLOCK, rebuild the session with UnmarshalServerSession and the
// verifier, check the TIMESTAMP with ParseTimestamp and a clock-skew bound,
// then call VerifyClaim. A session must be used for at most one VerifyClaim
// attempt; enforcing that (and expiry) is the caller's job.
//
// A ServerSession is immutable and safe for concurrent use.
type ServerSession struct {
	v      []byte // verifier, VerifierSize bytes, 0 < v < N
	b      []byte // secret exponent, SecretSize bytes, non-zero
	bigB   []byte // public B, VerifierSize bytes, 0 < B < N
	bigBHx string // B as Cognito prints it
}

// NewServerSession starts a handshake for the user owning verifier: it reads
// a SecretSize-byte secret b from r (normally crypto/rand.Reader) and
// computes B = (k·v + g^b) mod N in constant time.
func NewServerSession(r io.Reader, verifier []byte) (*ServerSession, error) {
	if err := checkElement(verifier); err != nil {
		return nil, ErrInvalidVerifier
	}
	b := make([]byte, SecretSize)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, fmt.Errorf("read srp secret: %w", err)
	}
	if isZero(b) {
		return nil, errors.New("srp: random source returned an all-zero secret")
	}
	gb := nat(expG(b)) // b is SecretSize = gExpBytes bytes
	kv := nat(kBytes).Mul(nat(verifier), nMod)
	bigB := kv.Add(gb, nMod)
	if bigB.IsZero() == 1 {
		// Probability about 2^-3072; only a broken random source gets here.
		return nil, errors.New("srp: computed B is zero")
	}
	return newSession(verifier, b, bigB.Bytes(nMod)), nil
}

// UnmarshalServerSession rebuilds a session from MarshalBinary output and the
// user's current verifier (the verifier is deliberately not part of the
// state, so it never travels in a SECRET_BLOCK). If the password changed since
// the session started, VerifyClaim simply fails.
func UnmarshalServerSession(state, verifier []byte) (*ServerSession, error) {
	if err := checkElement(verifier); err != nil {
		return nil, ErrInvalidVerifier
	}
	if len(state) != stateSize || state[0] != stateVersion {
		return nil, ErrInvalidSession
	}
	b := state[1 : 1+SecretSize]
	bigB := state[1+SecretSize:]
	if isZero(b) || checkElement(bigB) != nil {
		return nil, ErrInvalidSession
	}
	return newSession(verifier, b, bigB), nil
}

func newSession(verifier, b, bigB []byte) *ServerSession {
	return &ServerSession{
		v:      append([]byte(nil), verifier...),
		b:      append([]byte(nil), b...),
		bigB:   append([]byte(nil), bigB...),
		bigBHx: toHex(bigB),
	}
}

// MarshalBinary returns the session state (the secret b and the public B) as
// an opaque, fixed-size byte string for UnmarshalServerSession. It contains
// the secret b in the clear: the caller must seal it (AES-GCM) before it
// leaves the process.
func (s *ServerSession) MarshalBinary() ([]byte, error) {
	if !s.valid() {
		return nil, ErrInvalidSession
	}
	out := make([]byte, 0, stateSize)
	out = append(out, stateVersion)
	out = append(out, s.b...)
	return append(out, s.bigB...), nil
}

// B returns the server's public value B as the SRP_B challenge parameter:
// lower-case hex without leading zeros, like JavaScript's
// BigInteger.toString(16).
func (s *ServerSession) B() string {
	if !s.valid() {
		return ""
	}
	return s.bigBHx
}

// VerifyClaim checks a PASSWORD_VERIFIER response. poolName is
// PoolName(userPoolID); userIDForSRP is the USER_ID_FOR_SRP sent with the
// challenge; srpAHex is the client's SRP_A from InitiateAuth; secretBlock is
// the base64-decoded PASSWORD_CLAIM_SECRET_BLOCK; timestamp is the TIMESTAMP
// exactly as received (validate it separately with ParseTimestamp);
// signatureB64 is PASSWORD_CLAIM_SIGNATURE.
//
// It computes u = H(padHex(A) ‖ padHex(B)), S = (A·v^u)^b mod N (in constant
// time), key = HKDF-SHA256(padHex(S), salt = padHex(u),
// "Caldera Derived Key", 16 bytes) and compares HMAC-SHA256(key, poolName ‖
// userIDForSRP ‖ secretBlock ‖ timestamp) with the signature in constant
// time. ok is true only if they match; err is non-nil only for malformed
// input (ErrInvalidA, ErrInvalidSignature, ErrInvalidSession), in which case
// ok is false.
func (s *ServerSession) VerifyClaim(poolName, userIDForSRP, srpAHex string, secretBlock []byte, timestamp, signatureB64 string) (ok bool, err error) {
	if !s.valid() {
		return false, ErrInvalidSession
	}
	a, err := parseA(srpAHex)
	if err != nil {
		return false, err
	}
	// Strict mode still skips CR/LF; a signature never contains them.
	sig, err := base64.StdEncoding.Strict().DecodeString(signatureB64)
	if err != nil || strings.ContainsAny(signatureB64, "\r\n") {
		return false, ErrInvalidSignature
	}
	u := scramble(a, s.bigB)
	if isZero(u) {
		return false, ErrInvalidA
	}

	// S = (A · v^u)^b mod N. u and A are public, but v and b are not, so the
	// whole computation stays in constant-time bigmod arithmetic.
	t := bigmod.NewNat().Exp(nat(s.v), u, nMod)
	t.Mul(nat(a), nMod)
	sv := bigmod.NewNat().Exp(t, s.b, nMod)

	key, err := hkdf.Key(sha256.New, padBytes(sv.Bytes(nMod)), padBytes(u), hkdfInfo, 16)
	if err != nil {
		return false, fmt.Errorf("srp hkdf: %w", err) // unreachable for a 16-byte key
	}
	mac := hmac.New(sha256.New, key)
	io.WriteString(mac, poolName)
	io.WriteString(mac, userIDForSRP)
	mac.Write(secretBlock)
	io.WriteString(mac, timestamp)
	return hmac.Equal(mac.Sum(nil), sig), nil
}

// ValidateA reports whether srpAHex is an acceptable SRP_A, so InitiateAuth
// can reject a bad one before doing any work. VerifyClaim repeats the check.
// SRP_A must be a hex integer (either case, optional leading zeros, no sign
// or prefix) with 0 < A < N; in particular A mod N must not be 0.
func ValidateA(srpAHex string) error {
	_, err := parseA(srpAHex)
	return err
}

// parseA decodes SRP_A into VerifierSize big-endian bytes with 0 < A < N.
// Honest clients send g^a mod N, so rejecting A >= N (rather than reducing
// it) loses nothing and keeps the check simple.
func parseA(srpAHex string) ([]byte, error) {
	digits := strings.TrimLeft(srpAHex, "0")
	if srpAHex == "" || len(digits) > 2*VerifierSize {
		return nil, ErrInvalidA
	}
	if len(digits)%2 == 1 {
		digits = "0" + digits
	}
	raw, err := hex.DecodeString(digits)
	if err != nil {
		return nil, ErrInvalidA
	}
	a := make([]byte, VerifierSize)
	copy(a[VerifierSize-len(raw):], raw)
	if checkElement(a) != nil {
		return nil, ErrInvalidA
	}
	return a, nil
}

// scramble returns u = SHA-256(padHex(A) ‖ padHex(B)).
func scramble(a, bigB []byte) []byte {
	h := sha256.New()
	h.Write(padBytes(a))
	h.Write(padBytes(bigB))
	return h.Sum(nil)
}

// checkElement reports whether x is VerifierSize big-endian bytes encoding a
// value in [1, N).
func checkElement(x []byte) error {
	if len(x) != VerifierSize {
		return ErrInvalidVerifier
	}
	n, err := bigmod.NewNat().SetBytes(x, nMod)
	if err != nil || n.IsZero() == 1 {
		return ErrInvalidVerifier
	}
	return nil
}

func (s *ServerSession) valid() bool {
	return s != nil && len(s.b) == SecretSize && len(s.v) == VerifierSize && len(s.bigB) == VerifierSize
}
