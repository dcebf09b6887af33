package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// apiError is an error with an AWS error code, as the SDK returns (smithy.APIError).
type apiError struct{ code string }

func (e *apiError) Error() string     { return "api error " + e.code }
func (e *apiError) ErrorCode() string { return e.code }

func TestPercentile(t *testing.T) {
	p := &phase{}
	if p.Percentile(50) != 0 || p.Max() != 0 || p.Rate() != 0 {
		t.Fatal("an empty phase is not all zeros")
	}
	for i := 1; i <= 100; i++ {
		p.Latencies = append(p.Latencies, time.Duration(i)*time.Millisecond)
	}
	p.Elapsed = 2 * time.Second
	for q, want := range map[float64]time.Duration{50: 50 * time.Millisecond, 90: 90 * time.Millisecond,
		99: 99 * time.Millisecond, 100: 100 * time.Millisecond, 0.1: time.Millisecond} {
		if got := p.Percentile(q); got != want {
			t.Errorf("p%v = %v, want %v", q, got, want)
		}
	}
	if p.Rate() != 50 || p.Max() != 100*time.Millisecond {
		t.Errorf("rate %v, max %v", p.Rate(), p.Max())
	}
	one := &phase{Latencies: []time.Duration{7}}
	if one.Percentile(99) != 7 || one.Percentile(1) != 7 {
		t.Error("percentiles of one sample")
	}
}

func TestErrorKind(t *testing.T) {
	for err, want := range map[error]string{
		&apiError{"NotAuthorizedException"}:                             "NotAuthorizedException",
		fmt.Errorf("op: %w", &apiError{"InternalErrorException"}):       "InternalErrorException",
		fmt.Errorf("send: %w", context.DeadlineExceeded):                "timeout",
		newKindError("no tokens", "nothing came back"):                  "no tokens",
		errors.New("dial tcp 127.0.0.1:1: connect: connection refused"): "dial tcp 127.0.0.1",
		errors.New("plain"): "plain",
		fmt.Errorf("wrapped: %w", newKindError("unexpected challenge", "MFA_SETUP")): "unexpected challenge",
		fmt.Errorf("x: %w", fmt.Errorf("y: %w", &apiError{"Throttle"})):              "Throttle",
	} {
		if got := errorKind(err); got != want {
			t.Errorf("errorKind(%v) = %q, want %q", err, got, want)
		}
	}
}

func TestDriveCountsErrors(t *testing.T) {
	p := drive(context.Background(), 3, 50*time.Millisecond, time.Second, func(ctx context.Context, w int) error {
		time.Sleep(time.Millisecond)
		if w == 0 {
			return newKindError("boom", "worker 0 fails")
		}
		return nil
	})
	if p.OK() == 0 || p.Errors["boom"] == 0 || p.ErrorCount() != p.Errors["boom"] || p.Examples["boom"] != "boom: worker 0 fails" {
		t.Fatalf("ok %d, errors %v, examples %v", p.OK(), p.Errors, p.Examples)
	}
	if p.Interrupted {
		t.Error("a phase that ran its course is marked interrupted")
	}
	for i := 1; i < len(p.Latencies); i++ {
		if p.Latencies[i] < p.Latencies[i-1] {
			t.Fatal("latencies are not sorted")
		}
	}
}

func TestDriveCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	start := time.Now()
	time.AfterFunc(30*time.Millisecond, cancel)
	p := drive(ctx, 2, time.Minute, time.Minute, func(ctx context.Context, _ int) error {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Millisecond):
			return nil
		}
	})
	if time.Since(start) > 10*time.Second || !p.Interrupted || p.ErrorCount() != 0 {
		t.Fatalf("after cancel: interrupted %v, errors %v, took %v", p.Interrupted, p.Errors, time.Since(start))
	}
}

