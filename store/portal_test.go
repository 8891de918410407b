package store

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"nscl"
)

// A programme that is not the demo's: the portal counts in its own codes,
// and a code it lacks is refused by field, leaving what was set.
func TestPortalCountingOfAnotherProgramme(t *testing.T) {
	ctx := context.Background()
	eachEngine(t, func(t *testing.T, st *Store) {
		prog := nscl.Programme{Code: "P2", Name: "Chương trình thử", StartYear: 2026, EndYear: 2030,
			TaskGroups: []nscl.TaskGroup{{Letter: "a", Name: "Truyền thông"}, {Letter: "b", Name: "Đào tạo"}},
			Metrics: []nscl.Metric{
				{Code: "tin", Kind: nscl.Measure, Rule: nscl.RuleSum, TaskGroup: "a", Unit: "tin", Name: "Tin"},
				{Code: "hv", Kind: nscl.Measure, Rule: nscl.RuleSum, TaskGroup: "b", Unit: "người", Name: "Học viên"},
				{Code: "pt", Kind: nscl.Indicator, Rule: nscl.RuleLast, TaskGroup: "b", Unit: "phòng", Name: "Phòng thử nghiệm"},
			}}
		if err := st.Update(ctx, func(tx *Tx) error { return tx.CreateProgramme(ctx, &prog) }); err != nil {
			t.Fatal(err)
		}
		if pc, err := st.PortalCounting(ctx, &prog); err != nil || pc != (nscl.PortalCounting{}) {
			t.Fatalf("unset counting = %+v, %v; want zero", pc, err)
		}
		want := nscl.PortalCounting{CommunicationGroup: "a", ArticleMetric: "tin", ClassTraineesMetric: "hv"}
		if err := st.Update(ctx, func(tx *Tx) error { return tx.SetPortalCounting(ctx, &prog, want) }); err != nil {
			t.Fatal(err)
		}
		for field, bad := range map[string]nscl.PortalCounting{
			"communication_group":      {CommunicationGroup: "z"},
			"video_metric":             {VideoMetric: "videos"},
			"class_enterprises_metric": {ClassEnterprisesMetric: "pt"},
		} {
			err := st.Update(ctx, func(tx *Tx) error { return tx.SetPortalCounting(ctx, &prog, bad) })
			if e, ok := err.(*nscl.Error); !ok || e.Code != nscl.EINVALID || e.Field != field {
				t.Errorf("setting %+v: %v, want EINVALID on %s", bad, err, field)
			}
		}
		if pc, err := st.PortalCounting(ctx, &prog); err != nil || pc != want {
			t.Fatalf("counting = %+v, %v; want %+v", pc, err, want)
		}
	})
}

