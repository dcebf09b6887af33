package openapi

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/gateway"
	"github.com/gatehouse-dev/gatehouse/internal/gateway/route"
)

// Messages of Import's errors (all of type BadRequestException). MsgInvalidInput is what
// API Gateway's REST API import answers for a body it cannot read (aws/aws-cli#8191) and is
// assumed to be ImportApi's too; the others are this package's wording, in the style of AWS's
// "Warnings found during import" (see the package documentation).
const (
	// MsgInvalidInput is the message for a body that is not a JSON or YAML object.
	MsgInvalidInput = "Invalid OpenAPI input."
	// MsgTooLarge is the message for a body over MaxBodySize.
	MsgTooLarge = "The OpenAPI definition is larger than the maximum of 6 MB."
	// errorsPrefix starts the message of an error found in a readable document.
	errorsPrefix = "Errors found during import:\n\t"
	// warningsPrefix starts the message of WarningsError.
	warningsPrefix = "Warnings found during import:\n\t"
)

// ImportOptions are the ImportApi (and ReimportApi) query parameters that change what a
// document imports as.
type ImportOptions struct {
	// Basepath says what to do with the base path of the first server's URL: "ignore" (the
	// default; "" means ignore) leaves route paths alone, "prepend" puts the whole base path in
	// front of every route path, and "split" puts it there without its first segment (which is
	// taken to be a stage name). The $default route is never changed.
	Basepath string
}

// WarningsError returns the error ImportApi fails with when failOnWarnings is true and Import
// reported warnings: a BadRequestException "Warnings found during import:" followed by one
// tab-indented line per warning.
func WarningsError(warnings []string) error {
	return awserr.New(route.BadRequestException, warningsPrefix+strings.Join(warnings, "\n\t"))
}

// Import reads an OpenAPI 3.0 document, JSON or YAML, as ImportApi does for an HTTP API with
// the default options. See ImportWithOptions.
func Import(body []byte) (*Definition, []string, error) {
	return ImportWithOptions(body, ImportOptions{})
}

// ImportWithOptions reads an OpenAPI 3.0 document, JSON (when it starts with '{') or YAML,
// into a Definition. It returns the warnings AWS would report for constructs it ignores or
// cannot use (they never stop the import; see WarningsError for failOnWarnings), and an
// *awserr.Error of type BadRequestException for a document that cannot be imported at all:
// one that is unreadable, larger than MaxBodySize, nested more than 128 levels deep, not
// OpenAPI 3.0 (Swagger 2.0 included), or that gives an operation more than one security
// requirement.
func ImportWithOptions(body []byte, opts ImportOptions) (*Definition, []string, error) {
	switch strings.ToLower(opts.Basepath) {
	case "", "ignore", "prepend", "split":
	default:
		return nil, nil, awserr.Newf(route.BadRequestException,
			"Invalid basepath %s: valid values are ignore, prepend and split", opts.Basepath)
	}
	if len(body) > MaxBodySize {
		return nil, nil, awserr.New(route.BadRequestException, MsgTooLarge)
	}
	tree, err := decode(body)
	if err != nil {
		return nil, nil, awserr.New(route.BadRequestException, MsgInvalidInput)
	}
	root, ok := tree.(object)
	if !ok {
		return nil, nil, awserr.New(route.BadRequestException, MsgInvalidInput)
	}
	im := &importer{
		def:      &Definition{},
		root:     root,
		basepath: strings.ToLower(opts.Basepath),
		schemes:  map[string]scheme{},
		keys:     map[string]bool{},
		intRefs:  map[string]bool{},
	}
	if err := im.run(); err != nil {
		return nil, nil, err
	}
	return im.def, im.warnings, nil
}

// importErr returns a BadRequestException for a problem that stops the import.
func importErr(format string, args ...any) error {
	return awserr.New(route.BadRequestException, errorsPrefix+fmt.Sprintf(format, args...))
}

// scheme is what a security scheme name stands for.
type scheme struct {
	authType string // AuthJWT, AuthCustom or AuthIAM; "" for a scheme routes cannot use
	ref      string // the authorizer's Ref for JWT and CUSTOM
}

