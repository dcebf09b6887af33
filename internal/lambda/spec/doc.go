// Package spec describes what the Lambda runtime host runs — a function version (Spec), one
// invocation (Request) and its outcome (Result) — and unpacks deployment packages safely. It
// depends on nothing of Gatehouse and nothing of net/http, so the Lambda domain can use it
// without importing the host.
package spec
