package sheet

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// xmlScanner reads the raw tokens of an XML part — start and end elements
// by their local name, with their attributes, and character data with its
// references decoded — as encoding/xml's RawToken gives them, and refuses
// what it refuses, without making a value for each token: a worksheet of
// 100.000 rows is read three times for each import (the archive's check and
// the two passes), and RawToken was a third of an .xlsx import's time.
// Comments, processing instructions and directives are passed over.
// What a token holds is valid until the next call to next.
type xmlScanner struct {
	src    io.Reader
	buf    []byte // what was read and not yet scanned is buf[pos:end]
	pos    int
	end    int
	eof    bool
	read   int64 // bytes read from src before buf[0]
	closes bool  // a start element closed itself ("<c/>"): its end, of the same name, comes next

	kind  tokenKind
	name  []byte    // the local name of a start or end element
	attrs []xmlAttr // a start element's attributes
	text  []byte    // character data
	value []byte    // where decoded text and values are built
}

type tokenKind int

const (
	startElement tokenKind = iota + 1
	endElement
	charData
)

type xmlAttr struct {
	name  []byte // local name
	value []byte
}

func newXMLScanner(r io.Reader) *xmlScanner {
	return &xmlScanner{src: r, buf: make([]byte, 64<<10)}
}

// offset is the number of bytes before the next token: after the one read last.
func (s *xmlScanner) offset() int64 { return s.read + int64(s.pos) }

// attr is the value of the start element's attribute of that local name,
// "" when it has none.
func (s *xmlScanner) attr(local string) string {
	for _, a := range s.attrs {
		if string(a.name) == local {
			return string(a.value)
		}
	}
	return ""
}

// next reads the next token; io.EOF at the end of the input.
func (s *xmlScanner) next() error {
	if s.closes {
		s.closes, s.kind = false, endElement // name is still the start element's
		return nil
	}
	for {
		if err := s.fill(1); err != nil {
			return err
		}
		if s.buf[s.pos] != '<' {
			return s.charData()
		}
		if err := s.fill(2); err != nil {
			return unexpectedEOF(err)
		}
		switch s.buf[s.pos+1] {
		case '/':
			return s.endTag()
		case '?':
			if err := s.procInst(); err != nil {
				return err
			}
		case '!':
			skipped, err := s.markup()
			if !skipped || err != nil {
				return err
			}
		default:
			return s.startTag()
		}
	}
}

// fill makes at least n bytes of the current token available from pos,
// reading more and moving what is left to the start of the buffer; it
// fails past maxToken bytes for one token, and with io.EOF when the input
// ends before n bytes.
func (s *xmlScanner) fill(n int) error {
	for s.end-s.pos < n {
		if s.eof {
			return io.EOF
		}
		if n > maxToken+16 {
			return errTokenTooLong
		}
		if s.pos > 0 {
			copy(s.buf, s.buf[s.pos:s.end])
			s.read += int64(s.pos)
			s.end -= s.pos
			s.pos = 0
		}
		if s.end == len(s.buf) {
			s.buf = append(s.buf, make([]byte, len(s.buf))...)
		}
		m, err := s.src.Read(s.buf[s.end:])
		s.end += m
		if err == io.EOF {
			s.eof = true
		} else if err != nil {
			return err
		}
	}
	return nil
}

// find returns the index, from pos, of the first sep at or after from,
// reading more as needed; -1 at the end of the input, errTokenTooLong past
// maxToken bytes.
func (s *xmlScanner) find(from int, sep string) (int, error) {
	for {
		if i := bytes.Index(s.buf[s.pos+from:s.end], []byte(sep)); i >= 0 {
			if from+i > maxToken {
				return 0, errTokenTooLong
			}
			return from + i, nil
		}
		if s.eof {
			return -1, nil
		}
		from = max(from, s.end-s.pos-len(sep)+1)
		if err := s.fill(s.end - s.pos + 1); err != nil && err != io.EOF {
			return 0, err
		}
	}
}

// procInst passes over a processing instruction; of the XML declaration,
// it refuses what encoding/xml refuses: a version other than 1.0, an
// encoding other than UTF-8.
func (s *xmlScanner) procInst() error {
	i, err := s.find(2, "?>")
	if err != nil {
		return err
	}
	if i < 0 {
		return io.ErrUnexpectedEOF
	}
	content := s.buf[s.pos+2 : s.pos+i]
	n := nameLen(content)
	if !validName(content[:n]) {
		return syntaxError("expected target name after <?")
	}
	if target, rest := content[:n], content[n:]; string(target) == "xml" {
		if v := pseudoAttr(rest, "version"); v != "" && v != "1.0" {
			return syntaxError("unsupported version " + strconv.Quote(v) + "; only version 1.0 is supported")
		}
		if enc := pseudoAttr(rest, "encoding"); enc != "" && !strings.EqualFold(enc, "utf-8") {
			return fmt.Errorf("xml: encoding %q declared but Decoder.CharsetReader is nil", enc)
		}
	}
	s.pos += i + 2
	return nil
}

