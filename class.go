package nscl

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"nscl/vnfmt"
)

// Class is a training class (lớp tập huấn) that an organiser unit runs and
// publishes on the portal's calendar: enterprises register their people
// online, the organiser marks who came, and the attendance becomes the
// class's activity (ClassActivity), which nobody types again.
type Class struct {
	ID          int64     `json:"id"`
	ProgrammeID int64     `json:"programme_id"`
	UnitID      int64     `json:"unit_id"` // the organiser
	Title       string    `json:"title"`
	Topic       string    `json:"topic,omitempty"`
	TaskGroup   string    `json:"task_group"` // letter
	StartsOn    time.Time `json:"starts_on"`
	EndsOn      time.Time `json:"ends_on"` // the first day again for a one-day class
	Place       string    `json:"place,omitempty"`
	OnlineLink  string    `json:"online_link,omitempty"` // http or https
	Capacity    int64     `json:"capacity"`              // attendees, not enterprises
	// RegistrationClosesOn is the last day of online registration; zero:
	// the class takes registrations until the day it starts.
	RegistrationClosesOn time.Time `json:"registration_closes_on,omitzero"`
	Description          string    `json:"description,omitempty"`
	Registered           int64     `json:"registered"`            // attendees registered, kept by the store
	ActivityID           int64     `json:"activity_id,omitempty"` // what its attendance wrote; 0 while nobody is marked present
	Version              int64     `json:"version"`
}

// Limits of a class and of a registration to it. A class's registrations
// are bounded by its capacity, so that its pages list them whole.
const (
	MaxClassCapacity  = 2000
	MaxClassAttendees = 50 // in one enterprise's registration, walk-ins included
	MaxClassDays      = 366
	maxClassTitle     = 500
	maxClassLink      = 1000
)

// Normalize puts the class's text in NFC without surrounding spaces; a
// class given no last day lasts its first.
func (c *Class) Normalize() {
	c.Title, c.Topic, c.TaskGroup = NormalizeText(c.Title), NormalizeText(c.Topic), NormalizeText(c.TaskGroup)
	c.Place, c.Description = NormalizeText(c.Place), NormalizeText(c.Description)
	c.OnlineLink = strings.TrimSpace(c.OnlineLink)
	if c.EndsOn.IsZero() {
		c.EndsOn = c.StartsOn
	}
}

// ValidateClass checks a class's fields against its programme, and returns
// every mistake it finds (Errors).
func ValidateClass(c *Class, prog *Programme) error {
	c.Normalize()
	var errs Errors
	if c.UnitID == 0 {
		errs.Add(Required("unit"))
	}
	if c.Title == "" {
		errs.Add(Required("title"))
	}
	errs.Add(CheckText("title", c.Title, maxClassTitle))
	errs.Add(CheckText("topic", c.Topic, maxClassTitle))
	if _, ok := prog.TaskGroup(c.TaskGroup); c.TaskGroup == "" {
		errs.Add(Required("task_group"))
	} else if !ok {
		errs.Add(Invalid("task_group", "nhóm nhiệm vụ %q không có trong chương trình", "task group %q is not in the programme", c.TaskGroup))
	}
	switch {
	case c.StartsOn.IsZero():
		errs.Add(Required("starts_on"))
	case !prog.ContainsYear(c.StartsOn.Year()):
		errs.Add(Invalid("starts_on", "ngày %s nằm ngoài giai đoạn chương trình %d–%d", "date %s is outside the programme %d–%d", c.StartsOn.Format("02/01/2006"), prog.StartYear, prog.EndYear))
	case c.EndsOn.Before(c.StartsOn):
		errs.Add(Invalid("ends_on", "ngày kết thúc trước ngày bắt đầu", "the last day is before the first"))
	case c.EndsOn.Sub(c.StartsOn) > MaxClassDays*24*time.Hour:
		errs.Add(Invalid("ends_on", "một lớp kéo dài không quá %d ngày", "a class lasts at most %d days", MaxClassDays))
	case !c.RegistrationClosesOn.IsZero() && c.RegistrationClosesOn.After(c.EndsOn):
		errs.Add(Invalid("registration_closes_on", "hạn đăng ký sau ngày kết thúc lớp", "registration closes after the class ends"))
	}
	errs.Add(CheckText("place", c.Place, MaxAddress))
	if c.OnlineLink != "" {
		errs.Add(checkLink("online_link", c.OnlineLink))
	}
	if c.Place == "" && c.OnlineLink == "" {
		errs.Add(Invalid("place", "cần ghi địa điểm hoặc đường dẫn học trực tuyến", "give a place or an online link"))
	}
	if c.Capacity < 1 || c.Capacity > MaxClassCapacity {
		errs.Add(Invalid("capacity", "số chỗ phải từ 1 đến %d người", "capacity must be 1 to %d attendees", MaxClassCapacity))
	}
	errs.Add(CheckMultiline("description", c.Description, MaxSupportRequest))
	return errs.Err()
}

