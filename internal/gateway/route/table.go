package route

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
)

// Entry is one route of a Table: its key and whatever the caller wants back when a request
// matches it (a route id, a compiled route, ...).
type Entry[V any] struct {
	// Key is the route key; it must come from Parse.
	Key Key
	// Value is returned unchanged in the Match.
	Value V
}

// Param is one path parameter of a match.
type Param struct {
	// Name is the variable name, without braces or "+".
	Name string
	// Value is the percent-decoded part of the request path the variable matched.
	Value string
}

// Params are the path parameters of a match, in the order of the route key's variables.
type Params []Param

// Get returns the value of the parameter named name.
func (p Params) Get(name string) (string, bool) {
	for _, x := range p {
		if x.Name == name {
			return x.Value, true
		}
	}
	return "", false
}

// Map returns the parameters as a map (the pathParameters of an integration payload), or nil
// if there are none.
func (p Params) Map() map[string]string {
	if len(p) == 0 {
		return nil
	}
	m := make(map[string]string, len(p))
	for _, x := range p {
		m[x.Name] = x.Value
	}
	return m
}

// Match is the route a request selected and the path parameters it captured.
type Match[V any] struct {
	// Entry is the selected route.
	Entry Entry[V]
	// Params are the path parameters; nil for a route without variables and for $default.
	Params Params
}

// Table is an immutable routing table: the routes of one deployment, compiled once into a
// segment trie and then matched concurrently, without locks, on every request. Build a new
// Table when the routes change and swap it in (e.g. with atomic.Pointer).
type Table[V any] struct {
	entries []Entry[V]
	root    *node
	def     int32 // index+1 of the $default entry, 0 if none
}

// node is one position in the path trie. Slots hold an entry index+1 per method (index 0 is
// ANY); 0 means no route.
type node struct {
	static    map[string]*node
	param     *node  // the {name} child, if any
	paramVar  string // its variable name
	paramKey  string // the first route key that used it, for conflict messages
	leaf      [nMethods]int32
	greedy    [nMethods]int32 // routes ending in {name+} right below this node
	greedyVar string
	greedyKey string
}

// NewTable compiles entries into a Table. The entries are copied; their order does not affect
// matching. It fails with an *awserr.Error of type ConflictException if two entries have the
// same route key, or if two keys use differently named variables at the same position of the
// path (AWS refuses both "/pets/{id}" and "/pets/{petId}/toys" in one API, whatever their
// methods). It fails with a plain error if an entry's Key is not valid.
func NewTable[V any](entries []Entry[V]) (*Table[V], error) {
	t := &Table[V]{entries: append([]Entry[V](nil), entries...), root: &node{}}
	for i, e := range t.entries {
		k := e.Key
		if !k.Valid() {
			return nil, fmt.Errorf("route table: entry %d has no valid route key", i)
		}
		id := int32(i + 1)
		if k.IsDefault() {
			if t.def != 0 {
				return nil, duplicateKey(k)
			}
			t.def = id
			continue
		}
		n := t.root
		slots := &n.leaf
		for _, s := range k.segs {
			switch s.Kind {
			case Static:
				c := n.static[s.Value]
				if c == nil {
					if n.static == nil {
						n.static = map[string]*node{}
					}
					c = &node{}
					n.static[s.Value] = c
				}
				n = c
				slots = &n.leaf
			case Variable:
				if n.param == nil {
					n.param, n.paramVar, n.paramKey = &node{}, s.Value, k.s
				} else if n.paramVar != s.Value {
					return nil, conflictingVariable(k.s, n.paramKey)
				}
				n = n.param
				slots = &n.leaf
			case Greedy:
				if n.greedyVar == "" {
					n.greedyVar, n.greedyKey = s.Value, k.s
				} else if n.greedyVar != s.Value {
					return nil, conflictingVariable(k.s, n.greedyKey)
				}
				slots = &n.greedy
			}
		}
		if slots[k.method] != 0 {
			return nil, duplicateKey(k)
		}
		slots[k.method] = id
	}
	return t, nil
}

func duplicateKey(k Key) error {
	return awserr.Newf(ConflictException, "Route with key %s already exists", k.s)
}

func conflictingVariable(key, existing string) error {
	return awserr.Newf(ConflictException,
		"The provided route key %s has a conflicting variable on the same hierarchical level as %s", key, existing)
}

// Len returns the number of routes in the table, $default included.
func (t *Table[V]) Len() int { return len(t.entries) }

