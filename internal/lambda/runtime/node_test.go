//go:build unix

package runtime

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"
)

const nodeIndex = `
console.log('loading index');
exports.handler = async (event, context) => {
  console.log('hello', { a: 1 }, 'multi\nline');
  console.warn('careful');
  console.error('bad');
  return {
    event,
    ctx: {
      functionName: context.functionName, functionVersion: context.functionVersion,
      invokedFunctionArn: context.invokedFunctionArn, memoryLimitInMB: context.memoryLimitInMB,
      awsRequestId: context.awsRequestId, logGroupName: context.logGroupName,
      logStreamName: context.logStreamName, remaining: context.getRemainingTimeInMillis(),
      waits: context.callbackWaitsForEmptyEventLoop, identity: context.identity,
      clientContext: context.clientContext,
    },
    env: {
      execEnv: process.env.AWS_EXECUTION_ENV, trace: process.env._X_AMZN_TRACE_ID,
      nodePath: process.env.NODE_PATH, runtimeDir: process.env.LAMBDA_RUNTIME_DIR,
    },
    cwd: process.cwd(),
  };
};
exports.fail = async () => { throw new TypeError('bad thing'); };
exports.throwString = async () => { throw 'plain string'; };
exports.cb = (event, context, callback) => {
  setTimeout(() => console.log('timer done'), 50);
  callback(null, { ok: true, n: event.n });
};
exports.cbNoWait = (event, context, callback) => {
  context.callbackWaitsForEmptyEventLoop = false;
  setTimeout(() => console.log('late timer'), 5000);
  callback(null, 'quick');
};
exports.cbErr = (event, context, callback) => callback(new Error('cb failed'));
exports.sync = () => { console.log('sync without callback'); };
exports.succeed = (event, context) => { context.succeed({ legacy: true }); };
exports.unsettled = async () => new Promise(() => {});
exports.bigint = async () => 10n;
exports.nested = { deep: { handler: async () => 'nested' } };
exports.big = async () => 'x'.repeat(7 * 1024 * 1024);
exports.notfn = 42;
`

func nodeSpec(t *testing.T, name, runtime, handler, dir string) Spec {
	return Spec{Key: "node:" + name, FunctionName: name, Runtime: runtime, Handler: handler, CodeDir: dir,
		Timeout: 10 * time.Second, MemoryMB: 512}
}

var reNodeLine = regexp.MustCompile(`(?m)^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\t(\S+)\t(INFO|WARN|ERROR)\t(.*)$`)

