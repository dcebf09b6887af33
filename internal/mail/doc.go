// Package mail sends Gatehouse's outbound email (verification codes, invitations, password
// resets) through a Mailer, with an SMTP implementation built on github.com/wneessen/go-mail.
package mail
