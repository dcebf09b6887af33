// Package cognitoidp is the awsJson1_1 adapter of the Cognito user-pool API
// (X-Amz-Target "AWSCognitoIdentityProviderService.<Op>"): one thin handler per operation that
// decodes the request, calls the cognito domain service and encodes its answer.
package cognitoidp
