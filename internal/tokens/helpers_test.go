package tokens

import (
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/secrets"
	"github.com/gatehouse-dev/gatehouse/internal/storage"
	"github.com/gatehouse-dev/gatehouse/internal/storage/memory"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// lockedReader makes a ChaCha8 stream safe for concurrent use.
type lockedReader struct {
	mu sync.Mutex
	r  *rand.ChaCha8
}

func (l *lockedReader) Read(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.Read(p)
}

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func testKeyring(tb testing.TB, b byte) *secrets.Keyring {
	master := make([]byte, secrets.KeySize)
	for i := range master {
		master[i] = b
	}
	kr, err := secrets.New(master)
	if err != nil {
		tb.Fatal(err)
	}
	return kr
}

type env struct {
	m     *Manager
	store storage.Store
	kr    *secrets.Keyring
	clock *clock
}

func newEnv(tb testing.TB) *env {
	st := memory.New()
	tb.Cleanup(func() { st.Close() })
	return newEnvOn(tb, st, testKeyring(tb, 7))
}

func newEnvOn(tb testing.TB, st storage.Store, kr *secrets.Keyring) *env {
	c := &clock{t: t0}
	var seed [32]byte
	m := NewManager(st, kr, Options{Now: c.Now, Rand: &lockedReader{r: rand.NewChaCha8(seed)}})
	return &env{m: m, store: st, kr: kr, clock: c}
}

const (
	testPool   = "us-east-1_AbC123xyz"
	testClient = "1example23456789abcdefghij"
	testIss    = "http://localhost:4566/" + testPool
)

func int32p(v int32) *int32 { return &v }

func testRequest() Request {
	return Request{
		Issuer:   testIss,
		PoolID:   testPool,
		ClientID: testClient,
		User: User{
			Username: "alice",
			Sub:      "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
			Attributes: map[string]string{
				"email":          "alice@example.com",
				"email_verified": "true",
				"custom:tier":    "7",
				"updated_at":     "1700000000",
			},
			Groups: []Group{
				{Name: "admins", Precedence: int32p(1), RoleArn: "arn:aws:iam::000000000000:role/Admin"},
				{Name: "users", Precedence: int32p(5), RoleArn: "arn:aws:iam::000000000000:role/User"},
			},
		},
		AuthTime: t0.Add(-time.Minute),
	}
}