type importer struct {
	def      *Definition
	root     object
	basepath string // "", "ignore", "prepend" or "split"
	base     string // the servers[0] base path, "" or "/a/b"
	schemes  map[string]scheme
	keys     map[string]bool // route keys already imported
	intRefs  map[string]bool // Refs of def.Integrations
	warnings []string
}

// restOnly are top-level extensions of REST APIs that HTTP APIs ignore.
var restOnly = map[string]bool{
	"x-amazon-apigateway-api-key-source":           true,
	"x-amazon-apigateway-binary-media-types":       true,
	"x-amazon-apigateway-documentation":            true,
	"x-amazon-apigateway-endpoint-configuration":   true,
	"x-amazon-apigateway-gateway-responses":        true,
	"x-amazon-apigateway-minimum-compression-size": true,
	"x-amazon-apigateway-policy":                   true,
	"x-amazon-apigateway-request-validator":        true,
	"x-amazon-apigateway-request-validators":       true,
	"x-amazon-apigateway-security-policy":          true,
}

func (im *importer) run() error {
	if v, ok := im.root.get("swagger"); ok {
		return importErr("Unsupported OpenAPI version swagger %s: HTTP APIs support only OpenAPI 3.0 definitions", scalarString(v))
	}
	v, ok := im.root.get("openapi")
	if !ok {
		return importErr("Parse issue: attribute openapi is missing")
	}
	if ver := scalarString(v); !strings.HasPrefix(ver, "3.0") {
		return importErr("Unsupported OpenAPI version openapi %s: HTTP APIs support only OpenAPI 3.0 definitions", ver)
	}
	for _, m := range im.root {
		switch {
		case m.key == "openapi", m.key == "paths", m.key == "components", m.key == "security",
			m.key == "externalDocs":
		case m.key == "tags":
			im.tags(m.val)
		case m.key == "x-amazon-apigateway-integration":
			im.warnf("x-amazon-apigateway-integration is ignored: integrations belong to operations")
		case m.key == "info":
			im.info(m.val)
		case m.key == "servers":
			im.servers(m.val)
		case m.key == "x-amazon-apigateway-cors":
			im.cors(m.val)
		case m.key == "x-amazon-apigateway-importexport-version":
			if s := scalarString(m.val); s != "1.0" {
				im.warnf("Unsupported x-amazon-apigateway-importexport-version %s: the only supported version is 1.0", s)
			}
		case restOnly[m.key]:
			im.infof("%s is not supported for HTTP APIs and was ignored", m.key)
		case strings.HasPrefix(m.key, "x-"):
		default:
			im.warnf("Parse issue: attribute %s is unexpected", m.key)
		}
	}
	if _, ok := im.root.get("info"); !ok {
		im.warnf("Parse issue: attribute info is missing")
	}
	if comps := im.object(im.root, "components", ""); comps != nil {
		im.securitySchemes(im.object(comps, "securitySchemes", "components"))
		im.componentIntegrations(im.object(comps, "x-amazon-apigateway-integrations", "components"))
	}
	paths := im.object(im.root, "paths", "")
	if _, ok := im.root.get("paths"); !ok {
		im.warnf("Parse issue: attribute paths is missing")
	}
	for _, p := range paths {
		if err := im.pathItem(p.key, p.val); err != nil {
			return err
		}
	}
	return nil
}

func (im *importer) warnf(format string, args ...any) {
	im.warnings = append(im.warnings, fmt.Sprintf(format, args...))
}

func (im *importer) infof(format string, args ...any) {
	im.def.ImportInfo = append(im.def.ImportInfo, fmt.Sprintf(format, args...))
}

// Typed accessors. Each reads o[key]; a value of the wrong type is a warning in
// swagger-parser's words and reads as absent. loc is the location of o ("" for the root).

func join(loc, key string) string {
	if loc == "" {
		return key
	}
	return loc + "." + key
}

func (im *importer) typeWarn(loc, typ string) {
	im.warnf("Parse issue: attribute %s is not of type `%s`", loc, typ)
}

