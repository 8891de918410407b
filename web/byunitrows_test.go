package web

import (
	"net/url"
	"testing"

	"nscl"
	"nscl/report"
)

// The table by unit's rows, drawn in Go: a child's name links to its own
// dashboard of the year with the page's boundaries, the unit's own work is
// named and not linked, names are escaped, and what waits for approval is
// written beside a figure only when there is some.
func TestByUnitRows(t *testing.T) {
	rows := []report.UnitRow{
		{Unit: nscl.OrgUnit{Code: "P-01", Name: "Sở <Khoa học> & Công nghệ"}, Values: []int64{16192, 0}, Pending: []int64{0, 3}},
		{Unit: nscl.OrgUnit{Code: "BO", Name: "Bộ"}, Own: true, Values: []int64{7, 1200}, Pending: []int64{0, 0}},
	}
	got := string(byUnitRows("vi", url.Values{"boundaries": {"current"}}, 2026, rows))
	want := `<tr data-unit="P-01"><td><a href="/?boundaries=current&amp;unit=P-01&amp;year=2026">Sở &lt;Khoa học&gt; &amp; Công nghệ</a></td>` +
		`<td class="num">16.192</td><td class="num">0 <span class="pending" title="chưa duyệt">(+3)</span></td></tr>` +
		`<tr data-unit="BO" class="own-work"><td>Bộ (phần tự thực hiện)</td><td class="num">7</td><td class="num">1.200</td></tr>`
	if got != want {
		t.Errorf("rows:\n%s\nwant\n%s", got, want)
	}
	if en := string(byUnitRows("en", url.Values{}, 2026, rows[1:])); en != `<tr data-unit="BO" class="own-work"><td>Bộ (its own work)</td><td class="num">7</td><td class="num">1.200</td></tr>` {
		t.Errorf("in English: %s", en)
	}
}
