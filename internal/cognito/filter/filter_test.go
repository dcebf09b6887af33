package filter

import (
	"errors"
	"testing"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
)

func TestParseValid(t *testing.T) {
	tests := []struct {
		in   string
		want Filter
	}{
		{`family_name = "Reddy"`, Filter{AttrFamilyName, Equals, "Reddy"}},
		{`given_name ^= "Jon"`, Filter{AttrGivenName, Prefix, "Jon"}},
		{`phone_number ^= "+1312"`, Filter{AttrPhoneNumber, Prefix, "+1312"}},
		{`email="a@example.com"`, Filter{AttrEmail, Equals, "a@example.com"}},
		{`email^="a@"`, Filter{AttrEmail, Prefix, "a@"}},
		{"  \temail \r\n=\n \"x\"\t ", Filter{AttrEmail, Equals, "x"}},
		{`family_name = ""`, Filter{AttrFamilyName, Equals, ""}},
		{`name = "O\"Brien"`, Filter{AttrName, Equals, `O"Brien`}},
		{`name = "back\\slash"`, Filter{AttrName, Equals, `back\slash`}},
		{`name = "\a\b"`, Filter{AttrName, Equals, `ab`}},
		{`name = "="`, Filter{AttrName, Equals, `=`}},
		{`name = "a b  c "`, Filter{AttrName, Equals, `a b  c `}},
		{`name = "Zoë"`, Filter{AttrName, Equals, `Zoë`}},
		{`username = "Alice"`, Filter{AttrUsername, Equals, "Alice"}},
		{`preferred_username ^= "al"`, Filter{AttrPreferredUsername, Prefix, "al"}},
		{`cognito:user_status = "CONFIRMED"`, Filter{AttrUserStatus, Equals, "CONFIRMED"}},
		{`status = "Disabled"`, Filter{AttrStatus, Equals, "Disabled"}},
		{`sub = "0b1f8d4e-5a1c-4c5e-9a59-6f6b0d4a2c11"`, Filter{AttrSub, Equals, "0b1f8d4e-5a1c-4c5e-9a59-6f6b0d4a2c11"}},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): unexpected error %v", tt.in, err)
			continue
		}
		if *got != tt.want {
			t.Errorf("Parse(%q) = %+v, want %+v", tt.in, *got, tt.want)
		}
	}
}

func TestParseEmpty(t *testing.T) {
	f, err := Parse("")
	if f != nil || err != nil {
		t.Fatalf("Parse(\"\") = %v, %v; want nil, nil", f, err)
	}
	if !f.Match("anything") {
		t.Error("nil filter should match every value")
	}
	if f.String() != "" {
		t.Errorf("nil filter String() = %q", f.String())
	}
}

