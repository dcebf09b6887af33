package e2e

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/gatehouse-dev/gatehouse/internal/cognito/filter"
	"github.com/gatehouse-dev/gatehouse/internal/testenv"
)

// listNames runs ListUsers with filter f and returns the sorted user names of one page.
func (e *env) listNames(pool, f string) []string {
	e.t.Helper()
	out, err := e.c.ListUsers(e.ctx, &cip.ListUsersInput{UserPoolId: aws.String(pool), Filter: aws.String(f)})
	if err != nil {
		e.t.Fatalf("ListUsers(%s): %v", f, err)
	}
	if out.PaginationToken != nil {
		e.t.Fatalf("ListUsers(%s): unexpected PaginationToken", f)
	}
	names := []string{}
	for _, u := range out.Users {
		names = append(names, aws.ToString(u.Username))
	}
	slices.Sort(names)
	return names
}

func TestListUsersFilter(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pool := e.pool(nil)
	alice := e.createUser(pool, "alice", "email", "Alice@Example.com", "phone_number", "+15550001111", "name", "Alice Liddell",
		"given_name", "Alice", "family_name", "Liddell", "preferred_username", "ali")
	e.createUser(pool, "bob", "email", "bob@example.org", "phone_number", "+15550002222", "name", `Bob "The Builder"`,
		"given_name", "Bob", "family_name", "Builder", "preferred_username", "bobby")
	e.createUser(pool, "Alfred", "email", "alfred@example.com", "given_name", "Alfred", "family_name", "Pennyworth")
	_, err := e.c.AdminSetUserPassword(e.ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &pool, Username: aws.String("alice"),
		Password: aws.String("Passw0rd!"), Permanent: true})
	e.must(err, "set password")
	_, err = e.c.AdminDisableUser(e.ctx, &cip.AdminDisableUserInput{UserPoolId: &pool, Username: aws.String("bob")})
	e.must(err, "disable bob")
	sub := attrMap(alice.Attributes)["sub"]

	for _, tc := range []struct {
		filter string
		want   []string
	}{
		{``, []string{"Alfred", "alice", "bob"}},
		{`username = "alice"`, []string{"alice"}},
		{`username = "Alice"`, []string{}}, // user names compare exactly
		{`username ^= "al"`, []string{"alice"}},
		{`username ^= "Al"`, []string{"Alfred"}},
		{`email = "alice@example.com"`, []string{"alice"}},
		{`email = "ALICE@EXAMPLE.COM"`, []string{"alice"}},
		{`email ^= "al"`, []string{"Alfred", "alice"}},
		{`email ^= "bob@example.com"`, []string{}},
		{`email="bob@example.org"`, []string{"bob"}},
		{`phone_number = "+15550002222"`, []string{"bob"}},
		{`phone_number ^= "+1555000"`, []string{"alice", "bob"}},
		{`name = "Bob \"The Builder\""`, []string{"bob"}},
		{`name ^= "bob \"the"`, []string{"bob"}},
		{`name ^= "Alice L"`, []string{"alice"}},
		{`given_name ^= "AL"`, []string{"Alfred", "alice"}},
		{`given_name = "al"`, []string{}},
		{`family_name = "liddell"`, []string{"alice"}},
		{`family_name ^= "P"`, []string{"Alfred"}},
		{`preferred_username = "BOBBY"`, []string{"bob"}},
		{`preferred_username ^= "b"`, []string{"bob"}},
		{`cognito:user_status = "CONFIRMED"`, []string{"alice"}},
		{`cognito:user_status = "force_change_password"`, []string{"Alfred", "bob"}},
		{`cognito:user_status ^= "FORCE"`, []string{"Alfred", "bob"}},
		{`cognito:user_status = "UNCONFIRMED"`, []string{}},
		{`status = "Disabled"`, []string{"bob"}},
		{`status = "Enabled"`, []string{"Alfred", "alice"}},
		{`status = "enabled"`, []string{}}, // status compares exactly
		{`status ^= "En"`, []string{"Alfred", "alice"}},
		{`sub = "` + sub + `"`, []string{"alice"}},
		{`sub = "` + strings.ToUpper(sub) + `"`, []string{"alice"}},
		{`sub ^= "` + sub[:13] + `"`, []string{"alice"}},
	} {
		if got := e.listNames(pool, tc.filter); !slices.Equal(got, tc.want) {
			t.Errorf("ListUsers(%s) = %v, want %v", tc.filter, got, tc.want)
		}
	}

	// The index follows changes: a new email, a re-enabled user, a deleted user.
	_, err = e.c.AdminUpdateUserAttributes(e.ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: &pool, Username: aws.String("Alfred"),
		UserAttributes: attrs("email", "butler@example.net")})
	e.must(err, "update email")
	_, err = e.c.AdminEnableUser(e.ctx, &cip.AdminEnableUserInput{UserPoolId: &pool, Username: aws.String("bob")})
	e.must(err, "enable bob")
	_, err = e.c.AdminDeleteUser(e.ctx, &cip.AdminDeleteUserInput{UserPoolId: &pool, Username: aws.String("alice")})
	e.must(err, "delete alice")
	for _, tc := range []struct {
		filter string
		want   []string
	}{
		{`email ^= "al"`, []string{}},
		{`email = "butler@example.net"`, []string{"Alfred"}},
		{`status = "Disabled"`, []string{}},
		{`status = "Enabled"`, []string{"Alfred", "bob"}},
		{`sub = "` + sub + `"`, []string{}},
		{`given_name ^= "al"`, []string{"Alfred"}},
	} {
		if got := e.listNames(pool, tc.filter); !slices.Equal(got, tc.want) {
			t.Errorf("after changes ListUsers(%s) = %v, want %v", tc.filter, got, tc.want)
		}
	}
}

func TestListUsersFilterErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pool := e.pool(&cip.CreateUserPoolInput{Schema: []types.SchemaAttributeType{{Name: aws.String("team"), AttributeDataType: types.AttributeDataTypeString}}})
	e.createUser(pool, "carl", "custom:team", "red")
	list := func(f string) error {
		_, err := e.c.ListUsers(e.ctx, &cip.ListUsersInput{UserPoolId: &pool, Filter: aws.String(f)})
		return err
	}
	for _, f := range []string{
		`email = bob`,
		`email == "x"`,
		`email "x"`,
		`email = "unterminated`,
		`email = "a" and name = "b"`,
		`= "x"`,
		`email ~= "x"`,
	} {
		testenv.WantError(t, list(f), "InvalidParameterException", filter.MsgParseError)
	}
	for _, attr := range []string{"custom:team", "nickname", "Email", "dev:custom:x"} {
		code, msg := testenv.APIError(t, list(attr+` = "red"`))
		if code != "InvalidParameterException" || !strings.Contains(msg, attr) {
			t.Errorf("filter on %s: %s: %q", attr, code, msg)
		}
	}
	_, err := e.c.ListUsers(e.ctx, &cip.ListUsersInput{UserPoolId: aws.String("us-east-1_nothere"), Filter: aws.String(`email = "x"`)})
	testenv.WantError(t, err, "ResourceNotFoundException", "User pool us-east-1_nothere does not exist.")
}

func TestListUsersAttributesToGet(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pool := e.pool(&cip.CreateUserPoolInput{Schema: []types.SchemaAttributeType{
		{Name: aws.String("team"), AttributeDataType: types.AttributeDataTypeString},
		{Name: aws.String("score"), AttributeDataType: types.AttributeDataTypeNumber, DeveloperOnlyAttribute: aws.Bool(true)},
	}})
	e.createUser(pool, "dana", "email", "dana@example.com", "given_name", "Dana", "custom:team", "blue", "dev:custom:score", "7")
	e.createUser(pool, "eli", "email", "eli@example.com", "given_name", "Eli", "custom:team", "green", "dev:custom:score", "3")
	list := func(names []string) (map[string]map[string]string, error) {
		out, err := e.c.ListUsers(e.ctx, &cip.ListUsersInput{UserPoolId: &pool, AttributesToGet: names})
		if err != nil {
			return nil, err
		}
		m := map[string]map[string]string{}
		for _, u := range out.Users {
			m[aws.ToString(u.Username)] = attrMap(u.Attributes)
		}
		return m, nil
	}
	all, err := list(nil)
	e.must(err, "list")
	if a := all["dana"]; len(a) != 5 || a["dev:custom:score"] != "7" || a["custom:team"] != "blue" || !uuidRE.MatchString(a["sub"]) {
		t.Fatalf("all attributes = %v", a)
	}
	some, err := list([]string{"email", "custom:team", "dev:custom:score"})
	e.must(err, "list a subset")
	for name, want := range map[string]map[string]string{
		"dana": {"email": "dana@example.com", "custom:team": "blue", "dev:custom:score": "7"},
		"eli":  {"email": "eli@example.com", "custom:team": "green", "dev:custom:score": "3"},
	} {
		if got := some[name]; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s attributes = %v, want %v", name, got, want)
		}
	}
	none, err := list([]string{})
	e.must(err, "list no attributes")
	if len(none) != 2 || len(none["dana"]) != 0 {
		t.Fatalf("AttributesToGet [] = %v", none)
	}
	_, err = list([]string{"email", "not_an_attribute"})
	testenv.WantError(t, err, "InvalidParameterException", "")
	// Developer-only attributes are visible to AdminGetUser too.
	if got := e.userAttrs(pool, "eli"); got["dev:custom:score"] != "3" {
		t.Fatalf("AdminGetUser attributes = %v", got)
	}
}

func TestListUsersLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pool := e.pool(nil)
	e.createUser(pool, "fay")
	_, err := e.c.ListUsers(e.ctx, &cip.ListUsersInput{UserPoolId: &pool, Limit: aws.Int32(61)})
	code, msg := testenv.APIError(t, err)
	if code != "InvalidParameterException" || !strings.Contains(msg, "Member must have value less than or equal to 60") {
		t.Fatalf("Limit 61: %s: %q", code, msg)
	}
	out, err := e.c.ListUsers(e.ctx, &cip.ListUsersInput{UserPoolId: &pool, Limit: aws.Int32(60)})
	e.must(err, "Limit 60")
	if len(out.Users) != 1 || out.PaginationToken != nil {
		t.Fatalf("Limit 60 = %d users, token %v", len(out.Users), out.PaginationToken)
	}
	_, err = e.c.ListUsers(e.ctx, &cip.ListUsersInput{UserPoolId: &pool, PaginationToken: aws.String("not-a-token")})
	testenv.WantError(t, err, "InvalidParameterException", "")
}

// TestListUsersPagination lists 130 users a page at a time, with and without a filter.
func TestListUsersPagination(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pool := e.pool(nil)
	const total = 130
	want := map[string]bool{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	errs := make(chan error, total)
	sem := make(chan struct{}, 8)
	for i := range total {
		name := fmt.Sprintf("user%03d", i)
		kv := []string{"given_name", fmt.Sprintf("G%d", i%7)}
		if i%4 != 0 { // 97 users have an email
			kv = append(kv, "email", fmt.Sprintf("%s@example.com", name))
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			_, err := e.c.AdminCreateUser(e.ctx, &cip.AdminCreateUserInput{UserPoolId: &pool, Username: aws.String(name),
				UserAttributes: attrs(kv...), MessageAction: types.MessageActionTypeSuppress})
			if err != nil {
				errs <- fmt.Errorf("create %s: %w", name, err)
				return
			}
			mu.Lock()
			want[name] = true
			mu.Unlock()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	// pages lists every page of a query and checks each is at most limit long.
	pages := func(f string, limit int32) (names []string, sizes []int) {
		t.Helper()
		in := &cip.ListUsersInput{UserPoolId: &pool, Limit: aws.Int32(limit)}
		if f != "" {
			in.Filter = aws.String(f)
		}
		p := cip.NewListUsersPaginator(e.c, in)
		for p.HasMorePages() {
			out, err := p.NextPage(e.ctx)
			if err != nil {
				t.Fatalf("page %d of %q: %v", len(sizes)+1, f, err)
			}
			if len(out.Users) > int(limit) {
				t.Fatalf("page of %d users with Limit %d", len(out.Users), limit)
			}
			sizes = append(sizes, len(out.Users))
			for _, u := range out.Users {
				names = append(names, aws.ToString(u.Username))
			}
			if len(sizes) > 50 {
				t.Fatal("pagination does not end")
			}
		}
		return names, sizes
	}
	checkAll := func(what string, names []string, want func(string) bool, count int) {
		t.Helper()
		seen := map[string]bool{}
		for _, n := range names {
			if seen[n] {
				t.Fatalf("%s: %s listed twice", what, n)
			}
			if !want(n) {
				t.Fatalf("%s: %s should not be listed", what, n)
			}
			seen[n] = true
		}
		if len(seen) != count {
			t.Fatalf("%s: %d users, want %d", what, len(seen), count)
		}
	}

	names, sizes := pages("", 60)
	checkAll("all users", names, func(n string) bool { return want[n] }, total)
	if !slices.Equal(sizes, []int{60, 60, 10}) {
		t.Fatalf("page sizes = %v", sizes)
	}
	names, _ = pages("", 7)
	checkAll("all users by 7", names, func(n string) bool { return want[n] }, total)

	hasEmail := func(n string) bool {
		var i int
		fmt.Sscanf(n, "user%03d", &i)
		return i%4 != 0
	}
	names, sizes = pages(`email ^= "USER"`, 25)
	checkAll("prefix filter", names, hasEmail, 97)
	if !slices.Equal(sizes, []int{25, 25, 25, 22}) {
		t.Fatalf("filtered page sizes = %v", sizes)
	}
	names, _ = pages(`given_name = "g3"`, 4)
	checkAll("equality filter", names, func(n string) bool {
		var i int
		fmt.Sscanf(n, "user%03d", &i)
		return i%7 == 3
	}, 19)
	names, _ = pages(`cognito:user_status = "FORCE_CHANGE_PASSWORD"`, 60)
	checkAll("status filter", names, func(n string) bool { return want[n] }, total)

	// Without Limit a page holds at most 60 users.
	out, err := e.c.ListUsers(e.ctx, &cip.ListUsersInput{UserPoolId: &pool})
	e.must(err, "list without Limit")
	if len(out.Users) != 60 || out.PaginationToken == nil {
		t.Fatalf("default page = %d users, token %v", len(out.Users), out.PaginationToken)
	}
	// A token belongs to its query: reusing it with another filter is refused.
	_, err = e.c.ListUsers(e.ctx, &cip.ListUsersInput{UserPoolId: &pool, PaginationToken: out.PaginationToken, Filter: aws.String(`email ^= "user"`)})
	testenv.WantError(t, err, "InvalidParameterException", "")
}
