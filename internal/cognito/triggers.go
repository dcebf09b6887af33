package cognito

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"github.com/gatehouse-dev/gatehouse/internal/lambda"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
)

// The user pool's Lambda triggers (LambdaConfig): the events Cognito sends them, their
// invocation through the Lambda Invoker, and the errors Cognito reports when one fails. A
// trigger never runs inside a storage transaction: operations invoke it before their write
// transaction (and check the state again inside it) or after the commit.

// Trigger names, as the LambdaConfig members and Cognito's error messages name them.
const (
	trigPreSignUp           = "PreSignUp"
	trigCustomMessage       = "CustomMessage"
	trigPostConfirmation    = "PostConfirmation"
	trigPreAuthentication   = "PreAuthentication"
	trigPostAuthentication  = "PostAuthentication"
	trigDefineAuthChallenge = "DefineAuthChallenge"
	trigCreateAuthChallenge = "CreateAuthChallenge"
	trigVerifyAuthChallenge = "VerifyAuthChallengeResponse"
	trigPreTokenGeneration  = "PreTokenGeneration"
	trigUserMigration       = "UserMigration"
)

// lambdaPrincipal is the service principal Cognito invokes functions as; function policies
// (AddPermission) name it.
const lambdaPrincipal = "cognito-idp.amazonaws.com"

// triggerTimeout is how long Cognito waits for a function; a call that times out is retried,
// up to triggerAttempts calls in all (AWS: "it must respond within 5 seconds … Amazon Cognito
// may retry the call").
var triggerTimeout = 5 * time.Second

const triggerAttempts = 3

// sdkUnknown is the callerContext.awsSdkVersion Cognito sends when it cannot tell the caller's
// SDK (and for administrative operations).
const sdkUnknown = "aws-sdk-unknown-unknown"

// clientNotApplicable is the callerContext.clientId of events from operations without an app
// client (AdminCreateUser, AdminConfirmSignUp, …).
const clientNotApplicable = "CLIENT_ID_NOT_APPLICABLE"

// lambdaConfig is the part of a pool's LambdaConfig that names its triggers.
type lambdaConfig struct {
	PreSignUp                   string
	CustomMessage               string
	PostConfirmation            string
	PreAuthentication           string
	PostAuthentication          string
	DefineAuthChallenge         string
	CreateAuthChallenge         string
	VerifyAuthChallengeResponse string
	PreTokenGeneration          string
	UserMigration               string
	PreTokenGenerationConfig    *struct {
		LambdaArn     string
		LambdaVersion string
	}
}

// triggersOf reads the triggers a pool configures.
func triggersOf(p *UserPool) lambdaConfig {
	var c lambdaConfig
	if len(p.LambdaConfig) > 0 {
		_ = json.Unmarshal(p.LambdaConfig, &c)
	}
	return c
}

// preTokenGeneration returns the pre token generation function and the version of the event it
// gets: PreTokenGenerationConfig (LambdaVersion V1_0, V2_0 or V3_0) when set, else the legacy
// PreTokenGeneration member (version 1).
func (c lambdaConfig) preTokenGeneration() (arn, version string) {
	if pc := c.PreTokenGenerationConfig; pc != nil && pc.LambdaArn != "" {
		switch pc.LambdaVersion {
		case "V2_0":
			return pc.LambdaArn, "2"
		case "V3_0":
			return pc.LambdaArn, "3"
		}
		return pc.LambdaArn, "1"
	}
	return c.PreTokenGeneration, "1"
}

// triggerEvent is the event every trigger receives; Request and Response are the
// trigger-specific members. The member order is the one Cognito sends.
type triggerEvent struct {
	Version       string        `json:"version"`
	Region        string        `json:"region"`
	UserPoolID    string        `json:"userPoolId"`
	UserName      string        `json:"userName"`
	CallerContext callerContext `json:"callerContext"`
	TriggerSource string        `json:"triggerSource"`
	Request       any           `json:"request"`
	Response      any           `json:"response"`
}

// callerContext is the event's callerContext.
type callerContext struct {
	AWSSDKVersion string `json:"awsSdkVersion"`
	ClientID      string `json:"clientId"`
}

// emptyResponse is the response of triggers that return nothing ({}).
type emptyResponse struct{}

// newEvent starts the event of a trigger of pool p for user name (the canonical user name)
// through app client clientID ("" for operations without one).
func (s *Service) newEvent(p *UserPool, source, name, clientID string, request, response any) *triggerEvent {
	if clientID == "" {
		clientID = clientNotApplicable
	}
	return &triggerEvent{Version: "1", Region: s.Region, UserPoolID: p.Id, UserName: name,
		CallerContext: callerContext{AWSSDKVersion: sdkUnknown, ClientID: clientID},
		TriggerSource: source, Request: request, Response: response}
}

// eventAttributes returns a user's attributes as events carry them: every attribute, the
// cognito:user_status, and cognito:email_alias / cognito:phone_number_alias for the sign-in
// aliases the user holds.
func eventAttributes(p *UserPool, u *userRecord) map[string]string {
	out := cloneMap(u.Attributes)
	out["cognito:user_status"] = u.Status
	for a := range aliases(p, u) {
		if a == "email" || a == "phone_number" {
			out["cognito:"+a+"_alias"] = u.Attributes[a]
		}
	}
	return out
}

// metadata returns ClientMetadata as events carry it: absent when the request had none.
func metadata(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return m
}

