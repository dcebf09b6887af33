package mail

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	netmail "net/mail"
	"strings"

	gomail "github.com/wneessen/go-mail"
)

// Message is one outbound email with a single recipient.
type Message struct {
	// From is the sender, "addr@example.com" or "Name <addr@example.com>". Empty means the
	// Mailer's default sender (SMTPConfig.From).
	From string
	// To is the recipient, in the same forms as From.
	To string
	// Subject is the subject line; it must not contain CR or LF.
	Subject string
	// Text is the plain-text body. It is required.
	Text string
	// HTML is an optional HTML body; when set the message is multipart/alternative with
	// Text as the first (fallback) part.
	HTML string
}

// Mailer delivers messages. Implementations must be safe for concurrent use.
type Mailer interface {
	// Send delivers m, returning only once the server has accepted or refused it. Errors
	// wrap ErrInvalidMessage when m itself is unusable; see IsPermanent.
	Send(ctx context.Context, m Message) error
}

// ErrInvalidMessage is wrapped by the error Send returns for a Message that cannot be sent
// as it is (missing or malformed address, no text body, line break in the subject).
var ErrInvalidMessage = errors.New("mail: invalid message")

// ErrInvalidConfig is wrapped by the errors of SMTPConfig.Validate and ParseSMTPURL.
var ErrInvalidConfig = errors.New("mail: invalid SMTP configuration")

// IsPermanent reports whether err means the message will never be delivered as it is, so
// that an outbox should drop it rather than retry: the message was invalid, or the server
// refused it with a 5xx reply (e.g. 550 for an unknown recipient). Network failures, 4xx
// replies and anything else are treated as temporary.
func IsPermanent(err error) bool {
	if errors.Is(err, ErrInvalidMessage) {
		return true
	}
	var se *gomail.SendError
	if errors.As(err, &se) {
		code := se.ErrorCode()
		return code >= 500 && code < 600
	}
	return false
}

// validated is a Message whose addresses have been checked.
type validated struct {
	from, to string
	domain   string // the sender's domain, for the Message-ID
}

// validate checks m and resolves its sender against defaultFrom.
func (m Message) validate(defaultFrom string) (validated, error) {
	from := m.From
	if from == "" {
		from = defaultFrom
	}
	switch {
	case from == "":
		return validated{}, fmt.Errorf("%w: no sender (set Message.From or SMTPConfig.From)", ErrInvalidMessage)
	case m.To == "":
		return validated{}, fmt.Errorf("%w: no recipient", ErrInvalidMessage)
	case m.Text == "":
		return validated{}, fmt.Errorf("%w: no plain-text body", ErrInvalidMessage)
	case strings.ContainsAny(m.Subject, "\r\n"):
		return validated{}, fmt.Errorf("%w: line break in subject", ErrInvalidMessage)
	}
	sender, err := netmail.ParseAddress(from)
	if err != nil {
		return validated{}, fmt.Errorf("%w: sender %q: %v", ErrInvalidMessage, from, err)
	}
	if _, err := netmail.ParseAddress(m.To); err != nil {
		return validated{}, fmt.Errorf("%w: recipient %q: %v", ErrInvalidMessage, m.To, err)
	}
	domain := sender.Address[strings.LastIndexByte(sender.Address, '@')+1:]
	return validated{from: from, to: m.To, domain: domain}, nil
}

// build converts m into a go-mail message: text/plain alone, or multipart/alternative with
// text/plain then text/html, UTF-8 and quoted-printable.
func (m Message) build(v validated) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := msg.From(v.from); err != nil {
		return nil, fmt.Errorf("%w: sender: %v", ErrInvalidMessage, err)
	}
	if err := msg.To(v.to); err != nil {
		return nil, fmt.Errorf("%w: recipient: %v", ErrInvalidMessage, err)
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageIDWithValue(rand.Text() + "@" + v.domain)
	// RFC 3834: tells vacation responders and the like not to answer.
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}
