package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/gatehouse-dev/gatehouse/internal/api/apigatewayv2"
	lambdaapi "github.com/gatehouse-dev/gatehouse/internal/api/lambda"
	"github.com/gatehouse-dev/gatehouse/internal/dataplane"
	"github.com/gatehouse-dev/gatehouse/internal/gateway"
	"github.com/gatehouse-dev/gatehouse/internal/gateway/jwtauth"
	"github.com/gatehouse-dev/gatehouse/internal/gateway/throttle"
	"github.com/gatehouse-dev/gatehouse/internal/lambda"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/api/cognitoidp"
	"github.com/gatehouse-dev/gatehouse/internal/api/wellknown"
	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/awsmodel"
	"github.com/gatehouse-dev/gatehouse/internal/awsproto"
	"github.com/gatehouse-dev/gatehouse/internal/cognito"
	"github.com/gatehouse-dev/gatehouse/internal/mail"
	"github.com/gatehouse-dev/gatehouse/internal/obs"
	"github.com/gatehouse-dev/gatehouse/internal/outbox"
	"github.com/gatehouse-dev/gatehouse/internal/secrets"
	"github.com/gatehouse-dev/gatehouse/internal/sigv4"
	"github.com/gatehouse-dev/gatehouse/internal/storage"
	"github.com/gatehouse-dev/gatehouse/internal/storage/backend"
	"github.com/gatehouse-dev/gatehouse/internal/tokens"
)

// Version is the Gatehouse version, set at build time with -ldflags "-X ...app.Version=…".
var Version = "dev"

// App is a running Gatehouse: its stores, services and HTTP handler.
type App struct {
	Config  *Config
	Log     *slog.Logger
	Store   storage.Store
	Keys    *secrets.Keyring
	Cognito *cognito.Service
	Gateway *gateway.Service
	// DataPlane serves the HTTP APIs; JWT verifies their JWT authorizers' tokens.
	DataPlane *dataplane.Handler
	JWT       *jwtauth.Verifier
	Tokens    *tokens.Manager
	Metrics   *obs.Metrics
	// Lambda holds the functions and runs them.
	Lambda *lambda.Service

	model   *awsmodel.Model
	gwModel *awsmodel.Model
	lmModel *awsmodel.Model
	// lambdaEnv is the environment every function instance gets besides its own.
	lambdaEnv map[string]string
	closers   []func() error
	handler   http.Handler
	listener  net.Listener
	server    *http.Server
}

// keyCheckKey holds a value sealed under the master key, so a wrong key is detected at start.
const keyCheckKey = "sys/keycheck"