// checkLink refuses a link a visitor could not safely open: anything but
// an http or https address with a host.
func checkLink(field, link string) error {
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(link) > maxClassLink || strings.ContainsAny(link, " \t\n") {
		return Invalid(field, "đường dẫn %q không hợp lệ: cần một địa chỉ bắt đầu bằng http:// hoặc https://", "link %q is not valid: give an address beginning with http:// or https://", link)
	}
	return nil
}

// DefaultClassGroup is the task group a new class is offered: the group
// of the metric its enterprises count in, "" when the portal counts them
// nowhere.
func DefaultClassGroup(prog *Programme, pc PortalCounting) string {
	if m, ok := prog.Metric(pc.ClassEnterprisesMetric); ok {
		return m.TaskGroup
	}
	return ""
}

// LastRegistrationDay is the last day the class takes registrations online.
func (c Class) LastRegistrationDay() time.Time {
	if !c.RegistrationClosesOn.IsZero() {
		return c.RegistrationClosesOn
	}
	return c.StartsOn
}

// PlacesLeft is how many more attendees may register.
func (c Class) PlacesLeft() int64 { return max(0, c.Capacity-c.Registered) }

// OpenOn reports whether the class takes registrations on day.
func (c Class) OpenOn(day time.Time) bool {
	return !calendarDay(day).After(c.LastRegistrationDay()) && c.PlacesLeft() > 0
}

// RequireRoom returns EINVALID unless the class takes a registration of
// attendees people on day: on field class_id when registration has closed,
// on attendees when the class has not that many places left.
func (c Class) RequireRoom(day time.Time, attendees int64) error {
	if calendarDay(day).After(c.LastRegistrationDay()) {
		return Invalid("class_id", "lớp “%s” đã hết hạn đăng ký ngày %s", "registration for “%s” closed on %s", c.Title, c.LastRegistrationDay().Format("02/01/2006"))
	}
	switch left := c.PlacesLeft(); {
	case left == 0:
		return Invalid("attendees", "lớp “%s” đã đủ %d người tham dự, không nhận thêm đăng ký", "“%s” is full (%d attendees) and takes no more registrations", c.Title, c.Capacity)
	case attendees > left:
		return Invalid("attendees", "lớp chỉ còn %d chỗ, đăng ký ghi %d người; xin bớt số người tham dự", "the class has %d places left and the registration names %d people; name fewer", left, attendees)
	}
	return nil
}

// ClassRegistration is an enterprise's registration to a class: who it
// is, how to reach it, and the people it sends. One enterprise (tax code)
// registers once to a class; the organiser adds anyone it sends later.
type ClassRegistration struct {
	ID             int64      `json:"id"`
	ClassID        int64      `json:"class_id"`
	TaxCode        string     `json:"tax_code"`
	EnterpriseName string     `json:"enterprise_name"`
	Contact        Contact    `json:"contact"`
	Attendees      []Attendee `json:"attendees"`
	CreatedAt      time.Time  `json:"created_at"`
}

// Attendee is a person an enterprise sends to a class; the organiser
// marks whether the person came.
type Attendee struct {
	ID             int64  `json:"id"`
	RegistrationID int64  `json:"registration_id,omitempty"`
	Name           string `json:"name"`
	Position       string `json:"position,omitempty"`
	Present        bool   `json:"present"`
}

// Normalize puts the attendee's text in NFC without surrounding spaces.
func (a *Attendee) Normalize() { a.Name, a.Position = NormalizeText(a.Name), NormalizeText(a.Position) }

// ValidateAttendee checks one attendee, field being its place in a
// registration ("attendees.2").
func ValidateAttendee(field string, a *Attendee) error {
	a.Normalize()
	var errs Errors
	if a.Name == "" {
		errs.Add(Invalid(field, "cần ghi họ tên người tham dự", "the attendee's name is required"))
	}
	errs.Add(CheckText(field, a.Name, MaxContactField))
	errs.Add(CheckText(field, a.Position, MaxContactField))
	return errs.Err()
}

// ValidateClassRegistration checks what an enterprise sent, and returns
// every mistake it finds (Errors): the tax code and name as every
// registration gives them, a way to reply, and 1 to MaxClassAttendees
// people, each named once.
func ValidateClassRegistration(r *ClassRegistration) error {
	r.TaxCode, r.EnterpriseName = strings.TrimSpace(r.TaxCode), NormalizeText(r.EnterpriseName)
	r.Contact.normalize()
	var errs Errors
	if r.TaxCode == "" {
		errs.Add(Required("tax_code"))
	} else {
		errs.Add(ValidateTaxCode("tax_code", r.TaxCode))
	}
	if r.EnterpriseName == "" {
		errs.Add(Required("enterprise_name"))
	}
	errs.Add(CheckText("enterprise_name", r.EnterpriseName, MaxEnterpriseName))
	errs.Add(r.Contact.validate("contact"))
	errs.Add(r.Contact.requireReachable())
	switch {
	case len(r.Attendees) == 0:
		errs.Add(Invalid("attendees", "cần ghi họ tên ít nhất một người tham dự", "name at least one attendee"))
	case len(r.Attendees) > MaxClassAttendees:
		errs.Add(Invalid("attendees", "một doanh nghiệp đăng ký không quá %d người", "an enterprise registers at most %d people", MaxClassAttendees))
	}
	seen := map[string]bool{}
	for i := range r.Attendees {
		field := "attendees." + strconv.Itoa(i+1)
		a := &r.Attendees[i]
		if err := ValidateAttendee(field, a); err != nil {
			errs.Add(err)
			continue
		}
		if key := SearchKey(a.Name); seen[key] {
			errs.Add(Invalid(field, "“%s” đã được ghi ở dòng trên", "“%s” is already listed above", a.Name))
		} else {
			seen[key] = true
		}
	}
	return errs.Err()
}

