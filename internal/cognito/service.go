package cognito

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/gatehouse-dev/gatehouse/internal/lambda"
	"io"
	"log/slog"
	"math/big"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/secrets"
	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

// Service implements the user-pool operations. Its exported fields are its dependencies; set
// them with a struct literal and do not change them once it serves requests.
type Service struct {
	// Store persists every pool, client, user and code.
	Store storage.Store
	// Keys seals secrets at rest and keys the MACs of one-time codes.
	Keys *secrets.Keyring
	// Messenger delivers emails and SMS messages (codes, invitations).
	Messenger Messenger
	// Region and AccountID appear in pool ids and ARNs.
	Region, AccountID string
	// Now returns the current time; time.Now when nil.
	Now func() time.Time
	// Rand is the source of randomness for ids, codes and secrets; crypto/rand when nil.
	Rand io.Reader
	// PublicURL is the base URL users reach Gatehouse at (used in verification links).
	PublicURL string
	// Tokens mints and reads the tokens of sign-in.
	Tokens TokenIssuer
	// Lambda runs the functions of the pools' Lambda triggers (LambdaConfig). When nil, a
	// configured trigger fails as a function that cannot be found does
	// (UnexpectedLambdaException).
	Lambda lambda.Invoker
	// PoolDeleted, when set, runs inside DeleteUserPool's transaction to remove what other
	// packages keep for the pool (its signing keys).
	PoolDeleted func(tx storage.Tx, pool string) error
	// Log receives operational messages.
	Log *slog.Logger
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Service) rand() io.Reader {
	if s.Rand != nil {
		return s.Rand
	}
	return rand.Reader
}

func (s *Service) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

const (
	alnum      = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	lowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789"
	digits     = "0123456789"
)

// randInt returns a uniform random integer in [0, n).
func (s *Service) randInt(n int) int {
	i, err := rand.Int(s.rand(), big.NewInt(int64(n)))
	if err != nil {
		panic("cognito: randomness source failed: " + err.Error())
	}
	return int(i.Int64())
}

// randomString returns n characters drawn uniformly from alphabet.
func (s *Service) randomString(n int, alphabet string) string {
	var b strings.Builder
	for range n {
		b.WriteByte(alphabet[s.randInt(len(alphabet))])
	}
	return b.String()
}

// newUUID returns a random version 4 UUID.
func (s *Service) newUUID() string {
	var b [16]byte
	if _, err := io.ReadFull(s.rand(), b[:]); err != nil {
		panic("cognito: randomness source failed: " + err.Error())
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// Errors and messages shared by several operations.

func errPoolNotFound(id string) error {
	return awserr.Newf(awserr.ResourceNotFound, "User pool %s does not exist.", id)
}

func errClientNotFound(id string) error {
	return awserr.Newf(awserr.ResourceNotFound, "User pool client %s does not exist.", id)
}

func errUserNotFound() error { return awserr.New(ErrUserNotFound, "User does not exist.") }

func errInvalidParam(format string, args ...any) error {
	return awserr.Newf(awserr.InvalidParameter, format, args...)
}

// Error type names specific to Cognito.
const (
	ErrUserNotFound          = "UserNotFoundException"
	ErrUsernameExists        = "UsernameExistsException"
	ErrAliasExists           = "AliasExistsException"
	ErrInvalidPassword       = "InvalidPasswordException"
	ErrCodeMismatch          = "CodeMismatchException"
	ErrExpiredCode           = "ExpiredCodeException"
	ErrGroupExists           = "GroupExistsException"
	ErrUserNotConfirmed      = "UserNotConfirmedException"
	ErrUnsupportedUserState  = "UnsupportedUserStateException"
	ErrCodeDeliveryFailure   = "CodeDeliveryFailureException"
	ErrTooManyFailedAttempts = "TooManyFailedAttemptsException"
	ErrPasswordHistory       = "PasswordHistoryPolicyViolationException"
	ErrUserLambdaValidation  = "UserLambdaValidationException"
	ErrUnexpectedLambda      = "UnexpectedLambdaException"
	ErrInvalidLambdaResponse = "InvalidLambdaResponseException"
)

// pageToken encodes a storage key as an opaque pagination token.
func pageToken(key string) string {
	if key == "" {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte(key))
}

// parsePageToken decodes a token produced by pageToken and checks it belongs under prefix.
func parsePageToken(tok, prefix string) (string, error) {
	if tok == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || !strings.HasPrefix(string(b), prefix) {
		return "", errInvalidParam("Invalid pagination token")
	}
	return string(b), nil
}

// scanPage returns one page of at most limit entries under prefix, resuming after the
// pagination token, and the token of the next page ("" on the last page).
func scanPage(tx storage.Tx, prefix, token string, limit int) ([]storage.KV, string, error) {
	limit = max(limit, 1) // the model's minimum; callers default 0 to their page size
	after, err := parsePageToken(token, prefix)
	if err != nil {
		return nil, "", err
	}
	kvs, err := tx.Scan(prefix, after, limit+1)
	if err != nil {
		return nil, "", err
	}
	if len(kvs) > limit {
		kvs = kvs[:limit]
		return kvs, pageToken(kvs[limit-1].Key), nil
	}
	return kvs, "", nil
}

// scanPageJSON is scanPage with each value decoded into a T.
func scanPageJSON[T any](tx storage.Tx, prefix, token string, limit int) ([]T, string, error) {
	kvs, next, err := scanPage(tx, prefix, token, limit)
	if err != nil {
		return nil, "", err
	}
	out := make([]T, 0, len(kvs))
	for _, kv := range kvs {
		var v T
		if err := json.Unmarshal(kv.Value, &v); err != nil {
			return nil, "", fmt.Errorf("decode %q: %w", kv.Key, err)
		}
		out = append(out, v)
	}
	return out, next, nil
}

// resolvePage loads the record each index entry of a page points to (recordKey maps an entry to
// the record's key); entries whose record no longer exists are skipped.
func resolvePage[T any](tx storage.Tx, kvs []storage.KV, recordKey func(indexKey string) string) ([]T, error) {
	out := make([]T, 0, len(kvs))
	for _, kv := range kvs {
		v, err := storage.GetJSON[T](tx, recordKey(kv.Key))
		if isNotFound(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// internal wraps a storage failure with context; it surfaces as InternalErrorException.
func internal(op string, err error) error {
	if err == nil {
		return nil
	}
	if _, ok := awserr.As(err); ok {
		return err
	}
	return fmt.Errorf("%s: %w", op, err)
}

func isNotFound(err error) bool { return errors.Is(err, storage.ErrNotFound) }

// view and update run fn in a storage transaction.
func (s *Service) view(ctx context.Context, fn func(tx storage.Tx) error) error {
	return s.Store.View(ctx, fn)
}

func (s *Service) update(ctx context.Context, fn func(tx storage.Tx) error) error {
	return s.Store.Update(ctx, fn)
}

func ptr[T any](v T) *T { return &v }

func deref[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}
