package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/sdkhttp"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// httpLoad is the configuration the commands that measure HTTP paths (gateway, lambda) share.
type httpLoad struct {
	// DB is the in-process server's storage (sqlite, memory, postgres).
	DB, PostgresDSN string
	// Duration and Warmup of each measured path; Concurrency closed-loop workers.
	Duration, Warmup time.Duration
	Concurrency      int
	// Timeout bounds one request.
	Timeout time.Duration
	// CPUProfile, when set, is a file for a pprof CPU profile of the path marked for it.
	CPUProfile string
}

// flagSet returns a flag set for command name with the shared flags bound to l; profiled
// says which path -cpuprofile covers.
func (l *httpLoad) flagSet(name, profiled string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("loadgen "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&l.DB, "db", "memory", "storage of the in-process Gatehouse: memory, sqlite or postgres")
	fs.DurationVar(&l.Duration, "duration", 10*time.Second, "how long to measure each path")
	fs.DurationVar(&l.Warmup, "warmup", 2*time.Second, "how long to run each path before measuring it")
	fs.IntVar(&l.Concurrency, "concurrency", 16, "closed-loop workers")
	fs.DurationVar(&l.Timeout, "timeout", 10*time.Second, "timeout of one request")
	fs.StringVar(&l.CPUProfile, "cpuprofile", "", "write a CPU profile of "+profiled+"'s measurement to this file")
	return fs
}

// parse parses args with fs and checks the shared flags.
func (l *httpLoad) parse(fs *flag.FlagSet, args []string, getenv func(string) string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	l.PostgresDSN = getenv(PostgresDSNEnv)
	if l.Concurrency < 1 || l.Duration <= 0 {
		return errors.New("-concurrency and -duration must be positive")
	}
	return nil
}

// serve starts Gatehouse in-process with l's storage, says where on stderr, runs fn with it
// and stops it.
func (l *httpLoad) serve(ctx context.Context, stderr io.Writer, fn func(*target) error) (err error) {
	t, err := startServer(ctx, &signinConfig{DB: l.DB, PostgresDSN: l.PostgresDSN}, stderr)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, t.Close()) }()
	fmt.Fprintf(stderr, "gatehouse at %s (storage %s); GOMAXPROCS %d\n", t.URL, t.Storage, runtime.GOMAXPROCS(0))
	return fn(t)
}

// httpPath is one measured path: a table label, the request it sends, and whether
// -cpuprofile covers it.
type httpPath struct {
	label   string
	o       op
	profile bool
}

// httpTableHeader heads the table measurePaths prints; its one free column is named by the
// command (the gateway leaves it empty).
func httpTableHeader(extra string) string {
	return "| path | storage | workers | requests/s | p50 | p90 | p99 | max | errors | CPU/request | " + extra + " | load avg 1m |\n" +
		"|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n"
}

// measurePaths warms up and measures each path in turn with l's workers, printing a table
// row per path as it ends. extra fills the free column of a row from the phases measured so
// far (the row's own last); nil leaves it "–". It returns the phases in the paths' order.
func (l *httpLoad) measurePaths(ctx context.Context, storage string, paths []httpPath, extra func([]*phase) string,
	stdout, stderr io.Writer) ([]*phase, error) {
	var out []*phase
	for _, p := range paths {
		if l.Warmup > 0 {
			drive(ctx, l.Concurrency, l.Warmup, l.Timeout, p.o)
		}
		fmt.Fprintf(stderr, "measuring %s for %s with %d workers (load average %s)\n", p.label, l.Duration, l.Concurrency, loadAverage())
		var stopProfile func() error
		if l.CPUProfile != "" && p.profile {
			var err error
			if stopProfile, err = startCPUProfile(l.CPUProfile); err != nil {
				return out, err
			}
		}
		r := measure(ctx, l.Concurrency, l.Duration, l.Timeout, p.o)
		if stopProfile != nil {
			if err := stopProfile(); err != nil {
				return out, err
			}
		}
		out = append(out, r)
		if r.ErrorCount() > 0 {
			fmt.Fprintf(stderr, "errors: %s\n", describeErrors(r))
		}
		col := "–"
		if extra != nil {
			col = extra(out)
		}
		fmt.Fprint(stdout, row(p.label, storage, l.Concurrency, r, col))
		if ctx.Err() != nil {
			return out, ctx.Err()
		}
	}
	return out, nil
}

// httpClient returns a client that keeps an idle keep-alive connection per worker, and a
// function that closes them.
func httpClient(workers int) (*http.Client, func()) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost = workers+8, workers+8
	return &http.Client{Transport: tr}, tr.CloseIdleConnections
}

// getOp returns an op that GETs u with header through client and expects 200.
func getOp(client *http.Client, u string, header map[string]string) op {
	return func(ctx context.Context, _ int) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return err
		}
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return newKindError(fmt.Sprintf("HTTP %d", resp.StatusCode), "%s: %s", u, resp.Status)
		}
		return nil
	}
}

// sdkConfig is the AWS SDK configuration for setting up resources on the in-process server:
// dummy credentials, no retries.
func sdkConfig() aws.Config {
	return aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("loadgen", "loadgen", ""),
		Retryer:    func() aws.Retryer { return retry.AddWithMaxAttempts(retry.NewStandard(), 1) },
		HTTPClient: &http.Client{Transport: sdkhttp.BufferedBody{RT: http.DefaultTransport}}}
}

// startCPUProfile starts a CPU profile written to path when the returned function is called.
func startCPUProfile(path string) (func() error, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() error { pprof.StopCPUProfile(); return f.Close() }, nil
}
