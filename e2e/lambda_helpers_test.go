package e2e

import (
	"archive/zip"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	lmb "github.com/aws/aws-sdk-go-v2/service/lambda"
	lmbtypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/gatehouse-dev/gatehouse/internal/testenv"
)

// testRole is the execution role every test function names (Lambda requires one).
const testRole = "arn:aws:iam::000000000000:role/lambda-role"

// zipOf builds a deployment package holding files (name → content); a file named bootstrap
// is executable.
func zipOf(t testing.TB, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range files {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate}
		mode := os.FileMode(0o644)
		if name == "bootstrap" {
			mode = 0o755
		}
		h.SetMode(mode)
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// nodeZip is a package with one Node.js module, index.js (or index.mjs when esm).
func nodeZip(t testing.TB, source string, esm bool) []byte {
	name := "index.js"
	if esm {
		name = "index.mjs"
	}
	return zipOf(t, map[string][]byte{name: []byte(source)})
}

// createNode creates a nodejs20.x function running source as index.handler.
func createNode(t testing.TB, s *testenv.Server, name, source string, env map[string]string) *lmb.CreateFunctionOutput {
	t.Helper()
	in := &lmb.CreateFunctionInput{FunctionName: aws.String(name), Runtime: lmbtypes.RuntimeNodejs20x,
		Role: aws.String(testRole), Handler: aws.String("index.handler"),
		Code: &lmbtypes.FunctionCode{ZipFile: nodeZip(t, source, false)}}
	if env != nil {
		in.Environment = &lmbtypes.Environment{Variables: env}
	}
	out, err := s.Lambda().CreateFunction(testenv.Ctx(t), in)
	if err != nil {
		t.Fatalf("create function %s: %v", name, err)
	}
	return out
}

var goEcho struct {
	once sync.Once
	zip  []byte
	err  error
}

// goEchoZip builds testdata/lambda/goecho (aws-lambda-go) for Linux as a provided.al2023
// package: one executable named bootstrap. It is built once per test binary.
func goEchoZip(t testing.TB) []byte {
	t.Helper()
	goEcho.once.Do(func() {
		dir, err := os.MkdirTemp("", "goecho-")
		if err != nil {
			goEcho.err = err
			return
		}
		defer os.RemoveAll(dir)
		bin := filepath.Join(dir, "bootstrap")
		cmd := exec.Command("go", "build", "-o", bin, "./testdata/lambda/goecho")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux")
		if out, err := cmd.CombinedOutput(); err != nil {
			goEcho.err = err
			t.Logf("go build: %s", out)
			return
		}
		b, err := os.ReadFile(bin)
		if err != nil {
			goEcho.err = err
			return
		}
		goEcho.zip = zipOf(t, map[string][]byte{"bootstrap": b})
	})
	if goEcho.err != nil {
		t.Fatalf("build the Go handler: %v", goEcho.err)
	}
	return goEcho.zip
}
