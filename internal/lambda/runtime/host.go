package runtime

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Defaults of Options and Spec.
const (
	// DefaultIdleTimeout is how long an idle instance is kept warm.
	DefaultIdleTimeout = 10 * time.Minute
	// DefaultInitTimeout is Lambda's limit on the Init phase of an on-demand instance.
	DefaultInitTimeout = 10 * time.Second
	// DefaultMaxInstances bounds the instances of one spec when Spec.MaxInstances is 0.
	DefaultMaxInstances = 4
	// DefaultTimeout and DefaultMemoryMB are Lambda's defaults for a function.
	DefaultTimeout  = 3 * time.Second
	DefaultMemoryMB = 128
	// stopGrace is how long an instance that is being retired or reaped may take to exit
	// after SIGTERM before it is killed.
	stopGrace = 500 * time.Millisecond
)

// Options configure a Host.
type Options struct {
	// Log receives the functions' output, one record per line, tagged with the function
	// name and request id, and the host's own events. Nil discards.
	Log *slog.Logger
	// Now dates log stream names and generated trace ids; nil is time.Now. Deadlines use
	// the system clock, which is what the function's process compares them with.
	Now func() time.Time
	// Node and Python are the interpreters for nodejs* and python3.* functions; empty looks
	// up "node" and "python3" on the host's PATH when a function first needs one. A version
	// manager's shim (pyenv, nvm, asdf) is resolved once to the interpreter it starts.
	Node, Python string
	// ExtraEnv is added to every instance's environment (for example AWS_ENDPOINT_URL and
	// the credentials functions should use). A function's own variables override it, except
	// for names Lambda reserves (IsReservedEnvKey), such as the AWS credentials.
	ExtraEnv map[string]string
	// IdleTimeout stops instances that have been idle this long (default 10 minutes).
	IdleTimeout time.Duration
	// InitTimeout bounds the time from starting an instance to its first request for an
	// invocation (default 10 seconds, Lambda's Init limit).
	InitTimeout time.Duration
}

// Host runs functions in local processes. It is safe for concurrent use.
type Host struct {
	opts Options
	log  *slog.Logger
	now  func() time.Time

	mu     sync.Mutex
	pools  map[string]*pool
	all    map[*instance]struct{}
	closed bool
	// bg counts the host's goroutines that outlive a call: invocations still running for a
	// caller that gave up, process waiters, asynchronous stops. Close waits for them.
	bg sync.WaitGroup

	rtOnce sync.Once
	rtDir  string
	rtErr  error

	binMu sync.Mutex
	bins  map[string]string // interpreters found, by name
}

// pool holds the instances of one Spec.Key.
type pool struct {
	key     string
	idle    []*instance // most recently used last
	count   int         // instances alive or starting, busy or idle
	changed chan struct{}
	retired bool
}

// notify wakes callers waiting for an instance of p. h.mu is held.
func (p *pool) notify() {
	close(p.changed)
	p.changed = make(chan struct{})
}

