// Package outbox delivers the messages user pools send (email over SMTP when configured; SMS and
// unconfigured email are logged) and, for development, keeps a copy of each in storage so
// /_gatehouse/messages can show codes and invitations to tests.
package outbox
