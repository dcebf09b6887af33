package dataplane

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/gateway"
	"github.com/gatehouse-dev/gatehouse/internal/lambda"
)

// maxLambdaPayload is Lambda's limit on a synchronous invocation's event and on its response
// (6 MB).
const maxLambdaPayload = 6 << 20

// bodyRequestTooLong is what API Gateway answers, with 413, when the event would exceed
// Lambda's payload limit (observed on AWS: koki-develop/lgtm-generator#10).
const bodyRequestTooLong = `{"message":"Request Too Long"}`

// apigatewayPrincipal is the service principal API Gateway invokes functions as.
const apigatewayPrincipal = "apigateway.amazonaws.com"

// functionOf returns the function an integration or authorizer URI names: a Lambda function
// ARN (optionally with a version or alias), or the function ARN inside
// arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function arn>/invocations.
func functionOf(uri string) string {
	if strings.Contains(uri, ":apigateway:") {
		_, rest, ok := strings.Cut(uri, "/functions/")
		if !ok {
			return ""
		}
		fn, _, _ := strings.Cut(rest, "/invocations")
		return fn
	}
	return uri
}

// executeArn is arn:aws:execute-api:<region>:<account>:<apiId>/<resource>.
func (h *Handler) executeArn(apiID, resource string) string {
	return "arn:aws:execute-api:" + h.Region + ":" + h.AccountID + ":" + apiID + "/" + resource
}

// routeArn is the ARN a request invokes, which an authorizer's policy is evaluated against:
// <apiId>/<stage>/<METHOD>/<path below the stage> (AWS fills the path variables in, as REST's
// methodArn does).
func (h *Handler) routeArn(req *request) string {
	return h.executeArn(req.api.id, req.stage.name+"/"+req.r.Method+req.path)
}

// sourceArn is the SourceArn of an integration's invocation, which Lambda checks the function's
// resource policy against: the route's path as written (/pets/{id}), or $default.
func (h *Handler) sourceArn(req *request) string {
	p := routePath(req)
	if p == "$default" {
		return h.executeArn(req.api.id, req.stage.name+"/$default")
	}
	return h.executeArn(req.api.id, req.stage.name+"/"+req.r.Method+p)
}

// readBody reads the request body once (at most limit bytes) into req.body and leaves a reader
// of it in req.r.Body for later users. ok is false, after answering 413, when the body is over
// limit or over the HTTP API payload limit.
func (h *Handler) readBody(req *request, limit int, tooLong string) ([]byte, bool) {
	if req.body != nil {
		if len(req.body) > limit {
			h.reply(req, http.StatusRequestEntityTooLarge, tooLong)
			return nil, false
		}
		return req.body, true
	}
	b, err := readAtMost(req.r.Body, req.r.ContentLength, limit)
	if err != nil {
		h.reply(req, http.StatusRequestEntityTooLarge, bodyTooLarge)
		return nil, false
	}
	if len(b) > limit {
		h.reply(req, http.StatusRequestEntityTooLarge, tooLong)
		return nil, false
	}
	req.body = b
	req.r.Body = io.NopCloser(bytes.NewReader(b))
	return b, true
}

// readAtMost reads r to its end or to limit+1 bytes, into a buffer sized from sizeHint (the
// Content-Length, -1 when unknown) so that a body of the announced size is not copied again.
func readAtMost(r io.Reader, sizeHint int64, limit int) ([]byte, error) {
	size := 512
	if sizeHint >= 0 && sizeHint <= int64(limit) {
		size = int(sizeHint) + 1
	}
	buf := make([]byte, 0, size)
	for len(buf) <= limit {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):min(cap(buf), limit+1)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
	return buf, nil
}

// lambdaRequest returns the request an integration's event describes: r itself, or a copy the
// integration's request parameter mapping changed.
func (h *Handler) lambdaRequest(req *request, integ *gateway.Integration) *http.Request {
	if len(integ.RequestParameters) == 0 {
		return req.r
	}
	out := req.r.Clone(req.r.Context())
	h.mapRequest(req, integ, out)
	return out
}

// invokeError classifies a failed invocation: the status and body API Gateway answers.
func invokeError(ctx context.Context, err error) (int, string) {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return http.StatusServiceUnavailable, bodyTimeout
	}
	if awserr.Is(err, "RequestTooLargeException") {
		return http.StatusRequestEntityTooLarge, bodyRequestTooLong
	}
	return http.StatusInternalServerError, bodyInternal
}

