//go:build unix

package runtime

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"
)

const pythonApp = `
import logging
import os

print("loading app")
logger = logging.getLogger()
logger.setLevel(logging.INFO)


def handler(event, context):
    print("hello from python")
    logger.info("logged %s", 1)
    return {
        "event": event,
        "ctx": {
            "function_name": context.function_name,
            "function_version": context.function_version,
            "aws_request_id": context.aws_request_id,
            "invoked_function_arn": context.invoked_function_arn,
            "memory_limit_in_mb": context.memory_limit_in_mb,
            "log_group_name": context.log_group_name,
            "log_stream_name": context.log_stream_name,
            "remaining": context.get_remaining_time_in_millis(),
            "identity_id": context.identity.cognito_identity_id,
            "custom": context.client_context.custom if context.client_context else None,
        },
        "exec_env": os.environ.get("AWS_EXECUTION_ENV"),
        "trace": os.environ.get("_X_AMZN_TRACE_ID"),
        "cwd": os.getcwd(),
    }


def fail(event, context):
    raise ValueError("bad value")


def unserializable(event, context):
    return {1, 2}


def raw(event, context):
    return b"raw bytes"


def big(event, context):
    return "x" * (7 * 1024 * 1024)
`

func pythonSpec(name, handler, dir string) Spec {
	return Spec{Key: "py:" + name, FunctionName: name, Runtime: "python3.12", Handler: handler, CodeDir: dir,
		Timeout: 10 * time.Second}
}

func TestPython(t *testing.T) {
	lookInterpreter(t, "python3")
	h := newHost(t, Options{})
	dir := writeFiles(t, map[string]string{
		"app.py":        pythonApp,
		"pkg/mod.py":    "def handler(event, context):\n    return 'from a package'\n",
		"broken.py":     "def handler(:\n",
		"initfail.py":   "raise RuntimeError('init failed')\n",
		"requires.py":   "import not_installed_anywhere\n",
		"lib/helper.py": "VALUE = 'helper'\n",
		"useslib.py":    "from lib import helper\n\ndef handler(e, c):\n    return helper.VALUE\n",
	})

	res := invokeReq(t, h, pythonSpec("app", "app.handler", dir), Request{RequestID: "req-py",
		Payload: []byte(`{"x":1}`), CognitoIdentity: `{"cognitoIdentityId":"id-1"}`,
		ClientContext: `{"custom":{"k":"v"}}`, TraceID: "Root=1-py"})
	out := decode[struct {
		Event   map[string]any
		Ctx     map[string]any
		ExecEnv string `json:"exec_env"`
		Trace   string
		Cwd     string
	}](t, res)
	c := out.Ctx
	checkContext(t, c, "log_stream_name", map[string]any{"function_name": "app", "function_version": "$LATEST",
		"aws_request_id": "req-py", "invoked_function_arn": "arn:aws:lambda:us-east-1:000000000000:function:app",
		"memory_limit_in_mb": "128", "log_group_name": "/aws/lambda/app", "identity_id": "id-1"})
	if cu, _ := c["custom"].(map[string]any); cu["k"] != "v" {
		t.Errorf("client_context.custom = %v", c["custom"])
	}
	if out.ExecEnv != "AWS_Lambda_python3.12" || out.Trace != "Root=1-py" || out.Cwd != dir || out.Event["x"] != float64(1) {
		t.Errorf("output = %+v", out)
	}
	log := string(res.Log)
	if !strings.HasPrefix(log, "loading app\nSTART RequestId: req-py Version: $LATEST\nhello from python\n") ||
		!regexp.MustCompile(`\n\[INFO\]\t\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\treq-py\tlogged 1\nEND RequestId: req-py\n`).MatchString(log) {
		t.Errorf("log:\n%s", log)
	}

	res = invokeReq(t, h, pythonSpec("fail", "app.fail", dir), Request{RequestID: "req-fail"})
	var e struct {
		ErrorMessage, ErrorType, RequestID string
		StackTrace                         []string
	}
	if err := json.Unmarshal(res.Payload, &e); err != nil || !res.Error {
		t.Fatalf("error payload %s", res.Payload)
	}
	if e.ErrorType != "ValueError" || e.ErrorMessage != "bad value" || e.RequestID != "req-fail" ||
		len(e.StackTrace) != 1 || !strings.Contains(e.StackTrace[0], `raise ValueError("bad value")`) || strings.Contains(e.StackTrace[0], "bootstrap.py") {
		t.Errorf("error = %s", res.Payload)
	}
	if !strings.HasPrefix(string(res.Payload), `{"errorMessage": "bad value", "errorType": "ValueError", "requestId": "req-fail", "stackTrace": [`) {
		t.Errorf("error payload layout = %s", res.Payload)
	}
	if !strings.Contains(string(res.Log), "[ERROR] ValueError: bad value\rTraceback (most recent call last):\r\u00a0\u00a0File ") {
		t.Errorf("log:\n%q", res.Log)
	}
	res = invoke(t, h, pythonSpec("unserializable", "app.unserializable", dir), `{}`)
	if typ, msg := errorOf(t, res); typ != "Runtime.MarshalError" || msg != "Unable to marshal response: Object of type set is not JSON serializable" {
		t.Errorf("unserialisable result = %s", res.Payload)
	}
	if res = invoke(t, h, pythonSpec("raw", "app.raw", dir), `{}`); string(res.Payload) != "raw bytes" {
		t.Errorf("bytes result = %q", res.Payload)
	}
	res = invoke(t, h, pythonSpec("big", "app.big", dir), `{}`)
	if typ, _ := errorOf(t, res); typ != "Function.ResponseSizeTooLarge" || !strings.Contains(string(res.Log), "Http response code: 413.") {
		t.Errorf("7 MB response = %s\n%s", res.Payload, res.Log)
	}
	for handler, want := range map[string]string{"pkg/mod.handler": `"from a package"`, "useslib.handler": `"helper"`} {
		if res := invoke(t, h, pythonSpec(handler, handler, dir), `{}`); string(res.Payload) != want {
			t.Errorf("%s = %s, want %s", handler, res.Payload, want)
		}
	}

	fails := []struct{ handler, errType, msg string }{
		{"missing.handler", "Runtime.ImportModuleError", "Unable to import module 'missing': No module named 'missing'"},
		{"app.nope", "Runtime.HandlerNotFound", "Handler 'nope' missing on module 'app'"},
		{"nodots", "Runtime.MalformedHandlerName", "Bad handler 'nodots': not enough values to unpack (expected 2, got 1)"},
		{"requires.handler", "Runtime.ImportModuleError", "Unable to import module 'requires': No module named 'not_installed_anywhere'"},
		{"broken.handler", "Runtime.UserCodeSyntaxError", "Syntax error in module 'broken': "},
		{"initfail.handler", "RuntimeError", "init failed"},
		{"sys.handler", "Runtime.BuiltInModuleConflict", "Cannot use built-in module sys as a handler module"},
	}
	for _, f := range fails {
		res := invoke(t, h, pythonSpec(f.handler, f.handler, dir), `{}`)
		typ, msg := errorOf(t, res)
		if typ != f.errType || !strings.HasPrefix(msg, f.msg) {
			t.Errorf("%s: %s %q, want %s %q", f.handler, typ, msg, f.errType, f.msg)
		}
		if !strings.Contains(string(res.Log), "[ERROR] "+f.errType+": ") || !strings.Contains(string(res.Log), "INIT_REPORT") {
			t.Errorf("%s: log\n%s", f.handler, res.Log)
		}
	}
}
