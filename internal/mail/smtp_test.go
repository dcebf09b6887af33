package mail

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/gatehouse-dev/gatehouse/internal/mail/mailtest"
	gomail "github.com/wneessen/go-mail"
)

// received is one message as the test server saw it.
type received = mailtest.Message

// backend is the recording test server.
type backend = mailtest.Backend

// serverOpts configures startServer.
type serverOpts = mailtest.Options

// startServer runs a real SMTP server for b on 127.0.0.1 and returns its port.
func startServer(t *testing.T, b *backend, o serverOpts) int {
	t.Helper()
	return mailtest.Start(t, b, o).Port
}

// selfSigned returns a certificate for 127.0.0.1/localhost and a pool that trusts it.
func selfSigned(t *testing.T) (*tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "gatehouse mail test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// parsed is a received message decoded for assertions.
type parsed struct {
	header      netmail.Header
	subject     string
	contentType string
	text, html  string
}

func parse(t *testing.T, data []byte) parsed {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("received message does not parse: %v\n%s", err, data)
	}
	p := parsed{header: msg.Header}
	if p.subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); err != nil {
		t.Fatalf("Subject: %v", err)
	}
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("Content-Type: %v", err)
	}
	p.contentType = mediaType
	switch mediaType {
	case "text/plain":
		p.text = decodeBody(t, msg.Header.Get("Content-Transfer-Encoding"), params, msg.Body)
	case "multipart/alternative":
		mr := multipart.NewReader(msg.Body, params["boundary"])
		var order []string
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("multipart: %v", err)
			}
			pt, pparams, err := mime.ParseMediaType(part.Header.Get("Content-Type"))
			if err != nil {
				t.Fatalf("part Content-Type: %v", err)
			}
			order = append(order, pt)
			// multipart.Part decodes quoted-printable itself and then hides the header.
			body := decodeBody(t, part.Header.Get("Content-Transfer-Encoding"), pparams, part)
			switch pt {
			case "text/plain":
				p.text = body
			case "text/html":
				p.html = body
			}
		}
		if strings.Join(order, ",") != "text/plain,text/html" {
			t.Errorf("alternative parts = %v, want text/plain then text/html", order)
		}
	default:
		t.Fatalf("unexpected Content-Type %q", mediaType)
	}
	return p
}

func decodeBody(t *testing.T, cte string, params map[string]string, r io.Reader) string {
	t.Helper()
	if cs := params["charset"]; !strings.EqualFold(cs, "utf-8") {
		t.Errorf("charset = %q, want UTF-8", cs)
	}
	switch strings.ToLower(cte) {
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	case "", "7bit", "8bit":
	default:
		t.Fatalf("unexpected Content-Transfer-Encoding %q", cte)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(string(b), "\r\n", "\n")
}

func onlyMessage(t *testing.T, b *backend) received {
	t.Helper()
	got := b.Messages()
	if len(got) != 1 {
		t.Fatalf("server received %d messages, want 1", len(got))
	}
	return got[0]
}

const longLine = "This line is deliberately longer than seventy-six characters so that quoted-printable has to wrap it."

func TestSendPlainText(t *testing.T) {
	b := &backend{}
	port := startServer(t, b, serverOpts{})
	m := NewSMTP(SMTPConfig{Host: "127.0.0.1", Port: port, TLS: TLSNone, From: "Gatehouse <no-reply@example.com>"})
	err := m.Send(context.Background(), Message{
		To:      "alice@example.org",
		Subject: "Your verification code — 123456",
		Text:    "Your code is 123456.\nZoë says hi.\n" + longLine + "\n",
	})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	r := onlyMessage(t, b)
	if r.From != "no-reply@example.com" || strings.Join(r.Rcpts, ",") != "alice@example.org" {
		t.Errorf("envelope = MAIL FROM %q RCPT TO %v", r.From, r.Rcpts)
	}
	if r.TLS || r.User != "" {
		t.Errorf("tls=%v user=%q, want a clear-text anonymous session", r.TLS, r.User)
	}
	p := parse(t, r.Data)
	if got := p.header.Get("From"); got != `"Gatehouse" <no-reply@example.com>` {
		t.Errorf("From = %q", got)
	}
	if got := p.header.Get("To"); got != "<alice@example.org>" {
		t.Errorf("To = %q", got)
	}
	if p.subject != "Your verification code — 123456" {
		t.Errorf("Subject = %q", p.subject)
	}
	if _, err := p.header.Date(); err != nil {
		t.Errorf("Date: %v", err)
	}
	if id := p.header.Get("Message-ID"); !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@example.com>") || len(id) < 20 {
		t.Errorf("Message-ID = %q, want <random@example.com>", id)
	}
	if got := p.header.Get("Auto-Submitted"); got != "auto-generated" {
		t.Errorf("Auto-Submitted = %q", got)
	}
	if ua := p.header.Get("X-Mailer") + p.header.Get("User-Agent"); ua != "" {
		t.Errorf("mailer headers present: %q", ua)
	}
	if p.header.Get("MIME-Version") != "1.0" {
		t.Errorf("MIME-Version = %q", p.header.Get("MIME-Version"))
	}
	if p.contentType != "text/plain" {
		t.Errorf("Content-Type = %q, want text/plain", p.contentType)
	}
	if want := "Your code is 123456.\nZoë says hi.\n" + longLine + "\n"; p.text != want {
		t.Errorf("text body = %q, want %q", p.text, want)
	}
}

