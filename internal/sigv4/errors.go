package sigv4

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
)

// Every client-visible message this package produces lives in this file.
//
// Wording follows what AWS services return. Sources, per message:
//   - [A] API Gateway (execute-api) responses quoted in public bug reports: 403 with
//     {"message":"Missing Authentication Token"}, 403 IncompleteSignatureException
//     "Authorization header requires 'Credential' parameter. ... Authorization=<header>",
//     403 InvalidSignatureException with "The Canonical String for this request should have
//     been ..." appended (aws/chalice#828, mhart/aws4#33, amzn/selling-partner-api-models#113).
//   - [C] Coral/awsJson services (DynamoDB as recorded by mhart/dynalite's validation notes,
//     EMR, SageMaker, Cognito user pools quoted in SDK issues): "Request is missing
//     Authentication Token", "Found both ...", "Date must be in ISO-8601 'basic format'...",
//     "'Host' must be a 'SignedHeader'...", "Unsupported AWS 'algorithm'...",
//     "Credential must have exactly 5 slash-delimited elements...", the "Credential should be
//     scoped ..." family, "AWS query-string parameters must include ...", and 400 statuses for
//     cognito-idp (laravel-aws-cognito-auth#18, aws/aws-sdk-php#2444).
//   - [T] Clock-skew messages seen verbatim from AWS ("Signature expired: 20141106T010406Z is
//     now earlier than 20141106T011252Z (20141106T011752Z - 5 min.)" and "Signature not yet
//     current: ... is still later than ... (... + 5 min.)"; 15 min. for JSON services).
//   - [S] Amazon S3's presigned-URL messages for X-Amz-Expires (no non-S3 source found).
const (
	// [A] API Gateway front door.
	msgMissingAuthTokenAPIGW = "Missing Authentication Token"
	// [C] Coral services (DynamoDB, and assumed for cognito-idp).
	msgMissingAuthTokenCoral = "Request is missing Authentication Token"

	// [C]
	msgFoundBoth = "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header."

	// [A][C] Each clause ends in ". "; the header itself is appended after "Authorization=".
	msgHeaderRequiresParam = "Authorization header requires '%s' parameter. "
	msgHeaderRequiresDate  = "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
	msgHeaderEcho          = "Authorization="
	// [C] Real responses from DynamoDB, CloudFormation and Cloud9.
	msgNotKeyValue = "'%s' not a valid key=value pair (missing equal-sign) in Authorization header: '%s'."

	// [C]
	msgQueryRequiresParam = "AWS query-string parameters must include '%s'. "
	msgQueryReexamine     = "Re-examine the query-string parameters."

	// [C]
	msgBadDate = "Date must be in ISO-8601 'basic format'. Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601"
	// [S]
	msgExpiresNotNumber = "X-Amz-Expires should be a number"
	msgExpiresNegative  = "X-Amz-Expires must be non-negative"
	msgExpiresTooLarge  = "X-Amz-Expires must be less than a week (in seconds) that is 604800"

	// [T] The skew and presign-expiry windows share this wording; %s are ISO-8601 basic
	// timestamps and the allowed window ("15 min" or "900 sec").
	msgSignatureExpired    = "Signature expired: %s is now earlier than %s (%s - %s.)"
	msgSignatureNotCurrent = "Signature not yet current: %s is still later than %s (%s + %s.)"

	// [C]
	msgHostNotSigned        = "'Host' must be a 'SignedHeader' in the AWS Authorization."
	msgUnsupportedAlgorithm = "Unsupported AWS 'algorithm': '%s' (only AWS4-HMAC-SHA256 for now). "
	msgCredentialParts      = "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '%s'"

	// [C] Scope clauses, concatenated when several fail.
	msgScopeRegion     = "Credential should be scoped to a valid region, not '%s'. "
	msgScopeService    = "Credential should be scoped to correct service: '%s'. "
	msgScopeTerminator = "Credential should be scoped with a valid terminator: 'aws4_request', not '%s'. "
	msgScopeDate       = "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'."

	// [C] Cognito, Lambda, CloudWatch Logs: unknown access key or a bad/missing session token.
	msgInvalidToken = "The security token included in the request is invalid."

	// [A][C]
	msgSignatureMismatch = "The request signature we calculated does not match the signature you provided. " +
		"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	msgMismatchDetail = "\n\nThe Canonical String for this request should have been\n'%s'\n\nThe String-to-Sign should have been\n'%s'\n"
)

// dialect captures how one AWS front end words and codes signature failures.
type dialect struct {
	// status is set on every *awserr.Error this package returns.
	status int
	// missingMsg is the MissingAuthenticationTokenException message.
	missingMsg string
	// foreignIsMissing treats an Authorization header that does not start with "AWS4-" as a
	// missing token (Coral) instead of parsing it as an incomplete SigV4 header (API Gateway).
	foreignIsMissing bool
	// detail appends the expected canonical request and string-to-sign to mismatches.
	detail bool
}

