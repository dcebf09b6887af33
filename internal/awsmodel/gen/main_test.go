package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestModelsUpToDate regenerates every model from the botocore sources (when
// they are present) and compares with the committed output.
func TestModelsUpToDate(t *testing.T) {
	src := filepath.Join("..", "..", "..", "..", "shared", "aws-models")
	if _, err := os.Stat(src); err != nil {
		t.Skipf("botocore models not available: %v", err)
	}
	for _, svc := range strings.Split(defaultServices, ",") {
		in, err := os.ReadFile(filepath.Join(src, svc+".json"))
		if err != nil {
			t.Fatal(err)
		}
		got, err := convert(in)
		if err != nil {
			t.Fatalf("%s: %v", svc, err)
		}
		want, err := os.ReadFile(filepath.Join("..", "models", svc+".json"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("models/%s.json is stale: run go generate ./internal/awsmodel", svc)
		}
		if bytes.Contains(got, []byte(`"documentation"`)) {
			t.Errorf("%s: documentation kept", svc)
		}
	}
}

func TestConvertKeepsMemberOrder(t *testing.T) {
	in := []byte(`{"metadata":{"protocol":"json"},"operations":{"Op":{"name":"Op","http":{"method":"POST","requestUri":"/"},
		"input":{"shape":"In"},"documentation":"x","authtype":"none"}},
		"shapes":{"In":{"type":"structure","required":["Z"],"members":{"Z":{"shape":"S","documentation":"d"},"A":{"shape":"S"}}},
		"S":{"type":"string","min":1,"pattern":"[a-z]+","sensitive":true}}}`)
	got, err := convert(in)
	if err != nil {
		t.Fatal(err)
	}
	want := `{
"metadata":{"protocol":"json"},
"operations":{
"Op":{"http":{"method":"POST","requestUri":"/"},"input":"In","authtype":"none"}
},
"shapes":{
"In":{"type":"structure","members":[{"name":"Z","shape":"S"},{"name":"A","shape":"S"}],"required":["Z"]},
"S":{"type":"string","min":1,"pattern":"[a-z]+","sensitive":true}
}
}
`
	if string(got) != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
