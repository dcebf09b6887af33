package throttle

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limit is a token bucket: Rate requests per second on average, Burst at once. A Rate of 0
// lets Burst requests through and then none, as in API Gateway.
type Limit struct {
	Rate  float64
	Burst int
}

// Limiter decides whether one more request may pass the bucket named key.
type Limiter interface {
	Allow(ctx context.Context, key string, l Limit) (bool, error)
}

// Local keeps buckets in this process. The zero value is not usable; use NewLocal.
type Local struct {
	now     func() time.Time
	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	limit Limit
	lim   *rate.Limiter
}

// NewLocal returns an in-memory Limiter on clock now (time.Now when nil).
func NewLocal(now func() time.Time) *Local {
	if now == nil {
		now = time.Now
	}
	return &Local{now: now, buckets: map[string]*bucket{}}
}

// Allow implements Limiter. A bucket whose limit changed starts full again.
func (l *Local) Allow(_ context.Context, key string, lim Limit) (bool, error) {
	if lim.Burst <= 0 {
		return false, nil
	}
	l.mu.Lock()
	b := l.buckets[key]
	if b == nil || b.limit != lim {
		b = &bucket{limit: lim, lim: rate.NewLimiter(rate.Limit(lim.Rate), lim.Burst)}
		l.buckets[key] = b
	}
	l.mu.Unlock()
	return b.lim.AllowN(l.now(), 1), nil
}
