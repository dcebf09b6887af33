// Package filter parses and evaluates the Filter expression of Cognito's ListUsers operation.
//
// A filter has the form
//
//	AttributeName Filter-Type "AttributeValue"
//
// where Filter-Type is "=" (exact match) or "^=" (prefix, "starts with") and the value is
// always double-quoted, with a quotation mark (or backslash) inside it escaped by a
// backslash: family_name = "O\"Brien". Whitespace (space, tab, CR, LF) is optional around
// the name, the operator and the value, so email="a@b.c" and email = "a@b.c" are the same
// filter. Only one attribute can be searched at a time, and only the standard attributes
// reported by Searchable; custom attributes are not searchable. The empty string means "no
// filter".
//
// Errors are *awserr.Error values of type InvalidParameterException:
//
//   - "Error while parsing filter." for any syntax error. This is the message real Cognito
//     returns (quoted verbatim in aws/aws-sdk-php#1088 and
//     aws/aws-aspnet-cognito-identity-provider#235).
//   - "Invalid search attribute: <name>" for a well-formed filter on an attribute that is not
//     searchable, e.g. custom:tier. This wording comes from moto's ListUsers tests
//     (getmoto/moto#4407); it has not been confirmed against real Cognito.
//
// Case sensitivity follows the ListUsers API reference: username and status are compared
// exactly, every other searchable attribute (cognito:user_status, email, names, sub, …) is
// compared case-insensitively, which also matches the developer guide's statement that
// searches are case-insensitive. Normalize is the single definition of that rule; a storage
// index and Filter.Match must both use it so that an index lookup and an in-memory scan agree.
package filter