// Match selects the route for a request the way API Gateway does for an HTTP API, and reports
// whether there is one (if not, the response is 404 {"message":"Not Found"}).
//
// method is the request method, compared case-sensitively with the route keys' methods; a
// method no route names (HEAD when there are only GET routes, "get", "PROPFIND") is served only
// by ANY routes and $default. path is the escaped request path below the stage (what
// SelectStage returns), e.g. "/pets/a%20b"; "" means "/". One trailing slash is ignored
// ("/pets/" selects "GET /pets"). Segments are compared case-sensitively after
// percent-decoding, and parameter values are percent-decoded.
//
// Priority: a route whose whole path matches (static and {name} segments only) beats any
// route ending in a greedy {name+} variable, which beats $default. Among candidates of the same
// class, the one whose segments are more specific from left to right wins (a static segment
// beats a variable, which beats a greedy variable further up), and for the same path the route
// with the request's method beats the ANY route. A {name} variable needs a non-empty segment and
// a greedy variable a non-empty rest of the path, so "/pets/{proxy+}" does not match "/pets" or
// "/pets/". A greedy value is the rest of the path as sent, trailing slash included.
//
// Match does not allocate unless the route has path variables (one allocation for Params) or
// the path has percent escapes.
func (t *Table[V]) Match(method, path string) (Match[V], bool) {
	if path == "" {
		path = "/"
	}
	if path[0] == '/' {
		np := path
		if len(np) > 1 && np[len(np)-1] == '/' {
			np = np[:len(np)-1]
		}
		start := 1
		if np == "/" {
			start = 2 // no segments at all
		}
		m := matcher{p: np, mi: methodIndex(method)}
		id := m.full(t.root, start)
		if id == 0 {
			id = m.greedy(t.root, start)
		}
		if id != 0 {
			e := t.entries[id-1]
			return Match[V]{Entry: e, Params: extract(e.Key, np, path)}, true
		}
	}
	if t.def != 0 {
		return Match[V]{Entry: t.entries[t.def-1]}, true
	}
	return Match[V]{}, false
}

// matcher walks the trie for one request. p is the normalised path; positions are byte
// offsets of the start of a segment, len(p)+1 meaning "no segment left".
type matcher struct {
	p  string
	mi int
}

// pick returns the route for the request's method among slots: its own, else ANY.
func (m *matcher) pick(slots *[nMethods]int32) int32 {
	if m.mi > 0 && slots[m.mi] != 0 {
		return slots[m.mi]
	}
	return slots[anyIndex]
}

// segment returns the segment starting at pos and the position of the next one.
func (m *matcher) segment(pos int) (seg string, next int) {
	end := strings.IndexByte(m.p[pos:], '/')
	if end < 0 {
		end = len(m.p)
	} else {
		end += pos
	}
	return m.p[pos:end], end + 1
}

// child returns n's static child for a request segment, decoding it if needed.
func child(n *node, seg string) *node {
	if n.static == nil {
		return nil
	}
	return n.static[unescape(seg)]
}

// full finds a route that matches the whole path with static and {name} segments, most
// specific first.
func (m *matcher) full(n *node, pos int) int32 {
	if pos > len(m.p) {
		return m.pick(&n.leaf)
	}
	seg, next := m.segment(pos)
	if seg == "" {
		return 0
	}
	if c := child(n, seg); c != nil {
		if id := m.full(c, next); id != 0 {
			return id
		}
	}
	if n.param != nil {
		return m.full(n.param, next)
	}
	return 0
}

// greedy finds a route ending in {name+} whose greedy variable gets the non-empty rest of the
// path, deepest and most specific first.
func (m *matcher) greedy(n *node, pos int) int32 {
	if pos >= len(m.p) {
		return 0 // nothing left for a greedy variable
	}
	seg, next := m.segment(pos)
	if seg != "" {
		if c := child(n, seg); c != nil {
			if id := m.greedy(c, next); id != 0 {
				return id
			}
		}
		if n.param != nil {
			if id := m.greedy(n.param, next); id != 0 {
				return id
			}
		}
	}
	return m.pick(&n.greedy)
}

// extract returns the path parameters of key for the normalised path np of the request path
// orig (np is a prefix of orig).
func extract(k Key, np, orig string) Params {
	nv := 0
	for _, s := range k.segs {
		if s.Kind != Static {
			nv++
		}
	}
	if nv == 0 {
		return nil
	}
	ps := make(Params, 0, nv)
	m := matcher{p: np}
	pos := 1
	for _, s := range k.segs {
		seg, next := m.segment(pos)
		switch s.Kind {
		case Variable:
			ps = append(ps, Param{Name: s.Value, Value: unescape(seg)})
		case Greedy:
			ps = append(ps, Param{Name: s.Value, Value: unescape(orig[pos:])})
		}
		pos = next
	}
	return ps
}

// unescape percent-decodes a path segment; a malformed escape leaves it as it is.
func unescape(s string) string {
	if strings.IndexByte(s, '%') < 0 {
		return s
	}
	if d, err := url.PathUnescape(s); err == nil {
		return d
	}
	return s
}
