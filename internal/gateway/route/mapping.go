package route

import "strings"

// Mappings selects which API mapping of a custom domain name serves a request. Build it with
// NewMappings; it is immutable and safe for concurrent use.
//
// From https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-mappings.html: API
// Gateway routes a request to the mapping with the longest matching path, considering the
// mapping keys only (never the APIs' routes), and to the mapping of the empty key "(none)"
// when no key matches; keys may have several levels ("orders/v1/items"). A key matches whole
// levels of the path: "orders" matches /orders and /orders/x, not /ordersx. Levels are
// compared percent-decoded, one by one, and case-sensitively (an assumption, as for stage
// names).
type Mappings[V any] struct {
	byKey  map[string]V
	levels int // the most levels of a key
}

// NewMappings returns the Mappings of a domain's API mappings by key ("" for the root).
func NewMappings[V any](byKey map[string]V) *Mappings[V] {
	m := &Mappings[V]{byKey: byKey}
	for k := range byKey {
		if k != "" {
			m.levels = max(m.levels, strings.Count(k, "/")+1)
		}
	}
	return m
}

// Select returns the mapping that serves path, the escaped request path ("/orders/v1/x"), and
// rest, the path below its key ("/x"; "/" when nothing follows the key, the whole path for the
// root mapping); ok is false when no mapping matches (404 {"message":"Not Found"}). An empty
// path means "/". Select does not allocate unless the path has percent escapes.
func (m *Mappings[V]) Select(path string) (v V, rest string, ok bool) {
	if path == "" {
		path = "/"
	}
	v, ok = m.byKey[""]
	end := 0
	var decoded []byte // the levels so far, decoded, once an escape is seen
	for i, level := 0, 0; level < m.levels && i < len(path) && path[i] == '/'; level++ {
		next := len(path)
		if j := strings.IndexByte(path[i+1:], '/'); j >= 0 {
			next = i + 1 + j
		}
		seg := path[i+1 : next]
		if seg == "" {
			break // no key has an empty level
		}
		if decoded == nil && strings.IndexByte(seg, '%') >= 0 {
			decoded = append(make([]byte, 0, len(path)), path[min(1, i):i]...)
		}
		var found bool
		var x V
		if decoded == nil {
			x, found = m.byKey[path[1:next]]
		} else {
			d := unescape(seg)
			if d == "" || strings.IndexByte(d, '/') >= 0 {
				break // an empty level, or an encoded slash inside one: no key has either
			}
			if level > 0 {
				decoded = append(decoded, '/')
			}
			decoded = append(decoded, d...)
			x, found = m.byKey[string(decoded)]
		}
		if found {
			v, ok, end = x, true, next
		}
		i = next
	}
	if !ok {
		return v, "", false
	}
	rest = path[end:]
	if rest == "" {
		rest = "/"
	}
	return v, rest, true
}
