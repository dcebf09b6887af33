package e2e

import (
	"bytes"
	"fmt"
	"io"
	"log"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/emersion/go-smtp"

	"github.com/gatehouse-dev/gatehouse/internal/testenv"
)

// A local SMTP server (go-smtp, as in internal/mail's tests) that records what it accepts.

type mailbox struct {
	reject map[string]bool // recipients refused with 550

	mu   sync.Mutex
	msgs []receivedMail
}

type receivedMail struct {
	From    string // envelope sender
	To      []string
	Subject string
	Body    string // decoded text body
	Header  netmail.Header
}

func (b *mailbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &mailSession{b: b}, nil }

func (b *mailbox) received() []receivedMail {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]receivedMail(nil), b.msgs...)
}

type mailSession struct {
	b    *mailbox
	from string
	to   []string
}

func (s *mailSession) Mail(from string, _ *smtp.MailOptions) error { s.from = from; return nil }

func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.b.reject[to] {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *mailSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := decodeMail(raw)
	if err != nil {
		return &smtp.SMTPError{Code: 554, Message: "cannot parse message: " + err.Error()}
	}
	m.From, m.To = s.from, s.to
	s.b.mu.Lock()
	s.b.msgs = append(s.b.msgs, m)
	s.b.mu.Unlock()
	return nil
}

func (s *mailSession) Reset()        { s.from, s.to = "", nil }
func (s *mailSession) Logout() error { return nil }

// decodeMail parses a message and returns its subject and plain-text body.
func decodeMail(raw []byte) (receivedMail, error) {
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return receivedMail{}, err
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return receivedMail{}, err
	}
	body, err := textBody(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body)
	if err != nil {
		return receivedMail{}, err
	}
	return receivedMail{Subject: subject, Body: body, Header: msg.Header}, nil
}

func textBody(contentType, encoding string, r io.Reader) (string, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return "", err
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(r, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err != nil {
				return "", fmt.Errorf("no text/plain part: %w", err)
			}
			if strings.HasPrefix(p.Header.Get("Content-Type"), "text/plain") {
				return textBody(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p)
			}
		}
	}
	if strings.EqualFold(encoding, "quoted-printable") {
		r = quotedprintable.NewReader(r)
	}
	b, err := io.ReadAll(r)
	return strings.TrimRight(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n"), err
}

// startSMTP runs the mailbox on 127.0.0.1 and returns the Gatehouse SMTP URL for it.
func startSMTP(t *testing.T, b *mailbox) string {
	t.Helper()
	s := smtp.NewServer(b)
	s.Domain = "localhost"
	s.ErrorLog = log.New(io.Discard, "", 0)
	s.ReadTimeout = 10 * time.Second
	s.WriteTimeout = 10 * time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = s.Serve(l)
	}()
	t.Cleanup(func() {
		_ = s.Close()
		_ = l.Close()
		<-done
	})
	return fmt.Sprintf("smtp://%s?tls=none&from=no-reply@gatehouse.test", l.Addr())
}

