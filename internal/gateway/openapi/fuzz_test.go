package openapi

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
)

// FuzzImport checks that Import never panics, answers hostile input quickly, fails only with
// BadRequestException, and that whatever it accepts exports in both formats and imports back
// to the same Definition.
func FuzzImport(f *testing.F) {
	for _, dir := range []string{"testdata/import", "testdata/export"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*"))
		for _, file := range files {
			if b, err := os.ReadFile(file); err == nil {
				f.Add(b)
			}
		}
	}
	for _, s := range []string{
		`{"openapi":"3.0.1","paths":{"/a/{b}":{"get":{"security":[{"x":["s"]}]}}}}`,
		"openapi: 3.0.1\npaths:\n  /$default:\n    x-amazon-apigateway-any-method: {}\n",
		"openapi: 3.0.1\na: &a [*a]\n",
		"openapi: 3.0.1\nx-amazon-apigateway-cors: {maxAge: 99999999999}\n",
		`{"swagger": "2.0"}`,
		"[[[[[[[[[[",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		start := time.Now()
		def, _, err := Import(body)
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("Import took %v for %d bytes", d, len(body))
		}
		if err != nil {
			if e, ok := awserr.As(err); !ok || e.Type != "BadRequestException" {
				t.Fatalf("error %v is not a BadRequestException", err)
			}
			return
		}
		for _, ot := range []string{"JSON", "YAML"} {
			out, err := Export(def, ExportOptions{OutputType: ot})
			if err != nil {
				t.Fatalf("%s export of an imported definition: %v", ot, err)
			}
			back, _, err := Import(out)
			if err != nil {
				t.Fatalf("%s re-import: %v\n%s", ot, err, out)
			}
			if diff := cmp.Diff(canon(def), canon(back), cmpDef); diff != "" {
				t.Fatalf("%s round trip (-first +second):\n%s\n%s", ot, diff, out)
			}
		}
	})
}
