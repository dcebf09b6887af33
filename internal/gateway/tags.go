package gateway

import (
	"context"
	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"maps"
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

// Tag limits of API Gateway.
const (
	maxTags        = 50
	maxTagKeyLen   = 128
	maxTagValueLen = 256
)

// tagTarget is what a resource ARN names: an API, one of its stages, or a custom domain name.
type tagTarget struct{ api, stage, domain string }

// taggable resolves a resource ARN (arn:aws:apigateway:<region>::/apis/<id>,
// .../apis/<id>/stages/<name> or .../domainnames/<name>) to what it names.
func (s *Service) taggable(arn string) (tagTarget, error) {
	base := "arn:aws:apigateway:" + s.Region + "::/"
	invalid := notFound("Invalid resource ARN specified %s", arn)
	if name, ok := strings.CutPrefix(arn, base+"domainnames/"); ok {
		if name == "" || strings.Contains(name, "/") {
			return tagTarget{}, invalid
		}
		return tagTarget{domain: name}, nil
	}
	rest, ok := strings.CutPrefix(arn, base+"apis/")
	if !ok || rest == "" {
		return tagTarget{}, invalid
	}
	api, tail, _ := strings.Cut(rest, "/")
	if tail == "" {
		return tagTarget{api: api}, nil
	}
	stage, ok := strings.CutPrefix(tail, "stages/")
	if !ok || stage == "" || strings.Contains(stage, "/") {
		return tagTarget{}, invalid
	}
	return tagTarget{api: api, stage: stage}, nil
}

// tagsOf returns the tags of what t names: in dom when it is set, else in the API record rec
// (the API's or a stage's). It makes the map, so that the caller may add to it;
// NotFoundException for a missing stage.
func tagsOf(t tagTarget, rec *apiRecord, dom *domainRecord) (map[string]string, error) {
	switch {
	case dom != nil:
		dom.Domain.Tags = nonNil(dom.Domain.Tags)
		return dom.Domain.Tags, nil
	case t.stage == "":
		rec.Api.Tags = nonNil(rec.Api.Tags)
		return rec.Api.Tags, nil
	}
	st, ok := rec.Stages[t.stage]
	if !ok {
		return nil, errChildNotFound("Stage", t.stage)
	}
	st.Tags = nonNil(st.Tags)
	rec.Stages[t.stage] = st
	return st.Tags, nil
}

// editTags changes the tags of an API, stage or custom domain name.
func (s *Service) editTags(ctx context.Context, op, arn string, fn func(tags map[string]string) error) error {
	t, err := s.taggable(arn)
	if err != nil {
		return err
	}
	if t.domain != "" {
		return s.editDomain(ctx, op, t.domain, func(_ storage.Tx, rec *domainRecord) error {
			tags, _ := tagsOf(t, nil, rec)
			return fn(tags)
		})
	}
	return s.editAPI(ctx, op, t.api, false, func(_ storage.Tx, rec *apiRecord) error {
		tags, err := tagsOf(t, rec, nil)
		if err != nil {
			return err
		}
		return fn(tags)
	})
}

// TagResource adds or replaces tags of an API, stage or custom domain name.
func (s *Service) TagResource(ctx context.Context, arn string, tags map[string]string) error {
	for k, v := range tags {
		if k == "" || len(k) > maxTagKeyLen || strings.HasPrefix(strings.ToLower(k), "aws:") {
			return badRequest("Invalid tag key %s", k)
		}
		if len(v) > maxTagValueLen {
			return badRequest("Invalid tag value for key %s", k)
		}
	}
	return s.editTags(ctx, "tag resource", arn, func(cur map[string]string) error {
		next := maps.Clone(cur)
		maps.Copy(next, tags)
		if len(next) > maxTags {
			return badRequest("A resource can have at most %d tags", maxTags)
		}
		maps.Copy(cur, tags)
		return nil
	})
}

// UntagResource removes tags of an API, stage or custom domain name.
func (s *Service) UntagResource(ctx context.Context, arn string, keys []string) error {
	return s.editTags(ctx, "untag resource", arn, func(cur map[string]string) error {
		for _, k := range keys {
			delete(cur, k)
		}
		return nil
	})
}

// GetTags returns the tags of an API, stage or custom domain name.
func (s *Service) GetTags(ctx context.Context, arn string) (map[string]string, error) {
	t, err := s.taggable(arn)
	if err != nil {
		return nil, err
	}
	var out map[string]string
	err = s.view(ctx, func(tx storage.Tx) error {
		if t.domain != "" {
			dom, err := getDomain(tx, t.domain)
			if err == nil {
				out, err = tagsOf(t, nil, &dom)
			}
			return err
		}
		rec, err := s.getAPI(tx, t.api)
		if err == nil {
			out, err = tagsOf(t, &rec, nil)
		}
		return err
	})
	if err != nil {
		return nil, awserr.Wrap("get tags", err)
	}
	return out, nil
}
