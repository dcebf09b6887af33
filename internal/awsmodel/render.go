package awsmodel

import (
	"encoding/json"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
)

// render writes val, a decoded JSON value of shape s, the way AWS's Java
// front end prints it in "Value '…' at …" messages: strings as is, lists as
// [a, b], maps as {k=v, k2=v2} in java.util.HashMap order, structures as
// Shape(member=value, other=null), blobs as a ByteBuffer and timestamps as a
// java.util.Date.
func render(b *strings.Builder, s *Shape, val any) {
	if val == nil {
		b.WriteString("null")
		return
	}
	if s.Document {
		data, _ := json.Marshal(val)
		b.Write(data)
		return
	}
	switch s.Type {
	case "list":
		arr, _ := val.([]any)
		b.WriteByte('[')
		first := true
		for _, e := range arr {
			if e == nil {
				continue
			}
			if !first {
				b.WriteString(", ")
			}
			first = false
			renderElem(b, s.elem, e)
		}
		b.WriteByte(']')
	case "map":
		obj, _ := val.(map[string]any)
		b.WriteByte('{')
		first := true
		for _, k := range javaHashOrder(obj) {
			if obj[k] == nil {
				continue
			}
			if !first {
				b.WriteString(", ")
			}
			first = false
			renderElem(b, s.key, k)
			b.WriteByte('=')
			renderElem(b, s.val, obj[k])
		}
		b.WriteByte('}')
	case "structure":
		obj, _ := val.(map[string]any)
		b.WriteString(s.Name)
		b.WriteByte('(')
		for i, mb := range s.Members {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(mb.pathName)
			b.WriteByte('=')
			renderElem(b, mb.target, obj[mb.JSONName()])
		}
		b.WriteByte(')')
	default:
		sc, err := scalar(s, val)
		if err != nil {
			b.WriteString("null")
			return
		}
		switch sc.kind {
		case kindString:
			b.WriteString(sc.str)
		case kindInt:
			b.WriteString(strconv.FormatInt(sc.i, 10))
		case kindFloat:
			b.WriteString(javaDouble(sc.f))
		case kindLen:
			n := strconv.FormatInt(sc.i, 10)
			b.WriteString("java.nio.HeapByteBuffer[pos=0 lim=" + n + " cap=" + n + "]")
		case kindTime:
			b.WriteString(sc.t.Format("Mon Jan 02 15:04:05 UTC 2006"))
		default:
			if s.Type == "boolean" {
				b.WriteString(strconv.FormatBool(sc.b))
				return
			}
			data, _ := json.Marshal(val)
			b.Write(data)
		}
	}
}

// renderElem renders a nested value, eliding sensitive ones.
func renderElem(b *strings.Builder, s *Shape, val any) {
	if val != nil && s.Sensitive {
		b.WriteString(sensitiveElision)
		return
	}
	render(b, s, val)
}

// javaDouble formats f as Java's Double.toString does.
func javaDouble(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	if a := math.Abs(f); a >= 1e-3 && a < 1e7 {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'E', -1, 64) // e.g. 1.5E+07, 1E-05
	mant, exp, _ := strings.Cut(s, "E")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(e)
}

// javaStringHash is java.lang.String.hashCode.
func javaStringHash(s string) uint32 {
	var h uint32
	for _, r := range s {
		if r >= 0x10000 {
			r1, r2 := utf16.EncodeRune(r)
			h = 31*h + uint32(r1)
			h = 31*h + uint32(r2)
			continue
		}
		h = 31*h + uint32(r)
	}
	return h
}

// javaHashOrder returns the keys of obj in the order a java.util.HashMap
// filled with them iterates: by bucket of the final table, then (as the
// insertion order is not known here) by key.
func javaHashOrder(obj map[string]any) []string {
	keys := sortedKeys(obj)
	n := 0
	for _, v := range obj {
		if v != nil {
			n++
		}
	}
	capacity := uint32(16)
	for float64(n) > 0.75*float64(capacity) {
		capacity *= 2
	}
	bucket := func(k string) uint32 {
		h := javaStringHash(k)
		return (h ^ h>>16) & (capacity - 1)
	}
	sort.SliceStable(keys, func(i, j int) bool { return bucket(keys[i]) < bucket(keys[j]) })
	return keys
}

func sortedKeys(obj map[string]any) []string {
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
