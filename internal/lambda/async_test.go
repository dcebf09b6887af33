package lambda

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/lambda/spec"
	"github.com/gatehouse-dev/gatehouse/internal/secrets"
	"github.com/gatehouse-dev/gatehouse/internal/storage/memory"
)

// blockingRunner runs every invocation until its context ends.
type blockingRunner struct{ started, canceled atomic.Int32 }

func (b *blockingRunner) Invoke(ctx context.Context, _ spec.Spec, _ spec.Request) (spec.Result, error) {
	b.started.Add(1)
	<-ctx.Done()
	b.canceled.Add(1)
	return spec.Result{}, ctx.Err()
}

func (b *blockingRunner) Retire(string) {}

func newTestService(t *testing.T, r Runner) *Service {
	t.Helper()
	kr, err := secrets.New(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	s := &Service{Store: memory.New(), Keys: kr, Runner: r, CodeDir: t.TempDir(), Region: "us-east-1", AccountID: "000000000000"}
	t.Cleanup(func() { _ = RemoveTree(s.CodeDir) }) // unpacked packages are read-only
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("index.js")
	_, _ = w.Write([]byte("exports.handler = async () => 1;"))
	_ = zw.Close()
	rt, h, role := "nodejs20.x", "index.handler", "arn:aws:iam::000000000000:role/r"
	if _, err := s.CreateFunction(context.Background(), &FunctionInput{FunctionName: "f", Runtime: &rt, Handler: &h, Role: &role, ZipFile: buf.Bytes()}); err != nil {
		t.Fatal(err)
	}
	return s
}

// Asynchronous invocations are bounded, and Close cancels them instead of running the queue.
func TestAsyncBoundedAndCanceledByClose(t *testing.T) {
	r := &blockingRunner{}
	s := newTestService(t, r)
	ctx := context.Background()
	for i := 0; i < maxAsync; i++ {
		if _, err := s.Invoke(ctx, InvokeInput{Function: "f", InvocationType: Event}); err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
	}
	_, err := s.Invoke(ctx, InvokeInput{Function: "f", InvocationType: Event})
	if !awserr.Is(err, ErrTooManyRequests) {
		t.Fatalf("event beyond the bound: %v", err)
	}
	done := make(chan struct{})
	go func() { _ = s.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Close waited for the queued invocations")
	}
	if r.canceled.Load() != r.started.Load() {
		t.Fatalf("canceled %d of %d", r.canceled.Load(), r.started.Load())
	}
	if _, err := s.Invoke(ctx, InvokeInput{Function: "f", InvocationType: Event}); err == nil {
		t.Fatal("an event was accepted after Close")
	}
}

func TestSweepCode(t *testing.T) {
	s := newTestService(t, &blockingRunner{})
	rec, _, err := s.getFunction(context.Background(), "f", "")
	if err != nil {
		t.Fatal(err)
	}
	used, err := s.codeDir("f", rec.CodeHex["$LATEST"])
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(filepath.Join(used, "index.js")); err != nil || fi.Mode().Perm()&0o222 != 0 {
		t.Fatalf("unpacked file is writable or missing: %v %v", fi, err)
	}
	stale := filepath.Join(s.CodeDir, "0123abcd")
	leftover := filepath.Join(s.CodeDir, "unpack-123")
	for _, d := range []string{stale, leftover} {
		if err := os.MkdirAll(filepath.Join(d, "sub"), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := readOnly(d); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SweepCode(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{stale, leftover} {
		if _, err := os.Stat(d); !os.IsNotExist(err) {
			t.Errorf("%s survived the sweep: %v", d, err)
		}
	}
	if _, err := os.Stat(used); err != nil {
		t.Errorf("the sweep removed a package in use: %v", err)
	}
}
