package awsmodel

import (
	"slices"
	"testing"
)

func TestLoadAllServices(t *testing.T) {
	want := []string{"apigateway", "apigatewayv2", "cognito-identity", "cognito-idp", "lambda", "sts"}
	if got := Services(); !slices.Equal(got, want) {
		t.Fatalf("Services() = %v, want %v", got, want)
	}
	for _, svc := range want {
		m, err := Load(svc)
		if err != nil {
			t.Fatalf("Load(%s): %v", svc, err)
		}
		if len(m.Operations()) == 0 {
			t.Errorf("%s: no operations", svc)
		}
		if m2 := MustLoad(svc); m2 != m {
			t.Errorf("%s: models are not cached", svc)
		}
		for _, name := range m.Operations() {
			op, _ := m.Operation(name)
			if op.Input != "" && op.InputShape() == nil {
				t.Errorf("%s.%s: input shape not resolved", svc, name)
			}
		}
	}
	if _, err := Load("nope"); err == nil {
		t.Error("Load(nope) succeeded")
	}
	if _, err := Load("../models/sts"); err == nil {
		t.Error("Load with a path succeeded")
	}
}

func TestMetadataAndOperations(t *testing.T) {
	idp := MustLoad("cognito-idp")
	if idp.Protocol != "json" || idp.TargetPrefix != "AWSCognitoIdentityProviderService" || idp.JSONVersion != "1.1" ||
		idp.ServiceID != "Cognito Identity Provider" || idp.SigningService() != "cognito-idp" {
		t.Errorf("cognito-idp metadata = %+v", idp.Metadata)
	}
	if got := idp.ValidationErrorType(); got != "InvalidParameterException" {
		t.Errorf("ValidationErrorType = %q", got)
	}
	ia, ok := idp.Operation("InitiateAuth")
	if !ok || !ia.Anonymous() || ia.Input != "InitiateAuthRequest" || ia.Output != "InitiateAuthResponse" {
		t.Fatalf("InitiateAuth = %+v", ia)
	}
	if !slices.Contains(ia.Errors, "NotAuthorizedException") {
		t.Errorf("InitiateAuth errors = %v", ia.Errors)
	}
	if ac, _ := idp.Operation("AdminCreateUser"); ac.Anonymous() {
		t.Error("AdminCreateUser is anonymous")
	}

	s, ok := idp.Shape("AdminCreateUserRequest")
	if !ok {
		t.Fatal("no AdminCreateUserRequest")
	}
	var names []string
	for _, mb := range s.Members {
		names = append(names, mb.Name)
	}
	if names[0] != "UserPoolId" || names[1] != "Username" || names[2] != "UserAttributes" {
		t.Errorf("member order not kept: %v", names)
	}
	if !s.IsRequired("Username") || s.IsRequired("UserAttributes") {
		t.Error("required members wrong")
	}
	pw, _ := idp.Shape("PasswordType")
	if !pw.Sensitive || pw.Max == nil || *pw.Max != 256 || pw.Pattern != `[\S]+` {
		t.Errorf("PasswordType = %+v", pw)
	}
	ua, _ := s.Member("UserAttributes")
	if ua.Target().Type != "list" || ua.Target().Elem().Name != "AttributeType" {
		t.Errorf("UserAttributes target = %+v", ua.Target())
	}
	cm, _ := idp.Shape("ClientMetadataType")
	if cm.Key().Name != "StringType" || cm.Value().Name != "StringType" {
		t.Errorf("ClientMetadataType key/value = %v/%v", cm.Key(), cm.Value())
	}

	lambda := MustLoad("lambda")
	if lambda.Protocol != "rest-json" || lambda.SigningService() != "lambda" {
		t.Errorf("lambda metadata = %+v", lambda.Metadata)
	}
	cf, _ := lambda.Operation("CreateFunction")
	if cf.HTTP.Method != "POST" || cf.HTTP.RequestURI != "/2015-03-31/functions" || cf.HTTP.ResponseCode != 201 {
		t.Errorf("CreateFunction http = %+v", cf.HTTP)
	}
	gf, _ := lambda.Shape("GetFunctionRequest")
	fn, _ := gf.Member("FunctionName")
	if fn.Location != "uri" || fn.LocationName != "FunctionName" {
		t.Errorf("GetFunctionRequest.FunctionName = %+v", fn)
	}
	tmr, _ := lambda.Shape("TooManyRequestsException")
	if !tmr.Exception || tmr.Error == nil || tmr.Error.HTTPStatusCode != 429 {
		t.Errorf("TooManyRequestsException = %+v", tmr)
	}

	sts := MustLoad("sts")
	gci, _ := sts.Operation("GetCallerIdentity")
	if sts.Protocol != "query" || gci.OutputWrapper != "GetCallerIdentityResult" || sts.XMLNamespace == "" {
		t.Errorf("sts = %+v, GetCallerIdentity = %+v", sts.Metadata, gci)
	}
	v2 := MustLoad("apigatewayv2")
	capi, _ := v2.Shape("CreateApiRequest")
	name, _ := capi.Member("Name")
	if name.JSONName() != "name" {
		t.Errorf("apigatewayv2 CreateApiRequest.Name JSON name = %q", name.JSONName())
	}
}
