package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"nscl"
	"nscl/demo"
	"nscl/store"
)

// addEnterprise puts a described firm in the registry.
func addEnterprise(t *testing.T, ts *testServer, e nscl.Enterprise) nscl.Enterprise {
	t.Helper()
	ctx := context.Background()
	if err := ts.store.Update(ctx, func(tx *store.Tx) error { return tx.CreateEnterprise(ctx, &e, false) }); err != nil {
		t.Fatal(err)
	}
	return e
}

// addSupport records an activity of the unit naming the tax code as its beneficiary.
func addSupport(t *testing.T, ts *testServer, unitCode, group, description string, day time.Time, taxCode string) nscl.Activity {
	t.Helper()
	ctx := context.Background()
	prog, err := ts.store.ProgrammeByCode(ctx, demo.ProgrammeCode)
	if err != nil {
		t.Fatal(err)
	}
	unit, err := ts.store.UnitByCode(ctx, unitCode)
	if err != nil {
		t.Fatal(err)
	}
	metric := map[string]string{"c": demo.EnterprisesSupported, "d": demo.TrainingEnterprises}[group]
	a := nscl.Activity{UnitID: unit.ID, Date: day, TaskGroup: group, Kind: nscl.KindTraining, Description: description,
		Quantities: []nscl.Quantity{{Metric: metric, Value: 1}}, Beneficiaries: []string{taxCode}}
	if err := ts.store.Update(ctx, func(tx *store.Tx) error { return tx.CreateActivity(ctx, prog, &a) }); err != nil {
		t.Fatal(err)
	}
	return a
}

func enterpriseForm(values map[string]string) string {
	v := url.Values{}
	for k, s := range values {
		v.Set(k, s)
	}
	return v.Encode()
}

