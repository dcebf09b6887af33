//go:build unix

package runtime

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	goruntime "runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

type goEcho struct {
	Event   json.RawMessage   `json:"event"`
	Env     map[string]string `json:"env"`
	PID     int               `json:"pid"`
	Context struct {
		RequestID   string          `json:"requestId"`
		FunctionArn string          `json:"functionArn"`
		DeadlineMs  int64           `json:"deadlineMs"`
		Identity    json.RawMessage `json:"identity"`
		Client      json.RawMessage `json:"client"`
	} `json:"context"`
}

var (
	reReport    = regexp.MustCompile(`(?m)^REPORT RequestId: (\S+)\tDuration: \d+\.\d\d ms\tBilled Duration: (\d+) ms\tMemory Size: (\d+) MB\tMax Memory Used: (\d+) MB(\tInit Duration: \d+\.\d\d ms)?(\tStatus: \S+(\tError Type: \S+)?)?\n\z`)
	reLogStream = regexp.MustCompile(`^\d{4}/\d\d/\d\d/\[\$LATEST\][0-9a-f]{32}$`)
)

func TestGoFunctionEnvironmentAndContext(t *testing.T) {
	t.Setenv("GATEHOUSE_SECRET_FOR_TEST", "must not leak")
	h := newHost(t, Options{ExtraEnv: map[string]string{
		"AWS_ENDPOINT_URL": "http://127.0.0.1:4566", "AWS_ACCESS_KEY_ID": "gatehouse", "SHARED": "extra",
	}})
	spec := goSpec(t, "echo")
	spec.Environment = map[string]string{
		"SHARED": "function", "OWN": "1", "AWS_ACCESS_KEY_ID": "hijack", "TZ": "Europe/Paris", "AWS_REGION": "xx",
	}
	req := Request{
		RequestID:       "11111111-2222-3333-4444-555555555555",
		Payload:         []byte(`{"action":"echo","n":1}`),
		CognitoIdentity: `{"cognitoIdentityId":"id-1","cognitoIdentityPoolId":"pool-1"}`,
		ClientContext:   base64.StdEncoding.EncodeToString([]byte(`{"custom":{"k":"v"},"env":{"e":"1"},"client":{"installation_id":"inst"}}`)),
		TraceID:         "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
	}
	before := time.Now()
	res := invokeReq(t, h, spec, req)
	out := decode[goEcho](t, res)

	if string(out.Event) != `{"action":"echo","n":1}` {
		t.Errorf("event = %s", out.Event)
	}
	want := map[string]string{
		"AWS_LAMBDA_FUNCTION_NAME":        "echo",
		"AWS_LAMBDA_FUNCTION_VERSION":     "$LATEST",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
		"AWS_LAMBDA_LOG_GROUP_NAME":       "/aws/lambda/echo",
		"AWS_LAMBDA_INITIALIZATION_TYPE":  "on-demand",
		"AWS_REGION":                      "eu-west-1",
		"AWS_DEFAULT_REGION":              "eu-west-1",
		"LAMBDA_TASK_ROOT":                spec.CodeDir,
		"_HANDLER":                        "bootstrap",
		"TZ":                              ":UTC",
		"LANG":                            "en_US.UTF-8",
		"PATH":                            os.Getenv("PATH"),
		"AWS_ENDPOINT_URL":                "http://127.0.0.1:4566",
		"AWS_ACCESS_KEY_ID":               "gatehouse",
		"SHARED":                          "function",
		"OWN":                             "1",
		"_X_AMZN_TRACE_ID":                req.TraceID, // set by aws-lambda-go from Lambda-Runtime-Trace-Id
	}
	for k, v := range want {
		if out.Env[k] != v {
			t.Errorf("%s = %q, want %q", k, out.Env[k], v)
		}
	}
	if !reLogStream.MatchString(out.Env["AWS_LAMBDA_LOG_STREAM_NAME"]) {
		t.Errorf("AWS_LAMBDA_LOG_STREAM_NAME = %q", out.Env["AWS_LAMBDA_LOG_STREAM_NAME"])
	}
	if !regexp.MustCompile(`^127\.0\.0\.1:\d+$`).MatchString(out.Env["AWS_LAMBDA_RUNTIME_API"]) {
		t.Errorf("AWS_LAMBDA_RUNTIME_API = %q", out.Env["AWS_LAMBDA_RUNTIME_API"])
	}
	if fi, err := os.Stat(out.Env["LAMBDA_RUNTIME_DIR"]); err != nil || !fi.IsDir() {
		t.Errorf("LAMBDA_RUNTIME_DIR = %q: %v", out.Env["LAMBDA_RUNTIME_DIR"], err)
	}
	// Nothing else: the Gatehouse process's environment stays out.
	var extra []string
	for k := range out.Env {
		if _, ok := want[k]; !ok && k != "AWS_LAMBDA_LOG_STREAM_NAME" && k != "AWS_LAMBDA_RUNTIME_API" && k != "LAMBDA_RUNTIME_DIR" {
			extra = append(extra, k)
		}
	}
	if len(extra) > 0 {
		t.Errorf("unexpected variables in the function's environment: %v", extra)
	}

	if out.Context.RequestID != req.RequestID {
		t.Errorf("request id = %q", out.Context.RequestID)
	}
	if want := "arn:aws:lambda:eu-west-1:123456789012:function:echo"; out.Context.FunctionArn != want {
		t.Errorf("invoked function ARN = %q, want %q", out.Context.FunctionArn, want)
	}
	if d := time.UnixMilli(out.Context.DeadlineMs).Sub(before); d < spec.Timeout-2*time.Second || d > spec.Timeout+2*time.Second {
		t.Errorf("deadline is %v after the call, want about %v", d, spec.Timeout)
	}
	if !strings.Contains(string(out.Context.Identity), `"id-1"`) || !strings.Contains(string(out.Context.Identity), `"pool-1"`) {
		t.Errorf("identity = %s", out.Context.Identity)
	}
	if !strings.Contains(string(out.Context.Client), `"custom":{"k":"v"}`) {
		t.Errorf("client context = %s", out.Context.Client)
	}

	// The cold start's log: what init printed, START, END, REPORT with Init Duration.
	log := string(res.Log)
	if res.InitDuration <= 0 {
		t.Errorf("InitDuration = %v on a cold start", res.InitDuration)
	}
	wantStart := "init: cold start\nSTART RequestId: " + req.RequestID + " Version: $LATEST\nEND RequestId: " + req.RequestID + "\nREPORT RequestId: " + req.RequestID + "\t"
	if !strings.HasPrefix(log, wantStart) {
		t.Errorf("log =\n%s\nwant prefix\n%s", log, wantStart)
	}
	m := reReport.FindStringSubmatch(log)
	if m == nil || m[5] == "" || m[6] != "" {
		t.Fatalf("REPORT line with Init Duration not found in\n%s", log)
	}
	if m[3] != "256" || m[4] == "0" {
		t.Errorf("REPORT memory: size %s, used %s", m[3], m[4])
	}

	// Warm: the same process, no init.
	res2 := invoke(t, h, spec, `{"action":"echo"}`)
	out2 := decode[goEcho](t, res2)
	if out2.PID != out.PID {
		t.Errorf("second invocation ran in process %d, first in %d: not reused", out2.PID, out.PID)
	}
	if res2.InitDuration != 0 || strings.Contains(string(res2.Log), "Init Duration") || strings.Contains(string(res2.Log), "cold start") {
		t.Errorf("warm invocation: InitDuration %v, log\n%s", res2.InitDuration, res2.Log)
	}
	if out2.Context.RequestID == "" || out2.Context.RequestID == req.RequestID {
		t.Errorf("generated request id = %q", out2.Context.RequestID)
	}
}

