package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"time"
)

// flowLabel names a flow in tables.
func flowLabel(flow string) string {
	if flow == FlowSRP {
		return "USER_SRP_AUTH"
	}
	return "USER_PASSWORD_AUTH"
}

// tableHeader is the header of the markdown table write prints; scripts that concatenate the
// tables of several runs keep the first two lines of the first one.
const tableHeader = "| flow | storage | workers | sign-ins/s | p50 | p90 | p99 | max | errors | CPU/sign-in | × CPU baseline | load avg 1m |\n" +
	"|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n"

// Ratio returns how many times the CPU baseline's rate exceeds the measured rate (the issue's
// "SRP within 2× of its pure-CPU cost" holds when it is at most 2), or 0 without a baseline.
func (r *report) Ratio() float64 {
	if r.Baseline == nil || r.Result.Rate() == 0 {
		return 0
	}
	return r.Baseline.Rate() / r.Result.Rate()
}

// write prints the report as a markdown table (one row for the sign-ins, one for the CPU
// baseline if measured), or as JSON.
func (r *report) write(w io.Writer, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r.jsonReport())
	}
	var b strings.Builder
	b.WriteString(tableHeader)
	ratio := "–"
	if x := r.Ratio(); x > 0 {
		ratio = fmt.Sprintf("%.2f×", x)
	}
	b.WriteString(row(flowLabel(r.Flow), r.Storage, r.Concurrency, r.Result, ratio))
	if r.Baseline != nil {
		b.WriteString(row(baselineLabel(r.Flow), "–", r.Concurrency, r.Baseline, "1×"))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// row formats one table row.
func row(label, storage string, workers int, p *phase, ratio string) string {
	cpu := "–"
	if c := p.CPUPerOp(); c > 0 {
		cpu = ms(c)
	}
	return fmt.Sprintf("| %s | %s | %d | %.1f | %s | %s | %s | %s | %d | %s | %s | %s |\n",
		label, storage, workers, p.Rate(), ms(p.Percentile(50)), ms(p.Percentile(90)), ms(p.Percentile(99)), ms(p.Max()),
		p.ErrorCount(), cpu, ratio, loadChange(p.LoadBefore, p.LoadAfter))
}

// ms formats a duration in milliseconds with three significant digits or more.
func ms(d time.Duration) string {
	f := float64(d) / float64(time.Millisecond)
	switch {
	case f >= 100:
		return fmt.Sprintf("%.0f ms", f)
	case f >= 10:
		return fmt.Sprintf("%.1f ms", f)
	default:
		return fmt.Sprintf("%.2f ms", f)
	}
}

// loadChange shows how the 1-minute load average moved: "1.95→7.80".
func loadChange(before, after string) string {
	first := func(s string) string {
		if f := strings.Fields(s); len(f) > 0 {
			return f[0]
		}
		return "?"
	}
	return first(before) + "→" + first(after)
}

// describeErrors lists error kinds with their counts and first message, most frequent first.
func describeErrors(p *phase) string {
	kinds := slices.SortedFunc(maps.Keys(p.Errors), func(a, b string) int {
		return cmp.Or(p.Errors[b]-p.Errors[a], strings.Compare(a, b))
	})
	var parts []string
	for _, k := range kinds {
		parts = append(parts, fmt.Sprintf("%d× %s (%s)", p.Errors[k], k, p.Examples[k]))
	}
	return strings.Join(parts, "; ")
}

// jsonPhase is a phase in JSON, durations in milliseconds.
type jsonPhase struct {
	// Ops counts successful ops, Errors failed ones by kind.
	Ops    int            `json:"ops"`
	Errors map[string]int `json:"errors"`
	// ElapsedS is the phase's length in seconds, Rate its successful ops per second.
	ElapsedS float64 `json:"elapsedSeconds"`
	Rate     float64 `json:"perSecond"`
	// P50, P90, P99 and Max are latencies of successful ops in milliseconds.
	P50 float64 `json:"p50Ms"`
	P90 float64 `json:"p90Ms"`
	P99 float64 `json:"p99Ms"`
	Max float64 `json:"maxMs"`
	// CPUPerOp is the process's CPU milliseconds per successful op.
	CPUPerOp float64 `json:"cpuPerOpMs,omitempty"`
	// LoadBefore and LoadAfter are the load averages around the phase.
	LoadBefore string `json:"loadAverageBefore"`
	LoadAfter  string `json:"loadAverageAfter"`
}

// jsonReport is a report in JSON.
type jsonReport struct {
	// Flow, Storage, Concurrency, Users and DurationS (-duration) describe the run; InProcess
	// tells whether the server ran in the load generator's process; Started is when measuring
	// began.
	Flow        string    `json:"flow"`
	Storage     string    `json:"storage"`
	Concurrency int       `json:"concurrency"`
	Users       int       `json:"users"`
	DurationS   float64   `json:"durationSeconds"`
	InProcess   bool      `json:"inProcess"`
	Started     time.Time `json:"started"`
	// Result is the sign-ins; Baseline the CPU baseline, if measured; Ratio is
	// Baseline.Rate / Result.Rate.
	Result   jsonPhase  `json:"result"`
	Baseline *jsonPhase `json:"cpuBaseline,omitempty"`
	Ratio    float64    `json:"baselineRatio,omitempty"`
}

// jsonReport converts r for JSON output.
func (r *report) jsonReport() jsonReport {
	j := jsonReport{Flow: r.Flow, Storage: r.Storage, Concurrency: r.Concurrency, Users: r.Users,
		DurationS: r.Duration.Seconds(), InProcess: r.InProcess,
		Started: r.Started, Result: toJSONPhase(r.Result), Ratio: r.Ratio()}
	if r.Baseline != nil {
		b := toJSONPhase(r.Baseline)
		j.Baseline = &b
	}
	return j
}

// toJSONPhase converts p for JSON output.
func toJSONPhase(p *phase) jsonPhase {
	f := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	return jsonPhase{Ops: p.OK(), Errors: p.Errors, ElapsedS: p.Elapsed.Seconds(), Rate: p.Rate(),
		P50: f(p.Percentile(50)), P90: f(p.Percentile(90)), P99: f(p.Percentile(99)), Max: f(p.Max()),
		CPUPerOp: f(p.CPUPerOp()), LoadBefore: p.LoadBefore, LoadAfter: p.LoadAfter}
}

// loadAverage returns the 1, 5 and 15-minute load averages from /proc/loadavg, or "?".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}
