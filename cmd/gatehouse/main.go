// Command gatehouse serves the Amazon Cognito user-pool API (and, as the project grows, API
// Gateway and Lambda) from one binary. `gatehouse serve` (the default) starts the server;
// `gatehouse version` prints the version.
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
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/app"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "gatehouse:", err)
		}
		os.Exit(2)
	}
}

const usage = `usage: gatehouse [serve] [flags]   start the server (default)
       gatehouse version           print the version

Run "gatehouse serve -h" for the server's flags.
`

func run(args []string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(args, stderr)
	case "version":
		fmt.Fprintln(stdout, "gatehouse", app.Version)
		return nil
	case "help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
}

func serve(args []string, stderr io.Writer) error {
	start := time.Now()
	cfg, err := app.ParseFlags("gatehouse serve", args, app.Getenv)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a, err := app.Open(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	addr, err := a.Listen()
	if err != nil {
		return err
	}
	a.Log.Info("gatehouse ready", "version", app.Version, "listen", addr, "public_url", a.Cognito.PublicURL,
		"auth", cfg.Auth, "dev_endpoints", cfg.DevEndpoints, "startup_ms", time.Since(start).Milliseconds())
	err = a.Serve(ctx)
	a.Log.Info("gatehouse stopped")
	return err
}
