package runtime

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"time"
)

// instance is one execution environment: a process and its Runtime API server. It serves
// one invocation at a time; the pool hands it to one caller at a time.
type instance struct {
	h         *Host
	pool      *pool
	spec      Spec
	kind      runtimeKind
	argv      []string // interpreter and bootstrap of a managed runtime
	logStream string
	idleTimer *time.Timer

	next      chan *invocation // the invocation for the runtime's next GET …/next
	ready     chan struct{}    // closed at the runtime's first GET …/next
	readyOnce sync.Once
	initErr   chan []byte   // the body of POST …/init/error
	exited    chan struct{} // closed when the process has ended (exitErr set)
	exitErr   error
	stopping  chan struct{} // closed when stop begins

	procMu  sync.Mutex // guards stopped, cmd, srv, pipe, mem
	stopped bool
	cmd     *exec.Cmd
	srv     *http.Server
	pipe    *logPipe
	mem     *memWatch
	wg      sync.WaitGroup // the server and the log reader
	stop1   sync.Once

	mu       sync.Mutex // guards cur, initDone, initLog
	cur      *invocation
	initDone bool
	initLog  tail
}

// invocation is one request travelling through an instance. The fields after done are
// guarded by instance.mu.
type invocation struct {
	req      Request
	deadline time.Time
	done     chan outcome  // the runtime's response or error (buffered)
	finished chan struct{} // closed when the runtime asks for the next invocation after answering

	claimed bool // a response or error was posted
	ended   bool // finished is closed
	log     tail // lines printed while it ran
}

type outcome struct {
	payload []byte
	isErr   bool
}

func newInstance(h *Host, p *pool, spec Spec, kind runtimeKind, argv []string) *instance {
	in := &instance{
		h:         h,
		pool:      p,
		spec:      spec,
		kind:      kind,
		argv:      argv,
		logStream: logStreamName(h.now(), spec.Version),
		next:      make(chan *invocation, 1),
		ready:     make(chan struct{}),
		initErr:   make(chan []byte, 1),
		exited:    make(chan struct{}),
		stopping:  make(chan struct{}),
	}
	in.idleTimer = time.AfterFunc(time.Hour, func() { h.reapIdle(in) })
	in.idleTimer.Stop()
	return in
}

func (in *instance) hasExited() bool {
	select {
	case <-in.exited:
		return true
	default:
		return false
	}
}

// errEntrypoint is a start failure Lambda reports as Runtime.InvalidEntrypoint.
type errEntrypoint struct{ msg string }

func (e *errEntrypoint) Error() string { return e.msg }

var errStopped = errors.New("instance stopped before it started")

