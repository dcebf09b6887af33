package gateway

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

// Service is the HTTP API control plane.
type Service struct {
	// Store keeps the APIs.
	Store storage.Store
	// Region and AccountID appear in endpoints, ARNs and error messages.
	Region, AccountID string
	// Now returns the current time; time.Now when nil.
	Now func() time.Time
	// Rand is the source of ids; crypto/rand when nil.
	Rand io.Reader
	// Changed, when set, is called after a change that the data plane serves (a deployment,
	// a stage, an API's CORS settings or its deletion) has committed, with the API's id; after
	// a change to custom domain names or their API mappings, with "".
	Changed func(apiID string)
}

// Error types of the apigatewayv2 API.
const (
	ErrBadRequest = "BadRequestException"
	ErrNotFound   = "NotFoundException"
	ErrConflict   = "ConflictException"
)

func badRequest(format string, args ...any) error {
	return awserr.Newf(ErrBadRequest, format, args...)
}

func conflict(format string, args ...any) error { return awserr.Newf(ErrConflict, format, args...) }

func notFound(format string, args ...any) error { return awserr.Newf(ErrNotFound, format, args...) }

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC().Truncate(time.Second)
	}
	return time.Now().UTC().Truncate(time.Second)
}

const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// newID returns n random characters from [a-z0-9], as API Gateway's ids are.
func (s *Service) newID(n int) string {
	r := s.Rand
	if r == nil {
		r = rand.Reader
	}
	b := make([]byte, n)
	buf := make([]byte, 1)
	for i := range b {
		for {
			if _, err := io.ReadFull(r, buf); err != nil {
				panic(fmt.Sprintf("gateway: random source failed: %v", err))
			}
			// Reject bytes past the largest multiple of 36 so every character is equally likely.
			if buf[0] < 252 {
				b[i] = idAlphabet[int(buf[0])%len(idAlphabet)]
				break
			}
		}
	}
	return string(b)
}

// Storage layout: one record per API holding its routes, integrations, authorizers and stages
// (an HTTP API has at most a few hundred of each), deployments as separate snapshots, and a
// global version that replicas watch to learn that something the data plane serves changed.
const (
	apiPrefix     = "gw/api/"
	deployPrefix  = "gw/deploy/"
	VersionKey    = "gw/version"
	apiIDLength   = 10
	childIDLength = 7
	deployIDLen   = 6
	authorizerLen = 6
)

func apiKey(id string) string             { return apiPrefix + id }
func deploymentKey(api, id string) string { return deployPrefix + api + "/" + id }
func deploymentPrefix(api string) string  { return deployPrefix + api + "/" }
func errAPINotFound(acct, id string) error {
	return notFound("Invalid API identifier specified %s:%s", acct, id)
}
func errChildNotFound(kind, id string) error {
	return notFound("Invalid %s identifier specified %s", kind, id)
}

// apiRecord is the stored form of an API.
type apiRecord struct {
	Api          Api
	Routes       map[string]Route       `json:",omitempty"`
	Integrations map[string]Integration `json:",omitempty"`
	Authorizers  map[string]Authorizer  `json:",omitempty"`
	Stages       map[string]Stage       `json:",omitempty"`
	// RouteResponses (by route id), IntegrationResponses (by integration id) and Models are
	// WebSocket APIs' only.
	RouteResponses       map[string]map[string]RouteResponse       `json:",omitempty"`
	IntegrationResponses map[string]map[string]IntegrationResponse `json:",omitempty"`
	Models               map[string]Model                          `json:",omitempty"`
}

// Snapshot is the configuration a deployment froze: what a stage serves.
type Snapshot struct {
	ApiId        string
	ProtocolType string
	Cors         *Cors                  `json:",omitempty"`
	Routes       []Route                `json:",omitempty"`
	Integrations map[string]Integration `json:",omitempty"`
	Authorizers  map[string]Authorizer  `json:",omitempty"`
}

// deploymentRecord is a stored deployment.
type deploymentRecord struct {
	Deployment Deployment
	Snapshot   Snapshot
}

func (s *Service) view(ctx context.Context, fn func(tx storage.Tx) error) error {
	return s.Store.View(ctx, fn)
}

// update runs fn in a read-write transaction.
func (s *Service) update(ctx context.Context, fn func(tx storage.Tx) error) error {
	return s.Store.Update(ctx, fn)
}

// touch records, inside tx, that something the data plane serves changed.
func touch(tx storage.Tx) error {
	v, err := storage.GetJSON[int64](tx, VersionKey)
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		return err
	}
	return storage.PutJSON(tx, VersionKey, v+1)
}

// Version returns the data-plane version: it changes whenever a deployment, stage or API
// changes, on any replica.
func (s *Service) Version(ctx context.Context) (int64, error) {
	var v int64
	err := s.view(ctx, func(tx storage.Tx) error {
		var err error
		v, err = storage.GetJSON[int64](tx, VersionKey)
		if errors.Is(err, storage.ErrNotFound) {
			err = nil
		}
		return err
	})
	return v, err
}

func (s *Service) getAPI(tx storage.Tx, id string) (apiRecord, error) {
	rec, err := storage.GetJSON[apiRecord](tx, apiKey(id))
	if errors.Is(err, storage.ErrNotFound) {
		return rec, errAPINotFound(s.AccountID, id)
	}
	return rec, err
}

