package nscl

import (
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"time"
)

// Enterprise is a firm the programme supports, known by its tax code (mã
// số thuế). Activities name their beneficiaries by tax code; the registry
// says who is behind each code. A record found to be the same firm as
// another is merged into it (MergedInto), never deleted, so that the merge
// can be undone.
type Enterprise struct {
	ID         int64          `json:"id"`
	TaxCode    string         `json:"tax_code"`
	Name       string         `json:"name"` // empty for a tax code met in an activity and not yet described
	Address    string         `json:"address,omitempty"`
	District   string         `json:"district,omitempty"`
	Sector     string         `json:"sector,omitempty"` // VSIC code: a section letter, or 2 to 5 digits
	Size       EnterpriseSize `json:"size,omitempty"`
	Contact    Contact        `json:"contact"`
	MergedInto int64          `json:"merged_into,omitempty"`
	Version    int64          `json:"version"`
}

// Contact is how to reach a person at an enterprise: seen by focal staff
// and administrators only.
type Contact struct {
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
}

// EnterpriseSize is the legal size class of a firm (Nghị định 80/2021/NĐ-CP).
type EnterpriseSize string

const (
	SizeMicro  EnterpriseSize = "micro"
	SizeSmall  EnterpriseSize = "small"
	SizeMedium EnterpriseSize = "medium"
	SizeLarge  EnterpriseSize = "large"
)

// EnterpriseSizes lists the sizes in the order forms offer them.
var EnterpriseSizes = []EnterpriseSize{SizeMicro, SizeSmall, SizeMedium, SizeLarge}

// Label is the size as Vietnamese forms name it.
func (s EnterpriseSize) Label() string {
	switch s {
	case SizeMicro:
		return "siêu nhỏ"
	case SizeSmall:
		return "nhỏ"
	case SizeMedium:
		return "vừa"
	case SizeLarge:
		return "lớn"
	}
	return ""
}

// Limits on an enterprise's and a registration's text.
const (
	MaxEnterpriseName = 300
	MaxAddress        = 500
	MaxContactField   = 200
	MaxSupportRequest = 4000
)

// sectorPattern is a VSIC 2018 code: a section letter (A–U), or a division
// to a sub-class of 2 to 5 digits.
var sectorPattern = regexp.MustCompile(`^([A-U]|[0-9]{2,5})$`)

// sectionDivisions are the two-digit divisions of each VSIC 2018 section
// (the same as ISIC Rev. 4): a firm recorded by its division, group or
// class is found by its section's letter.
var sectionDivisions = map[string][2]int{
	"A": {1, 3}, "B": {5, 9}, "C": {10, 33}, "D": {35, 35}, "E": {36, 39}, "F": {41, 43}, "G": {45, 47},
	"H": {49, 53}, "I": {55, 56}, "J": {58, 63}, "K": {64, 66}, "L": {68, 68}, "M": {69, 75}, "N": {77, 82},
	"O": {84, 84}, "P": {85, 85}, "Q": {86, 88}, "R": {90, 93}, "S": {94, 96}, "T": {97, 98}, "U": {99, 99},
}

// SectionDivisions returns the first and last two-digit division of a VSIC
// section letter ("C" → "10", "33"); ok is false for anything else.
func SectionDivisions(section string) (first, last string, ok bool) {
	d, ok := sectionDivisions[strings.ToUpper(strings.TrimSpace(section))]
	return fmt.Sprintf("%02d", d[0]), fmt.Sprintf("%02d", d[1]), ok
}

// phonePattern is a telephone number as people write it: digits with
// spaces, dots, dashes, brackets and a leading +.
var phonePattern = regexp.MustCompile(`^\+?[0-9 .()-]{8,20}$`)

// Normalize puts the enterprise's text in NFC, trims it, and writes the
// sector and e-mail as they are compared.
func (e *Enterprise) Normalize() {
	e.TaxCode = strings.TrimSpace(e.TaxCode)
	e.Name = NormalizeText(e.Name)
	e.Address = NormalizeText(e.Address)
	e.District = NormalizeText(e.District)
	e.Sector = strings.ToUpper(strings.TrimSpace(e.Sector))
	e.Size = EnterpriseSize(strings.TrimSpace(string(e.Size)))
	e.Contact.normalize()
}

func (c *Contact) normalize() {
	c.Name = NormalizeText(c.Name)
	c.Email = NormalizeEmail(c.Email)
	c.Phone = NormalizeText(c.Phone)
}

