package e2e

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	lmb "github.com/aws/aws-sdk-go-v2/service/lambda"
	lmbtypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/gatehouse-dev/gatehouse/internal/testenv"
)

const nodeEcho = `
exports.handler = async (event, context) => {
  console.log("hello from", context.functionName);
  if (event.fail) { throw new Error("asked to fail"); }
  return { event, greeting: process.env.GREETING, requestId: context.awsRequestId,
           arn: context.invokedFunctionArn, version: context.functionVersion };
};`

func TestLambdaFunctionLifecycle(t *testing.T) {
	t.Parallel()
	s := testenv.Start(t, testenv.WithMemory())
	lc, ctx := s.Lambda(), testenv.Ctx(t)

	created := createNode(t, s, "echo", nodeEcho, map[string]string{"GREETING": "hi"})
	arn := "arn:aws:lambda:us-east-1:000000000000:function:echo"
	if aws.ToString(created.FunctionArn) != arn || aws.ToString(created.Version) != "$LATEST" ||
		aws.ToInt32(created.Timeout) != 3 || aws.ToInt32(created.MemorySize) != 128 || created.State != lmbtypes.StateActive ||
		created.PackageType != lmbtypes.PackageTypeZip || created.CodeSize == 0 || aws.ToString(created.CodeSha256) == "" ||
		created.Environment == nil || created.Environment.Variables["GREETING"] != "hi" || aws.ToString(created.RevisionId) == "" ||
		aws.ToString(created.Handler) != "index.handler" || created.Runtime != lmbtypes.RuntimeNodejs20x {
		t.Fatalf("CreateFunction = %+v", created)
	}

	_, err := lc.CreateFunction(ctx, &lmb.CreateFunctionInput{FunctionName: aws.String("echo"), Runtime: lmbtypes.RuntimeNodejs20x,
		Role: aws.String(testRole), Handler: aws.String("index.handler"), Code: &lmbtypes.FunctionCode{ZipFile: nodeZip(t, nodeEcho, false)}})
	testenv.WantError(t, err, "ResourceConflictException", "Function already exist: echo")

	got, err := lc.GetFunction(ctx, &lmb.GetFunctionInput{FunctionName: aws.String("echo")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(got.Configuration.FunctionArn) != arn || aws.ToString(got.Code.RepositoryType) != "S3" {
		t.Fatalf("GetFunction = %+v", got)
	}
	// The package downloads from the Location GetFunction gives.
	resp, err := http.Get(aws.ToString(got.Code.Location))
	if err != nil {
		t.Fatal(err)
	}
	zipped, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || int64(len(zipped)) != got.Configuration.CodeSize {
		t.Fatalf("code download: %d, %d bytes", resp.StatusCode, len(zipped))
	}
	tampered := strings.Replace(aws.ToString(got.Code.Location), "Signature=", "Signature=00", 1)
	if resp, err := http.Get(tampered); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("tampered code URL: %v %v", resp, err)
	}

	// RequestResponse with the log tail.
	out, err := lc.Invoke(ctx, &lmb.InvokeInput{FunctionName: aws.String("echo"), Payload: []byte(`{"a":1}`), LogType: lmbtypes.LogTypeTail})
	if err != nil {
		t.Fatal(err)
	}
	var res map[string]any
	if err := json.Unmarshal(out.Payload, &res); err != nil {
		t.Fatalf("payload %s: %v", out.Payload, err)
	}
	if out.StatusCode != 200 || out.FunctionError != nil || aws.ToString(out.ExecutedVersion) != "$LATEST" ||
		res["greeting"] != "hi" || res["event"].(map[string]any)["a"] != float64(1) || res["arn"] != arn || res["version"] != "$LATEST" {
		t.Fatalf("Invoke = %d %v %s", out.StatusCode, out.FunctionError, out.Payload)
	}
	logs, _ := base64.StdEncoding.DecodeString(aws.ToString(out.LogResult))
	if !strings.Contains(string(logs), "START RequestId: ") || !strings.Contains(string(logs), "hello from echo") ||
		!strings.Contains(string(logs), "REPORT RequestId: ") {
		t.Fatalf("log tail = %q", logs)
	}

	// A handler error is a function error, not an API error.
	out, err = lc.Invoke(ctx, &lmb.InvokeInput{FunctionName: aws.String("echo"), Payload: []byte(`{"fail":true}`)})
	if err != nil {
		t.Fatal(err)
	}
	var fe map[string]any
	_ = json.Unmarshal(out.Payload, &fe)
	if out.StatusCode != 200 || aws.ToString(out.FunctionError) != "Unhandled" || fe["errorMessage"] != "asked to fail" || fe["errorType"] != "Error" {
		t.Fatalf("failing Invoke = %d %v %s", out.StatusCode, aws.ToString(out.FunctionError), out.Payload)
	}

	// Event and DryRun.
	out, err = lc.Invoke(ctx, &lmb.InvokeInput{FunctionName: aws.String("echo"), InvocationType: lmbtypes.InvocationTypeEvent, Payload: []byte(`{}`)})
	if err != nil || out.StatusCode != 202 {
		t.Fatalf("Event invoke: %v %+v", err, out)
	}
	out, err = lc.Invoke(ctx, &lmb.InvokeInput{FunctionName: aws.String("echo"), InvocationType: lmbtypes.InvocationTypeDryRun})
	if err != nil || out.StatusCode != 204 {
		t.Fatalf("DryRun invoke: %v %+v", err, out)
	}

	// Bad payloads.
	_, err = lc.Invoke(ctx, &lmb.InvokeInput{FunctionName: aws.String("echo"), Payload: []byte(`{not json`)})
	if code, _ := testenv.APIError(t, err); code != "InvalidRequestContentException" {
		t.Fatalf("non-JSON payload: %v", err)
	}
	_, err = lc.Invoke(ctx, &lmb.InvokeInput{FunctionName: aws.String("echo"), Payload: []byte(`"` + strings.Repeat("x", 6<<20) + `"`)})
	testenv.WantError(t, err, "RequestTooLargeException", "Request must be smaller than 6291456 bytes for the InvokeFunction operation")
	_, err = lc.Invoke(ctx, &lmb.InvokeInput{FunctionName: aws.String("nope")})
	testenv.WantError(t, err, "ResourceNotFoundException", "Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope")

	// Configuration and code updates take effect on the next invocation.
	_, err = lc.UpdateFunctionConfiguration(ctx, &lmb.UpdateFunctionConfigurationInput{FunctionName: aws.String("echo"),
		Environment: &lmbtypes.Environment{Variables: map[string]string{"GREETING": "hello"}}, Timeout: aws.Int32(10)})
	if err != nil {
		t.Fatal(err)
	}
	if res := invokeJSON(t, lc, "echo", `{}`); res["greeting"] != "hello" {
		t.Fatalf("after the configuration update: %v", res)
	}
	up, err := lc.UpdateFunctionCode(ctx, &lmb.UpdateFunctionCodeInput{FunctionName: aws.String("echo"),
		ZipFile: nodeZip(t, `export const handler = async () => ({ esm: true, greeting: process.env.GREETING });`, true)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(up.CodeSha256) == aws.ToString(created.CodeSha256) {
		t.Fatal("UpdateFunctionCode kept the old CodeSha256")
	}
	if res := invokeJSON(t, lc, "echo", `{}`); res["esm"] != true || res["greeting"] != "hello" {
		t.Fatalf("after the code update: %v", res)
	}

	// Versions and aliases.
	v1, err := lc.PublishVersion(ctx, &lmb.PublishVersionInput{FunctionName: aws.String("echo"), Description: aws.String("first")})
	if err != nil || aws.ToString(v1.Version) != "1" || aws.ToString(v1.FunctionArn) != arn+":1" {
		t.Fatalf("PublishVersion = %+v, %v", v1, err)
	}
	again, err := lc.PublishVersion(ctx, &lmb.PublishVersionInput{FunctionName: aws.String("echo")})
	if err != nil || aws.ToString(again.Version) != "1" {
		t.Fatalf("republishing an unchanged $LATEST = %+v, %v", again, err)
	}
	alias, err := lc.CreateAlias(ctx, &lmb.CreateAliasInput{FunctionName: aws.String("echo"), Name: aws.String("live"), FunctionVersion: aws.String("1")})
	if err != nil || aws.ToString(alias.AliasArn) != arn+":live" {
		t.Fatalf("CreateAlias = %+v, %v", alias, err)
	}
	_, err = lc.UpdateFunctionConfiguration(ctx, &lmb.UpdateFunctionConfigurationInput{FunctionName: aws.String("echo"),
		Environment: &lmbtypes.Environment{Variables: map[string]string{"GREETING": "latest"}}})
	if err != nil {
		t.Fatal(err)
	}
	out, err = lc.Invoke(ctx, &lmb.InvokeInput{FunctionName: aws.String("echo:live"), Payload: []byte(`{}`)})
	if err != nil || aws.ToString(out.ExecutedVersion) != "1" || !strings.Contains(string(out.Payload), `"greeting":"hello"`) {
		t.Fatalf("Invoke echo:live = %v %s", err, out.Payload)
	}
	if res := invokeJSON(t, lc, "echo", `{}`); res["greeting"] != "latest" {
		t.Fatalf("$LATEST after publishing: %v", res)
	}
	versions, err := lc.ListVersionsByFunction(ctx, &lmb.ListVersionsByFunctionInput{FunctionName: aws.String("echo")})
	if err != nil || len(versions.Versions) != 2 {
		t.Fatalf("ListVersionsByFunction = %+v, %v", versions, err)
	}
	_, err = lc.DeleteFunction(ctx, &lmb.DeleteFunctionInput{FunctionName: aws.String("echo"), Qualifier: aws.String("1")})
	testenv.WantError(t, err, "ResourceConflictException", "Unable to delete version because the following aliases reference it: [live]")
	aliases, err := lc.ListAliases(ctx, &lmb.ListAliasesInput{FunctionName: aws.String("echo")})
	if err != nil || len(aliases.Aliases) != 1 {
		t.Fatalf("ListAliases = %+v, %v", aliases, err)
	}

	// Resource policy.
	st, err := lc.AddPermission(ctx, &lmb.AddPermissionInput{FunctionName: aws.String("echo"), StatementId: aws.String("apigw"),
		Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("apigateway.amazonaws.com"),
		SourceArn: aws.String("arn:aws:execute-api:us-east-1:000000000000:abc/*/*/pets")})
	if err != nil || !strings.Contains(aws.ToString(st.Statement), `"Service":"apigateway.amazonaws.com"`) ||
		!strings.Contains(aws.ToString(st.Statement), `"AWS:SourceArn":"arn:aws:execute-api:us-east-1:000000000000:abc/*/*/pets"`) {
		t.Fatalf("AddPermission = %+v, %v", st, err)
	}
	_, err = lc.AddPermission(ctx, &lmb.AddPermissionInput{FunctionName: aws.String("echo"), StatementId: aws.String("apigw"),
		Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("apigateway.amazonaws.com")})
	if code, _ := testenv.APIError(t, err); code != "ResourceConflictException" {
		t.Fatalf("duplicate statement id: %v", err)
	}
	pol, err := lc.GetPolicy(ctx, &lmb.GetPolicyInput{FunctionName: aws.String("echo")})
	if err != nil || !strings.Contains(aws.ToString(pol.Policy), `"Sid":"apigw"`) {
		t.Fatalf("GetPolicy = %+v, %v", pol, err)
	}
	if _, err := lc.RemovePermission(ctx, &lmb.RemovePermissionInput{FunctionName: aws.String("echo"), StatementId: aws.String("apigw")}); err != nil {
		t.Fatal(err)
	}
	_, err = lc.GetPolicy(ctx, &lmb.GetPolicyInput{FunctionName: aws.String("echo")})
	testenv.WantError(t, err, "ResourceNotFoundException", "The resource you requested does not exist.")

	// Tags and concurrency.
	if _, err := lc.TagResource(ctx, &lmb.TagResourceInput{Resource: aws.String(arn), Tags: map[string]string{"team": "auth"}}); err != nil {
		t.Fatal(err)
	}
	tags, err := lc.ListTags(ctx, &lmb.ListTagsInput{Resource: aws.String(arn)})
	if err != nil || tags.Tags["team"] != "auth" {
		t.Fatalf("ListTags = %+v, %v", tags, err)
	}
	if _, err := lc.PutFunctionConcurrency(ctx, &lmb.PutFunctionConcurrencyInput{FunctionName: aws.String("echo"), ReservedConcurrentExecutions: aws.Int32(0)}); err != nil {
		t.Fatal(err)
	}
	_, err = lc.Invoke(ctx, &lmb.InvokeInput{FunctionName: aws.String("echo")})
	testenv.WantError(t, err, "TooManyRequestsException", "Rate Exceeded.")
	if _, err := lc.DeleteFunctionConcurrency(ctx, &lmb.DeleteFunctionConcurrencyInput{FunctionName: aws.String("echo")}); err != nil {
		t.Fatal(err)
	}
	acct, err := lc.GetAccountSettings(ctx, &lmb.GetAccountSettingsInput{})
	if err != nil || acct.AccountUsage.FunctionCount != 1 || acct.AccountLimit.ConcurrentExecutions != 1000 {
		t.Fatalf("GetAccountSettings = %+v, %v", acct, err)
	}

	list, err := lc.ListFunctions(ctx, &lmb.ListFunctionsInput{})
	if err != nil || len(list.Functions) != 1 || aws.ToString(list.Functions[0].FunctionName) != "echo" {
		t.Fatalf("ListFunctions = %+v, %v", list, err)
	}
	if _, err := lc.DeleteFunction(ctx, &lmb.DeleteFunctionInput{FunctionName: aws.String(arn)}); err != nil {
		t.Fatal(err)
	}
	_, err = lc.GetFunction(ctx, &lmb.GetFunctionInput{FunctionName: aws.String("echo")})
	testenv.WantError(t, err, "ResourceNotFoundException", "Function not found: "+arn)
}

func invokeJSON(t *testing.T, lc *lmb.Client, name, payload string) map[string]any {
	t.Helper()
	out, err := lc.Invoke(testenv.Ctx(t), &lmb.InvokeInput{FunctionName: aws.String(name), Payload: []byte(payload)})
	if err != nil {
		t.Fatalf("invoke %s: %v", name, err)
	}
	if out.FunctionError != nil {
		t.Fatalf("invoke %s: function error %s", name, out.Payload)
	}
	var res map[string]any
	if err := json.Unmarshal(out.Payload, &res); err != nil {
		t.Fatalf("invoke %s: payload %s: %v", name, out.Payload, err)
	}
	return res
}

func TestLambdaCreateValidation(t *testing.T) {
	t.Parallel()
	s := testenv.Start(t, testenv.WithMemory())
	lc, ctx := s.Lambda(), testenv.Ctx(t)
	base := func() *lmb.CreateFunctionInput {
		return &lmb.CreateFunctionInput{FunctionName: aws.String("f"), Runtime: lmbtypes.RuntimeNodejs20x, Role: aws.String(testRole),
			Handler: aws.String("index.handler"), Code: &lmbtypes.FunctionCode{ZipFile: nodeZip(t, nodeEcho, false)}}
	}
	cases := []struct {
		name      string
		edit      func(*lmb.CreateFunctionInput)
		code, msg string
	}{
		{"not a zip", func(in *lmb.CreateFunctionInput) { in.Code.ZipFile = []byte("hello") },
			"InvalidParameterValueException", "Could not unzip uploaded file. Please check your file, then try to upload again."},
		{"no handler", func(in *lmb.CreateFunctionInput) { in.Handler = nil },
			"InvalidParameterValueException", "Runtime and Handler are mandatory parameters for functions created with deployment packages."},
		{"retired runtime", func(in *lmb.CreateFunctionInput) { in.Runtime = lmbtypes.RuntimeNodejs12x },
			"InvalidParameterValueException", "The runtime parameter of nodejs12.x is no longer supported for creating or updating AWS Lambda functions. We recommend you use the new runtime (nodejs22.x) while creating or updating functions."},
		{"reserved variable", func(in *lmb.CreateFunctionInput) {
			in.Environment = &lmbtypes.Environment{Variables: map[string]string{"AWS_REGION": "x"}}
		}, "InvalidParameterValueException", "Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: AWS_REGION"},
		{"timeout", func(in *lmb.CreateFunctionInput) { in.Timeout = aws.Int32(901) },
			"ValidationException", "1 validation error detected: Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900"},
		{"bad role", func(in *lmb.CreateFunctionInput) { in.Role = aws.String("admin") }, "ValidationException", ""},
		{"image", func(in *lmb.CreateFunctionInput) {
			in.PackageType = lmbtypes.PackageTypeImage
			in.Code = &lmbtypes.FunctionCode{ImageUri: aws.String("x.dkr.ecr.us-east-1.amazonaws.com/f:1")}
		}, "InvalidParameterValueException", ""},
	}
	for _, c := range cases {
		in := base()
		c.edit(in)
		_, err := lc.CreateFunction(ctx, in)
		code, msg := testenv.APIError(t, err)
		if code != c.code || (c.msg != "" && msg != c.msg) {
			t.Errorf("%s: %s: %q; want %s: %q", c.name, code, msg, c.code, c.msg)
		}
	}
}

func TestLambdaGoAndPythonRuntimes(t *testing.T) {
	t.Parallel()
	s := testenv.Start(t, testenv.WithMemory())
	lc, ctx := s.Lambda(), testenv.Ctx(t)
	_, err := lc.CreateFunction(ctx, &lmb.CreateFunctionInput{FunctionName: aws.String("goecho"), Runtime: lmbtypes.RuntimeProvidedal2023,
		Role: aws.String(testRole), Handler: aws.String("bootstrap"), Code: &lmbtypes.FunctionCode{ZipFile: goEchoZip(t)},
		Environment: &lmbtypes.Environment{Variables: map[string]string{"GREETING": "from go"}}})
	if err != nil {
		t.Fatal(err)
	}
	res := invokeJSON(t, lc, "goecho", `{"x":"y"}`)
	if res["greeting"] != "from go" || res["function"] != "goecho" || res["event"].(map[string]any)["x"] != "y" || res["requestId"] == "" {
		t.Fatalf("Go handler = %v", res)
	}
	out, err := lc.Invoke(ctx, &lmb.InvokeInput{FunctionName: aws.String("goecho"), Payload: []byte(`{"fail":true}`)})
	if err != nil || aws.ToString(out.FunctionError) != "Unhandled" || !strings.Contains(string(out.Payload), "asked to fail") {
		t.Fatalf("Go handler error = %v %s", err, out.Payload)
	}

	py := "import os\ndef handler(event, context):\n    return {'py': True, 'name': context.function_name, 'event': event}\n"
	_, err = lc.CreateFunction(ctx, &lmb.CreateFunctionInput{FunctionName: aws.String("pyecho"), Runtime: lmbtypes.RuntimePython312,
		Role: aws.String(testRole), Handler: aws.String("app.handler"), Code: &lmbtypes.FunctionCode{ZipFile: zipOf(t, map[string][]byte{"app.py": []byte(py)})}})
	if err != nil {
		t.Fatal(err)
	}
	res = invokeJSON(t, lc, "pyecho", `[1,2]`)
	if res["py"] != true || res["name"] != "pyecho" {
		t.Fatalf("Python handler = %v", res)
	}
}

// TestLambdaFaults: a handler that times out or crashes gives Lambda's function error, the
// instance is replaced, and the next invocation works.
func TestLambdaFaults(t *testing.T) {
	t.Parallel()
	s := testenv.Start(t, testenv.WithMemory())
	lc, ctx := s.Lambda(), testenv.Ctx(t)
	src := `
exports.handler = async (event) => {
  if (event.sleep) { await new Promise(r => setTimeout(r, event.sleep)); }
  if (event.crash) { process.exit(3); }
  return { ok: true, pid: process.pid };
};`
	createNode(t, s, "faulty", src, nil)
	if _, err := lc.UpdateFunctionConfiguration(ctx, &lmb.UpdateFunctionConfigurationInput{FunctionName: aws.String("faulty"), Timeout: aws.Int32(1)}); err != nil {
		t.Fatal(err)
	}
	first := invokeJSON(t, lc, "faulty", `{}`)

	out, err := lc.Invoke(ctx, &lmb.InvokeInput{FunctionName: aws.String("faulty"), Payload: []byte(`{"sleep":3000}`), LogType: lmbtypes.LogTypeTail})
	if err != nil {
		t.Fatal(err)
	}
	var fe map[string]any
	_ = json.Unmarshal(out.Payload, &fe)
	if aws.ToString(out.FunctionError) != "Unhandled" || fe["errorType"] != "Sandbox.Timedout" ||
		!strings.HasSuffix(fe["errorMessage"].(string), "Error: Task timed out after 1.00 seconds") {
		t.Fatalf("timeout: %v %s", aws.ToString(out.FunctionError), out.Payload)
	}
	second := invokeJSON(t, lc, "faulty", `{}`)
	if second["pid"] == first["pid"] {
		t.Fatal("the timed-out instance was reused")
	}

	out, err = lc.Invoke(ctx, &lmb.InvokeInput{FunctionName: aws.String("faulty"), Payload: []byte(`{"crash":true}`)})
	if err != nil {
		t.Fatal(err)
	}
	_ = json.Unmarshal(out.Payload, &fe)
	if aws.ToString(out.FunctionError) != "Unhandled" || fe["errorType"] != "Runtime.ExitError" {
		t.Fatalf("crash: %v %s", aws.ToString(out.FunctionError), out.Payload)
	}
	if third := invokeJSON(t, lc, "faulty", `{}`); third["ok"] != true {
		t.Fatalf("after the crash: %v", third)
	}
	// The server stays healthy.
	resp, err := http.Get(s.URL + "/_gatehouse/health")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("health after faults: %v %v", resp, err)
	}
	resp.Body.Close()
}
