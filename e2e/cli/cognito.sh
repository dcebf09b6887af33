#!/usr/bin/env bash
# End-to-end walk through the Cognito user-pool API with the aws CLI, as AWS's tutorials do:
# pool → app client → sign-up → confirm (code read from /_gatehouse/messages) → admin
# operations → groups → password reset → sign-in (initiate-auth, admin-initiate-auth, the
# NEW_PASSWORD_REQUIRED challenge, refresh) → get-user → global-sign-out.
# Usage: cognito.sh <aws-binary> <endpoint-url>
set -euo pipefail
AWS_BIN=${1:?aws binary}
ENDPOINT=${2:?endpoint url}
export AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-test} AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-test}
export AWS_DEFAULT_REGION=us-east-1 AWS_PAGER="" AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
idp() { "$AWS_BIN" --endpoint-url "$ENDPOINT" --output json cognito-idp "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
want() { [ "$1" = "$2" ] || fail "$3: got '$1', want '$2'"; }

echo "== $("$AWS_BIN" --version 2>&1)"
pool=$(idp create-user-pool --pool-name cli-pool --auto-verified-attributes email \
  --username-attributes email \
  --policies 'PasswordPolicy={MinimumLength=10,RequireUppercase=true,RequireLowercase=true,RequireNumbers=true,RequireSymbols=false}' \
  --schema Name=email,Required=true,Mutable=true Name=team,AttributeDataType=String,Mutable=true \
  --user-pool-tags env=ci | jq -r .UserPool.Id)
[[ $pool =~ ^us-east-1_[A-Za-z0-9]{9}$ ]] || fail "pool id $pool"
want "$(idp describe-user-pool --user-pool-id "$pool" | jq -r .UserPool.Policies.PasswordPolicy.MinimumLength)" 10 "minimum length"
want "$(idp list-user-pools --max-results 10 | jq -r --arg p "$pool" '[.UserPools[] | select(.Id==$p)] | length')" 1 "list-user-pools"

client=$(idp create-user-pool-client --user-pool-id "$pool" --client-name cli-web \
  --explicit-auth-flows ALLOW_USER_SRP_AUTH ALLOW_USER_PASSWORD_AUTH ALLOW_ADMIN_USER_PASSWORD_AUTH ALLOW_REFRESH_TOKEN_AUTH | jq -r .UserPoolClient.ClientId)
[ ${#client} -eq 26 ] || fail "client id $client"

out=$(idp sign-up --client-id "$client" --username carol@example.com --password 'CorrectHorse9' \
  --user-attributes Name=custom:team,Value=blue)
want "$(jq -r .UserConfirmed <<<"$out")" false "UserConfirmed"
want "$(jq -r .CodeDeliveryDetails.DeliveryMedium <<<"$out")" EMAIL "delivery medium"
sub=$(jq -r .UserSub <<<"$out")

# A weak password is refused with AWS's error.
if err=$(idp sign-up --client-id "$client" --username dave@example.com --password 'short' 2>&1); then fail "weak password accepted"; fi
grep -q "InvalidPasswordException" <<<"$err" || fail "weak password error: $err"

code=$(curl -fsS "$ENDPOINT/_gatehouse/messages?userPoolId=$pool&username=carol@example.com" | jq -r '.messages[0].code')
[[ $code =~ ^[0-9]{6}$ ]] || fail "code $code"
if err=$(idp confirm-sign-up --client-id "$client" --username carol@example.com --confirmation-code 000000 2>&1); then fail "wrong code accepted"; fi
grep -q "CodeMismatchException" <<<"$err" || fail "wrong code error: $err"
idp confirm-sign-up --client-id "$client" --username carol@example.com --confirmation-code "$code" >/dev/null

user=$(idp admin-get-user --user-pool-id "$pool" --username carol@example.com)
want "$(jq -r .UserStatus <<<"$user")" CONFIRMED "status after confirm"
want "$(jq -r .Username <<<"$user")" "$sub" "username is the sub"
want "$(jq -r '.UserAttributes[] | select(.Name=="email_verified") | .Value' <<<"$user")" true "email_verified"

# Admin operations.
idp admin-create-user --user-pool-id "$pool" --username erin@example.com \
  --user-attributes Name=email,Value=erin@example.com Name=name,Value=Erin --message-action SUPPRESS >/dev/null
want "$(idp admin-get-user --user-pool-id "$pool" --username erin@example.com | jq -r .UserStatus)" FORCE_CHANGE_PASSWORD "admin-created status"
idp admin-set-user-password --user-pool-id "$pool" --username erin@example.com --password 'AnotherGood9Pass' --permanent
want "$(idp admin-get-user --user-pool-id "$pool" --username erin@example.com | jq -r .UserStatus)" CONFIRMED "after set password"
idp admin-update-user-attributes --user-pool-id "$pool" --username erin@example.com --user-attributes Name=name,Value=Erin2
want "$(idp list-users --user-pool-id "$pool" --filter 'name = "Erin2"' | jq -r '.Users | length')" 1 "list-users filter"
want "$(idp list-users --user-pool-id "$pool" | jq -r '.Users | length')" 2 "list-users"
idp admin-disable-user --user-pool-id "$pool" --username erin@example.com
want "$(idp admin-get-user --user-pool-id "$pool" --username erin@example.com | jq -r .Enabled)" false "disabled"
idp admin-enable-user --user-pool-id "$pool" --username erin@example.com

# Groups.
idp create-group --user-pool-id "$pool" --group-name admins --precedence 1 --description "Admins" >/dev/null
idp admin-add-user-to-group --user-pool-id "$pool" --username carol@example.com --group-name admins
want "$(idp admin-list-groups-for-user --user-pool-id "$pool" --username carol@example.com | jq -r '.Groups[0].GroupName')" admins "groups for user"
want "$(idp list-users-in-group --user-pool-id "$pool" --group-name admins | jq -r '.Users[0].Username')" "$sub" "users in group"
idp admin-remove-user-from-group --user-pool-id "$pool" --username carol@example.com --group-name admins
want "$(idp list-users-in-group --user-pool-id "$pool" --group-name admins | jq -r '.Users | length')" 0 "group emptied"
idp delete-group --user-pool-id "$pool" --group-name admins

# Password reset by code.
idp forgot-password --client-id "$client" --username carol@example.com >/dev/null
code=$(curl -fsS "$ENDPOINT/_gatehouse/messages?userPoolId=$pool&username=carol@example.com" | jq -r '.messages[0].code')
idp confirm-forgot-password --client-id "$client" --username carol@example.com --confirmation-code "$code" --password 'BrandNewPass9'

# Sign-in as the tutorials do it: initiate-auth, admin-initiate-auth, refresh.
auth=$(idp initiate-auth --client-id "$client" --auth-flow USER_PASSWORD_AUTH \
  --auth-parameters USERNAME=carol@example.com,PASSWORD=BrandNewPass9)
want "$(jq -r .AuthenticationResult.TokenType <<<"$auth")" Bearer "initiate-auth token type"
refresh=$(jq -r .AuthenticationResult.RefreshToken <<<"$auth")
access=$(jq -r .AuthenticationResult.AccessToken <<<"$auth")
idtoken=$(jq -r .AuthenticationResult.IdToken <<<"$auth")
payload=$(cut -d. -f2 <<<"$idtoken" | tr '_-' '/+')
while [ $(( ${#payload} % 4 )) -ne 0 ]; do payload="$payload="; done
want "$(base64 -d <<<"$payload" | jq -r '."cognito:username"')" "$sub" "id token cognito:username"
if err=$(idp initiate-auth --client-id "$client" --auth-flow USER_PASSWORD_AUTH \
  --auth-parameters USERNAME=carol@example.com,PASSWORD=wrong 2>&1); then fail "wrong password accepted"; fi
grep -q "NotAuthorizedException" <<<"$err" || fail "wrong password error: $err"
want "$(idp admin-initiate-auth --user-pool-id "$pool" --client-id "$client" --auth-flow ADMIN_USER_PASSWORD_AUTH \
  --auth-parameters USERNAME=erin@example.com,PASSWORD=AnotherGood9Pass | jq -r '.AuthenticationResult.AccessToken | length > 100')" true "admin-initiate-auth"
ref=$(idp initiate-auth --client-id "$client" --auth-flow REFRESH_TOKEN_AUTH --auth-parameters "REFRESH_TOKEN=$refresh")
want "$(jq -r '.AuthenticationResult.RefreshToken // "none"' <<<"$ref")" none "refresh returns no new refresh token"
want "$(jq -r '.AuthenticationResult.IdToken | length > 100' <<<"$ref")" true "refreshed id token"
jwks=$(curl -fsS "$ENDPOINT/$pool/.well-known/jwks.json")
want "$(jq -r '.keys | length' <<<"$jwks")" 2 "jwks keys (id and access)"

# An admin-created user signs in with the temporary password and must choose a new one.
idp admin-create-user --user-pool-id "$pool" --username frank@example.com --temporary-password 'TempPass9word' \
  --user-attributes Name=email,Value=frank@example.com --message-action SUPPRESS >/dev/null
challenge=$(idp admin-initiate-auth --user-pool-id "$pool" --client-id "$client" --auth-flow ADMIN_USER_PASSWORD_AUTH \
  --auth-parameters USERNAME=frank@example.com,PASSWORD=TempPass9word)
want "$(jq -r .ChallengeName <<<"$challenge")" NEW_PASSWORD_REQUIRED "challenge for a temporary password"
session=$(jq -r .Session <<<"$challenge")
[ -n "$session" ] && [ "$session" != null ] || fail "no session with the challenge: $challenge"
answer=$(idp respond-to-auth-challenge --client-id "$client" --challenge-name NEW_PASSWORD_REQUIRED \
  --challenge-responses USERNAME=frank@example.com,NEW_PASSWORD=FreshPass9word --session "$session")
want "$(jq -r '.AuthenticationResult.AccessToken | length > 100' <<<"$answer")" true "tokens after NEW_PASSWORD_REQUIRED"
want "$(idp admin-get-user --user-pool-id "$pool" --username frank@example.com | jq -r .UserStatus)" CONFIRMED "status after the new password"
want "$(idp initiate-auth --client-id "$client" --auth-flow USER_PASSWORD_AUTH \
  --auth-parameters USERNAME=frank@example.com,PASSWORD=FreshPass9word | jq -r '.AuthenticationResult.IdToken | length > 100')" true "sign-in with the new password"

# The access token authorizes the user's own operations until global-sign-out revokes every
# token of the user: the refresh token stops working.
me=$(idp get-user --access-token "$access")
want "$(jq -r .Username <<<"$me")" "$sub" "get-user username"
want "$(jq -r '.UserAttributes[] | select(.Name=="email") | .Value' <<<"$me")" carol@example.com "get-user email"
idp global-sign-out --access-token "$access"
if err=$(idp initiate-auth --client-id "$client" --auth-flow REFRESH_TOKEN_AUTH --auth-parameters "REFRESH_TOKEN=$refresh" 2>&1); then
  fail "refresh token accepted after global-sign-out"
fi
grep -q "NotAuthorizedException" <<<"$err" || fail "refresh after global-sign-out error: $err"
if err=$(idp get-user --access-token "$access" 2>&1); then fail "access token accepted after global-sign-out"; fi
grep -q "NotAuthorizedException" <<<"$err" || fail "get-user after global-sign-out error: $err"

# Errors surface as the CLI reports AWS errors.
if err=$(idp admin-get-user --user-pool-id "$pool" --username nobody 2>&1); then fail "unknown user found"; fi
grep -q "UserNotFoundException" <<<"$err" || fail "unknown user error: $err"
if err=$(idp describe-user-pool --user-pool-id us-east-1_doesnotexist 2>&1); then fail "unknown pool found"; fi
grep -q "ResourceNotFoundException" <<<"$err" || fail "unknown pool error: $err"

idp admin-delete-user --user-pool-id "$pool" --username erin@example.com
idp delete-user-pool-client --user-pool-id "$pool" --client-id "$client"
idp delete-user-pool --user-pool-id "$pool"
echo "PASS: cognito-idp CLI walk with $AWS_BIN"