// attributeMap turns ValidationData into the event's validationData (null when empty).
func attributeMap(attrs []Attribute) map[string]string {
	if len(attrs) == 0 {
		return nil
	}
	out := make(map[string]string, len(attrs))
	for _, a := range attrs {
		out[a.Name] = deref(a.Value, "")
	}
	return out
}

// poolArn returns the ARN of pool p, the SourceArn of its invocations.
func (s *Service) poolArn(p *UserPool) string {
	if p.Arn != "" {
		return p.Arn
	}
	return s.poolArnPrefix() + p.Id
}

// Errors of triggers.

func errTriggerFailed(trigger, msg string) error {
	return awserr.Newf(ErrUserLambdaValidation, "%s failed with error %s.", trigger, msg)
}

func errInvocationFailed(trigger, cause string) error {
	return awserr.Newf(ErrUnexpectedLambda, "%s invocation failed due to error %s.", trigger, cause)
}

func errUnrecognizable() error {
	return awserr.New(ErrInvalidLambdaResponse, "Unrecognizable lambda output")
}

func errInvalidOutputJSON() error {
	return awserr.New(ErrInvalidLambdaResponse, "Invalid lambda function output : Invalid JSON")
}

// invokeTrigger runs trigger (named as Cognito names it in errors) of pool p, function arn,
// with event ev, and returns the members of the response the function returned (none when it
// returned no response). The errors are Cognito's: UserLambdaValidationException "<trigger>
// failed with error <message>." when the function fails, UnexpectedLambdaException "<trigger>
// invocation failed due to error <cause>." when it cannot be invoked or times out, and
// InvalidLambdaResponseException when its output is not a JSON object or its response not an
// object.
func (s *Service) invokeTrigger(ctx context.Context, p *UserPool, trigger, arn string, ev *triggerEvent) (respFields, error) {
	payload, err := json.Marshal(ev)
	if err != nil {
		return nil, err
	}
	if s.Lambda == nil {
		// No Lambda service: the function cannot be found, as for a deleted function.
		return nil, errInvocationFailed(trigger, awserr.ResourceNotFound)
	}
	var out *lambda.InvokeOutput
	for attempt := 1; ; attempt++ {
		actx, cancel := context.WithTimeout(ctx, triggerTimeout)
		out, err = s.Lambda.Invoke(actx, lambda.InvokeInput{Function: arn, Payload: payload, InvocationType: lambda.RequestResponse,
			Principal: lambdaPrincipal, SourceArn: s.poolArn(p), SourceAccount: s.AccountID})
		timedOut := errors.Is(actx.Err(), context.DeadlineExceeded) && ctx.Err() == nil
		cancel()
		if err == nil || !timedOut {
			break
		}
		if attempt == triggerAttempts {
			return nil, errInvocationFailed(trigger, "Socket timeout while invoking Lambda function")
		}
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if e, ok := awserr.As(err); ok {
			return nil, errInvocationFailed(trigger, e.Type)
		}
		s.log().ErrorContext(ctx, "lambda trigger invocation failed", "pool", p.Id, "trigger", trigger, "err", err)
		return nil, errInvocationFailed(trigger, "ServiceException")
	}
	if out.FunctionError != "" {
		return nil, errTriggerFailed(trigger, functionErrorMessage(out.Payload))
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(out.Payload, &fields); err != nil || fields == nil {
		return nil, errInvalidOutputJSON()
	}
	return parseResponse(fields["response"])
}

// functionErrorMessage returns the message of a failed invocation's error JSON
// ({"errorMessage": …, "errorType": …}), or the payload itself when it has none.
func functionErrorMessage(payload []byte) string {
	var e struct {
		ErrorMessage *string `json:"errorMessage"`
	}
	if json.Unmarshal(payload, &e) == nil && e.ErrorMessage != nil {
		return *e.ErrorMessage
	}
	var str string
	if json.Unmarshal(payload, &str) == nil {
		return str
	}
	return strings.TrimSpace(string(payload))
}

// respFields is a trigger's response object, member by member; reading a member of the wrong
// JSON type is InvalidLambdaResponseException, as Cognito reports a response it cannot read.
type respFields map[string]json.RawMessage

// parseResponse reads a response member; nil (no response) has no members.
func parseResponse(raw json.RawMessage) (respFields, error) {
	if len(raw) == 0 || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return respFields{}, nil
	}
	var f respFields
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, errUnrecognizable()
	}
	return f, nil
}

// member decodes member name into v; absent and null members leave v unchanged and report
// false. Numbers decoded into interfaces stay exact (json.Number), so that a claim of
// 9223372036854775807 reaches the token as it was returned.
func (f respFields) member(name string, v any) (bool, error) {
	raw, ok := f[name]
	if !ok || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return false, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return false, errUnrecognizable()
	}
	return true, nil
}

// members decodes several members at once: name → pointer to decode it into.
func (f respFields) members(dst map[string]any) error {
	for name, v := range dst {
		if _, err := f.member(name, v); err != nil {
			return err
		}
	}
	return nil
}

// boolean reads a boolean member (false when absent or null).
func (f respFields) boolean(name string) (bool, error) {
	var b bool
	_, err := f.member(name, &b)
	return b, err
}

// object reads an object member (nil when absent or null).
func (f respFields) object(name string) (respFields, error) {
	var v respFields
	if _, err := f.member(name, &v); err != nil {
		return nil, err
	}
	return v, nil
}
