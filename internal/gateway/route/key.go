package route

import (
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
)

// AWS error type names the package's errors carry (the apigatewayv2 error shapes).
const (
	// BadRequestException is the type of every Parse error (HTTP 400).
	BadRequestException = "BadRequestException"
	// ConflictException is the type of the errors NewTable returns for route keys that cannot
	// live in one API together (HTTP 409).
	ConflictException = "ConflictException"
)

// Messages of the Parse errors. The first three are AWS's wording; see the package
// documentation for where each comes from and which are not confirmed.
const (
	// MsgRouteKeyRequired is the message for an empty route key.
	MsgRouteKeyRequired = "Route key is required"
	// MsgRouteKeyFormat is the message for a route key that is neither "$default" nor an
	// allowed method, one space and a path starting with "/".
	MsgRouteKeyFormat = `The provided route key is not formatted properly for HTTP protocol. ` +
		`Format should be "<HTTP METHOD> /<RESOURCE PATH>" or "$default"`
	// MsgPathParts is the message for a path with an empty or malformed part.
	MsgPathParts = `One or more path parts appear to be invalid. ` +
		`Parts are validated against this regular expression: ^(\{[\w.:-]+\+?\}|[a-zA-Z0-9.:_-]+)$`
	// MsgGreedyNotLast is the message for a greedy {name+} variable that is not the last part
	// (not confirmed against AWS; the wording follows the developer guide).
	MsgGreedyNotLast = "The greedy path variable must be at the end of the resource path"
)

// DefaultKey is the route key of the catch-all route.
const DefaultKey = "$default"

// The methods a route key may name. Any is the wildcard: it matches every request method the
// resource has no route of its own for.
const (
	MethodAny     = "ANY"
	MethodGet     = "GET"
	MethodPost    = "POST"
	MethodPut     = "PUT"
	MethodPatch   = "PATCH"
	MethodDelete  = "DELETE"
	MethodHead    = "HEAD"
	MethodOptions = "OPTIONS"
)

// methodNames is indexed by method index; index 0 is ANY.
var methodNames = [...]string{
	MethodAny, MethodGet, MethodPost, MethodPut, MethodPatch, MethodDelete, MethodHead, MethodOptions,
}

const (
	anyIndex = 0
	nMethods = len(methodNames)
)

// methodIndex returns the index of a route-key method, or -1. It is case-sensitive.
func methodIndex(m string) int {
	switch m {
	case MethodAny:
		return 0
	case MethodGet:
		return 1
	case MethodPost:
		return 2
	case MethodPut:
		return 3
	case MethodPatch:
		return 4
	case MethodDelete:
		return 5
	case MethodHead:
		return 6
	case MethodOptions:
		return 7
	}
	return -1
}

// Kind says what a path segment of a route key is.
type Kind uint8

const (
	// Static is a literal segment such as "pets"; it matches exactly that segment.
	Static Kind = iota
	// Variable is a {name} segment; it matches any one non-empty segment.
	Variable
	// Greedy is a {name+} segment, always the last one; it matches the non-empty rest of the
	// path, slashes included.
	Greedy
)

// String returns "static", "variable" or "greedy".
func (k Kind) String() string {
	switch k {
	case Static:
		return "static"
	case Variable:
		return "variable"
	case Greedy:
		return "greedy"
	}
	return "unknown"
}

// Segment is one "/"-separated part of a route key's path.
type Segment struct {
	// Kind is the segment's kind.
	Kind Kind
	// Value is the literal for a Static segment and the variable name (without braces or "+")
	// for a Variable or Greedy one.
	Value string
}

// String returns the segment as it is written in a route key: "pets", "{id}" or "{proxy+}".
func (s Segment) String() string {
	switch s.Kind {
	case Variable:
		return "{" + s.Value + "}"
	case Greedy:
		return "{" + s.Value + "+}"
	}
	return s.Value
}

// Key is a parsed, valid HTTP API route key: "$default" or "METHOD /path". The zero Key is not
// valid; get Keys from Parse. Keys are immutable and safe to share.
type Key struct {
	s      string // the route key as written, which is its canonical form
	method int8   // method index, or -1 for $default; the zero Key has s == ""
	segs   []Segment
}

