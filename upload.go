package nscl

import (
	"archive/zip"
	"bytes"
	"io"
	"path"
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
// it is), or EINVALID on field for an empty, too large or other file.
func CheckUpload(field, name string, data []byte) (StoredFile, error) {
	switch {
	case len(data) == 0:
		return StoredFile{}, Invalid(field, "tệp rỗng", "the file is empty")
	case len(data) > MaxUpload:
		return StoredFile{}, Invalid(field, "tệp lớn quá %d MB", "the file is larger than %d MB", MaxUpload>>20)
	}
	t, ok := sniff(data)
	if !ok {
		return StoredFile{}, Invalid(field, "chỉ nhận tệp PDF, DOCX, XLSX, PPTX, PNG hoặc JPEG (theo nội dung tệp, không theo tên)",
			"only PDF, DOCX, XLSX, PPTX, PNG or JPEG files are taken (by their content, not their name)")
	}
	return StoredFile{Name: safeFileName(name, t.ext), ContentType: t.contentType, Size: int64(len(data))}, nil
}

func sniff(data []byte) (fileType, bool) {
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return typePDF, true
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return typePNG, true
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return typeJPEG, true
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return ooxmlType(data)
	}
	return fileType{}, false
}

// ooxmlType reads a zip's [Content_Types].xml for the main part of a
// Word, Excel or PowerPoint file.
func ooxmlType(data []byte) (fileType, bool) {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fileType{}, false
	}
	for _, f := range z.File {
		if f.Name != "[Content_Types].xml" {
			continue
		}
		r, err := f.Open()
		if err != nil {
			return fileType{}, false
		}
		defer r.Close()
		// A real one is a few KB; the bound keeps a crafted one from
		// inflating without end.
		types, err := io.ReadAll(io.LimitReader(r, 1<<20))
		if err != nil {
			return fileType{}, false
		}
		for _, t := range ooxmlTypes {
			if bytes.Contains(types, []byte(`ContentType="`+t.ooxmlMain+`"`)) {
				return t, true
			}
		}
		return fileType{}, false
	}
	return fileType{}, false
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
