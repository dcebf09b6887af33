package lambda

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/awsmodel"
	"github.com/gatehouse-dev/gatehouse/internal/awsproto"
	fn "github.com/gatehouse-dev/gatehouse/internal/lambda"
)

// SigningName is the SigV4 service name of the Lambda API.
const SigningName = "lambda"

// maxBody bounds a request: a 50 MB package base64-encoded in CreateFunction's JSON.
const maxBody = 70167211

// Service returns the awsproto description of the Lambda API served by svc. codeURL builds
// the download URL GetFunction returns for a package.
func Service(svc *fn.Service, model *awsmodel.Model, codeURL func(name, shaHex string) string) *awsproto.RESTService {
	h := handlers{svc: svc, codeURL: codeURL}
	ops := map[string]awsproto.HandlerFunc{
		"CreateFunction":              awsproto.Handle(h.createFunction),
		"GetFunction":                 awsproto.Handle(h.getFunction),
		"GetFunctionConfiguration":    awsproto.Handle(h.getFunctionConfiguration),
		"ListFunctions":               awsproto.Handle(h.listFunctions),
		"UpdateFunctionCode":          awsproto.Handle(h.updateFunctionCode),
		"UpdateFunctionConfiguration": awsproto.Handle(h.updateFunctionConfiguration),
		"DeleteFunction":              awsproto.Handle(h.deleteFunction),
		"Invoke":                      awsproto.HandleAny(h.invoke),
		"InvokeAsync":                 awsproto.Handle(h.invokeAsync),
		"AddPermission":               awsproto.Handle(h.addPermission),
		"RemovePermission":            awsproto.Handle(h.removePermission),
		"GetPolicy":                   awsproto.Handle(h.getPolicy),
		"PublishVersion":              awsproto.Handle(h.publishVersion),
		"ListVersionsByFunction":      awsproto.Handle(h.listVersions),
		"CreateAlias":                 awsproto.Handle(h.createAlias),
		"GetAlias":                    awsproto.Handle(h.getAlias),
		"UpdateAlias":                 awsproto.Handle(h.updateAlias),
		"DeleteAlias":                 awsproto.Handle(h.deleteAlias),
		"ListAliases":                 awsproto.Handle(h.listAliases),
		"PutFunctionConcurrency":      awsproto.Handle(h.putConcurrency),
		"GetFunctionConcurrency":      awsproto.Handle(h.getConcurrency),
		"DeleteFunctionConcurrency":   awsproto.Handle(h.deleteConcurrency),
		"GetAccountSettings":          awsproto.Handle(h.getAccountSettings),
		"TagResource":                 awsproto.Handle(h.tagResource),
		"UntagResource":               awsproto.Handle(h.untagResource),
		"ListTags":                    awsproto.Handle(h.listTags),
	}
	s := &awsproto.RESTService{Model: model, SigningName: SigningName, ValidationErrorType: fn.ErrValidation,
		MaxBodyBytes: maxBody, Operations: map[string]awsproto.Operation{},
		TooLarge: func(op string) error {
			return awserr.Newf(fn.ErrRequestTooLarge, "Request must be smaller than %d bytes for the %s operation", maxBody, op)
		}}
	for name, f := range ops {
		s.Operations[name] = awsproto.Operation{Handler: f}
	}
	return s
}

type handlers struct {
	svc     *fn.Service
	codeURL func(name, shaHex string) string
}

type empty struct{}

type functionInput struct {
	FunctionName     string            `json:"FunctionName"`
	Runtime          *string           `json:"Runtime"`
	Role             *string           `json:"Role"`
	Handler          *string           `json:"Handler"`
	Description      *string           `json:"Description"`
	Timeout          *int              `json:"Timeout"`
	MemorySize       *int              `json:"MemorySize"`
	Publish          bool              `json:"Publish"`
	PackageType      string            `json:"PackageType"`
	Architectures    []string          `json:"Architectures"`
	Layers           []string          `json:"Layers"`
	Tags             map[string]string `json:"Tags"`
	KMSKeyArn        *string           `json:"KMSKeyArn"`
	RevisionId       string            `json:"RevisionId"`
	VpcConfig        json.RawMessage   `json:"VpcConfig"`
	DeadLetterConfig json.RawMessage   `json:"DeadLetterConfig"`
	LoggingConfig    *fn.LoggingConfig `json:"LoggingConfig"`
	Environment      *struct {
		Variables map[string]string `json:"Variables"`
	} `json:"Environment"`
	TracingConfig *struct {
		Mode string `json:"Mode"`
	} `json:"TracingConfig"`
	EphemeralStorage *struct {
		Size int `json:"Size"`
	} `json:"EphemeralStorage"`
	Code *struct {
		ZipFile  []byte `json:"ZipFile"`
		S3Bucket string `json:"S3Bucket"`
		ImageUri string `json:"ImageUri"`
	} `json:"Code"`
}

