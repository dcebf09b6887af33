// Package cognito is the user-pool domain: pools and their settings, app clients and their
// secrets, users (attributes, statuses, aliases, passwords as SRP verifiers), groups, resource
// servers, domains, tags, one-time codes and self-service sign-up. It takes and returns values
// (with AWS member names as JSON tags, because the Cognito data model is AWS's), returns
// *awserr.Error for every client-visible failure, and knows nothing about HTTP or SQL.
package cognito
