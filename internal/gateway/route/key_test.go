package route

import (
	"slices"
	"testing"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
)

func TestParseValid(t *testing.T) {
	for _, tc := range []struct {
		key, method, path string
		segs              []Segment
		vars              []string
		greedy            bool
	}{
		{key: "$default"},
		{key: "GET /", method: "GET", path: "/"},
		{key: "ANY /", method: "ANY", path: "/"},
		{key: "GET /pets", method: "GET", path: "/pets", segs: []Segment{{Static, "pets"}}},
		{key: "POST /pets/{id}", method: "POST", path: "/pets/{id}",
			segs: []Segment{{Static, "pets"}, {Variable, "id"}}, vars: []string{"id"}},
		{key: "ANY /{proxy+}", method: "ANY", path: "/{proxy+}",
			segs: []Segment{{Greedy, "proxy"}}, vars: []string{"proxy"}, greedy: true},
		{key: "DELETE /a/{b}/c/{d+}", method: "DELETE", path: "/a/{b}/c/{d+}",
			segs: []Segment{{Static, "a"}, {Variable, "b"}, {Static, "c"}, {Greedy, "d"}},
			vars: []string{"b", "d"}, greedy: true},
		{key: "PUT /v1.2/x_y:z-w", method: "PUT", path: "/v1.2/x_y:z-w", segs: []Segment{{Static, "v1.2"}, {Static, "x_y:z-w"}}},
		{key: "PATCH /{a.b:c-d_e}", method: "PATCH", path: "/{a.b:c-d_e}",
			segs: []Segment{{Variable, "a.b:c-d_e"}}, vars: []string{"a.b:c-d_e"}},
		{key: "HEAD /.well-known/jwks.json", method: "HEAD", path: "/.well-known/jwks.json",
			segs: []Segment{{Static, ".well-known"}, {Static, "jwks.json"}}},
		{key: "OPTIONS /Pets", method: "OPTIONS", path: "/Pets", segs: []Segment{{Static, "Pets"}}},
		{key: "GET /pets/{proxy+}", method: "GET", path: "/pets/{proxy+}",
			segs: []Segment{{Static, "pets"}, {Greedy, "proxy"}}, vars: []string{"proxy"}, greedy: true},
	} {
		k, err := Parse(tc.key)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.key, err)
			continue
		}
		if k.String() != tc.key || !k.Valid() || k.IsDefault() != (tc.key == DefaultKey) {
			t.Errorf("Parse(%q) = %q valid=%v default=%v", tc.key, k.String(), k.Valid(), k.IsDefault())
		}
		if k.Method() != tc.method || k.Path() != tc.path || k.Greedy() != tc.greedy {
			t.Errorf("Parse(%q): method %q path %q greedy %v", tc.key, k.Method(), k.Path(), k.Greedy())
		}
		if !slices.Equal(k.Segments(), tc.segs) || !slices.Equal(k.Variables(), tc.vars) {
			t.Errorf("Parse(%q): segments %v variables %v", tc.key, k.Segments(), k.Variables())
		}
		var b string
		for _, s := range k.Segments() {
			b += "/" + s.String()
		}
		if b == "" && tc.path != "" {
			b = "/"
		}
		if b != tc.path {
			t.Errorf("Parse(%q): segments render as %q", tc.key, b)
		}
	}
}

func TestParseInvalid(t *testing.T) {
	for _, tc := range []struct{ key, msg string }{
		{"", MsgRouteKeyRequired},
		{"get /pets", MsgRouteKeyFormat},
		{"Get /pets", MsgRouteKeyFormat},
		{"TRACE /pets", MsgRouteKeyFormat},
		{"CONNECT /pets", MsgRouteKeyFormat},
		{"GET", MsgRouteKeyFormat},
		{"GET ", MsgRouteKeyFormat},
		{"GET pets", MsgRouteKeyFormat},
		{"GET  /pets", MsgRouteKeyFormat},
		{" GET /pets", MsgRouteKeyFormat},
		{"GET\t/pets", MsgRouteKeyFormat},
		{"POST/augur", MsgRouteKeyFormat},
		{"/pets", MsgRouteKeyFormat},
		{"$DEFAULT", MsgRouteKeyFormat},
		{"$default ", MsgRouteKeyFormat},
		{"default", MsgRouteKeyFormat},
		{"GET /pets/", MsgPathParts},
		{"GET //", MsgPathParts},
		{"GET //pets", MsgPathParts},
		{"GET /pets//dogs", MsgPathParts},
		{"GET /pets ", MsgPathParts},
		{"GET /pets dogs", MsgPathParts},
		{"GET /voice/*", MsgPathParts},
		{"GET /pets?x=1", MsgPathParts},
		{"GET /pets/{id", MsgPathParts},
		{"GET /pets/id}", MsgPathParts},
		{"GET /pets/{}", MsgPathParts},
		{"GET /pets/{+}", MsgPathParts},
		{"GET /pets/{a+b}", MsgPathParts},
		{"GET /pets/{a++}", MsgPathParts},
		{"GET /pets/{a b}", MsgPathParts},
		{"GET /pets/{{a}}", MsgPathParts},
		{"GET /pets/x{id}", MsgPathParts},
		{"GET /pets/{id}.json", MsgPathParts},
		{"GET /pets/%20", MsgPathParts},
		{"GET /pets/caf\u00e9", MsgPathParts},
		{"GET /pets/{caf\u00e9}", MsgPathParts},
		{"GET /users/@me", MsgPathParts},
		{"GET /a~b", MsgPathParts},
		{"GET /{proxy+}/x", MsgGreedyNotLast},
		{"GET /{a+}/{b+}", MsgGreedyNotLast},
		{"GET /a/{id}/b/{id}", "Path variable names must be unique within a route key: id is used more than once"},
		{"GET /a/{id}/{id+}", "Path variable names must be unique within a route key: id is used more than once"},
	} {
		k, err := Parse(tc.key)
		if err == nil {
			t.Errorf("Parse(%q) = %q, want error %q", tc.key, k, tc.msg)
			continue
		}
		ae, ok := awserr.As(err)
		if !ok || ae.Type != BadRequestException || ae.Message != tc.msg {
			t.Errorf("Parse(%q) error = %#v, want BadRequestException %q", tc.key, err, tc.msg)
		}
		if k.Valid() {
			t.Errorf("Parse(%q) returned a valid key with an error", tc.key)
		}
	}
}

func TestZeroKey(t *testing.T) {
	var k Key
	if k.Valid() || k.IsDefault() || k.Method() != "" || k.Path() != "" || k.String() != "" ||
		k.Segments() != nil || k.Variables() != nil || k.Greedy() {
		t.Errorf("zero Key is not empty: %#v", k)
	}
	d, _ := Parse(DefaultKey)
	if d.Method() != "" || d.Path() != "" || d.Segments() != nil {
		t.Errorf("$default has a method or path: %#v", d)
	}
}

func TestSegmentsIsACopy(t *testing.T) {
	k, _ := Parse("GET /a/{b}")
	s := k.Segments()
	s[0].Value = "x"
	if k.Segments()[0].Value != "a" {
		t.Error("Segments exposes the key's storage")
	}
}

func TestKindString(t *testing.T) {
	for k, want := range map[Kind]string{Static: "static", Variable: "variable", Greedy: "greedy", 9: "unknown"} {
		if k.String() != want {
			t.Errorf("Kind(%d).String() = %q", k, k.String())
		}
	}
}
