package nscl

import (
	"strings"
	"testing"
	"time"
)

// A tax code (mã số thuế) is ten digits, or ten digits, a hyphen and three
// for a branch; nothing else.
func TestValidateTaxCode(t *testing.T) {
	for _, good := range []string{"0301234567", "0100109106", "0301234567-001", "0312345678-999"} {
		if err := ValidateTaxCode("tax_code", good); err != nil {
			t.Errorf("%q refused: %v", good, err)
		}
	}
	for _, bad := range []string{"", "030123456", "03012345678", "0301234567-01", "0301234567-0001", "0301234567-", "-001",
		"03012345a7", "0301234567 001", "0000000000", "0301234567-000", "0301234567_001", "0301234567-00a", "٠٣٠١٢٣٤٥٦٧", "0301234567-001-002", " 0301234567"} {
		err := ValidateTaxCode("tax_code", bad)
		if ErrorCode(err) != EINVALID || ErrorField(err) != "tax_code" {
			t.Errorf("%q: %v, want EINVALID on tax_code", bad, err)
		}
	}
}

func TestValidateEnterprise(t *testing.T) {
	good := func() Enterprise {
		return Enterprise{TaxCode: "0301234567", Name: " Công ty TNHH Cơ khí Sài Gòn ", Sector: "c", Size: SizeSmall,
			Contact: Contact{Name: "Nguyễn Văn A", Email: " A@Example.VN ", Phone: "+84 (28) 3829-1234"}}
	}
	e := good()
	if err := ValidateEnterprise(&e, false); err != nil {
		t.Fatalf("good enterprise refused: %v", err)
	}
	if e.Name != "Công ty TNHH Cơ khí Sài Gòn" || e.Sector != "C" || e.Contact.Email != "a@example.vn" {
		t.Errorf("not normalised: %+v", e)
	}
	unnamed := Enterprise{TaxCode: "0301234567-002"}
	if err := ValidateEnterprise(&unnamed, true); err != nil {
		t.Errorf("a tax code alone, allowed: %v", err)
	}
	for _, c := range []struct {
		name  string
		edit  func(*Enterprise)
		field string
	}{
		{"no name", func(e *Enterprise) { e.Name = "  " }, "name"},
		{"bad tax code", func(e *Enterprise) { e.TaxCode = "12345" }, "tax_code"},
		{"name too long", func(e *Enterprise) { e.Name = strings.Repeat("ạ", MaxEnterpriseName+1) }, "name"},
		{"sector of letters", func(e *Enterprise) { e.Sector = "ABC" }, "sector"},
		{"sector of six digits", func(e *Enterprise) { e.Sector = "101010" }, "sector"},
		{"unknown size", func(e *Enterprise) { e.Size = "huge" }, "size"},
		{"bad e-mail", func(e *Enterprise) { e.Contact.Email = "a@" }, "contact.email"},
		{"bad phone", func(e *Enterprise) { e.Contact.Phone = "gọi tôi" }, "contact.phone"},
	} {
		e := good()
		c.edit(&e)
		err := ValidateEnterprise(&e, false)
		if ErrorCode(err) != EINVALID || ErrorField(err) != c.field {
			t.Errorf("%s: %v, want EINVALID on %s", c.name, err, c.field)
		}
	}
	if SearchKey(good().SearchText()) != good().SearchText() || !strings.Contains(good().SearchText(), "co khi sai gon") {
		t.Errorf("search text %q", good().SearchText())
	}
}

