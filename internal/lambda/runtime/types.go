package runtime

import "github.com/gatehouse-dev/gatehouse/internal/lambda/spec"

// The host's inputs and outputs are defined in package spec, which has no dependencies, so
// that the Lambda domain can describe what to run without importing the host.
type (
	// Spec describes one function version as the host runs it (spec.Spec).
	Spec = spec.Spec
	// Request is one invocation handed to an instance (spec.Request).
	Request = spec.Request
	// Result is what an invocation produced (spec.Result).
	Result = spec.Result
)
