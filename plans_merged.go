package nscl

import (
	"slices"
	"time"
)

// TargetPart is one unit's part of a target summed across a merger: the
// successor's own target, or a former unit's target from the plan in
// force for it.
type TargetPart struct {
	Unit  OrgUnit `json:"unit"`
	Value int64   `json:"value"`
	// Former tells a former unit's part from the successor's own.
	Former bool `json:"former"`
	// LeftOut marks a part shown but not added: the unit was split among
	// several successors and nothing says how its target is shared.
	LeftOut bool   `json:"left_out,omitempty"`
	Note    string `json:"note,omitempty"` // Vietnamese: why it is left out
	English string `json:"english,omitempty"`
}

// TargetOrigins says, per indicator code, how a target was made from the
// targets of the units a merger joined: the values of the parts not left
// out add up to the target. An indicator no former unit targets has none.
type TargetOrigins map[string][]TargetPart

// Summed reports whether some former unit's target was added to the
// target of metric.
func (o TargetOrigins) Summed(metric string) bool {
	for _, p := range o[metric] {
		if p.Former && !p.LeftOut {
			return true
		}
	}
	return false
}

// AnySummed reports whether some target was summed across a merger.
func (o TargetOrigins) AnySummed() bool {
	for metric := range o {
		if o.Summed(metric) {
			return true
		}
	}
	return false
}

// MergerTargets is what summing a successor's targets across a merger
// reads: the plans of the units it took over and how it took them.
type MergerTargets struct {
	Former      []Succession // the successions that bring former units in: Counted.Former
	Successions []Succession // every succession on file, to tell a split
	Plans       []Plan       // every plan of the programme
	Units       []OrgUnit    // every unit: names, parents, opening days
	Documents   []Document   // a plan's document tells when it was adopted
}

// Sum returns plan as it measures unitID in year once the former units
// are counted with it. A plan that began before a merger set targets for
// the successor alone, so, unless a plan says otherwise, the successor's
// target is its own plus each former unit's target from the plan of the
// same kind in force for that unit in year (its own plan, or what a plan
// allots to it). A plan says otherwise when it began on or after the
// merger's day, when its document was issued on or after it, or when it
// sets targets for a successor that only opened with the merger: it was
// adopted for the merged unit and its targets stand alone. A former unit
// split among several successors is shown but not added. An indicator
// only former units target takes the sum of theirs.
//
// The plan returned is a copy with the sums as the unit's targets (its
// own targets, or the allotments to it); origins say, per indicator
// summed, which unit gave what.
func (m MergerTargets) Sum(plan Plan, unitID int64, year int) (Plan, TargetOrigins) {
	units := map[int64]OrgUnit{}
	for _, u := range m.Units {
		units[u.ID] = u
	}
	former := map[int64]bool{}
	for _, s := range m.Former {
		former[s.PredecessorID] = true
	}
	var metrics []string // in the order first met, for a steady result
	parts := map[string][]TargetPart{}
	for _, s := range m.Former {
		// The plan that speaks for the successor: the one measured, or,
		// when the successor is itself a former unit, the one in force
		// for it.
		succPlan, ok := plan, true
		if former[s.SuccessorID] {
			succPlan, ok = PlanFor(m.Plans, unitChain(units, s.SuccessorID), plan.Kind, year)
		}
		if ok && m.saysOtherwise(succPlan, units[s.SuccessorID], s) {
			continue
		}
		predPlan, ok := PlanFor(m.Plans, unitChain(units, s.PredecessorID), plan.Kind, year)
		if !ok {
			continue
		}
		split := KindOf(m.Successions, s) == KindSplit
		for _, metric := range targetedFor(predPlan, s.PredecessorID) {
			v, _ := predPlan.TargetFor(s.PredecessorID, metric)
			part := TargetPart{Unit: units[s.PredecessorID], Value: v, Former: true}
			if split {
				part.LeftOut = true
				part.Note = "đơn vị đã chia tách cho nhiều đơn vị kế tục, không rõ phần chỉ tiêu của mỗi đơn vị nên không cộng"
				part.English = "split among several successors; nothing says how its target is shared, so it is not added"
			}
			if _, seen := parts[metric]; !seen {
				metrics = append(metrics, metric)
			}
			parts[metric] = append(parts[metric], part)
		}
	}
	if len(metrics) == 0 {
		return plan, nil
	}
	out := plan
	out.Targets, out.Allotments = slices.Clone(plan.Targets), slices.Clone(plan.Allotments)
	origins := TargetOrigins{}
	for _, metric := range metrics {
		own, has := plan.TargetFor(unitID, metric)
		all := parts[metric]
		if has {
			all = append([]TargetPart{{Unit: units[unitID], Value: own}}, all...)
		}
		var sum int64
		added := false
		for _, p := range parts[metric] {
			if !p.LeftOut {
				sum, added = sum+p.Value, true
			}
		}
		if added {
			out.setTargetFor(unitID, metric, own+sum)
		}
		origins[metric] = all
	}
	return out, origins
}

// saysOtherwise reports whether plan, speaking for the successor of s,
// was adopted for the merged unit rather than before the merger.
func (m MergerTargets) saysOtherwise(plan Plan, successor OrgUnit, s Succession) bool {
	if !time.Date(plan.StartYear, time.January, 1, 0, 0, 0, 0, time.UTC).Before(s.On) {
		return true
	}
	for _, d := range m.Documents {
		if d.ID == plan.DocumentID && plan.DocumentID != 0 && !d.IssuedOn.IsZero() && !d.IssuedOn.Before(s.On) {
			return true
		}
	}
	openedWithMerger := !successor.OpenedOn.IsZero() && !successor.OpenedOn.Before(s.On)
	return openedWithMerger && len(targetedFor(plan, successor.ID)) > 0
}

// targetedFor lists the indicators plan sets unitID a target for.
func targetedFor(p Plan, unitID int64) []string {
	var out []string
	if unitID == p.UnitID {
		for _, t := range p.Targets {
			out = append(out, t.Metric)
		}
		return out
	}
	for _, a := range p.Allotments {
		if a.UnitID == unitID {
			out = append(out, a.Metric)
		}
	}
	return out
}

// setTargetFor makes v the plan's target for unitID: its own target for
// the plan's unit, what it allots to any other.
func (p *Plan) setTargetFor(unitID int64, metric string, v int64) {
	if unitID == p.UnitID {
		for i := range p.Targets {
			if p.Targets[i].Metric == metric {
				p.Targets[i].Value = v
				return
			}
		}
		p.Targets = append(p.Targets, Target{Metric: metric, Value: v})
		return
	}
	for i := range p.Allotments {
		if p.Allotments[i].UnitID == unitID && p.Allotments[i].Metric == metric {
			p.Allotments[i].Value = v
			return
		}
	}
	p.Allotments = append(p.Allotments, Allotment{UnitID: unitID, Metric: metric, Value: v})
}

// unitChain lists unitID then its ancestors up to the root, as PlanFor
// reads them; a closed unit keeps the parent it had when it closed.
func unitChain(units map[int64]OrgUnit, unitID int64) []int64 {
	var chain []int64
	for id := unitID; id != 0 && !slices.Contains(chain, id); id = units[id].ParentID {
		chain = append(chain, id)
	}
	return chain
}
