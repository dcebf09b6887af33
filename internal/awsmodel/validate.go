package awsmodel

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
)

// Messages of the SerializationException AWS's JSON front end (Coral)
// returns when a value has the wrong JSON type for its shape. The "<KIND>_VALUE
// can not be converted to <type>" family and the three "Expected … or null" /
// "Start of … found where not expected" texts were measured against live
// awsJson1.1 services; the article before each Java type name ("an Integer",
// "a String", "an Boolean", "a Long") is Coral's own.
const (
	msgStartOfList   = "Start of list found where not expected"
	msgStartOfMap    = "Start of structure or map found where not expected."
	msgExpectList    = "Expected list or null"
	msgExpectMap     = "Expected map or null"
	msgExpectNull    = "Expected null"
	msgNotNull       = "Member must not be null"
	sensitiveElision = "*** Sensitive Data Redacted ***"
)

// javaTypeNames is how Coral names the Java type a JSON scalar failed to
// convert to, by model shape type.
var javaTypeNames = map[string]string{
	"string":    "a String",
	"integer":   "an Integer",
	"long":      "a Long",
	"boolean":   "an Boolean",
	"double":    "a Double",
	"float":     "a Float",
	"blob":      "a Blob",
	"timestamp": "a Date",
}

// typeError is a body that does not deserialize into the input shape; AWS
// reports it as a SerializationException before any constraint is checked.
type typeError struct{ msg string }

// Error implements error.
func (e *typeError) Error() string { return e.msg }

// ValidateJSON validates the JSON body of a request to operation op the way
// AWS's JSON front end does, and returns nil when the request may proceed.
//
// An empty body counts as {}. A body that is not one well-formed JSON value, a
// top-level value that is not an object, or a member whose JSON type does not
// fit its shape yields an *awserr.Error of type SerializationException (its
// Message is empty where AWS sends none). Constraint violations (required,
// length, range, pattern, enum) yield an *awserr.Error of type errType with
// AWS's "N validation error(s) detected: …" message; errType "" means
// m.ValidationErrorType(). Unknown members and JSON nulls are ignored, as AWS
// does. For REST protocols only the body members are checked; see
// ValidateHTTP.
func (m *Model) ValidateJSON(op string, body []byte, errType string) error {
	return m.ValidateHTTP(op, body, nil, errType)
}

// ValidateHTTP is ValidateJSON for REST-JSON operations: bound holds the
// values of the members bound to the URI, query string or headers, keyed by
// member name, as the strings that appeared on the wire. Bound members absent
// from bound are treated as absent; with bound nil they are not checked at
// all. A body that is the operation's blob or string payload is not parsed.
func (m *Model) ValidateHTTP(op string, body []byte, bound map[string]string, errType string) error {
	_, err := m.validate(op, body, bound, errType)
	return err
}

// ValidateCanonicalJSON is ValidateJSON that also returns the body to decode: the body with
// every key that is not exactly a member name removed (see canonical.go). The body is parsed
// once for both.
func (m *Model) ValidateCanonicalJSON(op string, body []byte, errType string) ([]byte, error) {
	return m.ValidateCanonicalHTTP(op, body, nil, errType)
}

// ValidateCanonicalHTTP is ValidateHTTP that also returns the canonical body to decode, as
// ValidateCanonicalJSON does.
func (m *Model) ValidateCanonicalHTTP(op string, body []byte, bound map[string]string, errType string) ([]byte, error) {
	obj, err := m.validate(op, body, bound, errType)
	if err != nil {
		return nil, err
	}
	o := m.ops[op]
	if obj == nil || o.input == nil || o.input.Payload != "" {
		return body, nil
	}
	return json.Marshal(prune(o.input, obj))
}

