package exchange

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"nscl"
	"nscl/demo"
	"nscl/store"
)

// The registry the tests add. Each merged record is named beside its main
// record in the same indicator and year, so that a lost merge shows in the
// distinct counts.
const (
	tcMechanics = "0301234567"     // named in loadDemoPlus's activities
	tcUnnamed   = "0307654322-001" // likewise; a tax code alone
	tcBranch    = "0307654323-001" // likewise; entered before tcMechanics and merged into it
	tcFoods     = "0312345678"
	tcFoodsDup  = "0312345679" // the same firm entered again with a slip; merged into tcFoods
)

// addRegistry adds to a demo database (after loadDemoPlus) a registry with
// two merges, two activities naming its tax codes, and a second call with
// a closing date and no notice.
func addRegistry(t *testing.T, st *store.Store) {
	t.Helper()
	prog, err := st.ProgrammeByCode(t.Context(), demo.ProgrammeCode)
	if err != nil {
		t.Fatal(err)
	}
	update(t, st, func(ctx context.Context, tx *store.Tx) error {
		ids := map[string]int64{}
		for _, e := range []nscl.Enterprise{
			{TaxCode: tcBranch, Name: "Chi nhánh Công ty TNHH Cơ khí Chính xác Sài Gòn tại Thủ Đức"},
			{TaxCode: tcMechanics, Name: "Công ty TNHH Cơ khí Chính xác Sài Gòn", Address: "12 Đường số 7, phường Linh Trung",
				District: "Thành phố Thủ Đức", Sector: "2592", Size: nscl.SizeSmall,
				Contact: nscl.Contact{Name: "Nguyễn Thị Lan", Email: "lan@cokhisg.vn", Phone: "028 3896 1234"}},
			{TaxCode: tcUnnamed},
			{TaxCode: tcFoods, Name: "Công ty Cổ phần Thực phẩm Bình An", District: "Quận 8", Sector: "10", Size: nscl.SizeMedium,
				Contact: nscl.Contact{Phone: "+84 28 3850 0000"}},
			{TaxCode: tcFoodsDup, Name: "Cty CP Thực phẩm Bình An"},
		} {
			if err := tx.CreateEnterprise(ctx, &e, true); err != nil {
				return err
			}
			ids[e.TaxCode] = e.ID
		}
		if err := tx.MergeEnterprise(ctx, ids[tcBranch], ids[tcMechanics]); err != nil {
			return err
		}
		if err := tx.MergeEnterprise(ctx, ids[tcFoodsDup], ids[tcFoods]); err != nil {
			return err
		}
		dept, err := tx.UnitByCode(ctx, demo.UnitDept)
		if err != nil {
			return err
		}
		trade, err := tx.UnitByCode(ctx, demo.UnitTrade)
		if err != nil {
			return err
		}
		for _, a := range []nscl.Activity{
			{UnitID: dept.ID, Date: day(2023, 6, 1), TaskGroup: "c", Kind: nscl.KindConsulting, Description: "Tư vấn cải tiến năng suất theo 5S",
				Quantities: []nscl.Quantity{{Metric: demo.EnterprisesSupported, Value: 2}}, Beneficiaries: []string{tcFoodsDup, tcMechanics}},
			{UnitID: trade.ID, Date: day(2023, 8, 15), TaskGroup: "d", Kind: nscl.KindTraining, Description: "Lớp tập huấn Lean cho doanh nghiệp thực phẩm",
				Quantities: []nscl.Quantity{{Metric: demo.TrainingEnterprises, Value: 2}}, Beneficiaries: []string{tcFoods, tcFoodsDup}},
		} {
			if err := tx.CreateActivity(ctx, prog, &a); err != nil {
				return err
			}
		}
		return tx.CreateCall(ctx, &nscl.Call{ProgrammeID: prog.ID, Title: "Mời đăng ký tham gia đào tạo chuyên gia năng suất năm 2023",
			OpensOn: day(2023, 3, 1), ClosesOn: day(2023, 4, 30)})
	})
}

// registryRecord is a record as an exchange file carries it: its fields,
// and the tax code of the record it is merged into.
type registryRecord struct {
	nscl.Enterprise
	into string
}

