package nscl

import (
	"fmt"
	"strconv"
	"strings"
)

// PlanKind tells a multi-year plan from an annual one.
type PlanKind string

const (
	FiveYearPlan PlanKind = "five_year"
	AnnualPlan   PlanKind = "annual"
)

// Plan sets targets for a unit (and the units under it) over a period: a
// 5-year plan such as Quyết định 299/QĐ-UBND for 2021–2025, or an annual
// plan such as Kế hoạch 1904/KH-SKH-CN for 2022.
type Plan struct {
	ID          int64    `json:"id"`
	ProgrammeID int64    `json:"programme_id"`
	UnitID      int64    `json:"unit_id"`
	Kind        PlanKind `json:"kind"`
	StartYear   int      `json:"start_year"`
	EndYear     int      `json:"end_year"`
	DocumentID  int64    `json:"document_id"` // 0 when the plan has no document on file
	Name        string   `json:"name"`
	Targets     []Target `json:"targets"`
	// Allotments give parts of the targets to units under the plan's unit
	// (giao chỉ tiêu): departments, districts.
	Allotments []Allotment `json:"allotments"`
	Version    int64       `json:"version"`
}

// Allotment is the target a plan gives one unit under its own unit for
// one indicator: what that unit's results are measured against.
type Allotment struct {
	UnitID int64  `json:"unit_id"`
	Metric string `json:"metric"` // indicator code
	Value  int64  `json:"value"`
}

// Target is the value a plan sets for one indicator over the plan's period.
type Target struct {
	Metric string `json:"metric"` // indicator code
	Value  int64  `json:"value"`
}

// Target returns the plan's target for an indicator.
func (p *Plan) Target(metric string) (int64, bool) {
	for _, t := range p.Targets {
		if t.Metric == metric {
			return t.Value, true
		}
	}
	return 0, false
}

// TargetFor returns the target the plan sets for a unit: its own target
// for the plan's unit, what it allots to any other unit. A unit under the
// plan's unit without an allotment has no target of its own: the parent's
// target measures the parent's results, not its part of them.
func (p *Plan) TargetFor(unitID int64, metric string) (int64, bool) {
	if unitID == p.UnitID {
		return p.Target(metric)
	}
	for _, a := range p.Allotments {
		if a.UnitID == unitID && a.Metric == metric {
			return a.Value, true
		}
	}
	return 0, false
}

// Allotted sums what the plan allots to units for an indicator, to set
// against its own target.
func (p *Plan) Allotted(metric string) int64 {
	var sum int64
	for _, a := range p.Allotments {
		if a.Metric == metric {
			sum += a.Value
		}
	}
	return sum
}

// AllotmentOf returns the plan's allotment to a unit for an indicator, or
// -1 when it allots none; templates use it as TargetOf.
func (p Plan) AllotmentOf(unitID int64, metric string) int64 {
	if unitID == p.UnitID {
		return -1
	}
	if v, ok := p.TargetFor(unitID, metric); ok {
		return v
	}
	return -1
}

// AllotmentField names an allotment in errors: "allotments.12.training".
func AllotmentField(unitID int64, metric string) string {
	return fmt.Sprintf("allotments.%d.%s", unitID, metric)
}

// Years returns the number of years the plan spans.
func (p *Plan) Years() int { return p.EndYear - p.StartYear + 1 }

