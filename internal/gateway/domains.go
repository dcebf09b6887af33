package gateway

import (
	"context"
	"errors"
	"fmt"
	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"net"
	"regexp"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

// DomainName is a custom domain name (the model's DomainName shape).
type DomainName struct {
	ApiMappingSelectionExpression string                    `json:"apiMappingSelectionExpression"`
	DomainName                    string                    `json:"domainName"`
	DomainNameArn                 string                    `json:"domainNameArn,omitempty"`
	DomainNameConfigurations      []DomainNameConfiguration `json:"domainNameConfigurations"`
	MutualTlsAuthentication       *MutualTlsAuthentication  `json:"mutualTlsAuthentication,omitempty"`
	RoutingMode                   string                    `json:"routingMode,omitempty"`
	Tags                          map[string]string         `json:"tags"`
}

// DomainNameConfiguration is the endpoint configuration of a custom domain name. In a request
// only CertificateArn, CertificateName, CertificateUploadDate, EndpointType, IpAddressType,
// SecurityPolicy and OwnershipVerificationCertificateArn are taken; the rest is API Gateway's.
type DomainNameConfiguration struct {
	ApiGatewayDomainName                string     `json:"apiGatewayDomainName,omitempty"`
	CertificateArn                      string     `json:"certificateArn,omitempty"`
	CertificateName                     string     `json:"certificateName,omitempty"`
	CertificateUploadDate               *time.Time `json:"certificateUploadDate,omitempty"`
	DomainNameStatus                    string     `json:"domainNameStatus,omitempty"`
	DomainNameStatusMessage             string     `json:"domainNameStatusMessage,omitempty"`
	EndpointType                        string     `json:"endpointType,omitempty"`
	HostedZoneId                        string     `json:"hostedZoneId,omitempty"`
	IpAddressType                       string     `json:"ipAddressType,omitempty"`
	SecurityPolicy                      string     `json:"securityPolicy,omitempty"`
	OwnershipVerificationCertificateArn string     `json:"ownershipVerificationCertificateArn,omitempty"`
}

// MutualTlsAuthentication is a domain name's mutual TLS settings as API Gateway reports them.
type MutualTlsAuthentication struct {
	TruststoreUri      string   `json:"truststoreUri,omitempty"`
	TruststoreVersion  string   `json:"truststoreVersion,omitempty"`
	TruststoreWarnings []string `json:"truststoreWarnings,omitempty"`
}

// MutualTlsAuthenticationInput is a domain name's mutual TLS settings in a request.
type MutualTlsAuthenticationInput struct {
	TruststoreUri     string `json:"truststoreUri,omitempty"`
	TruststoreVersion string `json:"truststoreVersion,omitempty"`
}

// DomainNameInput is CreateDomainNameRequest and UpdateDomainNameRequest (an update takes no
// tags; members left out of it keep their values).
type DomainNameInput struct {
	DomainName               string                        `json:"domainName"`
	DomainNameConfigurations []DomainNameConfiguration     `json:"domainNameConfigurations,omitempty"`
	MutualTlsAuthentication  *MutualTlsAuthenticationInput `json:"mutualTlsAuthentication,omitempty"`
	RoutingMode              string                        `json:"routingMode,omitempty"`
	Tags                     map[string]string             `json:"tags,omitempty"`
}

// ApiMapping maps a path of a custom domain name to a stage of an API.
type ApiMapping struct {
	ApiId         string `json:"apiId"`
	ApiMappingId  string `json:"apiMappingId"`
	ApiMappingKey string `json:"apiMappingKey"`
	Stage         string `json:"stage"`
}

// ApiMappingInput is CreateApiMappingRequest and UpdateApiMappingRequest (members left out of
// an update keep their values).
type ApiMappingInput struct {
	ApiId         string  `json:"apiId"`
	ApiMappingId  string  `json:"apiMappingId,omitempty"`
	ApiMappingKey *string `json:"apiMappingKey,omitempty"`
	DomainName    string  `json:"domainName"`
	Stage         *string `json:"stage,omitempty"`
}

// ServedDomain is a custom domain name with the API mappings that route its requests.
type ServedDomain struct {
	// Name is the domain name, lower case; "*.example.com" for a wildcard name.
	Name     string
	Mappings []ApiMapping
}

// domainRecord is the stored form of a custom domain name: the domain with its API mappings
// (at most a few hundred), so a mapping change is one read-modify-write of its domain.
type domainRecord struct {
	Domain   DomainName
	Mappings map[string]ApiMapping `json:",omitempty"`
}

const (
	domainPrefix      = "gw/domain/"
	mappingIDLength   = 10
	maxMappings       = 200
	maxMappingKeyLen  = 300
	mappingSelection  = "$request.basepath"
	routingAPIMapping = "API_MAPPING_ONLY"
	// edgeHostedZone is CloudFront's hosted zone, which edge-optimized domain names alias.
	edgeHostedZone = "Z2FDTNDATAQYW2"
)

// regionalHostedZones are API Gateway's regional hosted zones, which regional custom domain
// names alias (AWS general reference, "Amazon API Gateway endpoints").
var regionalHostedZones = map[string]string{
	"us-east-1": "Z1UJRXOUMOOFQ8", "us-east-2": "ZOJJZC49E0EPZ", "us-west-1": "Z2MUQ32089INYE",
	"us-west-2": "Z2OJLYMUO9EFXC", "ca-central-1": "Z19DQILCV0OWEC", "sa-east-1": "ZCMLWB8V5SYIT",
	"eu-central-1": "Z1U9ULNL0V5AJ3", "eu-west-1": "ZLY8HYME6SFDD", "eu-west-2": "ZJ5UAJN8Y3Z2Q",
	"eu-west-3": "Z3KY65QIEKYHQQ", "eu-north-1": "Z3UWIKFBOOGXPP", "eu-south-1": "Z3BT4WSQ9TDYZV",
	"ap-south-1": "Z3VO1THU9YC4UR", "ap-northeast-1": "Z1YSHQZHG15GKL", "ap-northeast-2": "Z20JF4UZKIW1U8",
	"ap-southeast-1": "ZL327KTPIQFUL", "ap-southeast-2": "Z2RPCDW04V8134", "ap-east-1": "Z3FD1VL90ND7K5",
	"af-south-1": "Z2DHW2332DAMTN", "me-south-1": "Z20ZBPC0SS8806",
}

var (
	dnsLabel = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	// mappingSegment is one level of an API mapping key: letters, digits and $-_.+!*'().
	mappingSegment = regexp.MustCompile(`^[A-Za-z0-9$\-_.+!*'()]+$`)
)

func domainKey(name string) string { return domainPrefix + name }

func errDomainNotFound(name string) error {
	return notFound("Invalid domain name identifier specified %s", name)
}

// domainARN is the ARN of a custom domain name, which TagResource and GetTags take.
func (s *Service) domainARN(name string) string {
	return fmt.Sprintf("arn:aws:apigateway:%s::/domainnames/%s", s.Region, name)
}

// normalizeDomain returns the stored form of a domain name (lower case, no final dot) and
// checks that it is a DNS name of at least two labels, optionally a wildcard "*.example.com".
// Single-label names and IP addresses, which could never carry a certificate, are refused:
// the server itself answers on those (localhost, 127.0.0.1).
func normalizeDomain(name string) (string, error) {
	n := strings.TrimSuffix(strings.ToLower(name), ".")
	labels := strings.Split(strings.TrimPrefix(n, "*."), ".")
	ok := len(n) <= 253 && len(labels) >= 2 && net.ParseIP(n) == nil
	for _, l := range labels {
		ok = ok && dnsLabel.MatchString(l)
	}
	if !ok || strings.Trim(labels[len(labels)-1], "0123456789") == "" {
		return "", badRequest("Invalid domain name specified %s: it must be a DNS name of two or more labels", name)
	}
	return n, nil
}

// configure fills in what API Gateway adds to the endpoint configurations of a request: the
// defaults, and for an endpoint type the domain had before, its API Gateway domain name.
func (s *Service) configure(in, prev []DomainNameConfiguration) ([]DomainNameConfiguration, error) {
	// One endpoint configuration per domain name (two, of different endpoint types, while an
	// endpoint migrates); AWS answers "Expected one domain name configuration" without one
	// (hashicorp/terraform-provider-awscc#1667).
	if len(in) == 0 {
		return nil, badRequest("Expected one domain name configuration")
	}
	out := make([]DomainNameConfiguration, 0, len(in))
	seen := map[string]bool{}
	for _, c := range in {
		c.EndpointType = firstNonEmpty(c.EndpointType, "REGIONAL")
		c.SecurityPolicy = firstNonEmpty(c.SecurityPolicy, "TLS_1_2")
		c.IpAddressType = firstNonEmpty(c.IpAddressType, "ipv4")
		if seen[c.EndpointType] {
			return nil, badRequest("Only one domain name configuration per endpoint type is allowed")
		}
		seen[c.EndpointType] = true
		c.DomainNameStatus, c.DomainNameStatusMessage, c.ApiGatewayDomainName, c.HostedZoneId = "AVAILABLE", "", "", ""
		for _, p := range prev {
			if p.EndpointType == c.EndpointType {
				c.ApiGatewayDomainName, c.HostedZoneId = p.ApiGatewayDomainName, p.HostedZoneId
			}
		}
		if c.ApiGatewayDomainName == "" && c.EndpointType == "EDGE" {
			c.ApiGatewayDomainName, c.HostedZoneId = "d"+s.newID(13)+".cloudfront.net", edgeHostedZone
		} else if c.ApiGatewayDomainName == "" {
			c.ApiGatewayDomainName = fmt.Sprintf("d-%s.execute-api.%s.amazonaws.com", s.newID(10), s.Region)
			c.HostedZoneId = firstNonEmpty(regionalHostedZones[s.Region], regionalHostedZones["us-east-1"])
		}
		out = append(out, c)
	}
	return out, nil
}

// applyDomain applies the members of a create or update request other than configurations.
func applyDomain(d *DomainName, in *DomainNameInput) {
	if in.RoutingMode != "" {
		d.RoutingMode = in.RoutingMode
	}
	if m := in.MutualTlsAuthentication; m != nil {
		d.MutualTlsAuthentication = nil
		if m.TruststoreUri != "" {
			d.MutualTlsAuthentication = &MutualTlsAuthentication{TruststoreUri: m.TruststoreUri, TruststoreVersion: m.TruststoreVersion}
		}
	}
}

// CreateDomainName registers a custom domain name. The data plane serves requests whose Host
// is that name through its API mappings.
func (s *Service) CreateDomainName(ctx context.Context, in *DomainNameInput) (*DomainName, error) {
	name, err := normalizeDomain(in.DomainName)
	if err != nil {
		return nil, err
	}
	confs, err := s.configure(in.DomainNameConfigurations, nil)
	if err != nil {
		return nil, err
	}
	d := DomainName{DomainName: name, DomainNameArn: s.domainARN(name), ApiMappingSelectionExpression: mappingSelection,
		DomainNameConfigurations: confs, RoutingMode: routingAPIMapping, Tags: nonNil(in.Tags)}
	applyDomain(&d, in)
	err = s.update(ctx, func(tx storage.Tx) error {
		err := storage.InsertJSON(tx, domainKey(name), domainRecord{Domain: d})
		if errors.Is(err, storage.ErrAlreadyExists) {
			// apigatewayv2's model lists ConflictException for CreateDomainName, and moto
			// answers a second CreateDomainName of a name with it and this message; the
			// BadRequestException "The domain name you provided already exists." is the REST
			// API's (v1) answer. Not confirmed against AWS.
			return conflict("The domain name resource already exists.")
		}
		if err != nil {
			return err
		}
		return touch(tx)
	})
	if err != nil {
		return nil, awserr.Wrap("create domain name", err)
	}
	s.notify("")
	return &d, nil
}

// getDomain reads a domain record by name (any case).
func getDomain(tx storage.Tx, name string) (domainRecord, error) {
	rec, err := storage.GetJSON[domainRecord](tx, domainKey(strings.TrimSuffix(strings.ToLower(name), ".")))
	if errors.Is(err, storage.ErrNotFound) {
		return rec, errDomainNotFound(name)
	}
	return rec, err
}

// viewDomain reads a domain record in a read-only transaction.
func (s *Service) viewDomain(ctx context.Context, op, name string) (domainRecord, error) {
	var rec domainRecord
	err := s.view(ctx, func(tx storage.Tx) error {
		var err error
		rec, err = getDomain(tx, name)
		return err
	})
	return rec, awserr.Wrap(op, err)
}

// editDomain loads a domain, lets fn change it, stores it and tells the data plane.
func (s *Service) editDomain(ctx context.Context, op, name string, fn func(tx storage.Tx, rec *domainRecord) error) error {
	err := s.update(ctx, func(tx storage.Tx) error {
		rec, err := getDomain(tx, name)
		if err != nil {
			return err
		}
		if err := fn(tx, &rec); err != nil {
			return err
		}
		if err := storage.PutJSON(tx, domainKey(rec.Domain.DomainName), rec); err != nil {
			return err
		}
		return touch(tx)
	})
	if err != nil {
		return awserr.Wrap(op, err)
	}
	s.notify("")
	return nil
}

// GetDomainName returns a custom domain name.
func (s *Service) GetDomainName(ctx context.Context, name string) (*DomainName, error) {
	rec, err := s.viewDomain(ctx, "get domain name", name)
	if err != nil {
		return nil, err
	}
	return &rec.Domain, nil
}

// GetDomainNames lists the custom domain names a page at a time.
func (s *Service) GetDomainNames(ctx context.Context, maxResults, token string) ([]DomainName, string, error) {
	return listPrefix(ctx, s, "get domain names", domainPrefix, maxResults, token, nil,
		func(r domainRecord) DomainName { return r.Domain }, func(d DomainName) string { return d.DomainName })
}

// UpdateDomainName changes a domain name's endpoint configuration, mutual TLS or routing mode.
// The configurations given replace the current ones; one of an endpoint type the domain
// already had keeps its API Gateway domain name.
func (s *Service) UpdateDomainName(ctx context.Context, in *DomainNameInput) (*DomainName, error) {
	var out DomainName
	err := s.editDomain(ctx, "update domain name", in.DomainName, func(_ storage.Tx, rec *domainRecord) error {
		d := &rec.Domain
		if in.DomainNameConfigurations != nil {
			confs, err := s.configure(in.DomainNameConfigurations, d.DomainNameConfigurations)
			if err != nil {
				return err
			}
			if err := checkMultiLevel(confs, rec.Mappings); err != nil {
				return err
			}
			d.DomainNameConfigurations = confs
		}
		applyDomain(d, in)
		out = *d
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteDomainName deletes a custom domain name with its API mappings.
func (s *Service) DeleteDomainName(ctx context.Context, name string) error {
	err := s.update(ctx, func(tx storage.Tx) error {
		rec, err := getDomain(tx, name)
		if err != nil {
			return err
		}
		if err := tx.Delete(domainKey(rec.Domain.DomainName)); err != nil {
			return err
		}
		return touch(tx)
	})
	if err != nil {
		return awserr.Wrap("delete domain name", err)
	}
	s.notify("")
	return nil
}

// normalizeMappingKey checks an API mapping key and returns its stored form: "" (or "(none)",
// as the console shows it) maps the root of the domain; other keys are one or more levels of
// letters, digits and $-_.+!*'() joined by "/" (multi-level mappings), at most 300
// characters.
func normalizeMappingKey(key string) (string, error) {
	if key == "" || key == "(none)" {
		return "", nil
	}
	if len(key) > maxMappingKeyLen {
		return "", badRequest("An ApiMapping key may be at most %d characters long", maxMappingKeyLen)
	}
	for _, seg := range strings.Split(key, "/") {
		if !mappingSegment.MatchString(seg) {
			// AWS's wording, from a key of "/" (aws/aws-cdk#9077); it predates multi-level
			// keys, whose "/" between levels it accepts.
			return "", badRequest("An ApiMapping key may contain only letters, numbers and one of $-_.+!*'()")
		}
	}
	return key, nil
}

// checkMultiLevel refuses multi-level mappings on a domain whose security policy is TLS 1.0:
// API Gateway serves them only with TLS 1.2.
func checkMultiLevel(confs []DomainNameConfiguration, mappings map[string]ApiMapping) error {
	for _, m := range mappings {
		for _, c := range confs {
			if strings.Contains(m.ApiMappingKey, "/") && c.SecurityPolicy != "TLS_1_2" {
				return badRequest("API mappings with multiple levels require the TLS_1_2 security policy")
			}
		}
	}
	return nil
}

// applyMapping validates m, a new or changed mapping of rec, against its API, stage and the
// domain's other mappings.
func (s *Service) applyMapping(tx storage.Tx, rec *domainRecord, m ApiMapping) error {
	api, err := s.getAPI(tx, m.ApiId)
	if err != nil {
		return err
	}
	if _, ok := api.Stages[m.Stage]; !ok {
		// A 400, and without the name: "Invalid stage identifier specified" (aws/aws-cdk#8983).
		return badRequest("Invalid stage identifier specified")
	}
	if strings.Contains(m.ApiMappingKey, "/") && api.Api.ProtocolType != "HTTP" {
		return badRequest("API mappings with multiple levels are not supported for WebSocket APIs")
	}
	if err := checkMultiLevel(rec.Domain.DomainNameConfigurations, map[string]ApiMapping{"": m}); err != nil {
		return err
	}
	var other *ApiMapping
	for id, o := range rec.Mappings {
		if id == m.ApiMappingId {
			continue
		}
		if o.ApiMappingKey == m.ApiMappingKey {
			// 409 "ApiMapping key already exists for this domain name" (aws/aws-cdk#22660).
			return conflict("ApiMapping key already exists for this domain name")
		}
		other = &o
	}
	// All the APIs a domain maps have one protocol type, so one other mapping tells it.
	if other != nil {
		if o, err := s.getAPI(tx, other.ApiId); err == nil && o.Api.ProtocolType != api.Api.ProtocolType {
			return badRequest("A custom domain name can only map APIs of one protocol type: %s is %s, the domain maps %s APIs",
				m.ApiId, api.Api.ProtocolType, o.Api.ProtocolType)
		}
	}
	if rec.Mappings == nil {
		rec.Mappings = map[string]ApiMapping{}
	}
	if _, ok := rec.Mappings[m.ApiMappingId]; !ok && len(rec.Mappings) >= maxMappings {
		return badRequest("Maximum number of API mappings for this domain name has been reached")
	}
	rec.Mappings[m.ApiMappingId] = m
	return nil
}

// CreateApiMapping maps a path of a custom domain name to a stage of an API.
func (s *Service) CreateApiMapping(ctx context.Context, in *ApiMappingInput) (*ApiMapping, error) {
	m := ApiMapping{ApiId: in.ApiId}
	var err error
	if in.ApiMappingKey != nil {
		if m.ApiMappingKey, err = normalizeMappingKey(*in.ApiMappingKey); err != nil {
			return nil, err
		}
	}
	if in.Stage != nil {
		m.Stage = *in.Stage
	}
	err = s.editDomain(ctx, "create api mapping", in.DomainName, func(tx storage.Tx, rec *domainRecord) error {
		for m.ApiMappingId == "" || rec.Mappings[m.ApiMappingId].ApiMappingId != "" {
			m.ApiMappingId = s.newID(mappingIDLength)
		}
		return s.applyMapping(tx, rec, m)
	})
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// mappingOf returns a mapping of a domain record.
func mappingOf(rec *domainRecord, id string) (ApiMapping, error) {
	m, ok := rec.Mappings[id]
	if !ok {
		return m, notFound("Invalid API mapping identifier specified %s", id)
	}
	return m, nil
}

// GetApiMapping returns an API mapping of a custom domain name.
func (s *Service) GetApiMapping(ctx context.Context, domain, id string) (*ApiMapping, error) {
	rec, err := s.viewDomain(ctx, "get api mapping", domain)
	if err != nil {
		return nil, err
	}
	m, err := mappingOf(&rec, id)
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// GetApiMappings lists the API mappings of a custom domain name.
func (s *Service) GetApiMappings(ctx context.Context, domain, maxResults, token string) ([]ApiMapping, string, error) {
	rec, err := s.viewDomain(ctx, "get api mappings", domain)
	if err != nil {
		return nil, "", err
	}
	return page(mapValues(rec.Mappings), func(m ApiMapping) string { return m.ApiMappingId }, token, maxResults)
}

// UpdateApiMapping changes the API, stage or key of an API mapping.
func (s *Service) UpdateApiMapping(ctx context.Context, in *ApiMappingInput) (*ApiMapping, error) {
	var out ApiMapping
	err := s.editDomain(ctx, "update api mapping", in.DomainName, func(tx storage.Tx, rec *domainRecord) error {
		m, err := mappingOf(rec, in.ApiMappingId)
		if err != nil {
			return err
		}
		m.ApiId = firstNonEmpty(in.ApiId, m.ApiId)
		if in.ApiMappingKey != nil {
			if m.ApiMappingKey, err = normalizeMappingKey(*in.ApiMappingKey); err != nil {
				return err
			}
		}
		if in.Stage != nil {
			m.Stage = *in.Stage
		}
		out = m
		return s.applyMapping(tx, rec, m)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteApiMapping deletes an API mapping.
func (s *Service) DeleteApiMapping(ctx context.Context, domain, id string) error {
	return s.editDomain(ctx, "delete api mapping", domain, func(_ storage.Tx, rec *domainRecord) error {
		if _, err := mappingOf(rec, id); err != nil {
			return err
		}
		delete(rec.Mappings, id)
		return nil
	})
}

// mappedBy returns an error naming the use when a custom domain maps the API (stage "") or one
// of its stages: API Gateway refuses to delete either while a mapping uses it.
func mappedBy(tx storage.Tx, api, stage string) error {
	_, recs, err := storage.ScanJSON[domainRecord](tx, domainPrefix, "", 0)
	if err != nil {
		return err
	}
	for _, rec := range recs {
		for _, m := range rec.Mappings {
			if m.ApiId != api || stage != "" && m.Stage != stage {
				continue
			}
			// AWS: "Deleting API <id> failed. Please remove all API mappings for the API from
			// your custom domain names." (gruntwork-io/cloud-nuke#370); the stage's wording is
			// modelled on it.
			if stage == "" {
				return badRequest("Deleting API %s failed. Please remove all API mappings for the API from your custom domain names.", api)
			}
			return badRequest("Deleting stage %s failed. Please remove all API mappings for the stage from your custom domain names.", stage)
		}
	}
	return nil
}

// ServedDomains returns every custom domain name with the API mappings that route its
// requests (none for a domain that routes by routing rules only).
func (s *Service) ServedDomains(ctx context.Context) ([]ServedDomain, error) {
	var out []ServedDomain
	err := s.view(ctx, func(tx storage.Tx) error {
		_, recs, err := storage.ScanJSON[domainRecord](tx, domainPrefix, "", 0)
		for _, r := range recs {
			d := ServedDomain{Name: r.Domain.DomainName}
			if r.Domain.RoutingMode != "ROUTING_RULE_ONLY" {
				d.Mappings = mapValues(r.Mappings)
			}
			out = append(out, d)
		}
		return err
	})
	return out, err
}
