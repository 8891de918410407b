package report

import (
	"context"
	"path/filepath"
	"testing"

	"nscl"
	"nscl/demo"
	"nscl/store"
)

// Named by no one, a report is of the unit owning a five-year plan of the
// year whose report the database writes: a province absorbed later, whose
// plan the database keeps, is not it before the merger nor after, and its
// own report is asked for by name. Two such owners are one too many.
func TestTheDefaultReportUnitLeavesAnAbsorbedProvinceOut(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "owners.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	prog := demo.Programme()
	plan := func(tx *store.Tx, unit int64, training int64) error {
		p := nscl.Plan{Kind: nscl.FiveYearPlan, StartYear: 2021, EndYear: 2025, Name: "Kế hoạch giai đoạn 2021 – 2025", UnitID: unit,
			Targets: []nscl.Target{{Metric: demo.TrainingEnterprises, Value: training}}}
		return tx.CreatePlan(ctx, &prog, &p)
	}
	writes := func(tx *store.Tx, unit int64, agency string) error {
		return tx.SetReportTexts(ctx, &prog, unit, nscl.SettingsYear, map[string]string{"agency": agency}, "")
	}
	err = st.Update(ctx, func(tx *store.Tx) error {
		if err := tx.CreateProgramme(ctx, &prog); err != nil {
			return err
		}
		ministry := nscl.OrgUnit{Code: "BO", Name: "Bộ Khoa học và Công nghệ", Level: nscl.LevelMinistry}
		if err := tx.CreateUnit(ctx, &ministry); err != nil {
			return err
		}
		for _, u := range []nscl.OrgUnit{
			{Code: "TN", Name: "Ủy ban nhân dân tỉnh Tây Ninh", Level: nscl.LevelProvince, ParentID: ministry.ID},
			{Code: "LA", Name: "Ủy ban nhân dân tỉnh Long An", Level: nscl.LevelProvince, ParentID: ministry.ID},
		} {
			if err := tx.CreateUnit(ctx, &u); err != nil {
				return err
			}
			if err := plan(tx, u.ID, 500); err != nil {
				return err
			}
			if u.Code == "LA" {
				if err := writes(tx, u.ID, "Sở Khoa học và Công nghệ tỉnh Long An"); err != nil {
					return err
				}
			}
		}
		_, err := tx.CloseUnitInto(ctx, "TN", day(2025, 7, 1), []string{"LA"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		unit string
		year int
		want string
	}{{"", 2022, "LA"}, {"", 2025, "LA"}, {"TN", 2024, "TN"}} {
		r, err := Build(ctx, st, Request{Programme: prog.Code, Unit: c.unit, Year: c.year})
		if err != nil || r.Unit.Code != c.want {
			t.Errorf("report of %q for %d: %v, want %s", c.unit, c.year, err, c.want)
		}
	}

	err = st.Update(ctx, func(tx *store.Tx) error {
		ministry, err := tx.UnitByCode(ctx, "BO")
		if err != nil {
			return err
		}
		u := nscl.OrgUnit{Code: "BP", Name: "Ủy ban nhân dân tỉnh Bình Phước", Level: nscl.LevelProvince, ParentID: ministry.ID}
		if err := tx.CreateUnit(ctx, &u); err != nil {
			return err
		}
		if err := plan(tx, u.ID, 300); err != nil {
			return err
		}
		return writes(tx, u.ID, "Sở Khoa học và Công nghệ tỉnh Bình Phước")
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Build(ctx, st, Request{Programme: prog.Code, Year: 2022}); nscl.ErrorCode(err) != nscl.EINVALID || nscl.ErrorField(err) != "unit" {
		t.Errorf("two provinces with plans whose reports the database writes: %v, want to be asked for the unit", err)
	}
}
