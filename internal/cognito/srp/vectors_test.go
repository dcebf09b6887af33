package srp

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"os"
	"testing"
)

// vectorFile mirrors testdata/vectors.json, written by testdata/genvectors.mjs
// with the real amazon-cognito-identity-js client.
type vectorFile struct {
	Library string `json:"library"`
	K       string `json:"k"`
	Cases   []struct {
		Name          string      `json:"name"`
		UserPoolID    string      `json:"user_pool_id"`
		PoolName      string      `json:"pool_name"`
		UserIDForSRP  string      `json:"user_id_for_srp"`
		Password      string      `json:"password"`
		Salt          string      `json:"salt"`
		SaltParam     string      `json:"salt_param"`
		Verifier      string      `json:"verifier"`
		ServerB       string      `json:"server_b"`
		SRPB          string      `json:"srp_b"`
		SecretBlock   string      `json:"secret_block"`
		Client        vectorClaim `json:"client"`
		WrongPassword vectorClaim `json:"wrong_password_client"`
	} `json:"cases"`
}

type vectorClaim struct {
	SRPA      string `json:"srp_a"`
	Timestamp string `json:"timestamp"`
	Signature string `json:"signature"`
}

func loadVectors(t testing.TB) vectorFile {
	t.Helper()
	raw, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vf vectorFile
	if err := json.Unmarshal(raw, &vf); err != nil {
		t.Fatal(err)
	}
	if len(vf.Cases) == 0 {
		t.Fatal("no vectors")
	}
	return vf
}

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestGroupConstants(t *testing.T) {
	if got := hex.EncodeToString(kBytes); got != KHex {
		t.Errorf("k = %s, KHex = %s", got, KHex)
	}
	if vf := loadVectors(t); vf.K != KHex {
		t.Errorf("amazon-cognito-identity-js k = %s, KHex = %s", vf.K, KHex)
	}
	if nInt.BitLen() != 3072 || !nInt.ProbablyPrime(20) {
		t.Error("N is not a 3072-bit prime")
	}
}

func TestVectors(t *testing.T) {
	vf := loadVectors(t)
	t.Logf("vectors from %s", vf.Library)
	for _, c := range vf.Cases {
		t.Run(c.Name, func(t *testing.T) {
			if got := PoolName(c.UserPoolID); got != c.PoolName {
				t.Errorf("PoolName(%q) = %q, want %q", c.UserPoolID, got, c.PoolName)
			}
			salt := mustHex(t, c.Salt)
			if got := SaltHex(salt); got != c.SaltParam {
				t.Errorf("SaltHex = %s, want %s", got, c.SaltParam)
			}
			v := Verifier(c.PoolName, c.UserIDForSRP, c.Password, salt)
			if got := hex.EncodeToString(v); got != c.Verifier {
				t.Fatalf("Verifier = %s\nwant %s", got, c.Verifier)
			}
			if !CheckPassword(c.PoolName, c.UserIDForSRP, c.Password, salt, v) {
				t.Error("CheckPassword rejected the right password")
			}
			if CheckPassword(c.PoolName, c.UserIDForSRP, c.Password+"x", salt, v) {
				t.Error("CheckPassword accepted a wrong password")
			}

			s, err := NewServerSession(bytes.NewReader(mustHex(t, c.ServerB)), v)
			if err != nil {
				t.Fatal(err)
			}
			if s.B() != c.SRPB {
				t.Fatalf("B = %s\nwant %s", s.B(), c.SRPB)
			}
			// Finish the handshake from serialized state, as another replica would.
			state, err := s.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			s, err = UnmarshalServerSession(state, v)
			if err != nil {
				t.Fatal(err)
			}
			block, err := base64.StdEncoding.DecodeString(c.SecretBlock)
			if err != nil {
				t.Fatal(err)
			}

			if err := ValidateA(c.Client.SRPA); err != nil {
				t.Errorf("ValidateA(client SRP_A) = %v", err)
			}
			if _, err := ParseTimestamp(c.Client.Timestamp); err != nil {
				t.Errorf("ParseTimestamp(%q) = %v", c.Client.Timestamp, err)
			}
			ok, err := s.VerifyClaim(c.PoolName, c.UserIDForSRP, c.Client.SRPA, block, c.Client.Timestamp, c.Client.Signature)
			if err != nil || !ok {
				t.Errorf("VerifyClaim(right password) = %v, %v; want true, nil", ok, err)
			}
			ok, err = s.VerifyClaim(c.PoolName, c.UserIDForSRP, c.WrongPassword.SRPA, block, c.WrongPassword.Timestamp, c.WrongPassword.Signature)
			if err != nil || ok {
				t.Errorf("VerifyClaim(wrong password) = %v, %v; want false, nil", ok, err)
			}
			// The full pool id instead of the pool name must not verify.
			ok, _ = s.VerifyClaim(c.UserPoolID, c.UserIDForSRP, c.Client.SRPA, block, c.Client.Timestamp, c.Client.Signature)
			if ok {
				t.Error("VerifyClaim accepted the full pool id as pool name")
			}
		})
	}
}