// ValidateEnterprise checks an enterprise's fields, and returns every
// mistake it finds (Errors). A name is required unless allowUnnamed: a tax
// code met in an activity is recorded before anyone describes the firm.
func ValidateEnterprise(e *Enterprise, allowUnnamed bool) error {
	e.Normalize()
	var errs Errors
	if e.TaxCode == "" {
		errs.Add(Required("tax_code"))
	} else {
		errs.Add(ValidateTaxCode("tax_code", e.TaxCode))
	}
	if e.Name == "" && !allowUnnamed {
		errs.Add(Required("name"))
	}
	for _, f := range []struct {
		field, text string
		limit       int
	}{{"name", e.Name, MaxEnterpriseName}, {"address", e.Address, MaxAddress}, {"district", e.District, MaxContactField}} {
		errs.Add(CheckText(f.field, f.text, f.limit))
	}
	if e.Sector != "" && !sectorPattern.MatchString(e.Sector) {
		errs.Add(Invalid("sector", "mã ngành %q không hợp lệ (mã VSIC: một chữ cái A–U, hoặc 2 đến 5 chữ số)", "sector %q is not valid (a VSIC code: a letter A–U, or 2 to 5 digits)", e.Sector))
	}
	if e.Size != "" && e.Size.Label() == "" {
		errs.Add(Invalid("size", "quy mô %q không hợp lệ (siêu nhỏ, nhỏ, vừa, lớn)", "size %q is not valid (micro, small, medium, large)", e.Size))
	}
	errs.Add(e.Contact.validate("contact"))
	return errs.Err()
}

func (c Contact) validate(field string) error {
	var errs Errors
	errs.Add(CheckText(field+".name", c.Name, MaxContactField))
	if c.Email != "" {
		if addr, err := mail.ParseAddress(c.Email); err != nil || addr.Address != c.Email || len(c.Email) > 254 {
			errs.Add(Invalid(field+".email", "địa chỉ e-mail %q không hợp lệ", "e-mail address %q is not valid", c.Email))
		}
	}
	if c.Phone != "" && !phonePattern.MatchString(c.Phone) {
		errs.Add(Invalid(field+".phone", "số điện thoại %q không hợp lệ", "phone number %q is not valid", c.Phone))
	}
	return errs.Err()
}

// requireReachable refuses a registrant's contact with neither an e-mail
// address nor a phone number: nobody could reply.
func (c Contact) requireReachable() error {
	if c.Email == "" && c.Phone == "" {
		return Invalid("contact.email", "cần ghi e-mail hoặc số điện thoại để liên hệ", "an e-mail address or a phone number is needed to reply")
	}
	return nil
}

// SearchText is what a search of the registry matches, folded by
// SearchKey so that "ha noi" finds "Hà Nội".
func (e Enterprise) SearchText() string {
	return SearchKey(strings.Join([]string{e.TaxCode, e.Name, e.Address, e.District, e.Sector}, " "))
}

// DisplayName is the name, or a note that the firm is known by its tax
// code only.
func (e Enterprise) DisplayName() string {
	if e.Name != "" {
		return e.Name
	}
	return "(chưa có tên) " + e.TaxCode
}

// CanSeeContacts reports whether u may see enterprises' contact details
// and the registrations of calls.
func (u User) CanSeeContacts() bool { return u.Role == RoleFocal || u.Role == RoleAdmin }

// CanEditEnterprises reports whether u may change the registry: focal staff
// describe, merge and review; reporters add the tax codes their activities
// name (CanAddEnterprises).
func (u User) CanEditEnterprises() bool { return u.Role == RoleFocal }

// CanAddEnterprises reports whether u may add a firm to the registry.
func (u User) CanAddEnterprises() bool { return u.Role == RoleFocal || u.Role == RoleReporter }

// CanDescribe reports whether u may change e's description: focal staff
// any record, and whoever may add firms a record known by its tax code
// only (added with an activity), which someone must name.
func (u User) CanDescribe(e Enterprise) bool {
	return u.CanEditEnterprises() || u.CanAddEnterprises() && e.Name == ""
}

// CanUnmerge reports whether u may undo a merge of two records.
func (u User) CanUnmerge() bool { return u.Role == RoleAdmin }

// CountsEnterprises reports whether the metric counts enterprises (its unit
// is "doanh nghiệp" or "lượt doanh nghiệp", or it counts them distinct):
// its results show, beside the figure, the distinct enterprises that
// activities' beneficiary lists name.
func (m Metric) CountsEnterprises() bool {
	return m.Rule == RuleDistinct || strings.Contains(SearchKey(m.Unit), "doanh nghiep")
}