// Open builds an App from c: it opens storage (applying migrations), loads the master key and
// wires the services. It does not listen yet.
func Open(ctx context.Context, c *Config, logOut io.Writer) (*App, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	log := obs.NewLogger(logOut, c.LogFormat, c.LogLevel)
	// Parse the embedded AWS model while storage opens: both take a few milliseconds.
	type loaded struct {
		m, gw, lm *awsmodel.Model
		err       error
	}
	modelc := make(chan loaded, 1)
	go func() {
		m, err := awsmodel.Load("cognito-idp")
		if err != nil {
			modelc <- loaded{err: err}
			return
		}
		gw, err := awsmodel.Load("apigatewayv2")
		if err != nil {
			modelc <- loaded{err: err}
			return
		}
		lm, err := awsmodel.Load("lambda")
		modelc <- loaded{m, gw, lm, err}
	}()
	st, err := backend.Open(ctx, c.DB, c.Data)
	if err != nil {
		return nil, fmt.Errorf("open storage: %w", err)
	}
	a := &App{Config: c, Log: log, Store: st, Metrics: obs.NewMetrics()}
	if a.Keys, err = openKeyring(ctx, c, st, true); err != nil {
		st.Close()
		return nil, err
	}
	var mailer mail.Mailer
	from := c.MailFrom
	if c.SMTPURL != "" {
		sc, err := mail.ParseSMTPURL(c.SMTPURL)
		if err != nil {
			st.Close()
			return nil, fmt.Errorf("--smtp-url: %w", err)
		}
		if sc.From == "" {
			sc.From = from
		}
		from = sc.From
		mailer = mail.NewSMTP(sc)
	}
	a.Cognito = &cognito.Service{
		Store: st, Keys: a.Keys, Region: c.Region, AccountID: c.AccountID, PublicURL: c.publicURL(), Log: log, Now: c.Now,
		Messenger: &outbox.Messenger{Mailer: mailer, From: from, Store: st, Keys: a.Keys, Record: c.DevEndpoints, LogBodies: c.DevEndpoints, Log: log},
	}
	lm := <-modelc
	if lm.err != nil {
		st.Close()
		return nil, lm.err
	}
	a.Tokens = tokens.NewManager(st, a.Keys, tokens.Options{Now: c.Now})
	a.Cognito.Tokens = tokenIssuer{m: a.Tokens, issuer: a.issuer}
	a.JWT = jwtauth.New(jwtauth.Options{Now: c.Now, Local: a.localJWKS})
	a.Cognito.PoolDeleted = func(tx storage.Tx, pool string) error {
		a.Tokens.Forget(pool)
		// Gateways stop accepting the pool's tokens, whichever issuer form they were given.
		a.JWT.Forget(a.issuer(pool))
		a.JWT.Forget(tokens.IssuerURL(tokens.StyleAWS, "", a.Config.Region, pool))
		return tokens.DeletePool(tx, pool)
	}
	a.Gateway = &gateway.Service{Store: st, Region: c.Region, AccountID: c.AccountID, Now: c.Now}
	var limiter throttle.Limiter = throttle.NewLocal(c.Now)
	if c.Redis != "" {
		r, err := throttle.NewRedis(c.Redis, "gatehouse:throttle:", throttle.NewLocal(c.Now), log)
		if err != nil {
			st.Close()
			return nil, fmt.Errorf("--redis: %w", err)
		}
		if err := r.Ping(ctx); err != nil {
			r.Close()
			st.Close()
			return nil, fmt.Errorf("--redis: %w", err)
		}
		a.closers = append(a.closers, r.Close)
		limiter = r
	}
	a.DataPlane = dataplane.New(a.Gateway, dataplane.Handler{JWT: a.JWT, Log: log, Now: c.Now, Region: c.Region,
		AccountID: c.AccountID, Issuer: a.localIssuer, Metrics: a.Metrics, Limiter: limiter})
	a.model = lm.m
	a.gwModel = lm.gw
	a.lmModel = lm.lm
	if err := a.openLambda(); err != nil {
		a.Close()
		return nil, err
	}
	a.DataPlane.Lambda = a.Lambda
	a.Cognito.Lambda = a.Lambda
	h, err := a.buildHandler(lm.m)
	if err != nil {
		st.Close()
		return nil, err
	}
	a.handler = h
	return a, nil
}

