package lambda

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/lambda/spec"
	"github.com/gatehouse-dev/gatehouse/internal/secrets"
	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

// Runner runs function code: the local runtime host (package runtime) in production, a fake in
// tests.
type Runner interface {
	Invoke(ctx context.Context, spec spec.Spec, req spec.Request) (spec.Result, error)
	Retire(keyPrefix string)
}

// Service is the Lambda API's domain: functions, versions, aliases, policies and invocation.
type Service struct {
	// Store keeps functions and their code.
	Store storage.Store
	// Keys seals environment variables at rest.
	Keys *secrets.Keyring
	// Runner runs the code.
	Runner Runner
	// CodeDir is where deployment packages are unpacked, one directory per code hash.
	CodeDir string
	// Region and AccountID appear in ARNs.
	Region, AccountID string
	// MaxInstances bounds the concurrent instances of a function without reserved
	// concurrency (0: the runner's default).
	MaxInstances int
	// Log receives asynchronous invocations' failures.
	Log *slog.Logger
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Rand is the source of ids; crypto/rand when nil.
	Rand io.Reader

	unpackMu sync.Mutex
	asyncMu  sync.Mutex // guards asyncN and the start of asynchronous work against Close
	asyncN   int
	asyncWG  sync.WaitGroup
	closing  chan struct{}
	cancel   context.CancelFunc
	asyncCtx context.Context
	once     sync.Once
}

// Error types of the Lambda API.
const (
	ErrNotFound           = "ResourceNotFoundException"
	ErrConflict           = "ResourceConflictException"
	ErrInvalidParameter   = "InvalidParameterValueException"
	ErrValidation         = "ValidationException"
	ErrTooManyRequests    = "TooManyRequestsException"
	ErrRequestTooLarge    = "RequestTooLargeException"
	ErrInvalidContent     = "InvalidRequestContentException"
	ErrPreconditionFailed = "PreconditionFailedException"
	ErrAccessDenied       = "AccessDeniedException"
	ErrService            = "ServiceException"
)

func invalid(format string, args ...any) error {
	return awserr.Newf(ErrInvalidParameter, format, args...)
}

// validation is the ValidationException Lambda gives for a constraint violation.
func validation(value any, member, constraint string) error {
	return awserr.Newf(ErrValidation, "1 validation error detected: Value '%v' at '%s' failed to satisfy constraint: %s", value, member, constraint)
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Service) closed() chan struct{} {
	s.once.Do(func() {
		s.closing = make(chan struct{})
		s.asyncCtx, s.cancel = context.WithCancel(context.Background())
	})
	return s.closing
}

// Close cancels queued and running asynchronous invocations and waits for them to end.
func (s *Service) Close() error {
	ch := s.closed()
	s.asyncMu.Lock()
	select {
	case <-ch:
	default:
		close(ch)
		s.cancel()
	}
	s.asyncMu.Unlock()
	s.asyncWG.Wait()
	return nil
}

// uuid returns a random RFC 4122 version-4 UUID.
func (s *Service) uuid() string {
	r := s.Rand
	if r == nil {
		r = rand.Reader
	}
	var b [16]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		panic(fmt.Sprintf("lambda: random source failed: %v", err))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// FunctionARN returns the unqualified ARN of a function.
func (s *Service) FunctionARN(name string) string {
	return "arn:aws:lambda:" + s.Region + ":" + s.AccountID + ":function:" + name
}

func qualified(arn, qualifier string) string {
	if qualifier == "" {
		return arn
	}
	return arn + ":" + qualifier
}

// errFunctionNotFound is Lambda's error for a missing function (or version or alias).
func (s *Service) errFunctionNotFound(name, qualifier string) error {
	return awserr.Newf(ErrNotFound, "Function not found: %s", qualified(s.FunctionARN(name), qualifier))
}

// ParseFunction splits a function identifier — a name, a partial ARN
// (123456789012:function:name) or a full ARN, each optionally followed by ":qualifier" — into
// the function's name and qualifier. It reports false when the identifier names another
// region or account, or is not a function identifier.
func (s *Service) ParseFunction(id string) (name, qualifier string, ok bool) {
	parts := strings.Split(id, ":")
	switch {
	case len(parts) >= 7 && parts[0] == "arn" && parts[2] == "lambda" && parts[5] == "function":
		if parts[3] != s.Region || parts[4] != s.AccountID || len(parts) > 8 {
			return "", "", false
		}
		parts = parts[6:]
	case len(parts) >= 3 && parts[1] == "function":
		if parts[0] != s.AccountID || len(parts) > 4 {
			return "", "", false
		}
		parts = parts[2:]
	}
	switch len(parts) {
	case 1:
		name = parts[0]
	case 2:
		name, qualifier = parts[0], parts[1]
	default:
		return "", "", false
	}
	if !validName(name) || (len(parts) == 2 && qualifier == "") {
		return "", "", false
	}
	return name, qualifier, true
}

// validName reports whether name is a function name: 1-64 of [a-zA-Z0-9-_].
func validName(name string) bool {
	if name == "" || len(name) > 64 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
