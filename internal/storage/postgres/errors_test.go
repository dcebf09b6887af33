package postgres

import (
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestErrorClassification(t *testing.T) {
	for _, tc := range []struct {
		err               error
		retryable, unique bool
	}{
		{&pgconn.PgError{Code: "40001"}, true, false},
		{fmt.Errorf("wrapped: %w", &pgconn.PgError{Code: "40P01"}), true, false},
		{&pgconn.PgError{Code: "23505"}, false, true},
		{&pgconn.PgError{Code: "23503"}, false, false},
		{errors.New("40001"), false, false},
		{nil, false, false},
	} {
		if got := isRetryable(tc.err); got != tc.retryable {
			t.Errorf("isRetryable(%v) = %v", tc.err, got)
		}
		if got := isUniqueViolation(tc.err); got != tc.unique {
			t.Errorf("isUniqueViolation(%v) = %v", tc.err, got)
		}
	}
}
