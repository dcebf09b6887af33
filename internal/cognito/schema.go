package cognito

import (
	"net/mail"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// standardAttributes lists the OIDC standard attributes in the order DescribeUserPool reports them.
var standardAttributes = []SchemaAttribute{
	stdString("sub", false, true, "1", "2048"),
	stdString("name", true, false, "0", "2048"),
	stdString("given_name", true, false, "0", "2048"),
	stdString("family_name", true, false, "0", "2048"),
	stdString("middle_name", true, false, "0", "2048"),
	stdString("nickname", true, false, "0", "2048"),
	stdString("preferred_username", true, false, "0", "2048"),
	stdString("profile", true, false, "0", "2048"),
	stdString("picture", true, false, "0", "2048"),
	stdString("website", true, false, "0", "2048"),
	stdString("email", true, false, "0", "2048"),
	stdBool("email_verified"),
	stdString("gender", true, false, "0", "2048"),
	stdString("birthdate", true, false, "10", "10"),
	stdString("zoneinfo", true, false, "0", "2048"),
	stdString("locale", true, false, "0", "2048"),
	stdString("phone_number", true, false, "0", "2048"),
	stdBool("phone_number_verified"),
	stdString("address", true, false, "0", "2048"),
	{Name: "updated_at", AttributeDataType: "Number", DeveloperOnlyAttribute: ptr(false), Mutable: ptr(true), Required: ptr(false),
		NumberAttributeConstraints: &NumberAttributeConstraints{MinValue: ptr("0")}},
}

func stdString(name string, mutable, required bool, minLen, maxLen string) SchemaAttribute {
	return SchemaAttribute{Name: name, AttributeDataType: "String", DeveloperOnlyAttribute: ptr(false),
		Mutable: ptr(mutable), Required: ptr(required),
		StringAttributeConstraints: &StringAttributeConstraints{MinLength: ptr(minLen), MaxLength: ptr(maxLen)}}
}

func stdBool(name string) SchemaAttribute {
	return SchemaAttribute{Name: name, AttributeDataType: "Boolean", DeveloperOnlyAttribute: ptr(false), Mutable: ptr(true), Required: ptr(false)}
}

// maxCustomAttributes is Cognito's limit of custom attributes per pool.
const maxCustomAttributes = 50

// buildSchema returns the pool schema for a CreateUserPool request: the standard attributes with
// the request's overrides applied, then the request's custom attributes.
func buildSchema(req []SchemaAttribute) ([]SchemaAttribute, error) {
	out := slices.Clone(standardAttributes)
	for i := range out {
		out[i] = cloneSchemaAttribute(out[i])
	}
	var custom []SchemaAttribute
	for _, a := range req {
		idx := slices.IndexFunc(out, func(s SchemaAttribute) bool { return s.Name == a.Name })
		if idx < 0 {
			custom = append(custom, a)
			continue
		}
		std := &out[idx]
		if a.AttributeDataType != "" && a.AttributeDataType != std.AttributeDataType {
			return nil, errInvalidParam("You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute %s", a.Name)
		}
		if a.DeveloperOnlyAttribute != nil && *a.DeveloperOnlyAttribute {
			return nil, errInvalidParam("You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute %s", a.Name)
		}
		if a.Name == "sub" && (a.Mutable != nil && *a.Mutable) {
			return nil, errInvalidParam("You can not change Mutable for standard schema attribute sub")
		}
		if a.Mutable != nil {
			std.Mutable = ptr(*a.Mutable)
		}
		if a.Required != nil {
			std.Required = ptr(*a.Required)
		}
		if a.StringAttributeConstraints != nil && std.StringAttributeConstraints != nil {
			sc := *a.StringAttributeConstraints
			if sc.MinLength != nil {
				std.StringAttributeConstraints.MinLength = ptr(*sc.MinLength)
			}
			if sc.MaxLength != nil {
				std.StringAttributeConstraints.MaxLength = ptr(*sc.MaxLength)
			}
		}
		if a.NumberAttributeConstraints != nil && std.NumberAttributeConstraints != nil {
			nc := *a.NumberAttributeConstraints
			if nc.MinValue != nil {
				std.NumberAttributeConstraints.MinValue = ptr(*nc.MinValue)
			}
			if nc.MaxValue != nil {
				std.NumberAttributeConstraints.MaxValue = ptr(*nc.MaxValue)
			}
		}
	}
	return addCustomAttributes(out, custom)
}

func cloneSchemaAttribute(a SchemaAttribute) SchemaAttribute {
	c := a
	if a.StringAttributeConstraints != nil {
		sc := *a.StringAttributeConstraints
		c.StringAttributeConstraints = &sc
	}
	if a.NumberAttributeConstraints != nil {
		nc := *a.NumberAttributeConstraints
		c.NumberAttributeConstraints = &nc
	}
	return c
}

// addCustomAttributes appends custom attribute definitions to schema, applying Cognito's defaults
// and limits. Cognito prefixes every name with "custom:" (or "dev:custom:"), even a name that
// already starts with "custom:": "custom:x" becomes "custom:custom:x".
func addCustomAttributes(schema []SchemaAttribute, attrs []SchemaAttribute) ([]SchemaAttribute, error) {
	count := 0
	for _, a := range schema {
		if isCustomName(a.Name) {
			count++
		}
	}
	for _, a := range attrs {
		name := a.Name
		if name == "" {
			return nil, errInvalidParam("Attribute name must not be empty")
		}
		if a.Required != nil && *a.Required {
			return nil, errInvalidParam("Required custom attributes are not supported currently.")
		}
		dt := a.AttributeDataType
		if dt == "" {
			dt = "String"
		}
		if dt != "String" && dt != "Number" && dt != "DateTime" && dt != "Boolean" {
			return nil, errInvalidParam("Invalid AttributeDataType %s for custom attribute %s", dt, name)
		}
		devOnly := a.DeveloperOnlyAttribute != nil && *a.DeveloperOnlyAttribute
		full := "custom:" + name
		if devOnly {
			full = "dev:custom:" + name
		}
		if slices.ContainsFunc(schema, func(s SchemaAttribute) bool {
			return s.Name == "custom:"+name || s.Name == "dev:custom:"+name
		}) {
			return nil, errInvalidParam("Existing attribute already has name %s.", full)
		}
		if count++; count > maxCustomAttributes {
			return nil, errInvalidParam("Schema can have at most %d custom attributes.", maxCustomAttributes)
		}
		na := SchemaAttribute{Name: full, AttributeDataType: dt, DeveloperOnlyAttribute: ptr(devOnly),
			Mutable: ptr(a.Mutable == nil || *a.Mutable), Required: ptr(false)}
		switch dt {
		case "String":
			sc := StringAttributeConstraints{}
			if a.StringAttributeConstraints != nil {
				sc = *a.StringAttributeConstraints
			}
			if err := checkBounds(full, sc.MinLength, sc.MaxLength, true); err != nil {
				return nil, err
			}
			na.StringAttributeConstraints = &sc
		case "Number":
			nc := NumberAttributeConstraints{}
			if a.NumberAttributeConstraints != nil {
				nc = *a.NumberAttributeConstraints
			}
			if err := checkBounds(full, nc.MinValue, nc.MaxValue, false); err != nil {
				return nil, err
			}
			na.NumberAttributeConstraints = &nc
		}
		schema = append(schema, na)
	}
	return schema, nil
}

func checkBounds(name string, lo, hi *string, integer bool) error {
	parse := func(s *string) (float64, bool, error) {
		if s == nil || *s == "" {
			return 0, false, nil
		}
		f, err := strconv.ParseFloat(*s, 64)
		if err != nil || (integer && (f != float64(int64(f)) || f < 0)) {
			return 0, true, errInvalidParam("Invalid constraint value %q for attribute %s", *s, name)
		}
		return f, true, nil
	}
	l, hasL, err := parse(lo)
	if err != nil {
		return err
	}
	h, hasH, err := parse(hi)
	if err != nil {
		return err
	}
	if integer && hasH && h > 2048 {
		return errInvalidParam("Max length for attribute %s cannot be more than 2048", name)
	}
	if hasL && hasH && l > h {
		return errInvalidParam("Min constraint for attribute %s cannot be greater than max constraint", name)
	}
	return nil
}

func isCustomName(name string) bool {
	return strings.HasPrefix(name, "custom:") || strings.HasPrefix(name, "dev:custom:")
}

// schemaAttr finds the schema definition for an attribute name as clients write it. Developer-only
// attributes are addressed as "dev:custom:x".
func schemaAttr(schema []SchemaAttribute, name string) (SchemaAttribute, bool) {
	i := slices.IndexFunc(schema, func(a SchemaAttribute) bool { return a.Name == name })
	if i < 0 {
		return SchemaAttribute{}, false
	}
	return schema[i], true
}

var phoneRE = regexp.MustCompile(`^\+[0-9]{4,15}$`)

// validPhone reports whether v is an E.164 phone number as Cognito requires (+ and digits).
func validPhone(v string) bool { return phoneRE.MatchString(v) }

// validEmail reports whether v is an email address Cognito accepts.
func validEmail(v string) bool {
	if strings.ContainsAny(v, " \t\r\n<>") || strings.Count(v, "@") != 1 {
		return false
	}
	a, err := mail.ParseAddress(v)
	return err == nil && a.Address == v
}

// attrMode says who is writing attributes, which decides what may be written.
type attrMode int

const (
	// modeAdmin is an administrator (Admin* operations): developer-only attributes are writable.
	modeAdmin attrMode = iota
	// modeUser is the user through a public operation (SignUp): developer-only attributes are not.
	modeUser
)

// validateAttributes checks attribute values against the schema and returns them as a map.
// creating is true when the user is being created (immutable attributes may be set then).
func validateAttributes(schema []SchemaAttribute, attrs []Attribute, mode attrMode, creating bool) (map[string]string, error) {
	out := map[string]string{}
	var problems []string
	for _, a := range attrs {
		v := ""
		if a.Value != nil {
			v = *a.Value
		}
		def, ok := schemaAttr(schema, a.Name)
		if !ok || (mode == modeUser && strings.HasPrefix(a.Name, "dev:")) {
			problems = append(problems, a.Name+": Attribute does not exist in the schema.")
			continue
		}
		if a.Name == "sub" {
			problems = append(problems, "sub: Attribute cannot be updated. (changing an immutable attribute)")
			continue
		}
		if !creating && def.Mutable != nil && !*def.Mutable {
			problems = append(problems, a.Name+": Attribute cannot be updated. (changing an immutable attribute)")
			continue
		}
		if p := checkValue(def, v); p != "" {
			problems = append(problems, a.Name+": "+p)
			continue
		}
		out[a.Name] = v
	}
	if len(problems) > 0 {
		return nil, schemaError(problems)
	}
	if e, ok := out["email"]; ok && e != "" && !validEmail(e) {
		return nil, errInvalidParam("Invalid email address format.")
	}
	if p, ok := out["phone_number"]; ok && p != "" && !validPhone(p) {
		return nil, errInvalidParam("Invalid phone number format.")
	}
	return out, nil
}

func schemaError(problems []string) error {
	return errInvalidParam("Attributes did not conform to the schema: %s\n", strings.Join(problems, "\n"))
}

// checkValue returns what is wrong with v for attribute def, or "".
func checkValue(def SchemaAttribute, v string) string {
	switch def.AttributeDataType {
	case "Boolean":
		if v != "true" && v != "false" && v != "" {
			return "Attribute value must be a boolean: true or false."
		}
	case "Number":
		if v == "" {
			return ""
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return "Number must be a valid number."
		}
		if c := def.NumberAttributeConstraints; c != nil {
			if c.MinValue != nil && *c.MinValue != "" {
				if lo, err := strconv.ParseFloat(*c.MinValue, 64); err == nil && f < lo {
					return "Number must be no less than " + *c.MinValue + "."
				}
			}
			if c.MaxValue != nil && *c.MaxValue != "" {
				if hi, err := strconv.ParseFloat(*c.MaxValue, 64); err == nil && f > hi {
					return "Number must be no greater than " + *c.MaxValue + "."
				}
			}
		}
	case "DateTime":
	default:
		n := utf8.RuneCountInString(v)
		max := 2048
		if c := def.StringAttributeConstraints; c != nil {
			if c.MaxLength != nil && *c.MaxLength != "" {
				if m, err := strconv.Atoi(*c.MaxLength); err == nil {
					max = m
				}
			}
			if c.MinLength != nil && *c.MinLength != "" && v != "" {
				if m, err := strconv.Atoi(*c.MinLength); err == nil && n < m {
					return "String must be no shorter than " + *c.MinLength + " characters."
				}
			}
		}
		if n > max {
			return "String must be no longer than " + strconv.Itoa(max) + " characters."
		}
	}
	return ""
}

// requiredMissing returns the names of required attributes absent from attrs.
func requiredMissing(schema []SchemaAttribute, attrs map[string]string) []string {
	var missing []string
	for _, a := range schema {
		if a.Required != nil && *a.Required && a.Name != "sub" {
			if v, ok := attrs[a.Name]; !ok || v == "" {
				missing = append(missing, a.Name)
			}
		}
	}
	return missing
}
