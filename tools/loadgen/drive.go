package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// op is one unit of load (a sign-in, or one exchange of the CPU baseline). worker is the index
// of the calling worker; op must honour ctx.
type op func(ctx context.Context, worker int) error

// phase is the outcome of running an op from closed-loop workers for a while.
type phase struct {
	// Elapsed runs from the start until the last worker finished its last op (ops are only
	// started before the deadline, but the last ones may end after it).
	Elapsed time.Duration
	// Latencies of the successful ops, sorted.
	Latencies []time.Duration
	// Errors counts failed ops by kind (AWS error code, "timeout", or a short description).
	Errors map[string]int
	// Examples holds the first message seen of each error kind.
	Examples map[string]string
	// Interrupted is set when ctx ended before the deadline.
	Interrupted bool
	// CPU is the CPU time (user + system) the whole process used meanwhile, 0 if unknown.
	CPU time.Duration
	// LoadBefore and LoadAfter are the load averages (1, 5, 15 minutes) before and after.
	LoadBefore, LoadAfter string
}

// CPUPerOp returns the process's CPU time per successful op, 0 if unknown.
func (p *phase) CPUPerOp() time.Duration {
	if p.OK() == 0 {
		return 0
	}
	return p.CPU / time.Duration(p.OK())
}

// OK returns the number of successful ops.
func (p *phase) OK() int { return len(p.Latencies) }

// ErrorCount returns the number of failed ops.
func (p *phase) ErrorCount() int {
	n := 0
	for _, c := range p.Errors {
		n += c
	}
	return n
}

// Rate returns successful ops per second.
func (p *phase) Rate() float64 {
	if p.Elapsed <= 0 {
		return 0
	}
	return float64(p.OK()) / p.Elapsed.Seconds()
}

// Percentile returns the q-th percentile (0 < q ≤ 100) of the latencies by the nearest-rank
// method, or 0 when there are none.
func (p *phase) Percentile(q float64) time.Duration {
	n := len(p.Latencies)
	if n == 0 {
		return 0
	}
	i := int(float64(n)*q/100+0.999999999) - 1
	return p.Latencies[min(max(i, 0), n-1)]
}

// Max returns the largest latency, or 0.
func (p *phase) Max() time.Duration {
	if len(p.Latencies) == 0 {
		return 0
	}
	return p.Latencies[len(p.Latencies)-1]
}

// workerStats is what one worker collects, merged into a phase at the end.
type workerStats struct {
	lat      []time.Duration
	errors   map[string]int
	examples map[string]string
}

// measure is drive, plus the process's CPU time and the load average around it.
func measure(ctx context.Context, workers int, d, timeout time.Duration, o op) *phase {
	before, cpu0 := loadAverage(), processCPU()
	p := drive(ctx, workers, d, timeout, o)
	if cpu0 >= 0 {
		if cpu1 := processCPU(); cpu1 >= cpu0 {
			p.CPU = cpu1 - cpu0
		}
	}
	p.LoadBefore, p.LoadAfter = before, loadAverage()
	return p
}

// drive runs o from workers closed-loop goroutines (each starts its next op as soon as the
// previous one ends) until d has passed or ctx ends, and returns what they measured. Each op
// gets its own deadline of timeout. Errors caused by ctx ending are not counted.
func drive(ctx context.Context, workers int, d, timeout time.Duration, o op) *phase {
	start := time.Now()
	deadline := start.Add(d)
	stats := make([]workerStats, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			s := &stats[w]
			s.lat = make([]time.Duration, 0, 1024)
			for ctx.Err() == nil && time.Now().Before(deadline) {
				octx, cancel := context.WithTimeout(ctx, timeout)
				t0 := time.Now()
				err := o(octx, w)
				lat := time.Since(t0)
				cancel()
				switch {
				case err == nil:
					s.lat = append(s.lat, lat)
				case ctx.Err() != nil:
					// Interrupted: neither a success nor a server error.
				default:
					kind := errorKind(err)
					if s.errors == nil {
						s.errors, s.examples = map[string]int{}, map[string]string{}
					}
					if s.errors[kind] == 0 {
						s.examples[kind] = err.Error()
					}
					s.errors[kind]++
				}
			}
		})
	}
	wg.Wait()
	p := &phase{Elapsed: time.Since(start), Errors: map[string]int{}, Examples: map[string]string{},
		Interrupted: ctx.Err() != nil && time.Now().Before(deadline)}
	for _, s := range stats {
		p.Latencies = append(p.Latencies, s.lat...)
		for k, n := range s.errors {
			if p.Errors[k] == 0 {
				p.Examples[k] = s.examples[k]
			}
			p.Errors[k] += n
		}
	}
	slices.Sort(p.Latencies)
	return p
}

// errorKind classifies a failed op for counting: the AWS error code of an API error,
// "timeout" for an op that ran out of time, else the error text up to its first colon.
func errorKind(err error) string {
	// smithy.APIError, without importing smithy-go directly.
	var ae interface{ ErrorCode() string }
	switch {
	case errors.As(err, &ae):
		return ae.ErrorCode()
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	}
	var k kindError
	if errors.As(err, &k) {
		return k.kind
	}
	msg := err.Error()
	if i := strings.Index(msg, ":"); i > 0 {
		msg = msg[:i]
	}
	return msg
}

// kindError is an error with an explicit kind for errorKind, for failures that are not
// errors of the SDK (an unexpected challenge, a missing token).
type kindError struct {
	kind, msg string
}

// Error implements error.
func (e kindError) Error() string { return e.kind + ": " + e.msg }

// newKindError returns a kindError of kind with a formatted message.
func newKindError(kind, format string, args ...any) error {
	return kindError{kind: kind, msg: fmt.Sprintf(format, args...)}
}
