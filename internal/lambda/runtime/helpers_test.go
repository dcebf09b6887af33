//go:build unix

package runtime

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// helperEnv makes the test binary act as a custom runtime (see helperMain) when it is
// started as a function's bootstrap.
const helperEnv = "GATEHOUSE_RUNTIME_HELPER"

var (
	goFnOnce sync.Once
	goFnDir  string
	goFnErr  error
)

func TestMain(m *testing.M) {
	if mode := os.Getenv(helperEnv); mode != "" {
		helperMain(mode)
		return
	}
	code := m.Run()
	if goFnDir != "" {
		os.RemoveAll(goFnDir)
	}
	os.Exit(code)
}

// goFunction builds testdata/gofn (an aws-lambda-go function) once and returns the code
// directory holding its bootstrap.
func goFunction(t testing.TB) string {
	t.Helper()
	goFnOnce.Do(func() {
		dir, err := os.MkdirTemp("", "gatehouse-gofn-")
		if err != nil {
			goFnErr = err
			return
		}
		goFnDir = dir
		cmd := exec.Command("go", "build", "-trimpath", "-o", filepath.Join(dir, "bootstrap"), "./testdata/gofn")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			goFnErr = fmt.Errorf("go build testdata/gofn: %v\n%s", err, out)
		}
	})
	if goFnErr != nil {
		t.Fatal(goFnErr)
	}
	return goFnDir
}

func goSpec(t testing.TB, name string) Spec {
	return Spec{
		Key: "test:" + name, FunctionName: name, Runtime: "provided.al2023", Handler: "bootstrap",
		CodeDir: goFunction(t), Timeout: 10 * time.Second, MemoryMB: 256,
		Region: "eu-west-1", AccountID: "123456789012",
	}
}

// helperSpec runs the test binary itself as a custom runtime in the given mode.
func helperSpec(t testing.TB, name, mode string) Spec {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.Symlink(exe, filepath.Join(dir, "bootstrap")); err != nil {
		t.Fatal(err)
	}
	return Spec{
		Key: "helper:" + name, FunctionName: name, Runtime: "provided.al2", Handler: "x",
		CodeDir: dir, Timeout: 10 * time.Second, Environment: map[string]string{helperEnv: mode},
	}
}

func newHost(t testing.TB, opts Options) *Host {
	t.Helper()
	h := New(opts)
	t.Cleanup(func() {
		if err := h.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return h
}

func invoke(t testing.TB, h *Host, spec Spec, payload string) Result {
	t.Helper()
	return invokeReq(t, h, spec, Request{Payload: []byte(payload)})
}

func invokeReq(t testing.TB, h *Host, spec Spec, req Request) Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	res, err := h.Invoke(ctx, spec, req)
	if err != nil {
		t.Fatalf("Invoke: %v", err)
	}
	return res
}

// errorOf decodes an error payload.
func errorOf(t testing.TB, res Result) (errType, msg string) {
	t.Helper()
	if !res.Error {
		t.Fatalf("invocation succeeded, want an error: %s", res.Payload)
	}
	var v struct{ ErrorType, ErrorMessage string }
	if err := json.Unmarshal(res.Payload, &v); err != nil {
		t.Fatalf("error payload %q: %v", res.Payload, err)
	}
	return v.ErrorType, v.ErrorMessage
}

func decode[T any](t testing.TB, res Result) T {
	t.Helper()
	if res.Error {
		t.Fatalf("invocation failed: %s\nlog:\n%s", res.Payload, res.Log)
	}
	var v T
	if err := json.Unmarshal(res.Payload, &v); err != nil {
		t.Fatalf("payload %q: %v", res.Payload, err)
	}
	return v
}

// eventually polls cond until it holds or 15 seconds pass.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// alive reports whether a process runs. A zombie does not: a killed grandchild is
// reparented to PID 1, which reaps it in its own time.
func alive(pid int) bool {
	if pid <= 0 || syscall.Kill(pid, 0) != nil {
		return false
	}
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		return true // no procfs: a zombie cannot be told apart
	}
	st, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// pid (comm) state …: the state follows the last ')'.
	i := bytes.LastIndexByte(st, ')')
	return i < 0 || i+2 >= len(st) || st[i+2] != 'Z'
}

func waitDead(t testing.TB, pid int) {
	t.Helper()
	eventually(t, fmt.Sprintf("process %d to end", pid), func() bool { return !alive(pid) })
}

// lookInterpreter finds node or python3, skipping the test when it is missing (unless
// GATEHOUSE_REQUIRE_NODE=1 requires node, as CI does).
func lookInterpreter(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if name == "node" && os.Getenv("GATEHOUSE_REQUIRE_NODE") == "1" {
			t.Fatalf("node is required: %v", err)
		}
		t.Skipf("%s not found: %v", name, err)
	}
	return p
}

