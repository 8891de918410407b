package nscl

import (
	"strings"
	"testing"
)

// One line holds no control character; text over lines may hold tabs and
// line breaks but nothing else; neither may be broken UTF-8 or too long.
func TestCheckText(t *testing.T) {
	for _, c := range []struct {
		text            string
		limit           int
		line, multiline bool // accepted as one line, as multi-line text
	}{
		{"Sở Khoa học và Công nghệ", 100, true, true},
		{"Quận\u00a03", 100, true, true}, // a no-break space is text, not a control
		{"Tập huấn:\n\t- 5S\r\n\t- Kaizen", 100, false, true},
		{"Lớp\x00học", 100, false, false},
		{"\x1b[31mđỏ", 100, false, false},
		{"xóa\x7f", 100, false, false},
		{"C1\u0085", 100, false, false},
		{"Quận \xff3", 100, false, false},
		{"ắắắắắ", 5, true, true}, // five characters, however many bytes
		{"ắắắắắắ", 5, false, false},
	} {
		line, multi := CheckText("name", c.text, c.limit), CheckMultiline("name", c.text, c.limit)
		if (line == nil) != c.line || (multi == nil) != c.multiline {
			t.Errorf("%q: one line %v, multi-line %v; want accepted %v, %v", c.text, line, multi, c.line, c.multiline)
		}
		for _, err := range []error{line, multi} {
			if err != nil && ErrorField(err) != "name" {
				t.Errorf("%q: %v does not name the field", c.text, err)
			}
		}
	}
}

// A search is its words folded, at most MaxSearchWords of them in at most
// MaxSearchText characters; beyond, the field named says why.
func TestSearchWords(t *testing.T) {
	words, err := SearchWords("q", "  Năng SUẤT   chất lượng ")
	if err != nil || strings.Join(words, "|") != "nang|suat|chat|luong" {
		t.Errorf("folded words %q, %v", words, err)
	}
	if words, err := SearchWords("q", ""); err != nil || len(words) != 0 {
		t.Errorf("an empty search: %q, %v", words, err)
	}
	most := strings.Repeat("tư ", MaxSearchWords)
	if words, err := SearchWords("q", most); err != nil || len(words) != MaxSearchWords {
		t.Errorf("%d words: %q, %v", MaxSearchWords, words, err)
	}
	for _, bad := range []string{most + "thêm", strings.Repeat("ắ", MaxSearchText+1), "lớp\x00học"} {
		if _, err := SearchWords("q", bad); ErrorCode(err) != EINVALID || ErrorField(err) != "q" {
			t.Errorf("%.30q…: %v, want EINVALID on q", bad, err)
		}
	}
	if _, err := SearchWords("q", strings.Repeat("ắ", MaxSearchText)); err != nil {
		t.Errorf("%d characters, one word: %v", MaxSearchText, err)
	}
}
