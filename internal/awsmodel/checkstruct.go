package awsmodel

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"
)

// Prefixes of the problems CheckStruct reports, so callers can assert on
// the two kinds separately.
const (
	// UnknownPrefix starts a problem about a JSON field of the Go type that
	// is not a member of the shape (or a shape that does not exist).
	UnknownPrefix = "unknown: "
	// MissingPrefix starts a problem about a shape member the Go type lacks.
	MissingPrefix = "missing: "
)

// CheckStruct compares the JSON fields of Go type t (a struct, or a pointer
// to one) with the members of the structure shape named shape in service's
// model, recursing into nested structs and into slices and maps of structs.
// Each problem starts with UnknownPrefix (a json tag that is not a member,
// reported strictly by callers) or MissingPrefix (a body member without a
// field, usually reported leniently), followed by the Go path and details.
// Members bound to the URI, query string or headers are never reported
// missing, but a field named after one is accepted.
func CheckStruct(service, shape string, t reflect.Type) []string {
	m, err := Load(service)
	if err != nil {
		return []string{UnknownPrefix + err.Error()}
	}
	s, ok := m.Shape(shape)
	if !ok {
		return []string{fmt.Sprintf("%sshape %q not found in %s", UnknownPrefix, shape, service)}
	}
	c := structChecker{seen: map[checkKey]bool{}}
	c.check(s, t, deref(t).Name())
	return c.problems
}

type checkKey struct {
	shape *Shape
	typ   reflect.Type
}

type structChecker struct {
	seen     map[checkKey]bool
	problems []string
}

func (c *structChecker) add(prefix, format string, args ...any) {
	c.problems = append(c.problems, prefix+fmt.Sprintf(format, args...))
}

var (
	timeType    = reflect.TypeFor[time.Time]()
	rawJSONType = reflect.TypeFor[json.RawMessage]()
)

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// check compares Go type t with shape s, descending into containers.
func (c *structChecker) check(s *Shape, t reflect.Type, path string) {
	t = deref(t)
	if t == rawJSONType || t.Kind() == reflect.Interface {
		return // opaque: anything goes
	}
	switch s.Type {
	case "structure":
		if t.Kind() == reflect.Struct && t != timeType {
			c.structure(s, t, path)
		}
	case "list":
		if (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) && t.Elem().Kind() != reflect.Uint8 {
			c.check(s.elem, t.Elem(), path+"[]")
		}
	case "map":
		if t.Kind() == reflect.Map {
			c.check(s.val, t.Elem(), path+"[key]")
		}
	}
}

func (c *structChecker) structure(s *Shape, t reflect.Type, path string) {
	k := checkKey{s, t}
	if c.seen[k] {
		return
	}
	c.seen[k] = true
	covered := make(map[*Member]bool, len(s.Members))
	for _, f := range jsonFields(t, nil) {
		fpath := path + "." + f.goName
		mb, ok := s.jsonIdx[f.name]
		if !ok {
			for _, b := range s.Members {
				if b.Location != "" && (b.Name == f.name || b.LocationName == f.name) {
					mb, ok = b, true
					break
				}
			}
		}
		if !ok {
			c.add(UnknownPrefix, "%s: json field %q is not a member of shape %s", fpath, f.name, s.Name)
			continue
		}
		covered[mb] = true
		c.check(mb.target, f.typ, fpath)
	}
	for _, mb := range s.Members {
		if mb.Location == "" && !covered[mb] {
			c.add(MissingPrefix, "%s: shape %s member %q has no field", path, s.Name, mb.JSONName())
		}
	}
}

type jsonField struct {
	name, goName string
	typ          reflect.Type
}

// jsonFields lists the fields encoding/json would use for struct t,
// flattening untagged embedded structs.
func jsonFields(t reflect.Type, visiting []reflect.Type) []jsonField {
	for _, v := range visiting {
		if v == t {
			return nil
		}
	}
	visiting = append(visiting, t)
	var out []jsonField
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := deref(f.Type)
			if ft.Kind() == reflect.Struct {
				out = append(out, jsonFields(ft, visiting)...)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out = append(out, jsonField{name: name, goName: f.Name, typ: f.Type})
	}
	return out
}