// pseudoAttr is the value of name="…" (or '…') in an XML declaration, ""
// when absent. Like encoding/xml, it looks for the name, '=' and a quote
// side by side, at the first place they are.
func pseudoAttr(content []byte, name string) string {
	key := []byte(name + "=")
	for rest := content; ; {
		i := bytes.Index(rest, key)
		if i < 0 || i+len(key) >= len(rest) {
			return ""
		}
		rest = rest[i+len(key):]
		if q := rest[0]; q == '"' || q == '\'' {
			end := bytes.IndexByte(rest[1:], q)
			if end < 0 {
				return ""
			}
			return string(rest[1 : 1+end])
		}
		rest = rest[1:]
	}
}

// markup reads what starts with "<!": a comment or a directive, which it
// passes over (skipped), or a CDATA section, its text as character data,
// by encoding/xml's rules.
func (s *xmlScanner) markup() (skipped bool, err error) {
	if err := s.fill(3); err != nil {
		return false, unexpectedEOF(err)
	}
	switch s.buf[s.pos+2] {
	case '-':
		if err := s.fill(4); err != nil {
			return false, unexpectedEOF(err)
		}
		if s.buf[s.pos+3] != '-' {
			return false, syntaxError("invalid sequence <!- not part of <!--")
		}
		// The first "--" after "<!--" ends the comment, and '>' must follow.
		i, err := s.find(4, "--")
		if err != nil {
			return false, err
		}
		if i < 0 {
			return false, io.ErrUnexpectedEOF
		}
		if err := s.fill(i + 3); err != nil {
			return false, unexpectedEOF(err)
		}
		if s.buf[s.pos+i+2] != '>' {
			return false, syntaxError(`invalid sequence "--" not allowed in comments`)
		}
		s.pos += i + 3
		return true, nil
	case '[':
		if err := s.fill(9); err != nil {
			return false, unexpectedEOF(err)
		}
		if !bytes.HasPrefix(s.buf[s.pos+3:s.end], []byte("CDATA[")) {
			return false, syntaxError("invalid <![ sequence")
		}
		i, err := s.find(9, "]]>")
		if err != nil {
			return false, err
		}
		if i < 0 {
			return false, io.ErrUnexpectedEOF
		}
		s.kind = charData
		s.text, err = s.decode(s.buf[s.pos+9:s.pos+i], false)
		s.pos += i + 3
		return false, err
	}
	return true, s.directive()
}

// directive passes over a directive (<!DOCTYPE …>) up to its '>', past
// those of the markup it nests, of quoted text and of comments in it. As in
// encoding/xml, the byte after "<!" is taken as it is.
func (s *xmlScanner) directive() error {
	depth, quote := 0, byte(0)
	for i := 3; ; i++ {
		if i > maxToken {
			return errTokenTooLong
		}
		if err := s.fill(i + 1); err != nil {
			return unexpectedEOF(err)
		}
		b := s.buf[s.pos+i]
		if quote == 0 && b == '>' && depth == 0 {
			s.pos += i + 1
			return nil
		}
		switch {
		case b == quote:
			quote = 0
		case quote != 0:
		case b == '\'' || b == '"':
			quote = b
		case b == '>':
			depth--
		case b == '<':
			if err := s.fill(i + 4); err != nil && !errors.Is(err, io.EOF) {
				return err
			}
			rest := s.buf[s.pos+i+1 : s.end]
			if !bytes.HasPrefix(rest, []byte("!--")) {
				// Not a comment: the '<' nests, and what follows it up to
				// where "!--" stopped matching is taken as it is.
				n := 0
				for n < 3 && n < len(rest) && rest[n] == "!--"[n] {
					n++
				}
				if n == len(rest) {
					return io.ErrUnexpectedEOF
				}
				depth++
				i += n
				continue
			}
			end, err := s.find(i+4, "-->")
			if err != nil {
				return err
			}
			if end < 0 {
				return io.ErrUnexpectedEOF
			}
			i = end + 2
		}
	}
}

// charData reads text up to the next '<' or the end of the input.
func (s *xmlScanner) charData() error {
	i, err := s.find(0, "<")
	if err != nil {
		return err
	}
	if i < 0 {
		i = s.end - s.pos
	}
	if i > maxToken {
		return errTokenTooLong
	}
	s.kind = charData
	s.text, err = s.decode(s.buf[s.pos:s.pos+i], true)
	s.pos += i
	return err
}

