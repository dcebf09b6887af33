// Command gen converts AWS's botocore JSON service models into the compact
// models embedded by package awsmodel: documentation and everything else the
// emulator does not use is dropped, and member order is kept.
//
// It is run by go generate from internal/awsmodel:
//
//	go run ./gen -src ../../../shared/aws-models -out models
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// defaultServices are the services Gatehouse emulates or depends on.
var defaultServices = "cognito-idp,cognito-identity,apigatewayv2,apigateway,lambda,sts"

func main() {
	log.SetFlags(0)
	log.SetPrefix("awsmodel/gen: ")
	src := flag.String("src", "../../../shared/aws-models", "directory holding botocore <service>.json models")
	out := flag.String("out", "models", "directory to write the compact models to")
	services := flag.String("services", defaultServices, "comma-separated service names to convert")
	flag.Parse()

	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	for _, svc := range strings.Split(*services, ",") {
		svc = strings.TrimSpace(svc)
		if svc == "" {
			continue
		}
		in, err := os.ReadFile(filepath.Join(*src, svc+".json"))
		if err != nil {
			log.Fatal(err)
		}
		compact, err := convert(in)
		if err != nil {
			log.Fatalf("%s: %v", svc, err)
		}
		dst := filepath.Join(*out, svc+".json")
		if err := os.WriteFile(dst, compact, 0o644); err != nil {
			log.Fatal(err)
		}
		log.Printf("%s: %d bytes -> %s (%d bytes)", svc, len(in), dst, len(compact))
	}
}

// object is a JSON object that remembers the order of its keys.
type object struct {
	keys []string
	vals map[string]any
}

func (o *object) get(k string) any { return o.vals[k] }

func (o *object) obj(k string) *object {
	v, _ := o.vals[k].(*object)
	return v
}

func (o *object) str(k string) string {
	v, _ := o.vals[k].(string)
	return v
}

// decodeOrdered decodes the next JSON value, keeping object key order.
func decodeOrdered(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			o := &object{vals: map[string]any{}}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, ok := kt.(string)
				if !ok {
					return nil, fmt.Errorf("object key %v is not a string", kt)
				}
				v, err := decodeOrdered(dec)
				if err != nil {
					return nil, err
				}
				if _, dup := o.vals[k]; !dup {
					o.keys = append(o.keys, k)
				}
				o.vals[k] = v
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return o, nil
		case '[':
			var a []any
			for dec.More() {
				v, err := decodeOrdered(dec)
				if err != nil {
					return nil, err
				}
				a = append(a, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return a, nil
		}
		return nil, fmt.Errorf("unexpected delimiter %v", t)
	default:
		return tok, nil
	}
}

// Compact model types. Field order here is the order written to disk.

type metadata struct {
	APIVersion       string `json:"apiVersion,omitempty"`
	EndpointPrefix   string `json:"endpointPrefix,omitempty"`
	JSONVersion      string `json:"jsonVersion,omitempty"`
	Protocol         string `json:"protocol,omitempty"`
	ServiceFullName  string `json:"serviceFullName,omitempty"`
	ServiceID        string `json:"serviceId,omitempty"`
	SignatureVersion string `json:"signatureVersion,omitempty"`
	SigningName      string `json:"signingName,omitempty"`
	TargetPrefix     string `json:"targetPrefix,omitempty"`
	UID              string `json:"uid,omitempty"`
	XMLNamespace     string `json:"xmlNamespace,omitempty"`
}

type httpBinding struct {
	Method       string      `json:"method,omitempty"`
	RequestURI   string      `json:"requestUri,omitempty"`
	ResponseCode json.Number `json:"responseCode,omitempty"`
}

type operation struct {
	HTTP          httpBinding `json:"http"`
	Input         string      `json:"input,omitempty"`
	Output        string      `json:"output,omitempty"`
	OutputWrapper string      `json:"outputWrapper,omitempty"`
	Errors        []string    `json:"errors,omitempty"`
	AuthType      string      `json:"authtype,omitempty"`
}

type member struct {
	Name            string   `json:"name"`
	Shape           string   `json:"shape"`
	Location        string   `json:"location,omitempty"`
	LocationName    string   `json:"locationName,omitempty"`
	JSONValue       bool     `json:"jsonvalue,omitempty"`
	TimestampFormat string   `json:"timestampFormat,omitempty"`
	Box             bool     `json:"box,omitempty"`
	Flattened       bool     `json:"flattened,omitempty"`
	Enum            []string `json:"enum,omitempty"`
	EventPayload    bool     `json:"eventpayload,omitempty"`
}