// validate is ValidateHTTP returning the decoded body (nil when there was none to decode).
func (m *Model) validate(op string, body []byte, bound map[string]string, errType string) (map[string]any, error) {
	o, ok := m.ops[op]
	if !ok {
		return nil, &awserr.Error{Type: awserr.UnknownOperation, Message: "Unknown operation " + op}
	}
	if errType == "" {
		errType = m.ValidationErrorType()
	}
	in := o.input
	if in == nil {
		return nil, nil
	}

	// A payload member carries the whole body.
	bodyShape := in
	if in.Payload != "" {
		pm, ok := in.memberIdx[in.Payload]
		if !ok || pm.target.Type != "structure" {
			bodyShape = nil // raw blob/string payload: nothing to parse
		} else {
			bodyShape = pm.target
		}
	}

	var obj map[string]any
	if bodyShape != nil {
		var err error
		if obj, err = decodeBody(body); err != nil {
			return nil, err
		}
	}

	var buf [64]byte
	v := validator{path: buf[:0]}
	var err error
	if bodyShape == in {
		err = v.structure(in, obj, bound, true)
	} else {
		if err = v.structure(in, nil, bound, false); err == nil && bodyShape != nil {
			err = v.structure(bodyShape, obj, nil, true)
		}
	}
	if err != nil {
		var te *typeError
		if errors.As(err, &te) {
			return nil, &awserr.Error{Type: awserr.Serialization, Message: te.msg}
		}
		return nil, err
	}
	if len(v.errs) == 0 {
		return obj, nil
	}
	return nil, &awserr.Error{Type: errType, Message: validationMessage(v.errs)}
}

// validationMessage joins violations as AWS does.
func validationMessage(errs []string) string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(len(errs)))
	if len(errs) == 1 {
		b.WriteString(" validation error detected: ")
	} else {
		b.WriteString(" validation errors detected: ")
	}
	for i, e := range errs {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(e)
	}
	return b.String()
}

// decodeBody parses a request body into a JSON object.
func decodeBody(body []byte) (map[string]any, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, nil // AWS treats an empty body as {}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, awserr.New(awserr.Serialization, "")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, awserr.New(awserr.Serialization, "") // trailing data
	}
	switch d := doc.(type) {
	case map[string]any:
		return d, nil
	case []any:
		return nil, awserr.New(awserr.Serialization, msgStartOfList)
	default:
		return nil, awserr.New(awserr.Serialization, "")
	}
}

// validator walks a decoded body against a shape, collecting violations.
type validator struct {
	path []byte // current member path, e.g. userAttributes.1.member.name
	errs []string
}

func (v *validator) push(seg string) int {
	n := len(v.path)
	if n > 0 {
		v.path = append(v.path, '.')
	}
	v.path = append(v.path, seg...)
	return n
}

func (v *validator) pushIndex(i int) int {
	n := len(v.path)
	v.path = append(v.path, '.')
	v.path = strconv.AppendInt(v.path, int64(i), 10)
	v.path = append(v.path, ".member"...)
	return n
}

func (v *validator) pop(n int) { v.path = v.path[:n] }

// fail records "Value '<val>' at '<path>' failed to satisfy constraint: msg";
// sensitive values are not echoed.
func (v *validator) fail(s *Shape, val any, msg string) {
	var b strings.Builder
	b.WriteString("Value ")
	if redacted(s) {
		b.WriteString("at '")
	} else {
		b.WriteByte('\'')
		render(&b, s, val)
		b.WriteString("' at '")
	}
	b.Write(v.path)
	b.WriteString("' failed to satisfy constraint: ")
	b.WriteString(msg)
	v.errs = append(v.errs, b.String())
}

func (v *validator) failNull() {
	v.errs = append(v.errs, "Value null at '"+string(v.path)+"' failed to satisfy constraint: "+msgNotNull)
}

// redacted reports whether values of s are not echoed in messages: s is
// sensitive, or is a list or map of sensitive values.
func redacted(s *Shape) bool {
	switch {
	case s.Sensitive:
		return true
	case s.elem != nil:
		return s.elem.Sensitive
	case s.key != nil:
		return s.key.Sensitive || s.val.Sensitive
	}
	return false
}

// structure validates obj against structure s. When body is false only the
// members bound outside the body are checked.
func (v *validator) structure(s *Shape, obj map[string]any, bound map[string]string, body bool) error {
	if s.Document {
		return nil
	}
	for i, mb := range s.Members {
		var val any
		present := false
		if mb.Location == "" {
			if !body {
				continue
			}
			val, present = obj[mb.JSONName()]
			present = present && val != nil
		} else {
			if bound == nil {
				continue
			}
			var str string
			if str, present = bound[mb.Name]; present {
				if val, present = boundValue(mb.target, str); !present {
					continue // not convertible: left to the handler
				}
			}
		}
		n := v.push(mb.pathName)
		if !present {
			if s.required[i] {
				v.failNull()
			}
		} else if err := v.value(mb.target, val); err != nil {
			return err
		}
		v.pop(n)
	}
	return nil
}

