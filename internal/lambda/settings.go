package lambda

import (
	"context"
	"maps"
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

// Account limits Lambda reports.
const (
	accountConcurrency = 1000
	minUnreserved      = 100
	totalCodeSize      = 80530636800
)

// PutFunctionConcurrency reserves concurrency for a function (0 stops its invocations).
func (s *Service) PutFunctionConcurrency(ctx context.Context, id string, n int) (int, error) {
	err := s.Store.Update(ctx, func(tx storage.Tx) error {
		name, q, ok := s.ParseFunction(id)
		if !ok || q != "" {
			return awserr.Newf(ErrNotFound, "Function not found: %s", id)
		}
		_, recs, err := storage.ScanJSON[functionRecord](tx, fnPrefix, "", 0)
		if err != nil {
			return err
		}
		reserved := 0
		found := false
		for i := range recs {
			if recs[i].name() == name {
				found = true
				continue
			}
			if recs[i].Reserved != nil {
				reserved += *recs[i].Reserved
			}
		}
		if !found {
			return s.errFunctionNotFound(name, "")
		}
		if accountConcurrency-reserved-n < minUnreserved {
			return invalid("Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [%d].", minUnreserved)
		}
		rec, err := s.load(tx, name)
		if err != nil {
			return err
		}
		rec.Reserved = &n
		return storage.PutJSON(tx, fnKey(name), rec)
	})
	if err != nil {
		return 0, awserr.Wrap("put function concurrency", err)
	}
	return n, nil
}

// GetFunctionConcurrency returns a function's reserved concurrency (nil when none).
func (s *Service) GetFunctionConcurrency(ctx context.Context, id string) (*int, error) {
	rec, _, err := s.getFunction(ctx, id, "")
	if err != nil {
		return nil, err
	}
	return rec.Reserved, nil
}

// DeleteFunctionConcurrency removes a function's reservation.
func (s *Service) DeleteFunctionConcurrency(ctx context.Context, id string) error {
	_, err := s.edit(ctx, "delete function concurrency", id, "", func(_ storage.Tx, rec *functionRecord) (bool, error) {
		rec.Reserved = nil
		return true, nil
	})
	return err
}

// AccountSettings is GetAccountSettings' result.
type AccountSettings struct {
	AccountLimit struct {
		TotalCodeSize                  int64 `json:"TotalCodeSize"`
		CodeSizeUnzipped               int64 `json:"CodeSizeUnzipped"`
		CodeSizeZipped                 int64 `json:"CodeSizeZipped"`
		ConcurrentExecutions           int   `json:"ConcurrentExecutions"`
		UnreservedConcurrentExecutions int   `json:"UnreservedConcurrentExecutions"`
	} `json:"AccountLimit"`
	AccountUsage struct {
		TotalCodeSize int64 `json:"TotalCodeSize"`
		FunctionCount int64 `json:"FunctionCount"`
	} `json:"AccountUsage"`
}

// GetAccountSettings reports the account's limits and usage.
func (s *Service) GetAccountSettings(ctx context.Context) (*AccountSettings, error) {
	out := &AccountSettings{}
	out.AccountLimit.TotalCodeSize = totalCodeSize
	out.AccountLimit.CodeSizeUnzipped = maxUnzipped
	out.AccountLimit.CodeSizeZipped = maxZipped
	out.AccountLimit.ConcurrentExecutions = accountConcurrency
	reserved := 0
	err := s.Store.View(ctx, func(tx storage.Tx) error {
		_, recs, err := storage.ScanJSON[functionRecord](tx, fnPrefix, "", 0)
		if err != nil {
			return err
		}
		for i := range recs {
			out.AccountUsage.FunctionCount++
			if recs[i].Reserved != nil {
				reserved += *recs[i].Reserved
			}
			seen := map[string]bool{}
			for v, h := range recs[i].CodeHex {
				if !seen[h] {
					seen[h] = true
					cfg := recs[i].Latest
					if v != "$LATEST" {
						cfg = recs[i].Versions[v]
					}
					out.AccountUsage.TotalCodeSize += cfg.CodeSize
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, awserr.Wrap("get account settings", err)
	}
	out.AccountLimit.UnreservedConcurrentExecutions = accountConcurrency - reserved
	return out, nil
}

// taggable resolves a function ARN (unqualified) to the function's name.
func (s *Service) taggable(arn string) (string, error) {
	name, q, ok := s.ParseFunction(arn)
	if !ok || q != "" || !strings.HasPrefix(arn, "arn:") {
		return "", awserr.Newf(ErrNotFound, "Function not found: %s", arn)
	}
	return name, nil
}

// TagResource adds or replaces tags of a function.
func (s *Service) TagResource(ctx context.Context, arn string, tags map[string]string) error {
	name, err := s.taggable(arn)
	if err != nil {
		return err
	}
	_, err = s.edit(ctx, "tag resource", name, "", func(_ storage.Tx, rec *functionRecord) (bool, error) {
		next := maps.Clone(rec.Tags)
		if next == nil {
			next = map[string]string{}
		}
		maps.Copy(next, tags)
		if len(next) > 50 {
			return false, invalid("Number of tags exceeds resource tag limit.")
		}
		rec.Tags = next
		return true, nil
	})
	return err
}

// UntagResource removes tags of a function.
func (s *Service) UntagResource(ctx context.Context, arn string, keys []string) error {
	name, err := s.taggable(arn)
	if err != nil {
		return err
	}
	_, err = s.edit(ctx, "untag resource", name, "", func(_ storage.Tx, rec *functionRecord) (bool, error) {
		for _, k := range keys {
			delete(rec.Tags, k)
		}
		return true, nil
	})
	return err
}

// ListTags returns the tags of a function.
func (s *Service) ListTags(ctx context.Context, arn string) (map[string]string, error) {
	name, err := s.taggable(arn)
	if err != nil {
		return nil, err
	}
	rec, _, err := s.getFunction(ctx, name, "")
	if err != nil {
		return nil, err
	}
	if rec.Tags == nil {
		return map[string]string{}, nil
	}
	return rec.Tags, nil
}
