package cognito

import (
	"context"
	"errors"
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

// maxResourceServers is Cognito's default quota of resource servers per pool.
const maxResourceServers = 25

// resourceScopeExists reports whether scope ("<identifier>/<scope name>") is defined by one of
// the pool's resource servers.
func resourceScopeExists(tx storage.Tx, pool, scope string) (bool, error) {
	i := strings.LastIndex(scope, "/")
	if i <= 0 {
		return false, nil
	}
	rs, err := storage.GetJSON[ResourceServer](tx, resourceKey(pool, scope[:i]))
	if isNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	for _, sc := range rs.Scopes {
		if sc.ScopeName == scope[i+1:] {
			return true, nil
		}
	}
	return false, nil
}

func getResourceServer(tx storage.Tx, pool, id string) (ResourceServer, error) {
	if _, err := getPool(tx, pool); err != nil {
		return ResourceServer{}, err
	}
	rs, err := storage.GetJSON[ResourceServer](tx, resourceKey(pool, id))
	if isNotFound(err) {
		return rs, awserr.Newf(awserr.ResourceNotFound, "Resource server %s does not exist.", id)
	}
	return rs, err
}

func checkScopes(scopes []ResourceScope) error {
	seen := map[string]bool{}
	for _, sc := range scopes {
		if seen[sc.ScopeName] {
			return errInvalidParam("Duplicate scope name %s.", sc.ScopeName)
		}
		seen[sc.ScopeName] = true
	}
	return nil
}

// CreateResourceServer defines an OAuth resource server and its scopes.
func (s *Service) CreateResourceServer(ctx context.Context, in ResourceServer) (*ResourceServer, error) {
	if err := checkScopes(in.Scopes); err != nil {
		return nil, err
	}
	if in.Scopes == nil {
		in.Scopes = []ResourceScope{}
	}
	err := s.update(ctx, func(tx storage.Tx) error {
		if _, err := getPool(tx, in.UserPoolId); err != nil {
			return err
		}
		existing, err := tx.Scan(resourcePrefix(in.UserPoolId), "", 0)
		if err != nil {
			return err
		}
		if len(existing) >= maxResourceServers {
			return awserr.Newf(awserr.LimitExceeded, "The user pool %s already has the maximum number of %d resource servers.", in.UserPoolId, maxResourceServers)
		}
		err = storage.InsertJSON(tx, resourceKey(in.UserPoolId, in.Identifier), in)
		if errors.Is(err, storage.ErrAlreadyExists) {
			return errInvalidParam("%s already exists in user pool %s.", in.Identifier, in.UserPoolId)
		}
		return err
	})
	if err != nil {
		return nil, internal("create resource server", err)
	}
	return &in, nil
}

// DescribeResourceServer returns a resource server.
func (s *Service) DescribeResourceServer(ctx context.Context, pool, id string) (*ResourceServer, error) {
	var out ResourceServer
	err := s.view(ctx, func(tx storage.Tx) error {
		var err error
		out, err = getResourceServer(tx, pool, id)
		return err
	})
	if err != nil {
		return nil, internal("describe resource server", err)
	}
	return &out, nil
}

// ListResourceServers lists a pool's resource servers.
func (s *Service) ListResourceServers(ctx context.Context, pool string, max int, token string) ([]ResourceServer, string, error) {
	if max <= 0 {
		max = 50
	}
	var (
		out  []ResourceServer
		next string
	)
	err := s.view(ctx, func(tx storage.Tx) error {
		if _, err := getPool(tx, pool); err != nil {
			return err
		}
		var err error
		out, next, err = scanPageJSON[ResourceServer](tx, resourcePrefix(pool), token, max)
		return err
	})
	if err != nil {
		return nil, "", internal("list resource servers", err)
	}
	return out, next, nil
}

// UpdateResourceServer replaces a resource server's name and scopes.
func (s *Service) UpdateResourceServer(ctx context.Context, in ResourceServer) (*ResourceServer, error) {
	if err := checkScopes(in.Scopes); err != nil {
		return nil, err
	}
	if in.Scopes == nil {
		in.Scopes = []ResourceScope{}
	}
	err := s.update(ctx, func(tx storage.Tx) error {
		if _, err := getResourceServer(tx, in.UserPoolId, in.Identifier); err != nil {
			return err
		}
		return storage.PutJSON(tx, resourceKey(in.UserPoolId, in.Identifier), in)
	})
	if err != nil {
		return nil, internal("update resource server", err)
	}
	return &in, nil
}

// DeleteResourceServer deletes a resource server.
func (s *Service) DeleteResourceServer(ctx context.Context, pool, id string) error {
	err := s.update(ctx, func(tx storage.Tx) error {
		if _, err := getResourceServer(tx, pool, id); err != nil {
			return err
		}
		return tx.Delete(resourceKey(pool, id))
	})
	return internal("delete resource server", err)
}
