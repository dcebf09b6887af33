package lambda

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

// Storage layout: one record per function holding $LATEST, its published versions, aliases,
// policies, tags and concurrency; the deployment packages it references, by SHA-256, under
// the function's code prefix.
const (
	fnPrefix   = "lambda/fn/"
	codePrefix = "lambda/code/"
)

func fnKey(name string) string           { return fnPrefix + name }
func codeKey(name, shaHex string) string { return codePrefix + name + "/" + shaHex }
func codeKeyPrefix(name string) string   { return codePrefix + name + "/" }
func envAAD(name, version string) []byte { return []byte("lambda-env/" + name + "/" + version) }
func (r *functionRecord) name() string   { return r.Latest.FunctionName }
func (r *functionRecord) arn() string    { return r.Latest.FunctionArn }

// functionRecord is the stored form of a function. Environment variables are sealed under
// the master key (Env), never stored in the configurations.
type functionRecord struct {
	Latest   FunctionConfiguration
	Versions map[string]FunctionConfiguration `json:",omitempty"`
	// Env holds the sealed variables of $LATEST and of each version.
	Env         map[string][]byte             `json:",omitempty"`
	LastVersion int                           `json:",omitempty"`
	Aliases     map[string]AliasConfiguration `json:",omitempty"`
	// Policies holds the resource policy statements, by qualifier ("" = the function).
	Policies map[string][]Statement `json:",omitempty"`
	Tags     map[string]string      `json:",omitempty"`
	Reserved *int                   `json:",omitempty"`
	// CodeHex is the hex SHA-256 of each version's package ("$LATEST" included).
	CodeHex map[string]string `json:",omitempty"`
}

// Runtimes this server runs, and the replacement Lambda names for those it retired.
var (
	runnable = map[string]bool{
		"provided.al2023": true, "provided.al2": true,
		"nodejs18.x": true, "nodejs20.x": true, "nodejs22.x": true, "nodejs24.x": true,
		"python3.9": true, "python3.10": true, "python3.11": true, "python3.12": true, "python3.13": true, "python3.14": true,
	}
	deprecated = map[string]string{
		"nodejs": "nodejs22.x", "nodejs4.3": "nodejs22.x", "nodejs6.10": "nodejs22.x", "nodejs8.10": "nodejs22.x",
		"nodejs10.x": "nodejs22.x", "nodejs12.x": "nodejs22.x", "nodejs14.x": "nodejs22.x", "nodejs16.x": "nodejs22.x",
		"nodejs4.3-edge": "nodejs22.x", "python2.7": "python3.13", "python3.6": "python3.13", "python3.7": "python3.13",
		"python3.8": "python3.13", "go1.x": "provided.al2023", "provided": "provided.al2023",
		"dotnetcore1.0": "dotnet8", "dotnetcore2.0": "dotnet8", "dotnetcore2.1": "dotnet8", "dotnetcore3.1": "dotnet8",
		"dotnet6": "dotnet8", "java8": "java21", "ruby2.5": "ruby3.3", "ruby2.7": "ruby3.3",
	}
)

// Limits of Lambda.
const (
	maxTimeout       = 900
	maxMemory        = 10240
	maxEnvBytes      = 4096
	maxZipped        = 50 << 20
	maxUnzipped      = 262144000
	defaultTimeout   = 3
	defaultMemory    = 128
	defaultEphemeral = 512
)

// reservedEnv are the variables Lambda sets itself; a function may not set them.
var reservedEnv = []string{
	"_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
	"AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
	"AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
	"AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
	"AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
}

func checkRuntime(rt string) error {
	if runnable[rt] {
		return nil
	}
	if next, ok := deprecated[rt]; ok {
		return invalid("The runtime parameter of %s is no longer supported for creating or updating AWS Lambda functions. We recommend you use the new runtime (%s) while creating or updating functions.", rt, next)
	}
	return invalid("The runtime parameter of %s is not supported by Gatehouse, which runs functions as local processes: use provided.al2023, provided.al2, nodejs18.x to nodejs24.x, or python3.9 to python3.14.", rt)
}