func registry(t *testing.T, st *store.Store) []registryRecord {
	t.Helper()
	var out []registryRecord
	err := st.EachEnterprise(t.Context(), func(e nscl.Enterprise, into string) error {
		e.ID, e.Version, e.MergedInto = 0, 0, 0 // the database's own
		out = append(out, registryRecord{e, into})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// calls lists the programme's calls with the document each cites by
// number/symbol.
func calls(t *testing.T, st *store.Store) []string {
	t.Helper()
	prog, err := st.ProgrammeByCode(t.Context(), demo.ProgrammeCode)
	if err != nil {
		t.Fatal(err)
	}
	docs, err := st.Documents(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	keys := map[int64]string{}
	for _, d := range docs {
		keys[d.ID] = d.NumberSymbol()
	}
	list, err := st.Calls(t.Context(), prog)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range list {
		out = append(out, fmt.Sprintf("%s | %s | %s | %s…%s", c.Title, c.Description, keys[c.DocumentID], formatDate(c.OpensOn), formatDate(c.ClosesOn)))
	}
	return out
}

// allFigures counts every metric for the unit and the units under it, for
// year and since the programme began, with what beneficiary lists say
// (which figures leaves out).
func allFigures(t *testing.T, st *store.Store, unit string, year int) map[string]nscl.Figures {
	t.Helper()
	prog, err := st.ProgrammeByCode(t.Context(), demo.ProgrammeCode)
	if err != nil {
		t.Fatal(err)
	}
	u, err := st.UnitByCode(t.Context(), unit)
	if err != nil {
		t.Fatal(err)
	}
	f, err := st.Figures(t.Context(), prog, u.ID, prog.StartYear, year)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func enterpriseCount(t *testing.T, st *store.Store) int {
	t.Helper()
	page, err := st.Enterprises(t.Context(), store.EnterpriseFilter{Merged: true})
	if err != nil || page.Count.More {
		t.Fatal(page.Count, err)
	}
	return int(page.Count.N)
}

func TestRoundTripKeepsTheRegistryAndItsMerges(t *testing.T) {
	eachEngine(t, func(t *testing.T, open func() *store.Store) {
		a, b := open(), open()
		loadDemoPlus(t, a)
		addRegistry(t, a)
		fileA := export(t, a, demo.ProgrammeCode)

		sum, err := Import(t.Context(), b, bytes.NewReader(fileA))
		if err != nil {
			t.Fatalf("Import: %v", err)
		}
		if sum.Enterprises != 5 || sum.Merged != 2 || sum.Calls != 2 {
			t.Errorf("summary %+v, want 5 enterprises, 2 merged, 2 calls", sum)
		}
		for _, s := range []string{
			`{"tax_code":"0307654323-001","name":"Chi nhánh Công ty TNHH Cơ khí Chính xác Sài Gòn tại Thủ Đức","merged_into":"0301234567"}`,
			`"contact":{"name":"Nguyễn Thị Lan","email":"lan@cokhisg.vn","phone":"028 3896 1234"}`,
			`{"tax_code":"0307654322-001"}`,
			`"closes_on":"2023-04-30"`, `"document":"1905/TB-SKH-CN"`,
		} {
			if !bytes.Contains(fileA, []byte(s)) {
				t.Errorf("the export lacks %s", s)
			}
		}

		if ra, rb := registry(t, a), registry(t, b); !slices.Equal(ra, rb) {
			t.Errorf("the registry differs after the round trip:\n%+v\nversus\n%+v", ra, rb)
		}
		if ca, cb := calls(t, a), calls(t, b); !slices.Equal(ca, cb) || len(ca) != 2 {
			t.Errorf("the calls differ after the round trip:\n%q\nversus\n%q", ca, cb)
		}
		for _, year := range []int{2022, 2023} {
			fa, fb := allFigures(t, a, demo.UnitCity, year), allFigures(t, b, demo.UnitCity, year)
			if !maps.Equal(fa, fb) {
				t.Errorf("%d: the figures differ after the round trip:\n%+v\nversus\n%+v", year, fa, fb)
			}
		}
		// Merged, the four tax codes one indicator names are three
		// enterprises, and the two the other names are one; without the
		// merges, four and two.
		f := allFigures(t, b, demo.UnitCity, 2023)
		if got := f[demo.EnterprisesSupported].YearReach.Enterprises; got != 3 {
			t.Errorf("enterprises supported in 2023 after the import: %d, want 3", got)
		}
		if got := f[demo.TrainingEnterprises].YearReach.Enterprises; got != 1 {
			t.Errorf("enterprises trained in 2023 after the import: %d, want 1", got)
		}
		if got := f[demo.EnterprisesSupported].CumulativeReach.Enterprises; got != 3 {
			t.Errorf("enterprises supported since 2021 after the import: %d, want 3", got)
		}
		for _, year := range []int{2022, 2023} {
			if ra, rb := reports(t, a, year), reports(t, b, year); ra != rb {
				t.Errorf("%d: the reports differ after the round trip:\n%s", year, firstDifference(ra, rb))
			}
		}
		fileB := export(t, b, demo.ProgrammeCode)
		if x, y := exportedAt.ReplaceAll(fileA, nil), exportedAt.ReplaceAll(fileB, nil); !bytes.Equal(x, y) {
			t.Errorf("exporting the import again gives another file:\n%s", firstDifference(string(x), string(y)))
		}
	})
}

// A distinct-rule indicator counts the enterprises themselves: its figure,
// not only what the beneficiary lists say beside it, depends on the merges.
func TestRoundTripKeepsDistinctCounts(t *testing.T) {
	eachEngine(t, func(t *testing.T, open func() *store.Store) {
		a, b := open(), open()
		province(t, a, "HCM", "Thành phố Hồ Chí Minh",
			act("c", 1, map[string]int64{mSupported: 2}, tcFoods, tcFoodsDup),
			act("c", 2, map[string]int64{mSupported: 2}, tcFoodsDup, tcMechanics))
		update(t, a, func(ctx context.Context, tx *store.Tx) error {
			var ids []int64
			for _, tc := range []string{tcFoods, tcFoodsDup, tcMechanics} {
				e := nscl.Enterprise{TaxCode: tc}
				if err := tx.CreateEnterprise(ctx, &e, true); err != nil {
					return err
				}
				ids = append(ids, e.ID)
			}
			return tx.MergeEnterprise(ctx, ids[1], ids[0])
		})
		if _, err := Import(t.Context(), b, bytes.NewReader(export(t, a, "NSCL"))); err != nil {
			t.Fatalf("Import: %v", err)
		}
		fa, fb := allFigures(t, a, "HCM", 2023), allFigures(t, b, "HCM", 2023)
		if !maps.Equal(fa, fb) {
			t.Errorf("the figures differ after the round trip:\n%+v\nversus\n%+v", fa, fb)
		}
		if got := fb[mSupported]; got.YearValue != 2 || got.Cumulative != 2 || got.YearVisits != 4 {
			t.Errorf("the distinct indicator after the import: %+v, want 2 enterprises in 4 visits", got)
		}
	})
}

// A merge the file gets wrong is refused, naming the record, and nothing
// is written.
func TestImportRefusesABadMerge(t *testing.T) {
	eachEngine(t, func(t *testing.T, open func() *store.Store) {
		a := open()
		loadDemoPlus(t, a)
		addRegistry(t, a)
		lines := strings.Split(string(export(t, a, demo.ProgrammeCode)), "\n")
		first := indexOf(lines, `  "enterprises": [`) + 1
		record := func(taxCode string) int {
			for i := first; i < len(lines) && strings.HasPrefix(lines[i], "    {"); i++ {
				if strings.Contains(lines[i], `"tax_code":"`+taxCode+`"`) {
					return i
				}
			}
			t.Fatalf("no record of %s in the export", taxCode)
			return 0
		}
		cases := []struct {
			name, taxCode, old, new, want string
		}{
			{"not in the file", tcFoodsDup, `"merged_into":"0312345678"`, `"merged_into":"0399999999"`,
				`merged_into: không có doanh nghiệp mã số thuế "0399999999" trong tệp`},
			{"into a merged record", tcBranch, `"merged_into":"0301234567"`, `"merged_into":"0312345679"`,
				`merged_into: doanh nghiệp 0312345679 đã được gộp vào một doanh nghiệp khác`},
			{"into itself", tcUnnamed, `"tax_code":"0307654322-001"`, `"tax_code":"0307654322-001","merged_into":"0307654322-001"`,
				`merged_into: không gộp một doanh nghiệp vào chính nó`},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				bad := append([]string(nil), lines...)
				i := record(c.taxCode)
				bad[i] = strings.Replace(bad[i], c.old, c.new, 1)
				if bad[i] == lines[i] {
					t.Fatalf("the change did not apply to %s", lines[i])
				}
				b := open()
				_, err := Import(t.Context(), b, strings.NewReader(strings.Join(bad, "\n")))
				want := fmt.Sprintf("enterprises[%d] (tax code %s): %s", i-first, c.taxCode, c.want)
				if nscl.ErrorCode(err) != nscl.EINVALID || !strings.Contains(err.Error(), want) {
					t.Errorf("got %v, want an invalid error with %q", err, want)
				}
				if got := counts(t, b); got != "0 units, 0 documents, 0 activities" || enterpriseCount(t, b) != 0 {
					t.Errorf("a failed import left %s and %d enterprises", got, enterpriseCount(t, b))
				}
			})
		}
	})
}

// A tax code the database already has is refused, as its units and
// documents are.
func TestImportRefusesATaxCodeAlreadyThere(t *testing.T) {
	eachEngine(t, func(t *testing.T, open func() *store.Store) {
		a, b := open(), open()
		loadDemoPlus(t, a)
		addRegistry(t, a)
		file := export(t, a, demo.ProgrammeCode)
		update(t, b, func(ctx context.Context, tx *store.Tx) error {
			return tx.CreateEnterprise(ctx, &nscl.Enterprise{TaxCode: tcFoods, Name: "Công ty Cổ phần Thực phẩm Bình An"}, false)
		})
		_, err := Import(t.Context(), b, bytes.NewReader(file))
		if nscl.ErrorCode(err) != nscl.ECONFLICT || !strings.Contains(err.Error(), "enterprises[3] (tax code "+tcFoods+"): tax_code:") {
			t.Errorf("importing a tax code the database has: %v, want a conflict naming the record", err)
		}
		if got := counts(t, b); got != "0 units, 0 documents, 0 activities" || enterpriseCount(t, b) != 1 {
			t.Errorf("a refused import left %s and %d enterprises", got, enterpriseCount(t, b))
		}
	})
}
