//go:build unix

package runtime

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkInvokeWarm invokes the aws-lambda-go test function on a warm instance with a
// small payload: the host's overhead plus one Runtime API round trip.
func BenchmarkInvokeWarm(b *testing.B) {
	h := newHost(b, Options{})
	spec := goSpec(b, "bench-warm")
	req := Request{Payload: []byte(`{"action":"big","size":16}`)}
	if res := invokeReq(b, h, spec, req); res.Error {
		b.Fatalf("%s", res.Payload)
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		res, err := h.Invoke(ctx, spec, req)
		if err != nil || res.Error {
			b.Fatalf("%v %s", err, res.Payload)
		}
	}
}

// BenchmarkColdStart starts a new instance of the provided.al2023 Go function for every
// invocation (a new spec key each time) and reports Lambda's Init Duration too.
func BenchmarkColdStart(b *testing.B) {
	h := newHost(b, Options{})
	spec := goSpec(b, "bench-cold")
	ctx := context.Background()
	var initTotal float64
	i := 0
	for b.Loop() {
		i++
		spec.Key = fmt.Sprintf("bench-cold-%d", i)
		res, err := h.Invoke(ctx, spec, Request{Payload: []byte(`{"action":"big","size":16}`)})
		if err != nil || res.Error || res.InitDuration == 0 {
			b.Fatalf("%v %s (init %v)", err, res.Payload, res.InitDuration)
		}
		initTotal += ms(res.InitDuration)
		h.Retire(spec.Key)
	}
	b.ReportMetric(initTotal/float64(i), "init-ms/op")
}
