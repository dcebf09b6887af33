package openapi

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/gateway/route"
)

// ExportOptions are ExportApi's parameters (specification is always OAS30).
type ExportOptions struct {
	// OutputType is "JSON" (also "") or "YAML".
	OutputType string
	// ExcludeExtensions is includeExtensions=false: leave out x-amazon-apigateway-integration,
	// -cors, -authorizer, -authtype, -importexport-version, isDefaultRoute and unused
	// integrations. The zero value includes them, as ExportApi does by default.
	ExcludeExtensions bool
	// Endpoint is the API's apiEndpoint (https://{apiId}.execute-api.{region}.amazonaws.com);
	// when set, the document gets a server with a basePath variable.
	Endpoint string
	// StageName is the exported stage; it becomes the basePath variable's default ("" for
	// $default and for no stage).
	StageName string
	// CreatedDate is the API's creation time; info.version falls back to it, formatted
	// "2006-01-02 15:04:05UTC", when the API has no version.
	CreatedDate time.Time
}

// ImportExportVersion is the x-amazon-apigateway-importexport-version Export writes, the only
// version of the algorithm.
const ImportExportVersion = "1.0"

// sigv4Scheme is the security scheme name of AWS_IAM routes.
const sigv4Scheme = "sigv4"

// Export writes def as ExportApi writes an HTTP API: an OpenAPI 3.0.1 document in JSON
// (Jackson's pretty printing) or YAML. Paths are sorted, and within a path item the operations
// follow OpenAPI's field order with ANY (x-amazon-apigateway-any-method) after them; security
// schemes and unused integrations are sorted by name. It fails only for an unknown output type
// or a route naming an integration or authorizer the Definition does not have.
func Export(def *Definition, opts ExportOptions) ([]byte, error) {
	var yamlOut bool
	switch strings.ToUpper(opts.OutputType) {
	case "", "JSON":
	case "YAML":
		yamlOut = true
	default:
		return nil, awserr.Newf(route.BadRequestException, "Invalid outputType %s: valid values are JSON and YAML", opts.OutputType)
	}
	doc, err := exportTree(def, opts)
	if err != nil {
		return nil, err
	}
	if yamlOut {
		return encodeYAML(doc), nil
	}
	return encodeJSON(doc), nil
}

