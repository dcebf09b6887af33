package testenv

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/sdkhttp"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/gatehouse-dev/gatehouse/internal/app"
	"github.com/gatehouse-dev/gatehouse/internal/outbox"
	"github.com/gatehouse-dev/gatehouse/internal/storage/postgres/pgtest"
)

// PostgresDSNEnv names the environment variable that, when set, holds a PostgreSQL DSN the
// tests may use (a server with a database they may create schemas in).
const PostgresDSNEnv = "GATEHOUSE_TEST_POSTGRES_DSN"

// Server is a running Gatehouse.
type Server struct {
	// URL is the base URL, e.g. http://127.0.0.1:43127.
	URL string
	// App is the running application.
	App *app.App
	// AccessKey and SecretKey are credentials the server accepts under --auth sigv4.
	AccessKey, SecretKey string

	transport *http.Transport
}

// Option changes the configuration before the server starts.
type Option func(*app.Config)

// WithMemory uses the in-memory store instead of SQLite.
func WithMemory() Option { return func(c *app.Config) { c.DB = "memory" } }

// WithPostgres stores state in PostgreSQL: a fresh schema, created in the database named by
// GATEHOUSE_TEST_POSTGRES_DSN and dropped when the test ends (see pgtest.DSN). It skips the test
// when that variable is unset. Call it before Start, so the server stops before the schema is
// dropped.
func WithPostgres(t testing.TB) Option {
	t.Helper()
	dsn := pgtest.DSN(t)
	return func(c *app.Config) { c.DB = dsn }
}

// WithData uses dir as the data directory (two servers given the same one share its master
// key, as replicas do).
func WithData(dir string) Option { return func(c *app.Config) { c.Data = dir } }

// WithRedis keeps HTTP API throttling buckets in the Redis named by GATEHOUSE_TEST_REDIS_URL.
// It skips the test when that variable is unset, and fails it when GATEHOUSE_REQUIRE_REDIS=1.
func WithRedis(t testing.TB) Option {
	t.Helper()
	u := os.Getenv("GATEHOUSE_TEST_REDIS_URL")
	if u == "" {
		if os.Getenv("GATEHOUSE_REQUIRE_REDIS") == "1" {
			t.Fatal("GATEHOUSE_REQUIRE_REDIS=1 but GATEHOUSE_TEST_REDIS_URL is not set")
		}
		t.Skip("Redis tests skipped: set GATEHOUSE_TEST_REDIS_URL (redis://127.0.0.1:6379/0)")
	}
	return func(c *app.Config) { c.Redis = u }
}

// WithSigV4 enforces SigV4 on admin operations with the Server's AccessKey/SecretKey; as in
// production, the development endpoints are then off.
func WithSigV4() Option {
	return func(c *app.Config) {
		c.Auth = "sigv4"
		c.DevEndpoints = false
		c.AccessKeys = "AKIDTESTGATEHOUSE:testsecretkey/abcdefghijklmnopqrstuvw"
	}
}

// WithSMTP sends email through the SMTP server at url (app.Config.SMTPURL), e.g.
// "smtp://127.0.0.1:2525?tls=none&from=no-reply@example.com".
func WithSMTP(url string) Option { return func(c *app.Config) { c.SMTPURL = url } }

// WithClock makes the server read the time from now instead of the wall clock, so that tests
// can expire codes and passwords without sleeping. See Clock.
func WithClock(now func() time.Time) Option { return func(c *app.Config) { c.Now = now } }

// Clock is a fake clock for WithClock. It stands still except when Advance moves it, but each
// reading is one microsecond after the previous one so that events keep their order.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a Clock that starts at start.
func NewClock(start time.Time) *Clock { return &Clock{now: start} }

