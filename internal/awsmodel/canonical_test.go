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
		{"AdminCreateUser", `{"UserPoolId":"us-east-1_abc","Username":"ok","USERNAME":"bad",
			"UserAttributes":[{"Name":"email","Value":"a@b.c","value":"x"}],"ClientMetadata":{"anyKey":"v","AnyKey":"w"}}`,
			`{"UserPoolId":"us-east-1_abc","Username":"ok","UserAttributes":[{"Name":"email","Value":"a@b.c"}],
			"ClientMetadata":{"anyKey":"v","AnyKey":"w"}}`},
		{"CreateUserPool", `{"PoolName":"p","LambdaConfig":{"PreSignUp":"arn:aws:lambda:us-east-1:000000000000:function:f","preSignUp":"x"}}`,
			`{"PoolName":"p","LambdaConfig":{"PreSignUp":"arn:aws:lambda:us-east-1:000000000000:function:f"}}`},
		{"ListUserPools", `{"MaxResults":1.5e1}`, `{"MaxResults":1.5e1}`},
	}
	for _, c := range cases {
		var w any
		_ = json.Unmarshal([]byte(c.want), &w)
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
	if got, err := m.ValidateCanonicalJSON("ListUserPools", []byte(`{"MaxResults":1}`), ""); err != nil || string(got) != `{"MaxResults":1}` {
		t.Errorf("plain body: %q %v", got, err)
	}
	if got, err := m.ValidateCanonicalJSON("ListUserPools", nil, ""); err == nil {
		t.Errorf("empty body without the required MaxResults accepted: %q", got)
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
