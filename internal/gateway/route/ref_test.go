package route

import (
	"slices"
	"strings"
	"testing"
)

// refMatch is an independent, brute-force statement of Table.Match's rules: every route is
// tried against the request and the best candidate wins by (class, segment kinds from the
// left, own method before ANY). Tests and fuzzing compare the trie with it.
func refMatch[V any](entries []Entry[V], method, path string) (int, map[string]string, bool) {
	def := -1
	for i, e := range entries {
		if e.Key.IsDefault() {
			def = i
		}
	}
	if path == "" {
		path = "/"
	}
	if path[0] != '/' {
		return def, nil, def >= 0
	}
	np := path
	if len(np) > 1 && strings.HasSuffix(np, "/") {
		np = np[:len(np)-1]
	}
	var req []string
	if np != "/" {
		req = strings.Split(np[1:], "/")
	}
	type cand struct {
		i      int
		class  int
		kinds  []Kind
		any    bool
		params map[string]string
	}
	var best *cand
	better := func(a, b *cand) bool {
		if a.class != b.class {
			return a.class < b.class
		}
		if c := slices.Compare(a.kinds, b.kinds); c != 0 {
			return c < 0
		}
		return !a.any && b.any
	}
	for i, e := range entries {
		k := e.Key
		if k.IsDefault() || (k.Method() != MethodAny && k.Method() != method) {
			continue
		}
		c := cand{i: i, any: k.Method() == MethodAny, params: map[string]string{}}
		n := len(k.segs)
		if k.Greedy() {
			c.class = 1
			n--
			if len(req) <= n {
				continue
			}
		} else if len(req) != n {
			continue
		}
		ok := true
		for j, s := range k.segs[:n] {
			c.kinds = append(c.kinds, s.Kind)
			r := req[j]
			switch {
			case r == "":
				ok = false
			case s.Kind == Static && unescape(r) != s.Value:
				ok = false
			case s.Kind == Variable:
				c.params[s.Value] = unescape(r)
			}
		}
		if !ok {
			continue
		}
		if k.Greedy() {
			rest := strings.Join(req[n:], "/")
			if rest == "" {
				continue
			}
			off := 1 + n
			for _, r := range req[:n] {
				off += len(r)
			}
			c.kinds = append(c.kinds, Greedy)
			c.params[k.segs[n].Value] = unescape(path[off:])
		}
		if best == nil || better(&c, best) {
			best = &c
		}
	}
	if best != nil {
		if len(best.params) == 0 {
			best.params = nil
		}
		return best.i, best.params, true
	}
	return def, nil, def >= 0
}

// substitute writes the key's path with the parameters put in for its variables.
func substitute(k Key, p Params) string {
	if len(k.segs) == 0 {
		return "/"
	}
	var b strings.Builder
	for _, s := range k.segs {
		b.WriteByte('/')
		if s.Kind == Static {
			b.WriteString(s.Value)
		} else {
			v, _ := p.Get(s.Value)
			b.WriteString(v)
		}
	}
	return b.String()
}

// checkMatch compares Table.Match with refMatch and checks the invariants every match has.
func checkMatch(t *testing.T, tab *Table[int], entries []Entry[int], method, path string) {
	t.Helper()
	got, ok := tab.Match(method, path)
	wi, wp, wok := refMatch(entries, method, path)
	if ok != wok {
		t.Fatalf("Match(%q, %q) ok = %v, reference %v", method, path, ok, wok)
	}
	if !ok {
		return
	}
	if got.Entry.Value != wi || !mapsEqual(got.Params.Map(), wp) {
		t.Fatalf("Match(%q, %q) = %q %v, reference %q %v", method, path,
			got.Entry.Key, got.Params, entries[wi].Key, wp)
	}
	k := got.Entry.Key
	if k.IsDefault() {
		if got.Params != nil {
			t.Fatalf("$default match has params %v", got.Params)
		}
		return
	}
	if m := k.Method(); m != MethodAny && m != method {
		t.Fatalf("Match(%q, %q) selected %q", method, path, k)
	}
	if !slices.Equal(paramNames(got.Params), k.Variables()) {
		t.Fatalf("Match(%q, %q) = %q with params %v", method, path, k, got.Params)
	}
	if strings.Contains(path, "%") {
		return
	}
	if path == "" {
		path = "/"
	}
	np := path
	if len(np) > 1 && strings.HasSuffix(np, "/") {
		np = np[:len(np)-1]
	}
	if k.Variables() == nil && k.Path() != np {
		t.Fatalf("Match(%q, %q) selected static route %q", method, path, k)
	}
	want := np
	if k.Greedy() {
		want = path
	}
	if s := substitute(k, got.Params); s != want {
		t.Fatalf("Match(%q, %q) = %q %v: parameters rebuild %q", method, path, k, got.Params, s)
	}
}

func paramNames(p Params) []string {
	var n []string
	for _, x := range p {
		n = append(n, x.Name)
	}
	return n
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// entriesOf parses keys into entries whose values are their indexes.
func entriesOf(tb testing.TB, keys ...string) []Entry[int] {
	tb.Helper()
	es := make([]Entry[int], len(keys))
	for i, s := range keys {
		k, err := Parse(s)
		if err != nil {
			tb.Fatalf("Parse(%q): %v", s, err)
		}
		es[i] = Entry[int]{Key: k, Value: i}
	}
	return es
}

func tableOf(tb testing.TB, keys ...string) (*Table[int], []Entry[int]) {
	tb.Helper()
	es := entriesOf(tb, keys...)
	tab, err := NewTable(es)
	if err != nil {
		tb.Fatalf("NewTable: %v", err)
	}
	return tab, es
}
