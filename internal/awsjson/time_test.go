package awsjson

import (
	"encoding/json"
	"testing"
	"time"
)

func TestTimeJSON(t *testing.T) {
	tm := At(time.Date(2026, 11, 22, 12, 0, 0, 123_456_789, time.UTC))
	b, err := json.Marshal(tm)
	if err != nil || string(b) != "1795348800.123" {
		t.Fatalf("marshal = %s, %v", b, err)
	}
	var back Time
	if err := json.Unmarshal(b, &back); err != nil || !back.Equal(tm.Time) {
		t.Fatalf("unmarshal = %v, %v", back, err)
	}
	if b, _ := json.Marshal(Time{}); string(b) != "null" {
		t.Fatalf("zero = %s", b)
	}
	for _, bad := range []string{`"x"`, `1e400`, `{}`} {
		if err := json.Unmarshal([]byte(bad), &back); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	if err := json.Unmarshal([]byte(`1.5E9`), &back); err != nil || back.Unix() != 1_500_000_000 {
		t.Fatalf("scientific notation: %v %v", back, err)
	}
}
