package filter

import (
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
)

// Op is a filter's comparison operator.
type Op int

const (
	// Equals is the exact-match operator "=".
	Equals Op = iota + 1
	// Prefix is the "starts with" operator "^=".
	Prefix
)

// String returns the operator as it is written in a filter: "=" or "^=".
func (o Op) String() string {
	switch o {
	case Equals:
		return "="
	case Prefix:
		return "^="
	default:
		return "?"
	}
}

// Names of the searchable attributes, exactly as they are written in a filter.
const (
	// AttrUsername is the user name (case-sensitive).
	AttrUsername = "username"
	// AttrEmail is the email attribute.
	AttrEmail = "email"
	// AttrPhoneNumber is the phone_number attribute.
	AttrPhoneNumber = "phone_number"
	// AttrName is the name attribute.
	AttrName = "name"
	// AttrGivenName is the given_name attribute.
	AttrGivenName = "given_name"
	// AttrFamilyName is the family_name attribute.
	AttrFamilyName = "family_name"
	// AttrPreferredUsername is the preferred_username attribute.
	AttrPreferredUsername = "preferred_username"
	// AttrUserStatus is the user's UserStatus, e.g. CONFIRMED ("Status" in the console).
	AttrUserStatus = "cognito:user_status"
	// AttrStatus is "Enabled" or "Disabled" ("Enabled" in the console; case-sensitive).
	AttrStatus = "status"
	// AttrSub is the immutable sub (user ID) attribute.
	AttrSub = "sub"
)

// Status values of the AttrStatus pseudo-attribute.
const (
	// StatusEnabled is the AttrStatus value of an enabled user.
	StatusEnabled = "Enabled"
	// StatusDisabled is the AttrStatus value of a disabled user.
	StatusDisabled = "Disabled"
)

// searchable maps every searchable attribute to whether its values compare case-sensitively.
var searchable = map[string]bool{
	AttrUsername:          true,
	AttrEmail:             false,
	AttrPhoneNumber:       false,
	AttrName:              false,
	AttrGivenName:         false,
	AttrFamilyName:        false,
	AttrPreferredUsername: false,
	AttrUserStatus:        false,
	AttrStatus:            true,
	AttrSub:               false,
}

// Error messages, exactly as returned to clients (see the package documentation for sources).
const (
	// MsgParseError is the message of the InvalidParameterException for a malformed filter.
	MsgParseError = "Error while parsing filter."
	// msgInvalidAttribute prefixes the name of an attribute that cannot be searched.
	msgInvalidAttribute = "Invalid search attribute: "
)

// Filter is one parsed ListUsers filter.
type Filter struct {
	// Attribute is the searched attribute, one of the Attr* constants.
	Attribute string
	// Op is the comparison operator.
	Op Op
	// Value is the unescaped value the attribute is compared with.
	Value string
}

// Parse parses a ListUsers Filter string. The empty string means "no filter" and yields
// (nil, nil). Any other input yields a *Filter or an *awserr.Error of type
// InvalidParameterException.
func Parse(s string) (*Filter, error) {
	if s == "" {
		return nil, nil
	}
	p := parser{s: s}
	p.skipSpace()
	name := p.name()
	if name == "" {
		return nil, parseError()
	}
	p.skipSpace()
	op, ok := p.op()
	if !ok {
		return nil, parseError()
	}
	p.skipSpace()
	value, ok := p.quoted()
	if !ok {
		return nil, parseError()
	}
	p.skipSpace()
	if p.i != len(p.s) {
		return nil, parseError()
	}
	if !Searchable(name) {
		return nil, awserr.New(awserr.InvalidParameter, msgInvalidAttribute+name)
	}
	return &Filter{Attribute: name, Op: op, Value: value}, nil
}

func parseError() error { return awserr.New(awserr.InvalidParameter, MsgParseError) }

