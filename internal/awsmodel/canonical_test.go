package awsmodel

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestCanonicalJSON(t *testing.T) {
	m := MustLoad("cognito-idp")
	cases := []struct{ op, in, want string }{
		{"ListUserPools", `{"MaxResults":10,"maxResults":0,"Other":1}`, `{"MaxResults":10}`},
		{"AdminCreateUser", `{"UserPoolId":"us-east-1_a","Username":"ok","USERNAME":"bad",
			"UserAttributes":[{"Name":"email","Value":"a@b.c","value":"x"}],"ClientMetadata":{"anyKey":"v","AnyKey":"w"}}`,
			`{"UserPoolId":"us-east-1_a","Username":"ok","UserAttributes":[{"Name":"email","Value":"a@b.c"}],
			"ClientMetadata":{"anyKey":"v","AnyKey":"w"}}`},
		{"CreateUserPool", `{"PoolName":"p","LambdaConfig":{"PreSignUp":"arn:aws:lambda:us-east-1:000000000000:function:f","preSignUp":"x"}}`,
			`{"PoolName":"p","LambdaConfig":{"PreSignUp":"arn:aws:lambda:us-east-1:000000000000:function:f"}}`},
		{"ListUserPools", `{"MaxResults":1.5e1}`, `{"MaxResults":1.5e1}`},
	}
	for _, c := range cases {
		got, err := m.CanonicalJSON(c.op, []byte(c.in))
		if err != nil {
			t.Fatalf("%s: %v", c.op, err)
		}
		var g, w any
		_ = json.Unmarshal(got, &g)
		_ = json.Unmarshal([]byte(c.want), &w)
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%s: canonical %s, want %s", c.op, got, c.want)
		}
		if c.op == "AdminCreateUser" {
			continue // its sample pool id is not a valid one
		}
		both, err := m.ValidateCanonicalJSON(c.op, []byte(c.in), "")
		if err != nil {
			t.Fatalf("%s: ValidateCanonicalJSON: %v", c.op, err)
		}
		var b any
		_ = json.Unmarshal(both, &b)
		if !reflect.DeepEqual(b, w) {
			t.Errorf("%s: ValidateCanonicalJSON %s, want %s", c.op, both, c.want)
		}
	}
	if got, err := m.CanonicalJSON("ListUserPools", nil); err != nil || got != nil {
		t.Errorf("empty body: %q %v", got, err)
	}
}

func TestValidateCanonicalJSONRejects(t *testing.T) {
	m := MustLoad("cognito-idp")
	if _, err := m.ValidateCanonicalJSON("ListUserPools", []byte(`{"MaxResults":0}`), ""); err == nil {
		t.Fatal("MaxResults 0 accepted")
	}
	if _, err := m.ValidateCanonicalJSON("ListUserPools", []byte(`{`), ""); err == nil {
		t.Fatal("malformed JSON accepted")
	}
}