// boundValue converts a URI, query or header string into the JSON-decoded
// form of its shape's type; ok is false when it cannot be checked.
func boundValue(s *Shape, str string) (any, bool) {
	switch s.Type {
	case "string":
		return str, true
	case "integer", "long", "double", "float":
		if _, err := strconv.ParseFloat(str, 64); err != nil {
			return nil, false
		}
		return json.Number(str), true
	}
	return nil, false
}

// value type-checks val against s and then checks its constraints.
func (v *validator) value(s *Shape, val any) error {
	switch s.Type {
	case "structure":
		obj, err := asObject(val, msgExpectNull)
		if err != nil {
			return err
		}
		return v.structure(s, obj, nil, true)
	case "list":
		return v.list(s, val, true)
	case "map":
		return v.mapValue(s, val, true)
	}
	sc, err := scalar(s, val)
	if err != nil {
		return err
	}
	for _, msg := range violations(s, sc, false) {
		v.fail(s, val, msg)
	}
	return nil
}

func asObject(val any, scalarMsg string) (map[string]any, error) {
	switch t := val.(type) {
	case map[string]any:
		return t, nil
	case []any:
		return nil, &typeError{msgStartOfList}
	}
	return nil, &typeError{scalarMsg}
}

// list validates a list value. With own false the list's own length was
// already reported by its container.
func (v *validator) list(s *Shape, val any, own bool) error {
	arr, ok := val.([]any)
	if !ok {
		if _, isMap := val.(map[string]any); isMap {
			return &typeError{msgStartOfMap}
		}
		return &typeError{msgExpectList}
	}
	elem := s.elem
	// Deserialize first: a type error anywhere wins over every constraint.
	count := 0
	elemBad := false
	simple := elem.Type != "structure" && elem.Type != "list" && elem.Type != "map"
	for _, e := range arr {
		if e == nil {
			continue // AWS drops null elements
		}
		count++
		if simple {
			sc, err := scalar(elem, e)
			if err != nil {
				return err
			}
			if !elemBad && len(violations(elem, sc, true)) > 0 {
				elemBad = true
			}
		} else if !elemBad && len(containerViolations(elem, e)) > 0 {
			elemBad = true
		}
	}
	if own {
		for _, msg := range lengthViolations(s, count) {
			v.fail(s, val, msg)
		}
	}
	if elemBad {
		v.fail(s, val, "Member must satisfy constraint: ["+describe(elem)+"]")
	}
	if simple {
		return nil
	}
	i := 0
	for _, e := range arr {
		if e == nil {
			continue
		}
		i++
		n := v.pushIndex(i)
		if err := v.children(elem, e); err != nil {
			return err
		}
		v.pop(n)
	}
	return nil
}

// mapValue validates a map value. With own false the map's own length was
// already reported by its container.
func (v *validator) mapValue(s *Shape, val any, own bool) error {
	obj, ok := val.(map[string]any)
	if !ok {
		if _, isList := val.([]any); isList {
			return &typeError{msgStartOfList}
		}
		return &typeError{msgExpectMap}
	}
	keyBad, valBad := false, false
	simple := s.val.Type != "structure" && s.val.Type != "list" && s.val.Type != "map"
	count := 0
	for k, e := range obj {
		if e == nil {
			continue
		}
		count++
		if !keyBad && len(violations(s.key, scalarValue{kind: kindString, str: k}, true)) > 0 {
			keyBad = true
		}
		if simple {
			sc, err := scalar(s.val, e)
			if err != nil {
				return err
			}
			if !valBad && len(violations(s.val, sc, true)) > 0 {
				valBad = true
			}
		} else if !valBad && len(containerViolations(s.val, e)) > 0 {
			valBad = true
		}
	}
	if own {
		for _, msg := range lengthViolations(s, count) {
			v.fail(s, val, msg)
		}
	}
	if keyBad {
		v.fail(s, val, "Map keys must satisfy constraint: ["+describe(s.key)+"]")
	}
	if valBad {
		v.fail(s, val, "Map value must satisfy constraint: ["+describe(s.val)+"]")
	}
	if simple {
		return nil
	}
	for _, k := range sortedKeys(obj) {
		e := obj[k]
		if e == nil {
			continue
		}
		n := v.push(k)
		v.path = append(v.path, ".member"...)
		if err := v.children(s.val, e); err != nil {
			return err
		}
		v.pop(n)
	}
	return nil
}

// children validates what is inside a structure, list or map element whose
// own constraints were reported by its container.
func (v *validator) children(s *Shape, val any) error {
	switch s.Type {
	case "structure":
		return v.value(s, val)
	case "list":
		return v.list(s, val, false)
	case "map":
		return v.mapValue(s, val, false)
	}
	return nil
}