func TestNodeCommonJS(t *testing.T) {
	lookInterpreter(t, "node")
	h := newHost(t, Options{})
	dir := writeFiles(t, map[string]string{"index.js": nodeIndex})

	spec := nodeSpec(t, "cjs", "nodejs20.x", "index.handler", dir)
	res := invokeReq(t, h, spec, Request{RequestID: "req-node", Payload: []byte(`{"x":[1,2]}`),
		CognitoIdentity: `{"cognitoIdentityId":"id-1"}`, ClientContext: `{"custom":{"k":"v"}}`, TraceID: "Root=1-abc"})
	out := decode[struct {
		Event json.RawMessage
		Ctx   map[string]any
		Env   map[string]string
		Cwd   string
	}](t, res)
	if string(out.Event) != `{"x":[1,2]}` {
		t.Errorf("event = %s", out.Event)
	}
	c := out.Ctx
	checkContext(t, c, "logStreamName", map[string]any{"functionName": "cjs", "functionVersion": "$LATEST",
		"memoryLimitInMB": "512", "awsRequestId": "req-node", "logGroupName": "/aws/lambda/cjs",
		"invokedFunctionArn": "arn:aws:lambda:us-east-1:000000000000:function:cjs", "waits": true})
	if id, _ := c["identity"].(map[string]any); id["cognitoIdentityId"] != "id-1" {
		t.Errorf("identity = %v", c["identity"])
	}
	if cc, _ := c["clientContext"].(map[string]any); cc["custom"] == nil {
		t.Errorf("clientContext = %v", c["clientContext"])
	}
	if out.Env["execEnv"] != "AWS_Lambda_nodejs20.x" || out.Env["trace"] != "Root=1-abc" || !strings.HasSuffix(out.Env["nodePath"], ":"+dir) {
		t.Errorf("env = %v", out.Env)
	}
	if out.Cwd != dir {
		t.Errorf("cwd = %q, want %q", out.Cwd, dir)
	}

	// Console lines as Lambda writes them; module-level output belongs to the init phase.
	log := string(res.Log)
	if !strings.HasPrefix(log, "") || !regexp.MustCompile(`^\S+\tundefined\tINFO\tloading index\nSTART RequestId: req-node Version: \$LATEST\n`).MatchString(log) {
		t.Errorf("log:\n%s", log)
	}
	lines := reNodeLine.FindAllStringSubmatch(log, -1)
	want := [][2]string{{"INFO", "loading index"}, {"INFO", "hello { a: 1 } multi\rline"}, {"WARN", "careful"}, {"ERROR", "bad"}}
	if len(lines) != len(want) {
		t.Fatalf("console lines %q in\n%s", lines, log)
	}
	for i, w := range want {
		if lines[i][2] != w[0] || lines[i][3] != w[1] {
			t.Errorf("line %d = %q, want %s %q", i, lines[i][0], w[0], w[1])
		}
		if i > 0 && lines[i][1] != "req-node" {
			t.Errorf("line %d request id = %q", i, lines[i][1])
		}
	}

	type errPayload struct {
		ErrorType, ErrorMessage string
		Trace                   []string
	}
	res = invoke(t, h, nodeSpec(t, "fail", "nodejs20.x", "index.fail", dir), `{}`)
	e := decode[errPayload](t, Result{Payload: res.Payload})
	if !res.Error || e.ErrorType != "TypeError" || e.ErrorMessage != "bad thing" || len(e.Trace) < 2 || e.Trace[0] != "TypeError: bad thing" {
		t.Errorf("error = %s", res.Payload)
	}
	if !regexp.MustCompile(`\tERROR\tInvoke Error \t\{"errorType":"TypeError","errorMessage":"bad thing","stack":\["TypeError: bad thing",`).Match(res.Log) {
		t.Errorf("log:\n%s", res.Log)
	}
	res = invoke(t, h, nodeSpec(t, "throwString", "nodejs20.x", "index.throwString", dir), `{}`)
	if string(res.Payload) != `{"errorType":"string","errorMessage":"plain string","trace":[]}` {
		t.Errorf("thrown string = %s", res.Payload)
	}

	// Callback handlers wait for the event loop to empty unless told not to.
	res = invoke(t, h, nodeSpec(t, "cb", "nodejs20.x", "index.cb", dir), `{"n":7}`)
	if string(res.Payload) != `{"ok":true,"n":7}` || !strings.Contains(string(res.Log), "\tINFO\ttimer done\n") {
		t.Errorf("callback: %s\n%s", res.Payload, res.Log)
	}
	res = invoke(t, h, nodeSpec(t, "cbNoWait", "nodejs20.x", "index.cbNoWait", dir), `{}`)
	if string(res.Payload) != `"quick"` || res.Duration > 4*time.Second || strings.Contains(string(res.Log), "late timer") {
		t.Errorf("callbackWaitsForEmptyEventLoop=false: %s after %v", res.Payload, res.Duration)
	}
	res = invoke(t, h, nodeSpec(t, "cbErr", "nodejs20.x", "index.cbErr", dir), `{}`)
	if typ, msg := errorOf(t, res); typ != "Error" || msg != "cb failed" {
		t.Errorf("callback error = %s", res.Payload)
	}
	if res = invoke(t, h, nodeSpec(t, "sync", "nodejs20.x", "index.sync", dir), `{}`); string(res.Payload) != "null" || res.Error {
		t.Errorf("synchronous handler without callback = %s", res.Payload)
	}
	if res = invoke(t, h, nodeSpec(t, "succeed", "nodejs20.x", "index.succeed", dir), `{}`); string(res.Payload) != `{"legacy":true}` {
		t.Errorf("context.succeed = %s", res.Payload)
	}
	res = invoke(t, h, nodeSpec(t, "unsettled", "nodejs20.x", "index.unsettled", dir), `{}`)
	if typ, _ := errorOf(t, res); typ != "Runtime.NodeJsExit" {
		t.Errorf("unsettled promise = %s", res.Payload)
	}
	res = invoke(t, h, nodeSpec(t, "bigint", "nodejs20.x", "index.bigint", dir), `{}`)
	if typ, msg := errorOf(t, res); typ != "Error" || msg != "Unable to stringify response body" {
		t.Errorf("unserialisable result = %s", res.Payload)
	}
	if res = invoke(t, h, nodeSpec(t, "nested", "nodejs20.x", "index.nested.deep.handler", dir), `{}`); string(res.Payload) != `"nested"` {
		t.Errorf("nested handler = %s", res.Payload)
	}
	bigSpec := nodeSpec(t, "big", "nodejs20.x", "index.big", dir)
	res = invoke(t, h, bigSpec, `{}`)
	if typ, _ := errorOf(t, res); typ != "Function.ResponseSizeTooLarge" || !strings.Contains(string(res.Log), "Http response code: 413.") {
		t.Errorf("7 MB response = %s\n%s", res.Payload, res.Log)
	}
	if res = invoke(t, h, bigSpec, `{}`); res.InitDuration != 0 {
		t.Error("the runtime did not survive a refused response")
	}
}