// TestSMTPDelivery: codes and invitations reach a real SMTP server with the pool's templates.
func TestSMTPDelivery(t *testing.T) {
	t.Parallel()
	box := &mailbox{}
	e := newEnv(t, testenv.WithSMTP(startSMTP(t, box)))
	pool, cid, _ := e.emailPool(&cip.CreateUserPoolInput{
		VerificationMessageTemplate: &types.VerificationMessageTemplateType{
			EmailSubject: aws.String("Verify your Gatehouse account"),
			EmailMessage: aws.String("Hello {username},\nyour verification code is {####}.\nThanks!"),
		},
		AdminCreateUserConfig: &types.AdminCreateUserConfigType{InviteMessageTemplate: &types.MessageTemplateType{
			EmailSubject: aws.String("You are invited"),
			EmailMessage: aws.String("Sign in as {username} with {####}"),
		}},
	}, nil)

	e.signUp(cid, "olivia", "email", "olivia@example.com")
	got := box.received()
	if len(got) != 1 {
		t.Fatalf("%d emails received, want 1", len(got))
	}
	m := got[0]
	code := e.s.LastCode(t, pool, "olivia")
	if m.From != "no-reply@gatehouse.test" || len(m.To) != 1 || m.To[0] != "olivia@example.com" {
		t.Fatalf("envelope from %q to %v", m.From, m.To)
	}
	if m.Subject != "Verify your Gatehouse account" {
		t.Fatalf("subject = %q", m.Subject)
	}
	if want := "Hello olivia,\nyour verification code is " + code + ".\nThanks!"; m.Body != want {
		t.Fatalf("body = %q, want %q", m.Body, want)
	}
	if to, err := m.Header.AddressList("To"); err != nil || len(to) != 1 || to[0].Address != "olivia@example.com" {
		t.Fatalf("To header = %v (%v)", to, err)
	}
	// The code that arrived by email confirms the account.
	e.must(e.confirmSignUp(cid, "olivia", code), "confirm with the emailed code")

	// A password-reset code and an invitation travel the same way.
	_, err := e.c.ForgotPassword(e.ctx, &cip.ForgotPasswordInput{ClientId: &cid, Username: aws.String("olivia")})
	e.must(err, "forgot password")
	_, err = e.c.AdminCreateUser(e.ctx, &cip.AdminCreateUserInput{UserPoolId: &pool, Username: aws.String("paul"),
		UserAttributes: attrs("email", "paul@example.com"), DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail}})
	e.must(err, "admin create user")
	got = box.received()
	if len(got) != 3 {
		t.Fatalf("%d emails received, want 3", len(got))
	}
	if reset := got[1]; reset.To[0] != "olivia@example.com" || !strings.Contains(reset.Body, e.s.LastCode(t, pool, "olivia")) {
		t.Fatalf("reset email = %+v", reset)
	}
	invite := got[2]
	pw := e.s.LastCode(t, pool, "paul")
	if invite.To[0] != "paul@example.com" || invite.Subject != "You are invited" || invite.Body != "Sign in as paul with "+pw {
		t.Fatalf("invitation = %+v (password %s)", invite, pw)
	}
}

// TestSMTPFailure: a refused delivery makes SignUp fail with CodeDeliveryFailureException;
// AdminCreateUser fails the same way but, as AWS documents, the user exists afterwards.
func TestSMTPFailure(t *testing.T) {
	t.Parallel()
	box := &mailbox{reject: map[string]bool{"bounce@example.com": true}}
	e := newEnv(t, testenv.WithSMTP(startSMTP(t, box)))
	pool, cid, _ := e.emailPool(nil, nil)

	_, err := e.c.SignUp(e.ctx, &cip.SignUpInput{ClientId: &cid, Username: aws.String("quentin"), Password: aws.String("Passw0rd!"),
		UserAttributes: attrs("email", "bounce@example.com")})
	testenv.WantError(t, err, "CodeDeliveryFailureException", "")

	_, err = e.c.AdminCreateUser(e.ctx, &cip.AdminCreateUserInput{UserPoolId: &pool, Username: aws.String("rosa"),
		UserAttributes: attrs("email", "bounce@example.com"), DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail}})
	testenv.WantError(t, err, "CodeDeliveryFailureException", "")
	if u := e.getUser(pool, "rosa"); u.UserStatus != types.UserStatusTypeForceChangePassword {
		t.Fatalf("status = %s", u.UserStatus)
	}
	if n := len(box.received()); n != 0 {
		t.Fatalf("%d emails accepted", n)
	}

	// Other recipients are unaffected.
	e.signUp(cid, "sara", "email", "sara@example.com")
	if got := box.received(); len(got) != 1 || got[0].To[0] != "sara@example.com" {
		t.Fatalf("received = %+v", got)
	}

	// An SMTP server that cannot be reached fails the same way.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := l.Addr().String()
	l.Close()
	e2 := newEnv(t, testenv.WithSMTP("smtp://"+dead+"?tls=none&timeout=5s"))
	_, cid2, _ := e2.emailPool(nil, nil)
	_, err = e2.c.SignUp(e2.ctx, &cip.SignUpInput{ClientId: &cid2, Username: aws.String("tina"), Password: aws.String("Passw0rd!"),
		UserAttributes: attrs("email", "tina@example.com")})
	testenv.WantError(t, err, "CodeDeliveryFailureException", "")
}
