package report

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"nscl"
	"nscl/store"
	"nscl/vnfmt"
)

// Merger is what a report says of the former units it counts: how its
// targets were summed across a merger, and which former units it includes.
// Empty for a report that counts no former unit.
type Merger struct {
	// The origins of the targets summed across a merger, by indicator:
	// the multi-year plan's, the year's annual plan's, next year's.
	TargetOrigins, YearOrigins, NextOrigins nscl.TargetOrigins
	// FormerGroups are the former units the figures include, by
	// successor and day.
	FormerGroups []FormerGroup
}

// FormerGroup is the former units that went on in one successor on one day.
type FormerGroup struct {
	Units     []nscl.OrgUnit
	Successor nscl.OrgUnit
	On        time.Time
	Kind      nscl.SuccessionKind
}

// sumTargets sums the targets of the plans in force for unitID in year —
// the multi-year plan and the annual plans of the year and the next,
// each replaced by its sum — with those of the former units counted, and
// groups those units for the line that names them.
func sumTargets(ctx context.Context, st *store.Store, plans []nscl.Plan, former []FormerUnit, unitID int64, year int, plan *nscl.Plan, this, next **nscl.Plan) (Merger, error) {
	m, merged, err := MergerTargetsOf(ctx, st, plans, former)
	if err != nil || !merged {
		return Merger{}, err
	}
	var out Merger
	*plan, out.TargetOrigins = m.Sum(*plan, unitID, year)
	if *this != nil {
		p, o := m.Sum(**this, unitID, year)
		*this, out.YearOrigins = &p, o
	}
	if *next != nil {
		p, o := m.Sum(**next, unitID, year+1)
		*next, out.NextOrigins = &p, o
	}
	out.FormerGroups = formerGroups(former, m.Successions)
	return out, nil
}

// MergerTargetsOf returns what sums a successor's targets with those of
// the former units a report counts, and false when it counts none.
func MergerTargetsOf(ctx context.Context, st *store.Store, plans []nscl.Plan, former []FormerUnit) (nscl.MergerTargets, bool, error) {
	if len(former) == 0 {
		return nscl.MergerTargets{}, false, nil
	}
	units, err := st.Units(ctx)
	if err != nil {
		return nscl.MergerTargets{}, false, err
	}
	successions, err := st.Successions(ctx)
	if err != nil {
		return nscl.MergerTargets{}, false, err
	}
	docs, err := st.Documents(ctx)
	if err != nil {
		return nscl.MergerTargets{}, false, err
	}
	var brought []nscl.Succession
	for _, f := range former {
		brought = append(brought, nscl.Succession{PredecessorID: f.Unit.ID, SuccessorID: f.Successor.ID, On: f.On})
	}
	return nscl.MergerTargets{Former: brought, Successions: successions, Plans: plans, Units: units, Documents: docs}, true, nil
}

// formerGroups gathers the former units by successor, day and kind of
// succession, in the order they are brought in.
func formerGroups(former []FormerUnit, all []nscl.Succession) []FormerGroup {
	var groups []FormerGroup
	for _, f := range former {
		kind := nscl.KindOf(all, nscl.Succession{PredecessorID: f.Unit.ID, SuccessorID: f.Successor.ID, On: f.On})
		i := slices.IndexFunc(groups, func(g FormerGroup) bool {
			return g.Successor.ID == f.Successor.ID && g.On.Equal(f.On) && g.Kind == kind
		})
		if i < 0 {
			groups = append(groups, FormerGroup{Successor: f.Successor, On: f.On, Kind: kind})
			i = len(groups) - 1
		}
		groups[i].Units = append(groups[i].Units, f.Unit)
	}
	return groups
}

// FormerLine says in one line which former units the figures include:
// "Số liệu gồm kết quả của các đơn vị trước đây: Ủy ban nhân dân tỉnh Bình
// Dương, … (hợp nhất vào Ủy ban nhân dân Thành phố Hồ Chí Minh từ
// 01/07/2025)." "" when they include none.
func (m Merger) FormerLine() string { return m.formerLine(false) }

// FormerLineEnglish is FormerLine in English.
func (m Merger) FormerLineEnglish() string { return m.formerLine(true) }

func (m Merger) formerLine(english bool) string {
	if len(m.FormerGroups) == 0 {
		return ""
	}
	lead, on := "Số liệu gồm kết quả của các đơn vị trước đây: ", " từ "
	if english {
		lead, on = "The figures include the results of former units: ", " on "
	}
	var groups []string
	for _, g := range m.FormerGroups {
		verb, verbEN := g.verbs()
		if english {
			verb = verbEN
		}
		groups = append(groups, unitNames(g.Units)+" ("+verb+" "+g.Successor.Name+on+g.On.Format("02/01/2006")+")")
	}
	return lead + strings.Join(groups, "; ") + "."
}

