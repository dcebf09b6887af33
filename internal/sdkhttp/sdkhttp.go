// Package sdkhttp holds the HTTP transport Gatehouse's own AWS SDK clients use (the test
// environment and the load generator).
package sdkhttp

import (
	"bytes"
	"io"
	"net/http"
)

// BufferedBody hands net/http a copy of each request body in memory. The SDK closes its
// request body as soon as the response arrives; when that happens before net/http's write loop
// has finished with the body, the transport closes the connection under the unread response
// ("use of closed network connection", aws/aws-sdk-go-v2#2737). With an in-memory body the
// write loop never sees the SDK's close.
type BufferedBody struct{ RT http.RoundTripper }

// RoundTrip implements http.RoundTripper.
func (b BufferedBody) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return b.RT.RoundTrip(r)
	}
	data, err := io.ReadAll(r.Body)
	_ = r.Body.Close()
	if err != nil {
		return nil, err
	}
	r = r.Clone(r.Context())
	r.Body = io.NopCloser(bytes.NewReader(data))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	r.ContentLength = int64(len(data))
	return b.RT.RoundTrip(r)
}
