package cognito

import (
	"context"
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

// The custom message trigger: before the pool sends a code, it hands the function placeholders
// for the code and user name and sends what it returns, with the placeholders filled in.

// Placeholders of a custom message event (request.codeParameter, request.usernameParameter).
const (
	codeParameter     = "{####}"
	usernameParameter = "{username}"
)

// customMessageSources maps a message's Purpose to the trigger source of its custom message
// event.
var customMessageSources = map[string]string{
	"SignUp":                 "CustomMessage_SignUp",
	"ResendCode":             "CustomMessage_ResendCode",
	"ForgotPassword":         "CustomMessage_ForgotPassword",
	"AdminResetUserPassword": "CustomMessage_ForgotPassword",
	"AdminCreateUser":        "CustomMessage_AdminCreateUser",
	"UpdateUserAttribute":    "CustomMessage_UpdateUserAttribute",
	"VerifyUserAttribute":    "CustomMessage_VerifyUserAttribute",
	"Authentication":         "CustomMessage_Authentication",
}

// msgTrigger is what the custom message trigger of a message needs besides the message.
type msgTrigger struct {
	// clientID is the app client of the request ("" for administrative operations).
	clientID string
	// meta is the request's ClientMetadata.
	meta map[string]string
	// loginName is the user name an AdminCreateUser invitation shows ({username}).
	loginName string
}

// customMessageRequest is the request of a custom message event; usernameParameter is null
// except for invitations.
type customMessageRequest struct {
	UserAttributes    map[string]string `json:"userAttributes"`
	CodeParameter     string            `json:"codeParameter"`
	UsernameParameter *string           `json:"usernameParameter"`
	ClientMetadata    map[string]string `json:"clientMetadata,omitempty"`
}

// customMessageResponse is the response of a custom message event (Cognito pre-fills null).
type customMessageResponse struct {
	SmsMessage   *string `json:"smsMessage"`
	EmailMessage *string `json:"emailMessage"`
	EmailSubject *string `json:"emailSubject"`
}

// send runs the pool's custom message trigger on m, if the pool has one, and delivers m. It
// runs after the operation's transaction has committed.
func (s *Service) send(ctx context.Context, m Message, mt msgTrigger) error {
	if err := s.customizeMessage(ctx, &m, mt); err != nil {
		return err
	}
	return s.deliver(ctx, m)
}

// customizeMessage lets the pool's custom message trigger rewrite m. A message the function
// returns is used only when it holds the code placeholder (and, for an invitation, the user
// name placeholder); a null one, or one without them, leaves the pool's own message.
func (s *Service) customizeMessage(ctx context.Context, m *Message, mt msgTrigger) error {
	source := customMessageSources[m.Purpose]
	if source == "" {
		return nil
	}
	var (
		p     UserPool
		u     userRecord
		found bool
	)
	err := s.view(ctx, func(tx storage.Tx) error {
		rec, err := getPool(tx, m.PoolID)
		if err != nil {
			return err
		}
		p = rec.Pool
		if triggersOf(&p).CustomMessage == "" {
			return nil
		}
		u, err = storage.GetJSON[userRecord](tx, userKey(p.Id, normName(&p, m.Username)))
		found = err == nil
		if isNotFound(err) {
			return nil
		}
		return err
	})
	if err != nil || !found {
		return internal("custom message", err)
	}
	invite := source == "CustomMessage_AdminCreateUser"
	req := customMessageRequest{UserAttributes: eventAttributes(&p, &u), CodeParameter: codeParameter, ClientMetadata: metadata(mt.meta)}
	if invite {
		req.UsernameParameter = ptr(usernameParameter)
	}
	ev := s.newEvent(&p, source, u.Username, mt.clientID, req, customMessageResponse{})
	f, err := s.invokeTrigger(ctx, &p, trigCustomMessage, triggersOf(&p).CustomMessage, ev)
	if err != nil {
		return err
	}
	var r customMessageResponse
	if err := f.members(map[string]any{"smsMessage": &r.SmsMessage, "emailMessage": &r.EmailMessage, "emailSubject": &r.EmailSubject}); err != nil {
		return err
	}
	fill := func(tmpl *string) (string, bool) {
		if tmpl == nil || !strings.Contains(*tmpl, codeParameter) || (invite && !strings.Contains(*tmpl, usernameParameter)) {
			return "", false
		}
		return strings.NewReplacer(usernameParameter, mt.loginName, codeParameter, m.Code).Replace(*tmpl), true
	}
	if m.Medium == "SMS" {
		if body, ok := fill(r.SmsMessage); ok {
			m.Body = body
		}
		return nil
	}
	if body, ok := fill(r.EmailMessage); ok {
		m.Body = body
	}
	if r.EmailSubject != nil && *r.EmailSubject != "" {
		m.Subject = *r.EmailSubject
	}
	return nil
}
