package cognito

import (
	"context"
	"errors"
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/awsjson"
	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

// GroupInput is CreateGroupRequest and UpdateGroupRequest.
type GroupInput struct {
	GroupName   string  `json:"GroupName"`
	UserPoolId  string  `json:"UserPoolId"`
	Description *string `json:"Description,omitempty"`
	RoleArn     *string `json:"RoleArn,omitempty"`
	Precedence  *int    `json:"Precedence,omitempty"`
}

func errGroupNotFound() error { return awserr.New(awserr.ResourceNotFound, "Group not found.") }

func getGroup(tx storage.Tx, pool, name string) (Group, error) {
	if _, err := getPool(tx, pool); err != nil {
		return Group{}, err
	}
	g, err := storage.GetJSON[Group](tx, groupKey(pool, name))
	if isNotFound(err) {
		return g, errGroupNotFound()
	}
	return g, err
}

// CreateGroup creates a group.
func (s *Service) CreateGroup(ctx context.Context, in *GroupInput) (*Group, error) {
	now := awsjson.At(s.now())
	g := Group{GroupName: in.GroupName, UserPoolId: in.UserPoolId, Description: deref(in.Description, ""),
		RoleArn: deref(in.RoleArn, ""), Precedence: in.Precedence, CreationDate: now, LastModifiedDate: now}
	err := s.update(ctx, func(tx storage.Tx) error {
		if _, err := getPool(tx, in.UserPoolId); err != nil {
			return err
		}
		err := storage.InsertJSON(tx, groupKey(in.UserPoolId, in.GroupName), g)
		if errors.Is(err, storage.ErrAlreadyExists) {
			return awserr.Newf(ErrGroupExists, "A group with the name %s already exists.", in.GroupName)
		}
		return err
	})
	if err != nil {
		return nil, internal("create group", err)
	}
	return &g, nil
}

// GetGroup returns a group.
func (s *Service) GetGroup(ctx context.Context, pool, name string) (*Group, error) {
	var g Group
	err := s.view(ctx, func(tx storage.Tx) error {
		var err error
		g, err = getGroup(tx, pool, name)
		return err
	})
	if err != nil {
		return nil, internal("get group", err)
	}
	return &g, nil
}

// UpdateGroup changes the members of a group that the request gives.
func (s *Service) UpdateGroup(ctx context.Context, in *GroupInput) (*Group, error) {
	var g Group
	err := s.update(ctx, func(tx storage.Tx) error {
		var err error
		if g, err = getGroup(tx, in.UserPoolId, in.GroupName); err != nil {
			return err
		}
		if in.Description != nil {
			g.Description = *in.Description
		}
		if in.RoleArn != nil {
			g.RoleArn = *in.RoleArn
		}
		if in.Precedence != nil {
			g.Precedence = in.Precedence
		}
		g.LastModifiedDate = awsjson.At(s.now())
		return storage.PutJSON(tx, groupKey(in.UserPoolId, in.GroupName), g)
	})
	if err != nil {
		return nil, internal("update group", err)
	}
	return &g, nil
}

// DeleteGroup deletes a group and its memberships.
func (s *Service) DeleteGroup(ctx context.Context, pool, name string) error {
	err := s.update(ctx, func(tx storage.Tx) error {
		if _, err := getGroup(tx, pool, name); err != nil {
			return err
		}
		members, err := tx.Scan(memberPrefix(pool, name), "", 0)
		if err != nil {
			return err
		}
		for _, m := range members {
			ukey := strings.TrimPrefix(m.Key, memberPrefix(pool, name))
			if err := tx.Delete(userGroupPrefix(pool, ukey) + name); err != nil && !isNotFound(err) {
				return err
			}
		}
		if _, err := tx.DeletePrefix(memberPrefix(pool, name)); err != nil {
			return err
		}
		return tx.Delete(groupKey(pool, name))
	})
	return internal("delete group", err)
}

// ListGroups lists a pool's groups in name order.
func (s *Service) ListGroups(ctx context.Context, pool string, limit int, token string) ([]Group, string, error) {
	if limit <= 0 {
		limit = 60
	}
	var (
		out  []Group
		next string
	)
	err := s.view(ctx, func(tx storage.Tx) error {
		if _, err := getPool(tx, pool); err != nil {
			return err
		}
		var err error
		out, next, err = scanPageJSON[Group](tx, groupPrefix(pool), token, limit)
		return err
	})
	if err != nil {
		return nil, "", internal("list groups", err)
	}
	return out, next, nil
}

// membership resolves the pool, group and user of a membership operation.
func membership(tx storage.Tx, pool, user, group string) (*UserPool, userRecord, error) {
	p, u, err := poolUser(tx, pool, user)
	if err != nil {
		return nil, u, err
	}
	if _, err := getGroup(tx, pool, group); err != nil {
		return nil, u, err
	}
	return p, u, nil
}

// AdminAddUserToGroup adds a user to a group (a no-op if it is a member already).
func (s *Service) AdminAddUserToGroup(ctx context.Context, pool, user, group string) error {
	err := s.update(ctx, func(tx storage.Tx) error {
		p, u, err := membership(tx, pool, user, group)
		if err != nil {
			return err
		}
		ukey := normName(p, u.Username)
		if err := tx.Put(memberPrefix(pool, group)+ukey, nil); err != nil {
			return err
		}
		return tx.Put(userGroupPrefix(pool, ukey)+group, nil)
	})
	return internal("admin add user to group", err)
}

// AdminRemoveUserFromGroup removes a user from a group.
func (s *Service) AdminRemoveUserFromGroup(ctx context.Context, pool, user, group string) error {
	err := s.update(ctx, func(tx storage.Tx) error {
		p, u, err := membership(tx, pool, user, group)
		if err != nil {
			return err
		}
		ukey := normName(p, u.Username)
		if err := tx.Delete(memberPrefix(pool, group) + ukey); err != nil && !isNotFound(err) {
			return err
		}
		if err := tx.Delete(userGroupPrefix(pool, ukey) + group); err != nil && !isNotFound(err) {
			return err
		}
		return nil
	})
	return internal("admin remove user from group", err)
}

// AdminListGroupsForUser lists the groups a user belongs to.
func (s *Service) AdminListGroupsForUser(ctx context.Context, pool, user string, limit int, token string) ([]Group, string, error) {
	if limit <= 0 {
		limit = 60
	}
	var (
		out  []Group
		next string
	)
	err := s.view(ctx, func(tx storage.Tx) error {
		p, u, err := poolUser(tx, pool, user)
		if err != nil {
			return err
		}
		prefix := userGroupPrefix(pool, normName(p, u.Username))
		kvs, n, err := scanPage(tx, prefix, token, limit)
		if err != nil {
			return err
		}
		next = n
		out, err = resolvePage[Group](tx, kvs, func(k string) string { return groupKey(pool, strings.TrimPrefix(k, prefix)) })
		return err
	})
	if err != nil {
		return nil, "", internal("admin list groups for user", err)
	}
	return out, next, nil
}

// ListUsersInGroup lists the members of a group.
func (s *Service) ListUsersInGroup(ctx context.Context, pool, group string, limit int, token string) ([]UserView, string, error) {
	if limit <= 0 {
		limit = 60
	}
	out := []UserView{}
	next := ""
	err := s.view(ctx, func(tx storage.Tx) error {
		rec, err := getPool(tx, pool)
		if err != nil {
			return err
		}
		if _, err := getGroup(tx, pool, group); err != nil {
			return err
		}
		prefix := memberPrefix(pool, group)
		kvs, n, err := scanPage(tx, prefix, token, limit)
		if err != nil {
			return err
		}
		next = n
		users, err := resolvePage[userRecord](tx, kvs, func(k string) string { return userKey(pool, strings.TrimPrefix(k, prefix)) })
		for i := range users {
			out = append(out, userView(&rec.Pool, &users[i], nil))
		}
		return err
	})
	if err != nil {
		return nil, "", internal("list users in group", err)
	}
	return out, next, nil
}
