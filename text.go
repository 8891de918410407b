package nscl

import (
	"strings"
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

// Bounds of a free-text search (the materials library, the activity list):
// each word is one more LIKE over every row the other filters leave, so
// what a visitor types must not make a query grow without end. A
// Vietnamese word is a syllable between spaces ("năng suất" is two), so
// 16 leave room for a phrase or a short description pasted whole.
const (
	MaxSearchText  = 200
	MaxSearchWords = 16
)

// SearchWords returns the words a search looks for, folded as SearchKey
// folds the text it searches, or EINVALID on field for a search longer
// than MaxSearchText characters, with more than MaxSearchWords words, or
// holding a control character.
func SearchWords(field, text string) ([]string, error) {
	if err := CheckText(field, text, MaxSearchText); err != nil {
		return nil, err
	}
	words := strings.Fields(SearchKey(text))
	if len(words) > MaxSearchWords {
		return nil, Invalid(field, "tìm nhiều quá %d từ; hãy bớt từ", "more than %d words to search for; use fewer", MaxSearchWords)
	}
	return words, nil
}
