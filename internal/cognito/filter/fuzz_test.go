package filter

import (
	"errors"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		``, `email = "a@b.c"`, `given_name ^= "Jon"`, `name = "O\"Brien"`, `name="\\"`,
		`custom:x = "y"`, `username = foo`, `email = "x`, " \tsub\n=\"\" ", `status="Enabled"`,
		`cognito:user_status ^= "conf"`, `email = "a" and name = "b"`, `=`, `^=`, `"`, `\`,
	} {
		f.Add(s, "value")
	}
	f.Fuzz(func(t *testing.T, s, value string) {
		flt, err := Parse(s)
		if err != nil {
			if flt != nil {
				t.Fatalf("Parse(%q) returned both a filter and an error", s)
			}
			var ae *awserr.Error
			if !errors.As(err, &ae) || ae.Type != awserr.InvalidParameter {
				t.Fatalf("Parse(%q) error %#v is not an InvalidParameterException", s, err)
			}
			if ae.Message != MsgParseError && !strings.HasPrefix(ae.Message, "Invalid search attribute: ") {
				t.Fatalf("Parse(%q) unexpected message %q", s, ae.Message)
			}
			return
		}
		if flt == nil {
			if s != "" {
				t.Fatalf("Parse(%q) = nil, nil", s)
			}
			return
		}
		if !Searchable(flt.Attribute) || (flt.Op != Equals && flt.Op != Prefix) {
			t.Fatalf("Parse(%q) = %+v: bad attribute or operator", s, *flt)
		}
		again, err := Parse(flt.String())
		if err != nil {
			t.Fatalf("Parse(%q) (from %q): %v", flt.String(), s, err)
		}
		if *again != *flt {
			t.Fatalf("round trip of %q: %+v != %+v", s, *again, *flt)
		}
		// Match is total and consistent with its own definition.
		m := flt.Match(value)
		v, k := Normalize(flt.Attribute, value), flt.Key()
		if want := (flt.Op == Equals && v == k) || (flt.Op == Prefix && strings.HasPrefix(v, k)); m != want {
			t.Fatalf("%+v.Match(%q) = %v, want %v", *flt, value, m, want)
		}
		if !flt.Match(flt.Value) {
			t.Fatalf("%+v does not match its own value", *flt)
		}
	})
}
