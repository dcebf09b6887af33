package mail

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseSMTPURL(t *testing.T) {
	tests := []struct {
		in   string
		want SMTPConfig
	}{
		{"smtp://mail.example.com", SMTPConfig{Host: "mail.example.com", Port: 587, TLS: TLSStartTLS}},
		{"smtp://mail.example.com/", SMTPConfig{Host: "mail.example.com", Port: 587, TLS: TLSStartTLS}},
		{"smtp://mail.example.com?tls=starttls", SMTPConfig{Host: "mail.example.com", Port: 587, TLS: TLSStartTLS}},
		{"smtp://mail.example.com?tls=none", SMTPConfig{Host: "mail.example.com", Port: 25, TLS: TLSNone}},
		{"smtp://mail.example.com?tls=NONE", SMTPConfig{Host: "mail.example.com", Port: 25, TLS: TLSNone}},
		{"smtp://mail.example.com?tls=tls", SMTPConfig{Host: "mail.example.com", Port: 465, TLS: TLSImplicit}},
		{"smtp://localhost:1025?tls=none", SMTPConfig{Host: "localhost", Port: 1025, TLS: TLSNone}},
		{"smtps://mail.example.com", SMTPConfig{Host: "mail.example.com", Port: 465, TLS: TLSImplicit}},
		{"SMTPS://mail.example.com:2465?tls=tls", SMTPConfig{Host: "mail.example.com", Port: 2465, TLS: TLSImplicit}},
		{"smtp://[::1]:2525?tls=none", SMTPConfig{Host: "::1", Port: 2525, TLS: TLSNone}},
		{
			"smtp://apikey:s%3Acr%40t%2F@smtp.example.com:587?from=Gatehouse%20%3Cno-reply%40example.com%3E&timeout=10s",
			SMTPConfig{
				Host: "smtp.example.com", Port: 587, TLS: TLSStartTLS, Username: "apikey", Password: "s:cr@t/",
				From: "Gatehouse <no-reply@example.com>", Timeout: 10 * time.Second,
			},
		},
		{"smtps://user@mail.example.com?from=a@example.com", SMTPConfig{Host: "mail.example.com", Port: 465, TLS: TLSImplicit, Username: "user", From: "a@example.com"}},
	}
	for _, tt := range tests {
		got, err := ParseSMTPURL(tt.in)
		if err != nil {
			t.Errorf("ParseSMTPURL(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseSMTPURL(%q) = %#v, want %#v", tt.in, got, tt.want)
		}
	}
}

func TestParseSMTPURLErrors(t *testing.T) {
	const secret = "hunter2secret"
	tests := []struct{ in, contains string }{
		{"", "scheme"},
		{"mail.example.com", "scheme"},
		{"http://mail.example.com", "scheme"},
		{"smtp:mail.example.com", "host"},
		{"smtp://", "host"},
		{"smtp://u:" + secret + "@", "host"},
		{"smtp://mail.example.com/path", "path"},
		{"smtp://mail.example.com#frag", "fragment"},
		{"smtp://mail.example.com:0", "port"},
		{"smtp://mail.example.com:65536", "port"},
		{"smtp://u:" + secret + "@mail.example.com:abc", "malformed"},
		{"smtp://u:" + secret + "%zz@mail.example.com", "malformed"},
		{"smtp://mail.example.com?tls=ssl", "tls"},
		{"smtps://mail.example.com?tls=none", "smtps"},
		{"smtps://mail.example.com?tls=starttls", "smtps"},
		{"smtp://mail.example.com?tls=none&tls=none", "tls"},
		{"smtp://mail.example.com?from=not-an-address", "from"},
		{"smtp://mail.example.com?timeout=soon", "timeout"},
		{"smtp://mail.example.com?timeout=-1s", "timeout"},
		{"smtp://mail.example.com?port=25", "unknown parameter"},
		{"smtp://mail.example.com?%zz", "query"},
		{"smtp://:" + secret + "@mail.example.com", "password without user"},
	}
	for _, tt := range tests {
		cfg, err := ParseSMTPURL(tt.in)
		if err == nil {
			t.Errorf("ParseSMTPURL(%q) = %+v, want error", tt.in, cfg)
			continue
		}
		if !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("ParseSMTPURL(%q) error %v does not wrap ErrInvalidConfig", tt.in, err)
		}
		if !strings.Contains(err.Error(), tt.contains) {
			t.Errorf("ParseSMTPURL(%q) error %q does not mention %q", tt.in, err, tt.contains)
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("ParseSMTPURL(%q) error leaks the password: %v", tt.in, err)
		}
	}
}

func TestConfigStringRedactsPassword(t *testing.T) {
	tests := []struct {
		cfg  SMTPConfig
		want string
	}{
		{SMTPConfig{Host: "mail.example.com"}, "smtp://mail.example.com:587"},
		{SMTPConfig{Host: "mail.example.com", TLS: TLSNone}, "smtp://mail.example.com:25?tls=none"},
		{SMTPConfig{Host: "::1", Port: 2465, TLS: TLSImplicit, Username: "u", Password: "hunter2"}, "smtps://u:xxxxx@[::1]:2465"},
		{SMTPConfig{Host: "h", Port: 587, Username: "u", From: "a@example.com", Timeout: time.Second}, "smtp://u@h:587?from=a%40example.com&timeout=1s"},
	}
	for _, tt := range tests {
		if got := tt.cfg.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
	// A config printed with %v goes through String as well.
	cfg := SMTPConfig{Host: "h", Username: "u", Password: "hunter2"}
	for _, s := range []string{cfg.String(), sprintf("%v", cfg), sprintf("%+v", cfg), sprintf("%s", cfg)} {
		if strings.Contains(s, "hunter2") {
			t.Errorf("formatted config leaks the password: %s", s)
		}
	}
	// String's output parses back to the same settings, password aside.
	back, err := ParseSMTPURL(tests[3].want)
	if err != nil || back.Host != "h" || back.From != "a@example.com" || back.Timeout != time.Second {
		t.Errorf("ParseSMTPURL(String()) = %+v, %v", back, err)
	}
}

func TestValidate(t *testing.T) {
	bad := []SMTPConfig{
		{},
		{Host: "h", Port: -1},
		{Host: "h", Port: 70000},
		{Host: "h", TLS: "ssl"},
		{Host: "h", Timeout: -time.Second},
		{Host: "h", Password: "p"},
		{Host: "h", From: "nope"},
	}
	for _, c := range bad {
		if err := c.Validate(); !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("Validate(%#v) = %v, want ErrInvalidConfig", c, err)
		}
	}
	if err := (SMTPConfig{Host: "h"}).Validate(); err != nil {
		t.Errorf("minimal config: %v", err)
	}
}
