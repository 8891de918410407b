package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"nscl"
	"nscl/demo"
)

// The unit search finds units by code or by name without diacritics, at
// most 20, only those the caller may read.
func TestUnitSearch(t *testing.T) {
	ts := newTestServer(t)
	focal, reporter := ts.client(t, "focal@demo.local"), ts.client(t, "thuduc@demo.local")
	search := func(c *http.Client, q string) []apiUnitMatch {
		var found []apiUnitMatch
		getJSON(t, c, ts.URL+"/api/v1/units/search?"+url.Values{"q": {q}}.Encode(), &found)
		return found
	}
	codes := func(found []apiUnitMatch) string {
		var out []string
		for _, u := range found {
			out = append(out, u.Code)
		}
		return strings.Join(out, " ")
	}
	if got := codes(search(focal, "thu duc")); got != "HCM-THUDUC HCM-P-THUDUC" && got != "HCM-P-THUDUC HCM-THUDUC" {
		t.Errorf("thu duc: %s, want the city of Thủ Đức and the ward", got)
	}
	if got := codes(search(focal, "THỦ ĐỨC")); !strings.Contains(got, "HCM-THUDUC") {
		t.Errorf("THỦ ĐỨC: %s", got)
	}
	if got := search(focal, "hcm-thu"); len(got) == 0 || got[0].Code != "HCM-THUDUC" {
		t.Errorf("a code's beginning comes first: %v", got)
	}
	if got := search(focal, "ủy ban"); len(got) != unitMatches {
		t.Errorf("a common word: %d units, want the first %d", len(got), unitMatches)
	}
	if got := codes(search(reporter, "thu duc")); got != demo.UnitThuDuc {
		t.Errorf("a reporter of Thủ Đức finds %q, want its own unit only", got)
	}
	if got := search(focal, " "); len(got) != 0 {
		t.Errorf("nothing typed finds %v", got)
	}
}

// Past 50 units a unit field is a text field for the code, searched with
// scripts; the code or a unit's name is read by the server, as an import
// reads it, and anything else refused, naming what was typed. Below 50 it
// stays a list.
func TestUnitFieldsOfALargeTree(t *testing.T) {
	ts := newTestServer(t)
	focal := ts.client(t, "focal@demo.local")
	_, page := fetch(t, focal, "GET", ts.URL+"/?unit="+demo.UnitThuDuc, "", "")
	if !strings.Contains(page, `<input name="unit" value="HCM-THUDUC" list="unit-choices" data-unit-search`) || strings.Count(page, "<option value=\"HCM-") != 0 {
		t.Errorf("the dashboard of a tree of 138 units lists them or has no search field")
	}
	_, page = fetch(t, focal, "GET", ts.URL+"/activities?unit="+demo.UnitThuDuc, "", "")
	if !strings.Contains(page, `<input name="unit" value="HCM-THUDUC" list="unit-choices" data-unit-search`) {
		t.Errorf("the activity list's unit filter is not a search field")
	}
	code, page := fetch(t, focal, "GET", ts.URL+"/?"+url.Values{"unit": {"thành phố thủ đức"}}.Encode(), "", "")
	if code != http.StatusOK || !strings.Contains(page, `value="HCM-THUDUC"`) {
		t.Errorf("a name only one unit holds: %d", code)
	}
	typed := "không có đơn vị này"
	code, page = fetch(t, focal, "GET", ts.URL+"/activities?"+url.Values{"unit": {typed}}.Encode(), "", "")
	if code != http.StatusBadRequest || !strings.Contains(alertText(page), "Đơn vị: không có đơn vị") || !strings.Contains(alertText(page), typed) {
		t.Errorf("unit=%s: %d %q, want 400 naming the field and what was typed", typed, code, alertText(page))
	}
	few := make([]nscl.OrgUnit, selectUnitsUpTo-1)
	for i := range few {
		few[i] = nscl.OrgUnit{ID: int64(i + 1), Code: fmt.Sprintf("U%02d", i)}
	}
	if len(unitChoices(few)) != len(few) || unitChoices(append(few, nscl.OrgUnit{ID: 99, Code: "U99"})) != nil {
		t.Errorf("the list is kept below %d units and dropped from it", selectUnitsUpTo)
	}
}