func countNonNull(c any) int {
	n := 0
	switch c := c.(type) {
	case []any:
		for _, e := range c {
			if e != nil {
				n++
			}
		}
	case map[string]any:
		for _, e := range c {
			if e != nil {
				n++
			}
		}
	}
	return n
}

// containerViolations reports whether a list or map element breaks its
// own length constraint (its contents are validated separately).
func containerViolations(s *Shape, val any) []string {
	switch s.Type {
	case "list":
		if arr, ok := val.([]any); ok {
			return lengthViolations(s, countNonNull(arr))
		}
	case "map":
		if obj, ok := val.(map[string]any); ok {
			return lengthViolations(s, countNonNull(obj))
		}
	}
	return nil
}

// scalarKind tells which field of a scalarValue is set.
type scalarKind uint8

const (
	kindOther  scalarKind = iota // booleans, documents: no constraints
	kindString                   // str
	kindInt                      // i: integer and long
	kindFloat                    // f: double and float
	kindLen                      // i: decoded length of a blob
	kindTime                     // t: timestamp
)

// scalarValue is a JSON scalar converted to its shape's type; a plain struct
// rather than an interface so that the hot path does not allocate.
type scalarValue struct {
	kind scalarKind
	str  string
	i    int64
	f    float64
	b    bool
	t    time.Time
}

// scalar converts a decoded JSON scalar to its shape's type, or returns the
// typeError AWS reports when the JSON type does not fit.
func scalar(s *Shape, val any) (scalarValue, error) {
	if s.Document {
		return scalarValue{}, nil
	}
	switch val.(type) {
	case []any:
		return scalarValue{}, &typeError{msgStartOfList}
	case map[string]any:
		return scalarValue{}, &typeError{msgStartOfMap}
	}
	switch s.Type {
	case "string":
		if str, ok := val.(string); ok {
			return scalarValue{kind: kindString, str: str}, nil
		}
	case "integer", "long":
		if n, ok := val.(json.Number); ok {
			i, ok := truncate(n, s.Type == "integer")
			if !ok {
				return scalarValue{}, &typeError{""}
			}
			return scalarValue{kind: kindInt, i: i}, nil
		}
	case "double", "float":
		if n, ok := val.(json.Number); ok {
			f, err := strconv.ParseFloat(string(n), 64)
			if err != nil && !errors.Is(err, strconv.ErrRange) {
				return scalarValue{}, &typeError{""}
			}
			return scalarValue{kind: kindFloat, f: f}, nil
		}
	case "boolean":
		if b, ok := val.(bool); ok {
			return scalarValue{b: b}, nil
		}
	case "timestamp":
		switch t := val.(type) {
		case json.Number:
			f, err := strconv.ParseFloat(string(t), 64)
			if err != nil || math.IsInf(f, 0) || math.Abs(f) > 1e15 {
				return scalarValue{}, &typeError{""}
			}
			sec, frac := math.Modf(f)
			return scalarValue{kind: kindTime, t: time.Unix(int64(sec), int64(frac*1e9)).UTC()}, nil
		case string:
			if ts, err := time.Parse(time.RFC3339Nano, t); err == nil {
				return scalarValue{kind: kindTime, t: ts.UTC()}, nil
			}
		}
	case "blob":
		if str, ok := val.(string); ok {
			n, err := blobLen(str)
			if err != nil {
				return scalarValue{}, err
			}
			return scalarValue{kind: kindLen, i: int64(n)}, nil
		}
	default:
		return scalarValue{}, nil
	}
	return scalarValue{}, &typeError{jsonKind(val) + " can not be converted to " + javaTypeNames[s.Type]}
}

// jsonKind names a JSON scalar as Coral's messages do.
func jsonKind(val any) string {
	switch t := val.(type) {
	case string:
		return "STRING_VALUE"
	case json.Number:
		return "NUMBER_VALUE"
	case bool:
		if t {
			return "TRUE_VALUE"
		}
		return "FALSE_VALUE"
	}
	return "NULL_VALUE"
}