type errorInfo struct {
	Code           string `json:"code,omitempty"`
	HTTPStatusCode int    `json:"httpStatusCode,omitempty"`
	SenderFault    bool   `json:"senderFault,omitempty"`
}

type shape struct {
	Type            string      `json:"type"`
	Members         []member    `json:"members,omitempty"`
	Required        []string    `json:"required,omitempty"`
	Member          string      `json:"member,omitempty"`
	Key             string      `json:"key,omitempty"`
	Value           string      `json:"value,omitempty"`
	Min             json.Number `json:"min,omitempty"`
	Max             json.Number `json:"max,omitempty"`
	Pattern         string      `json:"pattern,omitempty"`
	Enum            []string    `json:"enum,omitempty"`
	Sensitive       bool        `json:"sensitive,omitempty"`
	TimestampFormat string      `json:"timestampFormat,omitempty"`
	Box             bool        `json:"box,omitempty"`
	Flattened       bool        `json:"flattened,omitempty"`
	Document        bool        `json:"document,omitempty"`
	Payload         string      `json:"payload,omitempty"`
	Streaming       bool        `json:"streaming,omitempty"`
	EventStream     bool        `json:"eventstream,omitempty"`
	Event           bool        `json:"event,omitempty"`
	Exception       bool        `json:"exception,omitempty"`
	Fault           bool        `json:"fault,omitempty"`
	Error           *errorInfo  `json:"error,omitempty"`
}

func convert(in []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(in))
	dec.UseNumber()
	root, err := decodeOrdered(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("trailing data after model")
	}
	top, ok := root.(*object)
	if !ok {
		return nil, errors.New("model is not an object")
	}
	md := top.obj("metadata")
	ops := top.obj("operations")
	shapes := top.obj("shapes")
	if md == nil || ops == nil || shapes == nil {
		return nil, errors.New("model lacks metadata, operations or shapes")
	}

	var buf bytes.Buffer
	buf.WriteString("{\n\"metadata\":")
	if err := writeJSON(&buf, metadata{
		APIVersion:       md.str("apiVersion"),
		EndpointPrefix:   md.str("endpointPrefix"),
		JSONVersion:      md.str("jsonVersion"),
		Protocol:         md.str("protocol"),
		ServiceFullName:  md.str("serviceFullName"),
		ServiceID:        md.str("serviceId"),
		SignatureVersion: md.str("signatureVersion"),
		SigningName:      md.str("signingName"),
		TargetPrefix:     md.str("targetPrefix"),
		UID:              md.str("uid"),
		XMLNamespace:     md.str("xmlNamespace"),
	}); err != nil {
		return nil, err
	}

	buf.WriteString(",\n\"operations\":{")
	for i, name := range sorted(ops.keys) {
		o := ops.obj(name)
		if o == nil {
			return nil, fmt.Errorf("operation %s is not an object", name)
		}
		op, err := convertOperation(o)
		if err != nil {
			return nil, fmt.Errorf("operation %s: %w", name, err)
		}
		if err := writeEntry(&buf, i, name, op); err != nil {
			return nil, err
		}
	}
	buf.WriteString("\n},\n\"shapes\":{")
	for i, name := range sorted(shapes.keys) {
		s := shapes.obj(name)
		if s == nil {
			return nil, fmt.Errorf("shape %s is not an object", name)
		}
		sh, err := convertShape(s)
		if err != nil {
			return nil, fmt.Errorf("shape %s: %w", name, err)
		}
		if err := writeEntry(&buf, i, name, sh); err != nil {
			return nil, err
		}
	}
	buf.WriteString("\n}\n}\n")
	return buf.Bytes(), nil
}

func sorted(keys []string) []string {
	s := append([]string(nil), keys...)
	sort.Strings(s)
	return s
}

func writeEntry(buf *bytes.Buffer, i int, name string, v any) error {
	if i > 0 {
		buf.WriteByte(',')
	}
	buf.WriteByte('\n')
	k, err := json.Marshal(name)
	if err != nil {
		return err
	}
	buf.Write(k)
	buf.WriteByte(':')
	return writeJSON(buf, v)
}