// openKeyring loads the master key (GATEHOUSE_MASTER_KEY or <data>/master.key) and checks it
// against the value sealed in st. With create, a missing key file is generated and a store
// without the check value gets one (a first start); without, both are errors, so that a
// command pointed at the wrong --data or --db fails instead of initialising new state.
func openKeyring(ctx context.Context, c *Config, st storage.Store, create bool) (*secrets.Keyring, error) {
	if !create && strings.TrimSpace(c.MasterKey) == "" {
		if _, err := os.Stat(filepath.Join(c.Data, secrets.KeyFileName)); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("no master key: set GATEHOUSE_MASTER_KEY or point --data at the directory holding %s", secrets.KeyFileName)
		}
	}
	key, _, err := secrets.LoadMasterKey(c.MasterKey, c.Data)
	if err != nil {
		return nil, err
	}
	kr, err := secrets.New(key)
	if err != nil {
		return nil, err
	}
	aad := []byte(keyCheckKey)
	err = st.Update(ctx, func(tx storage.Tx) error {
		sealed, err := tx.Get(keyCheckKey)
		if errors.Is(err, storage.ErrNotFound) {
			if !create {
				return errors.New("the store holds no Gatehouse data (check --data or --db)")
			}
			return tx.Put(keyCheckKey, kr.Seal([]byte("gatehouse"), aad))
		}
		if err != nil {
			return err
		}
		if _, err := kr.Open(sealed, aad); err != nil {
			return errors.New("the master key does not match the one this database was created with (set GATEHOUSE_MASTER_KEY or restore master.key)")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return kr, nil
}

// publicURL returns the configured public URL or http://localhost:<port>.
func (c *Config) publicURL() string {
	if c.PublicURL != "" {
		return strings.TrimRight(c.PublicURL, "/")
	}
	_, port, _ := net.SplitHostPort(c.Listen)
	return "http://localhost:" + port
}

// buildHandler wires the HTTP surfaces of the one listener.
func (a *App) buildHandler(model *awsmodel.Model) (http.Handler, error) {
	anonymous := func(op string) bool {
		o, ok := model.Operation(op)
		return ok && o.Anonymous()
	}
	var auth awsproto.Authenticator
	if a.Config.Auth == "sigv4" {
		creds, err := sigv4.ParseStatic(a.Config.AccessKeys)
		if err != nil {
			return nil, fmt.Errorf("--access-keys: %w", err)
		}
		auth = sigv4Auth{&sigv4.Verifier{Store: creds}}
		// AWS_IAM routes accept signatures by the same keys.
		a.DataPlane.Credentials = creds
	}
	jsonAPI := awsproto.NewJSONHandler(a.Log, auth,
		cognitoidp.Service(a.Cognito, modelValidator{model, awserr.InvalidParameter}, anonymous))

	// AWS API surfaces answer browsers (CORS); the /_gatehouse/ endpoints never do.
	aws := http.NewServeMux()
	aws.Handle("POST /{$}", jsonAPI)
	gwAPI, err := awsproto.NewRESTHandler(a.Log, auth, apigatewayv2.Service(a.Gateway, a.gwModel))
	if err != nil {
		return nil, err
	}
	lambdaAPI, err := awsproto.NewRESTHandler(a.Log, auth, lambdaapi.Service(a.Lambda, a.lmModel, a.codeURL))
	if err != nil {
		return nil, err
	}
	wellknown.Mount(aws, wellknown.Deps{Tokens: a.Tokens, PoolExists: a.Cognito.PoolExists, Issuer: a.issuer,
		PublicURL: a.Cognito.PublicURL, Log: a.Log,
		// The OAuth 2.0 endpoints come with the hosted-login work; until then discovery lists none.
		OAuthBase: func(context.Context, string) (string, error) { return "", nil }})
	dev := http.NewServeMux()
	dev.HandleFunc("GET /_gatehouse/health", a.health)
	dev.Handle("GET /_gatehouse/metrics", a.Metrics.Handler())
	dev.HandleFunc("GET "+codePath, a.serveCode)
	if a.Config.DevEndpoints {
		dev.Handle("GET /_gatehouse/messages", a.devGuard(http.HandlerFunc(a.messages)))
		dev.Handle("POST /_gatehouse/reset", a.devGuard(http.HandlerFunc(a.reset)))
	}
	awsSurface := awsproto.CORS(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// awsJson requests are recognised by X-Amz-Target whatever their path.
		if r.Header.Get("X-Amz-Target") != "" {
			jsonAPI.ServeHTTP(w, r)
			return
		}
		// REST-JSON control planes live under their own prefixes.
		if strings.HasPrefix(r.URL.Path, "/v2/") {
			gwAPI.ServeHTTP(w, r)
			return
		}
		if isLambdaPath(r.URL.Path) {
			lambdaAPI.ServeHTTP(w, r)
			return
		}
		aws.ServeHTTP(w, r)
	}))
	root := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.DataPlane.Serve(w, r) {
			return
		}
		if strings.HasPrefix(r.URL.Path, "/_gatehouse/") {
			dev.ServeHTTP(w, r)
			return
		}
		awsSurface.ServeHTTP(w, r)
	})
	return obs.Middleware(a.Log, a.Metrics, root), nil
}

// poolOfIssuer returns the pool a JWT issuer names when that pool lives in this server and the
// issuer is one of its two forms: Cognito's https://cognito-idp.<region>.amazonaws.com/<pool>
// or the issuer this server puts in the pool's tokens.
func (a *App) poolOfIssuer(ctx context.Context, issuer string) (string, bool) {
	i := strings.LastIndexByte(issuer, '/')
	if i < 0 {
		return "", false
	}
	pool := issuer[i+1:]
	if issuer != a.issuer(pool) && issuer != tokens.IssuerURL(tokens.StyleAWS, "", a.Config.Region, pool) {
		return "", false
	}
	ok, err := a.Cognito.PoolExists(ctx, pool)
	return pool, ok && err == nil
}

// localIssuer maps an authorizer's configured issuer to the iss of this server's tokens when it
// names one of its pools, so AWS tutorials' Cognito issuer works verbatim.
func (a *App) localIssuer(configured string) string {
	if pool, ok := a.poolOfIssuer(context.Background(), configured); ok {
		return a.issuer(pool)
	}
	return configured
}

// localJWKS serves the keys of this server's pools to JWT authorizers without HTTP.
func (a *App) localJWKS(ctx context.Context, issuer string) ([]byte, bool, error) {
	pool, ok := a.poolOfIssuer(ctx, issuer)
	if !ok {
		return nil, false, nil
	}
	set, err := a.Tokens.JWKS(ctx, pool)
	if err != nil {
		return nil, false, err
	}
	b, err := json.Marshal(set)
	return b, err == nil, err
}

