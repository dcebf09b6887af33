package awsmodel

import (
	"regexp"
	"strconv"
	"strings"
)

// javaSpace is Java's \s: [ \t\n\x0B\f\r] (RE2's \s lacks \x0B).
const javaSpace = `\t\n\x0B\f\r `

// javaDot is Java's "." without DOTALL: anything but a line terminator.
const javaDot = `[^\n\r\x{85}\x{2028}\x{2029}]`

// posixClasses maps Java's POSIX-style \p{Name} classes (US-ASCII only, as
// in Java without UNICODE_CHARACTER_CLASS) to RE2 class contents.
var posixClasses = map[string]string{
	"Lower":  `a-z`,
	"Upper":  `A-Z`,
	"ASCII":  `\x00-\x7F`,
	"Alpha":  `a-zA-Z`,
	"Digit":  `0-9`,
	"Alnum":  `a-zA-Z0-9`,
	"Punct":  `!-/:-@\[-` + "`" + `{-~`,
	"Graph":  `!-~`,
	"Print":  ` -~`,
	"Blank":  ` \t`,
	"Cntrl":  `\x00-\x1F\x7F`,
	"XDigit": `0-9a-fA-F`,
	"Space":  javaSpace,
}

// translatePattern turns a Java regular expression from an AWS model into an
// RE2 expression that matches whole strings, as Java's Matcher.matches does.
// ok is false when the pattern uses a construct RE2 lacks (look-around,
// back-references, possessive or atomic groups, class unions/intersections…);
// such patterns are then not enforced rather than enforced wrongly.
func translatePattern(p string) (expr string, ok bool) {
	var b strings.Builder
	b.Grow(len(p) + 16)
	b.WriteString(`^(?:`)
	dotAll := strings.Contains(p, "(?s")
	inClass := false
	classStart := 0 // index in p just after '[' or '[^'
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\\':
			if i+1 >= len(p) {
				return "", false
			}
			n, next, ok := translateEscape(p, i, inClass)
			if !ok {
				return "", false
			}
			b.WriteString(n)
			i = next - 1
		case inClass:
			switch c {
			case '[':
				return "", false // Java nested class (union)
			case '&':
				if i+1 < len(p) && p[i+1] == '&' {
					return "", false // Java intersection
				}
				b.WriteByte(c)
			case ']':
				if i == classStart {
					return "", false // Java rejects "[]"; RE2 reads a literal
				}
				inClass = false
				b.WriteByte(c)
			default:
				b.WriteByte(c)
			}
		case c == '[':
			inClass = true
			b.WriteByte(c)
			if i+1 < len(p) && p[i+1] == '^' {
				b.WriteByte('^')
				i++
			}
			classStart = i + 1
		case c == '(':
			if i+1 < len(p) && p[i+1] == '?' {
				rest := p[i+2:]
				switch {
				case strings.HasPrefix(rest, "="), strings.HasPrefix(rest, "!"),
					strings.HasPrefix(rest, "<="), strings.HasPrefix(rest, "<!"),
					strings.HasPrefix(rest, ">"):
					return "", false // look-around and atomic groups
				}
			}
			b.WriteByte(c)
		case c == '.':
			if dotAll {
				b.WriteByte(c)
			} else {
				b.WriteString(javaDot)
			}
		case c == '+' || c == '*' || c == '?' || c == '}':
			b.WriteByte(c)
			if i+1 < len(p) && p[i+1] == '+' {
				return "", false // possessive quantifier
			}
		default:
			b.WriteByte(c)
		}
	}
	if inClass {
		return "", false
	}
	b.WriteString(`)$`)
	return b.String(), true
}

