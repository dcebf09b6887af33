package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// TLSMode selects how the SMTP connection is protected.
type TLSMode string

const (
	// TLSNone sends everything in clear text; STARTTLS is never attempted. PLAIN/LOGIN
	// credentials are then only sent to a loopback host.
	TLSNone TLSMode = "none"
	// TLSStartTLS upgrades the connection with STARTTLS and fails if the server does not
	// offer it or the handshake fails: it is never silently downgraded to clear text.
	TLSStartTLS TLSMode = "starttls"
	// TLSImplicit speaks TLS from the first byte ("SMTPS", RFC 8314).
	TLSImplicit TLSMode = "tls"
)

// Default ports for each TLSMode, used when SMTPConfig.Port is 0.
const (
	// DefaultPortNone is the port used with TLSNone.
	DefaultPortNone = 25
	// DefaultPortStartTLS is the submission port used with TLSStartTLS.
	DefaultPortStartTLS = 587
	// DefaultPortImplicit is the submissions port used with TLSImplicit.
	DefaultPortImplicit = 465
)

// DefaultTimeout bounds one whole delivery (connect, TLS, auth and transfer) when
// SMTPConfig.Timeout is 0.
const DefaultTimeout = 30 * time.Second

// SMTPConfig configures an SMTP Mailer. ParseSMTPURL builds one from a URL.
type SMTPConfig struct {
	// Host is the server's host name or IP address. It is also the name the server's TLS
	// certificate is verified against.
	Host string
	// Port is the TCP port; 0 means the default for TLS (25, 587 or 465).
	Port int
	// Username and Password enable SMTP AUTH when Username is non-empty. The mechanism is
	// the first the server offers of SCRAM-SHA-256, SCRAM-SHA-1, PLAIN, LOGIN, CRAM-MD5;
	// PLAIN and LOGIN are refused on an unencrypted connection to a non-loopback host.
	Username string
	// Password is the SMTP AUTH password; see Username.
	Password string
	// From is the default sender for messages whose From is empty.
	From string
	// TLS is the connection security; empty means TLSStartTLS.
	TLS TLSMode
	// Timeout bounds one delivery; 0 means DefaultTimeout.
	Timeout time.Duration
	// RootCAs, when non-nil, replaces the system roots for verifying the server's
	// certificate. It exists for tests (a self-signed certificate made by the test) and for
	// servers with a private CA; it cannot be set from a URL. There is deliberately no way
	// to skip verification.
	RootCAs *x509.CertPool
}

