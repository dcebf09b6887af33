package dataplane

import (
	"context"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/gateway"
	"github.com/gatehouse-dev/gatehouse/internal/gateway/route"
	"github.com/gatehouse-dev/gatehouse/internal/gateway/throttle"
)

// compiledAPI is what one API serves: its stages, each with the routing table of the
// deployment it serves. It is immutable once built; a change builds a new one.
type compiledAPI struct {
	id       string
	disabled bool
	stages   map[string]*compiledStage
	names    []string
}

// compiledStage is one stage of an API.
type compiledStage struct {
	name         string
	deploymentID string
	vars         map[string]string
	cors         *gateway.Cors
	table        *route.Table[*compiledRoute]
	accessLog    string
	limit        *throttle.Limit // the stage's default route throttling; nil for none
}

// compiledRoute is one route of a deployment with what it needs at request time.
type compiledRoute struct {
	route      gateway.Route
	integ      *gateway.Integration
	authorizer *gateway.Authorizer
	limit      *throttle.Limit // the route's throttling; nil falls back to the stage's
}

// limitOf returns the token bucket of settings, or nil when they set no limit. A missing rate or
// burst is unlimited; a rate or burst of 0 lets nothing through, as in API Gateway.
func limitOf(rs *gateway.RouteSettings) *throttle.Limit {
	if rs == nil || (rs.ThrottlingRateLimit == nil && rs.ThrottlingBurstLimit == nil) {
		return nil
	}
	l := throttle.Limit{Rate: math.Inf(1), Burst: math.MaxInt32}
	if rs.ThrottlingRateLimit != nil {
		l.Rate = *rs.ThrottlingRateLimit
	}
	if rs.ThrottlingBurstLimit != nil {
		l.Burst = *rs.ThrottlingBurstLimit
	}
	return &l
}

// compile builds what an API serves from its stages.
func compile(id string, served []gateway.Served, disabled bool) *compiledAPI {
	api := &compiledAPI{id: id, disabled: disabled, stages: map[string]*compiledStage{}}
	for _, sv := range served {
		st := sv.Stage
		cs := &compiledStage{name: st.StageName, deploymentID: st.DeploymentId, vars: st.StageVariables,
			limit: limitOf(st.DefaultRouteSettings)}
		if st.AccessLogSettings != nil {
			cs.accessLog = st.AccessLogSettings.Format
		}
		if sn := sv.Snapshot; sn != nil {
			cs.cors = sn.Cors
			var entries []route.Entry[*compiledRoute]
			for _, r := range sn.Routes {
				k, err := route.Parse(r.RouteKey)
				if err != nil {
					continue // validated when created; a stale bad key is not served
				}
				cr := &compiledRoute{route: r}
				if id, ok := strings.CutPrefix(r.Target, "integrations/"); ok {
					if in, ok := sn.Integrations[id]; ok {
						cr.integ = &in
					}
				}
				if r.AuthorizerId != "" {
					if a, ok := sn.Authorizers[r.AuthorizerId]; ok {
						cr.authorizer = &a
					}
				}
				if rs, ok := st.RouteSettings[r.RouteKey]; ok {
					cr.limit = limitOf(&rs)
				}
				entries = append(entries, route.Entry[*compiledRoute]{Key: k, Value: cr})
			}
			if t, err := route.NewTable(entries); err == nil {
				cs.table = t
			}
		}
		api.stages[st.StageName] = cs
		api.names = append(api.names, st.StageName)
	}
	return api
}

// cache holds compiled APIs. Local changes invalidate an API at once (Invalidate); changes made
// by other replicas are noticed through the control plane's version, read at most once per
// versionCheck.
type cache struct {
	gw    *gateway.Service
	now   func() time.Time
	mu    sync.Mutex
	apis  map[string]*compiledAPI
	ver   int64
	check time.Time
	// gen counts invalidations, so that an API compiled from data read before one is not kept.
	gen uint64
}

const versionCheck = time.Second

func (c *cache) invalidate(id string) {
	c.mu.Lock()
	delete(c.apis, id)
	c.gen++
	c.mu.Unlock()
}

// get returns the compiled API id, or nil when it does not exist.
func (c *cache) get(ctx context.Context, id string) (*compiledAPI, error) {
	now := c.now()
	c.mu.Lock()
	stale := now.Sub(c.check) >= versionCheck
	c.mu.Unlock()
	if stale {
		v, err := c.gw.Version(ctx)
		if err != nil {
			return nil, err
		}
		c.mu.Lock()
		if v != c.ver {
			c.apis, c.ver = map[string]*compiledAPI{}, v
			c.gen++
		}
		c.check = now
		c.mu.Unlock()
	}
	c.mu.Lock()
	api, ok := c.apis[id]
	gen := c.gen
	c.mu.Unlock()
	if ok {
		return api, nil
	}
	served, disabled, exists, err := c.gw.ServedStages(ctx, id)
	if err != nil {
		return nil, err
	}
	if exists {
		api = compile(id, served, disabled)
	}
	c.mu.Lock()
	if c.apis == nil {
		c.apis = map[string]*compiledAPI{}
	}
	if c.gen == gen {
		c.apis[id] = api // nil records a missing API until the next change
	}
	c.mu.Unlock()
	return api, nil
}
