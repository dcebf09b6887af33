package e2e

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/emersion/go-smtp"

	"github.com/gatehouse-dev/gatehouse/internal/mail/mailtest"
	"github.com/gatehouse-dev/gatehouse/internal/testenv"
)

// receivedMail is a message the test SMTP server accepted, decoded.
type receivedMail struct {
	From    string // envelope sender
	To      []string
	Subject string
	Body    string // decoded text body
	Header  netmail.Header
}

// received decodes every message the server accepted so far.
func received(t *testing.T, b *mailtest.Backend) []receivedMail {
	t.Helper()
	var out []receivedMail
	for _, m := range b.Messages() {
		d, err := decodeMail(m.Data)
		if err != nil {
			t.Fatalf("cannot parse delivered message: %v", err)
		}
		d.From, d.To = m.From, m.Rcpts
		out = append(out, d)
	}
	return out
}

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

// startSMTP runs a real SMTP server for b and returns the Gatehouse SMTP URL for it.
func startSMTP(t *testing.T, b *mailtest.Backend) string {
	t.Helper()
	return fmt.Sprintf("smtp://%s?tls=none&from=no-reply@gatehouse.test", mailtest.Start(t, b, mailtest.Options{}))
}

// TestSMTPDelivery: codes and invitations reach a real SMTP server with the pool's templates.
func TestSMTPDelivery(t *testing.T) {
	t.Parallel()
	box := &mailtest.Backend{}
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
	got := received(t, box)
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
	got = received(t, box)
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
	box := &mailtest.Backend{Reject: map[string]*smtp.SMTPError{
		"bounce@example.com": {Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}}}
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
	if n := len(received(t, box)); n != 0 {
		t.Fatalf("%d emails accepted", n)
	}

	// Other recipients are unaffected.
	e.signUp(cid, "sara", "email", "sara@example.com")
	if got := received(t, box); len(got) != 1 || got[0].To[0] != "sara@example.com" {
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
