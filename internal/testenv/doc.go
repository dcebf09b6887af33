// Package testenv starts a real Gatehouse for tests (through internal/app, on an ephemeral
// loopback port) and hands out AWS SDK clients pointed at it, plus helpers to read the codes
// the server delivered.
package testenv
