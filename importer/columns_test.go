package importer

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"nscl"
	"nscl/demo"
	"nscl/store"
)

// A unit's own sheet: the template's columns, but the two figures under
// headings of its own and a row-number column first.
var ownHeading = []string{"STT", "Đơn vị", "Ngày thực hiện", "Nhóm nhiệm vụ", "Loại hoạt động", "Nội dung hoạt động", "Số DN tập huấn", "Số học viên"}

// Columns as problems name them.
const (
	colOwnDN = "G (Số DN tập huấn)"
	colOwnHV = "H (Số học viên)"
)

// own is a row of the unit's own sheet; figures as typed ("" for none).
type own struct{ unit, date, group, kind, desc, dn, hv string }

func ownRows(rows ...own) [][]string {
	out := [][]string{{"BÁO CÁO KẾT QUẢ NĂM 2023"}, nil, ownHeading}
	for i, r := range rows {
		out = append(out, []string{strconv.Itoa(i + 1), r.unit, r.date, r.group, r.kind, r.desc, r.dn, r.hv})
	}
	return out
}

// figuresOf adds up the figures of own rows as the unit meant them.
func figuresOf(rows ...own) map[string]int64 {
	out := map[string]int64{}
	for _, r := range rows {
		for code, v := range map[string]string{demo.TrainingEnterprises: r.dn, demo.Trainees: r.hv} {
			n, _ := strconv.ParseInt(strings.ReplaceAll(v, ".", ""), 10, 64)
			out[code] += n
		}
	}
	return out
}

var ownMapping = map[string]string{"Số DN tập huấn": demo.TrainingEnterprises, "so hoc vien": demo.Trainees}

// Thủ Đức's own sheet of 2023, the unit by its common name.
var (
	own5S     = own{"Thành phố Thủ Đức", "10/04/2023", "d", "tập huấn", "Lớp tập huấn 5S tại Thủ Đức", "14", "120"}
	ownKaizen = own{"Thành phố Thủ Đức", "11/04/2023", "d", "", "Lớp Kaizen cho doanh nghiệp nhỏ", "7", "1.060"}
)

// nothingWritten checks that an import left the activities and the kept
// totals as they were.
func (e *env) nothingWritten(t *testing.T, what string, count int, before totals) {
	t.Helper()
	if got := e.activityCount(t); got != count {
		t.Errorf("%s: activities %d, want %d: nothing written", what, got, count)
	}
	wantMoved(t, before, e.totals(t, 2023), nil)
}