// checkInput validates the settings of a create or configuration update.
func checkInput(in *FunctionInput) error {
	if in.Runtime != nil {
		if err := checkRuntime(*in.Runtime); err != nil {
			return err
		}
	}
	if in.Timeout != nil && *in.Timeout > maxTimeout {
		return validation(*in.Timeout, "timeout", "Member must have value less than or equal to 900")
	}
	if in.MemorySize != nil && *in.MemorySize > maxMemory {
		return validation(*in.MemorySize, "memorySize", "Member must have value less than or equal to 10240")
	}
	if in.EphemeralStorage != nil && (*in.EphemeralStorage < 512 || *in.EphemeralStorage > 10240) {
		return validation(*in.EphemeralStorage, "ephemeralStorage.size", "Member must have value between 512 and 10240")
	}
	if len(in.Layers) > 0 {
		return invalid("Layers are not supported by Gatehouse: include the layer's files in the deployment package.")
	}
	if in.Environment != nil {
		var used []string
		for _, k := range reservedEnv {
			if _, ok := (*in.Environment)[k]; ok {
				used = append(used, k)
			}
		}
		if len(used) > 0 {
			return invalid("Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: %s", strings.Join(used, ","))
		}
		for k := range *in.Environment {
			if !validEnvKey(k) {
				return validation(k, "environment.variables", "Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+")
			}
		}
		if b, _ := json.Marshal(*in.Environment); len(b) > maxEnvBytes {
			return invalid("Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: %s", b)
		}
	}
	return nil
}

