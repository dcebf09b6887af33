package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"
)

// PostgresDSNEnv names the environment variable holding the PostgreSQL DSN that -db postgres
// uses (the one the test suite uses, e.g.
// postgres://postgres@127.0.0.1:5432/gatehouse_test?sslmode=disable). loadgen creates a schema
// of its own in that database and drops it at the end.
const PostgresDSNEnv = "GATEHOUSE_TEST_POSTGRES_DSN"

// Flows of the signin command.
const (
	// FlowPassword is a USER_PASSWORD_AUTH sign-in: one InitiateAuth.
	FlowPassword = "password"
	// FlowSRP is a USER_SRP_AUTH sign-in: InitiateAuth, then RespondToAuthChallenge
	// PASSWORD_VERIFIER.
	FlowSRP = "srp"
)

// signinConfig is the configuration of the signin command.
type signinConfig struct {
	// DB is sqlite, postgres, memory or a postgres:// URL; ignored with URL.
	DB string
	// PostgresDSN is the DSN -db postgres uses (from PostgresDSNEnv).
	PostgresDSN string
	// URL, when set, is a running Gatehouse to load instead of an in-process one.
	URL string
	// Region is the SDK client's region.
	Region string
	// Flow is FlowPassword or FlowSRP.
	Flow string
	// Duration is how long to measure; Warmup how long to run before.
	Duration, Warmup time.Duration
	// Concurrency is the number of closed-loop workers.
	Concurrency int
	// Users is the number of users to create and sign in round-robin.
	Users int
	// Timeout bounds one sign-in (both calls of an SRP sign-in).
	Timeout time.Duration
	// CPUBaseline asks for the pure-CPU cost of the flow's cryptography too.
	CPUBaseline bool
	// BaselineDuration is how long the baseline runs (default: Duration).
	BaselineDuration time.Duration
	// CPUProfile and BlockProfile are files for pprof profiles of the measured phase.
	CPUProfile, BlockProfile string
	// JSON prints the result as JSON instead of a markdown table.
	JSON bool
	// ServerLog shows the in-process server's log (level warn) on stderr.
	ServerLog bool
}

// parseSigninFlags parses the flags of the signin command; getenv supplies PostgresDSNEnv.
func parseSigninFlags(args []string, stderr io.Writer, getenv func(string) string) (*signinConfig, error) {
	c := &signinConfig{PostgresDSN: getenv(PostgresDSNEnv)}
	fs := flag.NewFlagSet("loadgen signin", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: loadgen signin [flags]\n\n"+
			"Creates a pool, an app client and -users confirmed users, then signs them in from\n"+
			"-concurrency closed-loop workers for -duration and prints sign-ins/s and latency.\n\n")
		fs.PrintDefaults()
	}
	fs.StringVar(&c.DB, "db", "sqlite", "storage of the in-process server: sqlite, postgres (DSN from $"+PostgresDSNEnv+"), memory, or a postgres:// URL")
	fs.StringVar(&c.URL, "url", "", "base URL of a running Gatehouse to load instead of starting one in-process (-db is then ignored)")
	fs.StringVar(&c.Region, "region", "us-east-1", "region of the SDK client")
	fs.StringVar(&c.Flow, "flow", FlowPassword, "sign-in flow: password (USER_PASSWORD_AUTH) or srp (USER_SRP_AUTH + PASSWORD_VERIFIER)")
	fs.DurationVar(&c.Duration, "duration", 20*time.Second, "how long to measure")
	fs.DurationVar(&c.Warmup, "warmup", 2*time.Second, "how long to run before measuring (connections, key caches)")
	fs.IntVar(&c.Concurrency, "concurrency", 4*runtime.GOMAXPROCS(0), "closed-loop workers, each with one sign-in in flight")
	fs.IntVar(&c.Users, "users", 200, "users to create; workers sign them in round-robin")
	fs.DurationVar(&c.Timeout, "timeout", 30*time.Second, "time limit of one sign-in")
	fs.BoolVar(&c.CPUBaseline, "cpu-baseline", false, "also measure the flow's cryptography alone at the same concurrency, without HTTP or storage, and print the ratio")
	fs.DurationVar(&c.BaselineDuration, "baseline-duration", 0, "how long the CPU baseline runs (default -duration)")
	fs.StringVar(&c.CPUProfile, "cpuprofile", "", "write a CPU profile of the measured phase to this file (in-process: server and client)")
	fs.StringVar(&c.BlockProfile, "blockprofile", "", "write a blocking profile of the measured phase to this file")
	fs.BoolVar(&c.JSON, "json", false, "print the result as JSON instead of a markdown table")
	fs.BoolVar(&c.ServerLog, "server-log", false, "show the in-process server's warnings and errors on stderr")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("signin: unexpected argument %q", fs.Arg(0))
	}
	if c.BaselineDuration == 0 {
		c.BaselineDuration = c.Duration
	}
	return c, c.validate()
}

// validate checks the configuration, reporting every problem at once.
func (c *signinConfig) validate() error {
	var errs []error
	check := func(bad bool, format string, args ...any) {
		if bad {
			errs = append(errs, fmt.Errorf(format, args...))
		}
	}
	check(c.Flow != FlowPassword && c.Flow != FlowSRP, "-flow must be %s or %s, not %q", FlowPassword, FlowSRP, c.Flow)
	check(c.Duration <= 0, "-duration must be positive")
	check(c.Warmup < 0, "-warmup must not be negative")
	check(c.BaselineDuration <= 0, "-baseline-duration must be positive")
	check(c.Concurrency < 1, "-concurrency must be at least 1")
	check(c.Users < 1, "-users must be at least 1")
	check(c.Timeout <= 0, "-timeout must be positive")
	if c.URL == "" {
		switch {
		case c.DB == "sqlite", c.DB == "memory", isPostgresURL(c.DB):
		case c.DB == "postgres":
			check(c.PostgresDSN == "", "-db postgres needs $%s (a postgres:// URL)", PostgresDSNEnv)
			check(c.PostgresDSN != "" && !isPostgresURL(c.PostgresDSN), "$%s must be a postgres:// URL", PostgresDSNEnv)
		default:
			check(true, "-db must be sqlite, postgres, memory or a postgres:// URL")
		}
	} else {
		check(!strings.HasPrefix(c.URL, "http://") && !strings.HasPrefix(c.URL, "https://"), "-url must be an http:// or https:// URL")
	}
	return errors.Join(errs...)
}

// isPostgresURL reports whether s is a postgres:// or postgresql:// URL.
func isPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// storageLabel names the in-process server's storage for reports.
func (c *signinConfig) storageLabel() string {
	if isPostgresURL(c.DB) {
		return "postgres"
	}
	return c.DB
}