// translateEscape translates the escape sequence starting at p[i] == '\\'.
// It returns the RE2 text and the index just past the sequence.
func translateEscape(p string, i int, inClass bool) (string, int, bool) {
	c := p[i+1]
	switch c {
	case 's':
		if inClass {
			return javaSpace, i + 2, true
		}
		return `[` + javaSpace + `]`, i + 2, true
	case 'S':
		if inClass {
			return `\S`, i + 2, true // differs from Java only for \x0B
		}
		return `[^` + javaSpace + `]`, i + 2, true
	case 'h':
		set := ` \t\xA0\x{1680}\x{180e}\x{2000}-\x{200a}\x{202f}\x{205f}\x{3000}`
		if inClass {
			return set, i + 2, true
		}
		return `[` + set + `]`, i + 2, true
	case 'v':
		set := `\n\x0B\f\r\x{85}\x{2028}\x{2029}`
		if inClass {
			return set, i + 2, true
		}
		return `[` + set + `]`, i + 2, true
	case 'e':
		return `\x1B`, i + 2, true
	case 'u':
		if i+6 > len(p) {
			return "", 0, false
		}
		hex := p[i+2 : i+6] // Java takes exactly four hex digits
		if _, err := strconv.ParseUint(hex, 16, 32); err != nil {
			return "", 0, false
		}
		return `\x{` + hex + `}`, i + 6, true
	case 'x':
		if i+2 < len(p) && p[i+2] == '{' {
			end := strings.IndexByte(p[i:], '}')
			if end < 0 {
				return "", 0, false
			}
			return p[i : i+end+1], i + end + 1, true
		}
		if i+4 > len(p) {
			return "", 0, false
		}
		if _, err := strconv.ParseUint(p[i+2:i+4], 16, 8); err != nil {
			return "", 0, false
		}
		return p[i : i+4], i + 4, true
	case '0':
		j := i + 2
		for j < len(p) && j < i+5 && p[j] >= '0' && p[j] <= '7' {
			j++
		}
		if j == i+2 {
			return "", 0, false
		}
		v, err := strconv.ParseUint(p[i+2:j], 8, 16)
		if err != nil || v > 0377 {
			return "", 0, false
		}
		return `\x{` + strconv.FormatUint(v, 16) + `}`, j, true
	case 'p', 'P':
		return translateProperty(p, i, inClass)
	case 'Q':
		if inClass {
			return "", 0, false
		}
		end := strings.Index(p[i+2:], `\E`)
		if end < 0 {
			return regexp.QuoteMeta(p[i+2:]), len(p), true
		}
		return regexp.QuoteMeta(p[i+2 : i+2+end]), i + 2 + end + 2, true
	case 'd', 'D', 'w', 'W', 't', 'n', 'r', 'f', 'a':
		return p[i : i+2], i + 2, true
	case 'b', 'B', 'A', 'z':
		if inClass {
			return "", 0, false
		}
		return p[i : i+2], i + 2, true
	case 'Z', 'G', 'R', 'X', 'k', 'c', 'E':
		return "", 0, false
	}
	if c >= '1' && c <= '9' {
		return "", 0, false // back-reference
	}
	if c < 0x80 && !isAlnum(c) {
		return p[i : i+2], i + 2, true // escaped punctuation
	}
	return "", 0, false
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// translateProperty translates \p{Name}, \P{Name} and the one-letter \pL.
func translateProperty(p string, i int, inClass bool) (string, int, bool) {
	neg := p[i+1] == 'P'
	var name string
	end := i + 3
	if i+2 >= len(p) {
		return "", 0, false
	}
	if p[i+2] == '{' {
		j := strings.IndexByte(p[i+2:], '}')
		if j < 0 {
			return "", 0, false
		}
		name = p[i+3 : i+2+j]
		end = i + 2 + j + 1
	} else {
		name = p[i+2 : i+3]
	}
	if set, ok := posixClasses[name]; ok {
		switch {
		case inClass && neg:
			return "", 0, false
		case inClass:
			return set, end, true
		case neg:
			return `[^` + set + `]`, end, true
		default:
			return `[` + set + `]`, end, true
		}
	}
	// General categories (L, Lu, Cc…) and scripts (Latin, IsLatin) are
	// spelled the same in RE2 once Java's "Is"/"general_category=" prefixes go.
	name = strings.TrimPrefix(name, "Is")
	name = strings.TrimPrefix(name, "gc=")
	name = strings.TrimPrefix(name, "general_category=")
	name = strings.TrimPrefix(name, "sc=")
	name = strings.TrimPrefix(name, "script=")
	if name == "" || strings.HasPrefix(name, "In") || strings.HasPrefix(name, "java") || strings.ContainsAny(name, "=\\{}") {
		return "", 0, false
	}
	if len(name) == 1 && p[i+2] != '{' {
		return `\` + p[i+1:i+2] + name, end, true
	}
	return `\` + p[i+1:i+2] + `{` + name + `}`, end, true
}
