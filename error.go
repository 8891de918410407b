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
	"strings"
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

// Required returns the EINVALID error of a required field left blank: the
// word a form prints beside it, "bắt buộc".
func Required(field string) *Error {
	return &Error{Code: EINVALID, Field: field, Message: "bắt buộc", English: "required"}
}

// blank reports whether a person left s empty: nothing but spaces counts
// as nothing.
func blank(s string) bool { return strings.TrimSpace(s) == "" }

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

// Errors is every mistake found in one record, at most one per field, in
// the order they were found, so that a form can show each beside its field
// at once. Code that reads one error sees the first: errors.As finds it as
// an *Error, and ErrorCode and ErrorField answer with its code and field.
type Errors []*Error

func (es Errors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "; ")
}

// Unwrap gives errors.As the mistakes, first first.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Add keeps what a check returned — nil, an *Error or Errors — for the
// fields that have no mistake yet: the first found for a field is the one
// its form shows. Any other error is a fault, not a mistake: it is kept as
// an EINTERNAL one, which pages and the API do not show as typed.
func (es *Errors) Add(err error) {
	if err == nil {
		return
	}
	for _, e := range ErrorList(err) {
		if !es.Has(e.Field) || e.Field == "" {
			*es = append(*es, e)
		}
	}
	if ErrorList(err) == nil {
		*es = append(*es, &Error{Code: EINTERNAL, Message: err.Error(), English: err.Error()})
	}
}

// Has reports whether field already has a mistake.
func (es Errors) Has(field string) bool {
	for _, e := range es {
		if e.Field == field {
			return true
		}
	}
	return false
}

// Err is nil when no mistake was found, the mistake itself when one was,
// and all of them otherwise.
func (es Errors) Err() error {
	switch len(es) {
	case 0:
		return nil
	case 1:
		return es[0]
	}
	return es
}

// ErrorList returns the mistakes err holds: every one of an Errors, or
// the one *Error; nil for nil or an error of another kind.
func ErrorList(err error) Errors {
	var list Errors
	if errors.As(err, &list) {
		return list
	}
	var e *Error
	if errors.As(err, &e) {
		return Errors{e}
	}
	return nil
}