func TestNodeModulesAndInitErrors(t *testing.T) {
	lookInterpreter(t, "node")
	h := newHost(t, Options{})
	dir := writeFiles(t, map[string]string{
		"index.js":            nodeIndex,
		"app.mjs":             "import os from 'node:os';\nexport const handler = async (e) => ({ esm: true, e, mod: typeof os.hostname });\n",
		"lib/package.json":    `{"type":"module"}`,
		"lib/fn.js":           "export const handler = async () => 'esm via package.json';\n",
		"src/deep/cjs.cjs":    "module.exports.handler = async () => 'cjs extension';\n",
		"syntax.js":           "exports.handler = ;\n",
		"initthrow.js":        "throw new Error('init boom');\n",
		"needsdep.mjs":        "import x from 'not-installed';\nexport const handler = async () => x;\n",
		"cbonly.js":           "exports.handler = (e, c, cb) => cb(null, 1);\n",
		"node_modules/dep.js": "module.exports = 'dep';\n",
		"usesdep.js":          "const d = require('dep');\nexports.handler = async () => d;\n",
	})
	ok := []struct{ handler, want string }{
		{"app.handler", `{"esm":true,"e":{"k":1},"mod":"function"}`},
		{"lib/fn.handler", `"esm via package.json"`},
		{"src/deep/cjs.handler", `"cjs extension"`},
		{"usesdep.handler", `"dep"`},
	}
	for _, c := range ok {
		res := invoke(t, h, nodeSpec(t, c.handler, "nodejs22.x", c.handler, dir), `{"k":1}`)
		if res.Error || string(res.Payload) != c.want {
			t.Errorf("%s = %s, want %s\n%s", c.handler, res.Payload, c.want, res.Log)
		}
	}

	fails := []struct{ runtime, handler, errType, msgPrefix string }{
		{"nodejs20.x", "missing.handler", "Runtime.ImportModuleError", "Error: Cannot find module 'missing'"},
		{"nodejs20.x", "index.nope", "Runtime.HandlerNotFound", "index.nope is undefined or not exported"},
		{"nodejs20.x", "index.notfn", "Runtime.HandlerNotFound", "index.notfn is not a function"},
		{"nodejs20.x", "nodots", "Runtime.MalformedHandlerName", "Bad handler"},
		{"nodejs20.x", "../etc.handler", "Runtime.MalformedHandlerName", "'../etc.handler' is not a valid handler name."},
		{"nodejs20.x", "syntax.handler", "Runtime.UserCodeSyntaxError", "SyntaxError: Unexpected token"},
		{"nodejs20.x", "initthrow.handler", "Error", "init boom"},
		{"nodejs20.x", "needsdep.handler", "Error", "Cannot find package 'not-installed'"},
		{"nodejs24.x", "cbonly.handler", "Runtime.CallbackHandlerDeprecated", "ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24."},
	}
	for _, c := range fails {
		res := invoke(t, h, nodeSpec(t, c.runtime+c.handler, c.runtime, c.handler, dir), `{}`)
		var e struct {
			ErrorType, ErrorMessage string
			Trace                   []string
		}
		if err := json.Unmarshal(res.Payload, &e); err != nil || !res.Error {
			t.Errorf("%s: %s", c.handler, res.Payload)
			continue
		}
		if e.ErrorType != c.errType || !strings.HasPrefix(e.ErrorMessage, c.msgPrefix) {
			t.Errorf("%s: %s %q, want %s %q…", c.handler, e.ErrorType, e.ErrorMessage, c.errType, c.msgPrefix)
		}
		what := "Uncaught Exception"
		if c.runtime == "nodejs24.x" {
			what = "Init Error"
		}
		if !strings.Contains(string(res.Log), "\tundefined\tERROR\t"+what+" \t{\"errorType\":\""+c.errType+"\"") ||
			!strings.Contains(string(res.Log), "INIT_REPORT Init Duration: ") {
			t.Errorf("%s: log\n%s", c.handler, res.Log)
		}
	}
	// Callback handlers still work before Node.js 24.
	if res := invoke(t, h, nodeSpec(t, "cb22", "nodejs22.x", "cbonly.handler", dir), `{}`); string(res.Payload) != "1" {
		t.Errorf("callback handler on nodejs22.x = %s", res.Payload)
	}
}

func TestNodeUncaughtErrorKillsInvocation(t *testing.T) {
	lookInterpreter(t, "node")
	h := newHost(t, Options{})
	dir := writeFiles(t, map[string]string{"index.js": `
exports.handler = async (event) => {
  if (event.crash) setTimeout(() => { throw new RangeError('async crash'); }, 0);
  if (event.reject) Promise.reject(new Error('nobody listens'));
  return new Promise((resolve) => setTimeout(() => resolve('survived'), 200));
};`})
	spec := nodeSpec(t, "uncaught", "nodejs20.x", "index.handler", dir)
	res := invoke(t, h, spec, `{"crash":true}`)
	if typ, msg := errorOf(t, res); typ != "RangeError" || msg != "async crash" {
		t.Errorf("uncaught exception = %s", res.Payload)
	}
	res = invoke(t, h, spec, `{"reject":true}`)
	if typ, msg := errorOf(t, res); typ != "Runtime.UnhandledPromiseRejection" || msg != "Error: nobody listens" {
		t.Errorf("unhandled rejection = %s", res.Payload)
	}
	if res = invoke(t, h, spec, `{}`); string(res.Payload) != `"survived"` || res.InitDuration == 0 {
		t.Errorf("after the crash: %s (init %v)", res.Payload, res.InitDuration)
	}
}
