package awsjson

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"time"
)

// Time is a timestamp that AWS JSON protocols encode as fractional epoch seconds
// (e.g. 1700000000.123). The zero value encodes as null.
type Time struct{ time.Time }

// At wraps t, truncated to millisecond precision as AWS reports it.
func At(t time.Time) Time { return Time{t.UTC().Truncate(time.Millisecond)} }

// MarshalJSON implements json.Marshaler.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	ms := t.UnixMilli()
	return []byte(strconv.FormatFloat(float64(ms)/1000, 'f', -1, 64)), nil
}

// UnmarshalJSON implements json.Unmarshaler; it accepts epoch seconds (number or numeric string).
func (t *Time) UnmarshalJSON(b []byte) error {
	b = bytes.Trim(b, `"`)
	if string(b) == "null" || len(b) == 0 {
		*t = Time{}
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return fmt.Errorf("awsjson: invalid timestamp %q", b)
	}
	sec, frac := math.Modf(f)
	*t = Time{time.Unix(int64(sec), int64(math.Round(frac*1e3))*int64(time.Millisecond)).UTC()}
	return nil
}
