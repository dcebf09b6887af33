package awsproto

import (
	"net/http"
	"strings"
)

// allowedHeaders lists the request headers browser SDKs (Amplify, aws-sdk-js) send.
var allowedHeaders = strings.Join([]string{
	"authorization", "content-type", "x-amz-target", "x-amz-user-agent", "x-amz-date",
	"x-amz-security-token", "x-amz-content-sha256", "x-amz-client-context", "x-amz-invocation-type",
	"x-amz-log-type", "amz-sdk-invocation-id", "amz-sdk-request", "cache-control", "x-api-key",
}, ", ")

// exposedHeaders lists the response headers browser code may read.
var exposedHeaders = "x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, Date, x-amz-log-result, x-amz-function-error, x-amz-executed-version"

// CORS wraps next so AWS API endpoints answer browser SDKs: preflight requests are answered
// directly, and every response carries Access-Control-Allow-Origin.
func CORS(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin == "" {
			next.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Access-Control-Expose-Headers", exposedHeaders)
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS")
			if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
				h.Set("Access-Control-Allow-Headers", req)
			} else {
				h.Set("Access-Control-Allow-Headers", allowedHeaders)
			}
			h.Set("Access-Control-Max-Age", "86400")
			h.Add("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers")
			w.WriteHeader(http.StatusOK)
			return
		}
		next.ServeHTTP(w, r)
	})
}
