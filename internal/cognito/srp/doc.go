// Package srp implements the server side of Amazon Cognito's flavour of SRP-6a (USER_SRP_AUTH), as pure functions with no I/O.
package srp