// writeFiles creates files (name → content) in a new directory and returns it.
func writeFiles(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// captureHandler records log records for assertions.
type captureHandler struct {
	mu   sync.Mutex
	recs []map[string]string
}

func (c *captureHandler) Enabled(context.Context, slog.Level) bool { return true }
func (c *captureHandler) WithAttrs([]slog.Attr) slog.Handler       { return c }
func (c *captureHandler) WithGroup(string) slog.Handler            { return c }
func (c *captureHandler) Handle(_ context.Context, r slog.Record) error {
	m := map[string]string{"msg": r.Message, "level": r.Level.String()}
	r.Attrs(func(a slog.Attr) bool {
		m[a.Key] = a.Value.String()
		return true
	})
	c.mu.Lock()
	c.recs = append(c.recs, m)
	c.mu.Unlock()
	return nil
}

func (c *captureHandler) find(msg string) map[string]string {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, r := range c.recs {
		if r["msg"] == msg {
			return r
		}
	}
	return nil
}

// ---------------------------------------------------------------------------------------
// helperMain: the test binary as a custom runtime speaking the Runtime API directly.

func helperMain(mode string) {
	api := "http://" + os.Getenv("AWS_LAMBDA_RUNTIME_API") + "/2018-06-01/runtime"
	client := &http.Client{}
	post := func(path string, body []byte, hdr map[string]string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, api+path, bytes.NewReader(body))
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := client.Do(req)
		if err != nil {
			fmt.Println("post:", err)
			os.Exit(2)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode, strings.TrimSpace(string(b))
	}
	switch mode {
	case "initerror":
		fmt.Println("helper: bad configuration")
		post("/init/error", []byte(`{"errorType":"Custom.ConfigError","errorMessage":"bad configuration"}`),
			map[string]string{"Lambda-Runtime-Function-Error-Type": "Custom.ConfigError"})
		os.Exit(1)
	case "hang":
		fmt.Println("helper: hanging in init")
		select {}
	case "exit0":
		os.Exit(0)
	}
	var afterResponse []string // what happened after the previous response
	for {
		resp, err := client.Get(api + "/invocation/next")
		if err != nil {
			fmt.Println("next:", err)
			os.Exit(2)
		}
		event, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		id := resp.Header.Get("Lambda-Runtime-Aws-Request-Id")
		var ev struct {
			Action string `json:"action"`
			Size   int    `json:"size"`
		}
		_ = json.Unmarshal(event, &ev)
		headers := map[string]string{}
		for k := range resp.Header {
			headers[k] = resp.Header.Get(k)
		}
		switch ev.Action {
		case "probe": // refusals of the Runtime API, then the answer
			var got []string
			code, body := post("/invocation/not-"+id+"/response", []byte(`{}`), nil)
			got = append(got, fmt.Sprint(code, " ", body))
			code, body = post("/init/error", []byte(`{}`), nil)
			got = append(got, fmt.Sprint(code, " ", body))
			out, _ := json.Marshal(map[string]any{"probes": got, "previous": afterResponse, "headers": headers})
			post("/invocation/"+id+"/response", out, nil)
			code, body = post("/invocation/"+id+"/response", []byte(`{}`), nil)
			afterResponse = []string{fmt.Sprint(code, " ", body)}
			code, body = post("/invocation/"+id+"/error", []byte(`{}`), nil)
			afterResponse = append(afterResponse, fmt.Sprint(code, " ", body))
		case "big":
			code, body := post("/invocation/"+id+"/response", bytes.Repeat([]byte("x"), ev.Size), nil)
			fmt.Println("helper: big response:", code, body)
			code, body = post("/invocation/"+id+"/error", []byte(`{}`), nil)
			afterResponse = []string{fmt.Sprint(code, " ", body)}
		case "emptyerror":
			post("/invocation/"+id+"/error", nil, map[string]string{"Lambda-Runtime-Function-Error-Type": "Custom.Empty"})
		case "trailer": // a streamed response that fails after its body
			req, _ := http.NewRequest(http.MethodPost, api+"/invocation/"+id+"/response",
				&trailerBody{r: strings.NewReader("partial")})
			req.Trailer = http.Header{"Lambda-Runtime-Function-Error-Type": nil, "Lambda-Runtime-Function-Error-Body": nil}
			req.Body.(*trailerBody).trailer = req.Trailer
			if resp, err := client.Do(req); err == nil {
				resp.Body.Close()
			}
		case "noanswer": // ask for the next invocation without answering this one
			fmt.Println("helper: not answering")
			continue
		default:
			post("/invocation/"+id+"/response", event, nil)
		}
	}
}

// trailerBody sets the error trailers once its content is read.
type trailerBody struct {
	r       io.Reader
	trailer http.Header
}

func (b *trailerBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if errors.Is(err, io.EOF) {
		b.trailer.Set("Lambda-Runtime-Function-Error-Type", "Custom.StreamError")
		b.trailer.Set("Lambda-Runtime-Function-Error-Body", "eyJlcnJvclR5cGUiOiJDdXN0b20uU3RyZWFtRXJyb3IiLCJlcnJvck1lc3NhZ2UiOiJzdHJlYW0gYnJva2UifQ==")
	}
	return n, err
}

func (b *trailerBody) Close() error { return nil }

// checkContext compares the context fields a function returned with want; the log stream
// name (under streamKey) must have Lambda's form and "remaining" must be about the timeout.
func checkContext(t *testing.T, got map[string]any, streamKey string, want map[string]any) {
	t.Helper()
	for k, v := range want {
		if got[k] != v {
			t.Errorf("context %s = %v, want %v", k, got[k], v)
		}
	}
	if s, _ := got[streamKey].(string); !reLogStream.MatchString(s) {
		t.Errorf("context %s = %v", streamKey, got[streamKey])
	}
	if r, _ := got["remaining"].(float64); r < 5000 || r > 10000 {
		t.Errorf("remaining time = %v ms, want about 10 s", got["remaining"])
	}
}
