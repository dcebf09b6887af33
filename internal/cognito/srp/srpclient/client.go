package srpclient

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"math/big"
	"strings"
)

// nHex is the RFC 5054 3072-bit group prime, as the clients spell it.
const nHex = "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1" +
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

// Client is the client half of Cognito SRP, written from amazon-cognito-identity-js's
// AuthenticationHelper with math/big and string-based hex padding, deliberately sharing no code
// with the server package it tests. It is not constant-time: it is for tests and load scripts.
type Client struct {
	a, bigA *big.Int
}

var (
	tcN, _ = new(big.Int).SetString(nHex, 16)
	tcG    = big.NewInt(2)
	tcK    = new(big.Int).SetBytes(tcHexHash(tcPadHex(tcN) + tcPadHex(tcG)))
)

// tcPadHex is AuthenticationHelper.padHex for non-negative values.
func tcPadHex(x *big.Int) string {
	s := x.Text(16)
	if len(s)%2 == 1 {
		s = "0" + s
	}
	if strings.ContainsRune("89abcdef", rune(s[0])) {
		s = "00" + s
	}
	return s
}

func tcHexHash(hexStr string) []byte {
	raw, err := hex.DecodeString(hexStr)
	if err != nil {
		panic(err)
	}
	sum := sha256.Sum256(raw)
	return sum[:]
}

// New starts a handshake with a secret a read from r (128 bytes).
func New(r io.Reader) (*Client, error) {
	buf := make([]byte, 128)
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, err
	}
	a := new(big.Int).SetBytes(buf)
	return &Client{a: a, bigA: new(big.Int).Exp(tcG, a, tcN)}, nil
}

// A returns SRP_A as lower-case hex.
func (c *Client) A() string { return c.bigA.Text(16) }

// Claim answers a PASSWORD_VERIFIER challenge, returning PASSWORD_CLAIM_SIGNATURE.
func (c *Client) Claim(poolName, userIDForSRP, password, saltHex, srpB string, secretBlock []byte, timestamp string) (string, error) {
	bigB, ok := new(big.Int).SetString(srpB, 16)
	if !ok || new(big.Int).Mod(bigB, tcN).Sign() == 0 {
		return "", errors.New("bad B")
	}
	u := new(big.Int).SetBytes(tcHexHash(tcPadHex(c.bigA) + tcPadHex(bigB)))
	if u.Sign() == 0 {
		return "", errors.New("u is zero")
	}
	salt, ok := new(big.Int).SetString(saltHex, 16)
	if !ok {
		return "", errors.New("bad salt")
	}
	inner := sha256.Sum256([]byte(poolName + userIDForSRP + ":" + password))
	x := new(big.Int).SetBytes(tcHexHash(tcPadHex(salt) + hex.EncodeToString(inner[:])))
	// S = (B - k·g^x)^(a + u·x) mod N
	base := new(big.Int).Sub(bigB, new(big.Int).Mul(tcK, new(big.Int).Exp(tcG, x, tcN)))
	base.Mod(base, tcN)
	exp := new(big.Int).Add(c.a, new(big.Int).Mul(u, x))
	s := new(big.Int).Exp(base, exp, tcN)

	ikm, _ := hex.DecodeString(tcPadHex(s))
	hsalt, _ := hex.DecodeString(tcPadHex(u))
	key, err := hkdf.Key(sha256.New, ikm, hsalt, "Caldera Derived Key", 16)
	if err != nil {
		return "", err
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(poolName))
	mac.Write([]byte(userIDForSRP))
	mac.Write(secretBlock)
	mac.Write([]byte(timestamp))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil)), nil
}
