package awsmodel

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
)

const (
	ipe = awserr.InvalidParameter
	ser = awserr.Serialization
)

type validateCase struct {
	name    string
	op      string
	body    string
	errType string // "" when the request is valid
	msg     string
}

func runValidateCases(t *testing.T, service string, cases []validateCase) {
	t.Helper()
	m := MustLoad(service)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := m.ValidateJSON(tc.op, []byte(tc.body), "")
			if tc.errType == "" {
				if err != nil {
					t.Fatalf("ValidateJSON(%s) = %v, want nil", tc.op, err)
				}
				return
			}
			e, ok := awserr.As(err)
			if !ok {
				t.Fatalf("ValidateJSON(%s) = %v, want *awserr.Error", tc.op, err)
			}
			if e.Type != tc.errType || e.Message != tc.msg {
				t.Errorf("ValidateJSON(%s)\n got: %s: %q\nwant: %s: %q", tc.op, e.Type, e.Message, tc.errType, tc.msg)
			}
		})
	}
}

func TestValidateCognitoIDP(t *testing.T) {
	long := func(n int) string { return strings.Repeat("x", n) }
	runValidateCases(t, "cognito-idp", []validateCase{
		{
			name: "valid AdminCreateUser",
			op:   "AdminCreateUser",
			body: `{"UserPoolId":"us-east-1_AbC123xyz","Username":"jane","TemporaryPassword":"Passw0rd!",
				"UserAttributes":[{"Name":"email","Value":"jane@example.com"},{"Name":"custom:dept","Value":"x"}],
				"DesiredDeliveryMediums":["EMAIL"],"ClientMetadata":{"k":"v"},"Unknown":{"ignored":[1,2]}}`,
		},
		{
			name: "empty body for an operation without required members",
			op:   "AssociateSoftwareToken",
			body: "",
		},
		{
			name: "whitespace body counts as empty",
			op:   "AssociateSoftwareToken",
			body: " \n",
		},
		{
			name:    "CreateUserPool bad PoolName",
			op:      "CreateUserPool",
			body:    `{"PoolName":"my/pool"}`,
			errType: ipe,
			msg:     `1 validation error detected: Value 'my/pool' at 'poolName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w\s+=,.@-]+`,
		},
		{
			name:    "CreateUserPool PoolName too long",
			op:      "CreateUserPool",
			body:    `{"PoolName":"` + long(129) + `"}`,
			errType: ipe,
			msg:     `1 validation error detected: Value '` + long(129) + `' at 'poolName' failed to satisfy constraint: Member must have length less than or equal to 128`,
		},
		{
			name:    "empty PoolName breaks pattern and length",
			op:      "CreateUserPool",
			body:    `{"PoolName":""}`,
			errType: ipe,
			msg: `2 validation errors detected: Value '' at 'poolName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w\s+=,.@-]+; ` +
				`Value '' at 'poolName' failed to satisfy constraint: Member must have length greater than or equal to 1`,
		},
		{
			name:    "AdminCreateUser missing Username",
			op:      "AdminCreateUser",
			body:    `{"UserPoolId":"us-east-1_AbC123xyz"}`,
			errType: ipe,
			msg:     `1 validation error detected: Value null at 'username' failed to satisfy constraint: Member must not be null`,
		},
		{
			name:    "JSON null counts as absent",
			op:      "AdminCreateUser",
			body:    `{"UserPoolId":"us-east-1_AbC123xyz","Username":null}`,
			errType: ipe,
			msg:     `1 validation error detected: Value null at 'username' failed to satisfy constraint: Member must not be null`,
		},
		{
			name:    "empty object misses every required member, in member order",
			op:      "AdminCreateUser",
			body:    `{}`,
			errType: ipe,
			msg: `2 validation errors detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null; ` +
				`Value null at 'username' failed to satisfy constraint: Member must not be null`,
		},
		{
			name:    "empty body is {} for required members too",
			op:      "AdminGetUser",
			body:    ``,
			errType: ipe,
			msg: `2 validation errors detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null; ` +
				`Value null at 'username' failed to satisfy constraint: Member must not be null`,
		},
		{
			name:    "ListUsers Limit 61",
			op:      "ListUsers",
			body:    `{"UserPoolId":"us-east-1_AbC123xyz","Limit":61}`,
			errType: ipe,
			msg:     `1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60`,
		},
		{
			name:    "ListUsers negative Limit and bad pool id",
			op:      "ListUsers",
			body:    `{"UserPoolId":"abc","Limit":-1}`,
			errType: ipe,
			msg: `2 validation errors detected: Value 'abc' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w-]+_[0-9a-zA-Z]+; ` +
				`Value '-1' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 0`,
		},
		{
			name: "fractional integers are truncated",
			op:   "ListUsers",
			body: `{"UserPoolId":"us-east-1_AbC123xyz","Limit":60.9}`,
		},
		{
			name:    "InitiateAuth AuthFlow BAD",
			op:      "InitiateAuth",
			body:    `{"AuthFlow":"BAD","ClientId":"abc"}`,
			errType: ipe,
			msg:     `1 validation error detected: Value 'BAD' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: [USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN, CUSTOM_AUTH, ADMIN_NO_SRP_AUTH, USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_AUTH]`,
		},
		{
			name:    "sensitive password too long is not echoed",
			op:      "SignUp",
			body:    `{"ClientId":"abc","Username":"jane","Password":"` + long(257) + `"}`,
			errType: ipe,
			msg:     `1 validation error detected: Value at 'password' failed to satisfy constraint: Member must have length less than or equal to 256`,
		},
		{
			name:    "sensitive username and client id",
			op:      "SignUp",
			body:    `{"ClientId":"","Username":""}`,
			errType: ipe,
			msg: `4 validation errors detected: ` +
				`Value at 'clientId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+]+; ` +
				`Value at 'clientId' failed to satisfy constraint: Member must have length greater than or equal to 1; ` +
				`Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\p{L}\p{M}\p{S}\p{N}\p{P}]+; ` +
				`Value at 'username' failed to satisfy constraint: Member must have length greater than or equal to 1`,
		},
		{
			name:    "nested UserAttributes element Name too long",
			op:      "AdminCreateUser",
			body:    `{"UserPoolId":"us-east-1_AbC123xyz","Username":"jane","UserAttributes":[{"Name":"email","Value":"a@b.c"},{"Name":"` + long(33) + `","Value":"v"}]}`,
			errType: ipe,
			msg:     `1 validation error detected: Value '` + long(33) + `' at 'userAttributes.2.member.name' failed to satisfy constraint: Member must have length less than or equal to 32`,
		},
		{
			name:    "nested required member",
			op:      "AdminUpdateUserAttributes",
			body:    `{"UserPoolId":"us-east-1_AbC123xyz","Username":"jane","UserAttributes":[{"Value":"v"}]}`,
			errType: ipe,
			msg:     `1 validation error detected: Value null at 'userAttributes.1.member.name' failed to satisfy constraint: Member must not be null`,
		},
		{
			name:    "ClientMetadata value too long",
			op:      "InitiateAuth",
			body:    `{"AuthFlow":"USER_SRP_AUTH","ClientId":"abc","ClientMetadata":{"k":"` + long(131073) + `"}}`,
			errType: ipe,
			msg: `1 validation error detected: Value '{k=` + long(131073) + `}' at 'clientMetadata' failed to satisfy constraint: ` +
				`Map value must satisfy constraint: [Member must have length less than or equal to 131072, Member must have length greater than or equal to 0]`,
		},
		{
			name:    "ClientMetadata with a number value",
			op:      "InitiateAuth",
			body:    `{"AuthFlow":"USER_SRP_AUTH","ClientId":"abc","ClientMetadata":{"k":1}}`,
			errType: ser,
			msg:     `NUMBER_VALUE can not be converted to a String`,
		},
		{
			name:    "sensitive AuthParameters map is not echoed",
			op:      "InitiateAuth",
			body:    `{"AuthFlow":"USER_SRP_AUTH","ClientId":"abc","AuthParameters":{"USERNAME":"` + long(131073) + `"}}`,
			errType: ipe,
			msg: `1 validation error detected: Value at 'authParameters' failed to satisfy constraint: ` +
				`Map value must satisfy constraint: [Member must have length less than or equal to 131072, Member must have length greater than or equal to 0]`,
		},
		{
			name:    "map keys listed in java.util.HashMap order",
			op:      "CreateUserPool",
			body:    `{"PoolName":"p","UserPoolTags":{"Quem foi?":"a","o que?":"b","de onde?":"","":"x"}}`,
			errType: ipe,
			msg: `1 validation error detected: Value '{=x, de onde?=, Quem foi?=a, o que?=b}' at 'userPoolTags' failed to satisfy constraint: ` +
				`Map keys must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1]`,
		},
		{
			name:    "list element enum",
			op:      "CreateUserPoolClient",
			body:    `{"UserPoolId":"us-east-1_AbC123xyz","ClientName":"web","ExplicitAuthFlows":["ALLOW_USER_SRP_AUTH","ADMIN_USER_PASSWORD_AUTH"]}`,
			errType: ipe,
			msg: `1 validation error detected: Value '[ALLOW_USER_SRP_AUTH, ADMIN_USER_PASSWORD_AUTH]' at 'explicitAuthFlows' failed to satisfy constraint: ` +
				`Member must satisfy constraint: [Member must satisfy enum value set: [ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY, USER_PASSWORD_AUTH, ALLOW_ADMIN_USER_PASSWORD_AUTH, ALLOW_CUSTOM_AUTH, ALLOW_USER_PASSWORD_AUTH, ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH, ALLOW_USER_AUTH]]`,
		},
		{
			name:    "list length before element errors",
			op:      "CreateUserPoolClient",
			body:    `{"UserPoolId":"us-east-1_AbC123xyz","ClientName":"web","CallbackURLs":[` + strings.Repeat(`"https://a.example/cb",`, 100) + `""]}`,
			errType: ipe,
			msg: `2 validation errors detected: Value '[` + strings.Repeat(`https://a.example/cb, `, 100) + `]' at 'callbackURLs' failed to satisfy constraint: Member must have length less than or equal to 100; ` +
				`Value '[` + strings.Repeat(`https://a.example/cb, `, 100) + `]' at 'callbackURLs' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [\p{L}\p{M}\p{S}\p{N}\p{P}]+]`,
		},
		{
			name: "null list elements are dropped",
			op:   "AdminCreateUser",
			body: `{"UserPoolId":"us-east-1_AbC123xyz","Username":"jane","UserAttributes":[null,{"Name":"email"}]}`,
		},
	})
}

