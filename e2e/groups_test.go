package e2e

import (
	"fmt"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/gatehouse-dev/gatehouse/internal/testenv"
)

const adminRole = "arn:aws:iam::000000000000:role/cognito-admins"

func (e *adminEnv) group(pool *string, name string) {
	e.t.Helper()
	if _, err := e.c.CreateGroup(e.ctx, &cip.CreateGroupInput{UserPoolId: pool, GroupName: aws.String(name)}); err != nil {
		e.t.Fatalf("CreateGroup(%s): %v", name, err)
	}
}

func (e *adminEnv) addToGroup(pool *string, user, group string) {
	e.t.Helper()
	_, err := e.c.AdminAddUserToGroup(e.ctx, &cip.AdminAddUserToGroupInput{UserPoolId: pool, Username: aws.String(user), GroupName: aws.String(group)})
	if err != nil {
		e.t.Fatalf("AdminAddUserToGroup(%s, %s): %v", user, group, err)
	}
}

// groupsOf returns the names of the groups AdminListGroupsForUser lists for user, walking every page.
func (e *adminEnv) groupsOf(pool *string, user string) []string {
	e.t.Helper()
	var names []string
	for pg := cip.NewAdminListGroupsForUserPaginator(e.c, &cip.AdminListGroupsForUserInput{UserPoolId: pool, Username: aws.String(user),
		Limit: aws.Int32(2)}); pg.HasMorePages(); {
		out, err := pg.NextPage(e.ctx)
		if err != nil {
			e.t.Fatalf("AdminListGroupsForUser(%s): %v", user, err)
		}
		for _, g := range out.Groups {
			names = append(names, aws.ToString(g.GroupName))
		}
	}
	slices.Sort(names)
	return names
}

// membersOf returns the usernames ListUsersInGroup lists for group, walking pages of limit.
func (e *adminEnv) membersOf(pool *string, group string, limit int32) (names []string, pages int) {
	e.t.Helper()
	for pg := cip.NewListUsersInGroupPaginator(e.c, &cip.ListUsersInGroupInput{UserPoolId: pool, GroupName: aws.String(group),
		Limit: aws.Int32(limit)}); pg.HasMorePages(); {
		out, err := pg.NextPage(e.ctx)
		if err != nil {
			e.t.Fatalf("ListUsersInGroup(%s): %v", group, err)
		}
		pages++
		if len(out.Users) > int(limit) {
			e.t.Errorf("ListUsersInGroup page of %d users, Limit was %d", len(out.Users), limit)
		}
		for _, u := range out.Users {
			names = append(names, aws.ToString(u.Username))
		}
	}
	slices.Sort(names)
	return names, pages
}