func (im *importer) object(o object, key, loc string) object {
	v, ok := o.get(key)
	if !ok || v == nil {
		return nil
	}
	obj, ok := v.(object)
	if !ok {
		im.typeWarn(join(loc, key), "object")
	}
	return obj
}

func (im *importer) str(o object, key, loc string) string {
	v, ok := o.get(key)
	if !ok || v == nil {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		im.typeWarn(join(loc, key), "string")
	}
	return s
}

// version reads a version-like value that authors often write as a number (1.0).
func (im *importer) version(o object, key, loc string) string {
	v, ok := o.get(key)
	if !ok || v == nil {
		return ""
	}
	switch t := v.(type) {
	case string:
		return t
	case number:
		s := string(t)
		if !strings.ContainsAny(s, ".eE") {
			s += ".0"
		}
		return s
	}
	im.typeWarn(join(loc, key), "string")
	return ""
}

func (im *importer) boolean(o object, key, loc string) *bool {
	v, ok := o.get(key)
	if !ok || v == nil {
		return nil
	}
	b, ok := v.(bool)
	if !ok {
		im.typeWarn(join(loc, key), "boolean")
		return nil
	}
	return &b
}

// integer reads an integer, also from a numeric string (authorizerResultTtlInSeconds is
// documented as a string).
func (im *importer) integer(o object, key, loc string) *int {
	v, ok := o.get(key)
	if !ok || v == nil {
		return nil
	}
	var s string
	switch t := v.(type) {
	case number:
		s = string(t)
	case string:
		s = t
	}
	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		im.typeWarn(join(loc, key), "integer")
		return nil
	}
	i := int(n)
	return &i
}

func (im *importer) strings(o object, key, loc string) []string {
	v, ok := o.get(key)
	if !ok || v == nil {
		return nil
	}
	arr, ok := v.([]any)
	if !ok {
		im.typeWarn(join(loc, key), "array")
		return nil
	}
	out := make([]string, 0, len(arr))
	for _, e := range arr {
		s, ok := e.(string)
		if !ok {
			im.typeWarn(join(loc, key), "array of strings")
			return nil
		}
		out = append(out, s)
	}
	return out
}

func (im *importer) stringMap(o object, key, loc string) map[string]string {
	obj := im.object(o, key, loc)
	if obj == nil {
		return nil
	}
	out := make(map[string]string, len(obj))
	for _, m := range obj {
		s, ok := m.val.(string)
		if !ok {
			im.typeWarn(join(join(loc, key), m.key), "string")
			continue
		}
		out[m.key] = s
	}
	return out
}

// unexpected warns about the members of o that known does not list (extensions aside).
func (im *importer) unexpected(o object, loc string, known ...string) {
	for _, m := range o {
		if !strings.HasPrefix(m.key, "x-") && !slices.Contains(known, m.key) {
			im.warnf("Parse issue: attribute %s is unexpected", join(loc, m.key))
		}
	}
}

// scalarString renders a scalar for a message or a string field that may be written as a
// number.
func scalarString(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case number:
		return string(t)
	case bool:
		return strconv.FormatBool(t)
	case nil:
		return "null"
	}
	return fmt.Sprint(v)
}

func (im *importer) info(v any) {
	info, ok := v.(object)
	if !ok {
		im.typeWarn("info", "object")
		return
	}
	im.def.Name = im.str(info, "title", "info")
	im.def.Description = im.str(info, "description", "info")
	if ver, ok := info.get("version"); ok && ver != nil {
		im.def.Version = scalarString(ver)
	}
	if _, ok := info.get("title"); !ok {
		im.warnf("Parse issue: attribute info.title is missing")
	}
	if _, ok := info.get("version"); !ok {
		im.warnf("Parse issue: attribute info.version is missing")
	}
}

// tags reads the root-level tags and their x-amazon-apigateway-tag-value.
func (im *importer) tags(v any) {
	arr, ok := v.([]any)
	if !ok {
		im.typeWarn("tags", "array")
		return
	}
	for _, e := range arr {
		o, ok := e.(object)
		if !ok {
			im.typeWarn("tags", "array of objects")
			return
		}
		name := im.str(o, "name", "tags")
		if name == "" {
			im.warnf("Parse issue: attribute tags.name is missing")
			continue
		}
		if im.def.Tags == nil {
			im.def.Tags = map[string]string{}
		}
		im.def.Tags[name] = im.str(o, "x-amazon-apigateway-tag-value", "tags")
	}
}

