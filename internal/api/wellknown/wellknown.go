package wellknown

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/tokens"
)

// CacheControl is sent with successful responses: short enough that a rotated key is
// published to HTTP caches within minutes, while token verifiers keep their own JWKS caches.
const CacheControl = "public, max-age=300"

// Deps are what the handlers need.
type Deps struct {
	// Tokens supplies the pools' public keys.
	Tokens *tokens.Manager
	// PoolExists reports whether a user pool exists; unknown pools get 404.
	PoolExists func(ctx context.Context, poolID string) (bool, error)
	// Issuer returns the iss of poolID's tokens (see tokens.IssuerURL).
	Issuer func(poolID string) string
	// PublicURL is where this Gatehouse is reachable (--public-url), used for jwks_uri so that
	// the document works with either issuer style.
	PublicURL string
	// OAuthBase returns the base URL of the pool's OAuth 2.0 endpoints (its domain), or "" when
	// the pool has none, in which case the OAuth endpoints are left out of the discovery
	// document. Nil means PublicURL for every pool.
	OAuthBase func(ctx context.Context, poolID string) (string, error)
	// Log receives internal errors (default slog.Default()).
	Log *slog.Logger
}

// Discovery is the OpenID Connect discovery document of a pool, with Cognito's members in
// Cognito's (alphabetical) order.
type Discovery struct {
	AuthorizationEndpoint             string   `json:"authorization_endpoint,omitempty"`
	EndSessionEndpoint                string   `json:"end_session_endpoint,omitempty"`
	IDTokenSigningAlgValuesSupported  []string `json:"id_token_signing_alg_values_supported"`
	Issuer                            string   `json:"issuer"`
	JWKSURI                           string   `json:"jwks_uri"`
	ResponseTypesSupported            []string `json:"response_types_supported"`
	RevocationEndpoint                string   `json:"revocation_endpoint,omitempty"`
	ScopesSupported                   []string `json:"scopes_supported"`
	SubjectTypesSupported             []string `json:"subject_types_supported"`
	TokenEndpoint                     string   `json:"token_endpoint,omitempty"`
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported"`
	UserinfoEndpoint                  string   `json:"userinfo_endpoint,omitempty"`
}

// Mount registers GET /{poolId}/.well-known/jwks.json and GET /{poolId}/.well-known/openid-configuration
// on mux. When PublicURL has a path (https://auth.example.com/base, Gatehouse behind a reverse
// proxy), they are also served under that path, so jwks_uri and <issuer>/.well-known/openid-configuration
// resolve whether or not the proxy strips the prefix.
func Mount(mux *http.ServeMux, d Deps) {
	h := &handler{d}
	if h.d.Log == nil {
		h.d.Log = slog.Default()
	}
	prefixes := []string{""}
	if p := PathPrefix(d.PublicURL); p != "" {
		prefixes = append(prefixes, p)
	}
	for _, p := range prefixes {
		mux.HandleFunc("GET "+p+"/{poolId}/.well-known/jwks.json", h.jwks)
		mux.HandleFunc("GET "+p+"/{poolId}/.well-known/openid-configuration", h.discovery)
	}
}

// PathPrefix returns the path of publicURL without its trailing slash ("/base" for
// https://auth.example.com/base/), or "" when it has none or the path is not one Mount can
// route: only segments of letters, digits and "-._~" are.
func PathPrefix(publicURL string) string {
	u, err := url.Parse(publicURL)
	if err != nil {
		return ""
	}
	p := strings.TrimRight(u.Path, "/")
	if !strings.HasPrefix(p, "/") || u.RawPath != "" {
		return ""
	}
	for _, seg := range strings.Split(p[1:], "/") {
		if seg == "" || seg == "." || seg == ".." || strings.Trim(seg, safePathChars) != "" {
			return ""
		}
	}
	return p
}

// safePathChars are the characters PathPrefix accepts in a segment (RFC 3986 unreserved).
const safePathChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"

type handler struct{ d Deps }

func (h *handler) jwks(w http.ResponseWriter, r *http.Request) {
	pool, ok := h.pool(w, r)
	if !ok {
		return
	}
	set, err := h.d.Tokens.JWKS(r.Context(), pool)
	if err != nil {
		h.internal(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, set, CacheControl)
}

func (h *handler) discovery(w http.ResponseWriter, r *http.Request) {
	pool, ok := h.pool(w, r)
	if !ok {
		return
	}
	public := strings.TrimRight(h.d.PublicURL, "/")
	doc := Discovery{
		IDTokenSigningAlgValuesSupported:  []string{"RS256"},
		Issuer:                            h.d.Issuer(pool),
		JWKSURI:                           public + "/" + pool + "/.well-known/jwks.json",
		ResponseTypesSupported:            []string{"code", "token"},
		ScopesSupported:                   []string{"openid", "email", "phone", "profile"},
		SubjectTypesSupported:             []string{"public"},
		TokenEndpointAuthMethodsSupported: []string{"client_secret_basic", "client_secret_post"},
	}
	base := public
	if h.d.OAuthBase != nil {
		var err error
		if base, err = h.d.OAuthBase(r.Context(), pool); err != nil {
			h.internal(w, r, err)
			return
		}
		base = strings.TrimRight(base, "/")
	}
	if base != "" {
		doc.AuthorizationEndpoint = base + "/oauth2/authorize"
		doc.EndSessionEndpoint = base + "/logout"
		doc.RevocationEndpoint = base + "/oauth2/revoke"
		doc.TokenEndpoint = base + "/oauth2/token"
		doc.UserinfoEndpoint = base + "/oauth2/userInfo"
	}
	writeJSON(w, http.StatusOK, doc, CacheControl)
}

// pool returns the path's pool id if the pool exists, and otherwise answers 404 as Cognito does.
func (h *handler) pool(w http.ResponseWriter, r *http.Request) (string, bool) {
	pool := r.PathValue("poolId")
	ok, err := h.d.PoolExists(r.Context(), pool)
	if err != nil {
		h.internal(w, r, err)
		return "", false
	}
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "User pool " + pool + " does not exist."}, "no-store")
		return "", false
	}
	return pool, true
}

func (h *handler) internal(w http.ResponseWriter, r *http.Request, err error) {
	h.d.Log.ErrorContext(r.Context(), "well-known endpoint failed", "path", r.URL.Path, "err", err)
	writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "Internal server error"}, "no-store")
}

func writeJSON(w http.ResponseWriter, status int, v any, cacheControl string) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"message":"Internal server error"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", cacheControl)
	w.WriteHeader(status)
	w.Write(b)
}
