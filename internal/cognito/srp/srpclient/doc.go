// Package srpclient is the client side of Cognito's SRP-6a (USER_SRP_AUTH), for tests and load
// scripts that sign in the way amazon-cognito-identity-js does.
package srpclient