func validEnvKey(k string) bool {
	if len(k) < 2 || !(k[0] >= 'a' && k[0] <= 'z' || k[0] >= 'A' && k[0] <= 'Z') {
		return false
	}
	for i := 1; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// checkPackage validates a deployment package and returns its SHA-256.
func checkPackage(in *FunctionInput) ([32]byte, error) {
	switch {
	case in.ImageUri != "" || in.PackageType == "Image":
		return [32]byte{}, invalid("Container image functions are not supported by Gatehouse, which runs no containers: upload a .zip deployment package.")
	case in.S3Bucket != "":
		return [32]byte{}, invalid("Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket does not exist")
	case len(in.ZipFile) == 0:
		return [32]byte{}, invalid("Please provide a source for function code.")
	case len(in.ZipFile) > maxZipped:
		return [32]byte{}, awserr.Newf(ErrRequestTooLarge, "Request must be smaller than 70167211 bytes for the CreateFunction operation")
	}
	if err := checkZip(in.ZipFile); err != nil {
		return [32]byte{}, err
	}
	return sha256.Sum256(in.ZipFile), nil
}

// CreateFunction creates a function from a .zip package.
func (s *Service) CreateFunction(ctx context.Context, in *FunctionInput) (*FunctionConfiguration, error) {
	name, qual, ok := s.ParseFunction(in.FunctionName)
	if !ok || qual != "" {
		return nil, validation(in.FunctionName, "functionName", "Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?")
	}
	if in.PackageType != "Image" && (in.Runtime == nil || *in.Runtime == "" || in.Handler == nil || *in.Handler == "") {
		return nil, invalid("Runtime and Handler are mandatory parameters for functions created with deployment packages.")
	}
	if err := checkInput(in); err != nil {
		return nil, err
	}
	sum, err := checkPackage(in)
	if err != nil {
		return nil, err
	}
	now := s.now()
	cfg := FunctionConfiguration{
		FunctionName: name, FunctionArn: s.FunctionARN(name), Role: deref(in.Role), Version: "$LATEST",
		Timeout: defaultTimeout, MemorySize: defaultMemory, PackageType: "Zip", Architectures: []string{"x86_64"},
		TracingConfig: &TracingConfig{Mode: "PassThrough"}, EphemeralStorage: &EphemeralStorage{Size: defaultEphemeral},
		SnapStart:     &SnapStartResponse{ApplyOn: "None", OptimizationStatus: "Off"},
		LoggingConfig: &LoggingConfig{LogFormat: "Text", LogGroup: "/aws/lambda/" + name},
		State:         "Active", LastUpdateStatus: "Successful",
	}
	if len(in.Architectures) > 0 {
		cfg.Architectures = slices.Clone(in.Architectures)
	}
	setCode(&cfg, in.ZipFile, sum, now)
	applyConfig(&cfg, in)
	cfg.RevisionId = s.uuid()
	rec := &functionRecord{Latest: cfg, Tags: in.Tags, CodeHex: map[string]string{"$LATEST": hex.EncodeToString(sum[:])}}
	s.sealEnv(rec, "$LATEST", envOf(in))
	var out FunctionConfiguration
	err = s.Store.Update(ctx, func(tx storage.Tx) error {
		if _, err := tx.Get(fnKey(name)); err == nil {
			return awserr.Newf(ErrConflict, "Function already exist: %s", name)
		} else if !errors.Is(err, storage.ErrNotFound) {
			return err
		}
		r := *rec
		if err := tx.Put(codeKey(name, r.CodeHex["$LATEST"]), in.ZipFile); err != nil {
			return err
		}
		if in.Publish {
			r.Versions, r.Env, r.CodeHex = nil, maps.Clone(rec.Env), maps.Clone(rec.CodeHex)
			r.LastVersion = 0
			s.publish(&r, "")
		}
		if err := storage.PutJSON(tx, fnKey(name), &r); err != nil {
			return err
		}
		out = s.view(&r, "$LATEST")
		if in.Publish {
			out = s.view(&r, strconv.Itoa(r.LastVersion))
		}
		return nil
	})
	if err != nil {
		return nil, awserr.Wrap("create function", err)
	}
	return &out, nil
}

// lastModified formats a time as Lambda's LastModified (2024-01-02T15:04:05.000+0000).
func lastModified(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000-0700") }

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func envOf(in *FunctionInput) map[string]string {
	if in.Environment == nil {
		return nil
	}
	return *in.Environment
}

// setCode records a package's size, hash and the modification time.
func setCode(cfg *FunctionConfiguration, zip []byte, sum [32]byte, now time.Time) {
	cfg.CodeSize = int64(len(zip))
	cfg.CodeSha256 = base64.StdEncoding.EncodeToString(sum[:])
	cfg.LastModified = lastModified(now)
}

// applyConfig copies the settings an input carries into cfg.
func applyConfig(cfg *FunctionConfiguration, in *FunctionInput) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&cfg.Runtime, in.Runtime)
	set(&cfg.Role, in.Role)
	set(&cfg.Handler, in.Handler)
	set(&cfg.Description, in.Description)
	set(&cfg.KMSKeyArn, in.KMSKeyArn)
	if in.Timeout != nil {
		cfg.Timeout = *in.Timeout
	}
	if in.MemorySize != nil {
		cfg.MemorySize = *in.MemorySize
	}
	if in.TracingMode != nil {
		cfg.TracingConfig = &TracingConfig{Mode: *in.TracingMode}
	}
	if in.EphemeralStorage != nil {
		cfg.EphemeralStorage = &EphemeralStorage{Size: *in.EphemeralStorage}
	}
	if in.LoggingConfig != nil {
		lc := *in.LoggingConfig
		if lc.LogGroup == "" {
			lc.LogGroup = "/aws/lambda/" + cfg.FunctionName
		}
		if lc.LogFormat == "" {
			lc.LogFormat = "Text"
		}
		cfg.LoggingConfig = &lc
	}
	if in.VpcConfig != nil {
		cfg.VpcConfig = in.VpcConfig
	}
	if in.DeadLetterConfig != nil {
		cfg.DeadLetterConfig = in.DeadLetterConfig
	}
}