func TestSendMultipartAlternative(t *testing.T) {
	b := &backend{}
	port := startServer(t, b, serverOpts{})
	m := NewSMTP(SMTPConfig{Host: "127.0.0.1", Port: port, TLS: TLSNone, From: "default@example.com"})
	msg := Message{
		From:    "Security <security@example.com>",
		To:      "Bob Example <bob@example.org>",
		Subject: "Reset your password",
		Text:    "Code: 987654\n",
		HTML:    "<p>Code: <b>987654</b></p>\n<p>" + longLine + "</p>\n",
	}
	if err := m.Send(context.Background(), msg); err != nil {
		t.Fatalf("Send: %v", err)
	}
	r := onlyMessage(t, b)
	if r.From != "security@example.com" || strings.Join(r.Rcpts, ",") != "bob@example.org" {
		t.Errorf("envelope = MAIL FROM %q RCPT TO %v", r.From, r.Rcpts)
	}
	p := parse(t, r.Data)
	if p.contentType != "multipart/alternative" {
		t.Fatalf("Content-Type = %q, want multipart/alternative", p.contentType)
	}
	if got := p.header.Get("To"); got != `"Bob Example" <bob@example.org>` {
		t.Errorf("To = %q", got)
	}
	if p.subject != msg.Subject {
		t.Errorf("Subject = %q", p.subject)
	}
	if p.text != msg.Text {
		t.Errorf("text part = %q, want %q", p.text, msg.Text)
	}
	if p.html != msg.HTML {
		t.Errorf("html part = %q, want %q", p.html, msg.HTML)
	}
}

func TestSendAuthPlain(t *testing.T) {
	b := &backend{Users: map[string]string{"mailer": "p@ss:w/rd"}}
	port := startServer(t, b, serverOpts{AllowInsecureAuth: true})

	cfg, err := ParseSMTPURL("smtp://mailer:p%40ss%3Aw%2Frd@127.0.0.1:" + itoa(port) + "?tls=none&from=no-reply@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if err := NewSMTP(cfg).Send(context.Background(), Message{To: "carol@example.org", Subject: "hi", Text: "hello\n"}); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if r := onlyMessage(t, b); r.User != "mailer" {
		t.Errorf("authenticated user = %q, want mailer", r.User)
	}

	cfg.Password = "wrong"
	err = NewSMTP(cfg).Send(context.Background(), Message{To: "carol@example.org", Subject: "hi", Text: "hello\n"})
	if err == nil {
		t.Fatal("Send with a wrong password succeeded")
	}
	if strings.Contains(err.Error(), "wrong") {
		t.Errorf("error leaks the password: %v", err)
	}
	if n := len(b.Messages()); n != 1 {
		t.Errorf("server has %d messages after the failed login, want 1", n)
	}
}

