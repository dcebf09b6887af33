package dataplane

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// Lambda responses are read member by member over the payload itself, so a large body is
// unescaped (or, without escapes, sliced) once instead of being copied into intermediate
// values. Member names are matched exactly, as API Gateway matches them: a Go struct returned
// without json tags ({"StatusCode":200}) has no statusCode.

// members returns the members of the JSON object b as name and raw value, in order; ok is
// false when b is not a valid JSON object. A later member of the same name wins, so callers
// look names up from the end (find).
func members(b []byte) (names []string, values [][]byte, ok bool) {
	if !json.Valid(b) {
		return nil, nil, false
	}
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return nil, nil, false
	}
	i = skipSpace(b, i+1)
	for i < len(b) && b[i] != '}' {
		end := skipValue(b, i)
		name := b[i:end]
		i = skipSpace(b, end)
		i = skipSpace(b, i+1) // ':'
		end = skipValue(b, i)
		names = append(names, string(unquote(name)))
		values = append(values, b[i:end])
		i = skipSpace(b, end)
		if i < len(b) && b[i] == ',' {
			i = skipSpace(b, i+1)
		}
	}
	return names, values, true
}

// find returns the raw value of the last member named name.
func find(names []string, values [][]byte, name string) ([]byte, bool) {
	for i := len(names) - 1; i >= 0; i-- {
		if names[i] == name {
			return values[i], true
		}
	}
	return nil, false
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipValue returns the index just past the JSON value starting at b[i]; b is valid JSON.
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		for i++; i < len(b); i++ {
			switch b[i] {
			case '\\':
				i++
			case '"':
				return i + 1
			}
		}
		return i
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				i = skipValue(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return i
	default:
		for i < len(b) && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ' && b[i] != '\t' && b[i] != '\n' && b[i] != '\r' {
			i++
		}
		return i
	}
}

// unquote returns the contents of the valid JSON string s as encoding/json decodes it: a
// slice of s when it has no escapes and is valid UTF-8, else one unescaped copy (invalid UTF-8
// as U+FFFD).
func unquote(s []byte) []byte {
	s = s[1 : len(s)-1]
	j := 0
	for j < len(s) && s[j] != '\\' && s[j] < utf8.RuneSelf {
		j++
	}
	if j == len(s) || bytes.IndexByte(s[j:], '\\') < 0 && utf8.Valid(s[j:]) {
		return s
	}
	out := make([]byte, j, len(s)+8)
	copy(out, s[:j])
	for i := j; i < len(s); i++ {
		c := s[i]
		if c != '\\' && c < utf8.RuneSelf {
			out = append(out, c)
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRune(s[i:])
			out = utf8.AppendRune(out, r) // RuneError for an invalid byte
			i += size - 1
			continue
		}
		i++
		switch s[i] {
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r := hex4(s[i+1 : i+5])
			i += 4
			if utf16.IsSurrogate(r) && i+6 < len(s) && s[i+1] == '\\' && s[i+2] == 'u' {
				if r2 := utf16.DecodeRune(r, hex4(s[i+3:i+7])); r2 != utf8.RuneError {
					r = r2
					i += 6
				}
			}
			if utf16.IsSurrogate(r) {
				r = utf8.RuneError
			}
			out = utf8.AppendRune(out, r)
		default: // '"', '\\', '/'
			out = append(out, s[i])
		}
	}
	return out
}

func hex4(b []byte) rune {
	n, _ := strconv.ParseUint(string(b), 16, 32)
	return rune(n)
}

// jsonKind reports what a raw JSON value is: '"', '{', '[', 't' or 'f', 'n', or '0' for numbers.
func jsonKind(v []byte) byte {
	if len(v) == 0 {
		return 0
	}
	switch c := v[0]; c {
	case '"', '{', '[', 't', 'f', 'n':
		return c
	}
	return '0'
}

// scalarText returns a JSON string's contents, or a number's or boolean's JSON text; ok is
// false for null, objects and arrays.
func scalarText(v []byte) (string, bool) {
	switch jsonKind(v) {
	case '"':
		return string(unquote(v)), true
	case '0', 't', 'f':
		return string(v), true
	}
	return "", false
}