// devGuard protects the development endpoints, which show codes and wipe state, from web
// pages: cross-site browser requests are refused, and so are Host names other than loopback
// and the public URL's host (a defence against DNS rebinding).
func (a *App) devGuard(next http.Handler) http.Handler {
	allowed := map[string]bool{"localhost": true, "127.0.0.1": true, "::1": true}
	if u, err := url.Parse(a.Cognito.PublicURL); err == nil && u.Hostname() != "" {
		allowed[strings.ToLower(u.Hostname())] = true
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := r.Host
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		host = strings.ToLower(strings.Trim(host, "[]"))
		crossSite := r.Header.Get("Sec-Fetch-Site") == "cross-site"
		if o := r.Header.Get("Origin"); o != "" {
			if u, err := url.Parse(o); err != nil || !strings.EqualFold(u.Host, r.Host) {
				crossSite = true
			}
		}
		if !allowed[host] || crossSite {
			writeJSON(w, http.StatusForbidden, map[string]string{"message": "development endpoints answer only same-origin requests to localhost or the public URL"})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// modelValidator adapts an AWS model to awsproto.Validator.
type modelValidator struct {
	m       *awsmodel.Model
	errType string
}

func (v modelValidator) ValidateJSON(op string, body []byte) ([]byte, error) {
	return v.m.ValidateCanonicalJSON(op, body, v.errType)
}

// sigv4Auth adapts a SigV4 verifier to awsproto.Authenticator.
type sigv4Auth struct{ v *sigv4.Verifier }

func (s sigv4Auth) Authenticate(r *http.Request, body []byte, signingName string) (awsproto.Caller, error) {
	id, err := s.v.Verify(r, body, signingName)
	if err != nil {
		return awsproto.Caller{}, err
	}
	return awsproto.Caller{AccessKeyID: id.AccessKeyID, Principal: id.Principal}, nil
}

// issuer returns the iss of a pool's tokens under --issuer-style and --public-url.
func (a *App) issuer(pool string) string {
	return tokens.IssuerURL(a.Config.IssuerStyle, a.Cognito.PublicURL, a.Config.Region, pool)
}

// tokenIssuer adapts tokens.Manager to cognito.TokenIssuer.
type tokenIssuer struct {
	m      *tokens.Manager
	issuer func(pool string) string
}

func (t tokenIssuer) Issue(ctx context.Context, req cognito.TokenRequest) (*cognito.AuthenticationResult, error) {
	groups := make([]tokens.Group, 0, len(req.Groups))
	for _, g := range req.Groups {
		tg := tokens.Group{Name: g.GroupName, RoleArn: g.RoleArn}
		if g.Precedence != nil {
			p := int32(*g.Precedence)
			tg.Precedence = &p
		}
		groups = append(groups, tg)
	}
	tk, err := t.m.Issue(ctx, tokens.Request{Issuer: t.issuer(req.PoolID), PoolID: req.PoolID, ClientID: req.ClientID,
		User:     tokens.User{Username: req.Username, Sub: req.Sub, Attributes: req.Attributes, Groups: groups},
		AuthTime: req.AuthTime, OriginJTI: req.OriginJTI, IDValidity: req.IDValidity, AccessValidity: req.AccessValidity, Customize: req.Customize})
	if err != nil {
		return nil, err
	}
	res := &cognito.AuthenticationResult{AccessToken: tk.AccessToken, IdToken: tk.IDToken, TokenType: "Bearer",
		ExpiresIn: int(tk.AccessExpiresIn)}
	if req.Refresh {
		rt, _, err := t.m.NewRefreshToken(tokens.RefreshToken{PoolID: req.PoolID, ClientID: req.ClientID, Username: req.Username,
			Sub: req.Sub, OriginJTI: tk.OriginJTI, AuthTime: req.AuthTime.Unix()}, req.RefreshValidity)
		if err != nil {
			return nil, err
		}
		res.RefreshToken = rt
	}
	return res, nil
}

func (t tokenIssuer) ParseRefresh(_ context.Context, token string) (*cognito.RefreshClaims, error) {
	p, err := t.m.ParseRefreshToken(token)
	if err != nil && !errors.Is(err, tokens.ErrExpired) { // expiry is the caller's to report
		return nil, err
	}
	return &cognito.RefreshClaims{TokenID: p.ID, PoolID: p.PoolID, ClientID: p.ClientID, Username: p.Username, OriginJTI: p.OriginJTI,
		AuthTime: time.Unix(p.AuthTime, 0).UTC(), IssuedAt: time.Unix(p.IssuedAt, 0).UTC(), Expires: time.Unix(p.Expires, 0).UTC()}, nil
}

func (t tokenIssuer) VerifyAccess(ctx context.Context, token string) (*cognito.AccessClaims, error) {
	invalid := awserr.New(awserr.NotAuthorized, "Invalid Access Token")
	pool, ok := tokens.PoolOf(token)
	if !ok {
		return nil, invalid
	}
	c, err := t.m.Verify(ctx, pool, token, tokens.Expect{Issuer: t.issuer(pool), TokenUse: tokens.UseAccess})
	if errors.Is(err, tokens.ErrExpired) {
		return nil, awserr.New(awserr.NotAuthorized, "Access Token has expired")
	}
	if err != nil {
		return nil, invalid
	}
	return &cognito.AccessClaims{PoolID: pool, ClientID: c.ClientID, Username: c.Username, OriginJTI: c.OriginJTI,
		IssuedAt: c.IssuedAt}, nil
}

// Handler returns the HTTP handler of every surface.
func (a *App) Handler() http.Handler { return a.handler }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (a *App) health(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	err := a.Store.View(ctx, func(tx storage.Tx) error {
		_, err := tx.Get(keyCheckKey)
		return err
	})
	status, code := "ok", http.StatusOK
	if err != nil {
		status, code = "unavailable", http.StatusServiceUnavailable
		a.Log.ErrorContext(ctx, "health check failed", "err", err)
	}
	backendName := "sqlite"
	switch {
	case a.Config.DB == "memory":
		backendName = "memory"
	case a.Config.DB != "":
		backendName = "postgres"
	}
	writeJSON(w, code, map[string]any{"status": status, "version": Version, "storage": backendName, "region": a.Config.Region})
}

func (a *App) messages(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, _ := strconv.Atoi(q.Get("limit"))
	msgs, err := outbox.List(r.Context(), a.Store, a.Keys, q.Get("userPoolId"), q.Get("username"), limit)
	if err != nil {
		a.Log.ErrorContext(r.Context(), "list messages", "err", err)
		writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "Internal server error"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"messages": msgs})
}

// reset wipes all state except the master-key check.
func (a *App) reset(w http.ResponseWriter, r *http.Request) {
	err := a.Store.Update(r.Context(), func(tx storage.Tx) error {
		check, err := tx.Get(keyCheckKey)
		if err != nil {
			return err
		}
		if _, err := tx.DeletePrefix(""); err != nil {
			return err
		}
		return tx.Put(keyCheckKey, check)
	})
	if err != nil {
		a.Log.ErrorContext(r.Context(), "reset", "err", err)
		writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "Internal server error"})
		return
	}
	a.JWT.Reset()
	a.Lambda.Runner.Retire("")
	if err := a.Lambda.SweepCode(r.Context()); err != nil {
		a.Log.WarnContext(r.Context(), "lambda: sweeping unused packages", "err", err)
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "reset"})
}

