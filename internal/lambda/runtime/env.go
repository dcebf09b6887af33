package runtime

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// runtimeKind is the family of a Lambda runtime identifier.
type runtimeKind int

const (
	kindProvided runtimeKind = iota + 1
	kindNode
	kindPython
)

// kindOf classifies a runtime identifier: provided, provided.al2, provided.al2023,
// nodejs<N>.x, python3.<N>.
func kindOf(rt string) (runtimeKind, error) {
	switch {
	case rt == "provided" || rt == "provided.al2" || rt == "provided.al2023":
		return kindProvided, nil
	case strings.HasPrefix(rt, "nodejs") && strings.HasSuffix(rt, ".x") && isDigits(rt[len("nodejs"):len(rt)-len(".x")]):
		return kindNode, nil
	case strings.HasPrefix(rt, "python3.") && isDigits(rt[len("python3."):]):
		return kindPython, nil
	}
	return 0, fmt.Errorf("%w: %q", ErrUnsupportedRuntime, rt)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// reservedEnv are the variables Lambda sets and a function's configuration cannot override
// (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime).
var reservedEnv = []string{
	"_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
	"AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
	"AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
	"AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
	"AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", "TZ",
}

// IsReservedEnvKey reports whether Lambda reserves the environment variable name: a
// function's own Environment.Variables may not set it (Lambda refuses such a configuration;
// the host ignores such a variable).
func IsReservedEnvKey(name string) bool {
	return slices.Contains(reservedEnv, name)
}

// logStreamName is Lambda's stream name for a new execution environment:
// YYYY/MM/DD/[<version>]<32 hex digits>.
func logStreamName(now time.Time, version string) string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return now.UTC().Format("2006/01/02") + "/[" + version + "]" + hex.EncodeToString(b[:])
}

// environ builds an instance's environment: PATH from the host, then opts.ExtraEnv, then
// the function's variables (except reserved names), then the variables Lambda defines.
func (h *Host) environ(spec *Spec, kind runtimeKind, runtimeAPI, logStream string) []string {
	env := map[string]string{}
	if p := os.Getenv("PATH"); p != "" {
		env["PATH"] = p
	} else {
		env["PATH"] = "/usr/local/bin:/usr/bin:/bin"
	}
	for k, v := range h.opts.ExtraEnv {
		env[k] = v
	}
	for k, v := range spec.Environment {
		if !IsReservedEnvKey(k) {
			env[k] = v
		}
	}
	lambda := map[string]string{
		"AWS_LAMBDA_FUNCTION_NAME":        spec.FunctionName,
		"AWS_LAMBDA_FUNCTION_VERSION":     spec.Version,
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": strconv.Itoa(spec.MemoryMB),
		"AWS_LAMBDA_LOG_GROUP_NAME":       "/aws/lambda/" + spec.FunctionName,
		"AWS_LAMBDA_LOG_STREAM_NAME":      logStream,
		"AWS_LAMBDA_RUNTIME_API":          runtimeAPI,
		"AWS_LAMBDA_INITIALIZATION_TYPE":  "on-demand",
		"AWS_REGION":                      spec.Region,
		"AWS_DEFAULT_REGION":              spec.Region,
		"LAMBDA_TASK_ROOT":                spec.CodeDir,
		"LAMBDA_RUNTIME_DIR":              h.runtimeDirPath(),
		"_HANDLER":                        spec.Handler,
		"TZ":                              ":UTC",
		"LANG":                            "en_US.UTF-8",
	}
	if kind != kindProvided {
		// Not defined for the OS-only (provided) runtimes.
		lambda["AWS_EXECUTION_ENV"] = "AWS_Lambda_" + spec.Runtime
	}
	if kind == kindNode {
		if _, set := env["NODE_PATH"]; !set {
			rt := h.runtimeDirPath()
			env["NODE_PATH"] = strings.Join([]string{filepath.Join(rt, "node_modules"), rt, spec.CodeDir}, ":")
		}
	}
	for k, v := range lambda {
		env[k] = v
	}
	out := make([]string, 0, len(env))
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	slices.Sort(out)
	return out
}
