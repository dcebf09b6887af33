package route

import (
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
)

type matchCase struct {
	method, path string
	want         string            // selected route key, "" for no match
	params       map[string]string // nil for none
}

func runMatches(t *testing.T, keys []string, cases []matchCase) {
	t.Helper()
	tab, es := tableOf(t, keys...)
	for _, tc := range cases {
		got, ok := tab.Match(tc.method, tc.path)
		switch {
		case tc.want == "" && ok:
			t.Errorf("%s %q selected %q, want no match", tc.method, tc.path, got.Entry.Key)
		case tc.want != "" && !ok:
			t.Errorf("%s %q selected nothing, want %q", tc.method, tc.path, tc.want)
		case ok && (got.Entry.Key.String() != tc.want || !mapsEqual(got.Params.Map(), tc.params)):
			t.Errorf("%s %q selected %q %v, want %q %v", tc.method, tc.path,
				got.Entry.Key, got.Params.Map(), tc.want, tc.params)
		case ok && es[got.Entry.Value].Key.String() != tc.want:
			t.Errorf("%s %q: entry value %d is not %q", tc.method, tc.path, got.Entry.Value, tc.want)
		}
		checkMatch(t, tab, es, tc.method, tc.path)
	}
}

// The example table of the developer guide (http-api-develop-routes.html, "Routing API
// requests").
func TestMatchAWSExample(t *testing.T) {
	keys := []string{"GET /pets/dog/1", "GET /pets/dog/{id}", "GET /pets/{proxy+}", "ANY /{proxy+}", "$default"}
	runMatches(t, keys, []matchCase{
		{"GET", "/pets/dog/1", "GET /pets/dog/1", nil},
		{"GET", "/pets/dog/2", "GET /pets/dog/{id}", map[string]string{"id": "2"}},
		{"GET", "/pets/cat/1", "GET /pets/{proxy+}", map[string]string{"proxy": "cat/1"}},
		{"POST", "/test/5", "ANY /{proxy+}", map[string]string{"proxy": "test/5"}},
		// Around the documented rows.
		{"POST", "/pets/dog/1", "ANY /{proxy+}", map[string]string{"proxy": "pets/dog/1"}},
		{"GET", "/pets/dog", "GET /pets/{proxy+}", map[string]string{"proxy": "dog"}},
		{"GET", "/pets", "ANY /{proxy+}", map[string]string{"proxy": "pets"}},
		{"GET", "/", "$default", nil},
		{"DELETE", "/", "$default", nil},
		{"GET", "", "$default", nil},
	})
	// The same routes in the archived version of the page, which had no static route.
	runMatches(t, keys[1:], []matchCase{
		{"GET", "/pets/dog/1", "GET /pets/dog/{id}", map[string]string{"id": "1"}},
	})
}

func TestMatchPriority(t *testing.T) {
	runMatches(t, []string{
		"GET /a/b/c", "GET /a/{x}/c", "GET /{y}/b/{z}", "ANY /a/b/{w}", "GET /a/{proxy+}",
		"GET /{y}/{q}/{r}/{s}", "POST /a/b/c",
	}, []matchCase{
		{"GET", "/a/b/c", "GET /a/b/c", nil},
		{"POST", "/a/b/c", "POST /a/b/c", nil},
		{"PUT", "/a/b/c", "ANY /a/b/{w}", map[string]string{"w": "c"}},
		{"GET", "/a/x/c", "GET /a/{x}/c", map[string]string{"x": "x"}},
		{"GET", "/a/b/d", "ANY /a/b/{w}", map[string]string{"w": "d"}}, // static b beats {x}
		{"GET", "/z/b/d", "GET /{y}/b/{z}", map[string]string{"y": "z", "z": "d"}},
		// A full match of four segments beats the greedy route even though "a" is static.
		{"GET", "/a/b/c/d", "GET /{y}/{q}/{r}/{s}", map[string]string{"y": "a", "q": "b", "r": "c", "s": "d"}},
		{"GET", "/a/b/c/d/e", "GET /a/{proxy+}", map[string]string{"proxy": "b/c/d/e"}},
		{"POST", "/a/b/c/d", "", nil},
		{"GET", "/a/x/y", "GET /a/{proxy+}", map[string]string{"proxy": "x/y"}},
	})
}

func TestMatchMethods(t *testing.T) {
	runMatches(t, []string{"GET /pets", "ANY /pets", "HEAD /head", "GET /only", "ANY /any/{x}", "POST /any/{x}"}, []matchCase{
		{"GET", "/pets", "GET /pets", nil},
		{"POST", "/pets", "ANY /pets", nil},
		{"HEAD", "/pets", "ANY /pets", nil},
		{"OPTIONS", "/pets", "ANY /pets", nil},
		{"PROPFIND", "/pets", "ANY /pets", nil},
		{"get", "/pets", "ANY /pets", nil}, // methods are case-sensitive
		{"ANY", "/pets", "ANY /pets", nil},
		{"", "/pets", "ANY /pets", nil},
		{"HEAD", "/head", "HEAD /head", nil},
		{"GET", "/head", "", nil},
		{"HEAD", "/only", "", nil}, // GET routes do not serve HEAD
		{"get", "/only", "", nil},
		{"POST", "/any/1", "POST /any/{x}", map[string]string{"x": "1"}},
		{"PUT", "/any/1", "ANY /any/{x}", map[string]string{"x": "1"}},
	})
}

