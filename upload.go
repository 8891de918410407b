package nscl

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"path"
	"slices"
	"strings"
	"unicode"
)

// MaxUpload bounds a file uploaded with a post: enough for a brochure or
// a slide deck, small enough to keep in the database and in its backups.
const MaxUpload = 20 << 20

// MaxFileName bounds an uploaded file's name.
const MaxFileName = 200

// StoredFile is a file uploaded with a post, as its content was checked.
type StoredFile struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
}

// Inline reports whether a browser may show the file itself (a PDF, an
// image) rather than only save it.
func (f StoredFile) Inline() bool {
	return f.ContentType == "application/pdf" || strings.HasPrefix(f.ContentType, "image/")
}

// fileType is a kind of file the portal takes.
type fileType struct {
	contentType, ext string
	ooxmlMain        string // for an OOXML file, its main part's content type in [Content_Types].xml
}

var (
	typePDF  = fileType{contentType: "application/pdf", ext: ".pdf"}
	typePNG  = fileType{contentType: "image/png", ext: ".png"}
	typeJPEG = fileType{contentType: "image/jpeg", ext: ".jpg"}
	// The OOXML formats are zip files told apart by their main part; the
	// macro-enabled ones (docm, xlsm, pptm) name another and are refused.
	ooxmlTypes = []fileType{
		{"application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx",
			"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"},
		{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx",
			"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"},
		{"application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx",
			"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"},
	}
)

// CheckUpload tells what an uploaded file is from its content, never its
// name: PDF, DOCX, XLSX, PPTX, PNG or JPEG, at most MaxUpload bytes. It
// returns the file described (name made safe, with the extension of what
// it is), or EINVALID on field for an empty, too large or other file, and
// for an Office file with macros.
func CheckUpload(field, name string, data []byte) (StoredFile, error) {
	switch {
	case len(data) == 0:
		return StoredFile{}, Invalid(field, "tệp rỗng", "the file is empty")
	case len(data) > MaxUpload:
		return StoredFile{}, Invalid(field, "tệp lớn quá %d MB", "the file is larger than %d MB", MaxUpload>>20)
	}
	t, verdict := sniff(data)
	switch verdict {
	case withMacros:
		return StoredFile{}, Invalid(field, "không nhận tệp Office có macro (VBA); hãy lưu lại thành tệp .docx, .xlsx hoặc .pptx không có macro",
			"Office files with macros (VBA) are not taken; save it again as a .docx, .xlsx or .pptx without macros")
	case unknown:
		return StoredFile{}, Invalid(field, "chỉ nhận tệp PDF, DOCX, XLSX, PPTX, PNG hoặc JPEG (theo nội dung tệp, không theo tên)",
			"only PDF, DOCX, XLSX, PPTX, PNG or JPEG files are taken (by their content, not their name)")
	}
	return StoredFile{Name: safeFileName(name, t.ext), ContentType: t.contentType, Size: int64(len(data))}, nil
}

// verdict is what sniffing a file found.
type verdict int

const (
	known verdict = iota
	unknown
	withMacros
)

func sniff(data []byte) (fileType, verdict) {
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return typePDF, known
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return typePNG, known
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return typeJPEG, known
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return ooxmlType(data)
	}
	return fileType{}, unknown
}

// contentTypes is an OOXML package's [Content_Types].xml: a part's type is
// its Override, else the Default of its extension.
type contentTypes struct {
	Defaults []struct {
		Extension   string `xml:"Extension,attr"`
		ContentType string `xml:"ContentType,attr"`
	} `xml:"Default"`
	Overrides []struct {
		PartName    string `xml:"PartName,attr"`
		ContentType string `xml:"ContentType,attr"`
	} `xml:"Override"`
}

// of returns the content type of the part at name in the zip ("word/document.xml").
// Part names and extensions compare without case, as OPC says.
func (ct contentTypes) of(name string) string {
	part := "/" + name
	for _, o := range ct.Overrides {
		if strings.EqualFold(o.PartName, part) {
			return o.ContentType
		}
	}
	ext := strings.TrimPrefix(path.Ext(name), ".")
	for _, d := range ct.Defaults {
		if strings.EqualFold(d.Extension, ext) {
			return d.ContentType
		}
	}
	return ""
}

// ooxmlType tells a Word, Excel or PowerPoint file by the content type
// [Content_Types].xml gives the parts the zip holds: exactly one kind of
// main part must be there. A package with a VBA project (vbaProject.bin,
// its content type) or any macro-enabled type is refused, whatever its
// main part says: renaming a .docm to .docx keeps its macros.
func ooxmlType(data []byte) (fileType, verdict) {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fileType{}, unknown
	}
	var types contentTypes
	found := false
	for _, f := range z.File {
		if f.Name != "[Content_Types].xml" {
			continue
		}
		r, err := f.Open()
		if err != nil {
			return fileType{}, unknown
		}
		// A real one is a few KB; the bound keeps a crafted one from
		// inflating without end.
		err = xml.NewDecoder(io.LimitReader(r, 1<<20)).Decode(&types)
		r.Close()
		if err != nil {
			return fileType{}, unknown
		}
		found = true
	}
	if !found {
		return fileType{}, unknown
	}
	macro := func(contentType string) bool {
		t := strings.ToLower(contentType)
		return strings.Contains(t, "macroenabled") || strings.Contains(t, "vbaproject")
	}
	for _, d := range types.Defaults {
		if macro(d.ContentType) {
			return fileType{}, withMacros
		}
	}
	for _, o := range types.Overrides {
		if macro(o.ContentType) {
			return fileType{}, withMacros
		}
	}
	var main []fileType
	for _, f := range z.File {
		if strings.EqualFold(path.Base(f.Name), "vbaProject.bin") {
			return fileType{}, withMacros
		}
		ct := types.of(f.Name)
		for _, t := range ooxmlTypes {
			if strings.EqualFold(ct, t.ooxmlMain) && !slices.Contains(main, t) {
				main = append(main, t)
			}
		}
	}
	if len(main) != 1 {
		return fileType{}, unknown
	}
	return main[0], known
}

// safeFileName is the last part of name, in NFC, without control
// characters or characters a file system or header refuses, bounded,
// ending in ext: a name that said .pdf on a PNG is given .png.
func safeFileName(name, ext string) string {
	name = NormalizeText(strings.ReplaceAll(name, `\`, "/"))
	name = path.Base(name)
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || strings.ContainsRune(`/:*?"<>|`, r) {
			return -1
		}
		return r
	}, name)
	stem := strings.TrimSpace(strings.TrimSuffix(name, path.Ext(name)))
	if stem == "" || stem == "." {
		stem = "tep"
	}
	if r := []rune(stem); len(r) > MaxFileName-len(ext) {
		stem = string(r[:MaxFileName-len(ext)])
	}
	return stem + ext
}