func TestSendSTARTTLS(t *testing.T) {
	cert, roots := selfSigned(t)
	// No AllowInsecureAuth: the server offers AUTH only after STARTTLS.
	b := &backend{Users: map[string]string{"mailer": "secret"}}
	port := startServer(t, b, serverOpts{Cert: cert})
	cfg := SMTPConfig{
		Host: "127.0.0.1", Port: port, TLS: TLSStartTLS, RootCAs: roots,
		Username: "mailer", Password: "secret", From: "no-reply@example.com",
	}
	if err := NewSMTP(cfg).Send(context.Background(), Message{To: "dave@example.org", Subject: "s", Text: "t\n"}); err != nil {
		t.Fatalf("Send: %v", err)
	}
	r := onlyMessage(t, b)
	if !r.TLS {
		t.Error("message was not sent over TLS")
	}
	if r.User != "mailer" {
		t.Errorf("authenticated user = %q", r.User)
	}
}

func TestSTARTTLSIsMandatory(t *testing.T) {
	b := &backend{}
	port := startServer(t, b, serverOpts{}) // no STARTTLS offered
	for _, mode := range []TLSMode{TLSStartTLS, ""} {
		cfg := SMTPConfig{Host: "127.0.0.1", Port: port, TLS: mode, From: "no-reply@example.com"}
		err := NewSMTP(cfg).Send(context.Background(), Message{To: "eve@example.org", Subject: "s", Text: "t\n"})
		if err == nil || !strings.Contains(err.Error(), "STARTTLS") {
			t.Errorf("TLS=%q against a server without STARTTLS: err = %v, want a STARTTLS error", mode, err)
		}
	}
	if n := len(b.Messages()); n != 0 {
		t.Errorf("server received %d messages in clear text", n)
	}
}

func TestSTARTTLSUntrustedCertificate(t *testing.T) {
	cert, _ := selfSigned(t)
	b := &backend{}
	port := startServer(t, b, serverOpts{Cert: cert})
	cfg := SMTPConfig{Host: "127.0.0.1", Port: port, TLS: TLSStartTLS, From: "no-reply@example.com"} // system roots
	err := NewSMTP(cfg).Send(context.Background(), Message{To: "eve@example.org", Subject: "s", Text: "t\n"})
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) {
		t.Errorf("err = %v, want x509.UnknownAuthorityError", err)
	}
	if n := len(b.Messages()); n != 0 {
		t.Errorf("server received %d messages", n)
	}
}

func TestSendImplicitTLS(t *testing.T) {
	cert, roots := selfSigned(t)
	b := &backend{Users: map[string]string{"mailer": "secret"}}
	port := startServer(t, b, serverOpts{Cert: cert, ImplicitTLS: true})
	cfg, err := ParseSMTPURL("smtps://mailer:secret@127.0.0.1:" + itoa(port) + "?from=no-reply@example.com")
	if err != nil {
		t.Fatal(err)
	}
	cfg.RootCAs = roots
	if err := NewSMTP(cfg).Send(context.Background(), Message{To: "frank@example.org", Subject: "s", Text: "t\n"}); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if r := onlyMessage(t, b); !r.TLS || r.User != "mailer" {
		t.Errorf("tls=%v user=%q, want an authenticated TLS session", r.TLS, r.User)
	}
}

