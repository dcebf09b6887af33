package obs

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/gatehouse-dev/gatehouse/internal/awsproto"
)

// NewLogger returns a slog logger writing to w; format is "json" or "text", level one of
// debug, info, warn, error.
func NewLogger(w io.Writer, format, level string) *slog.Logger {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		lv = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: lv}
	if strings.EqualFold(format, "text") {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// Metrics holds the Prometheus collectors of the HTTP surfaces.
type Metrics struct {
	Registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	apiReqs  *prometheus.CounterVec
	apiDur   *prometheus.HistogramVec
}

// NewMetrics creates a registry with Go runtime, process and HTTP collectors.
func NewMetrics() *Metrics {
	r := prometheus.NewRegistry()
	m := &Metrics{
		Registry: r,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gatehouse_http_requests_total", Help: "HTTP requests served, by service, operation and status code.",
		}, []string{"service", "operation", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "gatehouse_http_request_duration_seconds", Help: "HTTP request latency, by service and operation.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"service", "operation"}),
	}
	m.apiReqs = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "gatehouse_api_requests_total", Help: "HTTP API (data plane) requests, by API, stage, route and status code.",
	}, []string{"api", "stage", "route", "code"})
	m.apiDur = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "gatehouse_api_request_duration_seconds", Help: "HTTP API (data plane) latency, by API, stage and route.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"api", "stage", "route"})
	r.MustRegister(m.apiReqs, m.apiDur, m.requests, m.duration, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// ObserveAPI records one data-plane request of an HTTP API.
func (m *Metrics) ObserveAPI(api, stage, route string, status int, d time.Duration) {
	m.apiReqs.WithLabelValues(api, stage, route, strconv.Itoa(status)).Inc()
	m.apiDur.WithLabelValues(api, stage, route).Observe(d.Seconds())
}

// Handler serves the metrics in the Prometheus exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{})
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Middleware assigns a request id, records metrics and writes one access-log line per request.
// A panic in next is logged with its stack and answered with InternalErrorException (500).
func Middleware(log *slog.Logger, m *Metrics, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := awsproto.NewRequestID()
		label := &awsproto.OpLabel{}
		ctx := awsproto.WithOpLabel(awsproto.WithRequestID(r.Context(), id), label)
		sw := &statusWriter{ResponseWriter: w}
		func() {
			defer func() {
				if v := recover(); v != nil {
					if v == http.ErrAbortHandler {
						panic(v)
					}
					log.ErrorContext(ctx, "panic serving request", "request_id", id, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
					if sw.status == 0 {
						sw.Header().Set("Content-Type", "application/x-amz-json-1.1")
						sw.Header().Set("x-amzn-RequestId", id)
						sw.Header().Set("x-amzn-ErrorType", "InternalErrorException:")
						sw.WriteHeader(http.StatusInternalServerError)
						_, _ = sw.Write([]byte(`{"__type":"InternalErrorException","message":"Internal server error"}`))
					}
				}
			}()
			next.ServeHTTP(sw, r.WithContext(ctx))
		}()
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		elapsed := time.Since(start)
		service, op := label.Service, label.Operation
		if service == "" {
			service = "http"
		}
		if m != nil {
			m.requests.WithLabelValues(service, op, strconv.Itoa(sw.status)).Inc()
			m.duration.WithLabelValues(service, op).Observe(elapsed.Seconds())
		}
		log.LogAttrs(ctx, slog.LevelInfo, "request",
			slog.String("request_id", id), slog.String("method", r.Method), slog.String("host", r.Host),
			slog.String("path", r.URL.Path), slog.String("service", service), slog.String("operation", op),
			slog.Int("status", sw.status), slog.Int("bytes", sw.bytes),
			slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000), slog.String("remote", r.RemoteAddr))
	})
}