// CanOrganiseClass reports whether u may run the classes of unitID —
// publish, change and delete them, mark attendance, add walk-ins — the
// people who enter the unit's activities, since attendance becomes one.
func (u User) CanOrganiseClass(unitID int64) bool { return u.CanWriteActivities(unitID) }

// CanRunClasses reports whether u may run the classes of some unit — the
// people who enter activities: focal staff and reporters — and so has
// the classes' management to go to.
func (u User) CanRunClasses() bool { return u.Role == RoleFocal || u.Role == RoleReporter }

// RequireClassOrganiser returns EFORBIDDEN unless u may run the classes of unitID.
func (u User) RequireClassOrganiser(unitID int64) error {
	if u.CanOrganiseClass(unitID) {
		return nil
	}
	return Forbidden("chỉ cán bộ đầu mối và đơn vị tổ chức lớp được quản lý lớp tập huấn này", "only focal-point staff and the organiser unit may run this class")
}

// RequireClassRegistrations returns EFORBIDDEN unless u may read the
// registrations of a class of unitID, which carry contact details: its
// organisers, and whoever reads the calls' registrations.
func (u User) RequireClassRegistrations(unitID int64) error {
	if u.CanOrganiseClass(unitID) || u.CanSeeContacts() {
		return nil
	}
	return Forbidden("chỉ cán bộ đầu mối và đơn vị tổ chức lớp xem được danh sách đăng ký", "only focal-point staff and the organiser unit may read the class's registrations")
}

// ClassRef is the Ref of the activity a class's attendance writes.
func ClassRef(classID int64) string {
	return PortalRefPrefix + "class-" + strconv.FormatInt(classID, 10)
}

// ClassActivity is the activity a class's attendance makes: the organiser
// did it, on the class's first day — when the enterprises came, so that a
// class across a year's end counts once, in the year it began — in the
// class's task group; the metrics pc names take the distinct enterprises
// present and the people present; the enterprises present are its
// beneficiaries. present holds the people present by tax code; ok is false
// when nobody came, and the class then makes no activity.
func ClassActivity(c Class, pc PortalCounting, present map[string]int) (a Activity, ok bool) {
	people := 0
	for _, n := range present {
		people += n
	}
	if people == 0 {
		return Activity{}, false
	}
	a = Activity{UnitID: c.UnitID, Date: c.StartsOn, TaskGroup: c.TaskGroup, Kind: KindTraining,
		Source: "Lịch tập huấn trên cổng thông tin, điểm danh của đơn vị tổ chức", Ref: ClassRef(c.ID)}
	for code, n := range present {
		if n > 0 {
			a.Beneficiaries = append(a.Beneficiaries, code)
		}
	}
	a.Description = c.description(len(a.Beneficiaries), people)
	slices.Sort(a.Beneficiaries)
	if pc.ClassEnterprisesMetric != "" {
		a.Quantities = append(a.Quantities, Quantity{Metric: pc.ClassEnterprisesMetric, Value: int64(len(a.Beneficiaries))})
	}
	if pc.ClassTraineesMetric != "" {
		a.Quantities = append(a.Quantities, Quantity{Metric: pc.ClassTraineesMetric, Value: int64(people)})
	}
	return a, true
}

// description is the class's activity's description, which the report's
// footnotes cite as they cite any activity's, in the seed's words: what,
// when, where, for how many — "Lớp tập huấn “…” ngày 12/05/2027 tại …
// cho 02 doanh nghiệp, 03 học viên (lịch tập huấn trên cổng thông tin của
// Chương trình)".
func (c Class) description(enterprises, people int) string {
	when := c.StartsOn.Format("02/01/2006")
	if !c.EndsOn.IsZero() && !c.EndsOn.Equal(c.StartsOn) {
		when = "từ ngày " + when + " đến ngày " + c.EndsOn.Format("02/01/2006")
	} else {
		when = "ngày " + when
	}
	where := "trực tuyến"
	if c.Place != "" {
		where = "tại " + c.Place
	}
	return fmt.Sprintf("Lớp tập huấn “%s” %s %s cho %s doanh nghiệp, %s học viên (lịch tập huấn trên cổng thông tin của Chương trình)",
		c.Title, when, where, vnfmt.Count(int64(enterprises)), vnfmt.Count(int64(people)))
}