// notCDATAEnd refuses "]]>" outside a CDATA section, as encoding/xml does.
func notCDATAEnd(raw []byte) error {
	if bytes.Contains(raw, []byte("]]>")) {
		return syntaxError("unescaped ]]> not in CDATA section")
	}
	return nil
}

// decode checks raw text and gives it with its references decoded (when
// refs) and its line ends as encoding/xml gives them ("\r\n" and a lone
// "\r" become "\n"): the raw bytes themselves when nothing changes, else
// built in value.
func (s *xmlScanner) decode(raw []byte, refs bool) ([]byte, error) {
	if err := checkChars(raw); err != nil {
		return nil, err
	}
	if refs {
		if err := notCDATAEnd(raw); err != nil {
			return nil, err
		}
	}
	if bytes.IndexByte(raw, '\r') < 0 && (!refs || bytes.IndexByte(raw, '&') < 0) {
		return raw, nil
	}
	var err error
	s.value, err = appendDecoded(s.value[:0], raw, refs)
	return s.value, err
}

// appendDecoded appends raw to dst with its references decoded (when
// refs) and its line ends made "\n".
func appendDecoded(dst, raw []byte, refs bool) ([]byte, error) {
	for i := 0; i < len(raw); i++ {
		switch b := raw[i]; {
		case b == '\r':
			dst = append(dst, '\n')
			if i+1 < len(raw) && raw[i+1] == '\n' {
				i++
			}
		case b == '&' && refs:
			end := bytes.IndexByte(raw[i:], ';')
			if end < 0 {
				return nil, syntaxError("invalid character entity " + string(raw[i:min(len(raw), i+12)]) + " (no semicolon)")
			}
			r, err := reference(raw[i+1 : i+end])
			if err != nil {
				return nil, err
			}
			dst = utf8.AppendRune(dst, r)
			i += end
		default:
			dst = append(dst, b)
		}
	}
	return dst, nil
}

// reference is the character an entity or character reference (without
// its & and ;) stands for: XML's five entities, or a number.
func reference(ref []byte) (rune, error) {
	switch string(ref) {
	case "lt":
		return '<', nil
	case "gt":
		return '>', nil
	case "amp":
		return '&', nil
	case "apos":
		return '\'', nil
	case "quot":
		return '"', nil
	}
	if len(ref) > 1 && ref[0] == '#' {
		digits, base := ref[1:], 10
		if digits[0] == 'x' {
			digits, base = digits[1:], 16
		}
		if n, err := strconv.ParseUint(string(digits), base, 32); err == nil && n <= unicode.MaxRune {
			r := rune(n)
			if !utf8.ValidRune(r) {
				r = utf8.RuneError // a surrogate, as encoding/xml reads it
			}
			if inCharRange(r) {
				return r, nil
			}
		}
	}
	return 0, syntaxError("invalid character entity &" + string(ref) + ";")
}