func TestGroupCRUD(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	pool := aws.String(e.pool("groups"))
	created, err := e.c.CreateGroup(e.ctx, &cip.CreateGroupInput{UserPoolId: pool, GroupName: aws.String("admins"),
		Description: aws.String("Administrators"), RoleArn: aws.String(adminRole), Precedence: aws.Int32(1)})
	if err != nil {
		t.Fatal(err)
	}
	g := created.Group
	want := &types.GroupType{GroupName: aws.String("admins"), UserPoolId: pool, Description: aws.String("Administrators"),
		RoleArn: aws.String(adminRole), Precedence: aws.Int32(1), CreationDate: g.CreationDate, LastModifiedDate: g.LastModifiedDate}
	sameJSON(t, "CreateGroup", g, want)
	if g.CreationDate == nil || !g.CreationDate.Equal(aws.ToTime(g.LastModifiedDate)) {
		t.Errorf("CreationDate %v, LastModifiedDate %v", g.CreationDate, g.LastModifiedDate)
	}
	got, err := e.c.GetGroup(e.ctx, &cip.GetGroupInput{UserPoolId: pool, GroupName: aws.String("admins")})
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "GetGroup", got.Group, want)

	_, err = e.c.CreateGroup(e.ctx, &cip.CreateGroupInput{UserPoolId: pool, GroupName: aws.String("admins")})
	testenv.WantError(t, err, "GroupExistsException", "A group with the name admins already exists.")

	// The same name may exist in another pool.
	other := aws.String(e.pool("other"))
	e.group(other, "admins")

	// UpdateGroup changes the properties it is given and keeps the others.
	upd, err := e.c.UpdateGroup(e.ctx, &cip.UpdateGroupInput{UserPoolId: pool, GroupName: aws.String("admins"), Precedence: aws.Int32(0)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToInt32(upd.Group.Precedence) != 0 || upd.Group.Precedence == nil || aws.ToString(upd.Group.RoleArn) != adminRole ||
		aws.ToString(upd.Group.Description) != "Administrators" {
		t.Errorf("UpdateGroup(Precedence 0) = %+v", upd.Group)
	}
	upd, err = e.c.UpdateGroup(e.ctx, &cip.UpdateGroupInput{UserPoolId: pool, GroupName: aws.String("admins"),
		Description: aws.String("Pool administrators"), RoleArn: aws.String(adminRole + "-v2"), Precedence: aws.Int32(5)})
	if err != nil {
		t.Fatal(err)
	}
	got, err = e.c.GetGroup(e.ctx, &cip.GetGroupInput{UserPoolId: pool, GroupName: aws.String("admins")})
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "GetGroup after UpdateGroup", got.Group, upd.Group)
	if aws.ToString(got.Group.Description) != "Pool administrators" || aws.ToString(got.Group.RoleArn) != adminRole+"-v2" ||
		aws.ToInt32(got.Group.Precedence) != 5 || !got.Group.CreationDate.Equal(aws.ToTime(g.CreationDate)) ||
		got.Group.LastModifiedDate.Before(aws.ToTime(g.LastModifiedDate)) {
		t.Errorf("after UpdateGroup: %+v", got.Group)
	}

	if _, err := e.c.DeleteGroup(e.ctx, &cip.DeleteGroupInput{UserPoolId: pool, GroupName: aws.String("admins")}); err != nil {
		t.Fatal(err)
	}
	_, err = e.c.GetGroup(e.ctx, &cip.GetGroupInput{UserPoolId: pool, GroupName: aws.String("admins")})
	testenv.WantError(t, err, "ResourceNotFoundException", "Group not found.")
	_, err = e.c.DeleteGroup(e.ctx, &cip.DeleteGroupInput{UserPoolId: pool, GroupName: aws.String("admins")})
	testenv.WantError(t, err, "ResourceNotFoundException", "Group not found.")
	_, err = e.c.UpdateGroup(e.ctx, &cip.UpdateGroupInput{UserPoolId: pool, GroupName: aws.String("admins"), Description: aws.String("x")})
	testenv.WantError(t, err, "ResourceNotFoundException", "Group not found.")
	if _, err := e.c.GetGroup(e.ctx, &cip.GetGroupInput{UserPoolId: other, GroupName: aws.String("admins")}); err != nil {
		t.Errorf("deleting a group removed the same name in another pool: %v", err)
	}
	// A deleted group's name can be used again.
	e.group(pool, "admins")

	_, err = e.c.CreateGroup(e.ctx, &cip.CreateGroupInput{UserPoolId: aws.String(unknownPool), GroupName: aws.String("g")})
	testenv.WantError(t, err, "ResourceNotFoundException", "User pool "+unknownPool+" does not exist.")
	_, err = e.c.GetGroup(e.ctx, &cip.GetGroupInput{UserPoolId: aws.String(unknownPool), GroupName: aws.String("g")})
	testenv.WantError(t, err, "ResourceNotFoundException", "User pool "+unknownPool+" does not exist.")
}