// start launches the Runtime API server and the process.
func (in *instance) start() error {
	spec := &in.spec
	argv := in.argv
	if in.kind == kindProvided {
		path := filepath.Join(spec.CodeDir, "bootstrap")
		if fi, err := os.Stat(path); err != nil || fi.IsDir() {
			return &errEntrypoint{"Couldn't find valid bootstrap(s): [" + path + "]"}
		}
		argv = []string{path}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           in.routes(),
		ReadHeaderTimeout: time.Minute,
		ErrorLog:          slog.NewLogLogger(in.h.log.Handler(), slog.LevelDebug),
	}
	r, w, err := os.Pipe()
	if err != nil {
		ln.Close()
		return err
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = spec.CodeDir
	cmd.Env = in.h.environ(spec, in.kind, ln.Addr().String(), in.logStream)
	cmd.Stdout = w
	cmd.Stderr = w
	setProcAttr(cmd)

	in.procMu.Lock()
	if in.stopped {
		in.procMu.Unlock()
		ln.Close()
		r.Close()
		w.Close()
		return errStopped
	}
	err = cmd.Start()
	w.Close()
	if err != nil {
		in.procMu.Unlock()
		ln.Close()
		r.Close()
		return &errEntrypoint{err.Error()}
	}
	pipe, err := newLogPipe(r, in.emit)
	if err != nil { // cannot happen for a pipe
		in.procMu.Unlock()
		signalGroup(cmd.Process.Pid, sigKill)
		_ = cmd.Wait()
		ln.Close()
		r.Close()
		return err
	}
	in.cmd, in.srv, in.pipe, in.mem = cmd, srv, pipe, watchMemory(cmd.Process.Pid)
	in.procMu.Unlock()

	in.wg.Add(2)
	go func() {
		defer in.wg.Done()
		_ = srv.Serve(ln)
	}()
	go func() {
		defer in.wg.Done()
		pipe.readLoop()
	}()
	in.h.bg.Add(1) // the caller is counted, so the counter is not zero here
	go func() {
		defer in.h.bg.Done()
		err := cmd.Wait()
		in.exitErr = err
		close(in.exited)
		in.h.exited(in)
	}()
	in.h.log.Debug("lambda instance started", "function", spec.FunctionName, "runtime", spec.Runtime,
		"pid", cmd.Process.Pid, "runtimeApi", ln.Addr().String(), "logStream", in.logStream)
	return nil
}

// stop ends the instance: SIGTERM first when graceful, then SIGKILL to its process group;
// it waits for the process, the server and the log reader.
func (in *instance) stop(graceful bool) {
	in.stop1.Do(func() {
		in.idleTimer.Stop()
		in.procMu.Lock()
		in.stopped = true
		cmd, srv, pipe := in.cmd, in.srv, in.pipe
		in.procMu.Unlock()
		close(in.stopping)
		if cmd != nil {
			pid := cmd.Process.Pid
			if graceful && !in.hasExited() {
				signalGroup(pid, sigTerm)
				t := time.NewTimer(stopGrace)
				select {
				case <-in.exited:
				case <-t.C:
				}
				t.Stop()
			}
			signalGroup(pid, sigKill)
			<-in.exited
			signalGroup(pid, sigKill) // what the group leader left behind
		}
		if srv != nil {
			_ = srv.Close()
		}
		if pipe != nil {
			pipe.close()
		}
		in.wg.Wait()
		in.procMu.Lock()
		in.mem.close()
		in.mem = nil
		in.procMu.Unlock()
	})
}

// emit records one line the process printed: in the current invocation's log (or the init
// log before the first one) and in the host's log.
func (in *instance) emit(line string) {
	var id string
	in.mu.Lock()
	if inv := in.cur; inv != nil {
		inv.log.add(line)
		id = inv.req.RequestID
	} else if !in.initDone {
		in.initLog.add(line)
	}
	in.mu.Unlock()
	in.h.log.Info(line, "function", in.spec.FunctionName, "requestId", id)
}

// drain attributes what the process has printed so far.
func (in *instance) drain() {
	in.procMu.Lock()
	p := in.pipe
	in.procMu.Unlock()
	if p != nil {
		p.drain()
	}
}

// peakMemoryKB is the process's peak resident memory so far.
func (in *instance) peakMemoryKB() int64 {
	in.procMu.Lock()
	defer in.procMu.Unlock()
	switch {
	case in.cmd == nil:
		return 0
	case in.hasExited():
		return exitedPeakKB(in.cmd.ProcessState)
	}
	return in.mem.peakKB()
}

// run performs one invocation with the given timeout, cold-starting the instance first if
// needed, and hands the instance back to the host.
func (in *instance) run(req Request, timeout time.Duration) Result {
	in.mu.Lock()
	cold := !in.initDone
	in.mu.Unlock()
	var initDur time.Duration
	if cold {
		var res Result
		var ok bool
		if initDur, res, ok = in.initialize(req); !ok {
			in.h.release(in, false)
			return res
		}
	}
	res, healthy := in.invoke(req, timeout, initDur)
	in.h.release(in, healthy)
	return res
}

// initialize starts the process and waits for its first GET …/next. When that fails, it
// returns the failed invocation's Result.
func (in *instance) initialize(req Request) (time.Duration, Result, bool) {
	start := time.Now()
	fail := func(payload []byte, status string) (time.Duration, Result, bool) {
		in.stop(false)
		d := time.Since(start)
		errType := ""
		if status == "error" {
			errType = errorTypeOf(payload)
		}
		in.mu.Lock()
		var b bytes.Buffer
		b.Write(in.initLog.bytes())
		in.mu.Unlock()
		b.WriteString(initReport(d, status, errType) + "\n")
		in.writeStart(&b, req.RequestID)
		b.WriteString("END RequestId: " + req.RequestID + "\n")
		rep := report{requestID: req.RequestID, duration: d, memoryMB: in.spec.MemoryMB,
			maxMemoryKB: in.peakMemoryKB(), status: status, errorType: errType}
		b.WriteString(rep.String() + "\n")
		in.h.log.Warn("lambda init failed", "function", in.spec.FunctionName, "requestId", req.RequestID,
			"errorType", errType, "error", string(payload))
		return d, Result{Payload: payload, Error: true, Log: lastBytes(b.Bytes(), logTailSize), Duration: d, InitDuration: d}, false
	}
	if err := in.start(); err != nil {
		var ee *errEntrypoint
		switch {
		case errors.As(err, &ee):
			return fail(requestError(errTypeInvalidEntrypoint, req.RequestID, ee.msg), "error")
		case errors.Is(err, errStopped):
			return fail(requestError(errTypeExit, req.RequestID, "Runtime exited with error: signal: killed"), "error")
		default:
			return fail(requestError(errTypeUnknown, req.RequestID, err.Error()), "error")
		}
	}
	timer := time.NewTimer(in.h.opts.InitTimeout)
	defer timer.Stop()
	select {
	case <-in.ready:
		d := time.Since(start)
		in.drain() // what init printed belongs to the init log
		in.mu.Lock()
		in.initDone = true
		in.mu.Unlock()
		return d, Result{}, true
	case body := <-in.initErr:
		return fail(body, "error")
	case <-in.exited:
		select {
		case body := <-in.initErr:
			return fail(body, "error")
		default:
			return fail(in.exitPayload(req.RequestID), "error")
		}
	case <-timer.C:
		return fail(requestError(errTypeTimedOut, req.RequestID,
			"Task timed out after "+formatSeconds(in.h.opts.InitTimeout)+" seconds"), "timeout")
	}
}

// exitPayload is Lambda's error for a runtime that exited.
func (in *instance) exitPayload(requestID string) []byte {
	if in.exitErr == nil {
		return requestError(errTypeExit, requestID, "Runtime exited without providing a reason")
	}
	return requestError(errTypeExit, requestID, "Runtime exited with error: "+in.exitErr.Error())
}

func (in *instance) writeStart(b *bytes.Buffer, requestID string) {
	b.WriteString("START RequestId: " + requestID + " Version: " + in.spec.Version + "\n")
}

// invoke hands an invocation to the initialised runtime and waits for its outcome, the
// timeout or the end of the process. healthy is false when the instance must be discarded.
func (in *instance) invoke(req Request, timeout, initDur time.Duration) (res Result, healthy bool) {
	spec := &in.spec
	// The deadline is wall-clock time the function's process compares with its own clock.
	inv := &invocation{req: req, deadline: time.Now().Add(timeout),
		done: make(chan outcome, 1), finished: make(chan struct{})}
	start := time.Now()
	in.next <- inv // taken, and made current, by the runtime's GET …/next
	timer := time.NewTimer(timeout)
	var (
		o        outcome
		duration time.Duration
		status   string
		extra    []string
	)
	healthy = true
	select {
	case o = <-inv.done:
		// As on Lambda, the Invoke phase ends when the runtime asks for the next
		// invocation; what it prints until then belongs to this one. A runtime that exits
		// instead, or keeps working past the timeout, is discarded.
		select {
		case <-inv.finished:
		case <-in.exited:
			healthy = false
		case <-timer.C:
			healthy = false
		}
		duration = time.Since(start)
		if !healthy {
			in.stop(false)
		}
	case <-timer.C:
		duration = timeout
		healthy, status = false, "timeout"
		o = outcome{timeoutError(req.RequestID, timeout), true}
		in.stop(false)
	case <-in.exited:
		duration = time.Since(start)
		healthy = false
		select {
		case o = <-inv.done: // it answered, then exited
		default:
			status = "error"
			o = outcome{in.exitPayload(req.RequestID), true}
			var pe platformError
			_ = json.Unmarshal(o.payload, &pe)
			extra = []string{pe.ErrorMessage, pe.ErrorType}
		}
		in.stop(false)
	}
	timer.Stop()
	in.drain()
	mem := in.peakMemoryKB()
	in.mu.Lock()
	in.cur = nil
	body := inv.log.bytes()
	var b bytes.Buffer
	if initDur > 0 {
		b.Write(in.initLog.bytes())
		in.initLog = tail{}
	}
	in.mu.Unlock()
	in.writeStart(&b, req.RequestID)
	b.Write(body)
	for _, l := range extra {
		b.WriteString(l + "\n")
	}
	b.WriteString("END RequestId: " + req.RequestID + "\n")
	rep := report{requestID: req.RequestID, duration: duration, initDuration: initDur, memoryMB: spec.MemoryMB,
		maxMemoryKB: mem, status: status}
	if status == "error" {
		rep.errorType = errorTypeOf(o.payload)
	}
	line := rep.String()
	b.WriteString(line + "\n")
	in.h.log.Debug(line, "function", spec.FunctionName, "requestId", req.RequestID)
	return Result{
		Payload:      o.payload,
		Error:        o.isErr,
		Log:          lastBytes(b.Bytes(), logTailSize),
		Duration:     duration,
		InitDuration: initDur,
	}, healthy
}