func writeJSON(buf *bytes.Buffer, v any) error {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	buf.Truncate(buf.Len() - 1) // Encode's trailing newline
	return nil
}

func shapeRef(o *object, k string) string {
	if r := o.obj(k); r != nil {
		return r.str("shape")
	}
	return ""
}

func convertOperation(o *object) (operation, error) {
	var op operation
	if h := o.obj("http"); h != nil {
		op.HTTP.Method = h.str("method")
		op.HTTP.RequestURI = h.str("requestUri")
		if rc, ok := h.get("responseCode").(json.Number); ok {
			op.HTTP.ResponseCode = rc
		}
	}
	op.Input = shapeRef(o, "input")
	op.Output = shapeRef(o, "output")
	if out := o.obj("output"); out != nil {
		op.OutputWrapper = out.str("resultWrapper")
	}
	if errs, ok := o.get("errors").([]any); ok {
		for _, e := range errs {
			eo, ok := e.(*object)
			if !ok {
				return op, errors.New("error reference is not an object")
			}
			op.Errors = append(op.Errors, eo.str("shape"))
		}
	}
	op.AuthType = o.str("authtype")
	return op, nil
}

func strList(v any) ([]string, error) {
	if v == nil {
		return nil, nil
	}
	a, ok := v.([]any)
	if !ok {
		return nil, errors.New("expected a list of strings")
	}
	out := make([]string, 0, len(a))
	for _, e := range a {
		s, ok := e.(string)
		if !ok {
			return nil, errors.New("expected a list of strings")
		}
		out = append(out, s)
	}
	return out, nil
}

func boolOf(o *object, k string) bool {
	b, _ := o.get(k).(bool)
	return b
}

func convertShape(o *object) (shape, error) {
	var s shape
	var err error
	s.Type = o.str("type")
	if s.Type == "" {
		return s, errors.New("shape has no type")
	}
	if ms := o.obj("members"); ms != nil {
		for _, name := range ms.keys { // model order matters: keep it
			mo := ms.obj(name)
			if mo == nil {
				return s, fmt.Errorf("member %s is not an object", name)
			}
			m := member{
				Name:            name,
				Shape:           mo.str("shape"),
				Location:        mo.str("location"),
				LocationName:    mo.str("locationName"),
				JSONValue:       boolOf(mo, "jsonvalue"),
				TimestampFormat: mo.str("timestampFormat"),
				Box:             boolOf(mo, "box"),
				Flattened:       boolOf(mo, "flattened"),
				EventPayload:    boolOf(mo, "eventpayload"),
			}
			if m.Enum, err = strList(mo.get("enum")); err != nil {
				return s, fmt.Errorf("member %s enum: %w", name, err)
			}
			s.Members = append(s.Members, m)
		}
	}
	if s.Required, err = strList(o.get("required")); err != nil {
		return s, fmt.Errorf("required: %w", err)
	}
	s.Member = shapeRef(o, "member")
	s.Key = shapeRef(o, "key")
	s.Value = shapeRef(o, "value")
	if n, ok := o.get("min").(json.Number); ok {
		s.Min = n
	}
	if n, ok := o.get("max").(json.Number); ok {
		s.Max = n
	}
	s.Pattern = o.str("pattern")
	if s.Enum, err = strList(o.get("enum")); err != nil {
		return s, fmt.Errorf("enum: %w", err)
	}
	s.Sensitive = boolOf(o, "sensitive")
	s.TimestampFormat = o.str("timestampFormat")
	s.Box = boolOf(o, "box")
	s.Flattened = boolOf(o, "flattened")
	s.Document = boolOf(o, "document")
	s.Payload = o.str("payload")
	s.Streaming = boolOf(o, "streaming")
	s.EventStream = boolOf(o, "eventstream")
	s.Event = boolOf(o, "event")
	s.Exception = boolOf(o, "exception")
	s.Fault = boolOf(o, "fault")
	if e := o.obj("error"); e != nil {
		ei := &errorInfo{Code: e.str("code"), SenderFault: boolOf(e, "senderFault")}
		if n, ok := e.get("httpStatusCode").(json.Number); ok {
			v, err := n.Int64()
			if err != nil {
				return s, fmt.Errorf("error httpStatusCode: %w", err)
			}
			ei.HTTPStatusCode = int(v)
		}
		s.Error = ei
	}
	return s, nil
}
