package jwtauth

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

var ctx = context.Background()

// t0 is the tests' clock.
var t0 = time.Unix(1_800_000_000, 0)

const (
	testAud    = "5kek0i61pgkokoob4fsm9fo9it"
	testScope  = "res/read"
	otherScope = "res/write"
)

// Test keys, generated once per test binary (RSA generation is slow).
var (
	keysOnce               sync.Once
	keyA, keyB, keyC, keyS *rsa.PrivateKey
	keyEC                  *ecdsa.PrivateKey
)

func testKeys(t testing.TB) {
	t.Helper()
	keysOnce.Do(func() {
		gen := func() *rsa.PrivateKey {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				panic(err)
			}
			return k
		}
		keyA, keyB, keyC = gen(), gen(), gen()
		var err error
		if keyEC, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
			panic(err)
		}
		// keyS signs the fuzz seeds. No key is kept in the repository, so each fuzzing worker
		// makes its own: seeds signed in another process then fail to verify, which is one more
		// case of "never allowed".
		keyS = gen()
	})
}

// jwkJSON is the public JWK of key, with alg unless it is "".
func jwkJSON(t testing.TB, key any, kid, alg string) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(jose.JSONWebKey{Key: key, KeyID: kid, Algorithm: alg, Use: "sig"})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// jwks is a JWKS document of the given JWKs.
func jwks(keys ...json.RawMessage) []byte {
	if keys == nil {
		keys = []json.RawMessage{}
	}
	b, _ := json.Marshal(map[string]any{"keys": keys})
	return b
}

func seg(v any) string {
	var b []byte
	switch x := v.(type) {
	case string:
		b = []byte(x)
	case []byte:
		b = x
	default:
		b, _ = json.Marshal(v)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// sign builds a compact JWS with header hdr and payload claims (a map, a JSON string or
// bytes), signed for hdr["alg"] with key (an *rsa.PrivateKey, *ecdsa.PrivateKey or HMAC secret).
func sign(t testing.TB, hdr map[string]any, claims any, key any) string {
	t.Helper()
	input := seg(hdr) + "." + seg(claims)
	alg, _ := hdr["alg"].(string)
	var sig []byte
	var err error
	digest := func(h crypto.Hash) []byte {
		switch h {
		case crypto.SHA384:
			d := sha512.Sum384([]byte(input))
			return d[:]
		case crypto.SHA512:
			d := sha512.Sum512([]byte(input))
			return d[:]
		}
		d := sha256.Sum256([]byte(input))
		return d[:]
	}
	switch alg {
	case "RS256", "RS384", "RS512":
		h := rsaAlgs[alg]
		sig, err = rsa.SignPKCS1v15(nil, key.(*rsa.PrivateKey), h, digest(h))
	case "PS256", "PS384", "PS512":
		h := rsaAlgs[alg]
		sig, err = rsa.SignPSS(rand.Reader, key.(*rsa.PrivateKey), h, digest(h), &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
	case "HS256":
		m := hmac.New(sha256.New, key.([]byte))
		m.Write([]byte(input))
		sig = m.Sum(nil)
	case "ES256":
		sig, err = keyEC.Sign(rand.Reader, digest(crypto.SHA256), nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return input + "." + seg(sig)
}

// hdr is an RS256 header with kid.
func hdr(kid string) map[string]any { return map[string]any{"alg": "RS256", "kid": kid, "typ": "JWT"} }

// accessClaims are the claims of a Cognito access token valid at t0 for issuer.
func accessClaims(issuer string) map[string]any {
	return map[string]any{
		"sub":        "6418b458-d091-705e-122e-04bf2945fcdf",
		"iss":        issuer,
		"client_id":  testAud,
		"token_use":  "access",
		"scope":      testScope + " aws.cognito.signin.user.admin",
		"auth_time":  t0.Unix() - 60,
		"iat":        t0.Unix() - 60,
		"exp":        t0.Unix() + 3600,
		"jti":        "afa8fe33-0000-4000-8000-000000000000",
		"username":   "alice",
		"version":    2,
		"origin_jti": "0b1c",
	}
}

// idClaims are the claims of a Cognito ID token valid at t0 for issuer.
func idClaims(issuer string) map[string]any {
	return map[string]any{
		"sub":              "6418b458-d091-705e-122e-04bf2945fcdf",
		"iss":              issuer,
		"aud":              testAud,
		"token_use":        "id",
		"cognito:username": "alice",
		"email_verified":   true,
		"auth_time":        t0.Unix() - 60,
		"iat":              t0.Unix() - 60,
		"exp":              t0.Unix() + 3600,
		"cognito:groups":   []string{"admin", "poweruser"},
	}
}

// with returns a copy of m with kv applied (a nil value deletes the key).
func with(m map[string]any, kv ...any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(out, kv[i].(string))
		} else {
			out[kv[i].(string)] = kv[i+1]
		}
	}
	return out
}

// issuerServer is an OIDC issuer: discovery at /.well-known/openid-configuration and its JWKS
// at /jwks. Its behaviour can be changed while it runs.
type issuerServer struct {
	*httptest.Server
	discoveryHits, jwksHits atomic.Int64

	mu        sync.Mutex
	keys      []byte // JWKS document
	discovery func(base string) []byte
	jwksHook  func(w http.ResponseWriter, r *http.Request) bool // true: handled
}

func newIssuer(t testing.TB, keys []byte) *issuerServer {
	t.Helper()
	s := &issuerServer{keys: keys}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// iss is the issuer URL.
func (s *issuerServer) iss() string { return s.URL }

func (s *issuerServer) setKeys(b []byte) { s.update(func(s *issuerServer) { s.keys = b }) }

// update changes the server's behaviour under its lock.
func (s *issuerServer) update(f func(s *issuerServer)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s)
}

func (s *issuerServer) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	keys, disc, hook := s.keys, s.discovery, s.jwksHook
	s.mu.Unlock()
	switch r.URL.Path {
	case "/.well-known/openid-configuration":
		s.discoveryHits.Add(1)
		if disc != nil {
			w.Write(disc(s.URL))
			return
		}
		w.Write([]byte(`{"issuer":"` + s.URL + `","jwks_uri":"` + s.URL + `/jwks"}`))
	case "/jwks":
		s.jwksHits.Add(1)
		if hook != nil && hook(w, r) {
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(keys)
	default:
		http.NotFound(w, r)
	}
}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: t0} }

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}