func TestSendRecipientRejected(t *testing.T) {
	b := &backend{Reject: map[string]*smtp.SMTPError{
		"nobody@example.org": {Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user"},
		"full@example.org":   {Code: 452, EnhancedCode: smtp.EnhancedCode{4, 2, 2}, Message: "Mailbox full"},
	}}
	port := startServer(t, b, serverOpts{})
	m := NewSMTP(SMTPConfig{Host: "127.0.0.1", Port: port, TLS: TLSNone, From: "no-reply@example.com"})

	err := m.Send(context.Background(), Message{To: "nobody@example.org", Subject: "s", Text: "t\n"})
	if err == nil {
		t.Fatal("Send to a rejected recipient returned nil")
	}
	var se *gomail.SendError
	if !errors.As(err, &se) || se.ErrorCode() != 550 {
		t.Errorf("err = %v, want a go-mail SendError with code 550", err)
	}
	if !strings.Contains(err.Error(), "No such user") {
		t.Errorf("err = %v, want the server's reply text", err)
	}
	if !IsPermanent(err) {
		t.Errorf("IsPermanent(%v) = false for a 550", err)
	}

	err = m.Send(context.Background(), Message{To: "full@example.org", Subject: "s", Text: "t\n"})
	if err == nil || IsPermanent(err) {
		t.Errorf("452 reply: err = %v, IsPermanent = %v; want a temporary error", err, IsPermanent(err))
	}
	if n := len(b.Messages()); n != 0 {
		t.Errorf("server stored %d messages", n)
	}
}

func TestSendCanceledMidTransfer(t *testing.T) {
	b := &backend{DataStarted: make(chan struct{}), Release: make(chan struct{})}
	port := startServer(t, b, serverOpts{})
	t.Cleanup(func() { close(b.Release) }) // runs before the server is closed
	m := NewSMTP(SMTPConfig{Host: "127.0.0.1", Port: port, TLS: TLSNone, From: "no-reply@example.com"})

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- m.Send(ctx, Message{To: "gina@example.org", Subject: "s", Text: "t\n"}) }()
	select {
	case <-b.DataStarted:
	case err := <-errc:
		t.Fatalf("Send returned before DATA: %v", err)
	}
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestSendContextAlreadyDone(t *testing.T) {
	b := &backend{}
	port := startServer(t, b, serverOpts{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := NewSMTP(SMTPConfig{Host: "127.0.0.1", Port: port, TLS: TLSNone, From: "a@example.com"}).
		Send(ctx, Message{To: "b@example.com", Subject: "s", Text: "t"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestSendConcurrent(t *testing.T) {
	b := &backend{}
	port := startServer(t, b, serverOpts{})
	m := NewSMTP(SMTPConfig{Host: "127.0.0.1", Port: port, TLS: TLSNone, From: "no-reply@example.com"})
	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- m.Send(context.Background(), Message{To: "u" + itoa(i) + "@example.org", Subject: "s", Text: "t"})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if got := len(b.Messages()); got != n {
		t.Errorf("server received %d messages, want %d", got, n)
	}
}

func TestSendInvalidMessage(t *testing.T) {
	// Nothing listens on port 1: every case must fail before dialling.
	m := NewSMTP(SMTPConfig{Host: "127.0.0.1", Port: 1, TLS: TLSNone})
	tests := []struct {
		name string
		msg  Message
	}{
		{"no sender", Message{To: "a@example.com", Text: "t"}},
		{"no recipient", Message{From: "a@example.com", Text: "t"}},
		{"no text", Message{From: "a@example.com", To: "b@example.com", HTML: "<p>x</p>"}},
		{"bad sender", Message{From: "not an address", To: "b@example.com", Text: "t"}},
		{"bad recipient", Message{From: "a@example.com", To: "b@", Text: "t"}},
		{"two recipients", Message{From: "a@example.com", To: "b@example.com, c@example.com", Text: "t"}},
		{"header injection in recipient", Message{From: "a@example.com", To: "b@example.com\r\nBcc: c@example.com", Text: "t"}},
		{"CRLF in subject", Message{From: "a@example.com", To: "b@example.com", Subject: "hi\r\nBcc: c@example.com", Text: "t"}},
		{"LF in subject", Message{From: "a@example.com", To: "b@example.com", Subject: "hi\nthere", Text: "t"}},
	}
	for _, tt := range tests {
		err := m.Send(context.Background(), tt.msg)
		if !errors.Is(err, ErrInvalidMessage) || !IsPermanent(err) {
			t.Errorf("%s: err = %v, want ErrInvalidMessage", tt.name, err)
		}
	}
	if err := NewSMTP(SMTPConfig{}).Send(context.Background(), Message{}); !errors.Is(err, ErrInvalidConfig) {
		t.Errorf("empty config: err = %v, want ErrInvalidConfig", err)
	}
}

func TestIsPermanent(t *testing.T) {
	for _, err := range []error{nil, errors.New("dial tcp: connection refused"), context.DeadlineExceeded} {
		if IsPermanent(err) {
			t.Errorf("IsPermanent(%v) = true", err)
		}
	}
}

func itoa(i int) string { return big.NewInt(int64(i)).String() }
