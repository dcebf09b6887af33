package dataplane

import (
	"context"
	"net"
	"net/http"
	"strings"
	"sync"

	"github.com/gatehouse-dev/gatehouse/internal/gateway"
	"github.com/gatehouse-dev/gatehouse/internal/gateway/route"
)

// domains serves custom domain names: it keeps the table of every domain's API mappings,
// rebuilt when the control plane changes (the compiled-API cache's generation moves on), so
// a request costs a few map lookups and no storage read.
type domains struct {
	c     *cache
	mu    sync.Mutex
	table *domainTable
}

// domainTable is the API mappings of every custom domain name at one generation.
type domainTable struct {
	gen   uint64
	hosts map[string]*route.Mappings[*gateway.ApiMapping] // lower-case name; "*.example.com" for a wildcard
}

// generation brings the compiled-API cache up to date with the control plane's version (get
// reads it at most once per versionCheck; no API has the empty id, so after the first call it
// is a map lookup) and returns its generation, which every change moves on.
func (c *cache) generation(ctx context.Context) (uint64, error) {
	if _, err := c.get(ctx, ""); err != nil {
		return 0, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen, nil
}

// current returns the domain table of the control plane's current generation.
func (d *domains) current(ctx context.Context) (*domainTable, error) {
	gen, err := d.c.generation(ctx)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	t := d.table
	d.mu.Unlock()
	if t != nil && t.gen == gen {
		return t, nil
	}
	served, err := d.c.gw.ServedDomains(ctx)
	if err != nil {
		return nil, err
	}
	// Built from data read after gen was taken: a change meanwhile moves the generation on,
	// and the next request builds again.
	t = &domainTable{gen: gen, hosts: make(map[string]*route.Mappings[*gateway.ApiMapping], len(served))}
	for _, sd := range served {
		byKey := make(map[string]*gateway.ApiMapping, len(sd.Mappings))
		for i := range sd.Mappings {
			byKey[sd.Mappings[i].ApiMappingKey] = &sd.Mappings[i]
		}
		t.hosts[sd.Name] = route.NewMappings(byKey)
	}
	d.mu.Lock()
	if d.table == nil || d.table.gen <= gen {
		d.table = t
	}
	d.mu.Unlock()
	return t, nil
}

// route resolves a request by its Host: found reports whether the host is a custom domain
// name; m is the API mapping that serves the path (nil when none does) and rest the path
// below the mapping's key.
func (d *domains) route(r *http.Request) (found bool, m *gateway.ApiMapping, rest string, err error) {
	host := requestHost(r)
	if !customCandidate(host) {
		return false, nil, "", nil
	}
	t, err := d.current(r.Context())
	if err != nil {
		return false, nil, "", err
	}
	ms, ok := t.hosts[host]
	if !ok {
		if _, parent, cut := strings.Cut(host, "."); cut {
			ms, ok = t.hosts["*."+parent]
		}
	}
	if !ok {
		return false, nil, "", nil
	}
	m, rest, _ = ms.Select(r.URL.EscapedPath())
	return true, m, rest, nil
}

// requestHost is the request's host name, lower case, without port or final dot.
func requestHost(r *http.Request) string {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return strings.TrimSuffix(strings.ToLower(host), ".")
}

// customCandidate reports whether host could be a custom domain name: the control plane
// takes only DNS names of two or more labels, so loopback names and addresses (what the
// control plane itself is called by) never cost a lookup.
func customCandidate(host string) bool {
	return strings.Contains(host, ".") && net.ParseIP(host) == nil
}
