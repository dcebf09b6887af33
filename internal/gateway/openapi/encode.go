package openapi

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The encoders reproduce the two writers behind ExportApi: Jackson's DefaultPrettyPrinter for
// JSON (`"key" : value`, two-space indent, `[ a, b ]` arrays, `{ }` and `[ ]` when empty) and
// Jackson's YAML generator over SnakeYAML for YAML (block style, two-space indent, sequences
// not indented under their key, every string double-quoted and folded with a trailing "\" at
// a space past column 80, keys plain where YAML allows).

// encodeJSON writes doc as Jackson pretty-prints it (no trailing newline).
func encodeJSON(doc object) []byte {
	return appendJSON(nil, doc, 0)
}

func appendJSON(b []byte, v any, level int) []byte {
	switch t := v.(type) {
	case object:
		if len(t) == 0 {
			return append(b, "{ }"...)
		}
		b = append(b, '{')
		for i, m := range t {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '\n')
			b = appendIndent(b, level+1)
			b = appendJSONString(b, m.key)
			b = append(b, " : "...)
			b = appendJSON(b, m.val, level+1)
		}
		b = append(b, '\n')
		b = appendIndent(b, level)
		return append(b, '}')
	case []any:
		if len(t) == 0 {
			return append(b, "[ ]"...)
		}
		b = append(b, "[ "...)
		for i, e := range t {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = appendJSON(b, e, level)
		}
		return append(b, " ]"...)
	case string:
		return appendJSONString(b, t)
	}
	return append(b, scalarLiteral(v)...)
}

func appendIndent(b []byte, level int) []byte {
	for i := 0; i < level; i++ {
		b = append(b, "  "...)
	}
	return b
}

// appendJSONString quotes s as Jackson does: only '"', '\\' and control characters are
// escaped, the latter as \b \t \n \f \r or \u00XX.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	b = append(b, '"')
	for _, r := range s {
		switch {
		case r == '"':
			b = append(b, `\"`...)
		case r == '\\':
			b = append(b, `\\`...)
		case r == '\b':
			b = append(b, `\b`...)
		case r == '\t':
			b = append(b, `\t`...)
		case r == '\n':
			b = append(b, `\n`...)
		case r == '\f':
			b = append(b, `\f`...)
		case r == '\r':
			b = append(b, `\r`...)
		case r < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[r>>4], hex[r&0xF])
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return append(b, '"')
}

// scalarLiteral renders a number, bool or null.
func scalarLiteral(v any) string {
	switch t := v.(type) {
	case number:
		return string(t)
	case int:
		return strconv.Itoa(t)
	case bool:
		return strconv.FormatBool(t)
	case nil:
		return "null"
	}
	return fmt.Sprint(v)
}

// yamlWidth is SnakeYAML's default best width, past which double-quoted scalars are folded.
const yamlWidth = 80

type yamlEnc struct {
	b   []byte
	col int // column of the next character, in characters
}

// encodeYAML writes doc as Jackson's YAML generator does (no "---" marker).
func encodeYAML(doc object) []byte {
	e := &yamlEnc{}
	e.mapping(doc, 0, false)
	return e.b
}

func (e *yamlEnc) write(s string) {
	e.b = append(e.b, s...)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		e.col = utf8.RuneCountInString(s[i+1:])
	} else {
		e.col += utf8.RuneCountInString(s)
	}
}

func (e *yamlEnc) indent(n int) {
	e.write(strings.Repeat(" ", n))
}

// mapping writes o's members with their keys at column indent. When inline, the cursor is
// already where the first key goes (after a sequence's "- ").
func (e *yamlEnc) mapping(o object, indent int, inline bool) {
	for i, m := range o {
		if i > 0 || !inline {
			e.indent(indent)
		}
		if simpleKey(m.key) {
			e.write(yamlKey(m.key))
		} else {
			// SnakeYAML writes keys of 128 characters or more, empty keys and keys with line
			// breaks as complex keys: "? key", then ":" and the value on the next line.
			e.write("? ")
			if plainKeyOK(m.key) {
				e.write(m.key)
			} else {
				e.doubleQuoted(m.key, indent+2, true)
			}
			e.write("\n")
			e.indent(indent)
		}
		e.write(":")
		e.value(m.val, indent, false)
	}
}

// simpleKey is SnakeYAML's checkSimpleKey for a scalar key.
func simpleKey(k string) bool {
	n := utf8.RuneCountInString(k)
	return n > 0 && n < 128 && !strings.ContainsAny(k, "\n\r\u0085\u2028\u2029")
}

// sequence writes a's entries with their "-" at column indent.
func (e *yamlEnc) sequence(a []any, indent int, inline bool) {
	for i, v := range a {
		if i > 0 || !inline {
			e.indent(indent)
		}
		e.write("-")
		e.value(v, indent, true)
	}
}

