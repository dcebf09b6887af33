package gateway

import (
	"context"
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

// taggable resolves a resource ARN (arn:aws:apigateway:<region>::/apis/<id> or
// .../apis/<id>/stages/<name>) to its API id and stage name ("" for the API itself).
func (s *Service) taggable(arn string) (api, stage string, err error) {
	prefix := "arn:aws:apigateway:" + s.Region + "::/apis/"
	rest, ok := strings.CutPrefix(arn, prefix)
	if !ok || rest == "" {
		return "", "", notFound("Invalid resource ARN specified %s", arn)
	}
	api, tail, _ := strings.Cut(rest, "/")
	if tail == "" {
		return api, "", nil
	}
	stage, ok = strings.CutPrefix(tail, "stages/")
	if !ok || stage == "" || strings.Contains(stage, "/") {
		return "", "", notFound("Invalid resource ARN specified %s", arn)
	}
	return api, stage, nil
}

// editTags changes the tags of an API or stage.
func (s *Service) editTags(ctx context.Context, op, arn string, fn func(tags map[string]string) error) error {
	api, stage, err := s.taggable(arn)
	if err != nil {
		return err
	}
	return s.editAPI(ctx, op, api, false, func(_ storage.Tx, rec *apiRecord) error {
		if stage == "" {
			rec.Api.Tags = nonNil(rec.Api.Tags)
			return fn(rec.Api.Tags)
		}
		st, ok := rec.Stages[stage]
		if !ok {
			return errChildNotFound("Stage", stage)
		}
		st.Tags = nonNil(st.Tags)
		if err := fn(st.Tags); err != nil {
			return err
		}
		rec.Stages[stage] = st
		return nil
	})
}

// TagResource adds or replaces tags of an API or stage.
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

// UntagResource removes tags of an API or stage.
func (s *Service) UntagResource(ctx context.Context, arn string, keys []string) error {
	return s.editTags(ctx, "untag resource", arn, func(cur map[string]string) error {
		for _, k := range keys {
			delete(cur, k)
		}
		return nil
	})
}

// GetTags returns the tags of an API or stage.
func (s *Service) GetTags(ctx context.Context, arn string) (map[string]string, error) {
	api, stage, err := s.taggable(arn)
	if err != nil {
		return nil, err
	}
	var out map[string]string
	err = s.view(ctx, func(tx storage.Tx) error {
		rec, err := s.getAPI(tx, api)
		if err != nil {
			return err
		}
		if stage == "" {
			out = nonNil(rec.Api.Tags)
			return nil
		}
		st, ok := rec.Stages[stage]
		if !ok {
			return errChildNotFound("Stage", stage)
		}
		out = nonNil(st.Tags)
		return nil
	})
	if err != nil {
		return nil, wrap("get tags", err)
	}
	return out, nil
}
