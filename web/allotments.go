package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"nscl"
)

// The targets a plan allots to the units under its unit (giao chỉ tiêu),
// as the plan's page edits them.

// allotmentRows are the units a plan's page offers to allot targets to:
// the units directly under the plan's unit that are open at some time in
// its period, and any unit the plan already allots to (one further down,
// allotted through the API, stays editable). A nation's plan offers its
// provinces, not every district of the country.
func allotmentRows(units []nscl.OrgUnit, p nscl.Plan) []nscl.OrgUnit {
	from, to := time.Date(p.StartYear, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(p.EndYear, 12, 31, 0, 0, 0, 0, time.UTC)
	var out []nscl.OrgUnit
	for _, u := range units {
		allotted := slices.ContainsFunc(p.Allotments, func(a nscl.Allotment) bool { return a.UnitID == u.ID })
		if allotted || u.ParentID == p.UnitID && u.ID != p.UnitID && u.OpenDuring(from, to) {
			out = append(out, u)
		}
	}
	return out
}

// allotmentSum is an indicator's allotments added up, against the plan's
// own target.
type allotmentSum struct {
	Metric    nscl.Metric
	Target    int64
	HasTarget bool
	Allotted  int64
	Percent   float64 // Allotted ÷ Target × 100
}

// allotmentSums adds up the plan's allotments of each indicator.
func allotmentSums(prog *nscl.Programme, p nscl.Plan) []allotmentSum {
	var out []allotmentSum
	for _, m := range prog.Indicators() {
		s := allotmentSum{Metric: m, Allotted: p.Allotted(m.Code)}
		s.Target, s.HasTarget = p.Target(m.Code)
		s.Percent = nscl.CompletionPercent(s.Allotted, s.Target)
		out = append(out, s)
	}
	return out
}

// allotKey names an allotment's input: "a_12_training_enterprises".
func allotKey(unitID int64, metric string) string {
	return "a_" + strconv.FormatInt(unitID, 10) + "_" + metric
}

// allotValues are the plan's allotments as the form shows them, by input name.
func allotValues(p nscl.Plan) map[string]string {
	out := map[string]string{}
	for _, a := range p.Allotments {
		out[allotKey(a.UnitID, a.Metric)] = strconv.FormatInt(a.Value, 10)
	}
	return out
}

// readAllotments reads the form's allotments for the units it offered,
// keeping what was typed in values; an empty box allots nothing. A box
// that is not a whole number is a mistake added to errs, named by its
// allotment.
func readAllotments(errs *nscl.Errors, r *http.Request, prog *nscl.Programme, units []nscl.OrgUnit, values map[string]string) []nscl.Allotment {
	var out []nscl.Allotment
	for _, u := range units {
		for _, m := range prog.Indicators() {
			key := allotKey(u.ID, m.Code)
			raw := strings.TrimSpace(r.PostFormValue(key))
			values[key] = raw
			if raw == "" {
				continue
			}
			v, err := nscl.ParseQuantity(nscl.AllotmentField(u.ID, m.Code), raw)
			if err != nil {
				errs.Add(err)
				continue
			}
			out = append(out, nscl.Allotment{UnitID: u.ID, Metric: m.Code, Value: v})
		}
	}
	return out
}
