// Package report assembles the results of a year from the store and the
// domain's arithmetic, and writes them as text, Markdown or JSON. The web
// pages and the command line both come through here.
package report

import (
	"context"
	"fmt"

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
type Request struct {
	Programme    string
	Unit         string
	Year         int
	ApprovedOnly bool
	Reader       *nscl.User
}

// Report is the results of a year with what a reader needs beside them.
type Report struct {
	nscl.Results
	Programme    *nscl.Programme
	PlanDocument *nscl.Document // the multi-year plan's document, nil when none
	ApprovedOnly bool           // the figures are those of approved submissions only
	Reader       *nscl.User     // as Request.Reader
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
	unit, err := reportUnit(ctx, st, plans, req)
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
	basis := store.FigureOptions{ApprovedOnly: req.ApprovedOnly}
	figures, err := st.FiguresWith(ctx, prog, unit.ID, plan.StartYear, req.Year, basis)
	if err != nil {
		return nil, err
	}
	r := &Report{Results: nscl.ComputeResults(prog, unit, req.Year, plan, this, next, figures), Programme: prog, ApprovedOnly: req.ApprovedOnly, Reader: req.Reader}
	// A later plan's cumulative restarts with it; the programme's total
	// since its start is shown beside, counted the same way.
	if plan.StartYear > prog.StartYear {
		whole, err := st.FiguresWith(ctx, prog, unit.ID, prog.StartYear, req.Year, basis)
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

// reportUnit returns the unit asked for or, when none is named, the one
// nscl.PlanOwner picks: the lowest owner of a multi-year plan covering
// the year.
func reportUnit(ctx context.Context, st *store.Store, plans []nscl.Plan, req Request) (nscl.OrgUnit, error) {
	if req.Unit != "" {
		return st.UnitByCode(ctx, req.Unit)
	}
	units, err := st.Units(ctx)
	if err != nil {
		return nscl.OrgUnit{}, err
	}
	return nscl.PlanOwner(plans, units, req.Year)
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