func TestGoFunctionLogs(t *testing.T) {
	logs := &captureHandler{}
	h := newHost(t, Options{Log: slog.New(logs)})
	spec := goSpec(t, "printer")
	res := invokeReq(t, h, spec, Request{RequestID: "req-print", Payload: []byte(`{"action":"print","lines":["first line","second line"]}`)})
	if res.Error {
		t.Fatalf("%s", res.Payload)
	}
	log := string(res.Log)
	if !strings.Contains(log, "START RequestId: req-print Version: $LATEST\nfirst line\nsecond line\nEND RequestId: req-print\n") {
		t.Errorf("log:\n%s", log)
	}
	r := logs.find("second line")
	if r == nil || r["function"] != "printer" || r["requestId"] != "req-print" {
		t.Errorf("host log record for a line = %v", r)
	}
	if r := logs.find("init: cold start"); r == nil || r["requestId"] != "" {
		t.Errorf("host log record for the init line = %v", r)
	}

	// Result.Log is the last 4 KB, ending with REPORT.
	lines := make([]string, 300)
	for i := range lines {
		lines[i] = fmt.Sprintf("line %03d %s", i, strings.Repeat("-", 40))
	}
	payload, _ := json.Marshal(map[string]any{"action": "print", "lines": lines})
	res = invoke(t, h, spec, string(payload))
	if len(res.Log) != logTailSize {
		t.Errorf("log is %d bytes, want %d", len(res.Log), logTailSize)
	}
	if !strings.Contains(string(res.Log), lines[299]+"\nEND RequestId: ") || strings.Contains(string(res.Log), "START") {
		t.Errorf("tail:\n%s", res.Log)
	}
	if !reReport.Match(res.Log) {
		t.Errorf("tail does not end with REPORT:\n%s", res.Log)
	}
}

