package awsmodel

import (
	"regexp"
	"testing"
)

func TestTranslatePattern(t *testing.T) {
	cases := []struct {
		pattern string
		match   []string
		reject  []string
	}{
		{`[\w-]+_[0-9a-zA-Z]+`, []string{"us-east-1_AbC123xyz"}, []string{"abc", "us-east-1_", "us-east-1_a b", "x_y\n"}},
		{`[\p{L}\p{M}\p{S}\p{N}\p{P}]+`, []string{"jöhn.doe@example.com", "名前", "+1"}, []string{"a b", "", "tab\there"}},
		{`[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r ]+`, []string{"a b\tc"}, []string{"\x00"}},
		{`[\S]+`, []string{"Passw0rd!"}, []string{"pass word", ""}},
		{`[\w\s+=,.@-]+`, []string{"my pool", "a\x0Bb"}, []string{"my/pool"}},
		{`[^\s]+`, []string{"abc"}, []string{"a\x0Bb"}},
		{`(?s).*`, []string{"a\nb", ""}, nil},
		{`.*`, []string{"abc"}, []string{"a\nb", "a\rb", "a\u2028b"}},
		{`[\u0009\u000A\u000D\u0020-\u00FF]+`, []string{"ÿ tab\t"}, []string{"\u0100"}},
		{`\$LATEST|[0-9]+`, []string{"$LATEST", "12"}, []string{"LATEST", "$LATEST1"}},
		{`\Q.*\E`, []string{".*"}, []string{"ab"}},
		{`\p{Alpha}+\p{Digit}`, []string{"ab1"}, []string{"ä1"}},
		{`[\p{Alnum}_]+`, []string{"a_1"}, []string{"a-1"}},
		{`\x41\u0042\0103`, []string{"ABC"}, nil},
		{`arn:aws[a-zA-Z-]*:s3:::x$|^arn:aws:iam::\d{12}:root`, []string{"arn:aws:s3:::x", "arn:aws:iam::123456789012:root"}, []string{"arn:aws:s3:::xy"}},
	}
	for _, tc := range cases {
		expr, ok := translatePattern(tc.pattern)
		if !ok {
			t.Errorf("%s: not translated", tc.pattern)
			continue
		}
		re, err := regexp.Compile(expr)
		if err != nil {
			t.Errorf("%s -> %s: %v", tc.pattern, expr, err)
			continue
		}
		for _, s := range tc.match {
			if !re.MatchString(s) {
				t.Errorf("%s (%s) does not match %q", tc.pattern, expr, s)
			}
		}
		for _, s := range tc.reject {
			if re.MatchString(s) {
				t.Errorf("%s (%s) matches %q", tc.pattern, expr, s)
			}
		}
	}
}

func TestTranslatePatternUnsupported(t *testing.T) {
	for _, p := range []string{
		`(?!^[0-9]+$)([a-zA-Z0-9-_]+)`, // look-ahead
		`[0-9A-Za-z\.\-_]*(?<!\.)`,     // look-behind
		`(a)\1`,                        // back-reference
		`a++`,                          // possessive
		`(?>a)`,                        // atomic group
		`[a-z&&[^aeiou]]`,              // intersection
		`[a-c[x-z]]`,                   // union
		`\p{InGreek}`,                  // block
		`\p{javaLowerCase}`,            // java property
		`[a`,                           // unterminated
		`abc\`,                         // dangling escape
		`\Z`,                           // end before terminator
	} {
		if expr, ok := translatePattern(p); ok {
			t.Errorf("%s translated to %s", p, expr)
		}
	}
}

// TestModelPatterns checks every pattern of every embedded model either
// compiles or is one of the known untranslatable ones.
func TestModelPatterns(t *testing.T) {
	skipped := map[string]bool{}
	total := 0
	for _, svc := range Services() {
		m := MustLoad(svc)
		for _, s := range m.shapes {
			if s.Pattern == "" {
				continue
			}
			total++
			expr, ok := translatePattern(s.Pattern)
			if !ok {
				skipped[s.Pattern] = true
				continue
			}
			if _, err := regexp.Compile(expr); err != nil {
				t.Errorf("%s %s: %s -> %s: %v", svc, s.Name, s.Pattern, expr, err)
			}
			if s.Regexp() == nil {
				t.Errorf("%s %s: Regexp() is nil", svc, s.Name)
			}
		}
	}
	for p := range skipped {
		t.Logf("not enforced (uses look-around): %s", p)
	}
	if len(skipped) > 6 {
		t.Errorf("%d of %d patterns untranslatable", len(skipped), total)
	}
}
