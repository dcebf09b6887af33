package lambda

import (
	"context"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

// publish freezes $LATEST as a new version, unless the newest version already has the same
// code and configuration (Lambda then returns that version), and returns the version.
func (s *Service) publish(rec *functionRecord, description string) string {
	if rec.LastVersion > 0 {
		last := strconv.Itoa(rec.LastVersion)
		if prev, ok := rec.Versions[last]; ok && prev.CodeSha256 == rec.Latest.CodeSha256 &&
			sameConfig(prev, rec.Latest) && string(s.envBytes(rec, last)) == string(s.envBytes(rec, "$LATEST")) {
			return last
		}
	}
	rec.LastVersion++
	v := strconv.Itoa(rec.LastVersion)
	cfg := rec.Latest
	cfg.Version = v
	cfg.FunctionArn = rec.arn() + ":" + v
	cfg.Description = description
	cfg.RevisionId = s.uuid()
	if rec.Versions == nil {
		rec.Versions = map[string]FunctionConfiguration{}
	}
	rec.Versions[v] = cfg
	if env, err := s.openEnv(rec, "$LATEST"); err == nil && env != nil {
		s.sealEnv(rec, v, env)
	}
	rec.CodeHex[v] = rec.CodeHex["$LATEST"]
	return v
}

// envBytes returns a version's variables in a comparable form.
func (s *Service) envBytes(rec *functionRecord, version string) []byte {
	env, _ := s.openEnv(rec, version)
	if env == nil {
		return nil
	}
	b := []byte{}
	for _, k := range sortedKeys(env) {
		b = append(b, k...)
		b = append(b, 0)
		b = append(b, env[k]...)
		b = append(b, 0)
	}
	return b
}

// sameConfig reports whether two configurations run the same way.
func sameConfig(a, b FunctionConfiguration) bool {
	return a.Runtime == b.Runtime && a.Handler == b.Handler && a.Timeout == b.Timeout &&
		a.MemorySize == b.MemorySize && a.Role == b.Role
}

// PublishVersion publishes $LATEST as a version. codeSha256, when set, must match $LATEST.
func (s *Service) PublishVersion(ctx context.Context, id, codeSha256, description, revision string) (*FunctionConfiguration, error) {
	var v string
	rec, err := s.edit(ctx, "publish version", id, revision, func(_ storage.Tx, rec *functionRecord) (bool, error) {
		if codeSha256 != "" && codeSha256 != rec.Latest.CodeSha256 {
			return false, awserr.Newf(ErrInvalidParameter, "CodeSHA256 (%s) is different from current CodeSHA256 in $LATEST (%s). Please try again with the CodeSHA256 in $LATEST.", codeSha256, rec.Latest.CodeSha256)
		}
		before := rec.LastVersion
		v = s.publish(rec, description)
		return rec.LastVersion != before, nil
	})
	if err != nil {
		return nil, err
	}
	out := s.view(rec, v)
	return &out, nil
}

// ListVersionsByFunction lists $LATEST and the published versions.
func (s *Service) ListVersionsByFunction(ctx context.Context, id, marker string, max int) ([]FunctionConfiguration, string, error) {
	rec, _, err := s.getFunction(ctx, id, "")
	if err != nil {
		return nil, "", err
	}
	out := []FunctionConfiguration{s.view(rec, "$LATEST")}
	for _, v := range versionNumbers(rec) {
		out = append(out, s.view(rec, v))
	}
	return pageOf(out, func(c FunctionConfiguration) string { return c.Version }, marker, max)
}

// AliasInput is the input of CreateAlias and UpdateAlias (nil pointers unchanged).
type AliasInput struct {
	FunctionName, Name string
	FunctionVersion    *string
	Description        *string
	RoutingConfig      *AliasRoutingConfig
	RevisionId         string
}

// checkAlias validates an alias's target and routing against the function's versions.
func (s *Service) checkAlias(rec *functionRecord, a *AliasConfiguration) error {
	if a.FunctionVersion != "$LATEST" {
		if _, ok := rec.Versions[a.FunctionVersion]; !ok {
			return s.errFunctionNotFound(rec.name(), a.FunctionVersion)
		}
	}
	if a.RoutingConfig == nil {
		return nil
	}
	w := a.RoutingConfig.AdditionalVersionWeights
	if len(w) > 1 {
		return invalid("Number of items in AdditionalVersionWeights cannot be greater than 1")
	}
	for v, weight := range w {
		if weight < 0 || weight > 1 {
			return validation(weight, "routingConfig.additionalVersionWeights", "Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0]")
		}
		if a.FunctionVersion == "$LATEST" {
			return invalid("$LATEST is not supported for an alias pointing to more than 1 version")
		}
		if v == a.FunctionVersion {
			return invalid("Invalid function version %s. Function version %s is already included in routing configuration.", v, v)
		}
		if _, ok := rec.Versions[v]; !ok {
			return s.errFunctionNotFound(rec.name(), v)
		}
	}
	return nil
}

// CreateAlias creates an alias of a version.
func (s *Service) CreateAlias(ctx context.Context, in *AliasInput) (*AliasConfiguration, error) {
	if isNumber(in.Name) {
		// The model's pattern (?!^[0-9]+$)([a-zA-Z0-9-_]+): an alias must not look like a version.
		return nil, validation(in.Name, "name", "Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)")
	}
	var out AliasConfiguration
	_, err := s.edit(ctx, "create alias", in.FunctionName, "", func(_ storage.Tx, rec *functionRecord) (bool, error) {
		if _, ok := rec.Aliases[in.Name]; ok {
			return false, awserr.Newf(ErrConflict, "Alias already exists: %s", qualified(rec.arn(), in.Name))
		}
		a := AliasConfiguration{AliasArn: qualified(rec.arn(), in.Name), Name: in.Name, FunctionVersion: deref(in.FunctionVersion),
			Description: deref(in.Description), RoutingConfig: in.RoutingConfig, RevisionId: s.uuid()}
		if err := s.checkAlias(rec, &a); err != nil {
			return false, err
		}
		if rec.Aliases == nil {
			rec.Aliases = map[string]AliasConfiguration{}
		}
		rec.Aliases[in.Name] = a
		out = a
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// GetAlias returns an alias.
func (s *Service) GetAlias(ctx context.Context, id, name string) (*AliasConfiguration, error) {
	rec, _, err := s.getFunction(ctx, id, "")
	if err != nil {
		return nil, err
	}
	a, ok := rec.Aliases[name]
	if !ok {
		return nil, awserr.Newf(ErrNotFound, "Cannot find alias arn: %s", qualified(rec.arn(), name))
	}
	return &a, nil
}

// UpdateAlias changes an alias.
func (s *Service) UpdateAlias(ctx context.Context, in *AliasInput) (*AliasConfiguration, error) {
	var out AliasConfiguration
	_, err := s.edit(ctx, "update alias", in.FunctionName, "", func(_ storage.Tx, rec *functionRecord) (bool, error) {
		a, ok := rec.Aliases[in.Name]
		if !ok {
			return false, awserr.Newf(ErrNotFound, "Cannot find alias arn: %s", qualified(rec.arn(), in.Name))
		}
		if in.RevisionId != "" && in.RevisionId != a.RevisionId {
			return false, awserr.New(ErrPreconditionFailed, "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id")
		}
		if in.FunctionVersion != nil {
			a.FunctionVersion = *in.FunctionVersion
		}
		if in.Description != nil {
			a.Description = *in.Description
		}
		if in.RoutingConfig != nil {
			a.RoutingConfig = in.RoutingConfig
			if len(in.RoutingConfig.AdditionalVersionWeights) == 0 {
				a.RoutingConfig = nil
			}
		}
		if err := s.checkAlias(rec, &a); err != nil {
			return false, err
		}
		a.RevisionId = s.uuid()
		rec.Aliases[in.Name] = a
		out = a
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteAlias deletes an alias (deleting a missing alias succeeds, as in Lambda).
func (s *Service) DeleteAlias(ctx context.Context, id, name string) error {
	_, err := s.edit(ctx, "delete alias", id, "", func(_ storage.Tx, rec *functionRecord) (bool, error) {
		if _, ok := rec.Aliases[name]; !ok {
			return false, nil
		}
		delete(rec.Aliases, name)
		delete(rec.Policies, name)
		return true, nil
	})
	return err
}

// ListAliases lists a function's aliases, those of one version when version is set.
func (s *Service) ListAliases(ctx context.Context, id, version, marker string, max int) ([]AliasConfiguration, string, error) {
	rec, _, err := s.getFunction(ctx, id, "")
	if err != nil {
		return nil, "", err
	}
	var out []AliasConfiguration
	for _, n := range sortedKeys(rec.Aliases) {
		if a := rec.Aliases[n]; version == "" || a.FunctionVersion == version {
			out = append(out, a)
		}
	}
	return pageOf(out, func(a AliasConfiguration) string { return a.Name }, marker, max)
}

// pickVersion applies an alias's weighted routing: the additional version gets its share.
func pickVersion(a AliasConfiguration) string {
	if a.RoutingConfig != nil {
		for v, w := range a.RoutingConfig.AdditionalVersionWeights {
			if rand.Float64() < w {
				return v
			}
		}
	}
	return a.FunctionVersion
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