// Issue 12: a sheet whose figures sit under headings of its own imported
// as "2 hoạt động mới" with every figure empty. Each way a figure could be
// lost is refused, or read once someone says what the column is.
func TestImportNeverDropsAFigure(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		count, before := e.activityCount(t), e.totals(t, 2023)

		// Renamed headings: refused, each column named at the heading row
		// with the metrics it could be; the row numbers are no figure.
		res := e.run(t, Request{Path: writeCSV(t, e.dir, "rieng.csv", ownRows(own5S, ownKaizen))})
		checkProblems(t, res.Problems, "rieng.csv", []wantProblem{
			{firstDataRow - 1, colOwnDN, "dòng 4 và 1 dòng khác"},
			{firstDataRow - 1, colOwnHV, "dòng 4 và 1 dòng khác"},
		})
		if len(res.Unmapped) != 2 || res.Unmapped[0].Candidates[0].Code != demo.TrainingEnterprises || res.Unmapped[1].Candidates[0].Code != demo.Trainees {
			t.Errorf("unmapped columns %+v: want training_enterprises, then trainees, first among the candidates", res.Unmapped)
		}
		if !strings.Contains(res.Problems[0].Message, "[training_enterprises]") || res.Problems[0].Decide != DecideColumn {
			t.Errorf("the problem does not name the heading it could be: %+v", res.Problems[0])
		}
		e.nothingWritten(t, "renamed headings", count, before)

		// An unknown heading beside the template's own: still refused when
		// it holds a value, even on one row only.
		rows := actRows(training, workshop)
		rows[2] = append(slices.Clone(heading), "Số DN tập huấn (bổ sung)")
		rows[4] = append(rows[4], "3")
		res = e.run(t, Request{Path: writeCSV(t, e.dir, "them.csv", rows)})
		checkProblems(t, res.Problems, "them.csv", []wantProblem{{firstDataRow - 1, "J (Số DN tập huấn (bổ sung))", "dòng 5"}})
		e.nothingWritten(t, "an unknown heading beside the template's", count, before)

		// "-5" and "mười" under an unknown heading: refused while it is
		// unknown, and refused as figures once it is read as one.
		bad := ownRows(own5S, own{"Thành phố Thủ Đức", "12/04/2023", "d", "", "Lớp âm", "-5", ""}, own{"HCM-THUDUC", "13/04/2023", "d", "", "Lớp bằng chữ", "mười", "10"})
		res = e.run(t, Request{Path: writeCSV(t, e.dir, "sai.csv", bad)})
		if len(res.Unmapped) != 2 || res.Unmapped[0].Rows != 3 || len(res.Problems) != 2 {
			t.Errorf("bad values under unknown headings: unmapped %+v%s", res.Unmapped, problemsText(res.Problems))
		}
		e.nothingWritten(t, "bad values under unknown headings", count, before)
		res = e.run(t, Request{Path: writeCSV(t, e.dir, "sai.csv", bad), Columns: ownMapping})
		checkProblems(t, res.Problems, "sai.csv", []wantProblem{{firstDataRow + 1, colOwnDN, "âm"}, {firstDataRow + 2, colOwnDN, "mười"}})
		e.nothingWritten(t, "bad values once mapped", count, before)

		// A row with no figure at all is a warning heard before writing:
		// held when not confirmed, nothing written.
		empty := own{"Thành phố Thủ Đức", "14/04/2023", "d", "", "Buổi giới thiệu chương trình", "", ""}
		var heard []Problem
		res = e.run(t, Request{Path: writeCSV(t, e.dir, "trong.csv", ownRows(own5S, empty)), Columns: ownMapping,
			Confirm: func(w []Problem) bool { heard = w; return false }})
		if !res.Held || len(res.Problems) != 0 || len(heard) != 1 || heard[0].Row != firstDataRow+1 || !strings.Contains(heard[0].Message, "không có số liệu") {
			t.Errorf("a row without figures: held %v, heard %+v%s", res.Held, heard, problemsText(res.Problems))
		}
		e.nothingWritten(t, "held for a row without figures", count, before)

		// Read as the unit says: written with its figures, and the totals
		// move by exactly them.
		res = e.run(t, Request{Path: writeCSV(t, e.dir, "rieng.csv", ownRows(own5S, ownKaizen)), Columns: ownMapping})
		wantCounts(t, "the own sheet mapped", res, 2, 2, 0, 0)
		wantMoved(t, before, e.totals(t, 2023), figuresOf(own5S, ownKaizen))
		if len(res.Read) != 2 || res.Read[0].Column != colOwnDN || res.Read[0].Remembered || res.Ignored[0] != "A (STT)" {
			t.Errorf("read %+v, ignored %q", res.Read, res.Ignored)
		}
		page, err := e.st.Activities(t.Context(), e.prog, store.ActivityFilter{UnitID: e.thuDuc.ID, Text: ownKaizen.desc})
		if err != nil || len(page.Activities) != 1 || page.Activities[0].Kind != nscl.KindTraining {
			t.Errorf("the row without a kind: %+v %v; want group d's default, training", page.Activities, err)
		}
		e.checkTotals(t)
	})
}

// What a unit said its headings hold is remembered for its next sheet —
// another year, with no flags — and audited; another unit's sheet of the
// same layout is asked again.
func TestImportRemembersColumnsPerUnit(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		res := e.run(t, Request{Path: writeCSV(t, e.dir, "2023.csv", ownRows(own5S)), Columns: map[string]string{"Số DN tập huấn": demo.TrainingEnterprises, "Số học viên": ""}})
		wantCounts(t, "first sheet, mapped", res, 1, 1, 0, 0)
		log, err := e.st.AuditLog(t.Context(), store.AuditFilter{Entity: "sheet_column", Limit: 10})
		if err != nil || len(log) != 2 {
			t.Fatalf("audit of the choices: %d entries, %v", len(log), err)
		}

		before := e.totals(t, 2024)
		next := own{"Ủy ban nhân dân Thành phố Thủ Đức", "05/03/2024", "d", "training", "Lớp 5S năm 2024", "9", "95"}
		res = e.run(t, Request{Path: writeCSV(t, e.dir, "2024.csv", ownRows(next))})
		wantCounts(t, "next year's sheet, no flags", res, 1, 1, 0, 0)
		if len(res.Read) != 1 || !res.Read[0].Remembered || res.Read[0].Metric != demo.TrainingEnterprises || !slices.Contains(res.Ignored, colOwnHV) {
			t.Errorf("read %+v, ignored %q: want the remembered choices", res.Read, res.Ignored)
		}
		after := e.totals(t, 2024)
		if got := after.unit[demo.TrainingEnterprises] - before.unit[demo.TrainingEnterprises]; got != 9 {
			t.Errorf("Thủ Đức's 2024 training moved by %d, want 9", got)
		}
		if got := after.unit[demo.Trainees] - before.unit[demo.Trainees]; got != 0 {
			t.Errorf("trainees moved by %d: the unit said its column is not read", got)
		}
		if log, _ := e.st.AuditLog(t.Context(), store.AuditFilter{Entity: "sheet_column", Limit: 10}); len(log) != 2 {
			t.Errorf("the remembered choices applied again wrote %d audit entries, want none more", len(log)-2)
		}

		// District 1's sheet of the same layout: its own choices, none yet.
		q1 := own{"Quận 1", "05/03/2024", "d", "training", "Lớp 5S của Quận 1", "4", "40"}
		count := e.activityCount(t)
		res = e.run(t, Request{Path: writeCSV(t, e.dir, "q1.csv", ownRows(q1))})
		if len(res.Unmapped) != 2 {
			t.Errorf("another unit's sheet: unmapped %+v, want both columns asked", res.Unmapped)
		}
		if got := e.activityCount(t); got != count {
			t.Errorf("another unit's sheet wrote %d activities", got-count)
		}

		// A choice changed replaces the one remembered.
		res = e.run(t, Request{Path: writeCSV(t, e.dir, "2024b.csv", ownRows(own{"HCM-THUDUC", "06/03/2024", "d", "training", "Lớp 5S bổ sung", "2", "30"})),
			Columns: map[string]string{"Số học viên": demo.Trainees}})
		wantCounts(t, "a choice changed", res, 1, 1, 0, 0)
		choices, err := e.st.ColumnChoices(t.Context(), e.prog, e.thuDuc.ID)
		if err != nil || choices[nscl.HeadingKey("Số học viên")].Metric != demo.Trainees || choices[nscl.HeadingKey("Số DN tập huấn")].Metric != demo.TrainingEnterprises {
			t.Errorf("remembered %+v %v", choices, err)
		}
		e.checkTotals(t)
	})
}