func TestParseInvalid(t *testing.T) {
	const parse = "Error while parsing filter."
	tests := []struct {
		in, msg string
	}{
		{"foo", parse},
		{" ", parse},
		{"\t\n", parse},
		{`username = foo`, parse},
		{`username=`, parse},
		{`username`, parse},
		{`= "x"`, parse},
		{`"email" = "x"`, parse},
		{`email == "x"`, parse},
		{`email != "x"`, parse},
		{`email ^ "x"`, parse},
		{`email =^ "x"`, parse},
		{`email $= "x"`, parse},
		{`email "x"`, parse},
		{`email = "x`, parse},
		{`email = "x\"`, parse},
		{`email = "x\`, parse},
		{`email = 'x'`, parse},
		{`email = "x" extra`, parse},
		{`email = "x""y"`, parse},
		{`email = "a" and name = "b"`, parse},
		{`email = "a", name = "b"`, parse},
		{`custom:tier = foo`, parse}, // syntax is checked before the attribute
		{`custom:tier = "gold"`, "Invalid search attribute: custom:tier"},
		{`dev:custom:tier ^= "g"`, "Invalid search attribute: dev:custom:tier"},
		{`Email = "x"`, "Invalid search attribute: Email"},
		{`email_verified = "true"`, "Invalid search attribute: email_verified"},
		{`locale = "en"`, "Invalid search attribute: locale"},
		{`cognito:username = "x"`, "Invalid search attribute: cognito:username"},
	}
	for _, tt := range tests {
		f, err := Parse(tt.in)
		if err == nil {
			t.Errorf("Parse(%q) = %+v, want error %q", tt.in, f, tt.msg)
			continue
		}
		if f != nil {
			t.Errorf("Parse(%q) returned a filter alongside error %v", tt.in, err)
		}
		var ae *awserr.Error
		if !errors.As(err, &ae) {
			t.Errorf("Parse(%q) error %T is not *awserr.Error", tt.in, err)
			continue
		}
		if ae.Type != awserr.InvalidParameter || ae.Message != tt.msg {
			t.Errorf("Parse(%q) error = %s / %q, want %s / %q", tt.in, ae.Type, ae.Message, awserr.InvalidParameter, tt.msg)
		}
	}
}

func TestString(t *testing.T) {
	tests := []struct {
		f    Filter
		want string
	}{
		{Filter{AttrEmail, Equals, "a@b.c"}, `email = "a@b.c"`},
		{Filter{AttrGivenName, Prefix, "Jo"}, `given_name ^= "Jo"`},
		{Filter{AttrName, Equals, `say "hi" \o/`}, `name = "say \"hi\" \\o/"`},
		{Filter{AttrName, Equals, ""}, `name = ""`},
	}
	for _, tt := range tests {
		if got := tt.f.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.f, got, tt.want)
		}
		back, err := Parse(tt.want)
		if err != nil || *back != tt.f {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", tt.want, back, err, tt.f)
		}
	}
}

func TestSearchableAndCase(t *testing.T) {
	sensitive := map[string]bool{AttrUsername: true, AttrStatus: true}
	attrs := SearchableAttributes()
	if len(attrs) != 10 {
		t.Fatalf("SearchableAttributes() has %d names, want 10", len(attrs))
	}
	for _, a := range attrs {
		if !Searchable(a) {
			t.Errorf("Searchable(%q) = false", a)
		}
		if got, want := CaseInsensitive(a), !sensitive[a]; got != want {
			t.Errorf("CaseInsensitive(%q) = %v, want %v", a, got, want)
		}
	}
	for _, a := range []string{"", "custom:x", "Email", "address", "email_verified", "updated_at"} {
		if Searchable(a) || CaseInsensitive(a) {
			t.Errorf("attribute %q should be neither searchable nor case-insensitive", a)
		}
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ attr, in, want string }{
		{AttrEmail, "User@Example.COM", "user@example.com"},
		{AttrUserStatus, "Confirmed", "confirmed"},
		{AttrName, "ZOË", "zoë"},
		{AttrUsername, "Alice", "Alice"},
		{AttrStatus, "Enabled", "Enabled"},
		{"custom:x", "MiXeD", "MiXeD"},
	}
	for _, tt := range tests {
		if got := Normalize(tt.attr, tt.in); got != tt.want {
			t.Errorf("Normalize(%q, %q) = %q, want %q", tt.attr, tt.in, got, tt.want)
		}
	}
}

func TestMatch(t *testing.T) {
	tests := []struct {
		filter, value string
		want          bool
	}{
		{`email = "user@example.com"`, "User@Example.com", true},
		{`email = "USER@EXAMPLE.COM"`, "user@example.com", true},
		{`email = "user@example.com"`, "user@example.co", false},
		{`email = "user@example.com"`, "user@example.com.au", false},
		{`email ^= "User@"`, "user@example.com", true},
		{`email ^= "user@x"`, "user@example.com", false},
		{`email ^= ""`, "anything", true},
		{`email = ""`, "", true},
		{`email = ""`, "x", false},
		{`phone_number ^= "+1312"`, "+13125550100", true},
		{`phone_number ^= "+1312"`, "+14155550100", false},
		{`username = "Alice"`, "Alice", true},
		{`username = "alice"`, "Alice", false},
		{`username ^= "Al"`, "Alice", true},
		{`username ^= "al"`, "Alice", false},
		{`status = "Enabled"`, "Enabled", true},
		{`status = "enabled"`, "Enabled", false},
		{`cognito:user_status = "confirmed"`, "CONFIRMED", true},
		{`cognito:user_status ^= "FORCE"`, "FORCE_CHANGE_PASSWORD", true},
		{`cognito:user_status = "CONFIRMED"`, "UNCONFIRMED", false},
		{`sub = "ABCDEF00-0000-0000-0000-000000000000"`, "abcdef00-0000-0000-0000-000000000000", true},
		{`family_name = "O\"Brien"`, `o"brien`, true},
	}
	for _, tt := range tests {
		f, err := Parse(tt.filter)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.filter, err)
		}
		if got := f.Match(tt.value); got != tt.want {
			t.Errorf("Parse(%q).Match(%q) = %v, want %v", tt.filter, tt.value, got, tt.want)
		}
	}
}

func TestKeyAgreesWithMatch(t *testing.T) {
	// An index keyed on Normalize(attr, stored value) and probed with Key() must select the
	// same users as Match.
	stored := []string{"alice@example.com", "ALICE@example.org", "bob@example.com"}
	f, err := Parse(`email ^= "Alice@"`)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range stored {
		idx := Normalize(f.Attribute, v)
		byIndex := len(idx) >= len(f.Key()) && idx[:len(f.Key())] == f.Key()
		if byIndex != f.Match(v) {
			t.Errorf("index and Match disagree on %q", v)
		}
	}
}

func TestMatchInvalidOp(t *testing.T) {
	f := &Filter{Attribute: AttrEmail, Value: "x"}
	if f.Match("x") {
		t.Error("a filter without an operator must match nothing")
	}
	if got := Op(0).String(); got != "?" {
		t.Errorf("Op(0).String() = %q", got)
	}
}
