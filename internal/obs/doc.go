// Package obs owns observability: the slog logger setup, the per-request access log line and
// the Prometheus metrics served at /_gatehouse/metrics.
package obs
