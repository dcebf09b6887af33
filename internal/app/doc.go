// Package app is the composition root: it turns a Config into stores, domain services and the
// HTTP surfaces on one listener, and runs them with graceful shutdown. The gatehouse binary and
// the end-to-end tests both start Gatehouse through it.
package app