// Now returns the clock's time; pass it to WithClock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(time.Microsecond)
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Start starts Gatehouse on 127.0.0.1:0 with SQLite in a temporary directory (dev endpoints on)
// and stops it when the test ends.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	c := app.DefaultConfig()
	c.Listen = "127.0.0.1:0"
	c.Data = t.TempDir()
	c.DevEndpoints = true
	c.LogLevel = "warn"
	for _, o := range opts {
		o(c)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var logOut io.Writer = io.Discard
	if os.Getenv("GATEHOUSE_TEST_LOG") != "" {
		logOut = os.Stderr
	}
	a, err := app.Open(ctx, c, logOut)
	if err != nil {
		cancel()
		t.Fatalf("start gatehouse: %v", err)
	}
	addr, err := a.Listen()
	if err != nil {
		cancel()
		a.Close()
		t.Fatalf("listen: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		a.Close()
	})
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	return &Server{URL: "http://" + addr, App: a, AccessKey: "AKIDTESTGATEHOUSE", SecretKey: "testsecretkey/abcdefghijklmnopqrstuvw", transport: tr}
}

// AWSConfig returns an SDK configuration for the server: region us-east-1, the server's static
// credentials, no retries (so errors surface at once and no request ever runs twice) and an
// HTTP client that hands net/http an in-memory copy of each request body (see sdkhttp.BufferedBody).
func (s *Server) AWSConfig() aws.Config {
	return aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider(s.AccessKey, s.SecretKey, ""),
		Retryer:     func() aws.Retryer { return retry.AddWithMaxAttempts(retry.NewStandard(), 1) },
		HTTPClient:  &http.Client{Transport: sdkhttp.BufferedBody{RT: s.transport}},
	}
}

// Cognito returns a cognito-idp client pointed at the server.
func (s *Server) Cognito(optFns ...func(*cip.Options)) *cip.Client {
	return cip.NewFromConfig(s.AWSConfig(), append([]func(*cip.Options){func(o *cip.Options) {
		o.BaseEndpoint = aws.String(s.URL)
	}}, optFns...)...)
}

// APIGatewayV2 returns an apigatewayv2 client for the server.
func (s *Server) APIGatewayV2(optFns ...func(*apigatewayv2.Options)) *apigatewayv2.Client {
	return apigatewayv2.NewFromConfig(s.AWSConfig(), append([]func(*apigatewayv2.Options){func(o *apigatewayv2.Options) {
		o.BaseEndpoint = aws.String(s.URL)
	}}, optFns...)...)
}

// Lambda returns a Lambda client for the server.
func (s *Server) Lambda(optFns ...func(*lambda.Options)) *lambda.Client {
	return lambda.NewFromConfig(s.AWSConfig(), append([]func(*lambda.Options){func(o *lambda.Options) {
		o.BaseEndpoint = aws.String(s.URL)
	}}, optFns...)...)
}

// Messages returns the messages the server delivered to a user of a pool, newest first.
func (s *Server) Messages(t testing.TB, pool, user string) []outbox.Record {
	t.Helper()
	q := url.Values{"userPoolId": {pool}, "username": {user}}
	resp, err := http.Get(s.URL + "/_gatehouse/messages?" + q.Encode())
	if err != nil {
		t.Fatalf("get messages: %v", err)
	}
	defer resp.Body.Close()
	var out struct {
		Messages []outbox.Record `json:"messages"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("decode messages: %v", err)
	}
	return out.Messages
}

// LastCode returns the code of the newest message delivered to user (by username or address).
func (s *Server) LastCode(t testing.TB, pool, user string) string {
	t.Helper()
	msgs := s.Messages(t, pool, user)
	if len(msgs) == 0 {
		t.Fatalf("no message was delivered to %q in %s", user, pool)
	}
	return msgs[0].Code
}

// Ctx returns a context for one test step.
func Ctx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// APIError returns the AWS error code and message of err, or fails the test when err is nil
// or not an AWS API error.
func APIError(t testing.TB, err error) (code, message string) {
	t.Helper()
	if err == nil {
		t.Fatalf("expected an AWS error, got success")
	}
	var ae interface {
		ErrorCode() string
		ErrorMessage() string
	}
	if !errors.As(err, &ae) {
		t.Fatalf("expected an AWS API error, got %T: %v", err, err)
	}
	return ae.ErrorCode(), ae.ErrorMessage()
}

// WantError fails the test unless err is an AWS error of type code with message msg
// (msg "" skips the message check).
func WantError(t testing.TB, err error, code, msg string) {
	t.Helper()
	gotCode, gotMsg := APIError(t, err)
	if gotCode != code || (msg != "" && gotMsg != msg) {
		t.Fatalf("error = %s: %q; want %s: %q", gotCode, gotMsg, code, msg)
	}
}
