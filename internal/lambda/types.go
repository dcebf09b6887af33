package lambda

import "encoding/json"

// FunctionConfiguration is a function version's settings, with Lambda's member names.
type FunctionConfiguration struct {
	FunctionName         string                `json:"FunctionName"`
	FunctionArn          string                `json:"FunctionArn"`
	Runtime              string                `json:"Runtime,omitempty"`
	Role                 string                `json:"Role"`
	Handler              string                `json:"Handler,omitempty"`
	CodeSize             int64                 `json:"CodeSize"`
	Description          string                `json:"Description"`
	Timeout              int                   `json:"Timeout"`
	MemorySize           int                   `json:"MemorySize"`
	LastModified         string                `json:"LastModified"`
	CodeSha256           string                `json:"CodeSha256"`
	Version              string                `json:"Version"`
	Environment          *EnvironmentResponse  `json:"Environment,omitempty"`
	TracingConfig        *TracingConfig        `json:"TracingConfig,omitempty"`
	RevisionId           string                `json:"RevisionId"`
	State                string                `json:"State"`
	LastUpdateStatus     string                `json:"LastUpdateStatus"`
	PackageType          string                `json:"PackageType"`
	Architectures        []string              `json:"Architectures"`
	EphemeralStorage     *EphemeralStorage     `json:"EphemeralStorage,omitempty"`
	SnapStart            *SnapStartResponse    `json:"SnapStart,omitempty"`
	LoggingConfig        *LoggingConfig        `json:"LoggingConfig,omitempty"`
	RuntimeVersionConfig *RuntimeVersionConfig `json:"RuntimeVersionConfig,omitempty"`
	// Settings Lambda records and returns but that do not change how a function runs here.
	VpcConfig        json.RawMessage `json:"VpcConfig,omitempty"`
	DeadLetterConfig json.RawMessage `json:"DeadLetterConfig,omitempty"`
	KMSKeyArn        string          `json:"KMSKeyArn,omitempty"`
}

// EnvironmentResponse is a function's environment variables as Lambda returns them.
type EnvironmentResponse struct {
	Variables map[string]string `json:"Variables"`
}

// TracingConfig is the X-Ray tracing mode (recorded; Active or PassThrough).
type TracingConfig struct {
	Mode string `json:"Mode"`
}

// EphemeralStorage is the size of /tmp in MB (recorded).
type EphemeralStorage struct {
	Size int `json:"Size"`
}

// SnapStartResponse is the SnapStart setting (always off here).
type SnapStartResponse struct {
	ApplyOn            string `json:"ApplyOn"`
	OptimizationStatus string `json:"OptimizationStatus"`
}

// LoggingConfig is where and how a function's logs go.
type LoggingConfig struct {
	LogFormat           string `json:"LogFormat,omitempty"`
	ApplicationLogLevel string `json:"ApplicationLogLevel,omitempty"`
	SystemLogLevel      string `json:"SystemLogLevel,omitempty"`
	LogGroup            string `json:"LogGroup,omitempty"`
}

// RuntimeVersionConfig names the runtime version a function runs on.
type RuntimeVersionConfig struct {
	RuntimeVersionArn string `json:"RuntimeVersionArn"`
}

// AliasConfiguration is an alias of a function, with Lambda's member names.
type AliasConfiguration struct {
	AliasArn        string              `json:"AliasArn"`
	Name            string              `json:"Name"`
	FunctionVersion string              `json:"FunctionVersion"`
	Description     string              `json:"Description"`
	RoutingConfig   *AliasRoutingConfig `json:"RoutingConfig,omitempty"`
	RevisionId      string              `json:"RevisionId"`
}

// AliasRoutingConfig sends a share of an alias's invocations to a second version.
type AliasRoutingConfig struct {
	AdditionalVersionWeights map[string]float64 `json:"AdditionalVersionWeights,omitempty"`
}

// FunctionInput is what CreateFunction and UpdateFunctionConfiguration take (nil pointers are
// left unchanged by an update).
type FunctionInput struct {
	FunctionName     string
	Runtime          *string
	Role             *string
	Handler          *string
	Description      *string
	Timeout          *int
	MemorySize       *int
	Environment      *map[string]string
	TracingMode      *string
	EphemeralStorage *int
	LoggingConfig    *LoggingConfig
	Architectures    []string
	PackageType      string
	Layers           []string
	VpcConfig        json.RawMessage
	DeadLetterConfig json.RawMessage
	KMSKeyArn        *string
	Tags             map[string]string
	Publish          bool
	RevisionId       string
	// ZipFile is the deployment package (CreateFunction); S3Bucket/ImageUri are refused.
	ZipFile            []byte
	S3Bucket, ImageUri string
}