// EnterpriseCounts are what beneficiary lists tell about an indicator
// counted in enterprises, for a year or a span of years: how many
// enterprises appear (a firm merged into another counts once with it), in
// how many visits (an activity naming a firm is one visit), and how many
// activities report the indicator without a list.
type EnterpriseCounts struct {
	Enterprises int64 `json:"enterprises"`
	Visits      int64 `json:"visits"`
	Unlisted    int64 `json:"activities_without_list"`
}

// Known reports whether any beneficiary is known.
func (c EnterpriseCounts) Known() bool { return c.Visits > 0 }

// Call is a call for participation (thông báo mời đăng ký): while it is
// open, enterprises and consultants register for the programme's support
// through a public page.
type Call struct {
	ID          int64     `json:"id"`
	ProgrammeID int64     `json:"programme_id"`
	DocumentID  int64     `json:"document_id,omitempty"` // the notice that opened it
	Title       string    `json:"title"`
	Description string    `json:"description,omitempty"`
	OpensOn     time.Time `json:"opens_on"`
	ClosesOn    time.Time `json:"closes_on,omitzero"` // zero while no end is set
	Version     int64     `json:"version"`
}

// OpenOn reports whether the call takes registrations on day.
func (c Call) OpenOn(day time.Time) bool {
	day = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
	return !day.Before(c.OpensOn) && (c.ClosesOn.IsZero() || !day.After(c.ClosesOn))
}

// ValidateCall checks a call's fields, and returns every mistake it finds
// (Errors).
func ValidateCall(c *Call) error {
	c.Title, c.Description = NormalizeText(c.Title), NormalizeText(c.Description)
	var errs Errors
	if c.Title == "" {
		errs.Add(Required("title"))
	}
	errs.Add(CheckText("title", c.Title, 500))
	errs.Add(CheckMultiline("description", c.Description, MaxSupportRequest))
	switch {
	case c.OpensOn.IsZero():
		errs.Add(Required("opens_on"))
	case !c.ClosesOn.IsZero() && c.ClosesOn.Before(c.OpensOn):
		errs.Add(Invalid("closes_on", "ngày đóng đăng ký trước ngày mở", "the closing date is before the opening date"))
	}
	return errs.Err()
}

