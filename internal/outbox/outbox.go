package outbox

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/cognito"
	"github.com/gatehouse-dev/gatehouse/internal/mail"
	"github.com/gatehouse-dev/gatehouse/internal/secrets"
	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

// prefix is where recorded messages live in storage. Keys sort newest first.
const prefix = "dev/msg/"

// Messenger implements cognito.Messenger.
type Messenger struct {
	// Mailer sends email; nil means email is only logged (and recorded).
	Mailer mail.Mailer
	// From is the sender address of emails.
	From string
	// Store keeps recorded messages when Record is true.
	Store storage.Store
	// Keys seals recorded messages at rest (they hold codes and temporary passwords).
	Keys *secrets.Keyring
	// Record keeps a copy of every message for the development endpoints.
	Record bool
	// LogBodies writes message bodies (which contain codes) to the log; only for development.
	LogBodies bool
	// Log receives one line per message.
	Log *slog.Logger
}

// Record is a message as /_gatehouse/messages returns it.
type Record struct {
	ID          string    `json:"id"`
	Time        time.Time `json:"time"`
	UserPoolID  string    `json:"userPoolId"`
	Username    string    `json:"username"`
	Medium      string    `json:"deliveryMedium"`
	Destination string    `json:"destination"`
	Subject     string    `json:"subject,omitempty"`
	Body        string    `json:"body"`
	Code        string    `json:"code,omitempty"`
	Purpose     string    `json:"purpose"`
}

// Deliver implements cognito.Messenger.
func (m *Messenger) Deliver(ctx context.Context, msg cognito.Message) error {
	attrs := []any{"pool", msg.PoolID, "username", msg.Username, "medium", msg.Medium, "purpose", msg.Purpose}
	if m.LogBodies {
		attrs = append(attrs, "destination", msg.Destination, "subject", msg.Subject, "body", msg.Body)
	}
	if m.Record {
		if err := m.record(ctx, msg); err != nil {
			return fmt.Errorf("record message: %w", err)
		}
	}
	if msg.Medium == "EMAIL" && m.Mailer != nil {
		err := m.Mailer.Send(ctx, mail.Message{From: m.From, To: msg.Destination, Subject: msg.Subject, Text: msg.Body})
		if err != nil {
			return fmt.Errorf("send email: %w", err)
		}
		m.log().InfoContext(ctx, "email sent", attrs...)
		return nil
	}
	m.log().InfoContext(ctx, "message not sent (no provider), logged", attrs...)
	return nil
}

func (m *Messenger) log() *slog.Logger {
	if m.Log != nil {
		return m.Log
	}
	return slog.Default()
}

func (m *Messenger) record(ctx context.Context, msg cognito.Message) error {
	var rnd [4]byte
	_, _ = rand.Read(rnd[:])
	// Invert the timestamp so that an ascending scan returns the newest message first.
	inv := uint64(math.MaxInt64 - msg.Time.UnixNano())
	id := fmt.Sprintf("%019d-%s", inv, hex.EncodeToString(rnd[:]))
	rec := Record{ID: id, Time: msg.Time, UserPoolID: msg.PoolID, Username: msg.Username, Medium: msg.Medium,
		Destination: msg.Destination, Subject: msg.Subject, Body: msg.Body, Code: msg.Code, Purpose: msg.Purpose}
	plain, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	sealed := m.Keys.Seal(plain, []byte(aad))
	return m.Store.Update(ctx, func(tx storage.Tx) error {
		if err := tx.Put(prefix+id, sealed); err != nil {
			return err
		}
		return trim(tx)
	})
}

// aad binds sealed records to their purpose.
const aad = "dev-message"

// MaxRecords is how many recorded messages are kept; older ones are dropped.
const MaxRecords = 1000

// trim keeps the newest MaxRecords messages once there are clearly more (checked cheaply with
// Count, and only then with a scan).
func trim(tx storage.Tx) error {
	n, err := tx.Count(prefix)
	if err != nil || n <= MaxRecords+MaxRecords/10 {
		return err
	}
	keep, err := tx.Scan(prefix, "", MaxRecords)
	if err != nil || len(keep) < MaxRecords {
		return err
	}
	old, err := tx.Scan(prefix, keep[len(keep)-1].Key, 0)
	if err != nil {
		return err
	}
	for _, kv := range old {
		if err := tx.Delete(kv.Key); err != nil {
			return err
		}
	}
	return nil
}

// List returns recorded messages, newest first, optionally only those of a pool and of a user
// (matched against the canonical username or the destination address).
func List(ctx context.Context, st storage.Store, keys *secrets.Keyring, pool, user string, limit int) ([]Record, error) {
	out := []Record{}
	err := st.View(ctx, func(tx storage.Tx) error {
		kvs, err := tx.Scan(prefix, "", 0)
		if err != nil {
			return err
		}
		for _, kv := range kvs {
			plain, err := keys.Open(kv.Value, []byte(aad))
			if err != nil {
				return fmt.Errorf("open recorded message %s: %w", kv.Key, err)
			}
			var r Record
			if err := json.Unmarshal(plain, &r); err != nil {
				return fmt.Errorf("decode recorded message %s: %w", kv.Key, err)
			}
			if pool != "" && r.UserPoolID != pool {
				continue
			}
			if user != "" && r.Username != user && !strings.EqualFold(r.Destination, user) {
				continue
			}
			out = append(out, r)
			if limit > 0 && len(out) >= limit {
				break
			}
		}
		return nil
	})
	return out, err
}
