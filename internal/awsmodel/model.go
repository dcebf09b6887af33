package awsmodel

import (
	"embed"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
)

//go:embed models/*.json
var modelFS embed.FS

// Services lists the service names whose models are embedded, e.g. "cognito-idp".
func Services() []string {
	entries, err := modelFS.ReadDir("models")
	if err != nil {
		return nil
	}
	out := make([]string, 0, len(entries))
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".json"); ok {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// Model is one AWS service's API model: its metadata, operations and shapes.
// A Model is immutable and safe for concurrent use.
type Model struct {
	// Service is the model's file name, e.g. "cognito-idp".
	Service string
	Metadata

	ops     map[string]*Operation
	opNames []string
	shapes  map[string]*Shape
}

// Metadata is a service model's metadata block; its fields mirror the
// botocore metadata keys of the same names.
type Metadata struct {
	APIVersion       string `json:"apiVersion"`
	EndpointPrefix   string `json:"endpointPrefix"`
	JSONVersion      string `json:"jsonVersion"`
	Protocol         string `json:"protocol"`
	ServiceFullName  string `json:"serviceFullName"`
	ServiceID        string `json:"serviceId"`
	SignatureVersion string `json:"signatureVersion"`
	SigningName      string `json:"signingName"`
	TargetPrefix     string `json:"targetPrefix"`
	UID              string `json:"uid"`
	XMLNamespace     string `json:"xmlNamespace"`
}

// SigningService returns the SigV4 service name: signingName if the model sets
// it, else endpointPrefix.
func (md Metadata) SigningService() string {
	if md.SigningName != "" {
		return md.SigningName
	}
	return md.EndpointPrefix
}

// HTTPBinding is an operation's HTTP method, request URI template and
// success status code (0 when the model leaves it to the protocol default).
type HTTPBinding struct {
	Method       string `json:"method"`
	RequestURI   string `json:"requestUri"`
	ResponseCode int    `json:"responseCode"`
}

// Operation is one API operation of a model.
type Operation struct {
	// Name is the operation name, e.g. "InitiateAuth".
	Name string `json:"-"`
	// HTTP is the operation's HTTP binding.
	HTTP HTTPBinding `json:"http"`
	// Input and Output name the input and output shapes ("" when absent).
	Input  string `json:"input"`
	Output string `json:"output"`
	// OutputWrapper is the query protocol's result wrapper element name.
	OutputWrapper string `json:"outputWrapper"`
	// Errors names the error shapes the operation may return.
	Errors []string `json:"errors"`
	// AuthType is the model's authtype, "none" for unsigned operations.
	AuthType string `json:"authtype"`

	input  *Shape
	output *Shape
}

// Anonymous reports whether the operation is called without SigV4
// credentials (authtype "none"), e.g. InitiateAuth or SignUp.
func (o *Operation) Anonymous() bool { return o.AuthType == "none" }

// InputShape returns the operation's input shape, or nil if it has none.
func (o *Operation) InputShape() *Shape { return o.input }

// OutputShape returns the operation's output shape, or nil if it has none.
func (o *Operation) OutputShape() *Shape { return o.output }

// ErrorInfo is the error trait of an exception shape.
type ErrorInfo struct {
	Code           string `json:"code"`
	HTTPStatusCode int    `json:"httpStatusCode"`
	SenderFault    bool   `json:"senderFault"`
}

// Member is one member of a structure shape.
type Member struct {
	// Name is the member name as modelled, e.g. "UserPoolId".
	Name string `json:"name"`
	// Shape names the member's target shape.
	Shape string `json:"shape"`
	// Location is where a REST member is bound: "uri", "querystring",
	// "header", "headers", "statusCode"; "" for the body.
	Location string `json:"location"`
	// LocationName is the URI label, query key, header name or JSON key.
	LocationName string `json:"locationName"`
	// The remaining fields mirror the botocore member traits of the same name.
	JSONValue       bool     `json:"jsonvalue"`
	TimestampFormat string   `json:"timestampFormat"`
	Box             bool     `json:"box"`
	Flattened       bool     `json:"flattened"`
	Enum            []string `json:"enum"`
	EventPayload    bool     `json:"eventpayload"`

	target   *Shape
	pathName string // name used in validation messages: Name with a lower-case first letter
}

// Target returns the member's target shape.
func (m *Member) Target() *Shape { return m.target }

// JSONName returns the key the member has in a JSON body: LocationName when
// the model sets one (REST-JSON), else Name.
func (m *Member) JSONName() string {
	if m.LocationName != "" && m.Location == "" {
		return m.LocationName
	}
	return m.Name
}

// Shape is one shape of a model.
type Shape struct {
	// Name is the shape name.
	Name string `json:"-"`
	// Type is the shape type: structure, list, map, string, integer, long,
	// double, float, boolean, timestamp or blob.
	Type string `json:"type"`
	// Members are a structure's members in model order.
	Members []*Member `json:"members"`
	// Required names the structure's required members.
	Required []string `json:"required"`
	// MemberShape, KeyShape and ValueShape name a list's element shape and a
	// map's key and value shapes.
	MemberShape string `json:"member"`
	KeyShape    string `json:"key"`
	ValueShape  string `json:"value"`
	// Min and Max are the length (string, blob, list, map) or value (numbers)
	// bounds, nil when unset.
	Min *float64 `json:"min"`
	Max *float64 `json:"max"`
	// Pattern is the Java regular expression string values must fully match.
	Pattern string `json:"pattern"`
	// The remaining fields mirror the botocore shape traits of the same name.
	Enum            []string   `json:"enum"`
	Sensitive       bool       `json:"sensitive"`
	TimestampFormat string     `json:"timestampFormat"`
	Box             bool       `json:"box"`
	Flattened       bool       `json:"flattened"`
	Document        bool       `json:"document"`
	Payload         string     `json:"payload"`
	Streaming       bool       `json:"streaming"`
	EventStream     bool       `json:"eventstream"`
	Event           bool       `json:"event"`
	Exception       bool       `json:"exception"`
	Fault           bool       `json:"fault"`
	Error           *ErrorInfo `json:"error"`

	memberIdx map[string]*Member // by Name
	jsonIdx   map[string]*Member // by JSONName, body members only
	required  []bool             // parallel to Members
	elem      *Shape             // list member
	key, val  *Shape             // map key and value

	reOnce sync.Once
	re     *regexp.Regexp // nil when Pattern is empty or cannot be translated
}

// Member returns the structure member with the given model name.
func (s *Shape) Member(name string) (*Member, bool) {
	m, ok := s.memberIdx[name]
	return m, ok
}

// Elem returns a list's element shape, or nil.
func (s *Shape) Elem() *Shape { return s.elem }

// Key returns a map's key shape, or nil.
func (s *Shape) Key() *Shape { return s.key }

// Value returns a map's value shape, or nil.
func (s *Shape) Value() *Shape { return s.val }

// IsRequired reports whether the structure member name is required.
func (s *Shape) IsRequired(name string) bool {
	for _, r := range s.Required {
		if r == name {
			return true
		}
	}
	return false
}

// Regexp returns the Go translation of the shape's Java pattern, anchored to
// match whole values, or nil when the shape has no pattern or the pattern
// uses Java features RE2 cannot express (such patterns are not enforced).
func (s *Shape) Regexp() *regexp.Regexp {
	s.reOnce.Do(func() {
		if s.Pattern == "" {
			return
		}
		if expr, ok := translatePattern(s.Pattern); ok {
			s.re, _ = regexp.Compile(expr)
		}
	})
	return s.re
}

// Operation returns the named operation.
func (m *Model) Operation(name string) (*Operation, bool) {
	op, ok := m.ops[name]
	return op, ok
}

// Operations returns the model's operation names in sorted order.
func (m *Model) Operations() []string { return append([]string(nil), m.opNames...) }

// Shape returns the named shape.
func (m *Model) Shape(name string) (*Shape, bool) {
	s, ok := m.shapes[name]
	return s, ok
}

// ValidationErrorType is the error code AWS uses for request validation
// failures of this service: InvalidParameterException for Cognito user pools
// and identity pools, BadRequestException for API Gateway, ValidationError
// for STS, ValidationException otherwise.
func (m *Model) ValidationErrorType() string {
	switch m.Service {
	case "cognito-idp", "cognito-identity":
		return awserr.InvalidParameter
	case "apigateway", "apigatewayv2":
		return "BadRequestException"
	case "sts":
		return "ValidationError"
	}
	return awserr.ValidationException
}

var (
	cacheMu sync.Mutex
	cache   = map[string]*Model{}
)

// Load returns the embedded model of service, e.g. "cognito-idp". Models are
// parsed once and shared.
func Load(service string) (*Model, error) {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if m, ok := cache[service]; ok {
		return m, nil
	}
	if strings.ContainsAny(service, `/\.`) {
		return nil, fmt.Errorf("awsmodel: unknown service %q", service)
	}
	data, err := modelFS.ReadFile("models/" + service + ".json")
	if err != nil {
		return nil, fmt.Errorf("awsmodel: unknown service %q", service)
	}
	m, err := parse(service, data)
	if err != nil {
		return nil, fmt.Errorf("awsmodel: %s: %w", service, err)
	}
	cache[service] = m
	return m, nil
}

// MustLoad is like Load but panics on error; for package-level variables.
func MustLoad(service string) *Model {
	m, err := Load(service)
	if err != nil {
		panic(err)
	}
	return m
}

// unenforcedPatterns lists shapes whose model pattern AWS does not apply on the wire. Cognito's
// DomainType pattern only fits prefix domains, yet CreateUserPoolDomain accepts a full custom
// domain name (auth.example.com) with CustomDomainConfig; the domain service checks prefix
// domains itself.
var unenforcedPatterns = map[string]map[string]bool{
	"cognito-idp": {"DomainType": true},
}

func parse(service string, data []byte) (*Model, error) {
	var raw struct {
		Metadata   Metadata              `json:"metadata"`
		Operations map[string]*Operation `json:"operations"`
		Shapes     map[string]*Shape     `json:"shapes"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	m := &Model{Service: service, Metadata: raw.Metadata, ops: raw.Operations, shapes: raw.Shapes}
	ref := func(name, what string) (*Shape, error) {
		if name == "" {
			return nil, nil
		}
		s, ok := m.shapes[name]
		if !ok {
			return nil, fmt.Errorf("%s refers to unknown shape %q", what, name)
		}
		return s, nil
	}
	var err error
	for name, s := range m.shapes {
		s.Name = name
		if unenforcedPatterns[service][name] {
			s.Pattern = ""
		}
		if s.elem, err = ref(s.MemberShape, name); err != nil {
			return nil, err
		}
		if s.key, err = ref(s.KeyShape, name); err != nil {
			return nil, err
		}
		if s.val, err = ref(s.ValueShape, name); err != nil {
			return nil, err
		}
		if len(s.Members) > 0 {
			s.memberIdx = make(map[string]*Member, len(s.Members))
			s.jsonIdx = make(map[string]*Member, len(s.Members))
			s.required = make([]bool, len(s.Members))
		}
		for i, mb := range s.Members {
			if mb.target, err = ref(mb.Shape, name+"."+mb.Name); err != nil {
				return nil, err
			}
			mb.pathName = lowerFirst(mb.Name)
			s.memberIdx[mb.Name] = mb
			if mb.Location == "" {
				s.jsonIdx[mb.JSONName()] = mb
			}
			s.required[i] = s.IsRequired(mb.Name)
		}
	}
	m.opNames = make([]string, 0, len(m.ops))
	for name, op := range m.ops {
		op.Name = name
		if op.input, err = ref(op.Input, name); err != nil {
			return nil, err
		}
		if op.output, err = ref(op.Output, name); err != nil {
			return nil, err
		}
		m.opNames = append(m.opNames, name)
	}
	sort.Strings(m.opNames)
	return m, nil
}

func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}