func TestValidateSerialization(t *testing.T) {
	runValidateCases(t, "cognito-idp", []validateCase{
		{name: "truncated JSON", op: "AdminGetUser", body: `{"UserPoolId":`, errType: ser},
		{name: "not JSON", op: "AdminGetUser", body: `UserPoolId=x`, errType: ser},
		{name: "trailing comma", op: "AdminGetUser", body: `{"UserPoolId":"x",}`, errType: ser},
		{name: "trailing data", op: "AdminGetUser", body: `{"UserPoolId":"x"} {}`, errType: ser},
		{name: "top-level null", op: "AdminGetUser", body: `null`, errType: ser},
		{name: "top-level string", op: "AdminGetUser", body: `"x"`, errType: ser},
		{name: "top-level number", op: "AdminGetUser", body: `1`, errType: ser},
		{name: "top-level array", op: "AdminGetUser", body: `[]`, errType: ser, msg: "Start of list found where not expected"},
		{name: "number for string", op: "AdminGetUser", body: `{"UserPoolId":1,"Username":"a"}`, errType: ser, msg: "NUMBER_VALUE can not be converted to a String"},
		{name: "true for string", op: "AdminGetUser", body: `{"UserPoolId":true}`, errType: ser, msg: "TRUE_VALUE can not be converted to a String"},
		{name: "false for string", op: "AdminGetUser", body: `{"UserPoolId":false}`, errType: ser, msg: "FALSE_VALUE can not be converted to a String"},
		{name: "list for string", op: "AdminGetUser", body: `{"UserPoolId":["x"]}`, errType: ser, msg: "Start of list found where not expected"},
		{name: "object for string", op: "AdminGetUser", body: `{"UserPoolId":{}}`, errType: ser, msg: "Start of structure or map found where not expected."},
		{name: "string for integer", op: "ListUsers", body: `{"UserPoolId":"us-east-1_a","Limit":"1"}`, errType: ser, msg: "STRING_VALUE can not be converted to an Integer"},
		{name: "true for integer", op: "ListUsers", body: `{"UserPoolId":"us-east-1_a","Limit":true}`, errType: ser, msg: "TRUE_VALUE can not be converted to an Integer"},
		{name: "integer out of range", op: "ListUsers", body: `{"UserPoolId":"us-east-1_a","Limit":1e300}`, errType: ser},
		{name: "string for boolean", op: "AdminCreateUser", body: `{"UserPoolId":"us-east-1_a","Username":"u","ForceAliasCreation":"yes"}`, errType: ser, msg: "STRING_VALUE can not be converted to an Boolean"},
		{name: "scalar for list", op: "AdminCreateUser", body: `{"UserPoolId":"us-east-1_a","Username":"u","UserAttributes":"x"}`, errType: ser, msg: "Expected list or null"},
		{name: "object for list", op: "AdminCreateUser", body: `{"UserPoolId":"us-east-1_a","Username":"u","UserAttributes":{}}`, errType: ser, msg: "Start of structure or map found where not expected."},
		{name: "scalar for structure", op: "AdminCreateUser", body: `{"UserPoolId":"us-east-1_a","Username":"u","UserAttributes":[1]}`, errType: ser, msg: "Expected null"},
		{name: "list for structure", op: "InitiateAuth", body: `{"AuthFlow":"USER_SRP_AUTH","ClientId":"c","AnalyticsMetadata":[]}`, errType: ser, msg: "Start of list found where not expected"},
		{name: "scalar for map", op: "InitiateAuth", body: `{"AuthFlow":"USER_SRP_AUTH","ClientId":"c","ClientMetadata":"x"}`, errType: ser, msg: "Expected map or null"},
		{name: "list for map", op: "InitiateAuth", body: `{"AuthFlow":"USER_SRP_AUTH","ClientId":"c","ClientMetadata":[]}`, errType: ser, msg: "Start of list found where not expected"},
		{name: "nested list element", op: "AdminCreateUser", body: `{"UserPoolId":"us-east-1_a","Username":"u","DesiredDeliveryMediums":[["EMAIL"]]}`, errType: ser, msg: "Start of list found where not expected"},
		{name: "type error beats constraint violations", op: "AdminCreateUser", body: `{"UserPoolId":"bad","UserAttributes":[{"Name":2}]}`, errType: ser, msg: "NUMBER_VALUE can not be converted to a String"},
		{name: "wrong type in an unknown member is ignored", op: "AdminGetUser", body: `{"UserPoolId":"us-east-1_a","Username":"u","Nope":{"x":[1]}}`},
	})
}

