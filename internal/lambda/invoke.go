package lambda

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/lambda/spec"
)

// Invoke's HTTP status codes by invocation type.
const (
	statusOK     = 200
	statusEvent  = 202
	statusDryRun = 204
)

// Payload limits of Invoke.
const (
	maxSyncPayload  = 6 << 20
	maxAsyncPayload = 1 << 20
)

// asyncRetryDelays are the pauses before Lambda retries a failed asynchronous invocation
// (two retries).
var asyncRetryDelays = []time.Duration{time.Minute, 2 * time.Minute}

var _ Invoker = (*Service)(nil)

// Invoke runs a function (see Invoker).
func (s *Service) Invoke(ctx context.Context, in InvokeInput) (*InvokeOutput, error) {
	typ := in.InvocationType
	if typ == "" {
		typ = RequestResponse
	}
	payload := in.Payload
	if len(payload) == 0 {
		payload = []byte("{}")
	}
	switch {
	case typ == Event && len(payload) > maxAsyncPayload:
		return nil, awserr.Newf(ErrRequestTooLarge, "Request must be smaller than %d bytes for the InvokeFunction operation", maxAsyncPayload)
	case len(payload) > maxSyncPayload:
		return nil, awserr.Newf(ErrRequestTooLarge, "Request must be smaller than %d bytes for the InvokeFunction operation", maxSyncPayload)
	}
	if err := checkJSON(payload); err != nil {
		return nil, err
	}
	rec, q, version, err := s.getVersion(ctx, in.Function, in.Qualifier)
	if err != nil {
		return nil, err
	}
	if in.Principal != "" && !mayInvoke(rec, q, &in) {
		return nil, awserr.Newf(ErrAccessDenied, "User: %s is not authorized to perform: lambda:InvokeFunction on resource: %s because no resource-based policy allows the lambda:InvokeFunction action", in.Principal, qualified(rec.arn(), q))
	}
	if a, ok := rec.Aliases[q]; ok {
		version = pickVersion(a)
	}
	if rec.Reserved != nil && *rec.Reserved == 0 {
		return nil, throttled()
	}
	sp, err := s.specOf(rec, version)
	if err != nil {
		return nil, err
	}
	switch typ {
	case DryRun:
		return &InvokeOutput{StatusCode: statusDryRun, ExecutedVersion: version}, nil
	case Event:
		if err := s.startAsync(sp, payload); err != nil {
			return nil, err
		}
		return &InvokeOutput{StatusCode: statusEvent}, nil
	}
	res, err := s.Runner.Invoke(ctx, sp, spec.Request{RequestID: s.uuid(), Payload: payload, ClientContext: in.ClientContext})
	if errors.Is(err, spec.ErrThrottled) {
		return nil, throttled()
	}
	if err != nil {
		return nil, fmt.Errorf("invoke %s: %w", sp.FunctionARN, err)
	}
	out := &InvokeOutput{StatusCode: statusOK, Payload: res.Payload, ExecutedVersion: version}
	if res.Error {
		out.FunctionError = Unhandled
	}
	if in.LogTail {
		out.LogResult = base64.StdEncoding.EncodeToString(res.Log)
	}
	return out, nil
}

func throttled() error {
	return &awserr.Error{Type: ErrTooManyRequests, Message: "Rate Exceeded.",
		Fields: map[string]string{"Reason": "ReservedFunctionConcurrentInvocationLimitExceeded"}}
}

// checkJSON refuses a payload that is not JSON, as Invoke does.
func checkJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return awserr.Newf(ErrInvalidContent, "Could not parse request body into json: Could not parse payload into json: %s", jsonProblem(err))
	}
	return nil
}

func jsonProblem(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%s at offset %d", se.Error(), se.Offset)
	}
	return err.Error()
}

// specOf builds what the runner needs to run a version.
func (s *Service) specOf(rec *functionRecord, version string) (spec.Spec, error) {
	cfg := rec.Latest
	if version != "$LATEST" {
		cfg = rec.Versions[version]
	}
	env, err := s.openEnv(rec, version)
	if err != nil {
		return spec.Spec{}, fmt.Errorf("open environment of %s: %w", rec.arn(), err)
	}
	dir, err := s.codeDir(rec.name(), rec.CodeHex[version])
	if err != nil {
		return spec.Spec{}, err
	}
	sp := spec.Spec{
		Key:          rec.arn() + ":" + version + ":" + runKey(rec.CodeHex[version], &cfg, env),
		FunctionName: rec.name(), FunctionARN: rec.arn(), Version: version,
		Runtime: cfg.Runtime, Handler: cfg.Handler, CodeDir: dir, Environment: env,
		Timeout: time.Duration(cfg.Timeout) * time.Second, MemoryMB: cfg.MemorySize,
		Region: s.Region, AccountID: s.AccountID, MaxInstances: s.MaxInstances,
	}
	if rec.Reserved != nil {
		sp.MaxInstances, sp.Reserved = *rec.Reserved, true
	}
	return sp, nil
}

// maxAsync bounds the asynchronous invocations queued or running at once (their payloads
// are held in memory: at most 1 MB each).
const maxAsync = 256

// startAsync queues an Event invocation, or refuses it when too many are pending or the
// service is closing.
func (s *Service) startAsync(sp spec.Spec, payload []byte) error {
	closing := s.closed()
	s.asyncMu.Lock()
	defer s.asyncMu.Unlock()
	select {
	case <-closing:
		return awserr.New(ErrService, "The service is shutting down.")
	default:
	}
	if s.asyncN >= maxAsync {
		return &awserr.Error{Type: ErrTooManyRequests, Message: "Rate Exceeded.",
			Fields: map[string]string{"Reason": "ConcurrentInvocationLimitExceeded"}}
	}
	s.asyncN++
	s.asyncWG.Add(1)
	go s.runAsync(sp, payload)
	return nil
}

// runAsync runs an Event invocation, retrying a failure twice as Lambda does, until Close.
func (s *Service) runAsync(sp spec.Spec, payload []byte) {
	defer func() {
		s.asyncMu.Lock()
		s.asyncN--
		s.asyncMu.Unlock()
		s.asyncWG.Done()
	}()
	id := s.uuid()
	for attempt := 0; ; attempt++ {
		res, err := s.Runner.Invoke(s.asyncCtx, sp, spec.Request{RequestID: id, Payload: payload})
		if s.asyncCtx.Err() != nil {
			return
		}
		if err == nil && !res.Error {
			return
		}
		if s.Log != nil {
			s.Log.Warn("lambda: asynchronous invocation failed", "function", sp.FunctionName, "requestId", id,
				"attempt", attempt+1, "error", errString(err, res))
		}
		if attempt >= len(asyncRetryDelays) {
			return
		}
		select {
		case <-time.After(asyncRetryDelays[attempt]):
		case <-s.closed():
			return
		}
	}
}

func errString(err error, res spec.Result) string {
	if err != nil {
		return err.Error()
	}
	return string(res.Payload)
}

// runKey identifies what an instance runs — package, runtime, handler, memory, variables —
// so that warm instances are reused until one of those changes (a new permission or a new
// timeout does not start new instances).
func runKey(codeHex string, cfg *FunctionConfiguration, env map[string]string) string {
	h := sha256.New()
	for _, part := range []string{codeHex, cfg.Runtime, cfg.Handler, strconv.Itoa(cfg.MemorySize)} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	for _, k := range slices.Sorted(maps.Keys(env)) {
		h.Write([]byte(k))
		h.Write([]byte{0})
		h.Write([]byte(env[k]))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}
