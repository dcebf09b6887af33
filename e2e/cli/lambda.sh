#!/usr/bin/env bash
# End-to-end walk through AWS Lambda with the aws CLI, using the commands of AWS's docs
# ("Create a Lambda function with the AWS CLI" and the API Gateway HTTP API + Lambda
# tutorial): a Node.js function from a .zip → invoke (payload, log tail, function error) →
# get-function / list-functions → update-function-configuration / update-function-code →
# publish-version / create-alias → add-permission / get-policy → an HTTP API quick-created
# with the function as its target, called with curl → delete-function.
# Usage: lambda.sh <aws-binary> <endpoint-url>
set -euo pipefail
AWS_BIN=${1:?aws binary}
ENDPOINT=${2:?endpoint url}
export AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-test} AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-test}
export AWS_DEFAULT_REGION=us-east-1 AWS_PAGER="" AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
lam() { "$AWS_BIN" --endpoint-url "$ENDPOINT" --output json lambda "$@"; }
gw() { "$AWS_BIN" --endpoint-url "$ENDPOINT" --output json apigatewayv2 "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
want() { [ "$1" = "$2" ] || fail "$3: got '$1', want '$2'"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# CLI v2 reads --payload as base64 unless told otherwise; v1 has no such option.
binfmt=()
if "$AWS_BIN" --version 2>&1 | grep -q '^aws-cli/2'; then binfmt=(--cli-binary-format raw-in-base64-out); fi

cat >"$tmp/index.mjs" <<'JS'
export const handler = async (event, context) => {
  console.log("EVENT", JSON.stringify(event));
  if (event.fail) throw new TypeError("bad input");
  if (event.requestContext) {
    return { statusCode: 200, headers: { "content-type": "application/json" },
             body: JSON.stringify({ from: "lambda", path: event.rawPath, method: event.requestContext.http.method }) };
  }
  return { greeting: `${process.env.GREETING ?? "hello"} ${event.name}`, fn: context.functionName };
};
JS
(cd "$tmp" && python3 -m zipfile -c function.zip index.mjs)
role=arn:aws:iam::123456789012:role/lambda-ex

out=$(lam create-function --function-name my-function --runtime nodejs20.x --zip-file "fileb://$tmp/function.zip" \
  --handler index.handler --role "$role")
want "$(jq -r .FunctionArn <<<"$out")" "arn:aws:lambda:us-east-1:000000000000:function:my-function" "create-function arn"
want "$(jq -r .State <<<"$out")" "Active" "create-function state"

lam invoke --function-name my-function "${binfmt[@]}" --payload '{"name": "world"}' "$tmp/response.json" >"$tmp/meta.json"
want "$(jq -r .StatusCode "$tmp/meta.json")" "200" "invoke status"
want "$(jq -r .greeting "$tmp/response.json")" "hello world" "invoke response"
want "$(jq -r .fn "$tmp/response.json")" "my-function" "invoke context"

# The documented way to read the log of one invocation.
log=$(lam invoke --function-name my-function "${binfmt[@]}" --payload '{"name": "log"}' "$tmp/r2.json" \
  --log-type Tail --query 'LogResult' --output text | base64 -d)
grep -q 'START RequestId' <<<"$log" || fail "log tail has no START line: $log"
grep -q 'EVENT {"name":"log"}' <<<"$log" || fail "log tail misses the function's output: $log"
grep -q 'REPORT RequestId' <<<"$log" || fail "log tail has no REPORT line: $log"

lam invoke --function-name my-function "${binfmt[@]}" --payload '{"fail": true}' "$tmp/err.json" >"$tmp/meta.json"
want "$(jq -r .FunctionError "$tmp/meta.json")" "Unhandled" "function error"
want "$(jq -r .errorType "$tmp/err.json")" "TypeError" "error type"
want "$(jq -r .errorMessage "$tmp/err.json")" "bad input" "error message"

want "$(lam get-function --function-name my-function | jq -r .Configuration.Runtime)" "nodejs20.x" "get-function"
want "$(lam list-functions | jq -r '.Functions | length')" "1" "list-functions"
lam update-function-configuration --function-name my-function --environment 'Variables={GREETING=hi}' >/dev/null
lam invoke --function-name my-function "${binfmt[@]}" --payload '{"name": "there"}' "$tmp/response.json" >/dev/null
want "$(jq -r .greeting "$tmp/response.json")" "hi there" "after update-function-configuration"

want "$(lam publish-version --function-name my-function | jq -r .Version)" "1" "publish-version"
lam create-alias --function-name my-function --name live --function-version 1 >/dev/null
want "$(lam get-alias --function-name my-function --name live | jq -r .FunctionVersion)" "1" "get-alias"

if lam get-function --function-name missing 2>"$tmp/err"; then fail "get-function of a missing function succeeded"; fi
grep -q 'ResourceNotFoundException' "$tmp/err" || fail "missing function: $(cat "$tmp/err")"

# The HTTP API + Lambda tutorial: quick create with the function as the target.
api=$(gw create-api --name my-http-api --protocol-type HTTP --target arn:aws:lambda:us-east-1:000000000000:function:my-function)
api_id=$(jq -r .ApiId <<<"$api")
lam add-permission --function-name my-function --statement-id apigateway-invoke --action lambda:InvokeFunction \
  --principal apigateway.amazonaws.com --source-arn "arn:aws:execute-api:us-east-1:000000000000:$api_id/*" >/dev/null
lam get-policy --function-name my-function | jq -r .Policy | jq -e '.Statement[0].Principal.Service == "apigateway.amazonaws.com"' >/dev/null \
  || fail "get-policy"
status=$(curl -sS -o "$tmp/body" -w '%{http_code}' "$ENDPOINT/_aws/execute-api/$api_id/pets/1")
want "$status" "200" "data plane through the Lambda integration: $(cat "$tmp/body")"
want "$(jq -r .from "$tmp/body")" "lambda" "data plane body"
want "$(jq -r .path "$tmp/body")" "/pets/1" "data plane path"

lam delete-function --function-name my-function
if lam get-function --function-name my-function 2>/dev/null; then fail "the function survived delete-function"; fi
echo "lambda walk: ok"
