package throttle

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"
)

func TestLocalBucket(t *testing.T) {
	now := time.Unix(1000, 0)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	l := NewLocal(clock)
	ctx := context.Background()
	lim := Limit{Rate: 2, Burst: 3}
	for i := range 3 {
		if ok, _ := l.Allow(ctx, "k", lim); !ok {
			t.Fatalf("request %d of the burst refused", i)
		}
	}
	if ok, _ := l.Allow(ctx, "k", lim); ok {
		t.Fatal("request over the burst allowed")
	}
	if ok, _ := l.Allow(ctx, "other", lim); !ok {
		t.Fatal("buckets are not separate")
	}
	mu.Lock()
	now = now.Add(500 * time.Millisecond) // one token at 2/s
	mu.Unlock()
	if ok, _ := l.Allow(ctx, "k", lim); !ok {
		t.Fatal("refilled token refused")
	}
	if ok, _ := l.Allow(ctx, "k", lim); ok {
		t.Fatal("second request after one refill allowed")
	}
	if ok, _ := l.Allow(ctx, "zero", Limit{Rate: 0, Burst: 0}); ok {
		t.Fatal("rate 0 burst 0 allowed a request")
	}
}

// redisURL returns the test Redis (GATEHOUSE_TEST_REDIS_URL); without it the test is skipped,
// or fails when GATEHOUSE_REQUIRE_REDIS=1 (CI).
func redisURL(t *testing.T) string {
	u := os.Getenv("GATEHOUSE_TEST_REDIS_URL")
	if u == "" {
		if os.Getenv("GATEHOUSE_REQUIRE_REDIS") == "1" {
			t.Fatal("GATEHOUSE_TEST_REDIS_URL is not set")
		}
		t.Skip("GATEHOUSE_TEST_REDIS_URL is not set")
	}
	return u
}

func TestRedisSharedBudget(t *testing.T) {
	url := redisURL(t)
	ctx := context.Background()
	prefix := fmt.Sprintf("gatehouse-test-%d:", time.Now().UnixNano())
	// Two replicas with their own connections spend one budget.
	a, err := NewRedis(url, prefix, NewLocal(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := a.Ping(ctx); err != nil {
		t.Fatalf("redis: %v", err)
	}
	b, _ := NewRedis(url, prefix, NewLocal(nil), nil)
	defer b.Close()
	lim := Limit{Rate: 0.001, Burst: 10}
	allowed := 0
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := a
			if i%2 == 1 {
				r = b
			}
			ok, err := r.Allow(ctx, "api/stage/GET /x", lim)
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				allowed++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if allowed != 10 {
		t.Fatalf("%d of 40 requests allowed across two replicas; want the burst, 10", allowed)
	}
	// A rate of zero allows the burst once.
	zero := Limit{Rate: 0, Burst: 2}
	got := 0
	for range 5 {
		if ok, _ := a.Allow(ctx, "zero", zero); ok {
			got++
		}
	}
	if got != 2 {
		t.Fatalf("rate 0: %d allowed, want 2", got)
	}
}

func TestRedisFallsBackWhenDown(t *testing.T) {
	r, err := NewRedis("redis://127.0.0.1:1/0", "x:", NewLocal(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	lim := Limit{Rate: 0.001, Burst: 1}
	ok, err := r.Allow(context.Background(), "k", lim)
	if err != nil || !ok {
		t.Fatalf("fallback: %v %v", ok, err)
	}
	if ok, _ := r.Allow(context.Background(), "k", lim); ok {
		t.Fatal("fallback bucket does not limit")
	}
}