func TestGoFunctionError(t *testing.T) {
	h := newHost(t, Options{})
	spec := goSpec(t, "failing")
	res := invoke(t, h, spec, `{"action":"error"}`)
	if typ, msg := errorOf(t, res); typ != "errorString" || msg != "something went wrong" {
		t.Errorf("error = %s %q", typ, msg)
	}
	// A handled error leaves the instance warm.
	if res2 := invoke(t, h, spec, `{}`); res2.Error || res2.InitDuration != 0 {
		t.Errorf("after a handled error: error %v, init %v", res2.Error, res2.InitDuration)
	}
}

func TestTimeoutKillsInstance(t *testing.T) {
	h := newHost(t, Options{})
	spec := goSpec(t, "slow")
	spec.Timeout = time.Second
	first := decode[goEcho](t, invoke(t, h, spec, `{}`))

	res := invokeReq(t, h, spec, Request{RequestID: "req-slow", Payload: []byte(`{"action":"sleep","ms":60000}`)})
	typ, msg := errorOf(t, res)
	if typ != "Sandbox.Timedout" || msg != "RequestId: req-slow Error: Task timed out after 1.00 seconds" {
		t.Errorf("timeout error = %s %q", typ, msg)
	}
	if res.Duration != spec.Timeout {
		t.Errorf("Duration = %v, want the timeout", res.Duration)
	}
	if !strings.Contains(string(res.Log), "\tDuration: 1000.00 ms\t") || !strings.HasSuffix(string(res.Log), "\tStatus: timeout\n") {
		t.Errorf("log:\n%s", res.Log)
	}
	waitDead(t, first.PID)

	next := decode[goEcho](t, invoke(t, h, spec, `{}`))
	if next.PID == first.PID {
		t.Error("the timed-out instance was reused")
	}
}

func TestCrashMidInvocation(t *testing.T) {
	h := newHost(t, Options{})
	spec := goSpec(t, "crashing")
	first := decode[goEcho](t, invoke(t, h, spec, `{}`))
	res := invokeReq(t, h, spec, Request{RequestID: "req-crash", Payload: []byte(`{"action":"exit"}`)})
	typ, msg := errorOf(t, res)
	if typ != "Runtime.ExitError" || msg != "RequestId: req-crash Error: Runtime exited with error: exit status 1" {
		t.Errorf("error = %s %q", typ, msg)
	}
	log := string(res.Log)
	if !strings.Contains(log, "exiting\nRequestId: req-crash Error: Runtime exited with error: exit status 1\nRuntime.ExitError\nEND RequestId: req-crash\n") ||
		!strings.HasSuffix(log, "\tStatus: error\tError Type: Runtime.ExitError\n") {
		t.Errorf("log:\n%s", log)
	}
	waitDead(t, first.PID)
	next := invoke(t, h, spec, `{}`)
	if next.Error || next.InitDuration == 0 {
		t.Errorf("after a crash: error %v (%s), init %v", next.Error, next.Payload, next.InitDuration)
	}

	// A panic is reported by aws-lambda-go, which then exits: the next call starts afresh.
	res = invoke(t, h, spec, `{"action":"panic"}`)
	if typ, msg := errorOf(t, res); msg != "boom" {
		t.Errorf("panic error = %s %q", typ, msg)
	}
	if next := invoke(t, h, spec, `{}`); next.Error {
		t.Errorf("after a panic: %s", next.Payload)
	}
}

