package nscl

import (
	"unicode"
	"unicode/utf8"
)

// CheckText refuses a one-line text (a name, a title, a code) longer than
// limit characters, not valid UTF-8, or holding a control character:
// PostgreSQL stores neither NUL nor broken UTF-8, and the other control
// characters are invisible on a page yet break a header, a sheet cell or a
// footnote.
func CheckText(field, s string, limit int) error {
	return checkText(field, s, limit, false)
}

// CheckMultiline is CheckText for text that runs over lines (a
// description, a comment): tabs and line breaks are allowed.
func CheckMultiline(field, s string, limit int) error {
	return checkText(field, s, limit, true)
}

func checkText(field, s string, limit int, multiline bool) error {
	if !utf8.ValidString(s) {
		return Invalid(field, "không phải văn bản UTF-8 hợp lệ", "is not valid UTF-8 text")
	}
	for _, r := range s {
		if multiline && (r == '\t' || r == '\n' || r == '\r') {
			continue
		}
		if unicode.IsControl(r) {
			return Invalid(field, "có ký tự điều khiển %U, không được phép", "holds the control character %U, which is not allowed", r)
		}
	}
	if utf8.RuneCountInString(s) > limit {
		return Invalid(field, "dài quá %d ký tự", "longer than %d characters", limit)
	}
	return nil
}