func TestValidateErrTypeAndOtherServices(t *testing.T) {
	m := MustLoad("cognito-idp")
	err := m.ValidateJSON("AdminGetUser", []byte(`{}`), awserr.ValidationException)
	if !awserr.Is(err, awserr.ValidationException) {
		t.Errorf("explicit errType: got %v", err)
	}
	if err := m.ValidateJSON("NoSuchOperation", nil, ""); !awserr.Is(err, awserr.UnknownOperation) {
		t.Errorf("unknown operation: got %v", err)
	}

	runValidateCases(t, "lambda", []validateCase{
		{
			name: "sensitive environment variable names",
			op:   "CreateFunction",
			body: `{"FunctionName":"f","Role":"arn:aws:iam::000000000000:role/r","Code":{"ZipFile":"UEsDBA=="},
				"Environment":{"Variables":{"_X_AMZN":"v"}}}`,
			errType: awserr.ValidationException,
			msg:     `1 validation error detected: Value at 'environment.variables' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]`,
		},
		{
			name:    "double bounds print as Java doubles",
			op:      "CreateAlias",
			body:    `{"Name":"live","FunctionVersion":"1","RoutingConfig":{"AdditionalVersionWeights":{"2":1.5}}}`,
			errType: awserr.ValidationException,
			msg:     `1 validation error detected: Value '{2=1.5}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0]`,
		},
		{
			name:    "bad base64 blob",
			op:      "CreateFunction",
			body:    `{"FunctionName":"f","Role":"arn:aws:iam::000000000000:role/r","Code":{"ZipFile":"abc"}}`,
			errType: ser,
			msg:     `'abc' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 3`,
		},
	})
}