func unitNames(units []nscl.OrgUnit) string {
	var names []string
	for _, u := range units {
		names = append(names, u.Name)
	}
	return strings.Join(names, ", ")
}

// verbs say, in Vietnamese and English, how the units went on in the
// successor: merged with others into it, split with part into it,
// renamed as a unit that opened that day, or absorbed into one that was
// there before.
func (g FormerGroup) verbs() (vi, en string) {
	switch {
	case g.Kind == nscl.KindMerge:
		return "hợp nhất vào", "merged into"
	case g.Kind == nscl.KindSplit:
		return "chia tách, một phần chuyển về", "split, partly into"
	case g.Successor.OpenedOn.Equal(g.On):
		return "nay là", "renamed"
	}
	return "sáp nhập vào", "absorbed into"
}

// shortName is how a target's origin names a unit: its short name when
// it has one.
func shortName(u nscl.OrgUnit) string {
	if u.ShortName != "" {
		return u.ShortName
	}
	return u.Name
}

// OriginText writes how a target counted in unit was summed, for a
// person to check: "11.800 lượt = 10.000 (TP. Hồ Chí Minh) + 1.000 (Bình
// Dương) + 800 (Bà Rịa – Vũng Tàu)", with each part left out after it:
// "; không cộng 500 (…): …". "" for a target not summed.
func OriginText(parts []nscl.TargetPart, unit string) string {
	return originText(parts, unit, "không cộng", func(p nscl.TargetPart) string { return p.Note })
}

// OriginTextEnglish is OriginText in English.
func OriginTextEnglish(parts []nscl.TargetPart, unit string) string {
	return originText(parts, unit, "not added", func(p nscl.TargetPart) string { return p.English })
}

func originText(parts []nscl.TargetPart, unit, notAdded string, note func(nscl.TargetPart) string) string {
	var sum int64
	var added, left []string
	for _, p := range parts {
		part := vnfmt.Int(p.Value) + " (" + shortName(p.Unit) + ")"
		if p.LeftOut {
			left = append(left, "; "+notAdded+" "+part+": "+note(p))
			continue
		}
		sum += p.Value
		added = append(added, part)
	}
	if len(added) == 0 && len(left) == 0 {
		return ""
	}
	s := strings.TrimSpace(vnfmt.Int(sum) + " " + unit)
	if len(added) > 0 {
		s += " = " + strings.Join(added, " + ")
	}
	return s + strings.Join(left, "")
}

// OriginLines say, per indicator, how its targets were summed across a
// merger: the multi-year plan's, then the year's annual plan's, then next
// year's. None when no target was.
func (r *Report) OriginLines() []string { return r.originLines(false) }

// OriginLinesEnglish are OriginLines in English; names stay as on file.
func (r *Report) OriginLinesEnglish() []string { return r.originLines(true) }

func (r *Report) originLines(english bool) []string {
	text, plan, year := OriginText, "Chỉ tiêu Kế hoạch 05 năm", "Chỉ tiêu năm %d"
	if english {
		text, plan, year = OriginTextEnglish, "Multi-year plan target", "%d target"
	}
	var lines []string
	for _, o := range []struct {
		origins nscl.TargetOrigins
		label   string
	}{{r.TargetOrigins, plan}, {r.YearOrigins, fmt.Sprintf(year, r.Year)}, {r.NextOrigins, fmt.Sprintf(year, r.Year+1)}} {
		for _, ind := range r.Indicators {
			if t := text(o.origins[ind.Metric.Code], ind.Metric.Unit); t != "" {
				lines = append(lines, o.label+" — "+ind.Metric.Name+": "+t)
			}
		}
	}
	return lines
}

// SummedNote is the line under the Word report's results table that says
// how its targets were summed across a merger, or "" when none was, so
// that a report without former units reads as before.
func (r *Report) SummedNote() string {
	var items []string
	for _, ind := range r.Indicators {
		if r.TargetOrigins.Summed(ind.Metric.Code) {
			items = append(items, lowerFirst(ind.Metric.Name)+" "+OriginText(r.TargetOrigins[ind.Metric.Code], ind.Metric.Unit))
		}
	}
	for _, ind := range r.Indicators {
		if r.YearOrigins.Summed(ind.Metric.Code) {
			items = append(items, "năm "+strconv.Itoa(r.Year)+", "+lowerFirst(ind.Metric.Name)+" "+OriginText(r.YearOrigins[ind.Metric.Code], ind.Metric.Unit))
		}
	}
	if len(items) == 0 {
		return ""
	}
	return "Chỉ tiêu của " + r.Unit.Name + " gồm chỉ tiêu của đơn vị và của các đơn vị trước đây theo kế hoạch đã giao cho từng đơn vị: " + strings.Join(items, "; ") + "."
}