func (in *functionInput) domain() *fn.FunctionInput {
	out := &fn.FunctionInput{FunctionName: in.FunctionName, Runtime: in.Runtime, Role: in.Role, Handler: in.Handler,
		Description: in.Description, Timeout: in.Timeout, MemorySize: in.MemorySize, Publish: in.Publish,
		PackageType: in.PackageType, Architectures: in.Architectures, Layers: in.Layers, Tags: in.Tags,
		KMSKeyArn: in.KMSKeyArn, RevisionId: in.RevisionId, VpcConfig: in.VpcConfig, DeadLetterConfig: in.DeadLetterConfig,
		LoggingConfig: in.LoggingConfig}
	if in.Environment != nil {
		vars := in.Environment.Variables
		if vars == nil {
			vars = map[string]string{}
		}
		out.Environment = &vars
	}
	if in.TracingConfig != nil {
		out.TracingMode = &in.TracingConfig.Mode
	}
	if in.EphemeralStorage != nil {
		out.EphemeralStorage = &in.EphemeralStorage.Size
	}
	if in.Code != nil {
		out.ZipFile, out.S3Bucket, out.ImageUri = in.Code.ZipFile, in.Code.S3Bucket, in.Code.ImageUri
	}
	return out
}

func (h handlers) createFunction(ctx context.Context, in *functionInput) (*fn.FunctionConfiguration, error) {
	return h.svc.CreateFunction(ctx, in.domain())
}

func (h handlers) updateFunctionConfiguration(ctx context.Context, in *functionInput) (*fn.FunctionConfiguration, error) {
	return h.svc.UpdateFunctionConfiguration(ctx, in.domain())
}

type qualifiedInput struct {
	FunctionName string `json:"FunctionName"`
	Qualifier    string `json:"Qualifier"`
}

func (h handlers) getFunction(ctx context.Context, in *qualifiedInput) (*fn.FunctionOutput, error) {
	return h.svc.GetFunction(ctx, in.FunctionName, in.Qualifier, h.codeURL)
}

func (h handlers) getFunctionConfiguration(ctx context.Context, in *qualifiedInput) (*fn.FunctionConfiguration, error) {
	return h.svc.GetFunctionConfiguration(ctx, in.FunctionName, in.Qualifier)
}

func (h handlers) deleteFunction(ctx context.Context, in *qualifiedInput) (*empty, error) {
	return nil, h.svc.DeleteFunction(ctx, in.FunctionName, in.Qualifier)
}

type listInput struct {
	FunctionName    string `json:"FunctionName"`
	FunctionVersion string `json:"FunctionVersion"`
	Marker          string `json:"Marker"`
	MaxItems        int    `json:"MaxItems"`
}

type functionsOutput struct {
	Functions  []fn.FunctionConfiguration `json:"Functions"`
	NextMarker string                     `json:"NextMarker,omitempty"`
}

