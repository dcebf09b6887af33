package gateway

import (
	"context"
	"testing"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/storage"
	"github.com/gatehouse-dev/gatehouse/internal/storage/memory"
)

func TestNormalizeDomain(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"api.example.com", "api.example.com"},
		{"API.Example.COM.", "api.example.com"},
		{"*.example.com", "*.example.com"},
		{"a-b.c1.io", "a-b.c1.io"},
		{"localhost", ""},
		{"127.0.0.1", ""},
		{"::1", ""},
		{"example.123", ""},
		{"-a.example.com", ""},
		{"a_b.example.com", ""},
		{"a..example.com", ""},
		{"*.com.*", ""},
		{"a.*.example.com", ""},
		{"", ""},
	} {
		got, err := normalizeDomain(tc.in)
		if got != tc.want || (err == nil) != (tc.want != "") || err != nil && !awserr.Is(err, ErrBadRequest) {
			t.Errorf("normalizeDomain(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestNormalizeMappingKey(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"", "", true},
		{"(none)", "", true},
		{"orders", "orders", true},
		{"orders/v1/items", "orders/v1/items", true},
		{"$-_.+!*'()", "$-_.+!*'()", true},
		{"/orders", "", false},
		{"orders/", "", false},
		{"a//b", "", false},
		{"a b", "", false},
		{"a%20b", "", false},
		{"a?b", "", false},
		{string(make([]byte, 301)), "", false},
	} {
		got, err := normalizeMappingKey(tc.in)
		if got != tc.want || (err == nil) != tc.ok {
			t.Errorf("normalizeMappingKey(%q) = %q, %v; want %q, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

// TestDomainStorage checks the stored layout (one record per domain with its mappings), that
// every change bumps the data-plane version and notifies, and what ServedDomains gives.
func TestDomainStorage(t *testing.T) {
	ctx := context.Background()
	var notified []string
	s := &Service{Store: memory.New(), Region: "eu-west-1", AccountID: "123456789012",
		Changed: func(id string) { notified = append(notified, id) }}
	api, err := s.CreateApi(ctx, &CreateApiInput{Name: "a", ProtocolType: "HTTP", Target: "https://example.com"})
	if err != nil {
		t.Fatal(err)
	}
	v0, _ := s.Version(ctx)
	d, err := s.CreateDomainName(ctx, &DomainNameInput{DomainName: "Api.Example.com",
		DomainNameConfigurations: []DomainNameConfiguration{{EndpointType: "EDGE"}}})
	if err != nil {
		t.Fatal(err)
	}
	if c := d.DomainNameConfigurations[0]; c.HostedZoneId != edgeHostedZone || c.SecurityPolicy != "TLS_1_2" || d.DomainName != "api.example.com" {
		t.Errorf("edge domain = %+v", d)
	}
	key := ""
	m, err := s.CreateApiMapping(ctx, &ApiMappingInput{DomainName: "API.example.com", ApiId: api.ApiId, ApiMappingKey: &key, Stage: ptr("$default")})
	if err != nil {
		t.Fatal(err)
	}
	if v1, _ := s.Version(ctx); v1 != v0+2 {
		t.Errorf("version %d after two changes from %d", v1, v0)
	}
	if len(notified) < 2 || notified[len(notified)-1] != "" {
		t.Errorf("notified %q", notified)
	}
	err = s.view(ctx, func(tx storage.Tx) error {
		rec, err := storage.GetJSON[domainRecord](tx, "gw/domain/api.example.com")
		if err == nil && rec.Mappings[m.ApiMappingId].ApiId != api.ApiId {
			t.Errorf("stored record = %+v", rec)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	served, err := s.ServedDomains(ctx)
	if err != nil || len(served) != 1 || served[0].Name != "api.example.com" || len(served[0].Mappings) != 1 {
		t.Errorf("ServedDomains = %+v, %v", served, err)
	}
	if _, err := s.UpdateDomainName(ctx, &DomainNameInput{DomainName: "api.example.com", RoutingMode: "ROUTING_RULE_ONLY"}); err != nil {
		t.Fatal(err)
	}
	if served, _ := s.ServedDomains(ctx); len(served) != 1 || len(served[0].Mappings) != 0 {
		t.Errorf("a ROUTING_RULE_ONLY domain serves its API mappings: %+v", served)
	}
}
