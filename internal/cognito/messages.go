package cognito

import (
	"context"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
)

// Message is an email or SMS the pool sends to a user.
type Message struct {
	// PoolID and Username identify the recipient (Username is the canonical user name).
	PoolID, Username string
	// Medium is "EMAIL" or "SMS".
	Medium string
	// Destination is the email address or phone number.
	Destination string
	// Subject is the email subject (empty for SMS).
	Subject string
	// Body is the message text with every placeholder filled in.
	Body string
	// Code is the one-time code or temporary password the message carries, if any.
	Code string
	// Purpose names why it was sent, e.g. "SignUp", "ForgotPassword", "AdminCreateUser".
	Purpose string
	// Time is when the message was sent.
	Time time.Time
}

// Messenger delivers messages to users. Implementations send email over SMTP, log SMS, and may
// keep a copy for the development endpoints.
type Messenger interface {
	Deliver(ctx context.Context, m Message) error
}

const (
	defaultVerifySubject = "Your verification code"
	defaultVerifyBody    = "Your verification code is {####}. "
	defaultInviteSubject = "Your temporary password"
	defaultInviteBody    = "Your username is {username} and temporary password is {####}. "
	defaultLinkSubject   = "Your verification link"
	defaultLinkBody      = "Please click the link below to verify your email address. {##Verify Email##} "
)

// verificationMessage renders the pool's verification template for a code sent by medium.
func (s *Service) verificationMessage(p *UserPool, medium, username, code, clientID string) (subject, body string) {
	t := p.VerificationMessageTemplate
	if t == nil {
		t = &VerificationMessageTemplate{}
	}
	if medium == "SMS" {
		return "", fill(firstNonEmpty(t.SmsMessage, p.SmsVerificationMessage, defaultVerifyBody), username, code)
	}
	if t.DefaultEmailOption == "CONFIRM_WITH_LINK" && clientID != "" {
		link := strings.TrimRight(s.PublicURL, "/") + "/confirmUser?" + url.Values{
			"client_id": {clientID}, "user_name": {username}, "confirmation_code": {code}}.Encode()
		return firstNonEmpty(t.EmailSubjectByLink, defaultLinkSubject), fillLink(firstNonEmpty(t.EmailMessageByLink, defaultLinkBody), link)
	}
	return firstNonEmpty(t.EmailSubject, p.EmailVerificationSubject, defaultVerifySubject),
		fill(firstNonEmpty(t.EmailMessage, p.EmailVerificationMessage, defaultVerifyBody), username, code)
}

// inviteTemplate returns the pool's AdminCreateUser invitation template for medium.
func inviteTemplate(p *UserPool, medium string) string {
	var t MessageTemplate
	if p.AdminCreateUserConfig != nil && p.AdminCreateUserConfig.InviteMessageTemplate != nil {
		t = *p.AdminCreateUserConfig.InviteMessageTemplate
	}
	if medium == "SMS" {
		return firstNonEmpty(t.SMSMessage, defaultInviteBody)
	}
	return firstNonEmpty(t.EmailMessage, defaultInviteBody)
}

// inviteMessage renders the AdminCreateUser invitation.
func inviteMessage(p *UserPool, medium, username, password string) (subject, body string) {
	body = fill(inviteTemplate(p, medium), username, password)
	if medium == "SMS" {
		return "", body
	}
	subject = defaultInviteSubject
	if p.AdminCreateUserConfig != nil && p.AdminCreateUserConfig.InviteMessageTemplate != nil {
		subject = firstNonEmpty(p.AdminCreateUserConfig.InviteMessageTemplate.EmailSubject, subject)
	}
	return subject, body
}

func fill(tmpl, username, code string) string {
	return strings.NewReplacer("{username}", username, "{####}", code).Replace(tmpl)
}

// fillLink replaces the {##text##} placeholder with a link labelled text.
func fillLink(tmpl, link string) string {
	i := strings.Index(tmpl, "{##")
	j := strings.Index(tmpl, "##}")
	if i < 0 || j < i {
		return tmpl + " " + link
	}
	label := tmpl[i+3 : j]
	return tmpl[:i] + label + ": " + link + tmpl[j+3:]
}

// maskDestination hides most of an address the way Cognito's CodeDeliveryDetails does:
// "j***@e***" for email and "+*******1234" for phone numbers.
func maskDestination(medium, dest string) string {
	if medium == "SMS" {
		if len(dest) <= 4 {
			return dest
		}
		var b strings.Builder
		for i, c := range dest {
			switch {
			case i == 0 && c == '+':
				b.WriteRune(c)
			case i >= len(dest)-4:
				b.WriteRune(c)
			default:
				b.WriteByte('*')
			}
		}
		return b.String()
	}
	local, domain, ok := strings.Cut(dest, "@")
	if !ok || local == "" || domain == "" {
		return "***"
	}
	return firstRune(local) + "***@" + firstRune(domain) + "***"
}

// firstRune returns the first character of a non-empty string (not its first byte, which
// would cut a multi-byte character in half).
func firstRune(s string) string {
	_, n := utf8.DecodeRuneInString(s)
	return s[:n]
}

// deliver sends m, stamping its time; a failure is logged and reported as
// CodeDeliveryFailureException by the callers that must report it.
func (s *Service) deliver(ctx context.Context, m Message) error {
	if s.Messenger == nil {
		return nil
	}
	m.Time = s.now()
	if err := s.Messenger.Deliver(ctx, m); err != nil {
		s.log().ErrorContext(ctx, "message delivery failed", "pool", m.PoolID, "medium", m.Medium, "purpose", m.Purpose, "err", err)
		return errCodeDelivery()
	}
	return nil
}

func errCodeDelivery() error {
	return awserr.New(ErrCodeDeliveryFailure, "Unable to deliver the verification code to the user.")
}
