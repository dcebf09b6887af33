package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/sdkhttp"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver for the schema

	"github.com/gatehouse-dev/gatehouse/internal/app"
)

// target is the Gatehouse under load: its base URL, its storage, and how to stop it.
type target struct {
	// URL is the server's base URL, e.g. http://127.0.0.1:43127.
	URL string
	// Storage names its storage: sqlite, postgres or memory ("?" if a remote server does not
	// tell).
	Storage string
	// close stops an in-process server and removes what it created; nil for -url.
	close func() error
}

// Close stops an in-process server and removes its data; it does nothing for -url.
func (t *target) Close() error {
	if t.close == nil {
		return nil
	}
	return t.close()
}

// openTarget starts Gatehouse in-process, or describes the server at c.URL.
func openTarget(ctx context.Context, c *signinConfig, stderr io.Writer) (*target, error) {
	if c.URL != "" {
		u := strings.TrimRight(c.URL, "/")
		return &target{URL: u, Storage: remoteStorage(ctx, u)}, nil
	}
	return startServer(ctx, c, stderr)
}

// remoteStorage asks a running server's health endpoint which storage it uses ("?" when it
// cannot tell).
func remoteStorage(ctx context.Context, base string) string {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/_gatehouse/health", nil)
	if err != nil {
		return "?"
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "?"
	}
	defer resp.Body.Close()
	var h struct {
		Storage string `json:"storage"`
	}
	if json.NewDecoder(resp.Body).Decode(&h) != nil || h.Storage == "" {
		return "?"
	}
	return h.Storage
}

// startServer starts Gatehouse through internal/app on 127.0.0.1:0 with a temporary data
// directory (the master key lives there, and the SQLite database with -db sqlite). With
// PostgreSQL it uses a fresh schema, dropped by Close.
func startServer(ctx context.Context, c *signinConfig, stderr io.Writer) (_ *target, err error) {
	var cleanups []func() error
	cleanup := func() error {
		var errs []error
		for i := len(cleanups) - 1; i >= 0; i-- {
			errs = append(errs, cleanups[i]())
		}
		return errors.Join(errs...)
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, cleanup())
		}
	}()

	dir, err := os.MkdirTemp("", "gatehouse-loadgen-")
	if err != nil {
		return nil, err
	}
	cleanups = append(cleanups, func() error { return os.RemoveAll(dir) })

	cfg := app.DefaultConfig()
	cfg.Listen = "127.0.0.1:0"
	cfg.Data = dir
	cfg.DevEndpoints = true
	cfg.LogLevel = "warn"
	switch c.DB {
	case "sqlite":
		cfg.DB = ""
	case "memory":
		cfg.DB = "memory"
	default: // postgres or a postgres:// URL
		base := c.DB
		if base == "postgres" {
			base = c.PostgresDSN
		}
		dsn, drop, err := newSchema(ctx, base)
		if err != nil {
			return nil, err
		}
		cleanups = append(cleanups, drop)
		cfg.DB = dsn
	}
	logOut := io.Discard
	if c.ServerLog {
		logOut = stderr
	}
	a, err := app.Open(ctx, cfg, logOut)
	if err != nil {
		return nil, fmt.Errorf("start gatehouse: %w", err)
	}
	cleanups = append(cleanups, a.Close)
	addr, err := a.Listen()
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	// The server outlives ctx (cancelled on ^C) until Close, so that a run interrupted during
	// the measurement still gets its in-flight requests answered and its report printed.
	sctx, stop := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan error, 1)
	go func() { done <- a.Serve(sctx) }()
	cleanups = append(cleanups, func() error {
		stop()
		return <-done
	})
	return &target{URL: "http://" + addr, Storage: c.storageLabel(), close: cleanup}, nil
}

// newSchema creates a schema named loadgen_<random> in the PostgreSQL database base names and
// returns a DSN that uses it (search_path) and a function that drops it.
func newSchema(ctx context.Context, base string) (dsn string, drop func() error, err error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", nil, errors.New("the PostgreSQL DSN is not a URL")
	}
	db, err := sql.Open("pgx", base)
	if err != nil {
		return "", nil, fmt.Errorf("postgres: %w", err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "loadgen_" + hex.EncodeToString(b)
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := db.ExecContext(cctx, "CREATE SCHEMA "+schema); err != nil {
		_ = db.Close()
		return "", nil, fmt.Errorf("postgres: create schema: %w", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	drop = func() error {
		defer db.Close()
		dctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := db.ExecContext(dctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			return fmt.Errorf("postgres: drop schema %s: %w", schema, err)
		}
		return nil
	}
	return u.String(), drop, nil
}

// newClient returns a cognito-idp client for the server at base: no retries (every error is
// counted, no request runs twice), an HTTP transport that keeps one idle connection per worker,
// and credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY if set (for servers under
// --auth sigv4), otherwise dummy ones (--auth open accepts any).
func newClient(base, region string, conns int) (*cip.Client, *http.Transport) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = conns + 8
	tr.MaxIdleConnsPerHost = conns + 8
	key, secret := os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY")
	if key == "" || secret == "" {
		key, secret = "loadgen", "loadgen"
	}
	cfg := aws.Config{
		Region:      region,
		Credentials: credentials.NewStaticCredentialsProvider(key, secret, os.Getenv("AWS_SESSION_TOKEN")),
		Retryer:     func() aws.Retryer { return retry.AddWithMaxAttempts(retry.NewStandard(), 1) },
		HTTPClient:  &http.Client{Transport: sdkhttp.BufferedBody{RT: tr}},
	}
	return cip.NewFromConfig(cfg, func(o *cip.Options) { o.BaseEndpoint = aws.String(base) }), tr
}
