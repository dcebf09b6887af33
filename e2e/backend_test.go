package e2e

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	agw "github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	agwtypes "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
)

// startBackendProcess builds and runs e2e/testdata/backend as a separate process and returns
// its URL.
func startBackendProcess(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "backend")
	if out, err := exec.Command("go", "build", "-o", bin, "./testdata/backend").CombinedOutput(); err != nil {
		t.Fatalf("build backend: %v\n%s", err, out)
	}
	cmd := exec.Command(bin)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("backend address: %v", err)
	}
	return strings.TrimSpace(line)
}

// TestHTTPAPIBackendProcess proxies to a backend in another process: large request bodies
// arrive intact, chunked responses stream through, and $request.body mappings read the body.
func TestHTTPAPIBackendProcess(t *testing.T) {
	t.Parallel()
	e := newGwEnv(t)
	backend := startBackendProcess(t)
	api, err := e.gw.CreateApi(e.ctx, &agw.CreateApiInput{Name: aws.String("process"), ProtocolType: agwtypes.ProtocolTypeHttp})
	e.must(err, "api")
	integ, err := e.gw.CreateIntegration(e.ctx, &agw.CreateIntegrationInput{ApiId: api.ApiId, IntegrationType: agwtypes.IntegrationTypeHttpProxy,
		IntegrationMethod: aws.String("ANY"), IntegrationUri: aws.String(backend + "/{proxy}"), PayloadFormatVersion: aws.String("1.0"),
		RequestParameters: map[string]string{"overwrite:header.x-pet-name": "$request.body.pet.name"}})
	e.must(err, "integration")
	_, err = e.gw.CreateRoute(e.ctx, &agw.CreateRouteInput{ApiId: api.ApiId, RouteKey: aws.String("ANY /{proxy+}"),
		Target: aws.String("integrations/" + aws.ToString(integ.IntegrationId))})
	e.must(err, "route")
	_, err = e.gw.CreateStage(e.ctx, &agw.CreateStageInput{ApiId: api.ApiId, StageName: aws.String("$default"), AutoDeploy: aws.Bool(true)})
	e.must(err, "stage")
	base := e.s.URL + "/_aws/execute-api/" + aws.ToString(api.ApiId)

	// A 2 MB JSON body goes through whole, and the mapping reads a member of it (within the
	// first 100 KB, which is what API Gateway evaluates).
	body := []byte(`{"pet":{"name":"rex"},"blob":"` + strings.Repeat("x", 2<<20) + `"}`)
	sum := sha256.Sum256(body)
	resp, err := http.Post(base+"/upload", "application/json", bytes.NewReader(body))
	e.must(err, "post")
	var got struct {
		Method, Path string
		Headers      http.Header
		BodyLength   int
		BodySHA256   string
	}
	e.must(json.NewDecoder(resp.Body).Decode(&got), "decode echo")
	resp.Body.Close()
	if resp.StatusCode != 200 || got.Path != "/upload" || got.BodyLength != len(body) || got.BodySHA256 != hex.EncodeToString(sum[:]) ||
		got.Headers.Get("X-Pet-Name") != "rex" || resp.Header.Get("X-Backend-Pid") == strconv.Itoa(os.Getpid()) {
		t.Errorf("upload: %d %+v", resp.StatusCode, got)
	}

	// A chunked response streams through unbuffered (no Content-Length added).
	resp, err = http.Get(base + "/stream")
	e.must(err, "stream")
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(data) != "chunk 0\nchunk 1\nchunk 2\n" || resp.ContentLength != -1 {
		t.Errorf("stream: %d %q length %d", resp.StatusCode, data, resp.ContentLength)
	}

	// Over the 10 MB payload limit: 413 before anything reaches the backend.
	resp, err = http.Post(base+"/upload", "application/octet-stream", bytes.NewReader(make([]byte, 10<<20+1)))
	e.must(err, "oversized post")
	msg, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 413 || string(msg) != `{"message":"Request Entity Too Large"}` {
		t.Errorf("oversized: %d %s", resp.StatusCode, msg)
	}
}
