// Package nscl holds the domain of the programme monitoring system: the
// programme with its task groups, indicators and measures; plans and their
// targets; the org-unit tree; activities and the legal documents they cite;
// and the arithmetic that turns yearly totals into the results table.
//
// It imports no storage and no HTTP code. The store, the web server and the
// command line are built around it.
package nscl

import (
	"errors"
	"fmt"
)

// Error codes. The web layer maps each to one HTTP status, the CLI to a
// message; the domain and the store only ever return these.
const (
	EINVALID      = "invalid"      // bad input; Field names what was wrong
	ENOTFOUND     = "not_found"    // a referenced record does not exist
	ECONFLICT     = "conflict"     // the record changed since it was read, or already exists
	EUNAUTHORIZED = "unauthorized" // no valid session or token
	EFORBIDDEN    = "forbidden"    // signed in, but not allowed to do this
	EINTERNAL     = "internal"
)

// Error is an error meant for a person: it names the field at fault and says
// what is wrong in Vietnamese (the default) and in English.
type Error struct {
	Code    string
	Field   string // e.g. "quantities.trainees", "date"; empty when no single field is at fault
	Message string // Vietnamese
	English string
}

func (e *Error) Error() string {
	msg := e.Message + " (" + e.English + ")"
	if e.Field != "" {
		return e.Field + ": " + msg
	}
	return msg
}

// Invalid returns an EINVALID error for field with a Vietnamese and an English message.
func Invalid(field, vi, en string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(vi, args...), English: fmt.Sprintf(en, args...)}
}

// NotFound returns an ENOTFOUND error for field.
func NotFound(field, vi, en string, args ...any) *Error {
	return &Error{Code: ENOTFOUND, Field: field, Message: fmt.Sprintf(vi, args...), English: fmt.Sprintf(en, args...)}
}

// Conflict returns an ECONFLICT error.
func Conflict(field, vi, en string, args ...any) *Error {
	return &Error{Code: ECONFLICT, Field: field, Message: fmt.Sprintf(vi, args...), English: fmt.Sprintf(en, args...)}
}

// Forbidden returns an EFORBIDDEN error.
func Forbidden(vi, en string, args ...any) *Error {
	return &Error{Code: EFORBIDDEN, Message: fmt.Sprintf(vi, args...), English: fmt.Sprintf(en, args...)}
}

// ErrorCode returns the code of err when it is (or wraps) an *Error, and
// EINTERNAL otherwise.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return EINTERNAL
}

// ErrorField returns the field named by err, or "".
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}