func TestMissingOrBadBootstrap(t *testing.T) {
	h := newHost(t, Options{})
	empty := t.TempDir()
	spec := Spec{FunctionName: "nobootstrap", Runtime: "provided.al2023", Handler: "x", CodeDir: empty}
	res := invokeReq(t, h, spec, Request{RequestID: "req-1"})
	typ, msg := errorOf(t, res)
	if want := "RequestId: req-1 Error: Couldn't find valid bootstrap(s): [" + filepath.Join(empty, "bootstrap") + "]"; typ != "Runtime.InvalidEntrypoint" || msg != want {
		t.Errorf("error = %s %q, want %q", typ, msg, want)
	}
	if !strings.Contains(string(res.Log), "INIT_REPORT Init Duration: ") || !strings.Contains(string(res.Log), "\tStatus: error\tError Type: Runtime.InvalidEntrypoint\n") {
		t.Errorf("log:\n%s", res.Log)
	}

	notExec := writeFiles(t, map[string]string{"bootstrap": "#!/bin/sh\necho hi\n"})
	spec = Spec{FunctionName: "noexec", Runtime: "provided.al2", Handler: "x", CodeDir: notExec}
	typ, msg = errorOf(t, invokeReq(t, h, spec, Request{RequestID: "req-2"}))
	if want := "RequestId: req-2 Error: fork/exec " + filepath.Join(notExec, "bootstrap") + ": permission denied"; typ != "Runtime.InvalidEntrypoint" || msg != want {
		t.Errorf("error = %s %q, want %q", typ, msg, want)
	}
	if total, _ := h.Instances(spec.Key); total != 0 {
		t.Errorf("%d instances left after failed starts", total)
	}
}