// servers records the base path of the first server: its URL's path with server variables
// replaced by their defaults.
func (im *importer) servers(v any) {
	arr, ok := v.([]any)
	if !ok {
		im.typeWarn("servers", "array")
		return
	}
	if len(arr) == 0 {
		return
	}
	srv, ok := arr[0].(object)
	if !ok {
		im.typeWarn("servers", "array of objects")
		return
	}
	raw := im.str(srv, "url", "servers")
	for _, m := range im.object(srv, "variables", "servers") {
		if vo, ok := m.val.(object); ok {
			if d, ok := vo.get("default"); ok {
				raw = strings.ReplaceAll(raw, "{"+m.key+"}", scalarString(d))
			}
		}
	}
	p := raw
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		p = u.Path
	}
	p = "/" + strings.Trim(p, "/")
	if p == "/" {
		p = ""
	}
	im.base = p
}

// routePath applies the basepath option to a path of the document.
func (im *importer) routePath(p string) string {
	base := im.base
	switch im.basepath {
	case "prepend":
	case "split":
		if i := strings.IndexByte(base[min(1, len(base)):], '/'); i >= 0 {
			base = base[i+1:]
		} else {
			base = ""
		}
	default:
		return p
	}
	if base == "" {
		return p
	}
	if p == "/" {
		return base
	}
	return base + p
}

func (im *importer) cors(v any) {
	o, ok := v.(object)
	if !ok {
		im.typeWarn("x-amazon-apigateway-cors", "object")
		return
	}
	const loc = "x-amazon-apigateway-cors"
	im.unexpected(o, loc, "allowOrigins", "allowCredentials", "exposeHeaders", "maxAge", "allowMethods", "allowHeaders")
	im.def.Cors = &gateway.Cors{
		AllowOrigins:     im.strings(o, "allowOrigins", loc),
		AllowCredentials: im.boolean(o, "allowCredentials", loc),
		ExposeHeaders:    im.strings(o, "exposeHeaders", loc),
		MaxAge:           im.integer(o, "maxAge", loc),
		AllowMethods:     im.strings(o, "allowMethods", loc),
		AllowHeaders:     im.strings(o, "allowHeaders", loc),
	}
}