// A choice that cannot be is refused whole, naming the column.
func TestImportRefusesAnImpossibleColumnChoice(t *testing.T) {
	e := newEnv(t, t.TempDir()+"/nscl.db")
	path := writeCSV(t, e.dir, "rieng.csv", ownRows(own5S))
	for _, columns := range []map[string]string{
		{"Số DN tập huấn": "no_such_metric", "Số học viên": ""},
		{"Số DN tập huấn": demo.Trainees, "Số học viên": demo.Trainees},
	} {
		_, err := Import(t.Context(), e.st, Request{Programme: e.prog, Path: path, Columns: columns})
		if nscl.ErrorCode(err) != nscl.EINVALID || !strings.Contains(err.Error(), "Số") {
			t.Errorf("%v: %v, want EINVALID naming the column", columns, err)
		}
	}
}

// Units are found by what people call them; an unknown one is refused
// with the nearest names.
func TestImportFindsUnitsByTheirCommonNames(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		day := "20/05/2023"
		rows := actRows(
			act{unit: "Quận 1", desc: "Tập huấn tại Quận 1", date: day, group: "d", kind: "training", trainees: 10, training: 1},
			act{unit: "Thành phố Thủ Đức", desc: "Tập huấn tại Thủ Đức", date: day, group: "d", kind: "training", trainees: 11, training: 2},
			act{unit: "Sở Công Thương", desc: "Tập huấn của Sở Công Thương", date: day, group: "d", kind: "training", trainees: 12, training: 3},
			act{unit: "UBND Quận Gò Vấp", desc: "Tập huấn tại Gò Vấp", date: day, group: "d", kind: "training", trainees: 13, training: 4},
		)
		res := e.run(t, Request{Path: writeCSV(t, e.dir, "ten.csv", rows)})
		wantCounts(t, "units by common name", res, 4, 4, 0, 0)
		for code, desc := range map[string]string{"HCM-Q1": "Tập huấn tại Quận 1", demo.UnitThuDuc: "Tập huấn tại Thủ Đức", demo.UnitTrade: "Tập huấn của Sở Công Thương", "HCM-GVAP": "Tập huấn tại Gò Vấp"} {
			u, err := e.st.UnitByCode(t.Context(), code)
			if err != nil {
				t.Fatal(err)
			}
			page, err := e.st.Activities(t.Context(), e.prog, store.ActivityFilter{UnitID: u.ID, Text: desc})
			if err != nil || len(page.Activities) != 1 {
				t.Errorf("%s: %d activities %q, want 1", code, len(page.Activities), desc)
			}
		}

		count := e.activityCount(t)
		unknown := actRows(
			act{unit: "Quận 01", desc: "Lớp sai tên quận", date: day, group: "d", kind: "training", trainees: 5},
			act{unit: "Thủ Đúc", desc: "Lớp sai dấu", date: day, group: "d", kind: "training", trainees: 5},
		)
		res = e.run(t, Request{Path: writeCSV(t, e.dir, "sai-ten.csv", unknown)})
		checkProblems(t, res.Problems, "sai-ten.csv", []wantProblem{
			{firstDataRow, colUnit, "có phải là: Quận 1 (HCM-Q1)"},
			// Among the suggestions, after the 2025 ward of the same name.
			{firstDataRow + 1, colUnit, "Thành phố Thủ Đức (HCM-THUDUC)"},
		})
		if got := e.activityCount(t); got != count {
			t.Errorf("activities %d, want %d", got, count)
		}
	})
}
