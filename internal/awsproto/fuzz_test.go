package awsproto_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/internal/app"
)

// fuzzOps are the operations FuzzDecodeRequest sends bodies to: the first byte of the input
// picks one. They cover pool and user administration, the unauthenticated self-service calls
// and the ListUsers filter.
var fuzzOps = []string{
	"CreateUserPool", "UpdateUserPool", "CreateUserPoolClient", "SignUp", "ConfirmSignUp",
	"ResendConfirmationCode", "ForgotPassword", "ConfirmForgotPassword", "AdminCreateUser",
	"AdminGetUser", "AdminUpdateUserAttributes", "AdminDeleteUserAttributes", "AdminSetUserPassword",
	"ListUsers", "NoSuchOperation",
}

// FuzzDecodeRequest feeds arbitrary bodies to the awsJson1_1 dispatcher of a real Gatehouse (in
// memory) and checks that no request panics or ends in a 5xx: malformed input must always be
// a client error. "$POOL" and "$CLIENT" in a body are replaced with the ids of a pool and an
// app client created at start, so that mutated inputs reach the domain code.
func FuzzDecodeRequest(f *testing.F) {
	h, pool, client := fuzzServer(f)
	seeds := []struct {
		op   string
		body string
	}{
		{"CreateUserPool", `{"PoolName":"p","AliasAttributes":["email"],"Schema":[{"Name":"team","AttributeDataType":"String"}]}`},
		{"CreateUserPool", `{"PoolName":"p","Policies":{"PasswordPolicy":{"MinimumLength":6}},"UsernameAttributes":["email"]}`},
		{"UpdateUserPool", `{"UserPoolId":"$POOL","AutoVerifiedAttributes":["email"]}`},
		{"CreateUserPoolClient", `{"UserPoolId":"$POOL","ClientName":"c","GenerateSecret":true}`},
		{"SignUp", `{"ClientId":"$CLIENT","Username":"u1","Password":"Passw0rd!","UserAttributes":[{"Name":"email","Value":"u1@example.com"}]}`},
		{"ConfirmSignUp", `{"ClientId":"$CLIENT","Username":"u1","ConfirmationCode":"123456"}`},
		{"ResendConfirmationCode", `{"ClientId":"$CLIENT","Username":"u1"}`},
		{"ForgotPassword", `{"ClientId":"$CLIENT","Username":"u1","SecretHash":"abc="}`},
		{"ConfirmForgotPassword", `{"ClientId":"$CLIENT","Username":"u1","ConfirmationCode":"1","Password":"x"}`},
		{"AdminCreateUser", `{"UserPoolId":"$POOL","Username":"a1","MessageAction":"SUPPRESS","UserAttributes":[{"Name":"email","Value":"a@b.c"},{"Name":"email_verified","Value":"true"}]}`},
		{"AdminCreateUser", `{"UserPoolId":"$POOL","Username":"a1","MessageAction":"RESEND","DesiredDeliveryMediums":["EMAIL","SMS"]}`},
		{"AdminGetUser", `{"UserPoolId":"$POOL","Username":"a@b.c"}`},
		{"AdminUpdateUserAttributes", `{"UserPoolId":"$POOL","Username":"a1","UserAttributes":[{"Name":"email","Value":""},{"Name":"custom:team","Value":"x"}]}`},
		{"AdminDeleteUserAttributes", `{"UserPoolId":"$POOL","Username":"a1","UserAttributeNames":["email","sub"]}`},
		{"AdminSetUserPassword", `{"UserPoolId":"$POOL","Username":"a1","Password":"Passw0rd!","Permanent":true}`},
		{"ListUsers", `{"UserPoolId":"$POOL","Filter":"email ^= \"a\"","Limit":2,"AttributesToGet":["email"]}`},
		{"ListUsers", `{"UserPoolId":"$POOL","Filter":"name = \"a\\\"b\"","PaginationToken":"dXNlci8"}`},
		{"NoSuchOperation", `{}`},
	}
	for _, s := range seeds {
		for i, op := range fuzzOps {
			if op == s.op {
				f.Add(byte(i), []byte(s.body))
			}
		}
	}
	f.Add(byte(0), []byte(`{"PoolName":`))
	f.Add(byte(3), []byte(`[1,2,3]`))
	f.Add(byte(13), []byte(`{"UserPoolId":null,"Limit":"60"}`))
	f.Add(byte(8), []byte("{\"UserPoolId\":\"$POOL\",\"Username\":\"\xff\xfe\"}"))
	f.Fuzz(func(t *testing.T, opIndex byte, body []byte) {
		op := fuzzOps[int(opIndex)%len(fuzzOps)]
		body = bytes.ReplaceAll(body, []byte("$POOL"), []byte(pool))
		body = bytes.ReplaceAll(body, []byte("$CLIENT"), []byte(client))
		status, resp := call(h, op, body)
		if status >= 500 {
			t.Fatalf("%s %q: status %d: %s", op, body, status, resp)
		}
		if status != http.StatusOK {
			var e struct {
				Type string `json:"__type"`
			}
			if err := json.Unmarshal(resp, &e); err != nil || e.Type == "" {
				t.Fatalf("%s %q: status %d without an AWS error body: %s", op, body, status, resp)
			}
		}
	})
}

// fuzzServer opens Gatehouse on the memory store and creates a pool and an app client.
func fuzzServer(f *testing.F) (h http.Handler, pool, client string) {
	c := app.DefaultConfig()
	c.DB = "memory"
	c.Data = f.TempDir()
	c.DevEndpoints = true
	c.LogLevel = "error"
	a, err := app.Open(context.Background(), c, io.Discard)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { a.Close() })
	h = a.Handler()
	status, body := call(h, "CreateUserPool", []byte(`{"PoolName":"fuzz","AutoVerifiedAttributes":["email"],
		"AliasAttributes":["email","preferred_username"],"Schema":[{"Name":"team","AttributeDataType":"String"}]}`))
	var p struct{ UserPool struct{ Id string } }
	if status != http.StatusOK || json.Unmarshal(body, &p) != nil {
		f.Fatalf("create pool: %d %s", status, body)
	}
	status, body = call(h, "CreateUserPoolClient", []byte(`{"UserPoolId":"`+p.UserPool.Id+`","ClientName":"fuzz"}`))
	var cl struct{ UserPoolClient struct{ ClientId string } }
	if status != http.StatusOK || json.Unmarshal(body, &cl) != nil {
		f.Fatalf("create client: %d %s", status, body)
	}
	return h, p.UserPool.Id, cl.UserPoolClient.ClientId
}

func call(h http.Handler, op string, body []byte) (int, []byte) {
	req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+op)
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, bytes.TrimSpace(rec.Body.Bytes())
}

// TestFuzzCallShape checks the harness itself: a good request succeeds, a bad one is a 400.
func TestFuzzCallShape(t *testing.T) {
	c := app.DefaultConfig()
	c.DB = "memory"
	c.Data = t.TempDir()
	c.LogLevel = "error"
	a, err := app.Open(context.Background(), c, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if status, body := call(a.Handler(), "CreateUserPool", []byte(`{"PoolName":"x"}`)); status != 200 || !strings.Contains(string(body), `"Id"`) {
		t.Fatalf("create pool: %d %s", status, body)
	}
	if status, body := call(a.Handler(), "CreateUserPool", []byte(`{"PoolName":`)); status != 400 || !strings.Contains(string(body), "SerializationException") {
		t.Fatalf("bad body: %d %s", status, body)
	}
}