// securitySchemes turns the schemes that carry x-amazon-apigateway-authorizer into
// authorizers and remembers what every scheme name means for routes.
func (im *importer) securitySchemes(schemes object) {
	const wellKnown = "/.well-known/openid-configuration"
	for _, m := range schemes {
		name, loc := m.key, "components.securitySchemes."+m.key
		if name == "" {
			im.warnf("Parse issue: attribute %s has an empty name. Ignoring.", loc)
			continue
		}
		s, ok := m.val.(object)
		if !ok {
			im.typeWarn(loc, "object")
			continue
		}
		az := im.object(s, "x-amazon-apigateway-authorizer", loc)
		if az == nil {
			if strings.EqualFold(im.str(s, "x-amazon-apigateway-authtype", loc), "awsSigv4") {
				im.schemes[name] = scheme{authType: AuthIAM}
			} else {
				im.schemes[name] = scheme{}
			}
			continue
		}
		aloc := loc + ".x-amazon-apigateway-authorizer"
		a := gateway.Authorizer{Name: name}
		for _, src := range strings.Split(im.str(az, "identitySource", aloc), ",") {
			if src = strings.TrimSpace(src); src != "" {
				a.IdentitySource = append(a.IdentitySource, src)
			}
		}
		var st scheme
		switch typ := im.str(az, "type", aloc); strings.ToLower(typ) {
		case "jwt":
			im.unexpected(az, aloc, "type", "identitySource", "jwtConfiguration")
			jc := im.object(az, "jwtConfiguration", aloc)
			jloc := aloc + ".jwtConfiguration"
			im.unexpected(jc, jloc, "issuer", "audience")
			a.AuthorizerType = "JWT"
			a.JwtConfiguration = &gateway.JWTConfiguration{
				Issuer:   im.str(jc, "issuer", jloc),
				Audience: im.strings(jc, "audience", jloc),
			}
			if a.JwtConfiguration.Issuer == "" && strings.EqualFold(im.str(s, "type", loc), "openIdConnect") {
				u := im.str(s, "openIdConnectUrl", loc)
				issuer, ok := strings.CutSuffix(u, wellKnown)
				if !ok || issuer == "" {
					im.warnf("Unable to create Authorizer '%s': openIdConnectUrl %q does not end in %s", name, u, wellKnown)
					im.schemes[name] = scheme{}
					continue
				}
				a.JwtConfiguration.Issuer = issuer
			}
			if a.JwtConfiguration.Issuer == "" {
				im.warnf("Unable to create Authorizer '%s': a JWT authorizer needs jwtConfiguration.issuer or an openIdConnectUrl", name)
				im.schemes[name] = scheme{}
				continue
			}
			st = scheme{authType: AuthJWT, ref: name}
		case "request":
			im.unexpected(az, aloc, "type", "identitySource", "authorizerUri", "authorizerCredentials",
				"authorizerPayloadFormatVersion", "enableSimpleResponses", "authorizerResultTtlInSeconds")
			a.AuthorizerType = "REQUEST"
			a.AuthorizerUri = im.str(az, "authorizerUri", aloc)
			a.AuthorizerCredentialsArn = im.str(az, "authorizerCredentials", aloc)
			a.AuthorizerPayloadFormatVersion = im.version(az, "authorizerPayloadFormatVersion", aloc)
			a.EnableSimpleResponses = im.boolean(az, "enableSimpleResponses", aloc)
			a.AuthorizerResultTtlInSeconds = im.integer(az, "authorizerResultTtlInSeconds", aloc)
			st = scheme{authType: AuthCustom, ref: name}
		default:
			if typ == "" {
				typ = "null"
			}
			im.warnf("Unable to create Authorizer '%s': authorizer type '%s' is not supported for HTTP APIs; use jwt or request", name, typ)
			im.schemes[name] = scheme{}
			continue
		}
		im.schemes[name] = st
		im.def.Authorizers = append(im.def.Authorizers, Authorizer{Ref: name, Authorizer: a})
	}
}

// componentIntegrations adds the reusable integrations, referenced or not.
func (im *importer) componentIntegrations(ints object) {
	for _, m := range ints {
		loc := "components.x-amazon-apigateway-integrations." + m.key
		if m.key == "" {
			im.warnf("Parse issue: attribute %s has an empty name. Ignoring.", loc)
			continue
		}
		o, ok := m.val.(object)
		if !ok {
			im.typeWarn(loc, "object")
			continue
		}
		if in, ok := im.integration(o, loc, m.key); ok {
			im.addIntegration(m.key, in)
		}
	}
}

func (im *importer) addIntegration(ref string, in gateway.Integration) {
	im.intRefs[ref] = true
	im.def.Integrations = append(im.def.Integrations, Integration{Ref: ref, Integration: in})
}