func TestParseSigninFlags(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	c, err := parseSigninFlags(nil, &bytes.Buffer{}, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.DB != "sqlite" || c.Flow != FlowPassword || c.Duration != 20*time.Second || c.BaselineDuration != c.Duration ||
		c.Concurrency < 1 || c.Users != 200 || c.URL != "" {
		t.Errorf("defaults = %+v", c)
	}
	c, err = parseSigninFlags([]string{"-db", "postgres", "-flow", "srp", "-duration", "3s", "-concurrency", "2"}, &bytes.Buffer{},
		env(map[string]string{PostgresDSNEnv: "postgres://u@127.0.0.1:5432/db?sslmode=disable"}))
	if err != nil || c.PostgresDSN == "" || c.Flow != FlowSRP || c.Concurrency != 2 || c.storageLabel() != "postgres" {
		t.Errorf("postgres: %+v, %v", c, err)
	}
	for _, args := range [][]string{
		{"-db", "postgres"},
		{"-db", "mysql"},
		{"-flow", "custom"},
		{"-duration", "0s"},
		{"-concurrency", "0"},
		{"-users", "0"},
		{"-url", "localhost:4566"},
		{"extra"},
		{"-nope"},
	} {
		if _, err := parseSigninFlags(args, &bytes.Buffer{}, env(nil)); err == nil {
			t.Errorf("%q: no error", args)
		}
	}
	if c, err := parseSigninFlags([]string{"-db", "postgres://x@h/db"}, &bytes.Buffer{}, env(nil)); err != nil || c.storageLabel() != "postgres" {
		t.Errorf("postgres URL: %v", err)
	}
}

// signin runs the signin command with args and returns its stdout.
func signin(t *testing.T, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), append([]string{"signin"}, args...), &out, &errOut)
	if err != nil {
		t.Fatalf("signin %q: %v\nstderr:\n%s", args, err, errOut.String())
	}
	return out.String()
}

func TestSigninMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server")
	}
	for _, flow := range []string{FlowPassword, FlowSRP} {
		t.Run(flow, func(t *testing.T) {
			prof := filepath.Join(t.TempDir(), "cpu.prof")
			out := signin(t, "-db", "memory", "-flow", flow, "-duration", "300ms", "-warmup", "100ms", "-users", "3",
				"-concurrency", "2", "-cpu-baseline", "-baseline-duration", "200ms", "-cpuprofile", prof)
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if len(lines) != 4 || !strings.HasPrefix(out, tableHeader) {
				t.Fatalf("output:\n%s", out)
			}
			cells := strings.Split(lines[2], "|")
			if strings.TrimSpace(cells[1]) != flowLabel(flow) || strings.TrimSpace(cells[2]) != "memory" ||
				strings.TrimSpace(cells[9]) != "0" || !strings.HasSuffix(strings.TrimSpace(cells[11]), "×") {
				t.Errorf("row: %s", lines[2])
			}
			if !strings.Contains(lines[3], "CPU baseline") {
				t.Errorf("baseline row: %s", lines[3])
			}
			if st, err := os.Stat(prof); err != nil || st.Size() == 0 {
				t.Errorf("cpu profile: %v", err)
			}
		})
	}
}

func TestSigninSQLiteJSON(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server")
	}
	out := signin(t, "-db", "sqlite", "-duration", "300ms", "-warmup", "0s", "-users", "2", "-concurrency", "2", "-json")
	var r jsonReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if r.Flow != FlowPassword || r.Storage != "sqlite" || !r.InProcess || r.Result.Ops == 0 || len(r.Result.Errors) != 0 ||
		r.Result.P50 <= 0 || r.Result.P99 < r.Result.P50 || r.Baseline != nil {
		t.Errorf("report = %+v", r)
	}
}