var (
	// apiGatewayDialect is API Gateway's: everything is 403 [A].
	apiGatewayDialect = dialect{status: http.StatusForbidden, missingMsg: msgMissingAuthTokenAPIGW, detail: true}
	// cognitoDialect is the awsJson1_1 Cognito user-pools front end: 400, and no canonical-string
	// detail on mismatches [C].
	cognitoDialect = dialect{status: http.StatusBadRequest, missingMsg: msgMissingAuthTokenCoral, foreignIsMissing: true}
)

// dialectFor picks the error dialect for the service a request is verified for. Services other
// than cognito-idp (execute-api, apigateway, lambda) answer like API Gateway with 403s.
func dialectFor(service string) dialect {
	if service == "cognito-idp" {
		return cognitoDialect
	}
	return apiGatewayDialect
}

func (d dialect) err(typ, msg string) *awserr.Error {
	return &awserr.Error{Type: typ, Message: msg, Status: d.status}
}

func (d dialect) errf(typ, format string, args ...any) *awserr.Error {
	return d.err(typ, fmt.Sprintf(format, args...))
}

func (d dialect) missingToken() *awserr.Error { return d.err(awserr.MissingAuthToken, d.missingMsg) }

func (d dialect) foundBoth() *awserr.Error { return d.err(awserr.InvalidSignature, msgFoundBoth) }

// incompleteHeader lists the missing Authorization parameters, then echoes the header.
func (d dialect) incompleteHeader(missing []string, noDate bool, header string) *awserr.Error {
	var b strings.Builder
	for _, p := range missing {
		fmt.Fprintf(&b, msgHeaderRequiresParam, p)
	}
	if noDate {
		b.WriteString(msgHeaderRequiresDate)
	}
	b.WriteString(msgHeaderEcho)
	b.WriteString(header)
	return d.err(awserr.IncompleteSignature, b.String())
}

func (d dialect) notKeyValue(token, header string) *awserr.Error {
	return d.errf(awserr.IncompleteSignature, msgNotKeyValue, token, header)
}

func (d dialect) incompleteQuery(missing []string) *awserr.Error {
	var b strings.Builder
	for _, p := range missing {
		fmt.Fprintf(&b, msgQueryRequiresParam, p)
	}
	b.WriteString(msgQueryReexamine)
	return d.err(awserr.IncompleteSignature, b.String())
}

func (d dialect) badDate(got string) *awserr.Error {
	return d.errf(awserr.IncompleteSignature, msgBadDate, got)
}

// badExpires reports an unusable X-Amz-Expires; msg is one of the msgExpires* constants.
func (d dialect) badExpires(msg string) *awserr.Error {
	return d.err(awserr.IncompleteSignature, msg)
}

// expired reports a request dated before now-window (window is MaxSkew, or X-Amz-Expires for
// presigned requests).
func (d dialect) expired(signed, now time.Time, window time.Duration) *awserr.Error {
	return d.errf(awserr.InvalidSignature, msgSignatureExpired,
		formatAmzDate(signed), formatAmzDate(now.Add(-window)), formatAmzDate(now), formatWindow(window))
}

// notYetCurrent reports a request dated after now+window.
func (d dialect) notYetCurrent(signed, now time.Time, window time.Duration) *awserr.Error {
	return d.errf(awserr.InvalidSignature, msgSignatureNotCurrent,
		formatAmzDate(signed), formatAmzDate(now.Add(window)), formatAmzDate(now), formatWindow(window))
}

// formatWindow renders a window the way AWS does: "15 min", or "90 sec" when not whole minutes.
func formatWindow(w time.Duration) string {
	secs := int64(w / time.Second)
	if secs%60 == 0 {
		return fmt.Sprintf("%d min", secs/60)
	}
	return fmt.Sprintf("%d sec", secs)
}

func (d dialect) hostNotSigned() *awserr.Error {
	return d.err(awserr.InvalidSignature, msgHostNotSigned)
}

func (d dialect) unsupportedAlgorithm(alg string) *awserr.Error {
	return d.errf(awserr.IncompleteSignature, msgUnsupportedAlgorithm, alg)
}

func (d dialect) credentialParts(cred string) *awserr.Error {
	return d.errf(awserr.IncompleteSignature, msgCredentialParts, cred)
}

// badScope reports every failed credential-scope clause at once, as AWS does.
func (d dialect) badScope(clauses string) *awserr.Error {
	return d.err(awserr.InvalidSignature, clauses)
}

func (d dialect) invalidToken() *awserr.Error {
	return d.err(awserr.UnrecognizedClient, msgInvalidToken)
}

func (d dialect) mismatch(canonicalRequest, stringToSign string) *awserr.Error {
	if !d.detail {
		return d.err(awserr.InvalidSignature, msgSignatureMismatch)
	}
	return d.err(awserr.InvalidSignature, msgSignatureMismatch+fmt.Sprintf(msgMismatchDetail, canonicalRequest, stringToSign))
}