func TestValidateHTTPBound(t *testing.T) {
	m := MustLoad("lambda")
	// Invoke's body is its blob payload: never parsed as JSON.
	if err := m.ValidateHTTP("Invoke", []byte(`not json`), map[string]string{"FunctionName": "f"}, ""); err != nil {
		t.Fatalf("Invoke payload: %v", err)
	}
	err := m.ValidateHTTP("GetFunction", nil, map[string]string{"FunctionName": "bad name!"}, "")
	e, ok := awserr.As(err)
	if !ok || !strings.Contains(e.Message, "at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern") {
		t.Fatalf("GetFunction bound FunctionName: %v", err)
	}
	err = m.ValidateHTTP("GetFunction", nil, map[string]string{}, "")
	if e, ok := awserr.As(err); !ok || !strings.Contains(e.Message, "Value null at 'functionName'") {
		t.Fatalf("GetFunction missing FunctionName: %v", err)
	}
	if err := m.ValidateHTTP("ListFunctions", nil, map[string]string{"MaxItems": "10001"}, ""); err == nil ||
		!strings.Contains(err.Error(), "Value '10001' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 10000") {
		t.Fatalf("ListFunctions MaxItems: %v", err)
	}
}

func TestValidationMessageCount(t *testing.T) {
	got := validationMessage([]string{"a", "b", "c"})
	if want := "3 validation errors detected: a; b; c"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestJavaDouble(t *testing.T) {
	for f, want := range map[float64]string{1: "1.0", 0: "0.0", 1.5: "1.5", 1e7: "1.0E7", 0.001: "0.001", 0.0001: "1.0E-4", 123456789.5: "1.234567895E8", -2: "-2.0"} {
		if got := javaDouble(f); got != want {
			t.Errorf("javaDouble(%v) = %q, want %q", f, got, want)
		}
	}
}

func TestJavaHashOrder(t *testing.T) {
	// java.util.HashMap prints {de onde?=…, Quem foi?=…, o que?=…} for these keys.
	got := javaHashOrder(map[string]any{"Quem foi?": 1, "o que?": 1, "de onde?": 1})
	want := []string{"de onde?", "Quem foi?", "o que?"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q, want %q", got, want)
	}
	if h := javaStringHash("hello"); h != 99162322 {
		t.Errorf("hash(hello) = %d", h)
	}
	if h := javaStringHash("😀"); h != 0xD83D*31+0xDE00 { // UTF-16 code units
		t.Errorf("hash(😀) = %d", h)
	}
}

func TestTruncate(t *testing.T) {
	for in, want := range map[string]int64{"60": 60, "60.9": 60, "-1.5": -1, "6e1": 60, "1E+1": 10, "0.0": 0, "2147483647": 2147483647} {
		got, ok := truncate(json.Number(in), true)
		if !ok || got != want {
			t.Errorf("truncate(%s) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"2147483648", "1e300", "1e999999999", "-1e999999999", "9223372036854775808"} {
		if got, ok := truncate(json.Number(in), true); ok {
			t.Errorf("truncate(%s) = %d, want out of range", in, got)
		}
	}
	if got, ok := truncate("9223372036854775807", false); !ok || got != math.MaxInt64 {
		t.Errorf("long max: %d %v", got, ok)
	}
}