// sealEnv stores a version's variables sealed under the master key.
func (s *Service) sealEnv(rec *functionRecord, version string, env map[string]string) {
	if rec.Env == nil {
		rec.Env = map[string][]byte{}
	}
	if env == nil {
		delete(rec.Env, version)
		return
	}
	b, _ := json.Marshal(env)
	rec.Env[version] = s.Keys.Seal(b, envAAD(rec.name(), version))
}

// openEnv returns a version's variables (nil when it has none).
func (s *Service) openEnv(rec *functionRecord, version string) (map[string]string, error) {
	sealed, ok := rec.Env[version]
	if !ok {
		return nil, nil
	}
	b, err := s.Keys.Open(sealed, envAAD(rec.name(), version))
	if err != nil {
		return nil, err
	}
	var env map[string]string
	return env, json.Unmarshal(b, &env)
}

// view returns a version's configuration as the API shows it (variables included).
func (s *Service) view(rec *functionRecord, version string) FunctionConfiguration {
	cfg := rec.Latest
	if version != "$LATEST" {
		cfg = rec.Versions[version]
	}
	cfg.Architectures = slices.Clone(cfg.Architectures)
	if env, err := s.openEnv(rec, version); err == nil && env != nil {
		cfg.Environment = &EnvironmentResponse{Variables: env}
	}
	return cfg
}

// load reads a function record.
func (s *Service) load(tx storage.Tx, name string) (*functionRecord, error) {
	rec, err := storage.GetJSON[functionRecord](tx, fnKey(name))
	if errors.Is(err, storage.ErrNotFound) {
		return nil, s.errFunctionNotFound(name, "")
	}
	if err != nil {
		return nil, err
	}
	return &rec, nil
}

