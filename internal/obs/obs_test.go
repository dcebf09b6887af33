package obs

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestMiddlewareRecoversAndLogs(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	m := NewMetrics()
	h := Middleware(log, m, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/panic" {
			panic("boom")
		}
		_, _ = io.WriteString(w, "ok")
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/panic", nil))
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), "InternalErrorException") || rec.Header().Get("x-amzn-RequestId") == "" {
		t.Fatalf("panic answer: %d %q %v", rec.Code, rec.Body.String(), rec.Header())
	}
	if !strings.Contains(logs.String(), "panic serving request") || !strings.Contains(logs.String(), `"status":500`) {
		t.Fatalf("logs: %s", logs.String())
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/fine", nil))
	if rec.Code != 200 || rec.Body.String() != "ok" {
		t.Fatalf("normal answer: %d %q", rec.Code, rec.Body.String())
	}
	if c := strings.Count(logs.String(), `"msg":"request"`); c != 2 {
		t.Fatalf("want one access line per request, got %d:\n%s", c, logs.String())
	}
}