func (s *Service) notify(apiID string) {
	if s.Changed != nil {
		s.Changed(apiID)
	}
}

// editAPI loads an API, lets fn change it, stores it and, for changes to what stages serve,
// redeploys the auto-deploy stages. It returns after notifying the data plane.
func (s *Service) editAPI(ctx context.Context, op, id string, redeploy bool, fn func(tx storage.Tx, rec *apiRecord) error) error {
	err := s.update(ctx, func(tx storage.Tx) error {
		rec, err := s.getAPI(tx, id)
		if err != nil {
			return err
		}
		if err := fn(tx, &rec); err != nil {
			return err
		}
		if redeploy {
			if err := s.autoDeploy(tx, &rec); err != nil {
				return err
			}
		}
		if err := storage.PutJSON(tx, apiKey(id), rec); err != nil {
			return err
		}
		return touch(tx)
	})
	if err != nil {
		return awserr.Wrap(op, err)
	}
	s.notify(id)
	return nil
}

// page returns the items after token (an opaque token naming the last id of the previous
// page), at most max of them (max as the string the API takes; "" for all), and the next token.
func page[T any](items []T, id func(T) string, token, max string) ([]T, string, error) {
	sort.Slice(items, func(i, j int) bool { return id(items[i]) < id(items[j]) })
	start := 0
	if token != "" {
		b, err := base64.RawURLEncoding.DecodeString(token)
		if err != nil {
			return nil, "", badRequest("Invalid next token")
		}
		last := string(b)
		start = sort.Search(len(items), func(i int) bool { return id(items[i]) > last })
	}
	limit := len(items)
	if max != "" {
		n, err := strconv.Atoi(max)
		if err != nil || n < 1 {
			return nil, "", badRequest("Invalid MaxResults value %s", max)
		}
		limit = n
	}
	end := min(start+limit, len(items))
	out := items[start:end]
	next := ""
	if end < len(items) && end > start {
		next = base64.RawURLEncoding.EncodeToString([]byte(id(items[end-1])))
	}
	return out, next, nil
}

// listPrefix returns a page of what item picks out of the records stored under prefix,
// ordered by the id key returns; check, when set, runs first in the same transaction (the
// parent of the records must exist).
func listPrefix[R, T any](ctx context.Context, s *Service, op, prefix, maxResults, token string, check func(tx storage.Tx) error,
	item func(R) T, key func(T) string) ([]T, string, error) {
	var items []T
	err := s.view(ctx, func(tx storage.Tx) error {
		if check != nil {
			if err := check(tx); err != nil {
				return err
			}
		}
		_, recs, err := storage.ScanJSON[R](tx, prefix, "", 0)
		for _, r := range recs {
			items = append(items, item(r))
		}
		return err
	})
	if err != nil {
		return nil, "", awserr.Wrap(op, err)
	}
	return page(items, key, token, maxResults)
}

// getChild returns the child (route, integration, authorizer, stage) of an API that of picks
// out of its record, by id; NotFoundException names it by kind.
func getChild[T any](ctx context.Context, s *Service, op, api, kind, id string, of func(*apiRecord) map[string]T) (*T, error) {
	return getChildIn(ctx, s, op, api, kind, id, infallible(of))
}

// getChildIn is getChild for children whose picker can fail (a missing parent, an API of the
// wrong protocol).
func getChildIn[T any](ctx context.Context, s *Service, op, api, kind, id string, of func(*apiRecord) (map[string]T, error)) (*T, error) {
	var out T
	err := s.view(ctx, func(tx storage.Tx) error {
		rec, err := s.getAPI(tx, api)
		if err != nil {
			return err
		}
		items, err := of(&rec)
		if err != nil {
			return err
		}
		v, ok := items[id]
		if !ok {
			return errChildNotFound(kind, id)
		}
		out = v
		return nil
	})
	if err != nil {
		return nil, awserr.Wrap(op, err)
	}
	return &out, nil
}

// listChildren returns a page of an API's children that of picks out of its record, ordered
// by the id key returns.
func listChildren[T any](ctx context.Context, s *Service, op, api, maxResults, token string, of func(*apiRecord) map[string]T,
	key func(T) string) ([]T, string, error) {
	return listChildrenIn(ctx, s, op, api, maxResults, token, infallible(of), key)
}

// listChildrenIn is listChildren for children whose picker can fail.
func listChildrenIn[T any](ctx context.Context, s *Service, op, api, maxResults, token string,
	of func(*apiRecord) (map[string]T, error), key func(T) string) ([]T, string, error) {
	var items []T
	err := s.view(ctx, func(tx storage.Tx) error {
		rec, err := s.getAPI(tx, api)
		if err != nil {
			return err
		}
		m, err := of(&rec)
		items = mapValues(m)
		return err
	})
	if err != nil {
		return nil, "", awserr.Wrap(op, err)
	}
	return page(items, key, token, maxResults)
}

// infallible adapts a picker that cannot fail to the fallible form.
func infallible[T any](of func(*apiRecord) map[string]T) func(*apiRecord) (map[string]T, error) {
	return func(r *apiRecord) (map[string]T, error) { return of(r), nil }
}

func ptr[T any](v T) *T { return &v }
