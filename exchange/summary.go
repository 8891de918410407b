package exchange

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"nscl"
	"nscl/store"
)

// summaryFile is an nscl-summary file: one unit's figures for one year.
type summaryFile struct {
	Format     string          `json:"format"`
	Version    int             `json:"version"`
	ExportedAt string          `json:"exported_at,omitempty"`
	Programme  string          `json:"programme"` // code
	Unit       summaryUnit     `json:"unit"`
	Year       int             `json:"year"`
	Figures    []summaryFigure `json:"figures"`
}

type summaryUnit struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	ShortName string `json:"short_name,omitempty"`
	Level     string `json:"level,omitempty"`
}

// summaryFigure is one metric's figure. YearValue is what the unit's
// report shows for the year; for a last-value metric it is the value at the
// end of the year (each unit's latest, added up), and for a
// distinct-enterprise indicator the count of distinct enterprises, with
// the visits and the enterprises' tax codes beside it, so that the
// ministry counts an enterprise two provinces supported once.
type summaryFigure struct {
	Metric        string   `json:"metric"`
	YearValue     int64    `json:"year_value"`
	YearVisits    *int64   `json:"year_visits,omitempty"`
	Beneficiaries []string `json:"beneficiaries,omitempty"`
}

// ExportSummary writes the figures of a unit (with every unit under it)
// for one year as an nscl-summary file: what a province sends the
// ministry. Returns ENOTFOUND for an unknown programme or unit and
// EINVALID for a year outside the programme.
func ExportSummary(ctx context.Context, st *store.Store, programmeCode, unitCode string, year int, w io.Writer) error {
	prog, err := st.ProgrammeByCode(ctx, programmeCode)
	if err != nil {
		return err
	}
	if !prog.ContainsYear(year) {
		return nscl.Invalid("year", "năm %d nằm ngoài giai đoạn chương trình %d–%d", "year %d is outside the programme %d–%d", year, prog.StartYear, prog.EndYear)
	}
	unit, err := st.UnitByCode(ctx, unitCode)
	if err != nil {
		return err
	}
	// The unit's own tree at the end of the year, without the work of
	// units it succeeded: the Ministry holds their own summaries and
	// follows the successions itself, so carrying it here would count it
	// twice.
	own := nscl.YearEnd(year)
	own.Own = true
	// Counted from the programme's start, the cumulative of a last-value
	// metric is each unit's latest value: the stock at the end of the year.
	counted, err := st.Counted(ctx, unit.ID, own)
	if err != nil {
		return err
	}
	figures, err := st.FiguresWith(ctx, prog, unit.ID, prog.StartYear, year, store.FigureOptions{Boundaries: own, Units: counted.UnitIDs})
	if err != nil {
		return err
	}
	f := summaryFile{Format: FormatSummary, Version: Version, ExportedAt: formatTime(st.Now()), Programme: prog.Code,
		Unit: summaryUnit{Code: unit.Code, Name: unit.Name, ShortName: unit.ShortName, Level: string(unit.Level)},
		Year: year, Figures: []summaryFigure{}}
	for _, m := range prog.Metrics {
		fig := figures[m.Code]
		sf := summaryFigure{Metric: m.Code, YearValue: fig.YearValue}
		switch m.Rule {
		case nscl.RuleLast:
			sf.YearValue = fig.Cumulative
		case nscl.RuleDistinct:
			visits := fig.YearVisits
			sf.YearVisits = &visits
			if sf.Beneficiaries, err = st.DistinctBeneficiaries(ctx, m.ID, counted.UnitIDs, year); err != nil {
				return err
			}
		}
		f.Figures = append(f.Figures, sf)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(f); err != nil {
		return fmt.Errorf("exchange: unable to write summary: %w", err)
	}
	return nil
}

// ImportSummary imports an nscl-summary file into the database of the
// level above (a ministry): the summary's unit becomes, or already is, a
// unit under parentUnitCode, and each figure becomes one activity of it
// dated 31/12 of the year with the row key summary:<unit>:<year>:<metric>.
// So importing the same summary again changes nothing, and a corrected one
// replaces the figures the previous one gave (a figure gone to zero
// removes its activity). All in one transaction.
//
// Returns EINVALID for a file that is not an nscl-summary, a year outside
// the programme, a metric the programme does not have, or a unit that is
// already in the tree under another parent; ENOTFOUND for an unknown
// programme or parent unit.
func ImportSummary(ctx context.Context, st *store.Store, r io.Reader, parentUnitCode string) (Summary, error) {
	var f summaryFile
	if err := json.NewDecoder(r).Decode(&f); err != nil {
		return Summary{}, decodeError("", err)
	}
	switch {
	case f.Format != FormatSummary:
		return Summary{}, nscl.Invalid("format", "tệp có định dạng %q, không phải %q", "the file's format is %q, not %q", f.Format, FormatSummary)
	case f.Version != Version:
		return Summary{}, nscl.Invalid("version", "tệp có phiên bản %d; bản nscl này chỉ đọc phiên bản %d", "the file is version %d; this nscl reads version %d only", f.Version, Version)
	case nscl.NormalizeText(parentUnitCode) == "":
		return Summary{}, nscl.Invalid("parent", "cần chỉ định đơn vị cấp trên của %s (--parent)", "name the parent unit of %s (--parent)", f.Unit.Code)
	}
	var sum Summary
	err := st.Update(ctx, func(tx *store.Tx) error {
		var err error
		sum, err = importSummary(ctx, tx, f, parentUnitCode)
		return err
	})
	return sum, err
}

func importSummary(ctx context.Context, tx *store.Tx, f summaryFile, parentCode string) (Summary, error) {
	sum := Summary{Format: FormatSummary, Programme: f.Programme, Unit: f.Unit.Code, Year: f.Year}
	prog, err := tx.ProgrammeByCode(ctx, f.Programme)
	if err != nil {
		return sum, err
	}
	if !prog.ContainsYear(f.Year) {
		return sum, nscl.Invalid("year", "năm %d nằm ngoài giai đoạn chương trình %d–%d", "year %d is outside the programme %d–%d", f.Year, prog.StartYear, prog.EndYear)
	}
	unit, created, err := summaryUnitIn(ctx, tx, f.Unit, parentCode)
	if err != nil {
		return sum, err
	}
	sum.UnitCreated = created
	day, err := summaryDay(ctx, tx, unit, f.Year)
	if err != nil {
		return sum, err
	}
	prefix := fmt.Sprintf("summary:%s:%d:", unit.Code, f.Year)
	given, kept := map[string]bool{}, map[string]bool{} // metrics in the file; row keys it gave an activity
	for i, fig := range f.Figures {
		name := recordName("figures", i, "metric", fig.Metric)
		if given[fig.Metric] {
			return sum, inRecord(name, nscl.Invalid("metric", "chỉ tiêu %q có hai lần trong tệp", "metric %q is given twice", fig.Metric))
		}
		given[fig.Metric] = true
		a, ok, err := summaryActivity(prog, unit, day, prefix, fig)
		if err != nil {
			return sum, inRecord(name, err)
		}
		if !ok {
			continue
		}
		kept[a.Ref] = true
		outcome, err := tx.ImportActivity(ctx, prog, &a)
		if err != nil {
			return sum, inRecord(name, err)
		}
		switch outcome {
		case store.Created:
			sum.Created++
		case store.Updated:
			sum.Updated++
		default:
			sum.Unchanged++
		}
	}
	// What an earlier summary gave and this one no longer does goes.
	earlier, err := tx.ActivitiesWithRefPrefix(ctx, prog, prefix)
	if err != nil {
		return sum, err
	}
	for _, k := range earlier {
		if kept[k.Ref] {
			continue
		}
		if err := tx.DeleteActivity(ctx, prog, k.ID, k.Version); err != nil {
			return sum, err
		}
		sum.Removed++
	}
	return sum, nil
}

// summaryUnitIn returns the summary's unit in the tree, adding it under
// the parent when it is not there yet.
func summaryUnitIn(ctx context.Context, tx *store.Tx, su summaryUnit, parentCode string) (nscl.OrgUnit, bool, error) {
	parent, err := tx.UnitByCode(ctx, parentCode)
	if err != nil {
		return parent, false, err
	}
	unit, err := tx.UnitByCode(ctx, su.Code)
	switch nscl.ErrorCode(err) {
	case "":
		if unit.ParentID != parent.ID {
			return unit, false, nscl.Invalid("unit", "đơn vị %s đã có trong cây nhưng không thuộc %s", "unit %s is already in the tree, but not under %s", unit.Code, parent.Code)
		}
		return unit, false, nil
	case nscl.ENOTFOUND:
		unit = nscl.OrgUnit{ParentID: parent.ID, Code: su.Code, Name: su.Name, ShortName: su.ShortName, Level: nscl.UnitLevel(su.Level)}
		if unit.Level == "" {
			unit.Level = nscl.LevelProvince
		}
		if err := tx.CreateUnit(ctx, &unit); err != nil {
			return unit, false, inRecord("unit", err)
		}
		return unit, true, nil
	}
	return unit, false, err
}

// summaryDay is the day a summary's figures are dated: the end of the
// year, or the unit's last day when it closed during the year (a province
// absorbed on 1 July gives its figures up to 30 June). A unit closed
// before the year began has no figures for it: the refusal names the
// units its work went on in, whose summaries carry it.
func summaryDay(ctx context.Context, tx *store.Tx, unit nscl.OrgUnit, year int) (time.Time, error) {
	day := time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC)
	if unit.ClosedOn.IsZero() || unit.ClosedOn.After(day) {
		return day, nil
	}
	if last := unit.ClosedOn.AddDate(0, 0, -1); last.Year() == year {
		return last, nil
	}
	successors, err := tx.Successors(ctx, unit.ID)
	if err != nil {
		return day, err
	}
	var names []string
	for _, s := range successors {
		names = append(names, s.Name+" ("+s.Code+")")
	}
	vi, en := "không có đơn vị kế tục trong hệ thống", "no successor on file"
	if len(names) > 0 {
		vi, en = "công việc do "+strings.Join(names, ", ")+" tiếp tục", "its work goes on in "+strings.Join(names, ", ")
	}
	closed := unit.ClosedOn.Format("02/01/2006")
	return day, &nscl.Error{Code: nscl.EINVALID, Field: "year",
		Message: fmt.Sprintf("đơn vị %s đã giải thể từ ngày %s (%s): không nhận số liệu năm %d của đơn vị này", unit.Code, closed, vi, year),
		English: fmt.Sprintf("unit %s closed on %s (%s): it has no figures for %d", unit.Code, closed, en, year)}
}

