package tokens

import (
	"strings"
	"testing"
)

// Customize sees the claims of both tokens before they are signed (the ID token's nil when only
// an access token is issued), and what it changes is what is signed.
func TestCustomize(t *testing.T) {
	e := newEnv(t)
	r := testRequest()
	r.Customize = func(id, access map[string]any) {
		if id["token_use"] != UseID || access["token_use"] != UseAccess {
			t.Errorf("Customize got id %v, access %v", id["token_use"], access["token_use"])
		}
		id["tier"] = "gold"
		delete(id, "email")
		access["scope"] = "openid"
	}
	tok, err := e.m.Issue(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	set := jwks(t, e)
	id, access := stdlibVerify(t, set, tok.IDToken), stdlibVerify(t, set, tok.AccessToken)
	if id["tier"] != "gold" || id["email"] != nil || access["scope"] != "openid" {
		t.Fatalf("id = %v, access = %v", id, access)
	}

	var sawID bool
	r.Customize = func(id, access map[string]any) { sawID = id != nil; access["custom"] = true }
	s, err := e.m.IssueAccess(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	if c := decodeSeg(t, strings.Split(s, ".")[1]); sawID || c["custom"] != true {
		t.Fatalf("access-only: id passed %v, claims %v", sawID, c)
	}
}

// GroupClaims is what the ID token carries for the groups.
func TestGroupClaims(t *testing.T) {
	one, two := int32(1), int32(2)
	names, roles, preferred := GroupClaims([]Group{{Name: "b", Precedence: &two, RoleArn: "r2"}, {Name: "a", Precedence: &one, RoleArn: "r1"},
		{Name: "c"}})
	if strings.Join(names, ",") != "a,b,c" || strings.Join(roles, ",") != "r1,r2" || preferred != "r1" {
		t.Fatalf("GroupClaims = %v %v %q", names, roles, preferred)
	}
	if n, r, p := GroupClaims(nil); n != nil || r != nil || p != "" {
		t.Fatalf("no groups = %v %v %q", n, r, p)
	}
}