// lambdaProxy serves an AWS_PROXY integration: the request becomes an event in the
// integration's payload format, the function's response becomes the HTTP response.
func (h *Handler) lambdaProxy(req *request, integ *gateway.Integration) {
	ctx := req.r.Context()
	fn := functionOf(h.evalStageVars(req, integ.IntegrationUri))
	if h.Lambda == nil || fn == "" {
		h.Log.WarnContext(ctx, "data plane: Lambda integration not served", "uri", integ.IntegrationUri, "invoker", h.Lambda != nil)
		h.reply(req, http.StatusInternalServerError, bodyInternal)
		return
	}
	body, ok := h.readBody(req, maxLambdaPayload, bodyRequestTooLong)
	if !ok {
		return
	}
	payload, err := h.lambdaEvent(req, h.lambdaRequest(req, integ), integ.PayloadFormatVersion, body)
	if err != nil {
		h.Log.ErrorContext(ctx, "data plane: build Lambda event", "err", err)
		h.reply(req, http.StatusInternalServerError, bodyInternal)
		return
	}
	if len(payload) > maxLambdaPayload {
		h.reply(req, http.StatusRequestEntityTooLarge, bodyRequestTooLong)
		return
	}
	timeout := time.Duration(integ.TimeoutInMillis) * time.Millisecond
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ictx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	out, err := h.Lambda.Invoke(ictx, lambda.InvokeInput{Function: fn, Payload: payload,
		Principal: apigatewayPrincipal, SourceArn: h.sourceArn(req), SourceAccount: h.AccountID})
	if err == nil && ictx.Err() != nil {
		err = ictx.Err()
	}
	if err != nil {
		if ctx.Err() != nil {
			req.status = 499 // the client went away
			return
		}
		status, msg := invokeError(ictx, err)
		h.Log.WarnContext(ctx, "data plane: Lambda integration failed", "function", fn, "err", err)
		h.reply(req, status, msg)
		return
	}
	if out.FunctionError != "" || len(out.Payload) > maxLambdaPayload {
		h.Log.WarnContext(ctx, "data plane: Lambda function failed", "function", fn, "error", out.FunctionError,
			"size", len(out.Payload))
		h.reply(req, http.StatusInternalServerError, bodyInternal)
		return
	}
	var res *lambdaResponse
	if integ.PayloadFormatVersion == "2.0" {
		res, err = parseResponseV2(out.Payload)
	} else {
		res, err = parseResponseV1(out.Payload)
	}
	if err != nil {
		h.Log.WarnContext(ctx, "data plane: malformed Lambda response", "function", fn, "err", err)
		h.reply(req, http.StatusInternalServerError, bodyInternal)
		return
	}
	h.writeLambdaResponse(req, integ, res)
}

// writeLambdaResponse writes a function's response with the API's CORS headers (the
// function's own are dropped, as for HTTP integrations) and the integration's response
// parameter mapping for its status.
func (h *Handler) writeLambdaResponse(req *request, integ *gateway.Integration, res *lambdaResponse) {
	hd := req.w.Header()
	for k, v := range res.header {
		hd[k] = v
	}
	hd.Set("apigw-requestid", req.id)
	if req.stage.cors != nil {
		stripCORS(hd)
		addCORS(hd, req.stage.cors, req.r.Header.Get("Origin"))
	}
	if len(integ.ResponseParameters) > 0 {
		resp := &http.Response{StatusCode: res.status, Header: hd}
		req.respBody = res.body
		h.mapResponse(req, integ, resp)
		res.status = resp.StatusCode
	}
	hd.Set("Content-Length", strconv.Itoa(len(res.body)))
	req.status = res.status
	req.w.WriteHeader(res.status)
	_, _ = req.w.Write(res.body)
}

// lambdaResponse is a function's response as API Gateway interprets it.
type lambdaResponse struct {
	status int
	header http.Header
	body   []byte
}

// errMalformed is a function response API Gateway cannot use.
var errMalformed = errors.New("malformed Lambda proxy response")

// defaultContentType is what API Gateway HTTP APIs send when a function's response names no
// Content-Type (observed: fujiwara/ridge#9; REST APIs send application/json instead).
const defaultContentType = "text/plain; charset=utf-8"

// parseResponseV2 interprets a payload format 2.0 response. JSON without a statusCode member is
// the body itself (a string's contents, else the JSON text), with status 200 and
// content-type application/json; otherwise statusCode, headers, cookies (each a Set-Cookie
// header), body and isBase64Encoded are read and other members, multiValueHeaders included,
// are ignored.
func parseResponseV2(payload []byte) (*lambdaResponse, error) {
	names, values, isObject := members(payload)
	status, hasStatus := find(names, values, "statusCode")
	if !hasStatus {
		if !isObject && !json.Valid(payload) {
			return nil, errMalformed
		}
		v := bytes.TrimSpace(payload)
		if jsonKind(v) == '"' {
			v = unquote(v)
		}
		return &lambdaResponse{status: http.StatusOK, header: http.Header{"Content-Type": {"application/json"}}, body: v}, nil
	}
	res, err := structured(status, names, values, false)
	if err != nil {
		return nil, err
	}
	if v, ok := find(names, values, "cookies"); ok && jsonKind(v) != 'n' {
		cookies, ok := stringList(v)
		if !ok {
			return nil, errMalformed
		}
		for _, c := range cookies {
			res.header.Add("Set-Cookie", c)
		}
	}
	return res, bodyOf(res, names, values)
}

