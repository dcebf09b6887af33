package lambda

import (
	"context"
	"encoding/json"
	"path"
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

// Statement is one statement of a function's resource policy, as Lambda renders it.
type Statement struct {
	Sid       string                       `json:"Sid"`
	Effect    string                       `json:"Effect"`
	Principal any                          `json:"Principal"`
	Action    string                       `json:"Action"`
	Resource  string                       `json:"Resource"`
	Condition map[string]map[string]string `json:"Condition,omitempty"`
}

// PermissionInput is AddPermission's input.
type PermissionInput struct {
	FunctionName, Qualifier, StatementId, Action, Principal    string
	SourceArn, SourceAccount, EventSourceToken, PrincipalOrgID string
	FunctionUrlAuthType, RevisionId                            string
}

// principalOf renders AddPermission's Principal as a policy principal.
func principalOf(p string) any {
	switch {
	case p == "*":
		return "*"
	case strings.HasSuffix(p, ".amazonaws.com") || strings.HasSuffix(p, ".amazonaws.com.cn"):
		return map[string]string{"Service": p}
	case isNumber(p) && len(p) == 12:
		return map[string]string{"AWS": "arn:aws:iam::" + p + ":root"}
	default:
		return map[string]string{"AWS": p}
	}
}

// AddPermission adds a statement to the resource policy of a function, version or alias,
// and returns the statement's JSON.
func (s *Service) AddPermission(ctx context.Context, in *PermissionInput) (string, error) {
	var out []byte
	_, err := s.edit(ctx, "add permission", in.FunctionName, in.RevisionId, func(_ storage.Tx, rec *functionRecord) (bool, error) {
		if in.Qualifier != "" {
			if _, err := s.resolve(rec, in.Qualifier); err != nil {
				return false, err
			}
		}
		for _, st := range rec.Policies[in.Qualifier] {
			if st.Sid == in.StatementId {
				return false, awserr.New(ErrConflict, "The statement id ("+in.StatementId+") provided already exists. Please provide a new statement id, or remove the existing statement.")
			}
		}
		st := Statement{Sid: in.StatementId, Effect: "Allow", Principal: principalOf(in.Principal), Action: in.Action,
			Resource: qualified(rec.arn(), in.Qualifier)}
		cond := map[string]map[string]string{}
		add := func(op, key, val string) {
			if val == "" {
				return
			}
			if cond[op] == nil {
				cond[op] = map[string]string{}
			}
			cond[op][key] = val
		}
		add("ArnLike", "AWS:SourceArn", in.SourceArn)
		add("StringEquals", "AWS:SourceAccount", in.SourceAccount)
		add("StringEquals", "lambda:EventSourceToken", in.EventSourceToken)
		add("StringEquals", "aws:PrincipalOrgID", in.PrincipalOrgID)
		add("StringEquals", "lambda:FunctionUrlAuthType", in.FunctionUrlAuthType)
		if len(cond) > 0 {
			st.Condition = cond
		}
		if rec.Policies == nil {
			rec.Policies = map[string][]Statement{}
		}
		rec.Policies[in.Qualifier] = append(rec.Policies[in.Qualifier], st)
		rec.Latest.RevisionId = s.uuid()
		out, _ = json.Marshal(st)
		return true, nil
	})
	if err != nil {
		return "", err
	}
	return string(out), nil
}

// RemovePermission removes a statement from a resource policy.
func (s *Service) RemovePermission(ctx context.Context, id, qualifier, sid, revision string) error {
	_, err := s.edit(ctx, "remove permission", id, revision, func(_ storage.Tx, rec *functionRecord) (bool, error) {
		sts := rec.Policies[qualifier]
		for i, st := range sts {
			if st.Sid == sid {
				rec.Policies[qualifier] = append(sts[:i:i], sts[i+1:]...)
				if len(rec.Policies[qualifier]) == 0 {
					delete(rec.Policies, qualifier)
				}
				rec.Latest.RevisionId = s.uuid()
				return true, nil
			}
		}
		return false, awserr.New(ErrNotFound, "Statement "+sid+" is not found in resource policy.")
	})
	return err
}

// GetPolicy returns the resource policy of a function, version or alias as JSON, and the
// function's revision.
func (s *Service) GetPolicy(ctx context.Context, id, qualifier string) (policy, revision string, err error) {
	rec, q, _, err := s.getVersion(ctx, id, qualifier)
	if err != nil {
		return "", "", err
	}
	sts := rec.Policies[q]
	if len(sts) == 0 {
		return "", "", awserr.New(ErrNotFound, "The resource you requested does not exist.")
	}
	b, _ := json.Marshal(struct {
		Version   string      `json:"Version"`
		Id        string      `json:"Id"`
		Statement []Statement `json:"Statement"`
	}{"2012-10-17", "default", sts})
	return string(b), rec.Latest.RevisionId, nil
}

// mayInvoke reports whether a service principal may invoke a function (under qualifier).
// A function without any policy statement for that qualifier admits every caller: local
// functions are usually created without the AddPermission calls AWS needs, and a policy,
// once present, is enforced as Lambda enforces it.
func mayInvoke(rec *functionRecord, qualifier string, in *InvokeInput) bool {
	sts := rec.Policies[qualifier]
	if len(sts) == 0 {
		return true
	}
	for _, st := range sts {
		if st.Effect == "Allow" && actionAllows(st.Action) && principalAllows(st.Principal, in.Principal) && conditionsHold(st.Condition, in) {
			return true
		}
	}
	return false
}

func actionAllows(a string) bool {
	return a == "lambda:InvokeFunction" || a == "lambda:*" || a == "*"
}

func principalAllows(p any, service string) bool {
	switch v := p.(type) {
	case string:
		return v == "*"
	case map[string]any:
		svc, _ := v["Service"].(string)
		return svc == service
	case map[string]string:
		return v["Service"] == service
	}
	return false
}

// conditionsHold evaluates the condition operators AddPermission writes.
func conditionsHold(cond map[string]map[string]string, in *InvokeInput) bool {
	for op, kv := range cond {
		for k, want := range kv {
			var have string
			switch strings.ToLower(k) {
			case "aws:sourcearn":
				have = in.SourceArn
			case "aws:sourceaccount":
				have = in.SourceAccount
			default:
				return false
			}
			switch op {
			case "ArnLike", "StringLike":
				if ok, _ := path.Match(globToPath(want), globToPath(have)); !ok {
					return false
				}
			case "ArnEquals", "StringEquals":
				if have != want {
					return false
				}
			default:
				return false
			}
		}
	}
	return true
}

// globToPath makes an IAM wildcard pattern matchable with path.Match: IAM's * and ? cross
// "/", so slashes are replaced by a character path.Match treats as ordinary.
func globToPath(s string) string {
	return strings.NewReplacer("/", "\x00", "[", "\\[", "]", "\\]", "\\", "\\\\").Replace(s)
}
