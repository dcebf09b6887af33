// Package mailtest runs a real SMTP server (go-smtp) on the loopback interface for tests, and
// records every message it accepts.
package mailtest

import (
	"crypto/tls"
	"io"
	"log"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Message is one message as the server accepted it.
type Message struct {
	// From and Rcpts are the envelope sender and recipients.
	From  string
	Rcpts []string
	// Data is the message as transmitted (headers and body).
	Data []byte
	// TLS reports whether the connection was encrypted when MAIL FROM arrived.
	TLS bool
	// User is the authenticated user, if any.
	User string
}

// Backend is a go-smtp backend that records what it accepts.
type Backend struct {
	// Users, when non-nil, makes the server offer and require AUTH PLAIN with these
	// username → password pairs.
	Users map[string]string
	// Reject maps recipient addresses to the reply RCPT TO gets for them.
	Reject map[string]*smtp.SMTPError
	// DataStarted and Release, when non-nil, make DATA signal its start and then wait.
	DataStarted chan struct{}
	Release     chan struct{}

	mu       sync.Mutex
	messages []Message
}

// NewSession implements smtp.Backend.
func (b *Backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{b: b, conn: c}, nil
}

// Messages returns the messages accepted so far, oldest first.
func (b *Backend) Messages() []Message {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]Message(nil), b.messages...)
}

type session struct {
	b    *Backend
	conn *smtp.Conn
	user string
	cur  Message
}

func (s *session) AuthMechanisms() []string {
	if s.b.Users == nil {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if want, ok := s.b.Users[username]; !ok || want != password || (identity != "" && identity != username) {
			return smtp.ErrAuthFailed
		}
		s.user = username
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.b.Users != nil && s.user == "" {
		return smtp.ErrAuthRequired
	}
	_, isTLS := s.conn.TLSConnectionState()
	s.cur = Message{From: from, TLS: isTLS, User: s.user}
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if err, ok := s.b.Reject[to]; ok {
		return err
	}
	s.cur.Rcpts = append(s.cur.Rcpts, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	if s.b.DataStarted != nil {
		close(s.b.DataStarted)
		<-s.b.Release
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.Data = data
	s.b.mu.Lock()
	s.b.messages = append(s.b.messages, s.cur)
	s.b.mu.Unlock()
	return nil
}

func (s *session) Reset()        { s.cur = Message{} }
func (s *session) Logout() error { return nil }

// Options configures Start.
type Options struct {
	// Cert, when set, is offered with STARTTLS (or from the first byte with ImplicitTLS).
	Cert        *tls.Certificate
	ImplicitTLS bool
	// AllowInsecureAuth permits AUTH without TLS.
	AllowInsecureAuth bool
}

// Start serves b on 127.0.0.1 until the test ends and returns the server's address.
func Start(t testing.TB, b *Backend, o Options) *net.TCPAddr {
	t.Helper()
	s := smtp.NewServer(b)
	s.Domain = "localhost"
	s.AllowInsecureAuth = o.AllowInsecureAuth
	s.ErrorLog = log.New(io.Discard, "", 0)
	s.ReadTimeout = 10 * time.Second
	s.WriteTimeout = 10 * time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if o.Cert != nil {
		tc := &tls.Config{Certificates: []tls.Certificate{*o.Cert}, MinVersion: tls.VersionTLS12}
		if o.ImplicitTLS {
			l = tls.NewListener(l, tc)
		} else {
			s.TLSConfig = tc
		}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = s.Serve(l)
	}()
	t.Cleanup(func() {
		// Close the listener too: Server.Close misses it if Serve has not registered it yet.
		_ = s.Close()
		_ = l.Close()
		<-done
	})
	return l.Addr().(*net.TCPAddr)
}