func TestValidateRegistration(t *testing.T) {
	good := func() Registration {
		return Registration{CallID: 1, TaxCode: "0301234567", Name: "Công ty A", Contact: Contact{Email: "a@example.vn"}, Support: "Áp dụng ISO 9001"}
	}
	r := good()
	if err := ValidateRegistration(&r); err != nil || r.Kind != RegistrantEnterprise {
		t.Fatalf("good registration: %v, kind %q", err, r.Kind)
	}
	for _, c := range []struct {
		name  string
		edit  func(*Registration)
		field string
	}{
		{"bad tax code", func(r *Registration) { r.TaxCode = "03012345" }, "tax_code"},
		{"no name", func(r *Registration) { r.Name = "" }, "name"},
		{"no way to reply", func(r *Registration) { r.Contact = Contact{Name: "A"} }, "contact.email"},
		{"nothing asked", func(r *Registration) { r.Support = " " }, "support_requested"},
		{"too much asked", func(r *Registration) { r.Support = strings.Repeat("x", MaxSupportRequest+1) }, "support_requested"},
		{"unknown kind", func(r *Registration) { r.Kind = "bot" }, "kind"},
	} {
		r := good()
		c.edit(&r)
		err := ValidateRegistration(&r)
		if ErrorCode(err) != EINVALID || ErrorField(err) != c.field {
			t.Errorf("%s: %v, want EINVALID on %s", c.name, err, c.field)
		}
	}

	now := time.Date(2022, 10, 1, 9, 0, 0, 0, time.UTC)
	r = good()
	r.Status = RegistrationPending
	if err := r.Decline(7, "  ", now); ErrorField(err) != "reason" {
		t.Errorf("decline without a reason: %v", err)
	}
	if err := r.Decline(7, "Ngoài phạm vi hỗ trợ", now); err != nil || r.Status != RegistrationDeclined || r.ReviewerID != 7 {
		t.Errorf("decline: %v %+v", err, r)
	}
	if err := r.Accept(7, 3, now); ErrorCode(err) != ECONFLICT {
		t.Errorf("accepting a declined registration: %v, want ECONFLICT", err)
	}
}

func TestCallOpenOn(t *testing.T) {
	day := func(m time.Month, d int) time.Time { return time.Date(2022, m, d, 0, 0, 0, 0, time.UTC) }
	c := Call{OpensOn: day(9, 23), ClosesOn: day(10, 31)}
	for _, tc := range []struct {
		at   time.Time
		open bool
	}{
		{day(9, 22), false}, {day(9, 23), true}, {day(10, 31).Add(23 * time.Hour), true}, {day(11, 1), false},
	} {
		if c.OpenOn(tc.at) != tc.open {
			t.Errorf("open on %v: %v, want %v", tc.at, !tc.open, tc.open)
		}
	}
	if !(Call{OpensOn: day(9, 23)}).OpenOn(day(12, 31).AddDate(5, 0, 0)) {
		t.Error("a call without a closing date stays open")
	}
}

// Indicators counted in enterprises are known by their unit, or by the
// distinct rule.
func TestCountsEnterprises(t *testing.T) {
	for _, c := range []struct {
		m    Metric
		want bool
	}{
		{Metric{Unit: "lượt doanh nghiệp", Rule: RuleSum}, true},
		{Metric{Unit: "Doanh nghiệp", Rule: RuleSum}, true},
		{Metric{Unit: "học viên", Rule: RuleDistinct}, true},
		{Metric{Unit: "lượt chuyên gia", Rule: RuleSum}, false},
		{Metric{Unit: "phòng thử nghiệm", Rule: RuleLast}, false},
	} {
		if got := c.m.CountsEnterprises(); got != c.want {
			t.Errorf("%+v: %v, want %v", c.m, got, c.want)
		}
	}
}

func TestValidateMerge(t *testing.T) {
	a, b, merged := Enterprise{ID: 1, TaxCode: "0300000001"}, Enterprise{ID: 2, TaxCode: "0300000002"}, Enterprise{ID: 3, TaxCode: "0300000003", MergedInto: 1}
	if err := ValidateMerge(b, a, 0); err != nil {
		t.Errorf("plain merge: %v", err)
	}
	for _, c := range []struct {
		name       string
		from, into Enterprise
		code       string
	}{
		{"into itself", a, a, EINVALID}, {"a merged record", merged, b, ECONFLICT}, {"into a merged record", b, merged, EINVALID},
	} {
		if err := ValidateMerge(c.from, c.into, 0); ErrorCode(err) != c.code {
			t.Errorf("%s: %v, want %s", c.name, err, c.code)
		}
	}
	if err := ValidateMerge(a, b, 2); ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), "0300000002 vào 0300000001") {
		t.Errorf("a record others are merged into: %v, want EINVALID suggesting the other way", err)
	}
}