// Listen binds the listener (use "127.0.0.1:0" for an ephemeral port) and returns its address.
func (a *App) Listen() (string, error) {
	l, err := net.Listen("tcp", a.Config.Listen)
	if err != nil {
		return "", err
	}
	a.listener = l
	if a.Config.PublicURL == "" {
		// The default public URL names the port actually bound (which may have been :0).
		_, port, _ := net.SplitHostPort(l.Addr().String())
		a.Cognito.PublicURL = "http://localhost:" + port
		// Before any function starts: instances reach this server at the bound port.
		a.lambdaEnv["AWS_ENDPOINT_URL"] = "http://127.0.0.1:" + port
		if a.handler, err = a.buildHandler(a.model); err != nil {
			l.Close()
			return "", err
		}
	}
	a.server = &http.Server{Handler: a.handler, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second}
	return l.Addr().String(), nil
}

// Serve serves on the listener until ctx is cancelled, then shuts down gracefully: in-flight
// requests get up to 10 seconds to finish.
func (a *App) Serve(ctx context.Context) error {
	if a.listener == nil {
		if _, err := a.Listen(); err != nil {
			return err
		}
	}
	errc := make(chan error, 1)
	go func() { errc <- a.server.Serve(a.listener) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.server.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Close releases storage and the Redis connection.
func (a *App) Close() error {
	for _, c := range a.closers {
		_ = c()
	}
	return a.Store.Close()
}
