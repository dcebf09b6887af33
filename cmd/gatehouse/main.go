// Command gatehouse serves the Amazon Cognito user-pool API (and, as the project grows, API
// Gateway and Lambda) from one binary. `gatehouse serve` (the default) starts the server;
// `gatehouse keys rotate` rotates user pools' token signing keys in a server's store;
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
	m := &Main{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: app.Getenv}
	if err := m.Run(os.Args[1:]); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "gatehouse:", err)
		}
		os.Exit(2)
	}
}

const usage = `usage: gatehouse [serve] [flags]                    start the server (default)
       gatehouse keys rotate (--pool ID | --all)   rotate user pools' token signing keys
       gatehouse version                            print the version

Run "gatehouse serve -h" for the server's flags, "gatehouse keys rotate -h" for the rotation's.
`

// Main is one invocation of the binary: its output streams, environment and clock, which
// tests replace.
type Main struct {
	// Stdout receives results, Stderr logs and usage messages.
	Stdout, Stderr io.Writer
	// Getenv reads the environment (os.Getenv).
	Getenv func(string) string
	// Now, when set, replaces the wall clock (app.Config.Now).
	Now func() time.Time
}

// Run runs the command args names (without the program name).
func (m *Main) Run(args []string) error {
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return m.serve(args)
	case "keys":
		return m.keys(args)
	case "version":
		fmt.Fprintln(m.Stdout, "gatehouse", app.Version)
		return nil
	case "help":
		fmt.Fprint(m.Stdout, usage)
		return nil
	default:
		fmt.Fprint(m.Stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
}

func (m *Main) serve(args []string) error {
	start := time.Now()
	cfg, err := app.ParseFlags("gatehouse serve", args, m.Getenv)
	if err != nil {
		return err
	}
	cfg.Now = m.Now
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a, err := app.Open(ctx, cfg, m.Stderr)
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
