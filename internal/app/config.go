package app

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/api/wellknown"
)

// Config is everything Gatehouse is started with. Each field has a flag and an environment
// variable (GATEHOUSE_<NAME>); flags win over the environment.
type Config struct {
	Listen       string
	Data         string
	DB           string
	PublicURL    string
	Region       string
	AccountID    string
	Auth         string
	IssuerStyle  string
	DevEndpoints bool
	// AccessKeys are the SigV4 credentials accepted under --auth sigv4: "AKID:SECRET[,...]".
	AccessKeys string
	// LambdaCredentials ("AKID:SECRET[:TOKEN]") are the AWS credentials Lambda functions get
	// in their environment, as an execution role's would be; empty gives placeholder keys
	// under --auth open and none under --auth sigv4.
	LambdaCredentials string
	// MasterKey is the base64 master key; empty means <Data>/master.key.
	MasterKey string
	// SMTPURL configures outbound email, e.g. smtp://user:pass@mail:587?from=no-reply@example.com.
	SMTPURL string
	// Redis, when set (redis://host:port/db), keeps HTTP API throttling buckets in Redis so
	// several replicas share one budget; otherwise each replica throttles on its own.
	Redis string
	// MailFrom is the default sender of emails.
	MailFrom  string
	LogFormat string
	LogLevel  string
	// Now, when set, replaces the wall clock of the services (tests use it to move time
	// forward without sleeping). It has no flag.
	Now func() time.Time
}

// devEndpointsUnset marks that --dev-endpoints was not given, so it follows --auth.
const devEndpointsUnset = "auto"