// ANY serves only methods the resource has no route for; a method route further down the
// priority list still beats it only when the ANY route is less specific.
func TestMatchAnyAcrossClasses(t *testing.T) {
	runMatches(t, []string{"GET /pets/{id}", "ANY /pets/{proxy+}", "ANY /{x}/dog", "GET /{proxy+}"}, []matchCase{
		{"GET", "/pets/1", "GET /pets/{id}", map[string]string{"id": "1"}},
		{"POST", "/pets/1", "ANY /pets/{proxy+}", map[string]string{"proxy": "1"}},
		{"GET", "/pets/dog", "GET /pets/{id}", map[string]string{"id": "dog"}},
		{"POST", "/pets/dog", "ANY /{x}/dog", map[string]string{"x": "pets"}},
		{"GET", "/cats/dog", "ANY /{x}/dog", map[string]string{"x": "cats"}}, // full match beats greedy GET
		{"GET", "/cats", "GET /{proxy+}", map[string]string{"proxy": "cats"}},
		{"POST", "/cats", "", nil},
	})
}

func TestMatchTrailingSlashAndEmpty(t *testing.T) {
	runMatches(t, []string{"GET /", "GET /pets", "GET /pets/{id}", "GET /files/{proxy+}", "GET /x/{a}/y"}, []matchCase{
		{"GET", "/", "GET /", nil},
		{"GET", "", "GET /", nil},
		{"GET", "//", "GET /", nil},
		{"GET", "/pets", "GET /pets", nil},
		{"GET", "/pets/", "GET /pets", nil},
		{"GET", "/pets//", "", nil},
		{"GET", "/pets/1/", "GET /pets/{id}", map[string]string{"id": "1"}},
		{"GET", "/pets//1", "", nil},
		{"GET", "/x//y", "", nil}, // a variable never matches an empty segment
		{"GET", "/files", "", nil},
		{"GET", "/files/", "", nil}, // a greedy variable needs something to match
		{"GET", "/files//", "", nil},
		{"GET", "/files/a", "GET /files/{proxy+}", map[string]string{"proxy": "a"}},
		{"GET", "/files/a/", "GET /files/{proxy+}", map[string]string{"proxy": "a/"}},
		{"GET", "/files/a//b", "GET /files/{proxy+}", map[string]string{"proxy": "a//b"}},
		{"GET", "/files//a", "GET /files/{proxy+}", map[string]string{"proxy": "/a"}},
		{"GET", "pets", "", nil},
		{"GET", "*", "", nil},
	})
	runMatches(t, []string{"ANY /{proxy+}"}, []matchCase{
		{"GET", "/", "", nil}, // /{proxy+} does not match the root
		{"GET", "", "", nil},
		{"GET", "//", "", nil},
		{"GET", "/a", "ANY /{proxy+}", map[string]string{"proxy": "a"}},
		{"GET", "///", "ANY /{proxy+}", map[string]string{"proxy": "//"}},
	})
}

func TestMatchCaseAndEncoding(t *testing.T) {
	runMatches(t, []string{"GET /pets", "GET /Pets/{id}", "GET /users/{name}/orders/{order}", "GET /s/{proxy+}"}, []matchCase{
		{"GET", "/pets", "GET /pets", nil},
		{"GET", "/PETS", "", nil},
		{"GET", "/Pets/1", "GET /Pets/{id}", map[string]string{"id": "1"}},
		{"GET", "/pets/1", "", nil},
		{"GET", "/%70ets", "GET /pets", nil}, // segments are decoded before comparison
		{"GET", "/users/J%20Doe/orders/Summer%20Sale%202023", "GET /users/{name}/orders/{order}",
			map[string]string{"name": "J Doe", "order": "Summer Sale 2023"}},
		{"GET", "/users/%E2%98%95/orders/a+b", "GET /users/{name}/orders/{order}",
			map[string]string{"name": "\u2615", "order": "a+b"}},
		{"GET", "/users/a%2Fb/orders/1", "GET /users/{name}/orders/{order}",
			map[string]string{"name": "a/b", "order": "1"}}, // %2F stays in its segment
		{"GET", "/users/100%/orders/1", "GET /users/{name}/orders/{order}",
			map[string]string{"name": "100%", "order": "1"}}, // malformed escape kept as sent
		{"GET", "/s/a%20b/c%2Fd", "GET /s/{proxy+}", map[string]string{"proxy": "a b/c/d"}},
		{"GET", "/Pets/caf\u00e9", "GET /Pets/{id}", map[string]string{"id": "caf\u00e9"}},
	})
}

