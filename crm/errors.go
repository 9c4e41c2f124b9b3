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
type Error struct {
	Code    Code
	Message string
	// Fields maps form field names to what is wrong with them.
	Fields map[string]string
	// RetryAfter says when to try again (ETooMany, EUnavailable).
	RetryAfter time.Duration
}

// Error implements error.
func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
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
	return e.Message + " (" + strings.Join(parts, "; ") + ")"
}

// Errorf returns an *Error of the given kind.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
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

// ErrorMessage returns the user-safe message of err, or "" for an internal error.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return ""
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
