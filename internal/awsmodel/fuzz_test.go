package awsmodel

import (
	"testing"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
)

var fuzzTargets = []struct{ service, op string }{
	{"cognito-idp", "AdminCreateUser"},
	{"cognito-idp", "InitiateAuth"},
	{"cognito-idp", "CreateUserPool"},
	{"cognito-idp", "CreateUserPoolClient"},
	{"cognito-identity", "GetId"},
	{"lambda", "CreateFunction"},
	{"apigatewayv2", "CreateApi"},
}

func FuzzValidateJSON(f *testing.F) {
	for _, seed := range []string{
		``, `{}`, `[]`, `null`, `{"UserPoolId":"us-east-1_a","Username":"u"}`,
		benchAdminCreateUser,
		`{"AuthFlow":"USER_SRP_AUTH","ClientId":"c","AuthParameters":{"USERNAME":"u"},"ClientMetadata":{"":""}}`,
		`{"PoolName":"p","UserPoolTags":{"k":"v"},"Policies":{"PasswordPolicy":{"MinimumLength":6}},"Schema":[{"Name":"n","StringAttributeConstraints":{"MaxLength":"9"}}]}`,
		`{"FunctionName":"f","Code":{"ZipFile":"UEsDBA=="},"Environment":{"Variables":{"A":"b"}},"Timeout":1.5}`,
		`{"Logins":{"a":"b"},"IdentityPoolId":"us-east-1:x"}`,
		`{"name":"n","protocolType":"HTTP","corsConfiguration":{"maxAge":-1}}`,
		`{"UserAttributes":[null,{"Name":["x"]}]}`, `{"Limit":1e999}`, `{"a":"\ud800"}`,
	} {
		for i := range fuzzTargets {
			f.Add(uint8(i), []byte(seed))
		}
	}
	f.Fuzz(func(t *testing.T, target uint8, body []byte) {
		tg := fuzzTargets[int(target)%len(fuzzTargets)]
		m := MustLoad(tg.service)
		err := m.ValidateJSON(tg.op, body, "TestValidation")
		if err == nil {
			return
		}
		e, ok := awserr.As(err)
		if !ok {
			t.Fatalf("non-AWS error %v", err)
		}
		if e.Type != awserr.Serialization && e.Type != "TestValidation" {
			t.Fatalf("unexpected error type %q", e.Type)
		}
	})
}