// ValidatePlan checks a plan against its programme: a period inside the
// programme (one year for an annual plan), and targets only for the
// programme's indicators begun by the plan's last year, each set once and
// not negative. It returns every
// mistake it finds (Errors). A year of 0 is one the form left blank.
func ValidatePlan(p Plan, prog *Programme) error {
	var errs Errors
	switch {
	case p.Kind == "":
		errs.Add(Required("kind"))
	case p.Kind != FiveYearPlan && p.Kind != AnnualPlan:
		errs.Add(Invalid("kind", "loại kế hoạch %q không hợp lệ", "plan kind %q is not valid", p.Kind))
	}
	if blank(p.Name) {
		errs.Add(Required("name"))
	}
	errs.Add(CheckText("name", p.Name, 500))
	if p.StartYear == 0 {
		errs.Add(Required("start_year"))
	}
	switch {
	case p.EndYear == 0:
		errs.Add(Required("end_year"))
	case p.StartYear == 0:
		// nothing to compare the end with
	case p.EndYear < p.StartYear:
		errs.Add(Invalid("end_year", "năm kết thúc (%d) trước năm bắt đầu (%d)", "end year %d is before start year %d", p.EndYear, p.StartYear))
	case !prog.ContainsYear(p.StartYear) || !prog.ContainsYear(p.EndYear):
		errs.Add(Invalid("end_year", "giai đoạn %d–%d nằm ngoài chương trình (%d–%d)", "period %d–%d is outside the programme (%d–%d)", p.StartYear, p.EndYear, prog.StartYear, prog.EndYear))
	case p.Kind == AnnualPlan && p.StartYear != p.EndYear:
		errs.Add(Invalid("end_year", "kế hoạch năm chỉ gồm một năm", "an annual plan covers a single year"))
	}
	seen := map[string]bool{}
	for _, t := range p.Targets {
		field := "targets." + t.Metric
		m, ok := prog.Metric(t.Metric)
		switch {
		case !ok:
			errs.Add(Invalid(field, "chỉ tiêu %q không có trong chương trình", "indicator %q is not in the programme", t.Metric))
		case m.Kind != Indicator:
			errs.Add(Invalid(field, "%q là số liệu theo dõi, không đặt chỉ tiêu", "%q is a measure and carries no target", t.Metric))
		case p.EndYear != 0 && !m.ActiveIn(p.EndYear):
			errs.Add(Invalid(field, "chỉ tiêu %q chỉ bắt đầu từ năm %d, sau giai đoạn %d–%d của kế hoạch", "indicator %q begins in %d, after the plan's period %d–%d", t.Metric, m.FirstYear, p.StartYear, p.EndYear))
		case seen[t.Metric]:
			errs.Add(Invalid(field, "chỉ tiêu %q được đặt hai lần", "target for %q is set twice", t.Metric))
		case t.Value < 0:
			errs.Add(Invalid(field, "chỉ tiêu không được âm", "target must not be negative"))
		}
		seen[t.Metric] = true
	}
	validateAllotments(&errs, p)
	return errs.Err()
}

// validateAllotments adds to errs each allotment that does not give a part
// of a target the plan sets, to a unit other than the plan's own, once,
// and not negative. That the unit lies under the plan's unit is the
// store's to check, which holds the tree.
func validateAllotments(errs *Errors, p Plan) {
	type key struct {
		unit   int64
		metric string
	}
	seen := map[key]bool{}
	for _, a := range p.Allotments {
		field := AllotmentField(a.UnitID, a.Metric)
		_, targeted := p.Target(a.Metric)
		switch {
		case !targeted:
			errs.Add(Invalid(field, "kế hoạch không đặt chỉ tiêu %q nên không giao được cho đơn vị", "the plan sets no target for %q to allot", a.Metric))
		case a.UnitID == p.UnitID:
			errs.Add(Invalid(field, "chỉ tiêu của đơn vị ban hành kế hoạch là chỉ tiêu của chính kế hoạch, không giao", "the plan's own unit holds the plan's targets; nothing is allotted to it"))
		case seen[key{a.UnitID, a.Metric}]:
			errs.Add(Invalid(field, "chỉ tiêu %q được giao hai lần cho một đơn vị", "%q is allotted twice to one unit", a.Metric))
		case a.Value < 0:
			errs.Add(Invalid(field, "chỉ tiêu giao không được âm", "an allotted target must not be negative"))
		}
		seen[key{a.UnitID, a.Metric}] = true
	}
}

// ParseYear reads a year typed in a form: four digits. Nothing typed is
// Required.
func ParseYear(field, s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, Required(field)
	}
	y, err := strconv.Atoi(s)
	if err != nil || y < 1000 || y > 9999 {
		return 0, Invalid(field, "năm %q không hợp lệ (viết 4 chữ số, ví dụ 2024)", "year %q is not valid (write 4 digits, e.g. 2024)", s)
	}
	return y, nil
}

// TargetOf returns the plan's target for an indicator, or -1 when it sets
// none; templates use it to tell a target of zero from no target.
func (p Plan) TargetOf(metric string) int64 {
	if v, ok := p.Target(metric); ok {
		return v
	}
	return -1
}