// Parse validates a route key the way CreateRoute and UpdateRoute do for an HTTP API and
// returns it parsed. A failure is an *awserr.Error of type BadRequestException carrying AWS's
// message.
//
// A valid key is "$default", or one of the methods ANY, GET, POST, PUT, PATCH, DELETE, HEAD,
// OPTIONS (upper case), one space, and a path that is "/" or "/"-separated non-empty parts,
// each a literal of [a-zA-Z0-9.:_-] or a variable "{name}" whose name is [a-zA-Z0-9_.:-]; the
// last part may instead be a greedy variable "{name+}". Variable names are unique within a key.
// Nothing is normalised: a key is valid exactly as written or not at all.
func Parse(key string) (Key, error) {
	if key == "" {
		return Key{}, awserr.New(BadRequestException, MsgRouteKeyRequired)
	}
	if key == DefaultKey {
		return Key{s: key, method: -1}, nil
	}
	method, path, ok := strings.Cut(key, " ")
	mi := methodIndex(method)
	if !ok || mi < 0 || !strings.HasPrefix(path, "/") {
		return Key{}, awserr.New(BadRequestException, MsgRouteKeyFormat)
	}
	k := Key{s: key, method: int8(mi)}
	if path == "/" {
		return k, nil
	}
	n := strings.Count(path, "/")
	k.segs = make([]Segment, 0, n)
	rest := path[1:]
	for i := 0; i < n; i++ {
		part := rest
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			part, rest = rest[:j], rest[j+1:]
		}
		seg, ok := parsePart(part)
		if !ok {
			return Key{}, awserr.New(BadRequestException, MsgPathParts)
		}
		if seg.Kind == Greedy && i != n-1 {
			return Key{}, awserr.New(BadRequestException, MsgGreedyNotLast)
		}
		if seg.Kind != Static {
			for _, prev := range k.segs {
				if prev.Kind != Static && prev.Value == seg.Value {
					return Key{}, awserr.Newf(BadRequestException,
						"Path variable names must be unique within a route key: %s is used more than once", seg.Value)
				}
			}
		}
		k.segs = append(k.segs, seg)
	}
	return k, nil
}

// parsePart parses one path part against AWS's expression
// ^(\{[\w.:-]+\+?\}|[a-zA-Z0-9.:_-]+)$, where \w is the ASCII [a-zA-Z0-9_] (Java's default).
// Both alternatives allow exactly the same characters.
func parsePart(p string) (Segment, bool) {
	if p == "" {
		return Segment{}, false
	}
	if p[0] != '{' {
		return Segment{Kind: Static, Value: p}, allNameChars(p)
	}
	if len(p) < 3 || p[len(p)-1] != '}' {
		return Segment{}, false
	}
	name, kind := p[1:len(p)-1], Variable
	if strings.HasSuffix(name, "+") {
		name, kind = name[:len(name)-1], Greedy
	}
	if name == "" || !allNameChars(name) {
		return Segment{}, false
	}
	return Segment{Kind: kind, Value: name}, true
}

// allNameChars reports whether s is made only of [a-zA-Z0-9._:-].
func allNameChars(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '.', c == '_', c == ':', c == '-':
		default:
			return false
		}
	}
	return true
}

// String returns the route key in its canonical form, which is the form Parse accepted.
func (k Key) String() string { return k.s }

// Valid reports whether k came from a successful Parse (the zero Key is not valid).
func (k Key) Valid() bool { return k.s != "" }

// IsDefault reports whether k is the $default route key.
func (k Key) IsDefault() bool { return k.s == DefaultKey }

// Method returns the key's method ("ANY", "GET", ...), or "" for $default and the zero Key.
func (k Key) Method() string {
	if k.s == "" || k.method < 0 {
		return ""
	}
	return methodNames[k.method]
}

// Path returns the key's path ("/pets/{id}"), or "" for $default and the zero Key.
func (k Key) Path() string {
	if k.s == "" || k.method < 0 {
		return ""
	}
	return k.s[len(methodNames[k.method])+1:]
}

// Segments returns the parts of the key's path, none for "/" and $default. The slice is a copy.
func (k Key) Segments() []Segment {
	if len(k.segs) == 0 {
		return nil
	}
	return append([]Segment(nil), k.segs...)
}

// Greedy reports whether the key's path ends in a greedy {name+} variable.
func (k Key) Greedy() bool {
	return len(k.segs) > 0 && k.segs[len(k.segs)-1].Kind == Greedy
}

// Variables returns the names of the key's path variables in path order, the greedy one
// included, or nil if it has none.
func (k Key) Variables() []string {
	var names []string
	for _, s := range k.segs {
		if s.Kind != Static {
			names = append(names, s.Value)
		}
	}
	return names
}
