// Package crm holds Rapport's domain operations that HTTP handlers and the
// command line share: users, contacts, interactions, outlets, demo data. It
// never imports echo; it speaks in ent records and the error kinds below.
package crm

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/ent"
)

// Code is the kind of an error, which the HTTP layer maps to a status.
type Code string

// The error kinds. Anything else is internal.
const (
	EInvalid      Code = "invalid"
	ENotFound     Code = "not_found"
	EConflict     Code = "conflict"
	EForbidden    Code = "forbidden"
	EUnauthorized Code = "unauthorized"
	ETooMany      Code = "too_many_requests"
	EUnavailable  Code = "unavailable"
	EInternal     Code = "internal"
)

// Error is an error a user may read: its Message and Fields are safe to show.
// Message is a message ID (its English text); what it says of a record (a
// name, a number) is in Args, filling its {{.Placeholders}}, so that the ID
// stays one catalogue entry and nothing a user typed becomes part of it.
type Error struct {
	Code    Code
	Message string
	Args    []any // name, value pairs for Message's placeholders
	// Fields maps form field names to what is wrong with them.
	Fields map[string]string
	// RetryAfter says when to try again (ETooMany, EUnavailable).
	RetryAfter time.Duration
}

// Error implements error: the message in English, its placeholders filled.
func (e *Error) Error() string {
	msg := fillArgs(e.Message, e.Args)
	if len(e.Fields) == 0 {
		return msg
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + e.Fields[k]
	}
	return msg + " (" + strings.Join(parts, "; ") + ")"
}

// fillArgs replaces msg's {{.Name}} placeholders by the values of kv.
func fillArgs(msg string, kv []any) string {
	for i := 0; i+1 < len(kv); i += 2 {
		msg = strings.ReplaceAll(msg, "{{."+fmt.Sprint(kv[i])+"}}", fmt.Sprint(kv[i+1]))
	}
	return msg
}

// Errorf returns an *Error of the given kind.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// NewError returns an *Error of the given kind whose message ID msg has
// {{.Name}} placeholders that kv (name, value pairs) fill.
func NewError(code Code, msg string, kv ...any) *Error {
	return &Error{Code: code, Message: msg, Args: kv}
}

// ErrorCode returns the kind of err: the Code of an *Error in its chain, not
// found for ent's not-found, conflict for a constraint error, else internal.
func ErrorCode(err error) Code {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	case ent.IsNotFound(err):
		return ENotFound
	case ent.IsConstraintError(err):
		return EConflict
	}
	return EInternal
}

// ErrorMessage returns the user-safe message of err, or "" for an internal
// error: a message ID, or, when it has placeholders, its English text with
// them filled (UserMessage keeps them apart, for a translation).
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return fillArgs(e.Message, e.Args)
	}
	return ""
}

// UserMessage returns the user-safe message ID of err and the name, value
// pairs that fill its placeholders ("" for an internal error).
func UserMessage(err error) (string, []any) {
	var e *Error
	if errors.As(err, &e) {
		return e.Message, e.Args
	}
	return "", nil
}

// FieldErrors collects validation messages by field name.
type FieldErrors map[string]string

// Add records msg for field unless the field already has a message.
func (f FieldErrors) Add(field, msg string) {
	if _, ok := f[field]; !ok {
		f[field] = msg
	}
}

// Err returns an EInvalid *Error when any field has a message, else nil.
func (f FieldErrors) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Code: EInvalid, Message: "Please correct the marked fields.", Fields: f}
}
