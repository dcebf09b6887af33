// Package conformance is the test suite every storage.Store backend must pass: RunTests checks
// the Store and Tx contract (CRUD and its sentinel errors, byte-ordered prefix scans and
// deletes, rollback, read-only views, read-your-writes, isolation, large values, context
// cancellation, and serializability under concurrent Updates), and BenchGet and BenchUpdate give
// every backend the same benchmarks.
package conformance