// integration reads an x-amazon-apigateway-integration object. label names its user in the
// "Unknown integration type" warning.
func (im *importer) integration(o object, loc, label string) (gateway.Integration, bool) {
	typ := im.str(o, "type", loc)
	in := gateway.Integration{IntegrationType: strings.ToUpper(typ)}
	if in.IntegrationType != "AWS_PROXY" && in.IntegrationType != "HTTP_PROXY" {
		if typ == "" {
			typ = "null"
		}
		im.warnf("Unknown integration type '%s' for '%s'. Ignoring.", typ, label)
		return in, false
	}
	for _, m := range o {
		switch m.key {
		case "type", "uri", "httpMethod", "payloadFormatVersion", "connectionType", "connectionId",
			"credentials", "integrationSubtype", "timeoutInMillis", "requestParameters",
			"responseParameters", "tlsConfig", "description":
		case "passthroughBehavior", "contentHandling", "requestTemplates", "responses",
			"cacheKeyParameters", "cacheNamespace":
			im.infof("%s is not supported for HTTP APIs and was ignored", join(loc, m.key))
		default:
			if !strings.HasPrefix(m.key, "x-") {
				im.warnf("Parse issue: attribute %s is unexpected", join(loc, m.key))
			}
		}
	}
	in.IntegrationUri = im.str(o, "uri", loc)
	in.IntegrationMethod = im.str(o, "httpMethod", loc)
	in.PayloadFormatVersion = im.version(o, "payloadFormatVersion", loc)
	in.ConnectionType = im.str(o, "connectionType", loc)
	in.ConnectionId = im.str(o, "connectionId", loc)
	in.CredentialsArn = im.str(o, "credentials", loc)
	in.IntegrationSubtype = im.str(o, "integrationSubtype", loc)
	in.Description = im.str(o, "description", loc)
	if t := im.integer(o, "timeoutInMillis", loc); t != nil {
		in.TimeoutInMillis = *t
	}
	in.RequestParameters = im.stringMap(o, "requestParameters", loc)
	if rp := im.object(o, "responseParameters", loc); rp != nil {
		in.ResponseParameters = make(map[string]map[string]string, len(rp))
		for _, m := range rp {
			in.ResponseParameters[m.key] = im.stringMap(rp, m.key, join(loc, "responseParameters"))
		}
	}
	if tls := im.object(o, "tlsConfig", loc); tls != nil {
		tloc := join(loc, "tlsConfig")
		if _, ok := tls.get("insecureSkipVerification"); ok {
			im.infof("%s.insecureSkipVerification is supported only for REST APIs and was ignored", tloc)
		}
		im.unexpected(tls, tloc, "serverNameToVerify", "insecureSkipVerification")
		if sn := im.str(tls, "serverNameToVerify", tloc); sn != "" {
			in.TlsConfig = &gateway.TlsConfig{ServerNameToVerify: sn}
		}
	}
	// The defaults CreateIntegration applies.
	if in.ConnectionType == "" {
		in.ConnectionType = "INTERNET"
	}
	if in.TimeoutInMillis == 0 {
		in.TimeoutInMillis = defaultTimeout
	}
	if in.PayloadFormatVersion == "" {
		in.PayloadFormatVersion = "1.0"
	}
	if in.IntegrationType == "AWS_PROXY" && in.IntegrationMethod == "" {
		in.IntegrationMethod = "POST"
	}
	return in, true
}

// defaultTimeout is an HTTP API integration's default timeoutInMillis.
const defaultTimeout = 30000

// operations maps path item keys to route methods.
var operations = map[string]string{
	"get": "GET", "put": "PUT", "post": "POST", "delete": "DELETE", "options": "OPTIONS",
	"head": "HEAD", "patch": "PATCH", "x-amazon-apigateway-any-method": "ANY",
}

func (im *importer) pathItem(p string, v any) error {
	loc := "paths.'" + p + "'"
	item, ok := v.(object)
	if !ok {
		im.typeWarn(loc, "object")
		return nil
	}
	if !strings.HasPrefix(p, "/") {
		im.warnf("Parse issue: attribute paths. Resource %s should start with /", p)
		if p != "$default" { // AWS still imports "$default" as "/$default"
			return nil
		}
		p = "/$default"
	}
	for _, m := range item {
		method, ok := operations[m.key]
		switch {
		case ok:
			op, ok := m.val.(object)
			if !ok {
				im.typeWarn(loc+"("+m.key+")", "object")
				continue
			}
			if err := im.operation(p, method, m.key, op); err != nil {
				return err
			}
		case m.key == "trace":
			im.warnf("Unable to create route 'TRACE %s': HTTP APIs do not support the TRACE method. Ignoring.", p)
		case m.key == "x-amazon-apigateway-integration":
			im.warnf("%s.x-amazon-apigateway-integration is ignored: integrations belong to operations", loc)
		case m.key == "$ref":
			im.warnf("Parse issue: attribute %s.$ref is unsupported", loc)
		case m.key == "parameters", m.key == "summary", m.key == "description", m.key == "servers",
			strings.HasPrefix(m.key, "x-"):
		default:
			im.warnf("Parse issue: attribute %s.%s is unexpected", loc, m.key)
		}
	}
	return nil
}

