package route

import (
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "$default", "GET /", "ANY /{proxy+}", "GET /pets/{id}", "GET /pets/", "get /pets",
		"GET /{a+}/b", "GET /{a}/{a}", "GET /{}", "GET //", "POST /a.b/c:d/e_f/g-h", "GET /{x", "GET /\u00e9",
	} {
		f.Add(s)
	}
	known := map[string]bool{MsgRouteKeyRequired: true, MsgRouteKeyFormat: true, MsgPathParts: true, MsgGreedyNotLast: true}
	f.Fuzz(func(t *testing.T, s string) {
		k, err := Parse(s)
		if err != nil {
			ae, ok := awserr.As(err)
			if !ok || ae.Type != BadRequestException {
				t.Fatalf("Parse(%q) error %#v is not a BadRequestException", s, err)
			}
			if !known[ae.Message] && !strings.HasPrefix(ae.Message, "Path variable names must be unique") {
				t.Fatalf("Parse(%q) unexpected message %q", s, ae.Message)
			}
			if k.Valid() {
				t.Fatalf("Parse(%q) returned a valid key and an error", s)
			}
			return
		}
		if !k.Valid() || k.String() != s {
			t.Fatalf("Parse(%q) = %q", s, k)
		}
		if k.IsDefault() {
			if s != DefaultKey {
				t.Fatalf("Parse(%q) is $default", s)
			}
			return
		}
		// The key is rebuilt exactly from its parts.
		rebuilt := k.Method() + " /"
		var parts []string
		seen := map[string]bool{}
		for i, seg := range k.Segments() {
			parts = append(parts, seg.String())
			if seg.Kind != Static {
				if seen[seg.Value] {
					t.Fatalf("Parse(%q): variable %s twice", s, seg.Value)
				}
				seen[seg.Value] = true
			}
			if seg.Kind == Greedy && i != len(k.Segments())-1 {
				t.Fatalf("Parse(%q): greedy variable not last", s)
			}
		}
		rebuilt += strings.Join(parts, "/")
		if rebuilt != s {
			t.Fatalf("Parse(%q) rebuilds as %q", s, rebuilt)
		}
		if again, err := Parse(k.String()); err != nil || again.String() != k.String() {
			t.Fatalf("Parse(%q) round trip: %v", s, err)
		}
		// A key matches its own path, with each variable bound to its own name.
		tab, err := NewTable([]Entry[int]{{Key: k}})
		if err != nil {
			t.Fatalf("NewTable(%q): %v", s, err)
		}
		path := strings.NewReplacer("{", "", "+}", "", "}", "").Replace(k.Path())
		m, ok := tab.Match(k.Method(), path)
		if !ok || m.Entry.Key.String() != s {
			t.Fatalf("%q does not match its own path %q", s, path)
		}
		for _, p := range m.Params {
			if p.Name != p.Value {
				t.Fatalf("%q on %q: param %s = %q", s, path, p.Name, p.Value)
			}
		}
	})
}

// fuzzKeys is a table that exercises every kind of segment and both kinds of method.
var fuzzKeys = []string{
	"GET /", "ANY /", "GET /pets", "ANY /pets", "POST /pets", "GET /pets/dog/1", "GET /pets/dog/{id}",
	"GET /pets/{proxy+}", "ANY /{proxy+}", "GET /{a}/{b}/{c}", "HEAD /{a}/x", "DELETE /pets/{id}/toys/{toy}",
	"ANY /files/{path+}", "GET /files/{name}", "PUT /a/b/c/d/e", "$default",
}

func FuzzMatch(f *testing.F) {
	for _, s := range []struct{ keys, method, path string }{
		{"", "GET", "/pets/dog/1"}, {"", "POST", "/test/5"}, {"", "GET", "/pets/cat/1"}, {"", "HEAD", "/q/x"},
		{"", "GET", "/pets/"}, {"", "GET", "//"}, {"", "get", "/files/a%2Fb/c"}, {"", "GET", "/a/b/c/"},
		{"GET /x/{y}\nANY /x/{y}/{z+}", "PATCH", "/x/1/2/3"}, {"GET /{a}\nGET /{b}", "GET", "/z"},
		{"", "DELETE", "/pets/1/toys/%zz"}, {"", "GET", "pets"}, {"", "GET", ""},
	} {
		f.Add(s.keys, s.method, s.path)
	}
	fixed := entriesOf(f, fuzzKeys...)
	fixedTab, err := NewTable(fixed)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, keys, method, path string) {
		tab, es := fixedTab, fixed
		if keys != "" {
			var own []Entry[int]
			for _, s := range strings.Split(keys, "\n") {
				if k, err := Parse(s); err == nil {
					own = append(own, Entry[int]{Key: k, Value: len(own)})
				}
			}
			if own != nil {
				if ot, err := NewTable(own); err == nil {
					tab, es = ot, own
				} else if _, ok := awserr.As(err); !ok {
					t.Fatalf("NewTable: %v", err)
				}
			}
		}
		checkMatch(t, tab, es, method, path)
		if stage, rest, ok := SelectStage(path, []string{"$default", "dev"}); ok {
			if stage == "dev" && !strings.HasPrefix(rest, "/") {
				t.Fatalf("SelectStage(%q) = %q, %q", path, stage, rest)
			}
			if stage == DefaultStage && rest != path && !(path == "" && rest == "/") {
				t.Fatalf("SelectStage(%q) = %q, %q", path, stage, rest)
			}
			checkMatch(t, tab, es, method, rest)
		} else {
			t.Fatalf("SelectStage(%q) found no stage although $default exists", path)
		}
	})
}
