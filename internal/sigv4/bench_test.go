package sigv4

import (
	"net/http"
	"testing"
)

// BenchmarkVerify verifies a Cognito-style awsJson1_1 POST signed by the SDK.
func BenchmarkVerify(b *testing.B) {
	body := []byte(`{"UserPoolId":"us-east-1_AbCdEfGhI","Username":"alice@example.com","UserAttributes":[{"Name":"email","Value":"alice@example.com"}]}`)
	req := sign(b, "https://cognito-idp.us-east-1.amazonaws.com", signOpts{
		method: http.MethodPost, service: "cognito-idp", body: body,
		headers: http.Header{
			"Content-Type": {"application/x-amz-json-1.1"},
			"X-Amz-Target": {"AWSCognitoIdentityProviderService.AdminCreateUser"},
			"User-Agent":   {"aws-sdk-go-v2/1.47.7 os/linux lang/go#1.26"},
		},
	})
	v := testVerifier()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(req, body, "cognito-idp"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyPresigned verifies a presigned GET with a query string.
func BenchmarkVerifyPresigned(b *testing.B) {
	req := sign(b, "https://abc123.execute-api.us-east-1.amazonaws.com", signOpts{
		presign: true, expires: 300, target: "/prod/items/42?view=full&fields=a,b,c",
	})
	v := testVerifier()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(req, nil, "execute-api"); err != nil {
			b.Fatal(err)
		}
	}
}
