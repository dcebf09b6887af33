#!/usr/bin/env bash
# End-to-end walk through an HTTP API protected by a Cognito JWT authorizer with the aws CLI,
# using the commands of AWS's docs ("Control access to HTTP APIs with JWT authorizers" and the
# apigatewayv2 CLI examples): a user pool, an app client and a user → initiate-auth → a
# quick-created HTTP API in front of a backend → create-authorizer → update-route to JWT (then
# with scopes) → a second API built step by step (create-api, create-integration, create-route,
# create-stage) → the data plane with curl: 401 without a token, 200 with the access token, 403
# for the ID token on a scoped route → delete-api.
# Usage: apigw.sh <aws-binary> <endpoint-url> <backend-url>
# The backend answers every request with JSON {"from":"backend","method":…,"path":…}.
set -euo pipefail
AWS_BIN=${1:?aws binary}
ENDPOINT=${2:?endpoint url}
BACKEND=${3:?backend url}
export AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-test} AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-test}
export AWS_DEFAULT_REGION=us-east-1 AWS_PAGER="" AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
idp() { "$AWS_BIN" --endpoint-url "$ENDPOINT" --output json cognito-idp "$@"; }
gw() { "$AWS_BIN" --endpoint-url "$ENDPOINT" --output json apigatewayv2 "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
want() { [ "$1" = "$2" ] || fail "$3: got '$1', want '$2'"; }

# call METHOD URL [AUTHORIZATION]: sends a data-plane request and sets $status and $body.
call() {
  local args=(-sS -o "$tmp/body" -w '%{http_code}' -X "$1" "$2")
  [ $# -lt 3 ] || args+=(-H "Authorization: $3")
  status=$(curl "${args[@]}") || fail "curl $1 $2"
  body=$(cat "$tmp/body")
}
# expect WHAT STATUS BODY METHOD URL [AUTHORIZATION]: the response must match exactly.
expect() {
  local what=$1 st=$2 b=$3
  shift 3
  call "$@"
  [ "$status" = "$st" ] && [ "$body" = "$b" ] || fail "$what: $1 $2: got $status $body, want $st $b"
}
# backend WHAT PATH METHOD URL [AUTHORIZATION]: the request must reach the backend at PATH.
backend() {
  local what=$1 path=$2
  shift 2
  call "$@"
  [ "$status" = 200 ] || fail "$what: $1 $2: got $status $body, want 200 from the backend"
  want "$(jq -r '.from + " " + .method + " " + .path' <<<"$body")" "backend $1 $path" "$what: what the backend saw"
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== $("$AWS_BIN" --version 2>&1)"

# --- Cognito: a user pool, an app client for USER_PASSWORD_AUTH, a confirmed user, tokens.
pool=$(idp create-user-pool --pool-name apigw-users | jq -r .UserPool.Id)
[[ $pool =~ ^us-east-1_[A-Za-z0-9]{9}$ ]] || fail "pool id $pool"
client=$(idp create-user-pool-client --user-pool-id "$pool" --client-name apigw-web \
  --explicit-auth-flows ALLOW_USER_PASSWORD_AUTH ALLOW_REFRESH_TOKEN_AUTH | jq -r .UserPoolClient.ClientId)
[ ${#client} -eq 26 ] || fail "client id $client"
idp admin-create-user --user-pool-id "$pool" --username ann --message-action SUPPRESS >/dev/null
idp admin-set-user-password --user-pool-id "$pool" --username ann --password 'Passw0rd!' --permanent
auth=$(idp initiate-auth --client-id "$client" --auth-flow USER_PASSWORD_AUTH \
  --auth-parameters 'USERNAME=ann,PASSWORD=Passw0rd!')
access=$(jq -r .AuthenticationResult.AccessToken <<<"$auth")
idtoken=$(jq -r .AuthenticationResult.IdToken <<<"$auth")
[ ${#access} -gt 100 ] && [ ${#idtoken} -gt 100 ] || fail "initiate-auth tokens: $auth"
issuer="https://cognito-idp.us-east-1.amazonaws.com/$pool"

# --- Quick create: an HTTP_PROXY integration, a $default route and an auto-deployed $default
# stage in one call.
api=$(gw create-api --name my-http-api --protocol-type HTTP --target "$BACKEND")
api_id=$(jq -r .ApiId <<<"$api")
[[ $api_id =~ ^[a-z0-9]{10}$ ]] || fail "api id $api_id"
want "$(jq -r .ApiEndpoint <<<"$api")" "https://$api_id.execute-api.us-east-1.amazonaws.com" "ApiEndpoint"
want "$(jq -r .ProtocolType <<<"$api")" HTTP "ProtocolType"
want "$(jq -r .RouteSelectionExpression <<<"$api")" '$request.method $request.path' "RouteSelectionExpression"
want "$(gw get-apis | jq -r --arg id "$api_id" '[.Items[] | select(.ApiId==$id) | .Name] | join(",")')" my-http-api "get-apis"
routes=$(gw get-routes --api-id "$api_id")
want "$(jq -r '.Items | length' <<<"$routes")" 1 "quick-create routes"
want "$(jq -r '.Items[0].RouteKey' <<<"$routes")" '$default' "quick-create route key"
want "$(jq -r '.Items[0].AuthorizationType' <<<"$routes")" NONE "quick-create route authorization"
route_id=$(jq -r '.Items[0].RouteId' <<<"$routes")
integ_id=$(jq -r '.Items[0].Target | sub("^integrations/"; "")' <<<"$routes")
integ=$(gw get-integration --api-id "$api_id" --integration-id "$integ_id")
want "$(jq -r '.IntegrationType + " " + .IntegrationUri' <<<"$integ")" "HTTP_PROXY $BACKEND" "quick-create integration"
stages=$(gw get-stages --api-id "$api_id")
want "$(jq -r '[.Items[] | .StageName + " " + (.AutoDeploy | tostring)] | join(",")' <<<"$stages")" '$default true' "quick-create stages"

base="$ENDPOINT/_aws/execute-api/$api_id"
backend "open \$default route" /pets/1 GET "$base/pets/1"

# --- The JWT authorizer, as the docs create it, and the route switched to it.
authz_id=$(gw create-authorizer \
  --name my-jwt-authorizer \
  --api-id "$api_id" \
  --authorizer-type JWT \
  --identity-source '$request.header.Authorization' \
  --jwt-configuration "Audience=$client,Issuer=$issuer" | jq -r .AuthorizerId)
[[ $authz_id =~ ^[a-z0-9]{6}$ ]] || fail "authorizer id $authz_id"
authz=$(gw get-authorizer --api-id "$api_id" --authorizer-id "$authz_id")
want "$(jq -r .Name <<<"$authz")" my-jwt-authorizer "get-authorizer name"
want "$(jq -r .AuthorizerType <<<"$authz")" JWT "get-authorizer type"
want "$(jq -c .IdentitySource <<<"$authz")" '["$request.header.Authorization"]' "get-authorizer identity source"
want "$(jq -c .JwtConfiguration <<<"$authz")" "{\"Audience\":[\"$client\"],\"Issuer\":\"$issuer\"}" "get-authorizer JWT configuration"

out=$(gw update-route \
  --api-id "$api_id" \
  --route-id "$route_id" \
  --authorization-type JWT \
  --authorizer-id "$authz_id")
want "$(jq -r '.AuthorizationType + " " + .AuthorizerId' <<<"$out")" "JWT $authz_id" "update-route to JWT"
want "$(gw get-routes --api-id "$api_id" | jq -r '.Items[0] | .AuthorizationType + " " + .AuthorizerId')" "JWT $authz_id" "get-routes after update-route"

# No token, or a bad one: 401 before the backend. The access token (matched on client_id),
# with or without "Bearer ", and the ID token (matched on aud; the route has no scopes): 200.
expect "no token" 401 '{"message":"Unauthorized"}' GET "$base/pets/1"
expect "bad token" 401 '{"message":"Unauthorized"}' GET "$base/pets/1" "Bearer ${access%?}"
backend "access token" /pets/1 GET "$base/pets/1" "Bearer $access"
backend "bare access token" /pets/2 POST "$base/pets/2" "$access"
backend "ID token, no scopes on the route" /pets/1 GET "$base/pets/1" "Bearer $idtoken"

# The docs' scopes, which Cognito's access token lacks: 403. Then the scope Cognito grants:
# the access token passes and the ID token, which carries no scope, is refused.
out=$(gw update-route \
  --api-id "$api_id" \
  --route-id "$route_id" \
  --authorization-type JWT \
  --authorizer-id "$authz_id" \
  --authorization-scopes user.id user.email)
want "$(jq -c .AuthorizationScopes <<<"$out")" '["user.id","user.email"]' "update-route scopes"
expect "access token without the route's scopes" 403 '{"message":"Forbidden"}' GET "$base/pets/1" "Bearer $access"
expect "no token on a scoped route" 401 '{"message":"Unauthorized"}' GET "$base/pets/1"
out=$(gw update-route --api-id "$api_id" --route-id "$route_id" --authorization-scopes aws.cognito.signin.user.admin)
want "$(jq -r '.AuthorizationType + " " + (.AuthorizationScopes | join(","))' <<<"$out")" "JWT aws.cognito.signin.user.admin" "update-route scopes again"
backend "access token with the route's scope" /pets/1 GET "$base/pets/1" "Bearer $access"
expect "ID token on a scoped route" 403 '{"message":"Forbidden"}' GET "$base/pets/1" "Bearer $idtoken"

# --- The same step by step: an API, an HTTP_PROXY integration, a JWT route and a stage.
api2_id=$(gw create-api --name my-pets-api --protocol-type HTTP | jq -r .ApiId)
[[ $api2_id =~ ^[a-z0-9]{10}$ ]] || fail "api id $api2_id"
want "$(gw get-routes --api-id "$api2_id" | jq -r '.Items | length')" 0 "routes of an API without target"
integ2=$(gw create-integration \
  --api-id "$api2_id" \
  --integration-type HTTP_PROXY \
  --integration-method GET \
  --integration-uri "$BACKEND/pets" \
  --payload-format-version 1.0)
integ2_id=$(jq -r .IntegrationId <<<"$integ2")
want "$(jq -r '.IntegrationMethod + " " + .PayloadFormatVersion + " " + (.TimeoutInMillis | tostring)' <<<"$integ2")" "GET 1.0 30000" "create-integration"
authz2_id=$(gw create-authorizer \
  --name my-jwt-authorizer \
  --api-id "$api2_id" \
  --authorizer-type JWT \
  --identity-source '$request.header.Authorization' \
  --jwt-configuration "Audience=$client,Issuer=$issuer" | jq -r .AuthorizerId)
route2=$(gw create-route \
  --api-id "$api2_id" \
  --route-key 'GET /pets' \
  --target "integrations/$integ2_id" \
  --authorization-type JWT \
  --authorizer-id "$authz2_id" \
  --authorization-scopes aws.cognito.signin.user.admin)
want "$(jq -r '.RouteKey + " " + .AuthorizationType + " " + .AuthorizerId + " " + .Target' <<<"$route2")" \
  "GET /pets JWT $authz2_id integrations/$integ2_id" "create-route"
gw create-route --api-id "$api2_id" --route-key 'GET /health' --target "integrations/$integ2_id" >/dev/null
want "$(gw get-routes --api-id "$api2_id" | jq -r '[.Items[].RouteKey] | sort | join(",")')" "GET /health,GET /pets" "get-routes"
stage=$(gw create-stage --api-id "$api2_id" --stage-name dev --auto-deploy)
want "$(jq -r '.StageName + " " + (.AutoDeploy | tostring)' <<<"$stage")" "dev true" "create-stage"
want "$(gw get-stages --api-id "$api2_id" | jq -r '[.Items[] | .StageName + " " + (.DeploymentId | length > 0 | tostring)] | join(",")')" \
  "dev true" "get-stages"
want "$(gw get-authorizers --api-id "$api2_id" | jq -r '[.Items[].AuthorizerId] | join(",")')" "$authz2_id" "get-authorizers"

base2="$ENDPOINT/_aws/execute-api/$api2_id"
expect "no token on the dev stage" 401 '{"message":"Unauthorized"}' GET "$base2/dev/pets"
backend "access token on the dev stage" /pets GET "$base2/dev/pets" "Bearer $access"
expect "ID token on the dev stage" 403 '{"message":"Forbidden"}' GET "$base2/dev/pets" "Bearer $idtoken"
backend "open route on the dev stage" /pets GET "$base2/dev/health"
expect "unknown route" 404 '{"message":"Not Found"}' GET "$base2/dev/cats"
expect "no \$default stage" 404 '{"message":"Not Found"}' GET "$base2/pets" "Bearer $access"

# Errors surface as the CLI reports AWS errors.
if err=$(gw get-authorizer --api-id "$api_id" --authorizer-id nope12 2>&1); then fail "unknown authorizer found"; fi
grep -q "NotFoundException" <<<"$err" || fail "unknown authorizer error: $err"
if err=$(gw create-route --api-id "$api2_id" --route-key 'GET /pets' 2>&1); then fail "duplicate route key accepted"; fi
grep -q "ConflictException" <<<"$err" || fail "duplicate route error: $err"

# --- Clean up: the APIs go, and their data plane with them.
gw delete-api --api-id "$api_id"
gw delete-api --api-id "$api2_id"
if err=$(gw get-api --api-id "$api_id" 2>&1); then fail "deleted API found"; fi
grep -q "NotFoundException" <<<"$err" || fail "deleted API error: $err"
want "$(gw get-apis | jq -r --arg a "$api_id" --arg b "$api2_id" '[.Items[] | select(.ApiId==$a or .ApiId==$b)] | length')" 0 "get-apis after delete-api"
expect "deleted API" 404 '{"message":"Not Found"}' GET "$base/pets/1" "Bearer $access"
idp delete-user-pool --user-pool-id "$pool"
echo "PASS: apigatewayv2 JWT authorizer CLI walk with $AWS_BIN"
