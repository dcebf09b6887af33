// Package e2e holds black-box tests that drive a real Gatehouse through real AWS clients
// (aws-sdk-go-v2 here; the aws CLI and Node SDKs from scripts beside it).
package e2e
