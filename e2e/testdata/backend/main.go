// Command backend is the HTTP service the data-plane end-to-end tests run as a separate
// process behind an HTTP API: it prints its address on stdout, echoes each request as JSON, and
// streams a chunked response at /stream.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
)

func main() {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println("http://" + l.Addr().String())
	err = http.Serve(l, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/stream" {
			f, _ := w.(http.Flusher)
			w.Header().Set("Content-Type", "text/plain")
			for i := range 3 {
				fmt.Fprintf(w, "chunk %d\n", i)
				if f != nil {
					f.Flush()
				}
			}
			return
		}
		body, _ := io.ReadAll(r.Body)
		sum := sha256.Sum256(body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Backend-Pid", fmt.Sprint(os.Getpid()))
		_ = json.NewEncoder(w).Encode(map[string]any{"method": r.Method, "path": r.URL.Path, "query": r.URL.RawQuery,
			"headers": r.Header, "bodyLength": len(body), "bodySHA256": hex.EncodeToString(sum[:])})
	}))
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
