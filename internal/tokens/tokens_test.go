package tokens

import (
	"bytes"
	"context"
	"crypto"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

var ctx = context.Background()

func issue(t testing.TB, e *env) *Tokens {
	t.Helper()
	tok, err := e.m.Issue(ctx, testRequest())
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func jwks(t testing.TB, e *env) *JWKS {
	t.Helper()
	s, err := e.m.JWKS(ctx, testPool)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func decodeSeg(t testing.TB, s string) map[string]any {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// stdlibVerify checks an RS256 JWS with nothing but crypto/rsa and the JWKS document.
func stdlibVerify(t *testing.T, set *JWKS, token string) map[string]any {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts", len(parts))
	}
	h := decodeSeg(t, parts[0])
	if len(h) != 2 || h["alg"] != "RS256" || h["kid"] == "" {
		t.Fatalf("header = %v, want exactly {kid, alg: RS256}", h)
	}
	var jwk *JWK
	for i := range set.Keys {
		if set.Keys[i].Kid == h["kid"] {
			jwk = &set.Keys[i]
		}
	}
	if jwk == nil {
		t.Fatalf("kid %v not in JWKS", h["kid"])
	}
	n, _ := base64.RawURLEncoding.DecodeString(jwk.N)
	e, _ := base64.RawURLEncoding.DecodeString(jwk.E)
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig); err != nil {
		t.Fatalf("stdlib verify: %v", err)
	}
	return decodeSeg(t, parts[1])
}

func TestIssueAndVerify(t *testing.T) {
	e := newEnv(t)
	tok := issue(t, e)
	set := jwks(t, e)
	if len(set.Keys) != 2 {
		t.Fatalf("JWKS has %d keys, want 2", len(set.Keys))
	}
	for _, k := range set.Keys {
		if k.Alg != "RS256" || k.Kty != "RSA" || k.Use != "sig" || k.E != "AQAB" || len(k.Kid) != 44 {
			t.Errorf("JWK = %+v", k)
		}
		if n, _ := base64.RawURLEncoding.DecodeString(k.N); len(n) != 256 {
			t.Errorf("modulus is %d bytes, want 256", len(n))
		}
	}
	if set.Keys[0].Kid == set.Keys[1].Kid {
		t.Fatal("ID and access keys share a kid")
	}

	// Independent check with the standard library.
	idc := stdlibVerify(t, set, tok.IDToken)
	ac := stdlibVerify(t, set, tok.AccessToken)
	if decodeSeg(t, strings.Split(tok.IDToken, ".")[0])["kid"] != set.Keys[0].Kid ||
		decodeSeg(t, strings.Split(tok.AccessToken, ".")[0])["kid"] != set.Keys[1].Kid {
		t.Error("tokens not signed with the ID key and the access key respectively")
	}
	if idc["origin_jti"] != ac["origin_jti"] || idc["origin_jti"] != tok.OriginJTI || idc["event_id"] != tok.EventID {
		t.Error("ID and access tokens do not share origin_jti/event_id")
	}
	if idc["jti"] == ac["jti"] {
		t.Error("ID and access tokens share a jti")
	}
	if tok.AccessExpiresIn != 3600 {
		t.Errorf("AccessExpiresIn = %d", tok.AccessExpiresIn)
	}

	// Check with go-jose and the JWKS as a JSONWebKeySet.
	raw, _ := json.Marshal(set)
	var ks jose.JSONWebKeySet
	if err := json.Unmarshal(raw, &ks); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{tok.IDToken, tok.AccessToken} {
		obj, err := jose.ParseSignedCompact(s, []jose.SignatureAlgorithm{jose.RS256})
		if err != nil {
			t.Fatal(err)
		}
		keys := ks.Key(obj.Signatures[0].Header.KeyID)
		if len(keys) != 1 {
			t.Fatal("kid not found by go-jose")
		}
		if _, err := obj.Verify(keys[0].Key); err != nil {
			t.Fatalf("go-jose verify: %v", err)
		}
	}

	// Our own Verify.
	c, err := e.m.Verify(ctx, testPool, tok.AccessToken, Expect{Issuer: testIss, TokenUse: UseAccess})
	if err != nil {
		t.Fatal(err)
	}
	if c.Username != "alice" || c.ClientID != testClient || c.OriginJTI != tok.OriginJTI || c.Scope != DefaultScope ||
		!c.Expires.Equal(t0.Add(time.Hour)) || !c.AuthTime.Equal(t0.Add(-time.Minute)) || c.KeyID != set.Keys[1].Kid {
		t.Errorf("access claims = %+v", c)
	}
	c, err = e.m.Verify(ctx, testPool, tok.IDToken, Expect{Issuer: testIss, TokenUse: UseID})
	if err != nil {
		t.Fatal(err)
	}
	if c.Username != "alice" || c.ClientID != testClient || c.Raw["email_verified"] != true {
		t.Errorf("ID claims = %+v", c)
	}
}

func TestAtHash(t *testing.T) {
	e := newEnv(t)
	r := testRequest()
	r.AtHash = true
	tok, err := e.m.Issue(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	c := decodeSeg(t, strings.Split(tok.IDToken, ".")[1])
	sum := sha256.Sum256([]byte(tok.AccessToken))
	if c["at_hash"] != base64.RawURLEncoding.EncodeToString(sum[:16]) {
		t.Errorf("at_hash = %v", c["at_hash"])
	}
}

func TestIssueAccessOnly(t *testing.T) {
	e := newEnv(t)
	r := testRequest()
	r.User = User{Sub: testClient}
	r.Scopes = []string{"rs/read"}
	s, err := e.m.IssueAccess(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.m.Verify(ctx, testPool, s, Expect{Issuer: testIss, TokenUse: UseAccess})
	if err != nil {
		t.Fatal(err)
	}
	if c.Sub != testClient || c.Username != "" || c.Scope != "rs/read" {
		t.Errorf("claims = %+v", c)
	}
}

func TestVerifyRejects(t *testing.T) {
	e := newEnv(t)
	tok := issue(t, e)
	pk, err := e.m.keys(ctx, testPool, false, false)
	if err != nil {
		t.Fatal(err)
	}
	idKid, accessKid := pk.id.kid, pk.access.kid
	parts := strings.Split(tok.AccessToken, ".")
	payload := parts[1]
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	pubDER, _ := x509.MarshalPKIXPublicKey(&pk.access.priv.PublicKey)
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	hs256 := func(secret []byte) string {
		h := enc(map[string]string{"alg": "HS256", "kid": accessKid})
		mac := hmac.New(sha256.New, secret)
		mac.Write([]byte(h + "." + payload))
		return h + "." + payload + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
	}
	// An ID-token payload signed with the access key, and the reverse.
	r := testRequest()
	r.OriginJTI, r.EventID = "o", "e"
	idWithAccessKey, _ := sign(pk.access, IDClaims(r, t0, "j"))
	accessWithIDKey, _ := sign(pk.id, AccessClaims(r, t0, "j"))
	// A token signed by another pool's key but claiming this pool's kid.
	other := newEnv(t)
	otherTok, _ := other.m.Issue(ctx, testRequest())
	op := strings.Split(otherTok.AccessToken, ".")
	forgedKid := enc(map[string]string{"alg": "RS256", "kid": accessKid}) + "." + op[1] + "." + op[2]
	// Header-supplied key (jwk) must be ignored: the signature still has to match our key.
	flipped := []byte(parts[2])
	flipped[10] ^= 1

	for _, tc := range []struct {
		name, token string
		want        Expect
		err         error
	}{
		{"HS256 with the public key PEM as secret", hs256(pubPEM), Expect{testIss, UseAccess}, ErrInvalidToken},
		{"HS256 with the public key DER as secret", hs256(pubDER), Expect{testIss, UseAccess}, ErrInvalidToken},
		{"alg none", enc(map[string]string{"alg": "none", "kid": accessKid}) + "." + payload + ".", Expect{testIss, UseAccess}, ErrInvalidToken},
		{"alg none without kid", enc(map[string]string{"alg": "none"}) + "." + payload + ".", Expect{testIss, UseAccess}, ErrInvalidToken},
		{"RS512 header", enc(map[string]string{"alg": "RS512", "kid": accessKid}) + "." + payload + "." + parts[2], Expect{testIss, UseAccess}, ErrInvalidToken},
		{"no kid", enc(map[string]string{"alg": "RS256"}) + "." + payload + "." + parts[2], Expect{testIss, UseAccess}, ErrInvalidToken},
		{"unknown kid", enc(map[string]string{"alg": "RS256", "kid": "nope"}) + "." + payload + "." + parts[2], Expect{testIss, UseAccess}, ErrInvalidToken},
		{"tampered signature", parts[0] + "." + payload + "." + string(flipped), Expect{testIss, UseAccess}, ErrInvalidToken},
		{"tampered payload", parts[0] + "." + enc(map[string]any{"sub": "x", "iss": testIss, "token_use": "access", "exp": 9e9, "iat": 1}) + "." + parts[2], Expect{testIss, UseAccess}, ErrInvalidToken},
		{"other pool's key", forgedKid, Expect{testIss, UseAccess}, ErrInvalidToken},
		{"access token as ID token", tok.AccessToken, Expect{testIss, UseID}, ErrInvalidToken},
		{"ID token as access token", tok.IDToken, Expect{testIss, UseAccess}, ErrInvalidToken},
		{"ID claims signed by access key", idWithAccessKey, Expect{testIss, UseID}, ErrInvalidToken},
		{"access claims signed by ID key", accessWithIDKey, Expect{testIss, UseAccess}, ErrInvalidToken},
		{"wrong issuer", tok.AccessToken, Expect{"https://cognito-idp.us-east-1.amazonaws.com/" + testPool, UseAccess}, ErrInvalidToken},
		{"JSON serialization", `{"payload":"` + payload + `","protected":"` + parts[0] + `","signature":"` + parts[2] + `"}`, Expect{testIss, UseAccess}, ErrInvalidToken},
		{"garbage", "a.b.c", Expect{testIss, UseAccess}, ErrInvalidToken},
		{"empty", "", Expect{testIss, UseAccess}, ErrInvalidToken},
		{"huge", strings.Repeat("a", MaxTokenSize+1), Expect{testIss, UseAccess}, ErrInvalidToken},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.m.Verify(ctx, testPool, tc.token, tc.want)
			if !errors.Is(err, tc.err) {
				t.Errorf("err = %v, want %v", err, tc.err)
			}
		})
	}
	_ = idKid

	if _, err := e.m.Verify(ctx, "us-east-1_Unknown", tok.AccessToken, Expect{testIss, UseAccess}); !errors.Is(err, ErrInvalidToken) {
		t.Errorf("unknown pool: err = %v", err)
	}
	// Verify must not create keys for unknown pools.
	e.store.View(ctx, func(tx storage.Tx) error {
		if _, err := tx.Get(StorageKey("us-east-1_Unknown")); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("Verify created keys for an unknown pool: %v", err)
		}
		return nil
	})
	if _, err := e.m.Verify(ctx, testPool, tok.AccessToken, Expect{}); err == nil || errors.Is(err, ErrInvalidToken) {
		t.Errorf("empty Expect: err = %v, want a usage error", err)
	}

	// Expiry: valid one second before exp, expired at exp.
	e.clock.Add(time.Hour - time.Second)
	if _, err := e.m.Verify(ctx, testPool, tok.AccessToken, Expect{testIss, UseAccess}); err != nil {
		t.Errorf("just before exp: %v", err)
	}
	e.clock.Add(time.Second)
	if _, err := e.m.Verify(ctx, testPool, tok.AccessToken, Expect{testIss, UseAccess}); !errors.Is(err, ErrExpired) {
		t.Errorf("at exp: err = %v, want ErrExpired", err)
	}
	if _, err := e.m.Verify(ctx, testPool, tok.IDToken, Expect{testIss, UseID}); !errors.Is(err, ErrExpired) {
		t.Errorf("ID at exp: err = %v, want ErrExpired", err)
	}
}

func TestIssuedInFutureRejected(t *testing.T) {
	e := newEnv(t)
	r := testRequest()
	r.OriginJTI, r.EventID = "o", "e"
	pk, err := e.m.keys(ctx, testPool, true, false)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := sign(pk.access, AccessClaims(r, t0.Add(time.Hour), "j"))
	if _, err := e.m.Verify(ctx, testPool, s, Expect{testIss, UseAccess}); !errors.Is(err, ErrInvalidToken) {
		t.Errorf("err = %v", err)
	}
}

func TestPrivateKeysSealedAtRest(t *testing.T) {
	e := newEnv(t)
	issue(t, e)
	pk, _ := e.m.keys(ctx, testPool, false, false)
	var stored []byte
	e.store.View(ctx, func(tx storage.Tx) error {
		kvs, err := tx.Scan("", "", 0)
		for _, kv := range kvs {
			stored = append(stored, kv.Value...)
		}
		return err
	})
	for _, k := range []*rsa.PrivateKey{pk.id.priv, pk.access.priv} {
		der, _ := x509.MarshalPKCS8PrivateKey(k)
		for _, secret := range [][]byte{
			[]byte("PRIVATE KEY"), k.D.Bytes(), k.Primes[0].Bytes(),
			[]byte(base64.StdEncoding.EncodeToString(der)[:64]),
			[]byte(base64.StdEncoding.EncodeToString(k.D.Bytes())[:64]),
			[]byte(base64.RawURLEncoding.EncodeToString(k.D.Bytes())[:64]),
		} {
			if bytes.Contains(stored, secret) {
				t.Fatalf("storage contains private key material %.20q", secret)
			}
		}
	}

	// A key set copied to another pool does not open (AAD binds pool and kid).
	err := e.store.Update(ctx, func(tx storage.Tx) error {
		b, err := tx.Get(StorageKey(testPool))
		if err != nil {
			return err
		}
		return tx.Put(StorageKey("us-east-1_Copy"), b)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.m.JWKS(ctx, "us-east-1_Copy"); err == nil {
		t.Error("a key set moved to another pool opened")
	}
	// The wrong master key cannot open them either.
	wrong := newEnvOn(t, e.store, testKeyring(t, 8))
	if _, err := wrong.m.Issue(ctx, testRequest()); err == nil {
		t.Error("keys opened under the wrong master key")
	}
}

func TestRotation(t *testing.T) {
	e := newEnv(t)
	old := issue(t, e)
	before := jwks(t, e)
	e.clock.Add(10 * time.Minute)
	if err := e.m.Rotate(ctx, testPool); err != nil {
		t.Fatal(err)
	}
	after := jwks(t, e)
	if len(after.Keys) != 4 {
		t.Fatalf("JWKS after rotation has %d keys, want 4", len(after.Keys))
	}
	if after.Keys[2] != before.Keys[0] || after.Keys[3] != before.Keys[1] {
		t.Error("previous keys not kept after the new ones")
	}
	kids := map[string]bool{}
	for _, k := range after.Keys {
		kids[k.Kid] = true
	}
	if len(kids) != 4 {
		t.Error("kids are not distinct")
	}
	// Old tokens keep verifying; new tokens use the new keys.
	for _, c := range []struct{ tok, use string }{{old.IDToken, UseID}, {old.AccessToken, UseAccess}} {
		if _, err := e.m.Verify(ctx, testPool, c.tok, Expect{testIss, c.use}); err != nil {
			t.Errorf("old %s token after rotation: %v", c.use, err)
		}
	}
	fresh := issue(t, e)
	c, err := e.m.Verify(ctx, testPool, fresh.AccessToken, Expect{testIss, UseAccess})
	if err != nil {
		t.Fatal(err)
	}
	if c.KeyID != after.Keys[1].Kid {
		t.Errorf("new token kid = %s, want the new access key %s", c.KeyID, after.Keys[1].Kid)
	}
	stdlibVerify(t, after, fresh.IDToken)

	// After the overlap the old keys leave the JWKS and stop verifying.
	e.clock.Add(DefaultOverlap)
	if n := len(jwks(t, e).Keys); n != 2 {
		t.Errorf("JWKS after the overlap has %d keys, want 2", n)
	}
	// A second rotation prunes them from storage: 2 current + 2 just retired.
	if err := e.m.Rotate(ctx, testPool); err != nil {
		t.Fatal(err)
	}
	e.store.View(ctx, func(tx storage.Tx) error {
		rec, err := storage.GetJSON[keySetRecord](tx, StorageKey(testPool))
		if err != nil {
			t.Fatal(err)
		}
		if len(rec.Previous) != 2 {
			t.Errorf("stored previous keys = %d, want 2", len(rec.Previous))
		}
		for _, p := range rec.Previous {
			if len(p.Private) != 0 {
				t.Error("a retired key kept its private half")
			}
		}
		return nil
	})
}

func TestReplicas(t *testing.T) {
	st := newEnv(t).store
	kr := testKeyring(t, 7)
	a, b := newEnvOn(t, st, kr), newEnvOn(t, st, kr)

	// Concurrent lazy creation: every caller on both replicas sees the same keys.
	var wg sync.WaitGroup
	sets := make([]*JWKS, 6)
	for i := range sets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m := a.m
			if i%2 == 1 {
				m = b.m
			}
			s, err := m.JWKS(ctx, testPool)
			if err != nil {
				t.Error(err)
				return
			}
			sets[i] = s
		}()
	}
	wg.Wait()
	for _, s := range sets[1:] {
		if s == nil || sets[0] == nil || s.Keys[0].Kid != sets[0].Keys[0].Kid || s.Keys[1].Kid != sets[0].Keys[1].Kid {
			t.Fatal("replicas created different key sets")
		}
	}

	// A rotates. B still signs with the old key until its cache expires, and verifies A's new
	// tokens once its copy is older than minRefresh.
	if err := a.m.Rotate(ctx, testPool); err != nil {
		t.Fatal(err)
	}
	newTok := issue(t, a)
	b.clock.Add(2 * time.Second)
	if _, err := b.m.Verify(ctx, testPool, newTok.AccessToken, Expect{testIss, UseAccess}); err != nil {
		t.Errorf("replica B rejects a token signed with A's new key: %v", err)
	}
	b.m.Forget(testPool)
	b.clock.Add(time.Second)
	bTok := issue(t, b)
	c, err := a.m.Verify(ctx, testPool, bTok.AccessToken, Expect{testIss, UseAccess})
	if err != nil {
		t.Fatal(err)
	}
	if c.KeyID != jwks(t, a).Keys[1].Kid {
		t.Error("replica B does not sign with the rotated key after reloading")
	}
}

func TestCacheTTL(t *testing.T) {
	e := newEnv(t)
	issue(t, e)
	first, _ := e.m.keys(ctx, testPool, false, false)
	e.clock.Add(DefaultCacheTTL - time.Second)
	if again, _ := e.m.keys(ctx, testPool, false, false); again != first {
		t.Error("keys reloaded before the TTL")
	}
	e.clock.Add(time.Second)
	if again, _ := e.m.keys(ctx, testPool, false, false); again == first {
		t.Error("keys not reloaded after the TTL")
	}
}

func TestDeletePool(t *testing.T) {
	e := newEnv(t)
	tok := issue(t, e)
	if err := e.store.Update(ctx, func(tx storage.Tx) error {
		if err := DeletePool(tx, testPool); err != nil {
			return err
		}
		return DeletePool(tx, "us-east-1_Never") // no keys: not an error
	}); err != nil {
		t.Fatal(err)
	}
	e.m.Forget(testPool)
	if _, err := e.m.Verify(ctx, testPool, tok.AccessToken, Expect{testIss, UseAccess}); !errors.Is(err, ErrInvalidToken) {
		t.Errorf("token of a deleted pool: err = %v", err)
	}
}