func TestMatchNotFound(t *testing.T) {
	tab, _ := tableOf(t, "GET /pets")
	for _, p := range []string{"/", "/pet", "/pets/1", "/petsx"} {
		if m, ok := tab.Match("GET", p); ok {
			t.Errorf("GET %q selected %q", p, m.Entry.Key)
		}
	}
	empty, err := NewTable[int](nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := empty.Match("GET", "/"); ok || empty.Len() != 0 {
		t.Error("empty table matched")
	}
	if tab.Len() != 1 {
		t.Errorf("Len() = %d", tab.Len())
	}
}

func TestMatchParamsOrder(t *testing.T) {
	tab, _ := tableOf(t, "GET /{b}/x/{a}/{z+}")
	m, ok := tab.Match("GET", "/1/x/2/3/4")
	if !ok {
		t.Fatal("no match")
	}
	want := Params{{"b", "1"}, {"a", "2"}, {"z", "3/4"}}
	if len(m.Params) != len(want) {
		t.Fatalf("params %v", m.Params)
	}
	for i := range want {
		if m.Params[i] != want[i] {
			t.Fatalf("params %v, want %v", m.Params, want)
		}
	}
	if v, ok := m.Params.Get("z"); !ok || v != "3/4" {
		t.Errorf("Get(z) = %q, %v", v, ok)
	}
	if _, ok := m.Params.Get("nope"); ok {
		t.Error("Get(nope) found")
	}
	if Params(nil).Map() != nil {
		t.Error("nil Params map is not nil")
	}
}

func TestNewTableConflicts(t *testing.T) {
	for _, tc := range []struct {
		keys []string
		msg  string // "" for no conflict
	}{
		{[]string{"GET /pets", "GET /pets"}, "Route with key GET /pets already exists"},
		{[]string{"$default", "$default"}, "Route with key $default already exists"},
		{[]string{"GET /pets/{id}", "GET /pets/{petId}"},
			"The provided route key GET /pets/{petId} has a conflicting variable on the same hierarchical level as GET /pets/{id}"},
		{[]string{"GET /pets/{id}", "DELETE /pets/{petId}/toys"},
			"The provided route key DELETE /pets/{petId}/toys has a conflicting variable on the same hierarchical level as GET /pets/{id}"},
		{[]string{"GET /{proxy+}", "POST /{rest+}"},
			"The provided route key POST /{rest+} has a conflicting variable on the same hierarchical level as GET /{proxy+}"},
		{[]string{"GET /pets/{id}", "POST /pets/{id}", "GET /pets/{id}/toys", "ANY /pets/{id}"}, ""},
		{[]string{"GET /pets/{id}", "GET /pets/{proxy+}"}, ""},
		{[]string{"GET /pets", "GET /Pets", "ANY /pets", "$default"}, ""},
		{[]string{"GET /a/{x}", "GET /b/{y}"}, ""},
		{[]string{"GET /{proxy+}", "ANY /{proxy+}"}, ""},
	} {
		es := entriesOf(t, tc.keys...)
		_, err := NewTable(es)
		if tc.msg == "" {
			if err != nil {
				t.Errorf("NewTable(%q): %v", tc.keys, err)
			}
			continue
		}
		ae, ok := awserr.As(err)
		if !ok || ae.Type != ConflictException || ae.Message != tc.msg {
			t.Errorf("NewTable(%q) = %v, want ConflictException %q", tc.keys, err, tc.msg)
		}
	}
	if _, err := NewTable([]Entry[int]{{Value: 1}}); err == nil || strings.Contains(err.Error(), "Exception") {
		t.Errorf("NewTable with a zero key: %v", err)
	}
}

func TestTableCopiesEntries(t *testing.T) {
	es := entriesOf(t, "GET /a")
	tab, err := NewTable(es)
	if err != nil {
		t.Fatal(err)
	}
	es[0].Value = 42
	if m, _ := tab.Match("GET", "/a"); m.Entry.Value != 0 {
		t.Error("the table shares the caller's entries")
	}
}

func TestMatchAllocations(t *testing.T) {
	tab, _ := tableOf(t, "GET /pets", "GET /pets/{id}", "ANY /{proxy+}", "$default")
	for _, tc := range []struct {
		path string
		max  float64
	}{
		{"/pets", 0}, {"/pets/", 0}, {"/nope/x", 1}, {"/pets/1", 1}, {"", 0},
	} {
		if n := testing.AllocsPerRun(100, func() { tab.Match("GET", tc.path) }); n > tc.max {
			t.Errorf("Match(GET, %q) allocates %v times", tc.path, n)
		}
	}
	if n := testing.AllocsPerRun(100, func() { SelectStage("/dev/pets", []string{"$default", "dev"}) }); n > 0 {
		t.Errorf("SelectStage allocates %v times", n)
	}
}