type parser struct {
	s string
	i int
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (p *parser) skipSpace() {
	for p.i < len(p.s) && isSpace(p.s[p.i]) {
		p.i++
	}
}

// name reads an attribute name: everything up to whitespace, an operator or a quotation mark.
func (p *parser) name() string {
	start := p.i
	for p.i < len(p.s) {
		c := p.s[p.i]
		if isSpace(c) || c == '=' || c == '^' || c == '"' {
			break
		}
		p.i++
	}
	return p.s[start:p.i]
}

func (p *parser) op() (Op, bool) {
	rest := p.s[p.i:]
	switch {
	case strings.HasPrefix(rest, "^="):
		p.i += 2
		return Prefix, true
	case strings.HasPrefix(rest, "="):
		p.i++
		return Equals, true
	default:
		return 0, false
	}
}

// quoted reads a double-quoted value in which a backslash escapes the byte after it.
func (p *parser) quoted() (string, bool) {
	if p.i >= len(p.s) || p.s[p.i] != '"' {
		return "", false
	}
	p.i++
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch c {
		case '"':
			p.i++
			return b.String(), true
		case '\\':
			if p.i+1 >= len(p.s) {
				return "", false
			}
			b.WriteByte(p.s[p.i+1])
			p.i += 2
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	return "", false // unterminated
}

// String returns f in canonical form, `name = "value"` or `name ^= "value"`, escaping
// quotation marks and backslashes in the value; Parse(f.String()) yields f again. A nil
// filter is the empty string.
func (f *Filter) String() string {
	if f == nil {
		return ""
	}
	var b strings.Builder
	b.Grow(len(f.Attribute) + len(f.Value) + 8)
	b.WriteString(f.Attribute)
	b.WriteByte(' ')
	b.WriteString(f.Op.String())
	b.WriteString(` "`)
	for i := 0; i < len(f.Value); i++ {
		if c := f.Value[i]; c == '"' || c == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(f.Value[i])
	}
	b.WriteByte('"')
	return b.String()
}

// Searchable reports whether attr can be used in a ListUsers filter. Attribute names are
// case-sensitive; custom attributes are never searchable.
func Searchable(attr string) bool {
	_, ok := searchable[attr]
	return ok
}

// SearchableAttributes returns the names of all searchable attributes, in the order the
// ListUsers documentation lists them.
func SearchableAttributes() []string {
	return []string{
		AttrUsername, AttrEmail, AttrPhoneNumber, AttrName, AttrGivenName, AttrFamilyName,
		AttrPreferredUsername, AttrUserStatus, AttrStatus, AttrSub,
	}
}

// CaseInsensitive reports whether values of the searchable attribute attr are compared
// without regard to case. It is false for username, status and for attributes that are not
// searchable.
func CaseInsensitive(attr string) bool {
	sensitive, ok := searchable[attr]
	return ok && !sensitive
}

// Fold returns s in the case-folded form used for case-insensitive comparison.
func Fold(s string) string { return strings.ToLower(s) }

// Normalize returns the form of a value of attr that filters compare: Fold(value) when attr
// is CaseInsensitive, value unchanged otherwise. A secondary index over a searchable
// attribute must key on Normalize(attr, value) so that it agrees with Filter.Match.
//
// username is case-sensitive here, as the ListUsers reference documents. A user pool whose
// UsernameConfiguration.CaseSensitive is false compares user names with Fold instead; that
// is a pool setting the caller applies.
func Normalize(attr, value string) string {
	if CaseInsensitive(attr) {
		return Fold(value)
	}
	return value
}

// Key returns the normalized value to look up in an index over f.Attribute: the exact key
// for Equals, the key prefix for Prefix.
func (f *Filter) Key() string { return Normalize(f.Attribute, f.Value) }

// Match reports whether a user whose f.Attribute has the given value passes the filter.
// Callers must not call Match for a user that lacks the attribute: such a user never
// matches, not even `^= ""`. A nil filter matches every value.
func (f *Filter) Match(value string) bool {
	if f == nil {
		return true
	}
	v, key := Normalize(f.Attribute, value), f.Key()
	switch f.Op {
	case Equals:
		return v == key
	case Prefix:
		return strings.HasPrefix(v, key)
	default:
		return false
	}
}
