package srp

import (
	"errors"
	"time"
)

// TimestampLayout is the Go layout of the TIMESTAMP challenge response,
// "ddd MMM D HH:mm:ss UTC YYYY" in amazon-cognito-identity-js's DateHelper:
// the day of the month is not zero-padded and hours use the 24-hour clock,
// e.g. "Sun Oct 6 13:37:50 UTC 2024".
const TimestampLayout = "Mon Jan 2 15:04:05 UTC 2006"

// ErrInvalidTimestamp is returned by ParseTimestamp for any string that is not
// in canonical TimestampLayout form.
var ErrInvalidTimestamp = errors.New("srp: invalid TIMESTAMP")

// ParseTimestamp parses a TIMESTAMP challenge response. Only strings that
// round-trip exactly through TimestampLayout are accepted, so a zero-padded
// day ("Oct 06"), a 12-hour clock, a wrong weekday or stray whitespace is an
// error, as with AWS. The result is in UTC; bounding clock skew is the
// caller's job.
func ParseTimestamp(s string) (time.Time, error) {
	t, err := time.Parse(TimestampLayout, s)
	if err != nil || t.Format(TimestampLayout) != s {
		return time.Time{}, ErrInvalidTimestamp
	}
	return t, nil
}