func TestListGroupsPagination(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	pool := aws.String(e.pool("many-groups"))
	var want []string
	for i := range 5 {
		name := fmt.Sprintf("group-%d", i)
		want = append(want, name)
		if _, err := e.c.CreateGroup(e.ctx, &cip.CreateGroupInput{UserPoolId: pool, GroupName: aws.String(name),
			Precedence: aws.Int32(int32(i)), RoleArn: aws.String(adminRole)}); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	pages := 0
	for pg := cip.NewListGroupsPaginator(e.c, &cip.ListGroupsInput{UserPoolId: pool, Limit: aws.Int32(2)}); pg.HasMorePages(); {
		out, err := pg.NextPage(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if len(out.Groups) > 2 {
			t.Errorf("page of %d groups, Limit was 2", len(out.Groups))
		}
		for _, g := range out.Groups {
			got = append(got, aws.ToString(g.GroupName))
			if aws.ToString(g.RoleArn) != adminRole || g.Precedence == nil || aws.ToString(g.UserPoolId) != aws.ToString(pool) {
				t.Errorf("listed group %+v lacks its properties", g)
			}
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, want) || pages != 3 {
		t.Errorf("ListGroups = %v in %d pages, want %v in 3", got, pages, want)
	}
	all, err := e.c.ListGroups(e.ctx, &cip.ListGroupsInput{UserPoolId: pool})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Groups) != 5 || all.NextToken != nil {
		t.Errorf("ListGroups without Limit = %d groups, next %v", len(all.Groups), all.NextToken)
	}
	_, err = e.c.ListGroups(e.ctx, &cip.ListGroupsInput{UserPoolId: pool, Limit: aws.Int32(61)})
	testenv.WantError(t, err, "InvalidParameterException",
		"1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60")
}

func TestGroupMembership(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	pool := aws.String(e.pool("members"))
	for _, g := range []string{"admins", "editors", "viewers"} {
		e.group(pool, g)
	}
	users := []string{"ann", "ben", "cat", "dan", "eve"}
	for _, u := range users {
		e.user(aws.ToString(pool), u)
		e.addToGroup(pool, u, "viewers")
	}
	e.addToGroup(pool, "ann", "admins")
	e.addToGroup(pool, "ann", "editors")
	e.addToGroup(pool, "ann", "editors") // adding twice is not an error

	if got := e.groupsOf(pool, "ann"); !slices.Equal(got, []string{"admins", "editors", "viewers"}) {
		t.Errorf("groups of ann = %v", got)
	}
	if got := e.groupsOf(pool, "ben"); !slices.Equal(got, []string{"viewers"}) {
		t.Errorf("groups of ben = %v", got)
	}
	members, pages := e.membersOf(pool, "viewers", 2)
	if !slices.Equal(members, users) || pages != 3 {
		t.Errorf("viewers = %v in %d pages, want %v in 3", members, pages, users)
	}
	if members, _ := e.membersOf(pool, "editors", 60); !slices.Equal(members, []string{"ann"}) {
		t.Errorf("editors = %v", members)
	}
	out, err := e.c.ListUsersInGroup(e.ctx, &cip.ListUsersInGroupInput{UserPoolId: pool, GroupName: aws.String("admins")})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Users) != 1 || !out.Users[0].Enabled || out.Users[0].UserStatus == "" || out.Users[0].UserCreateDate == nil {
		t.Errorf("ListUsersInGroup user = %+v", out.Users)
	}

	if _, err := e.c.AdminRemoveUserFromGroup(e.ctx, &cip.AdminRemoveUserFromGroupInput{UserPoolId: pool, Username: aws.String("ann"),
		GroupName: aws.String("editors")}); err != nil {
		t.Fatal(err)
	}
	if got := e.groupsOf(pool, "ann"); !slices.Equal(got, []string{"admins", "viewers"}) {
		t.Errorf("groups of ann after removal = %v", got)
	}
	if members, _ := e.membersOf(pool, "editors", 10); len(members) != 0 {
		t.Errorf("editors after removal = %v", members)
	}

	// Deleting a group ends its memberships.
	if _, err := e.c.DeleteGroup(e.ctx, &cip.DeleteGroupInput{UserPoolId: pool, GroupName: aws.String("viewers")}); err != nil {
		t.Fatal(err)
	}
	if got := e.groupsOf(pool, "ann"); !slices.Equal(got, []string{"admins"}) {
		t.Errorf("groups of ann after deleting viewers = %v", got)
	}
	if got := e.groupsOf(pool, "ben"); len(got) != 0 {
		t.Errorf("groups of ben after deleting viewers = %v", got)
	}
	// A new group with the deleted one's name starts empty.
	e.group(pool, "viewers")
	if members, _ := e.membersOf(pool, "viewers", 10); len(members) != 0 {
		t.Errorf("recreated viewers has members %v", members)
	}

	// Deleting a user ends its memberships.
	if _, err := e.c.AdminDeleteUser(e.ctx, &cip.AdminDeleteUserInput{UserPoolId: pool, Username: aws.String("ann")}); err != nil {
		t.Fatal(err)
	}
	if members, _ := e.membersOf(pool, "admins", 10); len(members) != 0 {
		t.Errorf("admins after deleting ann = %v", members)
	}
	e.user(aws.ToString(pool), "ann")
	if got := e.groupsOf(pool, "ann"); len(got) != 0 {
		t.Errorf("a new user named like a deleted one inherits its groups: %v", got)
	}
}

func TestGroupMembershipErrors(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	pool := aws.String(e.pool("errors"))
	e.group(pool, "admins")
	e.user(aws.ToString(pool), "ann")
	for _, tc := range []struct {
		name      string
		call      func() error
		code, msg string
	}{
		{"add to unknown group", func() error {
			_, err := e.c.AdminAddUserToGroup(e.ctx, &cip.AdminAddUserToGroupInput{UserPoolId: pool, Username: aws.String("ann"), GroupName: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", "Group not found."},
		{"add unknown user", func() error {
			_, err := e.c.AdminAddUserToGroup(e.ctx, &cip.AdminAddUserToGroupInput{UserPoolId: pool, Username: aws.String("zed"), GroupName: aws.String("admins")})
			return err
		}, "UserNotFoundException", "User does not exist."},
		{"remove from unknown group", func() error {
			_, err := e.c.AdminRemoveUserFromGroup(e.ctx, &cip.AdminRemoveUserFromGroupInput{UserPoolId: pool, Username: aws.String("ann"), GroupName: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", "Group not found."},
		{"remove unknown user", func() error {
			_, err := e.c.AdminRemoveUserFromGroup(e.ctx, &cip.AdminRemoveUserFromGroupInput{UserPoolId: pool, Username: aws.String("zed"), GroupName: aws.String("admins")})
			return err
		}, "UserNotFoundException", "User does not exist."},
		{"groups of unknown user", func() error {
			_, err := e.c.AdminListGroupsForUser(e.ctx, &cip.AdminListGroupsForUserInput{UserPoolId: pool, Username: aws.String("zed")})
			return err
		}, "UserNotFoundException", "User does not exist."},
		{"members of unknown group", func() error {
			_, err := e.c.ListUsersInGroup(e.ctx, &cip.ListUsersInGroupInput{UserPoolId: pool, GroupName: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", "Group not found."},
		{"unknown pool", func() error {
			_, err := e.c.AdminAddUserToGroup(e.ctx, &cip.AdminAddUserToGroupInput{UserPoolId: aws.String(unknownPool), Username: aws.String("ann"), GroupName: aws.String("admins")})
			return err
		}, "ResourceNotFoundException", "User pool " + unknownPool + " does not exist."},
		{"list groups of unknown pool", func() error {
			_, err := e.c.ListGroups(e.ctx, &cip.ListGroupsInput{UserPoolId: aws.String(unknownPool)})
			return err
		}, "ResourceNotFoundException", "User pool " + unknownPool + " does not exist."},
	} {
		t.Run(tc.name, func(t *testing.T) { testenv.WantError(t, tc.call(), tc.code, tc.msg) })
	}
	// Removing a user who is not a member is not an error.
	if _, err := e.c.AdminRemoveUserFromGroup(e.ctx, &cip.AdminRemoveUserFromGroupInput{UserPoolId: pool, Username: aws.String("ann"),
		GroupName: aws.String("admins")}); err != nil {
		t.Errorf("removing a non-member: %v", err)
	}
}
