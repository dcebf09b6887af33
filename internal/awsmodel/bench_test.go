package awsmodel

import "testing"

const benchAdminCreateUser = `{"UserPoolId":"us-east-1_AbC123xyz","Username":"jane.doe@example.com",
"UserAttributes":[{"Name":"email","Value":"jane.doe@example.com"},{"Name":"email_verified","Value":"true"},
{"Name":"given_name","Value":"Jane"},{"Name":"custom:department","Value":"Engineering"}],
"TemporaryPassword":"Temp0rary!Pass","DesiredDeliveryMediums":["EMAIL"],"ClientMetadata":{"source":"admin-console"}}`

func BenchmarkValidate(b *testing.B) {
	m := MustLoad("cognito-idp")
	body := []byte(benchAdminCreateUser)
	if err := m.ValidateJSON("AdminCreateUser", body, ""); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if err := m.ValidateJSON("AdminCreateUser", body, ""); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidateInvalid(b *testing.B) {
	m := MustLoad("cognito-idp")
	body := []byte(`{"UserPoolId":"bad","Username":"","UserAttributes":[{"Name":""}]}`)
	b.ReportAllocs()
	for b.Loop() {
		if err := m.ValidateJSON("AdminCreateUser", body, ""); err == nil {
			b.Fatal("valid")
		}
	}
}
