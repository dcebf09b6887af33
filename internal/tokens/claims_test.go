package tokens

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestIssuerURL(t *testing.T) {
	for _, tc := range []struct{ style, public, want string }{
		{StyleURL, "http://localhost:4566", "http://localhost:4566/us-east-1_X"},
		{StyleURL, "https://auth.example.com/", "https://auth.example.com/us-east-1_X"},
		{"", "http://h:1", "http://h:1/us-east-1_X"},
		{StyleAWS, "http://localhost:4566", "https://cognito-idp.eu-west-1.amazonaws.com/us-east-1_X"},
	} {
		if got := IssuerURL(tc.style, tc.public, "eu-west-1", "us-east-1_X"); got != tc.want {
			t.Errorf("IssuerURL(%q, %q) = %q, want %q", tc.style, tc.public, got, tc.want)
		}
	}
}

// asJSON round-trips v through JSON, giving the types a client sees.
func asJSON(t *testing.T, v any) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func golden(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestIDClaimsGolden(t *testing.T) {
	r := testRequest()
	r.OriginJTI, r.EventID, r.Nonce = "origin-1", "event-1", "n-0S6_WzA2Mj"
	r.User.Attributes["phone_number_verified"] = "false"
	r.User.Attributes["identities"] = `[{"userId":"1","providerName":"Google","providerType":"Google","issuer":null,"primary":"true","dateCreated":"1700000000000"}]`
	r.User.Attributes["sub"] = "attacker-sub"  // reserved: ignored
	r.User.Attributes["iss"] = "https://evil/" // reserved: ignored
	r.IDValidity = 5 * time.Minute
	got := asJSON(t, IDClaims(r, t0, "jti-1"))
	want := golden(t, `{
		"sub": "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
		"cognito:groups": ["admins", "users"],
		"cognito:roles": ["arn:aws:iam::000000000000:role/Admin", "arn:aws:iam::000000000000:role/User"],
		"cognito:preferred_role": "arn:aws:iam::000000000000:role/Admin",
		"email_verified": true,
		"phone_number_verified": false,
		"iss": "http://localhost:4566/us-east-1_AbC123xyz",
		"cognito:username": "alice",
		"origin_jti": "origin-1",
		"aud": "1example23456789abcdefghij",
		"event_id": "event-1",
		"token_use": "id",
		"auth_time": 1772366340,
		"exp": 1772366700,
		"iat": 1772366400,
		"jti": "jti-1",
		"nonce": "n-0S6_WzA2Mj",
		"email": "alice@example.com",
		"custom:tier": "7",
		"updated_at": 1700000000,
		"identities": [{"userId":"1","providerName":"Google","providerType":"Google","issuer":null,"primary":"true","dateCreated":"1700000000000"}]
	}`)
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("ID claims (-want +got):\n%s", d)
	}
}

func TestAccessClaimsGolden(t *testing.T) {
	r := testRequest()
	r.OriginJTI, r.EventID = "origin-1", "event-1"
	got := asJSON(t, AccessClaims(r, t0, "jti-2"))
	want := golden(t, `{
		"sub": "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
		"cognito:groups": ["admins", "users"],
		"iss": "http://localhost:4566/us-east-1_AbC123xyz",
		"client_id": "1example23456789abcdefghij",
		"origin_jti": "origin-1",
		"event_id": "event-1",
		"token_use": "access",
		"scope": "aws.cognito.signin.user.admin",
		"auth_time": 1772366340,
		"exp": 1772370000,
		"iat": 1772366400,
		"jti": "jti-2",
		"username": "alice"
	}`)
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("access claims (-want +got):\n%s", d)
	}

	// OAuth / device / machine-to-machine variants.
	r.Scopes = []string{"openid", "email", "rs/read"}
	r.DeviceKey, r.Version = "us-east-1_dev-1", 2
	r.User = User{Sub: testClient}
	got = asJSON(t, AccessClaims(r, t0, "jti-3"))
	for k, v := range map[string]any{"scope": "openid email rs/read", "device_key": "us-east-1_dev-1", "version": 2.0, "sub": testClient} {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	for _, k := range []string{"username", "cognito:groups", "aud"} {
		if _, ok := got[k]; ok {
			t.Errorf("claim %s present", k)
		}
	}
}

func TestNoGroupsNoClaims(t *testing.T) {
	r := testRequest()
	r.User.Groups = nil
	c := IDClaims(r, t0, "j")
	for _, k := range []string{"cognito:groups", "cognito:roles", "cognito:preferred_role", "nonce"} {
		if _, ok := c[k]; ok {
			t.Errorf("claim %s present without groups", k)
		}
	}
}

func TestPreferredRole(t *testing.T) {
	const a, b = "arn:aws:iam::1:role/A", "arn:aws:iam::1:role/B"
	for _, tc := range []struct {
		name        string
		groups      []Group
		want        string
		groupsOrder []string
	}{
		{"lowest precedence wins", []Group{{Name: "g2", Precedence: int32p(2), RoleArn: b}, {Name: "g1", Precedence: int32p(1), RoleArn: a}}, a, []string{"g1", "g2"}},
		{"tie, different roles", []Group{{Name: "x", Precedence: int32p(1), RoleArn: a}, {Name: "y", Precedence: int32p(1), RoleArn: b}}, "", []string{"x", "y"}},
		{"tie, same role", []Group{{Name: "x", Precedence: int32p(1), RoleArn: a}, {Name: "y", Precedence: int32p(1), RoleArn: a}}, a, []string{"x", "y"}},
		{"nil precedence ranks last", []Group{{Name: "n", RoleArn: b}, {Name: "p", Precedence: int32p(9), RoleArn: a}}, a, []string{"p", "n"}},
		{"groups without roles skipped", []Group{{Name: "a", Precedence: int32p(0)}, {Name: "b", Precedence: int32p(3), RoleArn: b}}, b, []string{"a", "b"}},
		{"no roles", []Group{{Name: "a"}}, "", []string{"a"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := testRequest()
			r.User.Groups = tc.groups
			c := IDClaims(r, t0, "j")
			got, _ := c["cognito:preferred_role"].(string)
			if got != tc.want {
				t.Errorf("preferred_role = %q, want %q", got, tc.want)
			}
			if d := cmp.Diff(tc.groupsOrder, c["cognito:groups"]); d != "" {
				t.Errorf("groups (-want +got):\n%s", d)
			}
		})
	}
}
