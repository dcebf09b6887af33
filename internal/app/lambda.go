package app

import (
	"context"
	"crypto/hmac"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	goruntime "runtime"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/lambda"
	"github.com/gatehouse-dev/gatehouse/internal/lambda/runtime"
	"github.com/gatehouse-dev/gatehouse/internal/sigv4"
)

// codeURLTTL is how long a package download URL from GetFunction stays valid (as an S3
// presigned URL Lambda returns does).
const codeURLTTL = 10 * time.Minute

// codePath is where GetFunction's package download URLs point.
const codePath = "/_gatehouse/lambda-code/"

// openLambda wires the Lambda service and its runtime host.
func (a *App) openLambda() error {
	c := a.Config
	codeDir := ""
	if c.Data != "" && c.DB != "memory" {
		codeDir = filepath.Join(c.Data, "lambda")
	} else {
		d, err := os.MkdirTemp("", "gatehouse-lambda-")
		if err != nil {
			return fmt.Errorf("lambda code directory: %w", err)
		}
		codeDir = d
		a.closers = append(a.closers, func() error { return lambda.RemoveTree(d) })
	}
	// Functions reach this server's AWS APIs through the SDKs' AWS_ENDPOINT_URL.
	extra := map[string]string{"AWS_ENDPOINT_URL": c.publicURL()}
	a.lambdaEnv = extra
	// Functions get the credentials --lambda-credentials names, as an execution role's; by
	// default placeholder keys under --auth open (which accepts any), and none under sigv4:
	// the server's own keys are never handed to function code.
	switch {
	case c.LambdaCredentials != "":
		creds, err := sigv4.ParseStatic(c.LambdaCredentials)
		if err != nil || len(creds) != 1 {
			return fmt.Errorf("--lambda-credentials: want one AKID:SECRET[:TOKEN]")
		}
		for _, cr := range creds {
			extra["AWS_ACCESS_KEY_ID"], extra["AWS_SECRET_ACCESS_KEY"] = cr.AccessKeyID, cr.SecretAccessKey
			if cr.SessionToken != "" {
				extra["AWS_SESSION_TOKEN"] = cr.SessionToken
			}
		}
	case c.Auth != "sigv4":
		extra["AWS_ACCESS_KEY_ID"], extra["AWS_SECRET_ACCESS_KEY"] = "gatehouse", "gatehouse"
	}
	host := runtime.New(runtime.Options{Log: a.Log, Now: c.Now, ExtraEnv: extra})
	a.Lambda = &lambda.Service{Store: a.Store, Keys: a.Keys, Runner: host, CodeDir: codeDir,
		Region: c.Region, AccountID: c.AccountID, Log: a.Log, Now: c.Now,
		// A function without reserved concurrency gets an instance per core (at least the
		// host's default); more requests wait for a free instance.
		MaxInstances: max(runtime.DefaultMaxInstances, goruntime.NumCPU())}
	if err := a.Lambda.SweepCode(context.Background()); err != nil {
		a.Log.Warn("lambda: sweeping unused packages", "err", err)
	}
	// Stop the functions before the store closes.
	a.closers = append([]func() error{a.Lambda.Close, host.Close}, a.closers...)
	return nil
}

// codeURL returns a signed, expiring URL at which a function's package can be downloaded.
func (a *App) codeURL(name, shaHex string) string {
	exp := strconv.FormatInt(a.now().Add(codeURLTTL).Unix(), 10)
	sig := hex.EncodeToString(a.Keys.MAC("lambda-code", name, shaHex, exp))
	return a.Cognito.PublicURL + codePath + name + "/" + shaHex + "?Expires=" + exp + "&Signature=" + sig
}

func (a *App) now() time.Time {
	if a.Config.Now != nil {
		return a.Config.Now()
	}
	return time.Now()
}

// serveCode answers a package download URL from GetFunction.
func (a *App) serveCode(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, codePath)
	name, shaHex, ok := strings.Cut(rest, "/")
	exp := r.URL.Query().Get("Expires")
	sig, err := hex.DecodeString(r.URL.Query().Get("Signature"))
	n, perr := strconv.ParseInt(exp, 10, 64)
	if !ok || err != nil || perr != nil || a.now().Unix() > n ||
		!hmac.Equal(sig, a.Keys.MAC("lambda-code", name, shaHex, exp)) {
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Request has expired or the signature does not match</Message></Error>`))
		return
	}
	zip, err := a.Lambda.Code(r.Context(), name, shaHex)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	_, _ = w.Write(zip)
}

// isLambdaPath reports whether a path belongs to the Lambda API (its operations live under
// dated prefixes such as /2015-03-31/functions).
func isLambdaPath(p string) bool {
	if len(p) < 12 || p[0] != '/' || p[5] != '-' || p[8] != '-' || p[11] != '/' {
		return false
	}
	for _, i := range []int{1, 2, 3, 4, 6, 7, 9, 10} {
		if p[i] < '0' || p[i] > '9' {
			return false
		}
	}
	return true
}

var _ lambda.Invoker = (*lambda.Service)(nil)
