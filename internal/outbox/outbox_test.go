package outbox

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/cognito"
	"github.com/gatehouse-dev/gatehouse/internal/secrets"
	"github.com/gatehouse-dev/gatehouse/internal/storage"
	"github.com/gatehouse-dev/gatehouse/internal/storage/memory"
)

func TestRecordListTrim(t *testing.T) {
	ctx := context.Background()
	st := memory.New()
	keys, err := secrets.New(bytes.Repeat([]byte{3}, secrets.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	m := &Messenger{Store: st, Keys: keys, Record: true, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	total := MaxRecords + MaxRecords/10 + 5
	for i := range total {
		msg := cognito.Message{PoolID: "us-east-1_p", Username: fmt.Sprintf("u%d", i%3), Medium: "EMAIL",
			Destination: fmt.Sprintf("u%d@example.com", i%3), Body: "code 123456", Code: fmt.Sprintf("%06d", i),
			Purpose: "SignUp", Time: base.Add(time.Duration(i) * time.Second)}
		if err := m.Deliver(ctx, msg); err != nil {
			t.Fatal(err)
		}
	}
	all, err := List(ctx, st, keys, "", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < MaxRecords || len(all) > MaxRecords+MaxRecords/10 {
		t.Fatalf("kept %d of %d records, want between %d and %d", len(all), total, MaxRecords, MaxRecords+MaxRecords/10)
	}
	if all[0].Code != fmt.Sprintf("%06d", total-1) {
		t.Fatalf("newest first: got code %s", all[0].Code)
	}
	byUser, _ := List(ctx, st, keys, "us-east-1_p", "U1@EXAMPLE.COM", 2)
	if len(byUser) != 2 || byUser[0].Username != "u1" {
		t.Fatalf("filtered: %+v", byUser)
	}
	// Records are sealed at rest: the code is not in the stored bytes.
	_ = st.View(ctx, func(tx storage.Tx) error {
		kvs, _ := tx.Scan(prefix, "", 1)
		if bytes.Contains(kvs[0].Value, []byte("123456")) {
			t.Error("recorded message stored in clear")
		}
		return nil
	})
}