// ParseFlags fills a Config from args and the environment (getenv), applying defaults.
func ParseFlags(name string, args []string, getenv func(string) string) (*Config, error) {
	env := func(k, def string) string {
		if v := getenv("GATEHOUSE_" + k); v != "" {
			return v
		}
		return def
	}
	c := &Config{}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.StringVar(&c.Listen, "listen", env("LISTEN", "127.0.0.1:4566"), "address of the one HTTP listener")
	storeFlags(fs, c, env)
	fs.StringVar(&c.PublicURL, "public-url", env("PUBLIC_URL", ""), "base URL used in issuers, discovery and links (default http://localhost:<port>)")
	fs.StringVar(&c.Region, "region", env("REGION", "us-east-1"), "region used in ids and ARNs")
	fs.StringVar(&c.AccountID, "account-id", env("ACCOUNT_ID", "000000000000"), "account id used in ARNs")
	fs.StringVar(&c.Auth, "auth", env("AUTH", "open"), "open: any or no credentials on admin APIs; sigv4: verify AWS Signature V4")
	fs.StringVar(&c.IssuerStyle, "issuer-style", env("ISSUER_STYLE", "url"), "url: iss = <public-url>/<poolId>; aws: iss = https://cognito-idp.<region>.amazonaws.com/<poolId>")
	dev := fs.String("dev-endpoints", env("DEV_ENDPOINTS", devEndpointsUnset), "enable /_gatehouse/ test helpers (default: on unless --auth sigv4)")
	fs.StringVar(&c.AccessKeys, "access-keys", env("ACCESS_KEYS", ""), "SigV4 credentials for --auth sigv4: AKID:SECRET[,AKID:SECRET]")
	fs.StringVar(&c.LambdaCredentials, "lambda-credentials", env("LAMBDA_CREDENTIALS", ""), "AWS credentials Lambda functions get (AKID:SECRET[:TOKEN]); default: placeholders under --auth open, none under sigv4")
	fs.StringVar(&c.SMTPURL, "smtp-url", env("SMTP_URL", ""), "SMTP server for email, smtp://[user:pass@]host[:port][?from=addr&tls=starttls|none] or smtps://…")
	fs.StringVar(&c.Redis, "redis", env("REDIS", ""), "Redis for HTTP API throttling shared by several replicas, redis://host:port/db")
	fs.StringVar(&c.MailFrom, "mail-from", env("MAIL_FROM", "no-reply@verificationemail.com"), "default sender address of emails")
	fs.StringVar(&c.LogFormat, "log-format", env("LOG_FORMAT", "json"), "json or text")
	fs.StringVar(&c.LogLevel, "log-level", env("LOG_LEVEL", "info"), "debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	c.MasterKey = getenv(MasterKeyEnv)
	if *dev == devEndpointsUnset {
		c.DevEndpoints = c.Auth != "sigv4"
	} else {
		b, err := strconv.ParseBool(*dev)
		if err != nil {
			return nil, fmt.Errorf("--dev-endpoints: %q is not a boolean", *dev)
		}
		c.DevEndpoints = b
	}
	return c, c.Validate()
}

// MasterKeyEnv names the environment variable holding the base64 master key (no flag: keys do
// not belong on command lines).
const MasterKeyEnv = "GATEHOUSE_MASTER_KEY"

// storeFlags defines the flags that select the store, shared by serve and the commands that
// work on a server's data.
func storeFlags(fs *flag.FlagSet, c *Config, env func(k, def string) string) {
	fs.StringVar(&c.Data, "data", env("DATA", "./.gatehouse"), "data directory: SQLite database and generated master key")
	fs.StringVar(&c.DB, "db", env("DB", ""), "postgres://… for PostgreSQL, memory for a throw-away store (default: SQLite in --data)")
}

// ParseStoreFlags fills a Config for a command that works on the data of a Gatehouse rather
// than serving it (`gatehouse keys rotate`): serve's store flags --data and --db (and their
// environment variables), the master key from GATEHOUSE_MASTER_KEY, and serve's defaults for
// everything else. define, when not nil, adds the command's own flags to fs before parsing.
func ParseStoreFlags(name string, args []string, getenv func(string) string, define func(fs *flag.FlagSet)) (*Config, error) {
	c := DefaultConfig()
	env := func(k, def string) string {
		if v := getenv("GATEHOUSE_" + k); v != "" {
			return v
		}
		return def
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	storeFlags(fs, c, env)
	if define != nil {
		define(fs)
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	c.MasterKey = getenv(MasterKeyEnv)
	return c, c.Validate()
}

// Validate checks the configuration, reporting every problem at once.
func (c *Config) Validate() error {
	var errs []error
	check := func(bad bool, msg string) {
		if bad {
			errs = append(errs, errors.New(msg))
		}
	}
	_, _, err := net.SplitHostPort(c.Listen)
	check(err != nil, fmt.Sprintf("--listen %q is not host:port", c.Listen))
	check(c.Auth != "open" && c.Auth != "sigv4", fmt.Sprintf("--auth must be open or sigv4, not %q", c.Auth))
	check(c.Auth == "sigv4" && c.AccessKeys == "", "--auth sigv4 needs --access-keys (or GATEHOUSE_ACCESS_KEYS)")
	check(c.IssuerStyle != "url" && c.IssuerStyle != "aws", fmt.Sprintf("--issuer-style must be url or aws, not %q", c.IssuerStyle))
	check(c.Region == "" || strings.ContainsAny(c.Region, "_/ "), fmt.Sprintf("--region %q is not a region name", c.Region))
	check(len(c.AccountID) != 12 || strings.Trim(c.AccountID, "0123456789") != "", fmt.Sprintf("--account-id %q must be 12 digits", c.AccountID))
	check(c.DB != "" && c.DB != "memory" && !strings.HasPrefix(c.DB, "postgres://") && !strings.HasPrefix(c.DB, "postgresql://"),
		"--db must be empty (SQLite), memory, or a postgres:// URL")
	check(c.Data == "" && c.DB == "", "--data must not be empty")
	if c.PublicURL != "" {
		check(!validPublicURL(c.PublicURL), fmt.Sprintf("--public-url %q must be an http:// or https:// URL without query, fragment or user info, "+
			"its path (if any) made of letters, digits and -._~", c.PublicURL))
	}
	return errors.Join(errs...)
}

// validPublicURL reports whether u can be the public URL: absolute http(s), a host, nothing
// after the path, and a path the well-known endpoints can also be served under.
func validPublicURL(u string) bool {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" || p.User != nil ||
		p.RawQuery != "" || p.ForceQuery || p.Fragment != "" || p.Opaque != "" {
		return false
	}
	return strings.Trim(p.Path, "/") == "" || wellknown.PathPrefix(u) != ""
}

// DefaultConfig returns the configuration of `gatehouse serve` without flags or environment.
func DefaultConfig() *Config {
	c, err := ParseFlags("gatehouse", nil, func(string) string { return "" })
	if err != nil {
		panic(err)
	}
	return c
}

// Getenv is os.Getenv, for callers of ParseFlags.
var Getenv = os.Getenv
