package awsmodel

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

type attribute struct {
	Name  string `json:"Name"`
	Value string `json:"Value,omitempty"`
	Typo  string `json:"Vaule,omitempty"`
}

type commonUser struct {
	UserPoolID string `json:"UserPoolId"`
}

type adminCreateUserInput struct {
	commonUser
	Username          *string           `json:"Username"`
	UserAttributes    []attribute       `json:"UserAttributes,omitempty"`
	ValidationData    []*attribute      `json:"ValidationData,omitempty"`
	ClientMetadata    map[string]string `json:"ClientMetadata,omitempty"`
	MessageAction     string            `json:"MessageAction,omitempty"`
	Extra             int               `json:"Extra"`
	internal          int               // unexported: not a JSON field
	Ignored           string            `json:"-"`
	TemporaryPassword string
}

func TestCheckStruct(t *testing.T) {
	_ = adminCreateUserInput{internal: 1}
	got := CheckStruct("cognito-idp", "AdminCreateUserRequest", reflect.TypeFor[*adminCreateUserInput]())
	var unknown, missing []string
	for _, p := range got {
		switch {
		case strings.HasPrefix(p, UnknownPrefix):
			unknown = append(unknown, p)
		case strings.HasPrefix(p, MissingPrefix):
			missing = append(missing, p)
		default:
			t.Errorf("problem without a known prefix: %q", p)
		}
	}
	wantUnknown := []string{
		`unknown: adminCreateUserInput.UserAttributes[].Typo: json field "Vaule" is not a member of shape AttributeType`,
		`unknown: adminCreateUserInput.Extra: json field "Extra" is not a member of shape AdminCreateUserRequest`,
	}
	slices.Sort(unknown)
	slices.Sort(wantUnknown)
	if !slices.Equal(unknown, wantUnknown) {
		t.Errorf("unknown problems:\n got %q\nwant %q", unknown, wantUnknown)
	}
	wantMissing := []string{
		`missing: adminCreateUserInput: shape AdminCreateUserRequest member "ForceAliasCreation" has no field`,
		`missing: adminCreateUserInput: shape AdminCreateUserRequest member "DesiredDeliveryMediums" has no field`,
	}
	for _, w := range wantMissing {
		if !slices.Contains(missing, w) {
			t.Errorf("missing problems %q lack %q", missing, w)
		}
	}
	for _, p := range missing {
		if strings.Contains(p, `"UserPoolId"`) || strings.Contains(p, `"TemporaryPassword"`) || strings.Contains(p, `"ValidationData"`) {
			t.Errorf("member reported missing although present: %q", p)
		}
	}
}

func TestCheckStructErrors(t *testing.T) {
	for _, tc := range []struct{ svc, shape string }{{"nope", "X"}, {"cognito-idp", "NoSuchShape"}} {
		got := CheckStruct(tc.svc, tc.shape, reflect.TypeFor[attribute]())
		if len(got) != 1 || !strings.HasPrefix(got[0], UnknownPrefix) {
			t.Errorf("CheckStruct(%s, %s) = %q", tc.svc, tc.shape, got)
		}
	}
}

func TestCheckStructRESTBoundMembers(t *testing.T) {
	type getFunctionInput struct {
		FunctionName string `json:"-"`
		Qualifier    string `json:"Qualifier"`
	}
	if got := CheckStruct("lambda", "GetFunctionRequest", reflect.TypeFor[getFunctionInput]()); len(got) != 0 {
		t.Errorf("problems: %q", got)
	}
}