func TestInitFailures(t *testing.T) {
	h := newHost(t, Options{InitTimeout: 1500 * time.Millisecond})
	h2 := newHost(t, Options{})

	res := invokeReq(t, h2, helperSpec(t, "initerror", "initerror"), Request{RequestID: "req-init"})
	if string(res.Payload) != `{"errorType":"Custom.ConfigError","errorMessage":"bad configuration"}` || !res.Error {
		t.Errorf("init error payload = %s", res.Payload)
	}
	if !strings.HasPrefix(string(res.Log), "helper: bad configuration\nINIT_REPORT Init Duration: ") ||
		!strings.Contains(string(res.Log), "\tPhase: init\tStatus: error\tError Type: Custom.ConfigError\nSTART RequestId: req-init") {
		t.Errorf("log:\n%s", res.Log)
	}

	// A process that never asks for an invocation is killed after InitTimeout, with its
	// process group.
	dir := writeFiles(t, nil)
	script := "#!/bin/sh\necho started\nsleep 60 &\necho $! > " + filepath.Join(dir, "child.pid") + "\nwait\n"
	if err := os.WriteFile(filepath.Join(dir, "bootstrap"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	res = invokeReq(t, h, Spec{FunctionName: "hang", Runtime: "provided.al2023", Handler: "x", CodeDir: dir}, Request{RequestID: "req-hang"})
	typ, msg := errorOf(t, res)
	if typ != "Sandbox.Timedout" || msg != "RequestId: req-hang Error: Task timed out after 1.50 seconds" {
		t.Errorf("init timeout = %s %q", typ, msg)
	}
	if !strings.HasPrefix(string(res.Log), "started\nINIT_REPORT Init Duration: ") || !strings.Contains(string(res.Log), "\tStatus: timeout\n") {
		t.Errorf("log:\n%s", res.Log)
	}
	b, err := os.ReadFile(filepath.Join(dir, "child.pid"))
	if err != nil {
		t.Fatal(err)
	}
	var child int
	fmt.Sscan(string(b), &child)
	waitDead(t, child)

	typ, msg = errorOf(t, invokeReq(t, h2, helperSpec(t, "exit0", "exit0"), Request{RequestID: "req-exit"}))
	if typ != "Runtime.ExitError" || msg != "RequestId: req-exit Error: Runtime exited without providing a reason" {
		t.Errorf("exit during init = %s %q", typ, msg)
	}
}

func TestRuntimeAPIRefusals(t *testing.T) {
	h := newHost(t, Options{})
	spec := helperSpec(t, "probe", "protocol")
	type probe struct {
		Probes, Previous []string
		Headers          map[string]string
	}
	first := decode[probe](t, invokeReq(t, h, spec, Request{
		RequestID: "req-a", Payload: []byte(`{"action":"probe"}`), TraceID: "Root=1-x",
		ClientContext: `{"custom":{"a":"b"}}`, InvokedFunctionARN: "arn:aws:lambda:us-east-1:000000000000:function:probe:live",
	}))
	want := []string{
		`400 {"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}`,
		`403 {"errorMessage":"State transition from Running to InitError failed for runtime. Error: State transition is not allowed","errorType":"InvalidStateTransition"}`,
	}
	if !slices.Equal(first.Probes, want) {
		t.Errorf("probes =\n%q\nwant\n%q", first.Probes, want)
	}
	hdr := first.Headers
	if hdr["Lambda-Runtime-Aws-Request-Id"] != "req-a" || hdr["Lambda-Runtime-Trace-Id"] != "Root=1-x" ||
		hdr["Lambda-Runtime-Invoked-Function-Arn"] != "arn:aws:lambda:us-east-1:000000000000:function:probe:live" ||
		hdr["Lambda-Runtime-Client-Context"] != `{"custom":{"a":"b"}}` || hdr["Content-Type"] != "application/json" ||
		hdr["Lambda-Runtime-Deadline-Ms"] == "" {
		t.Errorf("invocation headers = %v", hdr)
	}
	if _, ok := hdr["Lambda-Runtime-Cognito-Identity"]; ok {
		t.Error("Lambda-Runtime-Cognito-Identity sent without an identity")
	}
	second := decode[probe](t, invoke(t, h, spec, `{"action":"probe"}`))
	want = []string{
		`403 {"errorMessage":"State transition from RuntimeResponseSentState to InvocationResponse failed for runtime. Error: State transition is not allowed","errorType":"InvalidStateTransition"}`,
		`403 {"errorMessage":"State transition from RuntimeResponseSentState to InvocationErrorResponse failed for runtime. Error: State transition is not allowed","errorType":"InvalidStateTransition"}`,
	}
	// After the response, further posts for the invocation are refused.
	if !slices.Equal(second.Previous, want) {
		t.Errorf("posts after the response =\n%q\nwant\n%q", second.Previous, want)
	}

	res := invoke(t, h, spec, `{"action":"emptyerror"}`)
	if string(res.Payload) != `{"errorMessage":"Unknown application error occurred","errorType":"Custom.Empty"}` {
		t.Errorf("error without a body = %s", res.Payload)
	}
	res = invoke(t, h, spec, `{"action":"trailer"}`)
	if string(res.Payload) != `{"errorType":"Custom.StreamError","errorMessage":"stream broke"}` || !res.Error {
		t.Errorf("error in trailers = %s", res.Payload)
	}

	// A runtime that asks for the next invocation without answering times out.
	spec.Timeout = 200 * time.Millisecond
	if typ, _ := errorOf(t, invoke(t, h, spec, `{"action":"noanswer"}`)); typ != "Sandbox.Timedout" {
		t.Errorf("unanswered invocation: %s", typ)
	}
}

func TestResponseSizeLimit(t *testing.T) {
	h := newHost(t, Options{})
	spec := helperSpec(t, "big", "protocol")
	res := invoke(t, h, spec, fmt.Sprintf(`{"action":"big","size":%d}`, MaxResponseSize+1))
	typ, msg := errorOf(t, res)
	if typ != "Function.ResponseSizeTooLarge" || msg != fmt.Sprintf("Response payload size (%d bytes) exceeded maximum allowed payload size (6291556 bytes).", MaxResponseSize+1) {
		t.Errorf("error = %s %q", typ, msg)
	}
	if !strings.Contains(string(res.Log), `helper: big response: 413 {"errorMessage":"Exceeded maximum allowed payload size (6291556 bytes).","errorType":"RequestEntityTooLarge"}`) {
		t.Errorf("log:\n%s", res.Log)
	}
	// Exactly the limit passes.
	res = invoke(t, h, spec, fmt.Sprintf(`{"action":"big","size":%d}`, MaxResponseSize))
	if res.Error || len(res.Payload) != MaxResponseSize {
		t.Errorf("response of the maximum size: error %v, %d bytes", res.Error, len(res.Payload))
	}

	// aws-lambda-go: a 7 MB answer fails the invocation, then the function exits.
	goRes := invoke(t, h, goSpec(t, "gobig"), `{"action":"big","size":7340032}`)
	if typ, _ := errorOf(t, goRes); typ != "Function.ResponseSizeTooLarge" {
		t.Errorf("Go function: %s", goRes.Payload)
	}
	if next := invoke(t, h, goSpec(t, "gobig"), `{}`); next.Error {
		t.Errorf("after a too large response: %s", next.Payload)
	}
}

func TestConcurrencyAndReuse(t *testing.T) {
	h := newHost(t, Options{})
	spec := goSpec(t, "parallel")
	spec.MaxInstances = 2
	var wg sync.WaitGroup
	pids := make([]int, 8)
	for i := range pids {
		wg.Go(func() {
			res, err := h.Invoke(context.Background(), spec, Request{Payload: []byte(`{"action":"sleep","ms":100}`)})
			if err != nil || res.Error {
				t.Errorf("invocation %d: %v %s", i, err, res.Payload)
				return
			}
			var out goEcho
			_ = json.Unmarshal(res.Payload, &out)
			pids[i] = out.PID
		})
	}
	wg.Wait()
	slices.Sort(pids)
	if distinct := slices.Compact(pids); len(distinct) != 2 {
		t.Errorf("8 parallel invocations ran in processes %v, want 2 instances reused", distinct)
	}
	if total, idle := h.Instances(spec.Key); total != 2 || idle != 2 {
		t.Errorf("instances: %d total, %d idle; want 2 idle", total, idle)
	}

	// Beyond MaxInstances a caller waits for a free instance, as long as its context allows.
	spec.MaxInstances = 1
	spec.Key = "test:single"
	started := make(chan struct{})
	slow := make(chan Result, 1)
	go func() {
		close(started)
		res, _ := h.Invoke(context.Background(), spec, Request{Payload: []byte(`{"action":"sleep","ms":800}`)})
		slow <- res
	}()
	<-started
	eventually(t, "the slow invocation to occupy the instance", func() bool {
		total, idle := h.Instances(spec.Key)
		return total == 1 && idle == 0
	})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	_, err := h.Invoke(ctx, spec, Request{Payload: []byte(`{}`)})
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("waiting beyond the context: %v", err)
	}
	if res := invoke(t, h, spec, `{}`); res.Error {
		t.Errorf("waiting caller: %s", res.Payload)
	}
	if res := <-slow; res.Error {
		t.Errorf("slow invocation: %s", res.Payload)
	}

	// With reserved concurrency, the excess is throttled at once.
	spec.Key, spec.Reserved = "test:reserved", true
	go func() {
		res, _ := h.Invoke(context.Background(), spec, Request{Payload: []byte(`{"action":"sleep","ms":800}`)})
		slow <- res
	}()
	eventually(t, "the reserved instance to be busy", func() bool {
		total, idle := h.Instances(spec.Key)
		return total == 1 && idle == 0
	})
	if _, err := h.Invoke(context.Background(), spec, Request{Payload: []byte(`{}`)}); !errors.Is(err, ErrThrottled) {
		t.Errorf("reserved concurrency exceeded: %v, want ErrThrottled", err)
	}
	<-slow
	spec.MaxInstances = 0
	if _, err := h.Invoke(context.Background(), spec, Request{}); !errors.Is(err, ErrThrottled) {
		t.Errorf("reserved concurrency 0: %v, want ErrThrottled", err)
	}
}

func TestRetireAndIdleTimeout(t *testing.T) {
	h := newHost(t, Options{})
	spec := goSpec(t, "retired")
	spec.Key = "arn:aws:lambda:eu-west-1:123456789012:function:retired:$LATEST:rev1"
	first := decode[goEcho](t, invoke(t, h, spec, `{}`))

	// An idle instance stops at once.
	h.Retire("arn:aws:lambda:eu-west-1:123456789012:function:retired:")
	waitDead(t, first.PID)
	res := invoke(t, h, spec, `{}`)
	second := decode[goEcho](t, res)
	if res.InitDuration == 0 || second.PID == first.PID {
		t.Error("the invocation after Retire did not start a new instance")
	}

	// A busy instance finishes its invocation first.
	done := make(chan Result, 1)
	go func() {
		res, err := h.Invoke(context.Background(), spec, Request{Payload: []byte(`{"action":"sleep","ms":300}`)})
		if err != nil {
			res = Result{Error: true, Payload: []byte(err.Error())}
		}
		done <- res
	}()
	eventually(t, "the instance to be busy", func() bool { _, idle := h.Instances(spec.Key); return idle == 0 })
	h.Retire(spec.Key)
	if res := <-done; res.Error {
		t.Errorf("invocation in flight during Retire: %s", res.Payload)
	}
	waitDead(t, second.PID)

	// Other functions are not affected.
	other := goSpec(t, "other")
	o1 := decode[goEcho](t, invoke(t, h, other, `{}`))
	h.Retire("arn:aws:lambda:eu-west-1:123456789012:function:retired:")
	if o2 := decode[goEcho](t, invoke(t, h, other, `{}`)); o2.PID != o1.PID {
		t.Error("Retire stopped another function's instance")
	}

	// Idle instances are stopped after IdleTimeout.
	h2 := newHost(t, Options{IdleTimeout: 100 * time.Millisecond})
	idle := decode[goEcho](t, invoke(t, h2, spec, `{}`))
	waitDead(t, idle.PID)
	eventually(t, "the pool to empty", func() bool { total, _ := h2.Instances(spec.Key); return total == 0 })
}

func TestCloseLeavesNothing(t *testing.T) {
	node, _ := exec.LookPath("node")
	settle := func() int {
		goruntime.GC()
		return goruntime.NumGoroutine()
	}
	openFiles := func() int {
		fds, _ := os.ReadDir("/proc/self/fd")
		return len(fds)
	}
	goFunction(t)
	before, fdsBefore := settle(), openFiles()

	h := New(Options{})
	var pids []int
	for i := range 3 {
		spec := goSpec(t, fmt.Sprintf("close%d", i))
		pids = append(pids, decode[goEcho](t, invoke(t, h, spec, `{}`)).PID)
	}
	// One busy instance, one process group with a child of its own.
	busy := make(chan error, 1)
	busySpec := goSpec(t, "close-busy")
	go func() {
		_, err := h.Invoke(context.Background(), busySpec, Request{Payload: []byte(`{"action":"sleep","ms":60000}`)})
		busy <- err
	}()
	eventually(t, "the busy instance", func() bool { total, idle := h.Instances("test:close-busy"); return total == 1 && idle == 0 })
	dir := writeFiles(t, nil)
	script := "#!/bin/sh\nsleep 60 &\necho $! > " + filepath.Join(dir, "child.pid") + "\nwait\n"
	if err := os.WriteFile(filepath.Join(dir, "bootstrap"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	hung := make(chan error, 1)
	go func() {
		_, err := h.Invoke(context.Background(), Spec{FunctionName: "close-hang", Runtime: "provided.al2023", CodeDir: dir}, Request{})
		hung <- err
	}()
	eventually(t, "the hanging bootstrap's child", func() bool {
		_, err := os.Stat(filepath.Join(dir, "child.pid"))
		return err == nil
	})
	if node != "" {
		code := writeFiles(t, map[string]string{"index.js": "exports.handler = async () => process.pid;"})
		res := invoke(t, h, Spec{FunctionName: "close-node", Runtime: "nodejs20.x", Handler: "index.handler", CodeDir: code}, `{}`)
		var pid int
		if err := json.Unmarshal(res.Payload, &pid); err != nil {
			t.Fatalf("node: %s", res.Payload)
		}
		pids = append(pids, pid)
	}
	rtDir := h.runtimeDirPath()

	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-busy; err != nil {
		t.Errorf("busy invocation during Close: %v", err)
	}
	<-hung
	b, _ := os.ReadFile(filepath.Join(dir, "child.pid"))
	var child int
	fmt.Sscan(string(b), &child)
	for i, pid := range append(pids, child) {
		if alive(pid) {
			t.Errorf("process %d (#%d of %v, child %d) still runs after Close", pid, i, pids, child)
		}
	}
	if _, err := os.Stat(rtDir); !os.IsNotExist(err) {
		t.Errorf("runtime directory %s left behind: %v", rtDir, err)
	}
	if _, err := h.Invoke(context.Background(), goSpec(t, "late"), Request{}); !errors.Is(err, ErrClosed) {
		t.Errorf("Invoke after Close: %v", err)
	}
	eventually(t, "goroutines to end", func() bool { return settle() <= before })
	if fdsBefore > 0 {
		eventually(t, "file descriptors to be closed", func() bool { return openFiles() <= fdsBefore })
	}
}

func TestUnsupportedRuntime(t *testing.T) {
	h := newHost(t, Options{})
	for _, rt := range []string{"java21", "go1.x", "ruby3.3", "nodejs", "python2.7", ""} {
		_, err := h.Invoke(context.Background(), Spec{FunctionName: "f", Runtime: rt, CodeDir: t.TempDir()}, Request{})
		if !errors.Is(err, ErrUnsupportedRuntime) {
			t.Errorf("%q: %v", rt, err)
		}
	}
	h2 := newHost(t, Options{Node: "/nonexistent/node"})
	_, err := h2.Invoke(context.Background(), Spec{FunctionName: "f", Runtime: "nodejs22.x", Handler: "index.handler", CodeDir: t.TempDir()}, Request{})
	if err == nil || !strings.Contains(err.Error(), "/nonexistent/node") {
		t.Errorf("missing interpreter: %v", err)
	}
}

func TestReportLine(t *testing.T) {
	r := report{requestID: "id", duration: 3000 * time.Millisecond, initDuration: 402040 * time.Microsecond,
		memoryMB: 128, maxMemoryKB: 73 * 1024, status: "timeout"}
	want := "REPORT RequestId: id\tDuration: 3000.00 ms\tBilled Duration: 3403 ms\tMemory Size: 128 MB\tMax Memory Used: 73 MB\tInit Duration: 402.04 ms\tStatus: timeout"
	if r.String() != want {
		t.Errorf("\n got %q\nwant %q", r.String(), want)
	}
	r = report{requestID: "id", duration: 1234 * time.Microsecond, memoryMB: 512, maxMemoryKB: 1, status: "error", errorType: "Runtime.ExitError"}
	want = "REPORT RequestId: id\tDuration: 1.23 ms\tBilled Duration: 2 ms\tMemory Size: 512 MB\tMax Memory Used: 1 MB\tStatus: error\tError Type: Runtime.ExitError"
	if r.String() != want {
		t.Errorf("\n got %q\nwant %q", r.String(), want)
	}
}

func TestReservedEnvKeys(t *testing.T) {
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "TZ", "_HANDLER", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT"} {
		if !IsReservedEnvKey(k) {
			t.Errorf("%s is reserved", k)
		}
	}
	for _, k := range []string{"PATH", "LANG", "NODE_PATH", "PYTHONPATH", "AWS_ENDPOINT_URL", "FOO"} {
		if IsReservedEnvKey(k) {
			t.Errorf("%s is not reserved", k)
		}
	}
}
