package nscl

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestErrorsKeepOneMistakePerField(t *testing.T) {
	var errs Errors
	if errs.Err() != nil {
		t.Fatal("no mistake is not nil")
	}
	errs.Add(nil)
	errs.Add(Required("name"))
	if e, ok := errs.Err().(*Error); !ok || e.Field != "name" {
		t.Fatalf("one mistake is %#v, want the *Error itself", errs.Err())
	}
	errs.Add(Invalid("name", "dài quá", "too long")) // the field has one already
	errs.Add(Errors{Invalid("date", "ngày sai", "bad date"), Required("unit")})
	errs.Add(fmt.Errorf("store: %w", Invalid("code", "mã trùng", "code taken")))
	got := []string{}
	for _, e := range errs {
		got = append(got, e.Field+"="+e.Message)
	}
	if strings.Join(got, " ") != "name=bắt buộc date=ngày sai unit=bắt buộc code=mã trùng" {
		t.Errorf("kept %v", got)
	}

	// Code reading one error sees the first, through wrapping too.
	err := fmt.Errorf("saving: %w", errs.Err())
	var first *Error
	if ErrorCode(err) != EINVALID || ErrorField(err) != "name" || !errors.As(err, &first) || first.Message != "bắt buộc" {
		t.Errorf("ErrorCode %q, ErrorField %q, first %v", ErrorCode(err), ErrorField(err), first)
	}
	if list := ErrorList(err); len(list) != 4 {
		t.Errorf("ErrorList: %d mistakes, want 4", len(list))
	}
	if !strings.Contains(err.Error(), "date: ngày sai (bad date)") {
		t.Errorf("the text: %s", err)
	}
	if ErrorList(errors.New("disk full")) != nil || len(ErrorList(Required("x"))) != 1 {
		t.Error("ErrorList of a fault, or of one mistake")
	}

	// A fault among mistakes is kept as one, not lost.
	errs.Add(errors.New("disk full"))
	if last := errs[len(errs)-1]; last.Code != EINTERNAL {
		t.Errorf("a fault kept as %+v", last)
	}
}

func TestValidatorsSayEveryMistake(t *testing.T) {
	prog := testProgramme()
	fields := func(err error) string {
		var out []string
		for _, e := range ErrorList(err) {
			out = append(out, e.Field+"="+e.Message)
		}
		return strings.Join(out, " ")
	}
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"a blank activity", ValidateActivity(&Activity{}, prog),
			"unit=bắt buộc date=bắt buộc task_group=bắt buộc kind=bắt buộc description=bắt buộc"},
		{"an activity with bad figures", ValidateActivity(&Activity{UnitID: 1, Date: time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC), TaskGroup: "z", Kind: KindTraining, Description: " ",
			Quantities: []Quantity{{"trainees", -1}, {"ghost", 1}}, Beneficiaries: []string{"123"}}, prog),
			`date=ngày 01/01/2019 nằm ngoài giai đoạn chương trình 2021–2030 task_group=nhóm nhiệm vụ "z" không có trong chương trình description=bắt buộc quantities.trainees=số liệu không được âm quantities.ghost=chỉ tiêu hoặc số liệu "ghost" không có trong chương trình beneficiaries.1=mã số thuế "123" không hợp lệ: cần 10 chữ số, hoặc 10 chữ số, dấu gạch và 3 chữ số cho chi nhánh`},
		{"a blank unit", ValidateUnit(OrgUnit{}, nil), "code=bắt buộc name=bắt buộc level=bắt buộc"},
		{"a blank plan", ValidatePlan(Plan{}, prog), "kind=bắt buộc name=bắt buộc start_year=bắt buộc end_year=bắt buộc"},
		{"a blank round", ValidateRound(Round{}, prog), "title=bắt buộc period_start=bắt buộc period_end=bắt buộc deadline=bắt buộc units=chưa chọn đơn vị nào được yêu cầu báo cáo"},
		{"a blank document", ValidateDocument(Document{Type: " "}), "type=bắt buộc number=bắt buộc issuer=bắt buộc"},
		{"a blank user", ValidateNewUser(User{}, ""), "email=bắt buộc name=bắt buộc role=bắt buộc unit=bắt buộc password=bắt buộc"},
		{"a blank enterprise", ValidateEnterprise(&Enterprise{Sector: "z9"}, false), `tax_code=bắt buộc name=bắt buộc sector=mã ngành "Z9" không hợp lệ (mã VSIC: một chữ cái A–U, hoặc 2 đến 5 chữ số)`},
		{"a blank call", ValidateCall(&Call{}), "title=bắt buộc opens_on=bắt buộc"},
		{"a blank registration", ValidateRegistration(&Registration{}),
			"tax_code=bắt buộc name=bắt buộc contact.email=cần ghi e-mail hoặc số điện thoại để liên hệ support_requested=bắt buộc"},
		{"a blank sign-in", ValidateSignIn(" ", ""), "email=bắt buộc password=bắt buộc"},
	} {
		if got := fields(c.err); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
		if ErrorCode(c.err) != EINVALID {
			t.Errorf("%s: code %q", c.name, ErrorCode(c.err))
		}
	}
	for _, parse := range []func() error{
		func() error { _, err := ParseDate("date", " "); return err },
		func() error { _, err := ParseQuantity("q", ""); return err },
		func() error { _, err := ParseYear("start_year", ""); return err },
	} {
		if e := parse(); ErrorCode(e) != EINVALID || !strings.Contains(e.Error(), "bắt buộc (required)") {
			t.Errorf("nothing typed: %v", e)
		}
	}
	if y, err := ParseYear("end_year", " 2025 "); y != 2025 || err != nil {
		t.Errorf("ParseYear(2025) = %d, %v", y, err)
	}
	if _, err := ParseYear("end_year", "20x5"); ErrorField(err) != "end_year" {
		t.Errorf("ParseYear(20x5): %v", err)
	}
}
