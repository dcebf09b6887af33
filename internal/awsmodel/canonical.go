package awsmodel

import (
	"encoding/json"
)

// CanonicalJSON returns the JSON body of a request to op with every object key that is not
// exactly the name of a member removed, at every depth (map keys are kept). AWS matches member
// names case-sensitively and ignores unknown ones, while encoding/json matches struct fields
// case-insensitively: decoding the canonical body makes a Go decoder see exactly the members
// ValidateJSON checked, so {"MaxResults":10,"maxResults":0} cannot smuggle an unchecked value
// past validation. Call it after ValidateJSON has accepted body; an empty body stays empty.
func (m *Model) CanonicalJSON(op string, body []byte) ([]byte, error) {
	o, ok := m.ops[op]
	if !ok || o.input == nil || o.input.Payload != "" {
		return body, nil
	}
	obj, err := decodeBody(body)
	if err != nil || obj == nil {
		return body, err
	}
	return json.Marshal(prune(o.input, obj))
}

// ValidateCanonicalJSON (validate.go) does ValidateJSON and CanonicalJSON with one parse.

// prune keeps the parts of v that shape s defines.
func prune(s *Shape, v any) any {
	if s == nil {
		return v
	}
	switch s.Type {
	case "structure":
		obj, ok := v.(map[string]any)
		if !ok {
			return v
		}
		out := make(map[string]any, len(obj))
		for k, val := range obj {
			if mb, ok := s.jsonIdx[k]; ok {
				out[k] = prune(mb.target, val)
			}
		}
		return out
	case "list":
		arr, ok := v.([]any)
		if !ok {
			return v
		}
		out := make([]any, len(arr))
		for i, e := range arr {
			out[i] = prune(s.elem, e)
		}
		return out
	case "map":
		obj, ok := v.(map[string]any)
		if !ok {
			return v
		}
		out := make(map[string]any, len(obj))
		for k, val := range obj {
			out[k] = prune(s.val, val)
		}
		return out
	}
	return v
}
