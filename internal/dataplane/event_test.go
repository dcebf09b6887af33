package dataplane

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gatehouse-dev/gatehouse/internal/gateway"
	"github.com/gatehouse-dev/gatehouse/internal/gateway/route"
)

func TestEventV2(t *testing.T) {
	h := &Handler{AccountID: "000000000000"}
	r := httptest.NewRequest("POST", "http://abc123defg.execute-api.localhost:4566/dev/pets/7?a=1&a=2&b=x", strings.NewReader(""))
	r.Header.Add("X-Multi", "one")
	r.Header.Add("X-Multi", "two")
	r.Header.Set("Cookie", "s=1; t=2")
	r.Header.Set("Content-Type", "application/json")
	start := time.Date(2026, 11, 22, 15, 4, 5, 0, time.UTC)
	req := &request{r: r, id: "rid", start: start,
		api:    &compiledAPI{id: "abc123defg"},
		stage:  &compiledStage{name: "dev", vars: map[string]string{"v": "1"}},
		route:  &compiledRoute{route: gateway.Route{RouteKey: "POST /pets/{id}", AuthorizationType: "JWT"}},
		params: route.Params{{Name: "id", Value: "7"}},
		claims: map[string]string{"sub": "u1", "cognito:groups": "[admin poweruser]"},
	}
	b, err := h.lambdaEvent(req, r, "2.0", []byte(`{"x":1}`))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	_ = json.Unmarshal(b, &got)
	rc := got["requestContext"].(map[string]any)
	jwt := rc["authorizer"].(map[string]any)["jwt"].(map[string]any)
	checks := map[string]bool{
		"version 2.0":          got["version"] == "2.0",
		"rawPath with stage":   got["rawPath"] == "/dev/pets/7",
		"rawQueryString":       got["rawQueryString"] == "a=1&a=2&b=x",
		"joined query":         got["queryStringParameters"].(map[string]any)["a"] == "1,2",
		"joined headers":       got["headers"].(map[string]any)["x-multi"] == "one,two",
		"cookies out":          len(got["cookies"].([]any)) == 2 && got["headers"].(map[string]any)["cookie"] == nil,
		"path parameters":      got["pathParameters"].(map[string]any)["id"] == "7",
		"stage variables":      got["stageVariables"].(map[string]any)["v"] == "1",
		"text body":            got["body"] == `{"x":1}` && got["isBase64Encoded"] == false,
		"route key":            rc["routeKey"] == "POST /pets/{id}",
		"time":                 rc["time"] == "22/Nov/2026:15:04:05 +0000",
		"claims are strings":   jwt["claims"].(map[string]any)["cognito:groups"] == "[admin poweruser]",
		"scopes null":          jwt["scopes"] == nil,
		"http method and path": rc["http"].(map[string]any)["method"] == "POST" && rc["http"].(map[string]any)["path"] == "/dev/pets/7",
	}
	for what, ok := range checks {
		if !ok {
			t.Errorf("%s: %s", what, b)
		}
	}
	r.Header.Set("Content-Type", "image/png")
	b, _ = h.lambdaEvent(req, r, "2.0", []byte{0x89, 'P', 'N', 'G'})
	var ev events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(b, &ev); err != nil || !ev.IsBase64Encoded || ev.Body != "iVBORw==" {
		t.Errorf("binary body = %q base64=%v (%v)", ev.Body, ev.IsBase64Encoded, err)
	}
}

func TestBodyValue(t *testing.T) {
	body := []byte(`{"name":"rex","age":3,"ok":true,"tags":["a","b"],"owner":{"id":"u1"},"items":[{"id":7}],"none":null}`)
	for path, want := range map[string]string{
		"name": "rex", "age": "3", "ok": "true", "tags": `["a","b"]`, "tags[1]": "b", "owner.id": "u1",
		"items[0].id": "7", "owner": `{"id":"u1"}`,
	} {
		if got, ok := bodyValue(body, path); !ok || got != want {
			t.Errorf("%s = %q, %v; want %q", path, got, ok, want)
		}
	}
	for _, path := range []string{"missing", "tags[2]", "tags[x]", "name.first", "none", "items[0].nope"} {
		if got, ok := bodyValue(body, path); ok {
			t.Errorf("%s = %q; want nothing", path, got)
		}
	}
	if _, ok := bodyValue([]byte("not json"), "a"); ok {
		t.Error("a non-JSON body yielded a value")
	}
}

func FuzzBodyValue(f *testing.F) {
	f.Add([]byte(`{"a":{"b":[1,{"c":"d"}]}}`), "a.b[1].c")
	f.Add([]byte(`[1,2`), "[1]")
	f.Add([]byte(``), "")
	f.Fuzz(func(t *testing.T, body []byte, path string) {
		v, ok := bodyValue(body, path)
		if !ok && v != "" {
			t.Fatalf("no value but %q", v)
		}
	})
}