// The portal's figures of a year and a subtree count what the portal
// published there, by kind, and nothing typed by hand, another year's or
// another unit's; both engines find those activities through the partial
// index on the portal's refs.
func TestPortalFiguresCountWhatThePortalWrote(t *testing.T) {
	ctx := context.Background()
	eachEngine(t, func(t *testing.T, st *Store) {
		f := newPostFixture(t, st, &nscl.PortalCounting{CommunicationGroup: "b", ArticleMetric: "tin", VideoMetric: "vid"})
		sibling := nscl.OrgUnit{Code: "T2-H2", Name: "Ủy ban nhân dân huyện Hai", Level: nscl.LevelDistrict, ParentID: f.province.ID}
		if err := st.Update(ctx, func(tx *Tx) error { return tx.CreateUnit(ctx, &sibling) }); err != nil {
			t.Fatal(err)
		}
		hand := &nscl.Activity{UnitID: f.district.ID, Date: day("2027-02-10"), TaskGroup: "b", Kind: nscl.KindArticle,
			Description: "Năm tin bài trên báo địa phương", Quantities: []nscl.Quantity{{Metric: "tin", Value: 5}}}
		if err := st.CreateActivity(ctx, f.prog, hand); err != nil {
			t.Fatal(err)
		}
		publish := func(unit nscl.OrgUnit, kind nscl.PostKind, on string) {
			t.Helper()
			p := nscl.Post{UnitID: unit.ID, Kind: kind, Title: "Bài " + on, Body: "Nội dung.", PublishedOn: day(on), State: nscl.PostPublished}
			if kind == nscl.PostVideo {
				p.Body, p.VideoURL, p.Topic = "", "https://video.example.vn/5s", "Công cụ 5S"
			}
			if err := st.Update(ctx, func(tx *Tx) error { return tx.CreatePost(ctx, f.prog, &p, nil) }); err != nil {
				t.Fatal(err)
			}
		}
		publish(f.district, nscl.PostArticle, "2027-03-01")
		publish(f.district, nscl.PostArticle, "2027-04-01")
		publish(f.district, nscl.PostVideo, "2027-05-01")
		publish(sibling, nscl.PostArticle, "2027-06-01")
		publish(f.district, nscl.PostArticle, "2028-01-05")

		read := func(unit nscl.OrgUnit, year int) map[nscl.ActivityKind]PortalKindCount {
			t.Helper()
			counted, err := st.Counted(ctx, unit.ID, nscl.Boundaries{})
			if err != nil {
				t.Fatal(err)
			}
			got, err := st.PortalFigures(ctx, f.prog, counted.UnitIDs, year)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		district := read(f.district, 2027)
		if a, v := district[nscl.KindArticle], district[nscl.KindVideo]; len(district) != 2 || a.Activities != 2 || a.Figures["tin"] != 2 ||
			v.Activities != 1 || v.Figures["vid"] != 1 {
			t.Errorf("the district's 2027: %+v", district)
		}
		if province := read(f.province, 2027); province[nscl.KindArticle].Activities != 3 || province[nscl.KindArticle].Figures["tin"] != 3 {
			t.Errorf("the province's 2027: %+v", province)
		}
		if later := read(f.district, 2028); later[nscl.KindArticle].Activities != 1 || len(later) != 1 {
			t.Errorf("the district's 2028: %+v", later)
		}
		if none := read(f.district, 2026); len(none) != 0 {
			t.Errorf("a year with nothing published: %+v", none)
		}

		throughIndex := func(unit nscl.OrgUnit) {
			t.Helper()
			traced := traceStatements(t, func() { read(unit, 2027) })
			checked := 0
			for _, q := range traced {
				if !strings.Contains(q.query, "FROM activities a") {
					continue
				}
				checked++
				if plan := enginePlan(t, st, q); !strings.Contains(plan, "activities_portal") {
					t.Errorf("the portal's activities are not read through their index:\n%s\n%s", q.query, plan)
				}
			}
			if checked != 2 {
				t.Errorf("%d statements of the portal's figures traced, want its 2", checked)
			}
		}
		throughIndex(f.province)

		// More units than the statements name: the year's portal activities
		// are read by unit and those of units outside the set left out.
		var wards []nscl.OrgUnit
		err := st.Update(ctx, func(tx *Tx) error {
			for i := range portalNamedUnits + 1 {
				w := nscl.OrgUnit{Code: fmt.Sprintf("T2-H2-X%02d", i), Name: fmt.Sprintf("Ủy ban nhân dân xã %d", i), Level: nscl.LevelUnit, ParentID: sibling.ID}
				if err := tx.CreateUnit(ctx, &w); err != nil {
					return err
				}
				wards = append(wards, w)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		publish(wards[7], nscl.PostArticle, "2027-07-01")
		publish(wards[7], nscl.PostVideo, "2026-07-01")
		if big := read(sibling, 2027); len(big) != 1 || big[nscl.KindArticle].Activities != 2 || big[nscl.KindArticle].Figures["tin"] != 2 {
			t.Errorf("the second district's 2027, with its %d wards: %+v, want its own article and its ward's", len(wards), big)
		}
		if province := read(f.province, 2027); province[nscl.KindArticle].Activities != 4 || province[nscl.KindVideo].Activities != 1 {
			t.Errorf("the province's 2027 with the wards: %+v", province)
		}
		throughIndex(sibling)
	})
}

// enginePlan is the engine's plan of a statement, as text; PostgreSQL is
// told to avoid whole scans, which it prefers on tables this small, so
// that the plan says whether an index can serve the statement at all.
func enginePlan(t *testing.T, st *Store, q tracedStatement) string {
	t.Helper()
	ctx := t.Context()
	c, err := st.read.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	explain := "EXPLAIN QUERY PLAN "
	if st.dialect == postgres {
		explain = "EXPLAIN "
		if _, err := c.ExecContext(ctx, "SET enable_seqscan = off"); err != nil {
			t.Fatal(err)
		}
		defer c.ExecContext(context.WithoutCancel(ctx), "RESET enable_seqscan")
	}
	rows, err := c.QueryContext(ctx, explain+conn{dialect: st.dialect}.rebind(q.query), q.args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var plan strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(&plan, vals...)
	}
	return plan.String()
}
