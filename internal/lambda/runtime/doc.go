// Package runtime runs Lambda functions as local processes behind the real Lambda Runtime API.
//
// A Host keeps warm instances per Spec.Key. Each instance is one OS process, started in the
// function's code directory in its own process group, with its own Runtime API server on
// 127.0.0.1:<random port> (AWS_LAMBDA_RUNTIME_API). The process sees only the environment
// Lambda defines (plus PATH, the host's ExtraEnv and the function's own variables), never the
// environment of the Gatehouse process.
//
// Runtimes:
//   - provided.al2023, provided.al2 (and provided): <CodeDir>/bootstrap is executed; any
//     program that speaks the Runtime API works, such as a Go binary built with
//     github.com/aws/aws-lambda-go.
//   - nodejs*: the machine's node runs an embedded bootstrap that behaves like AWS's Node.js
//     runtime interface client (handler resolution, CommonJS and ES modules, async and
//     callback handlers, the context object, console formatting, Runtime.* errors).
//   - python3.*: the machine's python3 runs an embedded bootstrap that behaves like
//     awslambdaric (handler resolution, the context object, logging format, error shapes).
//
// Invocation faults produce the payloads Lambda returns: Sandbox.Timedout after the
// function's timeout (the instance is killed), Runtime.ExitError when the process exits
// during an invocation, Runtime.InvalidEntrypoint when there is no bootstrap to run, the
// runtime's own init error (Runtime.ImportModuleError, Runtime.HandlerNotFound, …) when
// initialisation fails, and Function.ResponseSizeTooLarge when a response exceeds
// MaxResponseSize. A failed instance is discarded; the next invocation starts a fresh one.
//
// Each invocation returns its log as Lambda's LogType=Tail shows it: START, the lines the
// function printed, END and REPORT, at most the last 4 KB. Every line is also written to the
// host's slog.Logger with the function name and request id.
//
// Unpack extracts a deployment package (.zip) safely for use as a CodeDir.
package runtime