// checkChars refuses bytes that are not UTF-8 or not characters XML allows.
func checkChars(raw []byte) error {
	for i := 0; i < len(raw); {
		if b := raw[i]; b < utf8.RuneSelf {
			if b < 0x20 && b != '\t' && b != '\n' && b != '\r' {
				return syntaxError(fmt.Sprintf("illegal character code %U", rune(b)))
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(raw[i:])
		if r == utf8.RuneError && size == 1 {
			return syntaxError("invalid UTF-8")
		}
		if !inCharRange(r) {
			return syntaxError(fmt.Sprintf("illegal character code %U", r))
		}
		i += size
	}
	return nil
}

// inCharRange is XML's Char production.
func inCharRange(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// tagEnd finds the '>' that ends the tag starting at pos, past those in
// quoted attribute values.
func (s *xmlScanner) tagEnd() (int, error) {
	quote := byte(0)
	for i := 1; ; {
		if i > maxToken {
			return 0, errTokenTooLong
		}
		if err := s.fill(i + 1); err != nil {
			return 0, unexpectedEOF(err)
		}
		rest := s.buf[s.pos+i : s.end]
		if quote == 0 {
			j := indexTagByte(rest)
			if j < 0 {
				i += len(rest)
				continue
			}
			i += j
			if rest[j] == '>' && i > maxToken {
				return 0, errTokenTooLong
			}
			if rest[j] == '>' {
				return i, nil
			}
			quote = rest[j]
			i++
			continue
		}
		j := bytes.IndexByte(rest, quote)
		if j < 0 {
			i += len(rest)
			continue
		}
		i += j + 1
		quote = 0
	}
}

// endTag reads "</name>".
func (s *xmlScanner) endTag() error {
	end, err := s.tagEnd()
	if err != nil {
		return err
	}
	name, rest, ok := readName(s.buf[s.pos+2 : s.pos+end])
	if !ok {
		return syntaxError("expected element name after </")
	}
	if len(skipSpace(rest)) > 0 {
		return syntaxError("invalid characters between </" + string(name) + " and >")
	}
	s.kind, s.name = endElement, append(s.name[:0], name...)
	s.pos += end + 1
	return nil
}

// startTag reads "<name a="v" …>" or "<name …/>".
func (s *xmlScanner) startTag() error {
	end, err := s.tagEnd()
	if err != nil {
		return err
	}
	name, rest, ok := readName(s.buf[s.pos+1 : s.pos+end])
	if !ok {
		return syntaxError("expected element name after <")
	}
	// A value decoded is never longer than it was written: with room for
	// the whole tag, value is not moved while the attributes point into it.
	if cap(s.value) < end {
		s.value = make([]byte, 0, end)
	}
	s.value, s.attrs = s.value[:0], s.attrs[:0]
	closes := false
	for {
		rest = skipSpace(rest)
		if len(rest) == 0 {
			break
		}
		if rest[0] == '/' {
			if len(rest) > 1 {
				return syntaxError("expected /> in element")
			}
			closes = true
			break
		}
		var attrName []byte
		if attrName, rest, ok = readName(rest); !ok {
			return syntaxError("expected attribute name in element")
		}
		rest = skipSpace(rest)
		if len(rest) == 0 || rest[0] != '=' {
			return syntaxError("attribute name without = in element")
		}
		rest = skipSpace(rest[1:])
		if len(rest) == 0 || rest[0] != '"' && rest[0] != '\'' {
			return syntaxError("unquoted or missing attribute value in element")
		}
		close := bytes.IndexByte(rest[1:], rest[0])
		if close < 0 {
			return syntaxError("unterminated attribute value in element")
		}
		raw := rest[1 : 1+close]
		if bytes.IndexByte(raw, '<') >= 0 {
			return syntaxError("unescaped < inside quoted string")
		}
		if err := checkChars(raw); err != nil {
			return err
		}
		start := len(s.value)
		if s.value, err = appendDecoded(s.value, raw, true); err != nil {
			return err
		}
		s.attrs = append(s.attrs, xmlAttr{name: attrName, value: s.value[start:len(s.value):len(s.value)]})
		rest = rest[2+close:]
	}
	s.kind, s.name = startElement, append(s.name[:0], name...)
	s.closes = closes
	s.pos += end + 1
	return nil
}

// readName reads the name b starts with, as encoding/xml reads one
// (nameLen), and gives its local part (after a prefix and a colon) and
// the rest; ok false for no name, or one with two colons.
func readName(b []byte) (local, rest []byte, ok bool) {
	n := nameLen(b)
	name := b[:n]
	colon := bytes.IndexByte(name, ':')
	switch {
	case !validName(name) || colon >= 0 && bytes.IndexByte(name[colon+1:], ':') >= 0:
		return nil, b, false
	case colon > 0 && colon < n-1:
		return name[colon+1:], b[n:], true
	}
	return name, b[n:], true
}

// nameLen is the length of the name b starts with: up to the first ASCII
// byte that is not a name's.
func nameLen(b []byte) int {
	n := 0
	for n < len(b) && (b[n] >= utf8.RuneSelf || isNameByte(b[n])) {
		n++
	}
	return n
}

// validName says whether XML takes name as a name: it starts with a
// letter, '_' or ':'. A name that is not ASCII (no spreadsheet program
// writes one) is asked of encoding/xml itself, whose tables of letters
// this package does not repeat.
func validName(name []byte) bool {
	if len(name) == 0 {
		return false
	}
	for _, c := range name {
		if c >= utf8.RuneSelf {
			_, err := xml.NewDecoder(bytes.NewReader(slices.Concat([]byte("<"), name, []byte("/>")))).RawToken()
			return err == nil
		}
	}
	c := name[0]
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '_' || c == ':'
}

func isNameByte(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == ':' || c == '.' || c == '-'
}

// indexTagByte is the index of the first '>' or quote of b, -1 for none
// (bytes.IndexAny builds its set on every call: a third of the scan).
func indexTagByte(b []byte) int {
	for i, c := range b {
		if c == '>' || c == '"' || c == '\'' {
			return i
		}
	}
	return -1
}

// skipSpace is b without the XML white space it starts with.
func skipSpace(b []byte) []byte {
	for i, c := range b {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return b[i:]
		}
	}
	return nil
}

type xmlSyntaxError string

func (e xmlSyntaxError) Error() string { return "XML syntax error: " + string(e) }

func syntaxError(msg string) error { return xmlSyntaxError(msg) }

func unexpectedEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}