// ParseSMTPURL parses
//
//	smtp://[user[:password]@]host[:port][?from=addr&tls=none|starttls|tls&timeout=30s]
//	smtps://[user[:password]@]host[:port][?from=addr&timeout=30s]
//
// smtp:// uses STARTTLS by default (port 587), or clear text with tls=none (port 25);
// smtps:// (or tls=tls) uses implicit TLS (port 465). User name and password are
// percent-decoded. from is the default sender; timeout is a Go duration. Unknown or repeated
// parameters are errors. Errors wrap ErrInvalidConfig and never contain the password.
func ParseSMTPURL(s string) (SMTPConfig, error) {
	var cfg SMTPConfig
	u, err := url.Parse(s)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the url.Error text repeats the URL, password included
		}
		return cfg, fmt.Errorf("%w: malformed URL: %v", ErrInvalidConfig, err)
	}
	switch u.Scheme {
	case "smtp":
		cfg.TLS = TLSStartTLS
	case "smtps":
		cfg.TLS = TLSImplicit
	default:
		return cfg, fmt.Errorf("%w: URL scheme must be smtp or smtps, not %q", ErrInvalidConfig, u.Scheme)
	}
	if u.Opaque != "" || u.Host == "" {
		return cfg, fmt.Errorf("%w: URL must be %s://host[:port]", ErrInvalidConfig, u.Scheme)
	}
	if (u.Path != "" && u.Path != "/") || u.Fragment != "" {
		return cfg, fmt.Errorf("%w: URL must not have a path or fragment", ErrInvalidConfig)
	}
	cfg.Host = u.Hostname()
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return cfg, fmt.Errorf("%w: invalid port %q", ErrInvalidConfig, p)
		}
		cfg.Port = n
	}
	if u.User != nil {
		cfg.Username = u.User.Username()
		cfg.Password, _ = u.User.Password()
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return cfg, fmt.Errorf("%w: malformed query: %v", ErrInvalidConfig, err)
	}
	for key, vals := range q {
		if len(vals) != 1 {
			return cfg, fmt.Errorf("%w: parameter %q given %d times", ErrInvalidConfig, key, len(vals))
		}
		v := vals[0]
		switch key {
		case "from":
			cfg.From = v
		case "tls":
			mode := TLSMode(strings.ToLower(v))
			switch {
			case mode != TLSNone && mode != TLSStartTLS && mode != TLSImplicit:
				return cfg, fmt.Errorf("%w: tls must be none, starttls or tls, not %q", ErrInvalidConfig, v)
			case u.Scheme == "smtps" && mode != TLSImplicit:
				return cfg, fmt.Errorf("%w: smtps:// always uses implicit TLS; use smtp:// for tls=%s", ErrInvalidConfig, mode)
			}
			cfg.TLS = mode
		case "timeout":
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return cfg, fmt.Errorf("%w: timeout must be a positive duration such as 30s, not %q", ErrInvalidConfig, v)
			}
			cfg.Timeout = d
		default:
			return cfg, fmt.Errorf("%w: unknown parameter %q", ErrInvalidConfig, key)
		}
	}
	if cfg.Port == 0 {
		cfg.Port = cfg.TLS.defaultPort()
	}
	if err := cfg.Validate(); err != nil {
		return SMTPConfig{}, err
	}
	return cfg, nil
}

func (m TLSMode) defaultPort() int {
	switch m {
	case TLSNone:
		return DefaultPortNone
	case TLSImplicit:
		return DefaultPortImplicit
	default:
		return DefaultPortStartTLS
	}
}

// Validate reports whether c can be used. Errors wrap ErrInvalidConfig.
func (c SMTPConfig) Validate() error {
	switch {
	case c.Host == "":
		return fmt.Errorf("%w: no host", ErrInvalidConfig)
	case c.Port < 0 || c.Port > 65535:
		return fmt.Errorf("%w: invalid port %d", ErrInvalidConfig, c.Port)
	case c.TLS != "" && c.TLS != TLSNone && c.TLS != TLSStartTLS && c.TLS != TLSImplicit:
		return fmt.Errorf("%w: unknown TLS mode %q", ErrInvalidConfig, c.TLS)
	case c.Timeout < 0:
		return fmt.Errorf("%w: negative timeout", ErrInvalidConfig)
	case c.Password != "" && c.Username == "":
		return fmt.Errorf("%w: password without user name", ErrInvalidConfig)
	}
	if c.From != "" {
		if _, err := netmail.ParseAddress(c.From); err != nil {
			return fmt.Errorf("%w: from %q: %v", ErrInvalidConfig, c.From, err)
		}
	}
	return nil
}

// String returns c as an SMTP URL with the password redacted, so that a config can be
// logged or printed with %v safely.
func (c SMTPConfig) String() string {
	u := url.URL{Scheme: "smtp", Host: net.JoinHostPort(c.Host, strconv.Itoa(c.port()))}
	q := url.Values{}
	switch c.tlsMode() {
	case TLSImplicit:
		u.Scheme = "smtps"
	case TLSNone:
		q.Set("tls", string(TLSNone))
	}
	if c.Username != "" {
		if c.Password != "" {
			u.User = url.UserPassword(c.Username, "xxxxx")
		} else {
			u.User = url.User(c.Username)
		}
	}
	if c.From != "" {
		q.Set("from", c.From)
	}
	if c.Timeout != 0 {
		q.Set("timeout", c.Timeout.String())
	}
	u.RawQuery = q.Encode()
	return u.String()
}

