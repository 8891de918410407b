// Package report assembles the results of a year from the store and the
// domain's arithmetic, and writes them as text, Markdown or JSON. The web
// pages and the command line both come through here.
package report

import (
	"context"
	"fmt"
	"time"

	"nscl"
	"nscl/store"
)

// Request names the results wanted: a programme, a node of the org tree
// (empty for the unit that owns the multi-year plan, the lowest one when
// several do: nscl.PlanOwner), and a year.
//
// A report counts every activity entered, approved or not, and its
// checks say how much of each indicator is not yet approved: it is drafted
// while units still report. ApprovedOnly counts only what approved
// submissions cover — the figures to issue — and its checks say how much
// that leaves out.
//
// Reader is who reads the report: its figures are the unit's whoever
// reads, but the activities it cites are only those Reader may read
// (GroupActivities). Nil, as on the command line, cites every one.
//
// Boundaries name the tree the figures are counted in, as
// nscl.ParseBoundaries reads them: by default ("") the tree at the end of
// the year, so that a 2022 report reprinted after the 2025 merger is the
// 2022 report and a 2025 report of the merged city counts the provinces it
// absorbed; "current" for today's tree; "as-of=dd/mm/yyyy" for a day's.
type Request struct {
	Programme    string
	Unit         string
	Year         int
	ApprovedOnly bool
	Reader       *nscl.User
	Boundaries   string
	// CitedPerGroup, when above 0, cites at most that many activities of
	// each task group, the first of the year, and counts the rest from the
	// kept counts: the report page, which must not read every activity,
	// and the documents (CitedInDocument). 0 cites them all, or, through
	// Gather, as many as the format shows.
	CitedPerGroup int
	// Format is what Gather gathers for: one of DocumentTypes' formats,
	// PageFormat, or "" for the Word file. The charts' figures are read
	// only for what draws them (ChartsOf); Build reads none.
	Format string
}

// Report is the results of a year with what a reader needs beside them.
type Report struct {
	nscl.Results
	Programme    *nscl.Programme
	PlanDocument *nscl.Document // the multi-year plan's document, nil when none
	ApprovedOnly bool           // the figures are those of approved submissions only
	Reader       *nscl.User     // as Request.Reader
	Boundaries   nscl.Boundaries
	// CitedPerGroup is Request.CitedPerGroup: the activities cited are
	// the first of each group only, and their counts come from kept counts.
	CitedPerGroup int
	// Counted are the units whose work the figures count (nscl.CountedUnits).
	Counted nscl.Counted
	// Former are the units from outside the unit's own tree whose work
	// the figures count under their successors, as the report names them.
	Former []FormerUnit
	Merger // the targets summed with the former units', and the line naming them
	// Plans are the programme's plans and Chain the unit with its
	// ancestors, as Build read them: what the yearly series of the same
	// report set their years against, without reading them again.
	Plans []nscl.Plan
	Chain []int64
}

// FormerUnit is a unit that closed into another, whose work a report
// counts under its successor.
type FormerUnit struct {
	Unit, Successor nscl.OrgUnit
	On              time.Time // the first day closed
}

// Build counts the results of req.Year. Returns EINVALID for a year outside
// the programme, ENOTFOUND for an unknown programme or unit, or when no
// multi-year plan covers the year for that unit.
func Build(ctx context.Context, st *store.Store, req Request) (*Report, error) {
	prog, err := st.ProgrammeByCode(ctx, req.Programme)
	if err != nil {
		return nil, err
	}
	if !prog.ContainsYear(req.Year) {
		return nil, nscl.Invalid("year", "năm %d nằm ngoài giai đoạn chương trình %d–%d", "year %d is outside the programme %d–%d", req.Year, prog.StartYear, prog.EndYear)
	}
	plans, err := st.Plans(ctx, prog)
	if err != nil {
		return nil, err
	}
	unit, err := reportUnit(ctx, st, prog, plans, req)
	if err != nil {
		return nil, err
	}
	chain, err := st.UnitChain(ctx, unit.ID)
	if err != nil {
		return nil, err
	}
	plan, ok := nscl.PlanFor(plans, chain, nscl.FiveYearPlan, req.Year)
	if !ok {
		return nil, nscl.NotFound("year", "chưa có kế hoạch 05 năm nào bao gồm năm %d cho %s", "no multi-year plan covers %d for %s", req.Year, unit.Name)
	}
	var this, next *nscl.Plan
	if p, ok := nscl.PlanFor(plans, chain, nscl.AnnualPlan, req.Year); ok {
		this = &p
	}
	if p, ok := nscl.PlanFor(plans, chain, nscl.AnnualPlan, req.Year+1); ok {
		next = &p
	}
	bounds, err := nscl.ParseBoundaries(req.Boundaries, req.Year)
	if err != nil {
		return nil, err
	}
	counted, err := st.Counted(ctx, unit.ID, bounds)
	if err != nil {
		return nil, err
	}
	former, err := formerUnits(ctx, st, counted)
	if err != nil {
		return nil, err
	}
	// A plan that began before a merger set the successor's targets
	// alone: the former units' are added.
	merger, err := sumTargets(ctx, st, plans, former, unit.ID, req.Year, &plan, &this, &next)
	if err != nil {
		return nil, err
	}
	basis := store.FigureOptions{ApprovedOnly: req.ApprovedOnly, Boundaries: bounds}
	own := basis
	own.Units = counted.UnitIDs
	figures, err := st.FiguresWith(ctx, prog, unit.ID, plan.StartYear, req.Year, own)
	if err != nil {
		return nil, err
	}
	r := &Report{Results: nscl.ComputeResults(prog, unit, req.Year, plan, this, next, figures), Programme: prog, ApprovedOnly: req.ApprovedOnly, Reader: req.Reader,
		CitedPerGroup: req.CitedPerGroup, Boundaries: bounds, Counted: counted, Former: former, Merger: merger, Plans: plans, Chain: chain}
	// A later plan's cumulative restarts with it; the programme's total
	// since its start is shown beside, counted the same way.
	if plan.StartYear > prog.StartYear {
		whole, err := st.FiguresWith(ctx, prog, unit.ID, prog.StartYear, req.Year, own)
		if err != nil {
			return nil, err
		}
		r.SinceProgramme(prog.StartYear, whole)
	}
	// A unit with no target of its own is shown as its part of its
	// parent's results, counted the same way.
	if r.NeedsParent() && unit.ParentID != 0 {
		parent, err := st.UnitByID(ctx, unit.ParentID)
		if err != nil {
			return nil, err
		}
		basis.SkipReach = true
		pf, err := st.FiguresWith(ctx, prog, parent.ID, plan.StartYear, req.Year, basis)
		if err != nil {
			return nil, err
		}
		r.ShareOf(parent, pf)
	}
	if plan.DocumentID != 0 {
		docs, err := st.Documents(ctx)
		if err != nil {
			return nil, err
		}
		for i := range docs {
			if docs[i].ID == plan.DocumentID {
				r.PlanDocument = &docs[i]
			}
		}
	}
	return r, nil
}

