package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/testenv"
)

// nodeDir holds the Node end-to-end tests, their package.json and package-lock.json.
const nodeDir = "node"

// TestNodeSDKUserPool runs e2e/node/userpool.test.mjs, signin.test.mjs and lambda.test.mjs (node's built-in test runner) against a
// fresh server: the AWS SDK for JavaScript v3 and amazon-cognito-identity-js, as pinned in
// e2e/node/package-lock.json and installed with `npm ci` in e2e/node (scripts/test does that).
// It skips when node or e2e/node/node_modules is missing; CI sets GATEHOUSE_REQUIRE_NODE=1 so
// that it fails instead.
func TestNodeSDKUserPool(t *testing.T) {
	t.Parallel()
	required := os.Getenv("GATEHOUSE_REQUIRE_NODE") == "1"
	unavailable := func(format string, args ...any) {
		t.Helper()
		if required {
			t.Fatalf(format+" (GATEHOUSE_REQUIRE_NODE=1)", args...)
		}
		t.Skipf(format, args...)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		unavailable("node not installed")
	}
	if major, err := nodeMajor(node); err != nil {
		unavailable("node --version: %v", err)
	} else if major < 20 {
		unavailable("node %d is too old: the AWS SDK for JavaScript v3 needs node 20 or later", major)
	}
	if _, err := os.Stat(filepath.Join(nodeDir, "node_modules")); err != nil {
		unavailable("e2e/node/node_modules missing: run `npm ci` in e2e/node")
	}

	s := testenv.Start(t)
	// lambda.test.mjs deploys this function: it answers with the JWT claims API Gateway passed.
	fnZip := filepath.Join(t.TempDir(), "claims.zip")
	if err := os.WriteFile(fnZip, nodeZip(t, `exports.handler = async (event) => ({ statusCode: 200,
  body: JSON.stringify(event.requestContext?.authorizer?.jwt?.claims ?? {}) });`, false), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "--test", "--test-reporter=spec", "userpool.test.mjs", "signin.test.mjs", "lambda.test.mjs")
	cmd.Dir = nodeDir
	cmd.Env = append(os.Environ(), "GATEHOUSE_ENDPOINT="+s.URL, "GATEHOUSE_FUNCTION_ZIP="+fnZip, "NO_COLOR=1",
		// No shared AWS config or credentials files: the test configures the SDK itself.
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
		// CI runs node 20 on purpose; the SDK's notice that later releases need node 22 is noise.
		"AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true")
	// node --test runs the file in a child process; do not wait forever for its output pipe
	// when the deadline kills the parent.
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node --test userpool.test.mjs signin.test.mjs lambda.test.mjs: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}

// nodeMajor returns the major version of the node binary, from `node --version` ("v20.11.1").
func nodeMajor(node string) (int, error) {
	out, err := exec.Command(node, "--version").Output()
	if err != nil {
		return 0, err
	}
	v := strings.TrimPrefix(strings.TrimSpace(string(out)), "v")
	major, _, _ := strings.Cut(v, ".")
	return strconv.Atoi(major)
}