func (c SMTPConfig) tlsMode() TLSMode {
	if c.TLS == "" {
		return TLSStartTLS
	}
	return c.TLS
}

func (c SMTPConfig) port() int {
	if c.Port == 0 {
		return c.tlsMode().defaultPort()
	}
	return c.Port
}

func (c SMTPConfig) timeout() time.Duration {
	if c.Timeout == 0 {
		return DefaultTimeout
	}
	return c.Timeout
}

// smtpMailer is the Mailer returned by NewSMTP.
type smtpMailer struct {
	cfg SMTPConfig
}

// NewSMTP returns a Mailer that delivers each message over a new connection to the SMTP
// server described by cfg. A cfg that fails Validate makes every Send fail; call Validate
// at start-up to report it early.
func NewSMTP(cfg SMTPConfig) Mailer {
	return &smtpMailer{cfg: cfg}
}

// authMechanisms is the client's preference order among the mechanisms a server offers.
var authMechanisms = []gomail.SMTPAuthType{
	gomail.SMTPAuthSCRAMSHA256, gomail.SMTPAuthSCRAMSHA1, gomail.SMTPAuthPlain,
	gomail.SMTPAuthLogin, gomail.SMTPAuthCramMD5,
}

// Send implements Mailer. Cancelling ctx aborts the delivery, whatever stage it is in.
func (s *smtpMailer) Send(ctx context.Context, m Message) error {
	cfg := s.cfg
	if err := cfg.Validate(); err != nil {
		return err
	}
	v, err := m.validate(cfg.From)
	if err != nil {
		return err
	}
	msg, err := m.build(v)
	if err != nil {
		return err
	}

	mode := cfg.tlsMode()
	tlsConfig := &tls.Config{ServerName: cfg.Host, RootCAs: cfg.RootCAs, MinVersion: tls.VersionTLS12}
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout())
	defer cancel()
	// go-mail bounds only the dial by a context, and hands its dial function a context that
	// ends with the dial. Ours ties the connection to the Send context instead, closing it
	// when that ends mid-conversation. With implicit TLS it also performs the handshake, and
	// the STARTTLS policy is then NoTLS because the connection is already encrypted.
	var stop func() bool
	dial := func(dialCtx context.Context, network, addr string) (net.Conn, error) {
		d := &net.Dialer{}
		var conn net.Conn
		var err error
		if mode == TLSImplicit {
			conn, err = (&tls.Dialer{NetDialer: d, Config: tlsConfig}).DialContext(dialCtx, network, addr)
		} else {
			conn, err = d.DialContext(dialCtx, network, addr)
		}
		if err != nil {
			return nil, err
		}
		stop = context.AfterFunc(ctx, func() { _ = conn.Close() })
		return conn, nil
	}
	policy := gomail.TLSMandatory
	if mode != TLSStartTLS {
		policy = gomail.NoTLS
	}
	opts := []gomail.Option{
		gomail.WithPort(cfg.port()),
		gomail.WithTimeout(cfg.timeout()),
		gomail.WithTLSConfig(tlsConfig),
		gomail.WithTLSPolicy(policy),
		gomail.WithDialContextFunc(dial),
	}
	if cfg.Username != "" {
		opts = append(opts,
			gomail.WithOpportunisticSMTPAuth(authMechanisms...),
			gomail.WithUsername(cfg.Username),
			gomail.WithPassword(cfg.Password))
	}
	client, err := gomail.NewClient(cfg.Host, opts...)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidConfig, err)
	}

	err = client.DialAndSendWithContext(ctx, msg)
	if stop != nil {
		stop()
	}
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return fmt.Errorf("mail: sending to %s via %s:%d: %w: %w", v.to, cfg.Host, cfg.port(), ctxErr, err)
		}
		return fmt.Errorf("mail: sending to %s via %s:%d: %w", v.to, cfg.Host, cfg.port(), err)
	}
	return nil
}