func exportTree(def *Definition, opts ExportOptions) (object, error) {
	ext := !opts.ExcludeExtensions
	doc := object{{"openapi", "3.0.1"}}

	info := object{{"title", def.Name}}
	if def.Description != "" {
		info = append(info, member{"description", def.Description})
	}
	version := def.Version
	if version == "" && !opts.CreatedDate.IsZero() {
		version = opts.CreatedDate.UTC().Format("2006-01-02 15:04:05") + "UTC"
	}
	if version != "" {
		info = append(info, member{"version", version})
	}
	doc = append(doc, member{"info", info})

	if opts.Endpoint != "" {
		base := opts.StageName
		if base == route.DefaultKey {
			base = ""
		}
		doc = append(doc, member{"servers", []any{object{
			{"url", strings.TrimSuffix(opts.Endpoint, "/") + "/{basePath}"},
			{"variables", object{{"basePath", object{{"default", base}}}}},
		}}})
	}

	if len(def.Tags) > 0 {
		var tags []any
		for _, k := range sortedKeys(def.Tags) {
			tag := object{{"name", k}}
			if ext {
				tag = append(tag, member{"x-amazon-apigateway-tag-value", def.Tags[k]})
			}
			tags = append(tags, tag)
		}
		doc = append(doc, member{"tags", tags})
	}

	// Security scheme names: authorizer names, made unique.
	schemeName := map[string]string{}
	taken := map[string]bool{}
	usesIAM := false
	for _, r := range def.Routes {
		usesIAM = usesIAM || r.AuthorizationType == AuthIAM
	}
	if usesIAM {
		taken[sigv4Scheme] = true
	}
	for _, a := range def.Authorizers {
		name := a.Name
		for n := 2; taken[name]; n++ {
			name = a.Name + "_" + strconv.Itoa(n)
		}
		taken[name] = true
		schemeName[a.Ref] = name
	}

	integrations := make(map[string]*Integration, len(def.Integrations))
	for i := range def.Integrations {
		if ref := def.Integrations[i].Ref; ref != "" {
			integrations[ref] = &def.Integrations[i]
		}
	}

	// Paths.
	type pathOps struct {
		ops    map[string]object // by path item key
		params []any
	}
	paths := map[string]*pathOps{}
	used := map[string]bool{}
	for _, r := range def.Routes {
		k, err := route.Parse(r.RouteKey)
		if err != nil {
			return nil, err
		}
		p, opKey := k.Path(), strings.ToLower(k.Method())
		if k.IsDefault() {
			p, opKey = "/$default", "any"
		}
		if opKey == "any" {
			opKey = "x-amazon-apigateway-any-method"
		}
		po := paths[p]
		if po == nil {
			po = &pathOps{ops: map[string]object{}}
			for _, s := range k.Segments() {
				if s.Kind == route.Static {
					continue
				}
				name := s.Value
				if s.Kind == route.Greedy {
					name += "+"
				}
				po.params = append(po.params, object{
					{"name", name},
					{"in", "path"},
					{"description", "Generated path parameter for " + name},
					{"required", true},
					{"schema", object{{"type", "string"}}},
				})
			}
			paths[p] = po
		}
		var op object
		if r.OperationName != "" {
			op = append(op, member{"operationId", r.OperationName})
		}
		op = append(op, member{"responses", object{{"default", object{{"description", "Default response for " + r.RouteKey}}}}})
		switch r.AuthorizationType {
		case AuthIAM:
			op = append(op, member{"security", []any{object{{sigv4Scheme, []any{}}}}})
		case AuthJWT, AuthCustom:
			name, ok := schemeName[r.Authorizer]
			if !ok {
				return nil, awserr.Newf(route.BadRequestException, "Route %s refers to unknown authorizer %s", r.RouteKey, r.Authorizer)
			}
			scopes := []any{}
			for _, s := range r.AuthorizationScopes {
				scopes = append(scopes, s)
			}
			op = append(op, member{"security", []any{object{{name, scopes}}}})
		}
		if k.IsDefault() && ext {
			op = append(op, member{"isDefaultRoute", true})
		}
		if r.Integration != "" {
			in := integrations[r.Integration]
			if in == nil {
				return nil, awserr.Newf(route.BadRequestException, "Route %s refers to unknown integration %s", r.RouteKey, r.Integration)
			}
			used[r.Integration] = true
			if ext {
				op = append(op, member{"x-amazon-apigateway-integration", integrationObject(in)})
			}
		}
		po.ops[opKey] = op
	}
	var pathObj object
	for _, p := range sortedKeys(paths) {
		po := paths[p]
		var item object
		for _, key := range []string{"get", "put", "post", "delete", "options", "head", "patch"} {
			if op, ok := po.ops[key]; ok {
				item = append(item, member{key, op})
			}
		}
		if len(po.params) > 0 {
			item = append(item, member{"parameters", po.params})
		}
		if op, ok := po.ops["x-amazon-apigateway-any-method"]; ok {
			item = append(item, member{"x-amazon-apigateway-any-method", op})
		}
		pathObj = append(pathObj, member{p, item})
	}
	if pathObj == nil {
		pathObj = object{}
	}
	doc = append(doc, member{"paths", pathObj})

	// Components.
	var comps object
	var schemes object
	if usesIAM {
		s := object{{"type", "apiKey"}, {"name", "Authorization"}, {"in", "header"}}
		if ext {
			s = append(s, member{"x-amazon-apigateway-authtype", "awsSigv4"})
		}
		schemes = append(schemes, member{sigv4Scheme, s})
	}
	for _, a := range def.Authorizers {
		schemes = append(schemes, member{schemeName[a.Ref], schemeObject(&a, ext)})
	}
	sort.SliceStable(schemes, func(i, j int) bool { return schemes[i].key < schemes[j].key })
	if len(schemes) > 0 {
		comps = append(comps, member{"securitySchemes", schemes})
	}
	if ext {
		var unused object
		for i := range def.Integrations {
			in := &def.Integrations[i]
			if used[in.Ref] {
				continue
			}
			name := in.Ref
			if !strings.HasPrefix(name, "unusedIntegration_") {
				name = "unusedIntegration_" + name
			}
			unused = append(unused, member{name, integrationObject(in)})
		}
		sort.SliceStable(unused, func(i, j int) bool { return unused[i].key < unused[j].key })
		if len(unused) > 0 {
			comps = append(comps, member{"x-amazon-apigateway-integrations", unused})
		}
	}
	if len(comps) > 0 {
		doc = append(doc, member{"components", comps})
	}

	if ext && def.Cors != nil {
		doc = append(doc, member{"x-amazon-apigateway-cors", corsObject(def)})
	}
	if ext {
		doc = append(doc, member{"x-amazon-apigateway-importexport-version", ImportExportVersion})
	}
	return doc, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func stringArray(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func stringMapObject(m map[string]string) object {
	o := object{}
	for _, k := range sortedKeys(m) {
		o = append(o, member{k, m[k]})
	}
	return o
}

// integrationObject writes an integration in the member order ExportApi uses.
func integrationObject(in *Integration) object {
	var o object
	if len(in.ResponseParameters) > 0 {
		rp := object{}
		for _, status := range sortedKeys(in.ResponseParameters) {
			rp = append(rp, member{status, stringMapObject(in.ResponseParameters[status])})
		}
		o = append(o, member{"responseParameters", rp})
	}
	if len(in.RequestParameters) > 0 {
		o = append(o, member{"requestParameters", stringMapObject(in.RequestParameters)})
	}
	if in.PayloadFormatVersion != "" {
		o = append(o, member{"payloadFormatVersion", in.PayloadFormatVersion})
	}
	if in.IntegrationSubtype != "" {
		o = append(o, member{"integrationSubtype", in.IntegrationSubtype})
	}
	if in.CredentialsArn != "" {
		o = append(o, member{"credentials", in.CredentialsArn})
	}
	if in.ConnectionId != "" {
		o = append(o, member{"connectionId", in.ConnectionId})
	}
	o = append(o, member{"type", strings.ToLower(in.IntegrationType)})
	if in.IntegrationMethod != "" {
		o = append(o, member{"httpMethod", in.IntegrationMethod})
	}
	if in.IntegrationUri != "" {
		o = append(o, member{"uri", in.IntegrationUri})
	}
	connType := in.ConnectionType
	if connType == "" {
		connType = "INTERNET"
	}
	o = append(o, member{"connectionType", connType})
	if in.TimeoutInMillis != 0 && in.TimeoutInMillis != defaultTimeout {
		o = append(o, member{"timeoutInMillis", in.TimeoutInMillis})
	}
	if in.TlsConfig != nil && in.TlsConfig.ServerNameToVerify != "" {
		o = append(o, member{"tlsConfig", object{{"serverNameToVerify", in.TlsConfig.ServerNameToVerify}}})
	}
	if in.Description != "" {
		o = append(o, member{"description", in.Description})
	}
	return o
}

// schemeObject writes an authorizer as a security scheme: oauth2 for JWT, apiKey for REQUEST.
func schemeObject(a *Authorizer, ext bool) object {
	var s, az object
	src := strings.Join(a.IdentitySource, ", ")
	if a.AuthorizerType == "JWT" {
		s = object{{"type", "oauth2"}, {"flows", object{}}}
		if src != "" {
			az = append(az, member{"identitySource", src})
		}
		var jc object
		if a.JwtConfiguration != nil {
			if len(a.JwtConfiguration.Audience) > 0 {
				jc = append(jc, member{"audience", stringArray(a.JwtConfiguration.Audience)})
			}
			jc = append(jc, member{"issuer", a.JwtConfiguration.Issuer})
		}
		az = append(az, member{"jwtConfiguration", jc}, member{"type", "jwt"})
	} else {
		name, in := "Unused", "header"
		if len(a.IdentitySource) == 1 {
			if h, ok := strings.CutPrefix(a.IdentitySource[0], "$request.header."); ok {
				name = h
			} else if q, ok := strings.CutPrefix(a.IdentitySource[0], "$request.querystring."); ok {
				name, in = q, "query"
			}
		}
		s = object{{"type", "apiKey"}, {"name", name}, {"in", in}}
		if src != "" {
			az = append(az, member{"identitySource", src})
		}
		if a.AuthorizerCredentialsArn != "" {
			az = append(az, member{"authorizerCredentials", a.AuthorizerCredentialsArn})
		}
		az = append(az, member{"authorizerUri", a.AuthorizerUri})
		if a.AuthorizerPayloadFormatVersion != "" {
			az = append(az, member{"authorizerPayloadFormatVersion", a.AuthorizerPayloadFormatVersion})
		}
		if a.AuthorizerResultTtlInSeconds != nil {
			az = append(az, member{"authorizerResultTtlInSeconds", *a.AuthorizerResultTtlInSeconds})
		}
		az = append(az, member{"type", "request"})
		if a.EnableSimpleResponses != nil {
			az = append(az, member{"enableSimpleResponses", *a.EnableSimpleResponses})
		}
	}
	if ext {
		s = append(s, member{"x-amazon-apigateway-authorizer", az})
	}
	return s
}

// corsObject writes x-amazon-apigateway-cors; like ExportApi it always writes maxAge and
// allowCredentials.
func corsObject(def *Definition) object {
	c := def.Cors
	var o object
	if c.AllowMethods != nil {
		o = append(o, member{"allowMethods", stringArray(c.AllowMethods)})
	}
	if c.AllowHeaders != nil {
		o = append(o, member{"allowHeaders", stringArray(c.AllowHeaders)})
	}
	if c.ExposeHeaders != nil {
		o = append(o, member{"exposeHeaders", stringArray(c.ExposeHeaders)})
	}
	maxAge := 0
	if c.MaxAge != nil {
		maxAge = *c.MaxAge
	}
	creds := c.AllowCredentials != nil && *c.AllowCredentials
	o = append(o, member{"maxAge", maxAge}, member{"allowCredentials", creds})
	if c.AllowOrigins != nil {
		o = append(o, member{"allowOrigins", stringArray(c.AllowOrigins)})
	}
	return o
}