func (h handlers) listFunctions(ctx context.Context, in *listInput) (*functionsOutput, error) {
	items, next, err := h.svc.ListFunctions(ctx, in.FunctionVersion == "ALL", in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &functionsOutput{Functions: nonNil(items), NextMarker: next}, nil
}

type versionsOutput struct {
	Versions   []fn.FunctionConfiguration `json:"Versions"`
	NextMarker string                     `json:"NextMarker,omitempty"`
}

func (h handlers) listVersions(ctx context.Context, in *listInput) (*versionsOutput, error) {
	items, next, err := h.svc.ListVersionsByFunction(ctx, in.FunctionName, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &versionsOutput{Versions: nonNil(items), NextMarker: next}, nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

type codeInput struct {
	FunctionName  string   `json:"FunctionName"`
	ZipFile       []byte   `json:"ZipFile"`
	S3Bucket      string   `json:"S3Bucket"`
	ImageUri      string   `json:"ImageUri"`
	Publish       bool     `json:"Publish"`
	DryRun        bool     `json:"DryRun"`
	RevisionId    string   `json:"RevisionId"`
	Architectures []string `json:"Architectures"`
}

func (h handlers) updateFunctionCode(ctx context.Context, in *codeInput) (*fn.FunctionConfiguration, error) {
	return h.svc.UpdateFunctionCode(ctx, &fn.CodeInput{FunctionName: in.FunctionName, ZipFile: in.ZipFile,
		S3Bucket: in.S3Bucket, ImageUri: in.ImageUri, Publish: in.Publish, DryRun: in.DryRun,
		RevisionId: in.RevisionId, Architectures: in.Architectures})
}

type invokeInput struct {
	FunctionName   string `json:"FunctionName"`
	Qualifier      string `json:"Qualifier"`
	InvocationType string `json:"X-Amz-Invocation-Type"`
	LogType        string `json:"X-Amz-Log-Type"`
	ClientContext  string `json:"X-Amz-Client-Context"`
	Payload        []byte `json:"Payload"`
}

func (h handlers) invoke(ctx context.Context, in *invokeInput) (any, error) {
	typ := in.InvocationType
	if typ == "" {
		typ = fn.RequestResponse
	}
	out, err := h.svc.Invoke(ctx, fn.InvokeInput{Function: in.FunctionName, Qualifier: in.Qualifier,
		Payload: in.Payload, InvocationType: typ, LogTail: in.LogType == "Tail" && typ == fn.RequestResponse,
		ClientContext: in.ClientContext})
	if err != nil {
		return nil, err
	}
	hd := http.Header{}
	if out.FunctionError != "" {
		hd.Set("X-Amz-Function-Error", out.FunctionError)
	}
	if out.LogResult != "" {
		hd.Set("X-Amz-Log-Result", out.LogResult)
	}
	if out.ExecutedVersion != "" && typ == fn.RequestResponse {
		hd.Set("X-Amz-Executed-Version", out.ExecutedVersion)
	}
	ct := "application/json"
	if out.StatusCode != http.StatusOK {
		ct = ""
	}
	return awsproto.RawBody{Status: out.StatusCode, Header: hd, ContentType: ct, Data: out.Payload}, nil
}

type invokeAsyncInput struct {
	FunctionName string `json:"FunctionName"`
	InvokeArgs   []byte `json:"InvokeArgs"`
}

type invokeAsyncOutput struct {
	Status int `json:"Status"`
}

func (h handlers) invokeAsync(ctx context.Context, in *invokeAsyncInput) (*invokeAsyncOutput, error) {
	out, err := h.svc.Invoke(ctx, fn.InvokeInput{Function: in.FunctionName, Payload: in.InvokeArgs, InvocationType: fn.Event})
	if err != nil {
		return nil, err
	}
	return &invokeAsyncOutput{Status: out.StatusCode}, nil
}

type permissionInput struct {
	FunctionName        string `json:"FunctionName"`
	Qualifier           string `json:"Qualifier"`
	StatementId         string `json:"StatementId"`
	Action              string `json:"Action"`
	Principal           string `json:"Principal"`
	SourceArn           string `json:"SourceArn"`
	SourceAccount       string `json:"SourceAccount"`
	EventSourceToken    string `json:"EventSourceToken"`
	PrincipalOrgID      string `json:"PrincipalOrgID"`
	FunctionUrlAuthType string `json:"FunctionUrlAuthType"`
	RevisionId          string `json:"RevisionId"`
}

type statementOutput struct {
	Statement string `json:"Statement"`
}

func (h handlers) addPermission(ctx context.Context, in *permissionInput) (*statementOutput, error) {
	st, err := h.svc.AddPermission(ctx, &fn.PermissionInput{FunctionName: in.FunctionName, Qualifier: in.Qualifier,
		StatementId: in.StatementId, Action: in.Action, Principal: in.Principal, SourceArn: in.SourceArn,
		SourceAccount: in.SourceAccount, EventSourceToken: in.EventSourceToken, PrincipalOrgID: in.PrincipalOrgID,
		FunctionUrlAuthType: in.FunctionUrlAuthType, RevisionId: in.RevisionId})
	if err != nil {
		return nil, err
	}
	return &statementOutput{Statement: st}, nil
}

func (h handlers) removePermission(ctx context.Context, in *permissionInput) (*empty, error) {
	return nil, h.svc.RemovePermission(ctx, in.FunctionName, in.Qualifier, in.StatementId, in.RevisionId)
}

type policyOutput struct {
	Policy     string `json:"Policy"`
	RevisionId string `json:"RevisionId"`
}

func (h handlers) getPolicy(ctx context.Context, in *qualifiedInput) (*policyOutput, error) {
	p, rev, err := h.svc.GetPolicy(ctx, in.FunctionName, in.Qualifier)
	if err != nil {
		return nil, err
	}
	return &policyOutput{Policy: p, RevisionId: rev}, nil
}

type publishInput struct {
	FunctionName string `json:"FunctionName"`
	CodeSha256   string `json:"CodeSha256"`
	Description  string `json:"Description"`
	RevisionId   string `json:"RevisionId"`
}

func (h handlers) publishVersion(ctx context.Context, in *publishInput) (*fn.FunctionConfiguration, error) {
	return h.svc.PublishVersion(ctx, in.FunctionName, in.CodeSha256, in.Description, in.RevisionId)
}

type aliasInput struct {
	FunctionName    string                 `json:"FunctionName"`
	Name            string                 `json:"Name"`
	FunctionVersion *string                `json:"FunctionVersion"`
	Description     *string                `json:"Description"`
	RoutingConfig   *fn.AliasRoutingConfig `json:"RoutingConfig"`
	RevisionId      string                 `json:"RevisionId"`
}

func (in *aliasInput) domain() *fn.AliasInput {
	return &fn.AliasInput{FunctionName: in.FunctionName, Name: in.Name, FunctionVersion: in.FunctionVersion,
		Description: in.Description, RoutingConfig: in.RoutingConfig, RevisionId: in.RevisionId}
}

func (h handlers) createAlias(ctx context.Context, in *aliasInput) (*fn.AliasConfiguration, error) {
	return h.svc.CreateAlias(ctx, in.domain())
}

func (h handlers) updateAlias(ctx context.Context, in *aliasInput) (*fn.AliasConfiguration, error) {
	return h.svc.UpdateAlias(ctx, in.domain())
}

func (h handlers) getAlias(ctx context.Context, in *aliasInput) (*fn.AliasConfiguration, error) {
	return h.svc.GetAlias(ctx, in.FunctionName, in.Name)
}

func (h handlers) deleteAlias(ctx context.Context, in *aliasInput) (*empty, error) {
	return nil, h.svc.DeleteAlias(ctx, in.FunctionName, in.Name)
}

type aliasesOutput struct {
	Aliases    []fn.AliasConfiguration `json:"Aliases"`
	NextMarker string                  `json:"NextMarker,omitempty"`
}

func (h handlers) listAliases(ctx context.Context, in *listInput) (*aliasesOutput, error) {
	items, next, err := h.svc.ListAliases(ctx, in.FunctionName, in.FunctionVersion, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &aliasesOutput{Aliases: nonNil(items), NextMarker: next}, nil
}

type concurrencyInput struct {
	FunctionName                 string `json:"FunctionName"`
	ReservedConcurrentExecutions *int   `json:"ReservedConcurrentExecutions"`
}

type concurrencyOutput struct {
	ReservedConcurrentExecutions *int `json:"ReservedConcurrentExecutions,omitempty"`
}

func (h handlers) putConcurrency(ctx context.Context, in *concurrencyInput) (*concurrencyOutput, error) {
	n, err := h.svc.PutFunctionConcurrency(ctx, in.FunctionName, deref(in.ReservedConcurrentExecutions))
	if err != nil {
		return nil, err
	}
	return &concurrencyOutput{ReservedConcurrentExecutions: &n}, nil
}

func deref(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

func (h handlers) getConcurrency(ctx context.Context, in *concurrencyInput) (*concurrencyOutput, error) {
	n, err := h.svc.GetFunctionConcurrency(ctx, in.FunctionName)
	if err != nil {
		return nil, err
	}
	return &concurrencyOutput{ReservedConcurrentExecutions: n}, nil
}

func (h handlers) deleteConcurrency(ctx context.Context, in *concurrencyInput) (*empty, error) {
	return nil, h.svc.DeleteFunctionConcurrency(ctx, in.FunctionName)
}

func (h handlers) getAccountSettings(ctx context.Context, _ *empty) (*fn.AccountSettings, error) {
	return h.svc.GetAccountSettings(ctx)
}

type tagsInput struct {
	Resource string            `json:"Resource"`
	Tags     map[string]string `json:"Tags"`
	TagKeys  []string          `json:"tagKeys"`
}

type tagsOutput struct {
	Tags map[string]string `json:"Tags"`
}

func (h handlers) tagResource(ctx context.Context, in *tagsInput) (*empty, error) {
	return nil, h.svc.TagResource(ctx, in.Resource, in.Tags)
}

func (h handlers) untagResource(ctx context.Context, in *tagsInput) (*empty, error) {
	return nil, h.svc.UntagResource(ctx, in.Resource, in.TagKeys)
}

func (h handlers) listTags(ctx context.Context, in *tagsInput) (*tagsOutput, error) {
	t, err := h.svc.ListTags(ctx, in.Resource)
	if err != nil {
		return nil, err
	}
	return &tagsOutput{Tags: t}, nil
}