// TestSigninURL loads a server that runs elsewhere (here: started by the test) and checks that
// the run's pool is deleted afterwards.
func TestSigninURL(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server")
	}
	ctx := context.Background()
	srv, err := startServer(ctx, &signinConfig{DB: "memory"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := srv.Close(); err != nil {
			t.Error(err)
		}
	}()
	out := signin(t, "-url", srv.URL, "-flow", "srp", "-duration", "200ms", "-warmup", "0s", "-users", "2", "-concurrency", "1")
	if !strings.Contains(out, "| USER_SRP_AUTH | memory | 1 |") {
		t.Errorf("output:\n%s", out)
	}
	c, tr := newClient(srv.URL, "us-east-1", 1)
	defer tr.CloseIdleConnections()
	pools, err := c.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(60)})
	if err != nil || len(pools.UserPools) != 0 {
		t.Errorf("pools left behind: %v, %v", pools, err)
	}
}

func TestPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server")
	}
	if os.Getenv(PostgresDSNEnv) == "" {
		t.Skipf("set %s to run against PostgreSQL", PostgresDSNEnv)
	}
	out := signin(t, "-db", "postgres", "-duration", "300ms", "-warmup", "0s", "-users", "2", "-concurrency", "2")
	if !strings.Contains(out, "| USER_PASSWORD_AUTH | postgres | 2 |") {
		t.Errorf("output:\n%s", out)
	}
}

func TestRunUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run(context.Background(), nil, &out, &errOut); err == nil || !strings.Contains(errOut.String(), "signin") {
		t.Errorf("no command: %v, %q", err, errOut.String())
	}
	if err := run(context.Background(), []string{"bogus"}, &out, &errOut); err == nil {
		t.Error("unknown command accepted")
	}
}

func TestDescribeErrors(t *testing.T) {
	p := &phase{Errors: map[string]int{"b": 1, "a": 1, "timeout": 3},
		Examples: map[string]string{"a": "a: x", "b": "b: y", "timeout": "context deadline exceeded"}}
	want := "3× timeout (context deadline exceeded); 1× a (a: x); 1× b (b: y)"
	if got := describeErrors(p); got != want {
		t.Errorf("describeErrors = %q, want %q", got, want)
	}
}

func TestGatewayCommand(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"gateway", "-duration", "300ms", "-warmup", "0", "-concurrency", "2"}, &out, &errOut)
	if err != nil {
		t.Fatalf("gateway: %v\n%s", err, errOut.String())
	}
	for _, label := range []string{"direct to the backend", "Go httputil.ReverseProxy", "Gatehouse route, no authorizer", "Gatehouse route, JWT authorizer"} {
		if !strings.Contains(out.String(), "| "+label+" | memory | 2 |") {
			t.Errorf("no row for %q in\n%s", label, out.String())
		}
	}
	if strings.Contains(errOut.String(), "errors:") {
		t.Errorf("requests failed:\n%s", errOut.String())
	}
}

func TestLambdaCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a Go function")
	}
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"lambda", "-duration", "300ms", "-warmup", "0", "-concurrency", "2", "-cold", "2"}, &out, &errOut)
	if err != nil {
		t.Fatalf("lambda: %v\n%s", err, errOut.String())
	}
	for _, want := range []string{"| plain net/http, same handler | memory | 2 |", "| Gatehouse route → Lambda function | memory | 2 |", "\n| 2 | "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in\n%s", want, out.String())
		}
	}
	if strings.Contains(errOut.String(), "errors:") {
		t.Errorf("requests failed:\n%s", errOut.String())
	}
}

func TestSpread(t *testing.T) {
	ds := []time.Duration{5 * time.Millisecond, time.Millisecond, 3 * time.Millisecond, 2 * time.Millisecond}
	if got, want := spread(ds), "1.00 ms / 2.00 ms / 5.00 ms"; got != want {
		t.Errorf("spread = %q, want %q", got, want)
	}
	if spread(nil) != "–" || median(nil) != 0 {
		t.Error("spread or median of nothing")
	}
	if signed(-time.Millisecond) != "-1.00 ms" || signed(time.Millisecond) != "+1.00 ms" {
		t.Errorf("signed: %q %q", signed(-time.Millisecond), signed(time.Millisecond))
	}
}