// resolve finds the version a qualifier names: "" and $LATEST name $LATEST, a number a
// published version, anything else an alias (whose routing is not applied here).
func (s *Service) resolve(rec *functionRecord, qualifier string) (string, error) {
	switch {
	case qualifier == "" || qualifier == "$LATEST":
		return "$LATEST", nil
	case isNumber(qualifier):
		if _, ok := rec.Versions[qualifier]; !ok {
			return "", s.errFunctionNotFound(rec.name(), qualifier)
		}
		return qualifier, nil
	default:
		a, ok := rec.Aliases[qualifier]
		if !ok {
			return "", s.errFunctionNotFound(rec.name(), qualifier)
		}
		return a.FunctionVersion, nil
	}
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// getFunction reads the function an identifier names, and the qualifier to apply (the
// identifier's own suffix, or qualifier; both at once must agree).
func (s *Service) getFunction(ctx context.Context, id, qualifier string) (*functionRecord, string, error) {
	name, q, ok := s.ParseFunction(id)
	if !ok {
		return nil, "", awserr.Newf(ErrNotFound, "Function not found: %s", id)
	}
	if q != "" && qualifier != "" && q != qualifier {
		return nil, "", invalid("The derived qualifier from the function name does not match the specified qualifier.")
	}
	if qualifier == "" {
		qualifier = q
	}
	var rec *functionRecord
	err := s.Store.View(ctx, func(tx storage.Tx) error {
		var err error
		rec, err = s.load(tx, name)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return rec, qualifier, nil
}

// getVersion reads a function and resolves the qualifier to apply (see getFunction) to the
// version it names.
func (s *Service) getVersion(ctx context.Context, id, qualifier string) (rec *functionRecord, q, version string, err error) {
	if rec, q, err = s.getFunction(ctx, id, qualifier); err != nil {
		return nil, "", "", err
	}
	if version, err = s.resolve(rec, q); err != nil {
		return nil, "", "", err
	}
	return rec, q, version, nil
}

// FunctionOutput is GetFunction's result.
type FunctionOutput struct {
	Configuration FunctionConfiguration `json:"Configuration"`
	Code          CodeLocation          `json:"Code"`
	Tags          map[string]string     `json:"Tags,omitempty"`
	Concurrency   *Concurrency          `json:"Concurrency,omitempty"`
}

// CodeLocation tells where a function's package can be downloaded.
type CodeLocation struct {
	RepositoryType string `json:"RepositoryType"`
	Location       string `json:"Location"`
}

// Concurrency is a function's reserved concurrency.
type Concurrency struct {
	ReservedConcurrentExecutions *int `json:"ReservedConcurrentExecutions,omitempty"`
}

// GetFunctionConfiguration returns the configuration of a function version or alias target.
func (s *Service) GetFunctionConfiguration(ctx context.Context, id, qualifier string) (*FunctionConfiguration, error) {
	rec, _, v, err := s.getVersion(ctx, id, qualifier)
	if err != nil {
		return nil, err
	}
	cfg := s.view(rec, v)
	return &cfg, nil
}

// GetFunction returns a function's configuration, tags, concurrency and where its code is;
// location builds the download URL of a package from the function name and the code's hex
// SHA-256.
func (s *Service) GetFunction(ctx context.Context, id, qualifier string, location func(name, shaHex string) string) (*FunctionOutput, error) {
	rec, _, v, err := s.getVersion(ctx, id, qualifier)
	if err != nil {
		return nil, err
	}
	out := &FunctionOutput{Configuration: s.view(rec, v), Tags: rec.Tags,
		Code: CodeLocation{RepositoryType: "S3", Location: location(rec.name(), rec.CodeHex[v])}}
	if rec.Reserved != nil {
		out.Concurrency = &Concurrency{ReservedConcurrentExecutions: rec.Reserved}
	}
	if out.Tags == nil {
		out.Tags = map[string]string{}
	}
	return out, nil
}

// Code returns the package of a function with the given hex SHA-256.
func (s *Service) Code(ctx context.Context, name, shaHex string) ([]byte, error) {
	var zip []byte
	err := s.Store.View(ctx, func(tx storage.Tx) error {
		var err error
		zip, err = tx.Get(codeKey(name, shaHex))
		return err
	})
	if errors.Is(err, storage.ErrNotFound) {
		return nil, s.errFunctionNotFound(name, "")
	}
	return zip, err
}

// ListFunctions lists the functions ($LATEST, or every version with all), after marker, at
// most max of them.
func (s *Service) ListFunctions(ctx context.Context, all bool, marker string, max int) ([]FunctionConfiguration, string, error) {
	var out []FunctionConfiguration
	err := s.Store.View(ctx, func(tx storage.Tx) error {
		_, recs, err := storage.ScanJSON[functionRecord](tx, fnPrefix, "", 0)
		if err != nil {
			return err
		}
		for i := range recs {
			out = append(out, s.view(&recs[i], "$LATEST"))
			if all {
				for _, v := range versionNumbers(&recs[i]) {
					out = append(out, s.view(&recs[i], v))
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, "", awserr.Wrap("list functions", err)
	}
	return pageOf(out, func(c FunctionConfiguration) string { return c.FunctionArn + ":" + c.Version }, marker, max)
}

// versionNumbers returns a function's published versions in ascending order.
func versionNumbers(rec *functionRecord) []string {
	vs := slices.Collect(maps.Keys(rec.Versions))
	sort.Slice(vs, func(i, j int) bool {
		a, _ := strconv.Atoi(vs[i])
		b, _ := strconv.Atoi(vs[j])
		return a < b
	})
	return vs
}

// pageOf returns the items after marker (an opaque token naming the last item's key), at
// most max (default 50), and the next marker. Items keep their order.
func pageOf[T any](items []T, key func(T) string, marker string, max int) ([]T, string, error) {
	start := 0
	if marker != "" {
		b, err := base64.RawURLEncoding.DecodeString(marker)
		if err != nil {
			return nil, "", invalid("Invalid marker: %s", marker)
		}
		last := string(b)
		start = len(items)
		for i, it := range items {
			if key(it) == last {
				start = i + 1
				break
			}
		}
	}
	if max <= 0 {
		max = 50
	}
	end := min(start+max, len(items))
	next := ""
	if end < len(items) {
		next = base64.RawURLEncoding.EncodeToString([]byte(key(items[end-1])))
	}
	return items[start:end], next, nil
}

// edit runs fn on a function's record in a write transaction, checking the RevisionId
// precondition, and stores the result. fn returns false to skip the write.
func (s *Service) edit(ctx context.Context, op, id, revision string, fn func(tx storage.Tx, rec *functionRecord) (bool, error)) (*functionRecord, error) {
	name, q, ok := s.ParseFunction(id)
	if !ok {
		return nil, awserr.Newf(ErrNotFound, "Function not found: %s", id)
	}
	if q != "" {
		return nil, invalid("Unsupported qualifier for this operation: %s", q)
	}
	var out *functionRecord
	err := s.Store.Update(ctx, func(tx storage.Tx) error {
		rec, err := s.load(tx, name)
		if err != nil {
			return err
		}
		if revision != "" && revision != rec.Latest.RevisionId {
			return awserr.New(ErrPreconditionFailed, "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id")
		}
		write, err := fn(tx, rec)
		if err != nil {
			return err
		}
		if write {
			if err := storage.PutJSON(tx, fnKey(name), rec); err != nil {
				return err
			}
		}
		out = rec
		return nil
	})
	if err != nil {
		return nil, awserr.Wrap(op, err)
	}
	return out, nil
}

// UpdateFunctionConfiguration changes the settings of $LATEST.
func (s *Service) UpdateFunctionConfiguration(ctx context.Context, in *FunctionInput) (*FunctionConfiguration, error) {
	if err := checkInput(in); err != nil {
		return nil, err
	}
	rec, err := s.edit(ctx, "update function configuration", in.FunctionName, in.RevisionId, func(_ storage.Tx, rec *functionRecord) (bool, error) {
		applyConfig(&rec.Latest, in)
		if in.Environment != nil {
			s.sealEnv(rec, "$LATEST", *in.Environment)
		}
		rec.Latest.LastModified = lastModified(s.now())
		rec.Latest.RevisionId = s.uuid()
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	s.retire(rec.arn(), "$LATEST")
	out := s.view(rec, "$LATEST")
	return &out, nil
}

// CodeInput is UpdateFunctionCode's input.
type CodeInput struct {
	FunctionName       string
	ZipFile            []byte
	S3Bucket, ImageUri string
	Architectures      []string
	Publish, DryRun    bool
	RevisionId         string
}

// UpdateFunctionCode replaces the package of $LATEST, and publishes a version with Publish.
func (s *Service) UpdateFunctionCode(ctx context.Context, in *CodeInput) (*FunctionConfiguration, error) {
	fi := &FunctionInput{ZipFile: in.ZipFile, S3Bucket: in.S3Bucket, ImageUri: in.ImageUri}
	sum, err := checkPackage(fi)
	if err != nil {
		if e, ok := awserr.As(err); ok && e.Type == ErrRequestTooLarge {
			return nil, awserr.New(ErrRequestTooLarge, "Request must be smaller than 70167211 bytes for the UpdateFunctionCode operation")
		}
		return nil, err
	}
	shaHex := hex.EncodeToString(sum[:])
	published := ""
	rec, err := s.edit(ctx, "update function code", in.FunctionName, in.RevisionId, func(tx storage.Tx, rec *functionRecord) (bool, error) {
		if in.DryRun {
			return false, nil
		}
		old := rec.CodeHex["$LATEST"]
		if err := tx.Put(codeKey(rec.name(), shaHex), in.ZipFile); err != nil {
			return false, err
		}
		rec.CodeHex["$LATEST"] = shaHex
		if err := s.dropUnusedCode(tx, rec, old); err != nil {
			return false, err
		}
		setCode(&rec.Latest, in.ZipFile, sum, s.now())
		if len(in.Architectures) > 0 {
			rec.Latest.Architectures = slices.Clone(in.Architectures)
		}
		rec.Latest.RevisionId = s.uuid()
		if in.Publish {
			published = s.publish(rec, "")
		}
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	if in.DryRun {
		out := s.view(rec, "$LATEST")
		out.CodeSha256 = base64.StdEncoding.EncodeToString(sum[:])
		out.CodeSize = int64(len(in.ZipFile))
		return &out, nil
	}
	s.retire(rec.arn(), "$LATEST")
	v := "$LATEST"
	if published != "" {
		v = published
	}
	out := s.view(rec, v)
	return &out, nil
}

// dropUnusedCode deletes a package no version references any more.
func (s *Service) dropUnusedCode(tx storage.Tx, rec *functionRecord, shaHex string) error {
	if shaHex == "" {
		return nil
	}
	for _, h := range rec.CodeHex {
		if h == shaHex {
			return nil
		}
	}
	if err := tx.Delete(codeKey(rec.name(), shaHex)); err != nil && !errors.Is(err, storage.ErrNotFound) {
		return err
	}
	return nil
}

// DeleteFunction deletes a function, or with a version qualifier one published version.
func (s *Service) DeleteFunction(ctx context.Context, id, qualifier string) error {
	name, q, ok := s.ParseFunction(id)
	if !ok {
		return awserr.Newf(ErrNotFound, "Function not found: %s", id)
	}
	if qualifier == "" {
		qualifier = q
	}
	var arn string
	err := s.Store.Update(ctx, func(tx storage.Tx) error {
		rec, err := s.load(tx, name)
		if err != nil {
			return err
		}
		arn = rec.arn()
		switch {
		case qualifier == "":
			if _, err := tx.DeletePrefix(codeKeyPrefix(name)); err != nil {
				return err
			}
			return tx.Delete(fnKey(name))
		case qualifier == "$LATEST":
			return invalid("$LATEST version cannot be deleted without deleting the function.")
		case !isNumber(qualifier):
			return invalid("Deletion of aliases is not currently supported.")
		}
		if _, ok := rec.Versions[qualifier]; !ok {
			return s.errFunctionNotFound(name, qualifier)
		}
		var users []string
		for _, a := range rec.Aliases {
			if a.FunctionVersion == qualifier || a.RoutingConfig != nil && a.RoutingConfig.AdditionalVersionWeights[qualifier] > 0 {
				users = append(users, a.Name)
			}
		}
		if len(users) > 0 {
			sort.Strings(users)
			return awserr.Newf(ErrConflict, "Unable to delete version because the following aliases reference it: [%s]", strings.Join(users, ", "))
		}
		old := rec.CodeHex[qualifier]
		delete(rec.Versions, qualifier)
		delete(rec.Env, qualifier)
		delete(rec.CodeHex, qualifier)
		delete(rec.Policies, qualifier)
		if err := s.dropUnusedCode(tx, rec, old); err != nil {
			return err
		}
		return storage.PutJSON(tx, fnKey(name), rec)
	})
	if err != nil {
		return awserr.Wrap("delete function", err)
	}
	if qualifier == "" {
		s.retire(arn, "")
	} else {
		s.retire(arn, qualifier)
	}
	return nil
}

// retire stops the instances of a function version ("" for every version).
func (s *Service) retire(arn, version string) {
	if s.Runner == nil {
		return
	}
	if version == "" {
		s.Runner.Retire(arn + ":")
		return
	}
	s.Runner.Retire(arn + ":" + version + ":")
}