// formerUnits names the units counted's successions bring in.
func formerUnits(ctx context.Context, st *store.Store, counted nscl.Counted) ([]FormerUnit, error) {
	var out []FormerUnit
	for _, s := range counted.Former {
		pred, err := st.UnitByID(ctx, s.PredecessorID)
		if err != nil {
			return nil, err
		}
		succ, err := st.UnitByID(ctx, s.SuccessorID)
		if err != nil {
			return nil, err
		}
		out = append(out, FormerUnit{Unit: pred, Successor: succ, On: s.On})
	}
	return out, nil
}

// reportUnit returns the unit asked for or, when none is named, the one
// nscl.PlanOwner picks: the lowest owner of a multi-year plan covering
// the year.
func reportUnit(ctx context.Context, st *store.Store, prog *nscl.Programme, plans []nscl.Plan, req Request) (nscl.OrgUnit, error) {
	if req.Unit != "" {
		return st.UnitByCode(ctx, req.Unit)
	}
	// Of the units that own a plan for the year, those whose report this
	// database writes — they have report settings — are the ones meant:
	// a city's database may hold the plans of provinces it absorbed.
	written := map[int64]bool{}
	for _, p := range plans {
		if p.Kind != nscl.FiveYearPlan || p.StartYear > req.Year || req.Year > p.EndYear {
			continue
		}
		if _, seen := written[p.UnitID]; seen {
			continue
		}
		settings, err := st.ReportTexts(ctx, prog, p.UnitID, nscl.SettingsYear)
		if err != nil {
			return nscl.OrgUnit{}, err
		}
		written[p.UnitID] = len(settings) > 0
	}
	// A unit closed into another by the year's end reports under its
	// successor: its plan for the year does not make it a candidate.
	yearEnd := nscl.YearEnd(req.Year).AsOf
	var writers []int64
	for id, w := range written {
		if w {
			writers = append(writers, id)
		}
	}
	if len(writers) == 1 {
		// The usual case, answered without reading the whole tree.
		u, err := st.UnitByID(ctx, writers[0])
		if err != nil || u.OpenOn(yearEnd) {
			return u, err
		}
	}
	_, units, err := st.UnitDirectory(ctx) // read, not changed
	if err != nil {
		return nscl.OrgUnit{}, err
	}
	open := map[int64]bool{}
	var openUnits []nscl.OrgUnit
	for _, u := range units {
		if u.OpenOn(yearEnd) {
			open[u.ID] = true
			openUnits = append(openUnits, u)
		}
	}
	var candidates, writing []nscl.Plan
	for _, p := range plans {
		if !open[p.UnitID] {
			continue
		}
		candidates = append(candidates, p)
		if written[p.UnitID] {
			writing = append(writing, p)
		}
	}
	if len(writing) > 0 {
		candidates = writing
	}
	return nscl.PlanOwner(candidates, openUnits, req.Year)
}

// StatusLabel is how the status of an indicator reads in Vietnamese.
func StatusLabel(s nscl.Status) string {
	switch s {
	case nscl.StatusExceeded:
		return "vượt chỉ tiêu"
	case nscl.StatusOnTrack:
		return "đúng tiến độ"
	case nscl.StatusBehind:
		return "chậm tiến độ"
	case nscl.StatusNotStarted:
		return "chưa có kết quả"
	case nscl.StatusNoTarget:
		return "chưa đặt chỉ tiêu"
	case nscl.StatusNoOwnTarget:
		return "chưa được giao chỉ tiêu"
	}
	return fmt.Sprint(s)
}
