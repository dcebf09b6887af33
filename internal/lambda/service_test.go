package lambda

import "testing"

func TestParseFunction(t *testing.T) {
	s := &Service{Region: "us-east-1", AccountID: "123456789012"}
	cases := []struct {
		in, name, qual string
		ok             bool
	}{
		{"f", "f", "", true},
		{"f:live", "f", "live", true},
		{"f:1", "f", "1", true},
		{"123456789012:function:f", "f", "", true},
		{"123456789012:function:f:$LATEST", "f", "$LATEST", true},
		{"arn:aws:lambda:us-east-1:123456789012:function:f", "f", "", true},
		{"arn:aws:lambda:us-east-1:123456789012:function:f:7", "f", "7", true},
		{"arn:aws:lambda:eu-west-1:123456789012:function:f", "", "", false},
		{"arn:aws:lambda:us-east-1:999999999999:function:f", "", "", false},
		{"999999999999:function:f", "", "", false},
		{"f:", "", "", false},
		{"a:b:c", "", "", false},
		{"bad name", "", "", false},
		{"", "", "", false},
	}
	for _, c := range cases {
		name, qual, ok := s.ParseFunction(c.in)
		if name != c.name || qual != c.qual || ok != c.ok {
			t.Errorf("ParseFunction(%q) = %q %q %v; want %q %q %v", c.in, name, qual, ok, c.name, c.qual, c.ok)
		}
	}
}

func TestMayInvoke(t *testing.T) {
	rec := &functionRecord{Policies: map[string][]Statement{"": {{
		Sid: "a", Effect: "Allow", Principal: map[string]any{"Service": "apigateway.amazonaws.com"}, Action: "lambda:InvokeFunction",
		Condition: map[string]map[string]string{"ArnLike": {"AWS:SourceArn": "arn:aws:execute-api:us-east-1:1:api/*/GET/pets/*"}},
	}}}}
	cases := []struct {
		principal, source string
		want              bool
	}{
		{"apigateway.amazonaws.com", "arn:aws:execute-api:us-east-1:1:api/prod/GET/pets/1", true},
		{"apigateway.amazonaws.com", "arn:aws:execute-api:us-east-1:1:api/$default/GET/pets/a/b", true},
		{"apigateway.amazonaws.com", "arn:aws:execute-api:us-east-1:1:api/prod/POST/pets/1", false},
		{"apigateway.amazonaws.com", "arn:aws:execute-api:us-east-1:1:other/prod/GET/pets/1", false},
		{"cognito-idp.amazonaws.com", "arn:aws:execute-api:us-east-1:1:api/prod/GET/pets/1", false},
	}
	for _, c := range cases {
		if got := mayInvoke(rec, "", &InvokeInput{Principal: c.principal, SourceArn: c.source}); got != c.want {
			t.Errorf("mayInvoke(%s, %s) = %v; want %v", c.principal, c.source, got, c.want)
		}
	}
	// Without any statement, local functions admit every service.
	if !mayInvoke(&functionRecord{}, "", &InvokeInput{Principal: "cognito-idp.amazonaws.com"}) {
		t.Error("a function without a policy refused a service")
	}
}

func TestPageOf(t *testing.T) {
	items := []string{"a", "b", "c", "d", "e"}
	id := func(s string) string { return s }
	var got []string
	marker := ""
	for {
		page, next, err := pageOf(items, id, marker, 2)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, page...)
		if next == "" {
			break
		}
		marker = next
	}
	if len(got) != 5 || got[4] != "e" {
		t.Fatalf("pages = %v", got)
	}
	if _, _, err := pageOf(items, id, "!!", 2); err == nil {
		t.Fatal("a bad marker was accepted")
	}
}