// parseResponseV1 interprets a payload format 1.0 response: statusCode (required), headers and
// multiValueHeaders (merged, a pair present in both kept once), body and isBase64Encoded.
func parseResponseV1(payload []byte) (*lambdaResponse, error) {
	names, values, ok := members(payload)
	if !ok {
		return nil, errMalformed
	}
	status, ok := find(names, values, "statusCode")
	if !ok {
		return nil, errMalformed
	}
	res, err := structured(status, names, values, true)
	if err != nil {
		return nil, err
	}
	return res, bodyOf(res, names, values)
}

// structured starts a response from its statusCode and headers (with multi, multiValueHeaders
// too).
func structured(status []byte, names []string, values [][]byte, multi bool) (*lambdaResponse, error) {
	code, err := statusOf(status)
	if err != nil {
		return nil, err
	}
	res := &lambdaResponse{status: code, header: http.Header{}}
	return res, addHeaders(res.header, names, values, multi)
}

// statusOf reads statusCode: an integer (or a string holding one) from 100 to 599.
func statusOf(v []byte) (int, error) {
	var n float64
	switch jsonKind(v) {
	case '0':
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil {
			return 0, errMalformed
		}
		n = f
	case '"':
		i, err := strconv.Atoi(string(unquote(v)))
		if err != nil {
			return 0, errMalformed
		}
		n = float64(i)
	default:
		return 0, errMalformed
	}
	if n != math.Trunc(n) || n < 100 || n > 599 {
		return 0, errMalformed
	}
	return int(n), nil
}

// hopHeaders are response headers a function cannot set: API Gateway frames the response.
var hopHeaders = map[string]bool{"Content-Length": true, "Connection": true, "Transfer-Encoding": true,
	"Keep-Alive": true, "Upgrade": true, "Te": true, "Trailer": true}

// addHeaders copies the headers member (and with multi, multiValueHeaders) into h. Values may
// be strings, numbers or booleans; null values are skipped.
func addHeaders(h http.Header, names []string, values [][]byte, multi bool) error {
	if v, ok := find(names, values, "headers"); ok && jsonKind(v) != 'n' {
		hn, hv, ok := members(v)
		if !ok {
			return errMalformed
		}
		for i, name := range hn {
			if jsonKind(hv[i]) == 'n' {
				continue
			}
			s, ok := scalarText(hv[i])
			if !ok {
				return errMalformed
			}
			if !hopHeaders[http.CanonicalHeaderKey(name)] {
				h.Set(name, s)
			}
		}
	}
	if !multi {
		return nil
	}
	v, ok := find(names, values, "multiValueHeaders")
	if !ok || jsonKind(v) == 'n' {
		return nil
	}
	hn, hv, ok := members(v)
	if !ok {
		return errMalformed
	}
	for i, name := range hn {
		if jsonKind(hv[i]) == 'n' || hopHeaders[http.CanonicalHeaderKey(name)] {
			continue
		}
		vals, ok := stringList(hv[i])
		if !ok {
			return errMalformed
		}
		single := h.Get(name)
		h.Del(name)
		for _, s := range vals {
			h.Add(name, s)
		}
		if single != "" && !contains(vals, single) {
			h.Add(name, single)
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// stringList reads a JSON array of scalars.
func stringList(v []byte) ([]string, bool) {
	if jsonKind(v) != '[' {
		return nil, false
	}
	var raw []json.RawMessage
	if json.Unmarshal(v, &raw) != nil {
		return nil, false
	}
	out := make([]string, 0, len(raw))
	for _, r := range raw {
		s, ok := scalarText(r)
		if !ok {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

// bodyOf reads body and isBase64Encoded into res, and gives it the default Content-Type.
func bodyOf(res *lambdaResponse, names []string, values [][]byte) error {
	encoded := false
	if v, ok := find(names, values, "isBase64Encoded"); ok {
		switch jsonKind(v) {
		case 't':
			encoded = true
		case 'f', 'n':
		default:
			return errMalformed
		}
	}
	if v, ok := find(names, values, "body"); ok {
		switch jsonKind(v) {
		case 'n':
		case '"':
			res.body = unquote(v)
		default:
			return errMalformed
		}
	}
	if encoded {
		b := make([]byte, base64.StdEncoding.DecodedLen(len(res.body)))
		n, err := base64.StdEncoding.Decode(b, res.body)
		if err != nil {
			return errMalformed
		}
		res.body = b[:n]
	}
	if res.header.Get("Content-Type") == "" {
		res.header.Set("Content-Type", defaultContentType)
	}
	return nil
}
