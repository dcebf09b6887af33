package throttle

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// gcra is the generic cell rate algorithm as one atomic Redis script. The bucket's state is its
// theoretical arrival time (TAT) in microseconds of Redis's own clock, so replicas with skewed
// clocks share one budget. With rate 0 it counts the burst down and never refills.
var gcra = redis.NewScript(`
local key = KEYS[1]
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
if burst <= 0 then return 0 end
if rate <= 0 then
  local n = redis.call("INCR", key)
  return n <= burst and 1 or 0
end
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = 1000000 / rate
local tat = tonumber(redis.call("GET", key) or now)
if tat < now then tat = now end
local next = tat + interval
if next - now > burst * interval then return 0 end
redis.call("SET", key, string.format("%.0f", next), "PX", math.ceil((next - now) / 1000) + 1000)
return 1
`)

// Redis keeps buckets in Redis, shared by every replica using the same server and prefix.
// When Redis cannot be reached it falls back to per-replica buckets (throttling is best
// effort, as in API Gateway) and logs the failure.
type Redis struct {
	client   redis.UniversalClient
	prefix   string
	fallback *Local
	log      *slog.Logger
	// downUntil (Unix nanoseconds) skips Redis for a while after a failure, so an unreachable
	// Redis does not add a timeout to every request.
	downUntil atomic.Int64
}

// Timeouts of the Redis client: throttling must not slow requests down.
const (
	redisTimeout = 200 * time.Millisecond
	redisBackoff = time.Second
)

// NewRedis returns a Limiter on the Redis server at url (redis://host:port/db). Keys are
// prefixed with prefix.
func NewRedis(url, prefix string, fallback *Local, log *slog.Logger) (*Redis, error) {
	opt, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("redis url: %w", err)
	}
	if log == nil {
		log = slog.Default()
	}
	opt.DialTimeout, opt.ReadTimeout, opt.WriteTimeout, opt.MaxRetries = redisTimeout, redisTimeout, redisTimeout, -1
	return &Redis{client: redis.NewClient(opt), prefix: prefix, fallback: fallback, log: log}, nil
}

// Ping checks that Redis answers.
func (r *Redis) Ping(ctx context.Context) error { return r.client.Ping(ctx).Err() }

// Close closes the connection pool.
func (r *Redis) Close() error { return r.client.Close() }

// Allow implements Limiter.
func (r *Redis) Allow(ctx context.Context, key string, l Limit) (bool, error) {
	// The limit is part of the key, so a changed limit starts a fresh bucket as Local does.
	if time.Now().UnixNano() < r.downUntil.Load() {
		return r.fallback.Allow(ctx, key, l)
	}
	k := r.prefix + key + "|" + strconv.FormatFloat(l.Rate, 'g', -1, 64) + "|" + strconv.Itoa(l.Burst)
	n, err := gcra.Run(ctx, r.client, []string{k}, l.Rate, l.Burst).Int()
	if err != nil {
		r.downUntil.Store(time.Now().Add(redisBackoff).UnixNano())
		r.log.WarnContext(ctx, "throttle: redis unavailable, using this replica's buckets for a second", "err", err)
		return r.fallback.Allow(ctx, key, l)
	}
	return n == 1, nil
}
