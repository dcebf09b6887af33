// Package throttle owns request throttling of HTTP APIs: token buckets with a rate (requests per
// second) and a burst, kept per replica in memory (Local) or shared by every replica through
// Redis with the GCRA algorithm (Redis), so several replicas spend one budget.
package throttle
