package srp

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

// testClient is the client half of Cognito SRP, written from
// amazon-cognito-identity-js's AuthenticationHelper with math/big and
// string-based hex padding, deliberately sharing no code with the package.
type testClient struct {
	a, bigA *big.Int
}

var (
	tcN, _ = new(big.Int).SetString(NHex, 16)
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

func newTestClient(r io.Reader) (*testClient, error) {
	buf := make([]byte, 128)
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, err
	}
	a := new(big.Int).SetBytes(buf)
	return &testClient{a: a, bigA: new(big.Int).Exp(tcG, a, tcN)}, nil
}

func (c *testClient) srpA() string { return c.bigA.Text(16) }

// claim answers a PASSWORD_VERIFIER challenge, returning PASSWORD_CLAIM_SIGNATURE.
func (c *testClient) claim(poolName, userIDForSRP, password, saltHex, srpB string, secretBlock []byte, timestamp string) (string, error) {
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
