package awsmodel

// Canonical bodies: AWS matches member names case-sensitively and ignores unknown ones, while
// encoding/json matches struct fields case-insensitively. ValidateCanonicalJSON (validate.go)
// therefore returns the body with every key that is not exactly a member name removed, at every
// depth (map keys are kept), so a Go decoder sees exactly the members validation checked and
// {"MaxResults":10,"maxResults":0} cannot smuggle an unchecked value past it.

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
