package e2e

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/gatehouse-dev/gatehouse/internal/app"
	"github.com/gatehouse-dev/gatehouse/internal/testenv"
)

// awsCLIs are the aws CLI binaries the walk runs with: the installed v1 (pip) and Debian's v2.
// GATEHOUSE_AWS_CLIS overrides the list (colon separated).
func awsCLIs() []string {
	if v := os.Getenv("GATEHOUSE_AWS_CLIS"); v != "" {
		return filepath.SplitList(v)
	}
	var out []string
	if p, err := exec.LookPath("aws"); err == nil {
		out = append(out, p)
	}
	if _, err := os.Stat("/usr/bin/aws"); err == nil {
		out = append(out, "/usr/bin/aws")
	}
	return out
}

// runCLIWalk runs the bash script e2e/<script> with every aws CLI found, under --auth open and
// --auth sigv4, each against a fresh server: bash <script> <aws-binary> <server-url> <args...>,
// with the server's credentials in the environment. CI sets GATEHOUSE_REQUIRE_AWS_CLI=2 so
// that a missing CLI fails instead of skipping.
func runCLIWalk(t *testing.T, script string, args ...string) {
	clis := awsCLIs()
	seen := map[string]bool{}
	var uniq []string
	for _, c := range clis {
		r, err := filepath.EvalSymlinks(c)
		if err != nil {
			r = c
		}
		if !seen[r] {
			seen[r] = true
			uniq = append(uniq, c)
		}
	}
	if want := os.Getenv("GATEHOUSE_REQUIRE_AWS_CLI"); want == "2" && len(uniq) < 2 {
		t.Fatalf("need the aws CLI v1 and v2, found %v", uniq)
	}
	if len(uniq) == 0 {
		t.Skip("no aws CLI installed")
	}
	for _, tool := range []string{"jq", "curl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skip(tool + " not installed")
		}
	}
	for _, cli := range uniq {
		for _, auth := range []string{"open", "sigv4"} {
			t.Run(filepath.Base(filepath.Dir(cli))+"/"+filepath.Base(cli)+"/"+auth, func(t *testing.T) {
				t.Parallel()
				var opts []testenv.Option
				if auth == "sigv4" {
					// Signed by botocore, verified by Gatehouse; the walks read codes from the
					// development endpoint, so it stays on.
					opts = append(opts, testenv.WithSigV4(), func(c *app.Config) { c.DevEndpoints = true })
				}
				s := testenv.Start(t, opts...)
				cmd := exec.Command("bash", append([]string{script, cli, s.URL}, args...)...)
				cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID="+s.AccessKey, "AWS_SECRET_ACCESS_KEY="+s.SecretKey)
				out, err := cmd.CombinedOutput()
				t.Logf("%s", out)
				if err != nil {
					t.Fatalf("%s with %s under --auth %s: %v", script, cli, auth, err)
				}
			})
		}
	}
}

// TestAWSCLICognitoWalk runs e2e/cli/cognito.sh: the Cognito user-pool API as AWS's tutorials
// drive it.
func TestAWSCLICognitoWalk(t *testing.T) {
	runCLIWalk(t, "cli/cognito.sh")
}

// TestAWSCLIHTTPAPIJWTWalk runs e2e/cli/apigw.sh: an HTTP API protected by a Cognito JWT
// authorizer, built with the apigatewayv2 commands of AWS's docs and called with curl. The
// backend behind the API answers with what it received.
func TestAWSCLIHTTPAPIJWTWalk(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"from": "backend", "method": r.Method, "path": r.URL.Path})
	}))
	t.Cleanup(backend.Close)
	runCLIWalk(t, "cli/apigw.sh", backend.URL)
}

// TestAWSCLILambdaWalk runs e2e/cli/lambda.sh: a Node.js function created, invoked, updated,
// versioned and put behind a quick-created HTTP API with the lambda and apigatewayv2 commands
// of AWS's docs.
func TestAWSCLILambdaWalk(t *testing.T) {
	runCLIWalk(t, "cli/lambda.sh")
}