// summaryActivity is the activity that carries one figure, dated day; ok
// is false for a figure that adds nothing (zero, for a metric that is summed).
func summaryActivity(prog *nscl.Programme, unit nscl.OrgUnit, day time.Time, prefix string, fig summaryFigure) (a nscl.Activity, ok bool, err error) {
	m, found := prog.Metric(fig.Metric)
	if !found {
		return a, false, nscl.Invalid("metric", "chỉ tiêu hoặc số liệu %q không có trong chương trình %s", "indicator or measure %q is not in programme %s", fig.Metric, prog.Code)
	}
	value := fig.YearValue
	if m.Rule == nscl.RuleDistinct && fig.YearVisits != nil {
		value = *fig.YearVisits // the activity's quantity is visits; the enterprises are counted from the tax codes
	}
	// A stock of zero is a value: it replaces the unit's previous one.
	if value == 0 && len(fig.Beneficiaries) == 0 && m.Rule != nscl.RuleLast {
		return a, false, nil
	}
	group := m.TaskGroup
	if group == "" && len(prog.TaskGroups) > 0 {
		group = prog.TaskGroups[0].Letter
	}
	source := "Báo cáo tổng hợp (nscl-summary) của " + unit.Name
	if day.Month() != 12 || day.Day() != 31 {
		source += "; ghi ngày " + day.Format("02/01/2006") + ", ngày cuối đơn vị còn hoạt động"
	}
	return nscl.Activity{UnitID: unit.ID, Date: day, TaskGroup: group, Kind: nscl.KindOther,
		Description: fmt.Sprintf("Số liệu tổng hợp năm %d của %s: %s", day.Year(), unit.Name, m.Name),
		Source:      source,
		Ref:         prefix + m.Code, Quantities: []nscl.Quantity{{Metric: m.Code, Value: value}}, Beneficiaries: fig.Beneficiaries}, true, nil
}
