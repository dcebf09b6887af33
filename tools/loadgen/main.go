// Command loadgen generates load against Gatehouse and reports throughput and latency.
//
// The gateway sub-command measures HTTP API requests per second along four paths in one run
// (straight to a backend, through a plain Go reverse proxy, and through a Gatehouse route
// without and with a JWT authorizer): go run ./tools/loadgen gateway -concurrency 16.
//
// The lambda sub-command measures, in one run, warm requests to a small aws-lambda-go handler
// (testdata/lambdafn, built with go build as a provided.al2023 package) served by a plain
// net/http server and reached through a Gatehouse HTTP API route with an AWS_PROXY integration,
// then times -cold cold starts of the function through the Lambda API (UpdateFunctionConfiguration,
// then Invoke with LogType Tail for the Init Duration): go run ./tools/loadgen lambda -concurrency 16.
//
// The signin sub-command measures sign-ins per second through the AWS SDK for Go v2:
//
//	go run ./tools/loadgen signin -db sqlite -flow password -duration 20s -concurrency 8
//	go run ./tools/loadgen signin -db postgres -flow srp -cpu-baseline
//
// By default it starts Gatehouse in-process (through internal/app, as the end-to-end tests do)
// on a loopback port with a temporary data directory, creates a user pool, an app client that
// allows USER_PASSWORD_AUTH, USER_SRP_AUTH and REFRESH_TOKEN_AUTH, and -users confirmed users,
// then runs -concurrency closed-loop workers for -duration after a -warmup. A password sign-in
// is one InitiateAuth USER_PASSWORD_AUTH; an SRP sign-in is InitiateAuth USER_SRP_AUTH plus
// RespondToAuthChallenge PASSWORD_VERIFIER, with the client's math done by srpclient. -url
// targets a server that is already running instead (its storage is then whatever it uses).
//
// Progress goes to stderr; the result goes to stdout as a markdown table (or JSON with -json):
// sign-ins per second, p50/p90/p99/max latency of a whole sign-in, errors, the process's CPU
// time per sign-in and the load average. -cpu-baseline also measures the pure-CPU cost of the
// flow's cryptography at the same concurrency (for SRP the client and server exponentiations
// of one exchange, without HTTP or storage) and prints how many times slower the real sign-in
// is. -cpuprofile and -blockprofile write pprof profiles of the measured phase; in-process, they
// cover the server as well as the client.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// usage is the top-level help text.
const usage = `usage: loadgen <command> [flags]

commands:
  signin    sign-ins per second (USER_PASSWORD_AUTH or USER_SRP_AUTH), p50/p90/p99 latency
  gateway   HTTP API requests per second: direct, via a Go reverse proxy, via Gatehouse
            (no authorizer, JWT authorizer), p50/p90/p99 latency
  lambda    the same Go handler over plain HTTP and through a Gatehouse route to a Lambda
            function (requests/s, p50/p90/p99), and the function's cold starts

Run "loadgen <command> -h" for the flags of a command.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

// run dispatches a command line (without the program name) to its sub-command.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	switch args[0] {
	case "signin":
		cfg, err := parseSigninFlags(args[1:], stderr, os.Getenv)
		if err != nil {
			return err
		}
		return runSignin(ctx, cfg, stdout, stderr)
	case "gateway":
		cfg, err := parseGatewayFlags(args[1:], stderr, os.Getenv)
		if err != nil {
			return err
		}
		return runGateway(ctx, cfg, stdout, stderr)
	case "lambda":
		cfg, err := parseLambdaFlags(args[1:], stderr, os.Getenv)
		if err != nil {
			return err
		}
		return runLambda(ctx, cfg, stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", args[0])
	}
}
