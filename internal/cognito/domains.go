package cognito

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

// DomainInput is CreateUserPoolDomainRequest and UpdateUserPoolDomainRequest.
type DomainInput struct {
	Domain              string          `json:"Domain"`
	UserPoolId          string          `json:"UserPoolId"`
	ManagedLoginVersion *int            `json:"ManagedLoginVersion,omitempty"`
	CustomDomainConfig  json.RawMessage `json:"CustomDomainConfig,omitempty"`
}

// DomainOutput is CreateUserPoolDomainResponse and UpdateUserPoolDomainResponse.
type DomainOutput struct {
	ManagedLoginVersion *int   `json:"ManagedLoginVersion,omitempty"`
	CloudFrontDomain    string `json:"CloudFrontDomain,omitempty"`
}

// prefixDomainRE is the model's DomainType pattern, which applies to prefix domains only.
var prefixDomainRE = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$`)

// customDomainRE accepts a fully qualified, lower- or upper-case DNS name of two labels or more.
var customDomainRE = regexp.MustCompile(`^(?i)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$`)

// checkDomainName validates Domain: a prefix domain must match the model's DomainType pattern
// (reported as AWS reports model violations), a custom domain must be a DNS name.
func checkDomainName(d string, custom bool) error {
	if custom {
		if len(d) > 253 || !customDomainRE.MatchString(d) {
			return errInvalidParam("Invalid custom domain name: %s", d)
		}
		return nil
	}
	if !prefixDomainRE.MatchString(d) {
		return errInvalidParam("1 validation error detected: Value '%s' at 'domain' failed to satisfy constraint: Member must satisfy regular expression pattern: %s", d, prefixDomainRE.String())
	}
	return nil
}

// domainVersion is the fixed version string DescribeUserPoolDomain reports.
const domainVersion = "20190128175402"

func (s *Service) cloudFront() string {
	return "d" + s.randomString(13, lowerAlnum) + ".cloudfront.net"
}

// CreateUserPoolDomain gives a pool its hosted-login domain: a prefix domain, or a custom
// domain when CustomDomainConfig is set.
func (s *Service) CreateUserPoolDomain(ctx context.Context, in *DomainInput) (*DomainOutput, error) {
	custom := len(in.CustomDomainConfig) > 0
	if err := checkDomainName(in.Domain, custom); err != nil {
		return nil, err
	}
	if !custom {
		for _, w := range []string{"aws", "amazon", "cognito"} {
			if strings.Contains(in.Domain, w) {
				return nil, errInvalidParam("Domain cannot contain reserved word: %s", w)
			}
		}
	}
	version := deref(in.ManagedLoginVersion, 1)
	if version != 1 && version != 2 {
		return nil, errInvalidParam("ManagedLoginVersion must be 1 or 2.")
	}
	var out DomainOutput
	err := s.update(ctx, func(tx storage.Tx) error {
		rec, err := getPool(tx, in.UserPoolId)
		if err != nil {
			return err
		}
		if (custom && rec.Pool.CustomDomain != "") || (!custom && rec.Pool.Domain != "") {
			return errInvalidParam("User pool already has a domain configured.")
		}
		d := DomainDescription{UserPoolId: in.UserPoolId, AWSAccountId: s.AccountID, Domain: in.Domain,
			S3Bucket: "aws-cognito-prod-" + s.Region + "-assets", CloudFrontDistribution: s.cloudFront(),
			Version: domainVersion, Status: "ACTIVE", CustomDomainConfig: in.CustomDomainConfig, ManagedLoginVersion: ptr(version)}
		if err := storage.InsertJSON(tx, domainKey(in.Domain), d); errors.Is(err, storage.ErrAlreadyExists) {
			return errInvalidParam("Domain already associated with another user pool.")
		} else if err != nil {
			return err
		}
		if custom {
			rec.Pool.CustomDomain = in.Domain
			out.CloudFrontDomain = d.CloudFrontDistribution
		} else {
			rec.Pool.Domain = in.Domain
		}
		out.ManagedLoginVersion = ptr(version)
		return storage.PutJSON(tx, poolKey(in.UserPoolId), rec)
	})
	if err != nil {
		return nil, internal("create user pool domain", err)
	}
	return &out, nil
}

// DescribeUserPoolDomain describes a domain; an unknown domain yields an empty description.
func (s *Service) DescribeUserPoolDomain(ctx context.Context, domain string) (*DomainDescription, error) {
	var d DomainDescription
	err := s.view(ctx, func(tx storage.Tx) error {
		var err error
		d, err = storage.GetJSON[DomainDescription](tx, domainKey(domain))
		if isNotFound(err) {
			d = DomainDescription{}
			return nil
		}
		return err
	})
	if err != nil {
		return nil, internal("describe user pool domain", err)
	}
	return &d, nil
}

// UpdateUserPoolDomain changes a domain's certificate or managed-login version.
func (s *Service) UpdateUserPoolDomain(ctx context.Context, in *DomainInput) (*DomainOutput, error) {
	var out DomainOutput
	err := s.update(ctx, func(tx storage.Tx) error {
		d, err := s.poolDomain(tx, in.UserPoolId, in.Domain)
		if err != nil {
			return err
		}
		if in.ManagedLoginVersion != nil {
			if *in.ManagedLoginVersion != 1 && *in.ManagedLoginVersion != 2 {
				return errInvalidParam("ManagedLoginVersion must be 1 or 2.")
			}
			d.ManagedLoginVersion = in.ManagedLoginVersion
		}
		if len(in.CustomDomainConfig) > 0 {
			if len(d.CustomDomainConfig) == 0 {
				return errInvalidParam("CustomDomainConfig can only be updated for custom domains.")
			}
			d.CustomDomainConfig = in.CustomDomainConfig
			out.CloudFrontDomain = d.CloudFrontDistribution
		}
		out.ManagedLoginVersion = d.ManagedLoginVersion
		return storage.PutJSON(tx, domainKey(in.Domain), d)
	})
	if err != nil {
		return nil, internal("update user pool domain", err)
	}
	return &out, nil
}

// poolDomain loads a domain and checks it belongs to pool.
func (s *Service) poolDomain(tx storage.Tx, pool, domain string) (DomainDescription, error) {
	if _, err := getPool(tx, pool); err != nil {
		return DomainDescription{}, err
	}
	d, err := storage.GetJSON[DomainDescription](tx, domainKey(domain))
	if isNotFound(err) || (err == nil && d.UserPoolId != pool) {
		return d, awserr.Newf(awserr.ResourceNotFound, "The domain %s does not exist in user pool %s.", domain, pool)
	}
	return d, err
}

// DeleteUserPoolDomain removes a pool's domain.
func (s *Service) DeleteUserPoolDomain(ctx context.Context, pool, domain string) error {
	err := s.update(ctx, func(tx storage.Tx) error {
		if _, err := s.poolDomain(tx, pool, domain); err != nil {
			return err
		}
		rec, err := getPool(tx, pool)
		if err != nil {
			return err
		}
		if rec.Pool.Domain == domain {
			rec.Pool.Domain = ""
		}
		if rec.Pool.CustomDomain == domain {
			rec.Pool.CustomDomain = ""
		}
		if err := storage.PutJSON(tx, poolKey(pool), rec); err != nil {
			return err
		}
		return tx.Delete(domainKey(domain))
	})
	return internal("delete user pool domain", err)
}