// truncate converts a JSON number to an integer the way AWS does, dropping
// any fraction; ok is false when it does not fit the Java type (int or long).
func truncate(n json.Number, int32Only bool) (int64, bool) {
	s := string(n)
	i, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		f, _, ferr := big.ParseFloat(s, 10, 64, big.ToZero)
		if ferr != nil || f.IsInf() {
			return 0, false
		}
		// Range check first: Int64 of a huge value would saturate.
		if f.Cmp(minInt64) < 0 || f.Cmp(maxInt64) > 0 {
			return 0, false
		}
		i, _ = f.Int64() // truncates toward zero
	}
	if int32Only && (i < math.MinInt32 || i > math.MaxInt32) {
		return 0, false
	}
	return i, true
}

var (
	minInt64 = new(big.Float).SetInt64(math.MinInt64)
	maxInt64 = new(big.Float).SetInt64(math.MaxInt64)
)

// blobLen returns the decoded length of a base64 blob, or the
// SerializationException AWS returns for malformed base64.
func blobLen(s string) (int, error) {
	if len(s)%4 != 0 {
		return 0, &typeError{"'" + s + "' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: " + strconv.Itoa(len(s))}
	}
	n, err := base64.StdEncoding.DecodedLen(len(s)), error(nil)
	if _, err = base64.StdEncoding.DecodeString(s); err != nil {
		var ce base64.CorruptInputError
		if errors.As(err, &ce) && int(ce) < len(s) {
			return 0, &typeError{"'" + s + "' can not be converted to a Blob: Invalid Base64 character: '" + string(s[ce]) + "'"}
		}
		return 0, &typeError{""}
	}
	return n - strings.Count(s[max(0, len(s)-2):], "="), nil
}

// violations returns the constraint messages a converted scalar breaks, in
// the order AWS lists them for one member: pattern, then length, then
// range, then enum. With all it instead reports whether any constraint breaks
// (used for list elements and map keys and values).
func violations(s *Shape, sc scalarValue, all bool) []string {
	var out []string
	switch sc.kind {
	case kindString:
		if re := s.Regexp(); re != nil && !re.MatchString(sc.str) {
			out = append(out, "Member must satisfy regular expression pattern: "+s.Pattern)
			if all {
				return out
			}
		}
		out = append(out, lengthViolations(s, utf8.RuneCountInString(sc.str))...)
		if len(s.Enum) > 0 && !contains(s.Enum, sc.str) {
			out = append(out, "Member must satisfy enum value set: ["+strings.Join(s.Enum, ", ")+"]")
		}
	case kindLen:
		out = append(out, lengthViolations(s, int(sc.i))...)
	case kindInt:
		out = append(out, rangeViolations(s, float64(sc.i))...)
	case kindFloat:
		out = append(out, rangeViolations(s, sc.f)...)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

func lengthViolations(s *Shape, n int) []string {
	if s.Max != nil && float64(n) > *s.Max {
		return []string{"Member must have length less than or equal to " + formatBound(s, *s.Max)}
	}
	if s.Min != nil && float64(n) < *s.Min {
		return []string{"Member must have length greater than or equal to " + formatBound(s, *s.Min)}
	}
	return nil
}

func rangeViolations(s *Shape, f float64) []string {
	if s.Max != nil && f > *s.Max {
		return []string{"Member must have value less than or equal to " + formatBound(s, *s.Max)}
	}
	if s.Min != nil && f < *s.Min {
		return []string{"Member must have value greater than or equal to " + formatBound(s, *s.Min)}
	}
	return nil
}

// describe lists every constraint of s, as AWS does inside "Member must
// satisfy constraint: [...]" and "Map keys/value must satisfy constraint":
// maximum, minimum, pattern, enum.
func describe(s *Shape) string {
	var parts []string
	word := "length"
	switch s.Type {
	case "integer", "long", "double", "float":
		word = "value"
	}
	if s.Max != nil {
		parts = append(parts, "Member must have "+word+" less than or equal to "+formatBound(s, *s.Max))
	}
	if s.Min != nil {
		parts = append(parts, "Member must have "+word+" greater than or equal to "+formatBound(s, *s.Min))
	}
	if s.Pattern != "" {
		parts = append(parts, "Member must satisfy regular expression pattern: "+s.Pattern)
	}
	if len(s.Enum) > 0 {
		parts = append(parts, "Member must satisfy enum value set: ["+strings.Join(s.Enum, ", ")+"]")
	}
	return strings.Join(parts, ", ")
}

// formatBound prints a constraint bound as Java would: doubles as doubles.
func formatBound(s *Shape, f float64) string {
	if s.Type == "double" || s.Type == "float" {
		return javaDouble(f)
	}
	return strconv.FormatInt(int64(f), 10)
}
