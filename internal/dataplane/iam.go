package dataplane

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/sigv4"
)

// iamMaxSkew is how far X-Amz-Date may be from the clock on execute-api: five minutes, as the
// messages of real API Gateway rejections show ("Signature expired: … (… - 5 min.)",
// mhart/aws4#118).
const iamMaxSkew = 5 * time.Minute

// iamIdentity is the caller of an AWS_IAM route.
type iamIdentity struct {
	accessKey, accountID, callerID, userARN, userID string
}

// errAnyKey is what anyKey answers for every access key: the signature is well formed up to
// the point where its secret would be needed.
var errAnyKey = errors.New("data plane: no access keys configured; any well-formed signature is accepted")

// anyKey is the credential store of a server without access keys (--auth open).
type anyKey struct{}

// Lookup implements sigv4.CredentialStore.
func (anyKey) Lookup(context.Context, string) (sigv4.Credentials, error) {
	return sigv4.Credentials{}, errAnyKey
}

// authorizeIAM checks the SigV4 signature (service execute-api) of a request to an AWS_IAM
// route; false means the response has been written. With Credentials, the signature must be
// valid for one of their keys; every key is the account's, and this server has no IAM
// policies, so a valid signature is allowed. Without Credentials (--auth open) the signature
// is checked for form, scope, region and date, not for its secret.
func (h *Handler) authorizeIAM(req *request) bool {
	body, ok := h.readBody(req, MaxPayload, bodyTooLarge)
	if !ok {
		return false
	}
	store := h.Credentials
	if store == nil {
		store = anyKey{}
	}
	v := sigv4.Verifier{Store: store, Now: h.Now, MaxSkew: iamMaxSkew, Region: h.Region}
	id, err := v.Verify(req.r, body, "execute-api")
	if errors.Is(err, errAnyKey) {
		scope, _ := sigv4.RequestScope(req.r)
		id, err = &sigv4.Identity{AccessKeyID: scope.AccessKeyID}, nil
	}
	if err != nil {
		ae, ok := awserr.As(err)
		if !ok {
			h.Log.ErrorContext(req.r.Context(), "data plane: verify signature", "err", err)
			h.reply(req, http.StatusInternalServerError, bodyInternal)
			return false
		}
		req.authErr = ae.Message
		b, _ := json.Marshal(struct {
			Message string `json:"message"`
		}{ae.Message})
		req.w.Header().Set("x-amzn-ErrorType", ae.Type)
		h.reply(req, http.StatusForbidden, string(b))
		return false
	}
	req.authz = &authContext{iam: h.iamCaller(id)}
	return true
}

// iamCaller describes the caller behind a key: the account's root user, or the principal the
// key was configured with when that is an ARN.
func (h *Handler) iamCaller(id *sigv4.Identity) *iamIdentity {
	acct := id.Account
	if acct == "" {
		acct = h.AccountID
	}
	c := &iamIdentity{accessKey: id.AccessKeyID, accountID: acct, callerID: acct, userID: acct,
		userARN: "arn:aws:iam::" + acct + ":root"}
	if strings.HasPrefix(id.Principal, "arn:") {
		c.userARN, c.callerID, c.userID = id.Principal, id.AccessKeyID, id.AccessKeyID
	}
	return c
}
