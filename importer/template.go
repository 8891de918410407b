package importer

import (
	"context"
	"slices"

	"nscl"
	"nscl/sheet"
	"nscl/store"
)

// Template is the reporting template of a round for a unit: the unit and
// the units under it, open during the round's period, may appear in its
// unit column. Returns ENOTFOUND for an unknown round or unit, EINVALID
// for a unit the round did not ask.
func Template(ctx context.Context, st *store.Store, prog *nscl.Programme, roundID int64, unitCode string) (sheet.Template, error) {
	round, _, err := st.Round(ctx, roundID)
	if err != nil {
		return sheet.Template{}, err
	}
	unit, err := st.UnitByCode(ctx, unitCode)
	if err != nil {
		return sheet.Template{}, err
	}
	units, err := st.Units(ctx)
	if err != nil {
		return sheet.Template{}, err
	}
	asked := false
	chosen := []nscl.OrgUnit{unit}
	under := unitsUnder(units, unit.ID)
	for _, u := range units {
		if !under[u.ID] {
			continue
		}
		if u.ID != unit.ID && (u.OpenOn(round.PeriodEnd) || u.OpenOn(round.PeriodStart)) {
			chosen = append(chosen, u)
		}
		asked = asked || slices.Contains(round.UnitIDs, u.ID)
	}
	if !asked {
		return sheet.Template{}, nscl.Invalid("unit", "đợt báo cáo này không yêu cầu %s báo cáo", "this round does not ask %s to report", unit.Name)
	}
	return sheet.Template{Programme: prog, Round: round, Unit: unit, Units: chosen}, nil
}