func TestEnterpriseCreate(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	focal, reporter, admin := ts.client(t, "focal@demo.local"), ts.client(t, "thuduc@demo.local"), ts.client(t, "admin@demo.local")

	body := enterpriseForm(map[string]string{"tax_code": "0301234567", "name": "Công ty TNHH Bình An", "address": "12 Lê Lợi", "district": "Quận 1",
		"sector": "1010", "size": "small", "contact_name": "Nguyễn Văn A", "contact_email": "lienhe@binhan.vn", "contact_phone": "028 3822 1234"})
	resp, _ := send(t, focal, "POST", ts.URL+"/enterprises", formType, body)
	e, err := ts.store.EnterpriseByTaxCode(ctx, "0301234567")
	if err != nil {
		t.Fatalf("focal create: %d, and no record: %v", resp.StatusCode, err)
	}
	if resp.StatusCode != 303 || resp.Header.Get("Location") != fmt.Sprintf("/enterprises/%d", e.ID) {
		t.Errorf("focal create: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if e.Name != "Công ty TNHH Bình An" || e.Size != nscl.SizeSmall || e.Contact.Email != "lienhe@binhan.vn" || e.Contact.Phone != "028 3822 1234" {
		t.Errorf("stored: %+v", e)
	}

	// A reporter adds firms but neither sees nor types contact details.
	if code, form := fetch(t, reporter, "GET", ts.URL+"/enterprises/new", "", ""); code != 200 || strings.Contains(form, "contact_email") {
		t.Errorf("reporter's form: %d, offers contact fields: %v", code, strings.Contains(form, "contact_email"))
	}
	body = enterpriseForm(map[string]string{"tax_code": "0309876543-001", "name": "Chi nhánh Công ty Phú Cường", "contact_email": "x@phucuong.vn"})
	if code, _ := fetch(t, reporter, "POST", ts.URL+"/enterprises", formType, body); code != 303 {
		t.Errorf("reporter create: %d", code)
	}
	if e, err := ts.store.EnterpriseByTaxCode(ctx, "0309876543-001"); err != nil || e.Contact.Email != "" {
		t.Errorf("reporter's record: %+v, %v", e, err)
	}

	// An administrator does not add firms.
	if code, _ := fetch(t, admin, "GET", ts.URL+"/enterprises/new", "", ""); code != 403 {
		t.Errorf("admin form: %d, want 403", code)
	}
	body = enterpriseForm(map[string]string{"tax_code": "0311111111", "name": "Công ty Quản Trị"})
	if code, _ := fetch(t, admin, "POST", ts.URL+"/enterprises", formType, body); code != 403 {
		t.Errorf("admin create: %d, want 403", code)
	}
	if _, err := ts.store.EnterpriseByTaxCode(ctx, "0311111111"); nscl.ErrorCode(err) != nscl.ENOTFOUND {
		t.Errorf("admin's refused record exists: %v", err)
	}
}

func TestEnterpriseFormKeepsValuesAndShowsMistakes(t *testing.T) {
	ts := newTestServer(t)
	focal := ts.client(t, "focal@demo.local")

	body := enterpriseForm(map[string]string{"tax_code": "12345", "name": "Công ty Hoa Sen", "district": "Quận 3", "contact_email": "lienhe@hoasen.vn"})
	code, html := fetch(t, focal, "POST", ts.URL+"/enterprises", formType, body)
	if code != 400 {
		t.Fatalf("bad tax code: %d", code)
	}
	for _, want := range []string{`value="12345"`, `value="Công ty Hoa Sen"`, `value="Quận 3"`, `value="lienhe@hoasen.vn"`,
		`<span class="field-error">mã số thuế &#34;12345&#34; không hợp lệ`} {
		if !strings.Contains(html, want) {
			t.Errorf("the form again lacks %q", want)
		}
	}

	body = enterpriseForm(map[string]string{"tax_code": "0301234567", "name": "Công ty Hoa Sen", "contact_email": "không phải e-mail"})
	if code, html := fetch(t, focal, "POST", ts.URL+"/enterprises", formType, body); code != 400 || !strings.Contains(html, "địa chỉ e-mail") {
		t.Errorf("bad e-mail: %d", code)
	}

	// A taken tax code: the message at the field, with a link to the record.
	first := addEnterprise(t, ts, nscl.Enterprise{TaxCode: "0301234567", Name: "Công ty Đã Có"})
	body = enterpriseForm(map[string]string{"tax_code": "0301234567", "name": "Công ty Trùng"})
	code, html = fetch(t, focal, "POST", ts.URL+"/enterprises", formType, body)
	if code != 409 {
		t.Fatalf("duplicate: %d", code)
	}
	for _, want := range []string{"mã số thuế 0301234567 đã có trong danh bạ", fmt.Sprintf(`href="/enterprises/%d"`, first.ID), `value="Công ty Trùng"`} {
		if !strings.Contains(html, want) {
			t.Errorf("duplicate form lacks %q", want)
		}
	}
}

func TestEnterpriseSearchIgnoresDiacritics(t *testing.T) {
	ts := newTestServer(t)
	addEnterprise(t, ts, nscl.Enterprise{TaxCode: "0101234567", Name: "Công ty Cổ phần Thực phẩm Hà Nội", District: "Quận Ba Đình", Sector: "1079", Size: nscl.SizeMedium})
	addEnterprise(t, ts, nscl.Enterprise{TaxCode: "0301234567", Name: "Công ty TNHH Sài Gòn Xanh", District: "Quận 1", Sector: "4620", Size: nscl.SizeSmall})
	c := ts.client(t, "thuduc@demo.local")
	for query, want := range map[string]string{
		"q=ha+noi":               "Hà Nội",
		"q=HA+NOI":               "Hà Nội",
		"q=0301":                 "Sài Gòn Xanh",
		"district=ba+dinh":       "Hà Nội",
		"sector=46":              "Sài Gòn Xanh",
		"size=medium":            "Hà Nội",
		"q=sai+gon&size=small":   "Sài Gòn Xanh",
		"q=cong+ty&district=q+1": "", // "q 1" is not "quan 1"
	} {
		code, body := fetch(t, c, "GET", ts.URL+"/enterprises?"+query, "", "")
		if code != 200 {
			t.Errorf("%s: %d", query, code)
			continue
		}
		other := map[string]string{"Hà Nội": "Sài Gòn Xanh", "Sài Gòn Xanh": "Hà Nội"}[want]
		if want != "" && !strings.Contains(body, want) || other != "" && strings.Contains(body, other) {
			t.Errorf("%s: want %q only", query, want)
		}
		if want == "" && (strings.Contains(body, "Hà Nội") || strings.Contains(body, "Sài Gòn Xanh")) {
			t.Errorf("%s: want nothing", query)
		}
	}
	if _, body := fetch(t, c, "GET", ts.URL+"/enterprises", "", ""); !strings.Contains(body, `<span id="enterprise-total">2</span>`) {
		t.Errorf("the list does not count 2 records")
	}
}

func TestEnterpriseListPages(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	err := ts.store.Update(ctx, func(tx *store.Tx) error {
		for i := range 55 {
			e := nscl.Enterprise{TaxCode: fmt.Sprintf("03%08d", i), Name: fmt.Sprintf("Công ty số %02d", i)}
			if err := tx.CreateEnterprise(ctx, &e, false); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	c := ts.client(t, "focal@demo.local")
	_, first := fetch(t, c, "GET", ts.URL+"/enterprises?q=cong+ty", "", "")
	next := regexp.MustCompile(`id="next-page" href="([^"]*)"`).FindStringSubmatch(first)
	if !strings.Contains(first, "Công ty số 49") || strings.Contains(first, "Công ty số 50") || next == nil || !strings.Contains(next[1], "q=cong") {
		t.Fatalf("first page: wrong records or no link to the next within the search")
	}
	_, second := fetch(t, c, "GET", ts.URL+html.UnescapeString(next[1]), "", "")
	if !strings.Contains(second, "Công ty số 54") || strings.Contains(second, "Công ty số 49") || !strings.Contains(second, `id="first-page" href="/enterprises?q=cong&#43;ty"`) ||
		strings.Contains(second, `id="next-page"`) {
		t.Errorf("second page: wrong records, a next page or no link to the first")
	}
	if !strings.Contains(second, `<span id="enterprise-total">55</span>`) {
		t.Errorf("second page: the count is not 55")
	}
}

func TestEnterpriseContactsOnlyForFocalAndAdmin(t *testing.T) {
	ts := newTestServer(t)
	e := addEnterprise(t, ts, nscl.Enterprise{TaxCode: "0301234567", Name: "Công ty Bình An",
		Contact: nscl.Contact{Name: "Trần Thị Liên", Email: "lien.tran@binhan.vn", Phone: "0903 123 456"}})
	pages := []string{"/enterprises", fmt.Sprintf("/enterprises/%d", e.ID), "/api/v1/enterprises?q=binh+an"}
	for _, who := range []string{"focal@demo.local", "admin@demo.local", "thuduc@demo.local"} {
		c := ts.client(t, who)
		for _, p := range pages {
			code, body := fetch(t, c, "GET", ts.URL+p, "", "")
			if code != 200 || !strings.Contains(body, "Công ty Bình An") {
				t.Errorf("%s %s: %d, or the firm is missing", who, p, code)
				continue
			}
			want := who != "thuduc@demo.local" && !strings.HasPrefix(p, "/api/")
			for _, detail := range []string{"lien.tran@binhan.vn", "Trần Thị Liên", "0903 123 456"} {
				if strings.Contains(body, detail) != want {
					t.Errorf("%s %s: shows %q: %v, want %v", who, p, detail, !want, want)
				}
			}
		}
	}
	// Nor on a form the reporter can reach.
	if code, body := fetch(t, ts.client(t, "thuduc@demo.local"), "GET", ts.URL+fmt.Sprintf("/enterprises/%d/edit", e.ID), "", ""); code != 403 || strings.Contains(body, "binhan.vn") {
		t.Errorf("reporter's edit: %d", code)
	}
}

func TestEnterprisePageListsSupports(t *testing.T) {
	ts := newTestServer(t)
	e := addEnterprise(t, ts, nscl.Enterprise{TaxCode: "0301234567", Name: "Công ty Bình An"})
	training := addSupport(t, ts, demo.UnitThuDuc, "d", "Lớp tập huấn 5S tại Thủ Đức", time.Date(2023, 5, 20, 0, 0, 0, 0, time.UTC), e.TaxCode)
	coaching := addSupport(t, ts, demo.UnitDept, "c", "Tư vấn áp dụng ISO 9001", time.Date(2023, 8, 3, 0, 0, 0, 0, time.UTC), e.TaxCode)
	later := addSupport(t, ts, demo.UnitDept, "d", "Khóa đào tạo Lean", time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC), e.TaxCode)
	path := fmt.Sprintf("%s/enterprises/%d", ts.URL, e.ID)

	code, body := fetch(t, ts.client(t, "focal@demo.local"), "GET", path, "", "")
	if code != 200 {
		t.Fatalf("page: %d", code)
	}
	for _, want := range []string{
		"Lớp tập huấn 5S tại Thủ Đức", "Tư vấn áp dụng ISO 9001", "Ủy ban nhân dân Thành phố Thủ Đức", "Sở Khoa học và Công nghệ Thành phố Hồ Chí Minh",
		"20/05/2023", "03/08/2023", "15/03/2024", "tập huấn, đào tạo", "d) Đào tạo nguồn nhân lực",
		fmt.Sprintf(`<a href="/activities/%d/edit">`, training.ID), fmt.Sprintf(`<a href="/activities/%d/edit">`, coaching.ID),
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	// Newest year first; within a year, by task group: c before d.
	y2024, y2023 := strings.Index(body, `id="year-2024"`), strings.Index(body, `id="year-2023"`)
	c, d, l := strings.Index(body, coaching.Description), strings.Index(body, training.Description), strings.Index(body, later.Description)
	if !(y2024 >= 0 && y2024 < l && l < y2023 && y2023 < c && c < d) {
		t.Errorf("order: 2024 at %d, Lean at %d, 2023 at %d, ISO at %d, 5S at %d", y2024, l, y2023, c, d)
	}
	// Each year counts its supports by task group.
	summary := body[y2023:]
	summary = summary[:strings.Index(summary, "</p>")]
	prog, _ := ts.store.ProgrammeByCode(context.Background(), demo.ProgrammeCode)
	gc, _ := prog.TaskGroup("c")
	gd, _ := prog.TaskGroup("d")
	if want := fmt.Sprintf("c) %s: 1; d) %s: 1", gc.Name, gd.Name); !strings.Contains(summary, want) {
		t.Errorf("2023 summary: %q, want %q", summary, want)
	}

	// A reporter reads its own unit's activities only, and edits them where the list would.
	_, body = fetch(t, ts.client(t, "thuduc@demo.local"), "GET", path, "", "")
	if !strings.Contains(body, training.Description) || strings.Contains(body, coaching.Description) {
		t.Errorf("reporter: sees own support %v, other unit's %v", strings.Contains(body, training.Description), strings.Contains(body, coaching.Description))
	}
	if !strings.Contains(body, translate(langVI, "ent.hidden")+" 2") {
		t.Errorf("reporter: the two hidden supports are not counted")
	}
	// An administrator reads all and edits none.
	_, body = fetch(t, ts.client(t, "admin@demo.local"), "GET", path, "", "")
	if !strings.Contains(body, coaching.Description) || strings.Contains(body, "/edit\"") {
		t.Errorf("admin: reads every support and has no edit link")
	}
}

func TestEnterpriseMergeAndUnmerge(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	focal, admin := ts.client(t, "focal@demo.local"), ts.client(t, "admin@demo.local")
	dup := addEnterprise(t, ts, nscl.Enterprise{TaxCode: "0301234567", Name: "Cty Bình An (nhập trùng)"})
	main := addEnterprise(t, ts, nscl.Enterprise{TaxCode: "0307654321", Name: "Công ty TNHH Bình An"})
	addSupport(t, ts, demo.UnitThuDuc, "d", "Tập huấn cho bản ghi trùng", time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC), dup.TaxCode)
	addSupport(t, ts, demo.UnitDept, "d", "Tập huấn cho bản ghi chính", time.Date(2023, 7, 1, 0, 0, 0, 0, time.UTC), main.TaxCode)
	dupPath, mainPath := fmt.Sprintf("/enterprises/%d", dup.ID), fmt.Sprintf("/enterprises/%d", main.ID)

	// The merge form is the focal user's.
	if _, body := fetch(t, focal, "GET", ts.URL+dupPath, "", ""); !strings.Contains(body, `action="`+dupPath+`/merge"`) {
		t.Errorf("focal: no merge form")
	}
	if _, body := fetch(t, admin, "GET", ts.URL+dupPath, "", ""); strings.Contains(body, "/merge") {
		t.Errorf("admin: a merge form")
	}
	if code, _ := fetch(t, admin, "POST", ts.URL+dupPath+"/merge", formType, "into="+main.TaxCode); code != 403 {
		t.Errorf("admin merges: %d, want 403", code)
	}
	// Mistakes show on the page, beside the form.
	for into, want := range map[string]string{"0399999999": "không có doanh nghiệp mã số thuế 0399999999", dup.TaxCode: "không gộp một doanh nghiệp vào chính nó", "abc": "không hợp lệ"} {
		code, body := fetch(t, focal, "POST", ts.URL+dupPath+"/merge", formType, "into="+into)
		if code != 400 || !strings.Contains(body, want) || !strings.Contains(body, `value="`+into+`"`) {
			t.Errorf("merge into %s: %d, message %v", into, code, strings.Contains(body, want))
		}
	}

	resp, _ := send(t, focal, "POST", ts.URL+dupPath+"/merge", formType, "into="+main.TaxCode+"&confirm=1")
	if resp.StatusCode != 303 || resp.Header.Get("Location") != mainPath {
		t.Fatalf("merge: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body := fetch(t, focal, "GET", ts.URL+mainPath, "", "")
	for _, want := range []string{"Tập huấn cho bản ghi trùng", "Tập huấn cho bản ghi chính", `<a href="` + dupPath + `">`} {
		if !strings.Contains(body, want) {
			t.Errorf("survivor after the merge lacks %q", want)
		}
	}
	_, body = fetch(t, focal, "GET", ts.URL+dupPath, "", "")
	if !strings.Contains(body, `id="merged-into"`) || !strings.Contains(body, `href="`+mainPath+`"`) || strings.Contains(body, "/unmerge") {
		t.Errorf("merged record: no banner linking the survivor, or an unmerge button for focal")
	}
	if _, list := fetch(t, focal, "GET", ts.URL+"/enterprises?q=binh+an", "", ""); strings.Contains(list, dup.Name) {
		t.Errorf("the list shows the merged record without being asked")
	}
	if _, list := fetch(t, focal, "GET", ts.URL+"/enterprises?q=binh+an&merged=1", "", ""); !strings.Contains(list, dup.Name) || !strings.Contains(list, translate(langVI, "ent.merged_mark")) {
		t.Errorf("the list with merged records lacks the merged one, or its mark")
	}

	// Only an administrator undoes it.
	if code, _ := fetch(t, focal, "POST", ts.URL+dupPath+"/unmerge", formType, "confirm=1"); code != 403 {
		t.Errorf("focal unmerges: %d, want 403", code)
	}
	if _, body := fetch(t, admin, "GET", ts.URL+dupPath, "", ""); !strings.Contains(body, `action="`+dupPath+`/unmerge"`) {
		t.Errorf("admin: no unmerge button")
	}
	resp, _ = send(t, admin, "POST", ts.URL+dupPath+"/unmerge", formType, "confirm=1")
	if resp.StatusCode != 303 || resp.Header.Get("Location") != dupPath {
		t.Fatalf("unmerge: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body = fetch(t, focal, "GET", ts.URL+mainPath, "", "")
	if strings.Contains(body, "Tập huấn cho bản ghi trùng") || !strings.Contains(body, "Tập huấn cho bản ghi chính") {
		t.Errorf("survivor after the unmerge still shows the other's support")
	}
	_, body = fetch(t, focal, "GET", ts.URL+dupPath, "", "")
	if !strings.Contains(body, "Tập huấn cho bản ghi trùng") || strings.Contains(body, `id="merged-into"`) {
		t.Errorf("the record after the unmerge: its support missing, or still marked merged")
	}
	if code, _ := fetch(t, admin, "POST", ts.URL+dupPath+"/unmerge", formType, "confirm=1"); code != 409 {
		t.Errorf("unmerge twice: %d, want 409", code)
	}
	entries, err := ts.store.AuditLog(ctx, store.AuditFilter{Entity: "enterprise", EntityID: fmt.Sprint(dup.ID)})
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]bool{}
	for _, e := range entries {
		actions[e.Action] = true
	}
	if !actions["merge"] || !actions["unmerge"] {
		t.Errorf("audit of the record: %v", actions)
	}
}

func TestEnterpriseEdit(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	e := addEnterprise(t, ts, nscl.Enterprise{TaxCode: "0301234567", Name: "Công ty Bình An", Contact: nscl.Contact{Email: "cu@binhan.vn"}})
	path := fmt.Sprintf("%s/enterprises/%d", ts.URL, e.ID)
	focal := ts.client(t, "focal@demo.local")
	for _, who := range []string{"admin@demo.local", "thuduc@demo.local"} {
		c := ts.client(t, who)
		if code, _ := fetch(t, c, "GET", path+"/edit", "", ""); code != 403 {
			t.Errorf("%s edit form: %d, want 403", who, code)
		}
		if code, _ := fetch(t, c, "POST", path, formType, enterpriseForm(map[string]string{"name": "X", "version": "1"})); code != 403 {
			t.Errorf("%s edit: %d, want 403", who, code)
		}
	}
	code, form := fetch(t, focal, "GET", path+"/edit", "", "")
	if code != 200 || !strings.Contains(form, `name="version" value="1"`) || !strings.Contains(form, `value="cu@binhan.vn"`) {
		t.Fatalf("edit form: %d", code)
	}
	edit := map[string]string{"name": "Công ty Cổ phần Bình An", "district": "Quận 1", "size": "medium", "contact_email": "moi@binhan.vn", "version": "1"}
	if code, _ := fetch(t, focal, "POST", path, formType, enterpriseForm(edit)); code != 303 {
		t.Fatalf("edit: %d", code)
	}
	got, _ := ts.store.Enterprise(ctx, e.ID)
	if got.Name != "Công ty Cổ phần Bình An" || got.Size != nscl.SizeMedium || got.Contact.Email != "moi@binhan.vn" || got.TaxCode != e.TaxCode {
		t.Errorf("after the edit: %+v", got)
	}
	// The same form again, from version 1: someone else's change is not overwritten.
	edit["name"] = "Tên cũ ghi đè"
	code, body := fetch(t, focal, "POST", path, formType, enterpriseForm(edit))
	if code != 409 || !strings.Contains(body, `value="Tên cũ ghi đè"`) || !strings.Contains(body, `id="stale"`) {
		t.Errorf("stale edit: %d", code)
	}
	if got, _ := ts.store.Enterprise(ctx, e.ID); got.Name != "Công ty Cổ phần Bình An" {
		t.Errorf("a stale edit was written: %q", got.Name)
	}
	edit["name"], edit["version"] = "", fmt.Sprint(got.Version)
	if code, body := fetch(t, focal, "POST", path, formType, enterpriseForm(edit)); code != 400 || !strings.Contains(body, "bắt buộc") {
		t.Errorf("edit without a name: %d", code)
	}
}

func TestEnterpriseUnknown(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t, "focal@demo.local")
	for _, p := range []string{"/enterprises/99999", "/enterprises/abc", "/enterprises/99999/edit"} {
		if code, body := fetch(t, c, "GET", ts.URL+p, "", ""); code != 404 || !strings.Contains(body, translate(langVI, "errpage.title.404")) {
			t.Errorf("%s: %d, want the 404 page", p, code)
		}
	}
	if code, _ := fetch(t, c, "POST", ts.URL+"/enterprises/99999/merge", formType, "into=0301234567"); code != 404 {
		t.Errorf("merge of an unknown record: %d", code)
	}
	if code, _ := fetch(t, ts.client(t, ""), "GET", ts.URL+"/enterprises", "", ""); code != 303 {
		t.Errorf("anonymous registry: %d, want a redirect to sign in", code)
	}
}

func TestEnterpriseSearchAPI(t *testing.T) {
	ts := newTestServer(t)
	hn := addEnterprise(t, ts, nscl.Enterprise{TaxCode: "0101234567", Name: "Công ty Thực phẩm Hà Nội", Contact: nscl.Contact{Email: "lienhe@thucpham.vn"}})
	addEnterprise(t, ts, nscl.Enterprise{TaxCode: "0301234567", Name: "Công ty Sài Gòn"})
	c := ts.client(t, "thuduc@demo.local")
	code, body := fetch(t, c, "GET", ts.URL+"/api/v1/enterprises?q=ha+noi", "", "")
	var got []map[string]any
	if code != 200 || json.Unmarshal([]byte(body), &got) != nil {
		t.Fatalf("%d %s", code, body)
	}
	if len(got) != 1 || got[0]["id"] != float64(hn.ID) || got[0]["tax_code"] != hn.TaxCode || got[0]["name"] != hn.Name || len(got[0]) != 3 {
		t.Errorf("matches: %v", got)
	}
	if strings.Contains(body, "lienhe") {
		t.Errorf("the API shows contacts: %s", body)
	}
	if _, body := fetch(t, c, "GET", ts.URL+"/api/v1/enterprises?q=khong+co", "", ""); strings.TrimSpace(body) != "[]" {
		t.Errorf("no match: %s", body)
	}
	if code, _ := fetch(t, ts.client(t, ""), "GET", ts.URL+"/api/v1/enterprises?q=ha", "", ""); code != 401 {
		t.Errorf("anonymous: %d", code)
	}
}

func TestEnterprisePagesAreTranslated(t *testing.T) {
	ts := newTestServer(t)
	e := addEnterprise(t, ts, nscl.Enterprise{TaxCode: "0301234567", Name: "Công ty Bình An", Size: nscl.SizeMicro, Sector: "C"})
	addSupport(t, ts, demo.UnitDept, "d", "Tập huấn", time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC), e.TaxCode)
	c := ts.client(t, "focal@demo.local")
	rawKey := rawKeyPattern()
	for _, lang := range []string{langVI, langEN} {
		fetch(t, c, "GET", ts.URL+"/lang/"+lang, "", "")
		for _, p := range []string{"/enterprises", "/enterprises/new", fmt.Sprintf("/enterprises/%d", e.ID), fmt.Sprintf("/enterprises/%d/edit", e.ID)} {
			code, body := fetch(t, c, "GET", ts.URL+p, "", "")
			if code != 200 || !strings.Contains(body, translate(lang, "ent.tax_code")) {
				t.Errorf("%s %s: %d", lang, p, code)
			}
			for _, m := range rawKey.FindAllStringSubmatch(body, -1) {
				if _, ok := catalogue[m[1]]; !ok {
					t.Errorf("%s %s shows %q", lang, p, m[1])
				}
			}
		}
		if _, body := fetch(t, c, "GET", ts.URL+"/enterprises", "", ""); !strings.Contains(body, translate(lang, "ent.size.micro")) {
			t.Errorf("%s: the size is not named in the page's language", lang)
		}
	}
}

// A reporter names a record an activity added by its tax code alone, and
// may not change one that has a name.
func TestReporterNamesAnUnnamedRecord(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	unnamed := nscl.Enterprise{TaxCode: "0301112223"}
	named := nscl.Enterprise{TaxCode: "0301112224", Name: "Công ty Đã có tên"}
	err := ts.store.Update(ctx, func(tx *store.Tx) error {
		if err := tx.CreateEnterprise(ctx, &unnamed, true); err != nil {
			return err
		}
		return tx.CreateEnterprise(ctx, &named, false)
	})
	if err != nil {
		t.Fatal(err)
	}
	reporter := ts.client(t, "thuduc@demo.local")
	form := url.Values{"name": {"Công ty TNHH Bao bì Thủ Đức"}, "version": {strconv.FormatInt(unnamed.Version, 10)}}
	if code, page := fetch(t, reporter, "POST", fmt.Sprintf("%s/enterprises/%d", ts.URL, unnamed.ID), "application/x-www-form-urlencoded", form.Encode()); code != http.StatusSeeOther {
		t.Fatalf("a reporter naming an unnamed record: %d\n%s", code, page)
	}
	if e, err := ts.store.Enterprise(ctx, unnamed.ID); err != nil || e.Name != "Công ty TNHH Bao bì Thủ Đức" {
		t.Errorf("after naming: %+v %v", e, err)
	}
	form.Set("version", strconv.FormatInt(named.Version, 10))
	if code, _ := fetch(t, reporter, "POST", fmt.Sprintf("%s/enterprises/%d", ts.URL, named.ID), "application/x-www-form-urlencoded", form.Encode()); code != http.StatusForbidden {
		t.Errorf("a reporter renaming a named record: %d, want 403", code)
	}
	if code, _ := fetch(t, reporter, "GET", fmt.Sprintf("%s/enterprises/%d/edit", ts.URL, named.ID), "", ""); code != http.StatusForbidden {
		t.Errorf("a reporter opening a named record's form: %d, want 403", code)
	}
}

// A registry past the count's cap says "more than 1.000", in each
// language, instead of counting every record on each page.
func TestEnterpriseListSaysMoreThanItsCap(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	err := ts.store.Update(ctx, func(tx *store.Tx) error {
		for i := range 1001 {
			e := nscl.Enterprise{TaxCode: fmt.Sprintf("03%08d", i), Name: fmt.Sprintf("Công ty số %04d", i)}
			if err := tx.CreateEnterprise(ctx, &e, false); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	c := ts.client(t, "focal@demo.local")
	if _, body := fetch(t, c, "GET", ts.URL+"/enterprises", "", ""); !strings.Contains(body, `<span id="enterprise-total">hơn 1.000</span>`) {
		t.Errorf("1.001 records: the count does not say more than 1.000")
	}
	fetch(t, c, "GET", ts.URL+"/lang/"+langEN, "", "")
	if _, body := fetch(t, c, "GET", ts.URL+"/enterprises", "", ""); !strings.Contains(body, `<span id="enterprise-total">more than 1.000</span>`) {
		t.Errorf("1.001 records, in English: the count does not say more than 1.000")
	}
}