// value writes the value of a key or sequence entry whose start is at column indent; the
// cursor is right after its ":" or "-".
func (e *yamlEnc) value(v any, indent int, inSeq bool) {
	switch t := v.(type) {
	case object:
		switch {
		case len(t) == 0:
			e.write(" {}\n")
		case inSeq:
			e.write(" ")
			e.mapping(t, indent+2, true)
		default:
			e.write("\n")
			e.mapping(t, indent+2, false)
		}
	case []any:
		switch {
		case len(t) == 0:
			e.write(" []\n")
		case inSeq:
			e.write(" ")
			e.sequence(t, indent+2, true)
		default:
			e.write("\n")
			e.sequence(t, indent, false)
		}
	case string:
		e.write(" ")
		e.doubleQuoted(t, indent+2, true)
		e.write("\n")
	default:
		e.write(" " + scalarLiteral(v) + "\n")
	}
}

// yamlEscapes are SnakeYAML's ESCAPE_REPLACEMENTS.
var yamlEscapes = map[rune]string{
	0: "0", '\a': "a", '\b': "b", '\t': "t", '\n': "n", '\v': "v", '\f': "f", '\r': "r",
	0x1B: "e", '"': "\"", '\\': "\\", 0x85: "N", 0xA0: "_", 0x2028: "L", 0x2029: "P",
}

// yamlPrintable is SnakeYAML's StreamReader.isPrintable, except that U+FEFF counts as not
// printable and is written escaped: a raw byte order mark inside a document can trip YAML
// readers (go-yaml's among them) that look for one at the start of each buffer they read.
func yamlPrintable(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0x7E) || r == 0x85 ||
		(r >= 0xA0 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD && r != 0xFEFF) || (r >= 0x10000 && r <= 0x10FFFF)
}

// doubleQuoted is SnakeYAML's Emitter.writeDoubleQuoted: escapes, and when split, folding at
// a space (or after an escape) once the line passes yamlWidth, continuing at column indent.
func (e *yamlEnc) doubleQuoted(text string, indent int, split bool) {
	rs := []rune(text)
	e.write(`"`)
	start := 0
	for end := 0; end <= len(rs); end++ {
		ch := rune(-1)
		if end < len(rs) {
			ch = rs[end]
		}
		if ch == -1 || strings.ContainsRune("\"\\\u0085\u2028\u2029\uFEFF", ch) || ch < 0x20 || ch > 0x7E {
			if start < end {
				e.write(string(rs[start:end]))
				start = end
			}
			if ch != -1 {
				var data string
				if esc, ok := yamlEscapes[ch]; ok {
					data = `\` + esc
				} else if !yamlPrintable(ch) {
					switch {
					case ch <= 0xFF:
						data = fmt.Sprintf(`\x%02x`, ch)
					case ch <= 0xFFFF:
						data = fmt.Sprintf(`\u%04x`, ch)
					default:
						data = fmt.Sprintf(`\U%08x`, ch)
					}
				} else {
					data = string(ch)
				}
				e.write(data)
				start = end + 1
			}
		}
		if split && 0 < end && end < len(rs)-1 && (ch == ' ' || start >= end) && e.col+(end-start) > yamlWidth {
			data := `\`
			if start < end {
				data = string(rs[start:end]) + `\`
				start = end
			}
			e.write(data)
			e.write("\n")
			e.indent(indent)
			if rs[start] == ' ' {
				e.write(`\`)
			}
		}
	}
	e.write(`"`)
}

// yamlKey writes a mapping key: plain when SnakeYAML's analysis allows a plain block scalar,
// else single-quoted, else double-quoted.
func yamlKey(k string) string {
	if plainKeyOK(k) {
		return k
	}
	if !strings.ContainsAny(k, "\n\r") && allPrintable(k) {
		return "'" + strings.ReplaceAll(k, "'", "''") + "'"
	}
	e := &yamlEnc{}
	e.doubleQuoted(k, 0, false)
	return string(e.b)
}

func allPrintable(s string) bool {
	for _, r := range s {
		if !yamlPrintable(r) {
			return false
		}
	}
	return true
}

// plainKeyOK is the part of SnakeYAML's analyzeScalar that decides allowBlockPlain.
func plainKeyOK(s string) bool {
	if s == "" || strings.HasPrefix(s, "---") || strings.HasPrefix(s, "...") {
		return false
	}
	rs := []rune(s)
	if rs[0] == ' ' || rs[len(rs)-1] == ' ' {
		return false
	}
	blank := func(i int) bool { return i < 0 || i >= len(rs) || rs[i] == ' ' || rs[i] == '\t' }
	for i, r := range rs {
		if r == '\n' || r == '\r' || r == '\t' || !yamlPrintable(r) || r == 0x85 || r == 0x2028 || r == 0x2029 || r == 0xFEFF {
			return false
		}
		if i == 0 {
			if strings.ContainsRune("#,[]{}&*!|>'\"%@`", r) {
				return false
			}
			if (r == '?' || r == ':' || r == '-') && blank(i+1) {
				return false
			}
			continue
		}
		if r == ':' && blank(i+1) {
			return false
		}
		if r == '#' && blank(i-1) {
			return false
		}
	}
	return true
}