// Registration is what an enterprise or a consultant sent through a
// call's public page: who they are and what support they ask for. It waits
// for a focal user, who accepts it (creating or linking the enterprise's
// record) or declines it with a reason.
type Registration struct {
	ID        int64              `json:"id"`
	CallID    int64              `json:"call_id"`
	Reference string             `json:"reference"` // given to the registrant: "DK-000123"
	Kind      RegistrantKind     `json:"kind"`
	TaxCode   string             `json:"tax_code"`
	Name      string             `json:"name"`
	Address   string             `json:"address,omitempty"`
	District  string             `json:"district,omitempty"`
	Sector    string             `json:"sector,omitempty"`
	Size      EnterpriseSize     `json:"size,omitempty"`
	Contact   Contact            `json:"contact"`
	Support   string             `json:"support_requested"`
	Status    RegistrationStatus `json:"status"`
	Reason    string             `json:"reason,omitempty"` // why it was declined
	// EnterpriseID is the registry's record once accepted.
	EnterpriseID int64     `json:"enterprise_id,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
	ReviewedAt   time.Time `json:"reviewed_at,omitzero"`
	ReviewerID   int64     `json:"reviewer_id,omitempty"`
	Version      int64     `json:"version"`
}

// RegistrantKind says who registers.
type RegistrantKind string

const (
	RegistrantEnterprise RegistrantKind = "enterprise"
	RegistrantConsultant RegistrantKind = "consultant" // a consulting firm or expert offering to carry out support
)

// Label is the kind as Vietnamese forms name it.
func (k RegistrantKind) Label() string {
	switch k {
	case RegistrantEnterprise:
		return "doanh nghiệp đăng ký nhận hỗ trợ"
	case RegistrantConsultant:
		return "tổ chức, chuyên gia tư vấn đăng ký tham gia"
	}
	return ""
}

// RegistrationStatus is where a registration stands.
type RegistrationStatus string

const (
	RegistrationPending  RegistrationStatus = "pending"
	RegistrationAccepted RegistrationStatus = "accepted"
	RegistrationDeclined RegistrationStatus = "declined"
)

// Label is the status as Vietnamese pages name it.
func (s RegistrationStatus) Label() string {
	switch s {
	case RegistrationPending:
		return "chờ xem xét"
	case RegistrationAccepted:
		return "đã chấp nhận"
	case RegistrationDeclined:
		return "không chấp nhận"
	}
	return string(s)
}

// ValidateRegistration checks what a registrant sent, and returns every
// mistake it finds (Errors). Every registrant gives a tax code (a
// consultant, its own or its firm's), a name, a way to reply and what it
// asks for or offers.
func ValidateRegistration(r *Registration) error {
	r.TaxCode = strings.TrimSpace(r.TaxCode)
	r.Name, r.Address, r.District = NormalizeText(r.Name), NormalizeText(r.Address), NormalizeText(r.District)
	r.Sector, r.Support = strings.ToUpper(strings.TrimSpace(r.Sector)), NormalizeText(r.Support)
	r.Size = EnterpriseSize(strings.TrimSpace(string(r.Size)))
	r.Contact.normalize()
	if r.Kind == "" {
		r.Kind = RegistrantEnterprise
	}
	var errs Errors
	if r.Kind.Label() == "" {
		errs.Add(Invalid("kind", "loại đăng ký %q không hợp lệ", "registrant kind %q is not valid", r.Kind))
	}
	e := r.Enterprise()
	errs.Add(ValidateEnterprise(&e, false))
	errs.Add(r.Contact.requireReachable())
	if r.Support == "" {
		errs.Add(Required("support_requested"))
	}
	errs.Add(CheckMultiline("support_requested", r.Support, MaxSupportRequest))
	return errs.Err()
}

// Enterprise is the registry record an accepted registration makes.
func (r Registration) Enterprise() Enterprise {
	return Enterprise{TaxCode: r.TaxCode, Name: r.Name, Address: r.Address, District: r.District, Sector: r.Sector, Size: r.Size, Contact: r.Contact}
}

// Decline refuses a pending registration with a reason.
func (r *Registration) Decline(reviewerID int64, reason string, now time.Time) error {
	reason = NormalizeText(reason)
	if r.Status != RegistrationPending {
		return Conflict("status", "đăng ký này đã được xem xét (%s)", "this registration was already reviewed (%s)", r.Status.Label())
	}
	if reason == "" {
		return Invalid("reason", "cần ghi lý do không chấp nhận", "a reason is required")
	}
	if err := CheckMultiline("reason", reason, MaxCommentLength); err != nil {
		return err
	}
	r.Status, r.Reason, r.ReviewerID, r.ReviewedAt = RegistrationDeclined, reason, reviewerID, now
	return nil
}

// Accept takes a pending registration, linked to the registry's record.
func (r *Registration) Accept(reviewerID, enterpriseID int64, now time.Time) error {
	if r.Status != RegistrationPending {
		return Conflict("status", "đăng ký này đã được xem xét (%s)", "this registration was already reviewed (%s)", r.Status.Label())
	}
	r.Status, r.EnterpriseID, r.ReviewerID, r.ReviewedAt = RegistrationAccepted, enterpriseID, reviewerID, now
	return nil
}

// ValidateMerge checks that from may be merged into into: two records,
// neither already merged into another, and none merged into from (merged
// is how many are): a merge undone must give back exactly what it took,
// so records are merged into the main one, one at a time.
func ValidateMerge(from, into Enterprise, merged int) error {
	switch {
	case from.ID == into.ID:
		return Invalid("into", "không gộp một doanh nghiệp vào chính nó", "an enterprise cannot be merged into itself")
	case from.MergedInto != 0:
		return Conflict("from", "doanh nghiệp %s đã được gộp vào một doanh nghiệp khác", "enterprise %s is already merged into another", from.TaxCode)
	case into.MergedInto != 0:
		return Invalid("into", "doanh nghiệp %s đã được gộp vào một doanh nghiệp khác; hãy gộp vào bản ghi chính", "enterprise %s is merged into another; merge into the main record", into.TaxCode)
	case merged > 0:
		return Invalid("into", "đã có %d bản ghi gộp vào doanh nghiệp %s; hãy gộp doanh nghiệp %s vào %s (ngược lại)", "%d records are merged into enterprise %s; merge %s into %s instead",
			merged, from.TaxCode, into.TaxCode, from.TaxCode)
	}
	return nil
}
