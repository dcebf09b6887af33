package dataplane

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/gateway"
)

// originAllowed reports whether origin matches the API's allowOrigins: an exact origin, "*",
// or "https://*" / "http://*" for any origin of that scheme.
func originAllowed(c *gateway.Cors, origin string) (allowed, wildcard bool) {
	for _, o := range c.AllowOrigins {
		switch {
		case o == "*":
			return true, true
		case strings.EqualFold(o, origin):
			return true, false
		case strings.HasSuffix(o, "://*") && strings.HasPrefix(strings.ToLower(origin), strings.ToLower(strings.TrimSuffix(o, "*"))):
			return true, false
		}
	}
	return false, false
}

// addCORS adds the CORS headers of an actual (not preflight) response when the request had an
// allowed Origin.
func addCORS(h http.Header, c *gateway.Cors, origin string) {
	if origin == "" {
		return
	}
	ok, wildcard := originAllowed(c, origin)
	if !ok {
		return
	}
	if wildcard {
		h.Set("Access-Control-Allow-Origin", "*")
	} else {
		h.Set("Access-Control-Allow-Origin", origin)
		h.Add("Vary", "Origin")
	}
	if c.AllowCredentials != nil && *c.AllowCredentials {
		h.Set("Access-Control-Allow-Credentials", "true")
	}
	if len(c.ExposeHeaders) > 0 {
		h.Set("Access-Control-Expose-Headers", strings.Join(c.ExposeHeaders, ","))
	}
}

// stripCORS removes the CORS headers a backend set: API Gateway answers CORS itself when the
// API has a CORS configuration.
func stripCORS(h http.Header) {
	for k := range h {
		if strings.HasPrefix(strings.ToLower(k), "access-control-") {
			delete(h, k)
		}
	}
}

// preflight answers a CORS preflight request before any route or authorizer runs.
func (h *Handler) preflight(req *request, c *gateway.Cors, origin string) {
	hd := req.w.Header()
	if ok, wildcard := originAllowed(c, origin); ok {
		method := req.r.Header.Get("Access-Control-Request-Method")
		methodOK := slices.ContainsFunc(c.AllowMethods, func(m string) bool { return m == "*" || strings.EqualFold(m, method) })
		if methodOK {
			if wildcard {
				hd.Set("Access-Control-Allow-Origin", "*")
			} else {
				hd.Set("Access-Control-Allow-Origin", origin)
				hd.Add("Vary", "Origin")
			}
			hd.Set("Access-Control-Allow-Methods", strings.Join(c.AllowMethods, ","))
			if len(c.AllowHeaders) > 0 {
				if slices.Contains(c.AllowHeaders, "*") {
					if rh := req.r.Header.Get("Access-Control-Request-Headers"); rh != "" {
						hd.Set("Access-Control-Allow-Headers", rh)
					}
				} else {
					hd.Set("Access-Control-Allow-Headers", strings.Join(c.AllowHeaders, ","))
				}
			}
			if c.MaxAge != nil && *c.MaxAge >= 0 {
				hd.Set("Access-Control-Max-Age", strconv.Itoa(*c.MaxAge))
			}
			if c.AllowCredentials != nil && *c.AllowCredentials {
				hd.Set("Access-Control-Allow-Credentials", "true")
			}
			if len(c.ExposeHeaders) > 0 {
				hd.Set("Access-Control-Expose-Headers", strings.Join(c.ExposeHeaders, ","))
			}
		}
	}
	req.status = http.StatusNoContent
	req.w.WriteHeader(http.StatusNoContent)
}