// New returns a Host. It starts nothing until the first invocation.
func New(opts Options) *Host {
	if opts.IdleTimeout <= 0 {
		opts.IdleTimeout = DefaultIdleTimeout
	}
	if opts.InitTimeout <= 0 {
		opts.InitTimeout = DefaultInitTimeout
	}
	h := &Host{
		opts:  opts,
		log:   opts.Log,
		now:   opts.Now,
		pools: map[string]*pool{},
		all:   map[*instance]struct{}{},
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.now == nil {
		h.now = time.Now
	}
	return h
}

// normalize fills a spec's defaults and checks what the host needs.
func normalize(spec Spec) (Spec, runtimeKind, error) {
	kind, err := kindOf(spec.Runtime)
	if err != nil {
		return spec, 0, err
	}
	if spec.FunctionName == "" {
		return spec, 0, errors.New("runtime: spec has no function name")
	}
	if spec.CodeDir == "" {
		return spec, 0, errors.New("runtime: spec has no code directory")
	}
	if abs, err := filepath.Abs(spec.CodeDir); err == nil {
		spec.CodeDir = abs
	}
	if spec.Timeout <= 0 {
		spec.Timeout = DefaultTimeout
	}
	if spec.MemoryMB <= 0 {
		spec.MemoryMB = DefaultMemoryMB
	}
	if spec.Version == "" {
		spec.Version = "$LATEST"
	}
	if spec.Region == "" {
		spec.Region = "us-east-1"
	}
	if spec.AccountID == "" {
		spec.AccountID = "000000000000"
	}
	if spec.FunctionARN == "" {
		spec.FunctionARN = fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", spec.Region, spec.AccountID, spec.FunctionName)
	}
	if spec.MaxInstances <= 0 && !spec.Reserved {
		spec.MaxInstances = DefaultMaxInstances
	}
	if spec.Key == "" {
		spec.Key = spec.FunctionARN + ":" + spec.Version + ":" + spec.Runtime + ":" + spec.CodeDir
	}
	return spec, kind, nil
}

// Invoke runs one invocation on a warm instance of spec, or on a new one. A function that
// runs and fails (error posted, timeout, crash, failed init) is not an error: the Result
// has Error set and Lambda's error JSON as Payload. Invoke returns an error when the
// function could not be run at all: ErrThrottled, ErrUnsupportedRuntime, ErrClosed, the
// interpreter is missing, or ctx ended while waiting for an instance or for the result (the
// invocation itself then still runs to completion, as on Lambda).
func (h *Host) Invoke(ctx context.Context, spec Spec, req Request) (Result, error) {
	if !supported {
		return Result{}, errors.New("runtime: running functions needs a Unix-like system")
	}
	spec, kind, err := normalize(spec)
	if err != nil {
		return Result{}, err
	}
	if spec.Reserved && spec.MaxInstances <= 0 {
		return Result{}, ErrThrottled
	}
	if req.RequestID == "" {
		req.RequestID = newRequestID()
	}
	if len(req.Payload) == 0 {
		req.Payload = []byte("{}") // as Invoke without a payload
	}
	if req.TraceID == "" {
		req.TraceID = newTraceID(h.now())
	}
	if req.InvokedFunctionARN == "" {
		req.InvokedFunctionARN = spec.FunctionARN
		if spec.Version != "$LATEST" {
			req.InvokedFunctionARN += ":" + spec.Version
		}
	}
	if _, err := h.runtimeDir(); err != nil {
		return Result{}, err
	}
	var argv []string
	if kind != kindProvided {
		if argv, err = h.interpreter(kind); err != nil {
			return Result{}, err
		}
	}
	in, err := h.acquire(ctx, &spec, kind, argv)
	if err != nil {
		return Result{}, err
	}
	done := make(chan Result, 1)
	go func() { // counted in h.bg by acquire
		defer h.bg.Done()
		done <- in.run(req, spec.Timeout)
	}()
	select {
	case res := <-done:
		return res, nil
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
}

// interpreter returns the command that starts a managed runtime's bootstrap.
func (h *Host) interpreter(kind runtimeKind) ([]string, error) {
	dir, err := h.runtimeDir()
	if err != nil {
		return nil, err
	}
	switch kind {
	case kindNode:
		bin, err := h.lookBinary(h.opts.Node, "node", "-p", "process.execPath")
		if err != nil {
			return nil, err
		}
		return []string{bin, filepath.Join(dir, "node", "bootstrap.mjs")}, nil
	default:
		bin, err := h.lookBinary(h.opts.Python, "python3", "-c", "import sys; print(sys.executable)")
		if err != nil {
			return nil, err
		}
		// -B: no __pycache__ in the code directory, which is read-only on Lambda.
		return []string{bin, "-B", filepath.Join(dir, "python", "bootstrap.py")}, nil
	}
}

// lookBinary finds an interpreter once. What PATH finds may be a version manager's shim
// (pyenv, nvm, asdf: a script that starts the real interpreter), so the interpreter is asked
// for its own executable, sparing every instance start the shim's work.
func (h *Host) lookBinary(configured, name string, probe ...string) (string, error) {
	h.binMu.Lock()
	defer h.binMu.Unlock()
	key := name
	if p, ok := h.bins[key]; ok {
		return p, nil
	}
	if configured != "" {
		name = configured
	}
	p, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("runtime: interpreter: %w", err)
	}
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	// The probe sees only PATH and HOME (a version manager's shim needs them), never
	// Gatehouse's own environment, which holds secrets.
	cmd := exec.Command(p, probe...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	if out, err := cmd.Output(); err == nil {
		if real := strings.TrimSpace(string(out)); filepath.IsAbs(real) {
			if fi, err := os.Stat(real); err == nil && fi.Mode().IsRegular() {
				p = real
			}
		}
	}
	if h.bins == nil {
		h.bins = map[string]string{}
	}
	h.bins[key] = p
	return p, nil
}

// acquire returns an instance reserved for one invocation: an idle one, or a new one (not
// started yet) when fewer than MaxInstances exist; otherwise it waits, or refuses with
// ErrThrottled when the concurrency is reserved. On success h.bg has been incremented for
// the goroutine that will run the invocation.
func (h *Host) acquire(ctx context.Context, spec *Spec, kind runtimeKind, argv []string) (*instance, error) {
	for {
		h.mu.Lock()
		if h.closed {
			h.mu.Unlock()
			return nil, ErrClosed
		}
		p := h.pools[spec.Key]
		if p == nil {
			p = &pool{key: spec.Key, changed: make(chan struct{})}
			h.pools[spec.Key] = p
		}
		for len(p.idle) > 0 {
			in := p.idle[len(p.idle)-1]
			p.idle = p.idle[:len(p.idle)-1]
			in.idleTimer.Stop()
			if in.hasExited() { // died while idle; its waiter is removing it
				continue
			}
			h.bg.Add(1)
			h.mu.Unlock()
			return in, nil
		}
		if p.count < spec.MaxInstances {
			p.count++
			in := newInstance(h, p, *spec, kind, argv)
			h.all[in] = struct{}{}
			h.bg.Add(1)
			h.mu.Unlock()
			return in, nil
		}
		if spec.Reserved {
			h.mu.Unlock()
			return nil, ErrThrottled
		}
		changed := p.changed
		h.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// release returns an instance after an invocation: to the idle list when it is healthy and
// still wanted, else it is stopped.
func (h *Host) release(in *instance, healthy bool) {
	h.mu.Lock()
	p := in.pool
	if healthy && !p.retired && !h.closed && !in.hasExited() {
		p.idle = append(p.idle, in)
		in.idleTimer.Reset(h.opts.IdleTimeout)
		p.notify()
		h.mu.Unlock()
		return
	}
	h.forgetLocked(in)
	h.mu.Unlock()
	in.stop(healthy)
}

// forgetLocked removes an instance from the host's books. h.mu is held.
func (h *Host) forgetLocked(in *instance) {
	if _, ok := h.all[in]; !ok {
		return
	}
	delete(h.all, in)
	p := in.pool
	if i := indexOf(p.idle, in); i >= 0 {
		p.idle = append(p.idle[:i], p.idle[i+1:]...)
	}
	p.count--
	p.notify()
	if p.count == 0 && h.pools[p.key] == p {
		delete(h.pools, p.key)
	}
}

func indexOf(s []*instance, in *instance) int {
	for i, x := range s {
		if x == in {
			return i
		}
	}
	return -1
}

// reapIdle stops an instance whose idle timer fired, unless it was taken meanwhile.
func (h *Host) reapIdle(in *instance) {
	h.mu.Lock()
	if indexOf(in.pool.idle, in) < 0 || h.closed {
		h.mu.Unlock()
		return
	}
	h.forgetLocked(in)
	h.bg.Add(1)
	h.mu.Unlock()
	defer h.bg.Done()
	h.log.Debug("lambda instance idle, stopping", "function", in.spec.FunctionName, "logStream", in.logStream)
	in.stop(true)
}

// exited is called by an instance's waiter when its process ends. An idle instance is
// dropped at once; a busy one is dropped by its invocation.
func (h *Host) exited(in *instance) {
	h.mu.Lock()
	idle := indexOf(in.pool.idle, in) >= 0
	if idle {
		h.forgetLocked(in)
	}
	h.mu.Unlock()
	if idle {
		h.log.Warn("lambda instance exited while idle", "function", in.spec.FunctionName, "logStream", in.logStream, "err", in.exitErr)
		in.stop(false)
	}
}

// Retire stops the instances whose Spec.Key starts with keyPrefix: idle ones now, busy ones
// when their invocation finishes. Later invocations start new instances. The Lambda API
// calls it when a function's code or configuration changes or the function is deleted.
func (h *Host) Retire(keyPrefix string) {
	var stop []*instance
	h.mu.Lock()
	for key, p := range h.pools {
		if !strings.HasPrefix(key, keyPrefix) {
			continue
		}
		p.retired = true
		delete(h.pools, key)
		idle := append([]*instance(nil), p.idle...)
		for _, in := range idle {
			in.idleTimer.Stop()
			h.forgetLocked(in)
		}
		stop = append(stop, idle...)
		p.notify()
	}
	if len(stop) > 0 {
		h.bg.Add(1)
	}
	h.mu.Unlock()
	if len(stop) == 0 {
		return
	}
	go func() {
		defer h.bg.Done()
		var wg sync.WaitGroup
		for _, in := range stop {
			wg.Go(func() { in.stop(true) })
		}
		wg.Wait()
	}()
}

// Close kills every instance, waits for them and for the host's goroutines, and removes
// the host's temporary files. Invocations in flight end with Runtime.ExitError; later calls
// to Invoke return ErrClosed.
func (h *Host) Close() error {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		h.bg.Wait()
		return nil
	}
	h.closed = true
	all := make([]*instance, 0, len(h.all))
	for in := range h.all {
		in.idleTimer.Stop()
		all = append(all, in)
	}
	h.mu.Unlock()
	var wg sync.WaitGroup
	for _, in := range all {
		wg.Go(func() { in.stop(false) })
	}
	wg.Wait()
	h.bg.Wait()
	if dir := h.runtimeDirPath(); dir != "" {
		return os.RemoveAll(dir)
	}
	return nil
}

// Instances reports how many instances of a spec key exist (busy or idle) and how many of
// them are idle.
func (h *Host) Instances(key string) (total, idle int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if p := h.pools[key]; p != nil {
		return p.count, len(p.idle)
	}
	return 0, 0
}

// newRequestID returns a random (version 4) UUID.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	s := hex.EncodeToString(b[:])
	return s[0:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:32]
}

// newTraceID returns an X-Ray trace header for an invocation that came without one.
func newTraceID(now time.Time) string {
	var b [20]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return fmt.Sprintf("Root=1-%08x-%s;Parent=%s;Sampled=0", now.Unix(), h[:24], h[24:40])
}
