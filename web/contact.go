package web

import (
	"strings"

	"nscl"
)

// contactPart is one filled part of a contact: the name, the e-mail
// (Mail, shown as a link) or the phone.
type contactPart struct {
	Text string
	Mail bool
}

// contactParts lists the parts of c that are filled, so that a page puts
// its separator between them only: a blank name does not leave "· email".
func contactParts(c nscl.Contact) []contactPart {
	var parts []contactPart
	for _, p := range []contactPart{{Text: c.Name}, {Text: c.Email, Mail: true}, {Text: c.Phone}} {
		if p.Text = strings.TrimSpace(p.Text); p.Text != "" {
			parts = append(parts, p)
		}
	}
	return parts
}

func init() {
	templateFuncs["contactParts"] = contactParts
}
