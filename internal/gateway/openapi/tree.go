package openapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// The document tree both decoders produce and the encoders consume. A value is one of:
// string, number, bool, nil, object or []any.

// number is a numeric literal as written (JSON) or resolved (YAML !!int and !!float).
type number string

// member is one key and value of an object.
type member struct {
	key string
	val any
}

// object is a JSON object or YAML mapping that keeps its members in document order.
type object []member

// get returns the value of key and whether the object has it.
func (o object) get(key string) (any, bool) {
	for _, m := range o {
		if m.key == key {
			return m.val, true
		}
	}
	return nil, false
}

// Limits on the work one document may cause.
const (
	// MaxBodySize is the largest definition Import accepts, in bytes (API Gateway's 6 MB limit
	// on an imported API definition).
	MaxBodySize = 6 << 20
	// maxDepth is how deeply objects and arrays may nest.
	maxDepth = 128
)

// errTooDeep and errTooBig stop a decode; Import reports them as invalid input.
var (
	errTooDeep = errors.New("nested too deeply")
	errTooBig  = errors.New("too many nodes")
	errDupKey  = errors.New("duplicate key")
)

// decode parses body as JSON when its first non-blank byte is '{' and as YAML otherwise.
func decode(body []byte) (any, error) {
	trimmed := bytes.TrimLeft(body, " \t\r\n\ufeff")
	if len(trimmed) > 0 && trimmed[0] == '{' {
		return decodeJSON(trimmed)
	}
	return decodeYAML(body)
}

// decodeJSON reads one JSON value, keeping object member order, and rejects trailing data.
func decodeJSON(body []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	v, err := jsonValue(d, 0)
	if err != nil {
		return nil, err
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, errors.New("trailing data after the document")
	}
	return v, nil
}

func jsonValue(d *json.Decoder, depth int) (any, error) {
	tok, err := d.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if depth >= maxDepth {
			return nil, errTooDeep
		}
		if t == '[' {
			arr := []any{}
			for d.More() {
				v, err := jsonValue(d, depth+1)
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
			_, err := d.Token()
			return arr, err
		}
		obj := object{}
		seen := map[string]bool{}
		for d.More() {
			kt, err := d.Token()
			if err != nil {
				return nil, err
			}
			key, _ := kt.(string)
			if seen[key] {
				return nil, errDupKey
			}
			seen[key] = true
			v, err := jsonValue(d, depth+1)
			if err != nil {
				return nil, err
			}
			obj = append(obj, member{key, v})
		}
		_, err := d.Token()
		return obj, err
	case json.Number:
		return number(t), nil
	default: // string, bool, nil
		return t, nil
	}
}

// decodeYAML parses one YAML document. Aliases are expanded, within a budget of nodes
// proportional to the input so that alias bombs stay cheap.
func decodeYAML(body []byte) (any, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(body, &doc); err != nil {
		return nil, err
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, errors.New("empty document")
	}
	c := yamlConv{budget: 2*len(body) + 64}
	return c.value(doc.Content[0], 0)
}

type yamlConv struct{ budget int }

func (c *yamlConv) value(n *yaml.Node, depth int) (any, error) {
	if c.budget--; c.budget < 0 {
		return nil, errTooBig
	}
	if depth >= maxDepth {
		return nil, errTooDeep
	}
	switch n.Kind {
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil, errors.New("unknown alias")
		}
		return c.value(n.Alias, depth+1)
	case yaml.MappingNode:
		obj := make(object, 0, len(n.Content)/2)
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			for k.Kind == yaml.AliasNode && k.Alias != nil {
				k = k.Alias
			}
			if k.Kind != yaml.ScalarNode {
				return nil, errors.New("mapping keys must be scalars")
			}
			if seen[k.Value] {
				return nil, errDupKey
			}
			seen[k.Value] = true
			v, err := c.value(n.Content[i+1], depth+1)
			if err != nil {
				return nil, err
			}
			obj = append(obj, member{k.Value, v})
		}
		return obj, nil
	case yaml.SequenceNode:
		arr := make([]any, 0, len(n.Content))
		for _, e := range n.Content {
			v, err := c.value(e, depth+1)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
		return arr, nil
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!int", "!!float":
			return number(n.Value), nil
		case "!!bool":
			b, err := strconv.ParseBool(strings.ToLower(n.Value))
			if err != nil {
				return n.Value, nil
			}
			return b, nil
		case "!!null":
			return nil, nil
		}
		return n.Value, nil
	}
	return nil, errors.New("unsupported YAML node")
}