func (im *importer) operation(p, method, opKey string, op object) error {
	loc := "paths.'" + p + "'(" + opKey + ")"
	isDefault := method == "ANY" && p == "/$default"
	if b := im.boolean(op, "isDefaultRoute", loc); b != nil && *b {
		isDefault = true
	}
	key := route.DefaultKey
	if !isDefault {
		key = method + " " + im.routePath(p)
	}
	if _, err := route.Parse(key); err != nil {
		msg := err.Error()
		if e, ok := awserr.As(err); ok {
			msg = e.Message
		}
		im.warnf("Unable to create route '%s': %s. Ignoring.", key, msg)
		return nil
	}
	if im.keys[key] {
		im.warnf("Duplicate route '%s'. Ignoring.", key)
		return nil
	}
	im.keys[key] = true
	r := Route{RouteKey: key, AuthorizationType: AuthNone, OperationName: im.str(op, "operationId", loc)}

	if iv, ok := op.get("x-amazon-apigateway-integration"); ok && iv != nil {
		iloc := loc + ".x-amazon-apigateway-integration"
		if o, ok := iv.(object); !ok {
			im.typeWarn(iloc, "object")
		} else if ref, ok := o.get("$ref"); ok {
			const prefix = "#/components/x-amazon-apigateway-integrations/"
			s, _ := ref.(string)
			name, ok := strings.CutPrefix(s, prefix)
			if !ok || !im.intRefs[name] {
				im.warnf("Unable to resolve integration reference '%s' for '%s'. Ignoring.", scalarString(ref), key)
			} else {
				r.Integration = name
			}
		} else if in, ok := im.integration(o, iloc, key); ok {
			ref := key
			for n := 2; im.intRefs[ref]; n++ {
				ref = key + "#" + strconv.Itoa(n)
			}
			im.addIntegration(ref, in)
			r.Integration = ref
		}
	}

	sec, ok := op.get("security")
	if !ok {
		sec, _ = im.root.get("security")
	}
	if err := im.security(&r, sec, loc); err != nil {
		return err
	}
	if _, ok := op.get("requestBody"); ok {
		im.infof("%s.requestBody was ignored: HTTP APIs do not support request validation", loc)
	}
	im.def.Routes = append(im.def.Routes, r)
	return nil
}

// security applies an operation's (or the document's) security requirements to r.
func (im *importer) security(r *Route, v any, loc string) error {
	if v == nil {
		return nil
	}
	arr, ok := v.([]any)
	if !ok {
		im.typeWarn(loc+".security", "array")
		return nil
	}
	var reqs []object
	for _, e := range arr {
		o, ok := e.(object)
		if !ok {
			im.typeWarn(loc+".security", "array of objects")
			return nil
		}
		if len(o) > 0 { // {} is "no authorization"
			reqs = append(reqs, o)
		}
	}
	if len(reqs) == 0 {
		return nil
	}
	if len(reqs) > 1 || len(reqs[0]) > 1 {
		return importErr("Route '%s' has more than one security requirement; an HTTP API route supports only one of IAM authorization, a Lambda authorizer or a JWT authorizer", r.RouteKey)
	}
	name := reqs[0][0].key
	scopes := im.strings(reqs[0], name, loc+".security")
	s, ok := im.schemes[name]
	switch {
	case !ok:
		im.warnf("Security scheme '%s' used by '%s' is not defined in components.securitySchemes. Ignoring.", name, r.RouteKey)
		return nil
	case s.authType == "":
		im.warnf("Security scheme '%s' used by '%s' has no usable x-amazon-apigateway-authorizer. Ignoring.", name, r.RouteKey)
		return nil
	}
	r.AuthorizationType, r.Authorizer = s.authType, s.ref
	if len(scopes) > 0 {
		if s.authType == AuthJWT {
			r.AuthorizationScopes = scopes
		} else {
			im.warnf("Authorization Scopes are only valid for COGNITO_USER_POOLS and JWT authorization types; the scopes of '%s' were ignored", r.RouteKey)
		}
	}
	return nil
}
