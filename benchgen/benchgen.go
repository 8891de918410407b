// Package benchgen generates a national programme for `nscl bench`: the
// Ministry's tree of provinces, their departments, districts and wards,
// indicators and measures under every counting rule, plans with targets,
// reporting rounds, and activities drawn from a seed. Everything is written
// through the store's own write path, checks and audit entries included, so
// that the database is one the application could have made.
//
// Names are generated ("Tỉnh 07", "Xã 012 – Huyện 03 – Tỉnh 07"), not real
// places; codes and names follow the application's own rules. The same
// Config (seed included) gives the same data.
package benchgen

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"time"

	"nscl"
	"nscl/store"
)

// Config sizes the national programme.
type Config struct {
	Provinces        int // under the Ministry
	UnitsPerProvince int // the province itself, its departments, districts and wards
	Metrics          int // indicators and measures, at least 4 (every counting rule)
	FromYear, ToYear int // the programme's years
	Activities       int
	Enterprises      int // tax codes the beneficiary lists draw from
	Seed             uint64
}

// Check names the first setting that cannot make a national programme.
func (c Config) Check() error {
	switch {
	case c.Provinces < 1:
		return nscl.Invalid("provinces", "cần ít nhất 1 tỉnh", "at least 1 province is needed")
	case c.UnitsPerProvince < 3:
		return nscl.Invalid("units-per-province", "cần ít nhất 3 đơn vị mỗi tỉnh (tỉnh, một sở, một huyện)", "at least 3 units per province are needed (the province, a department, a district)")
	case c.Metrics < minMetrics:
		return nscl.Invalid("metrics", "cần ít nhất %d chỉ tiêu để có đủ các cách tính", "at least %d metrics are needed to have every counting rule", minMetrics)
	case c.FromYear < 2000 || c.ToYear < c.FromYear || c.ToYear > 2100:
		return nscl.Invalid("years", "giai đoạn %d–%d không hợp lệ", "years %d–%d are not valid", c.FromYear, c.ToYear)
	case c.Activities < 0:
		return nscl.Invalid("activities", "số hoạt động không được âm", "the number of activities must not be negative")
	case c.Enterprises < 1:
		return nscl.Invalid("enterprises", "cần ít nhất 1 doanh nghiệp", "at least 1 enterprise is needed")
	}
	return nil
}

// National is a generated programme as the measurements need it.
type National struct {
	Config
	Programme     *nscl.Programme
	Ministry      nscl.OrgUnit
	ProvinceUnits []nscl.OrgUnit
	Units         []nscl.OrgUnit // every unit under the Ministry; activities are drawn over them
	Codes         map[int64]string
	Focal         nscl.User // the Ministry's focal point
	Viewer        nscl.User // a Ministry reader, who writes nothing
	Password      string    // Focal's and Viewer's, drawn at random
	OpenRound     int64     // a round of the last plan's first year asking the provinces, left open
	OpenYear      int       // its year: writes after generation go there, outside any approved period
}

// Build writes the programme, the tree, the plans and the Ministry's focal
// user (everything but the activities) in one transaction.
func Build(ctx context.Context, st *store.Store, cfg Config) (*National, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	n := &National{Config: cfg, Codes: map[int64]string{}}
	var secret [12]byte
	crand.Read(secret[:])
	n.Password = "bench-" + hex.EncodeToString(secret[:])
	err := st.Update(ctx, func(tx *store.Tx) error {
		prog := programme(cfg)
		if err := tx.CreateProgramme(ctx, &prog); err != nil {
			return fmt.Errorf("benchgen: programme: %w", err)
		}
		n.Programme = &prog
		if err := n.buildTree(ctx, tx); err != nil {
			return err
		}
		if err := n.buildPlans(ctx, tx); err != nil {
			return err
		}
		// The Ministry writes the national report: its settings make it
		// the unit a report or dashboard without a unit shows.
		settings := map[string]string{"agency": "Bộ Khoa học và\nCông nghệ", "agency_name": "Bộ Khoa học và Công nghệ", "agency_short": "Bộ KHCN",
			"number": "BKHCN-TĐC", "place": "Hà Nội", "signer_title": "KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG", "signer_name": "Người ký (sinh ra)"}
		if err := tx.SetReportTexts(ctx, n.Programme, n.Ministry.ID, nscl.SettingsYear, settings, ""); err != nil {
			return fmt.Errorf("benchgen: report settings: %w", err)
		}
		n.Focal = nscl.User{Email: "focal@bo.bench.local", Name: "Cán bộ đầu mối Bộ", Role: nscl.RoleFocal, UnitID: n.Ministry.ID}
		if err := tx.CreateUser(ctx, &n.Focal, n.Password); err != nil {
			return fmt.Errorf("benchgen: user: %w", err)
		}
		n.Viewer = nscl.User{Email: "viewer@bo.bench.local", Name: "Cán bộ theo dõi của Bộ", Role: nscl.RoleViewer, UnitID: n.Ministry.ID}
		if err := tx.CreateUser(ctx, &n.Viewer, n.Password); err != nil {
			return fmt.Errorf("benchgen: user: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}

// Layout of a province of size units: the province, its departments, its
// districts, and wards under the districts for the rest.
func layout(size int) (departments, districts, wards int) {
	departments = max(1, size/40)
	districts = max(1, size/12)
	wards = max(0, size-1-departments-districts)
	return departments, districts, wards
}

func (n *National) buildTree(ctx context.Context, tx *store.Tx) error {
	add := func(u *nscl.OrgUnit) error {
		if err := tx.CreateUnit(ctx, u); err != nil {
			return fmt.Errorf("benchgen: unit %s: %w", u.Code, err)
		}
		n.Codes[u.ID] = u.Code
		if u.Level != nscl.LevelMinistry {
			n.Units = append(n.Units, *u)
		}
		return nil
	}
	n.Ministry = nscl.OrgUnit{Code: "BO-KHCN", Name: "Bộ Khoa học và Công nghệ", ShortName: "Bộ KHCN", Level: nscl.LevelMinistry}
	if err := add(&n.Ministry); err != nil {
		return err
	}
	departments, districts, wards := layout(n.UnitsPerProvince)
	for p := 1; p <= n.Provinces; p++ {
		province := nscl.OrgUnit{ParentID: n.Ministry.ID, Code: fmt.Sprintf("T%02d", p), Name: fmt.Sprintf("Tỉnh %02d", p), Level: nscl.LevelProvince}
		if err := add(&province); err != nil {
			return err
		}
		n.ProvinceUnits = append(n.ProvinceUnits, province)
		for d := 1; d <= departments; d++ {
			u := nscl.OrgUnit{ParentID: province.ID, Code: fmt.Sprintf("%s-S%02d", province.Code, d),
				Name: fmt.Sprintf("Sở ngành %02d – %s", d, province.Name), Level: nscl.LevelDepartment}
			if err := add(&u); err != nil {
				return err
			}
		}
		var districtUnits []nscl.OrgUnit
		for d := 1; d <= districts; d++ {
			u := nscl.OrgUnit{ParentID: province.ID, Code: fmt.Sprintf("%s-H%02d", province.Code, d),
				Name: fmt.Sprintf("Huyện %02d – %s", d, province.Name), Level: nscl.LevelDistrict}
			if err := add(&u); err != nil {
				return err
			}
			districtUnits = append(districtUnits, u)
		}
		for w := 1; w <= wards; w++ {
			district := districtUnits[(w-1)%len(districtUnits)]
			u := nscl.OrgUnit{ParentID: district.ID, Code: fmt.Sprintf("%s-X%03d", district.Code, w),
				Name: fmt.Sprintf("Xã %03d – %s", w, district.Name), Level: nscl.LevelUnit}
			if err := add(&u); err != nil {
				return err
			}
		}
	}
	return nil
}

// planSpans are the programme's 5-year plans: 2021–2025 and 2026–2030 for
// the default years.
func (n *National) planSpans() [][2]int {
	var spans [][2]int
	for from := n.FromYear; from <= n.ToYear; from += 5 {
		spans = append(spans, [2]int{from, min(from+4, n.ToYear)})
	}
	return spans
}

// buildPlans gives the Ministry and each province a 5-year plan for each
// span, and the Ministry an annual plan for every year, each with a target
// for every indicator active in it.
func (n *National) buildPlans(ctx context.Context, tx *store.Tx) error {
	targets := func(scale int64, from, years int) []nscl.Target {
		var out []nscl.Target
		for i, m := range n.Programme.Indicators() {
			if !m.ActiveIn(from) {
				continue
			}
			out = append(out, nscl.Target{Metric: m.Code, Value: scale * int64(years) * int64(100+50*i)})
		}
		return out
	}
	create := func(p nscl.Plan) error {
		if err := tx.CreatePlan(ctx, n.Programme, &p); err != nil {
			return fmt.Errorf("benchgen: plan %s: %w", p.Name, err)
		}
		return nil
	}
	nation := int64(n.Provinces)
	for _, span := range n.planSpans() {
		years := span[1] - span[0] + 1
		if err := create(nscl.Plan{UnitID: n.Ministry.ID, Kind: nscl.FiveYearPlan, StartYear: span[0], EndYear: span[1],
			Name: fmt.Sprintf("Kế hoạch quốc gia nâng cao năng suất và chất lượng giai đoạn %d – %d", span[0], span[1]), Targets: targets(nation*20, span[0], years)}); err != nil {
			return err
		}
		for _, p := range n.ProvinceUnits {
			if err := create(nscl.Plan{UnitID: p.ID, Kind: nscl.FiveYearPlan, StartYear: span[0], EndYear: span[1],
				Name: fmt.Sprintf("Kế hoạch nâng cao năng suất và chất lượng của %s giai đoạn %d – %d", p.Name, span[0], span[1]), Targets: targets(20, span[0], years)}); err != nil {
				return err
			}
		}
	}
	for year := n.FromYear; year <= n.ToYear; year++ {
		if err := create(nscl.Plan{UnitID: n.Ministry.ID, Kind: nscl.AnnualPlan, StartYear: year, EndYear: year,
			Name: fmt.Sprintf("Kế hoạch năm %d", year), Targets: targets(nation*20, year, 1)}); err != nil {
			return err
		}
	}
	return nil
}

// AddRounds writes two reporting rounds, after the activities as a real
// programme would: one of the first year asking the departments of the
// first province, every submission approved (so that the kept totals hold
// both approval states), and one of OpenYear asking every province, left
// open for writes.
func (n *National) AddRounds(ctx context.Context, st *store.Store) error {
	n.OpenYear = n.planSpans()[len(n.planSpans())-1][0]
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	return st.Update(ctx, func(tx *store.Tx) error {
		var asked []int64
		for _, u := range n.Units {
			if u.ParentID == n.ProvinceUnits[0].ID && u.Level == nscl.LevelDepartment {
				asked = append(asked, u.ID)
			}
		}
		first := nscl.Round{Title: fmt.Sprintf("Báo cáo kết quả năm %d của các sở, ngành %s", n.FromYear, n.ProvinceUnits[0].Name),
			PeriodStart: day(n.FromYear, 1, 1), PeriodEnd: day(n.FromYear, 12, 31), Deadline: day(n.FromYear+1, 1, 15), UnitIDs: asked}
		if err := tx.CreateRound(ctx, n.Programme, &first); err != nil {
			return fmt.Errorf("benchgen: round: %w", err)
		}
		sent, reviewed := day(n.FromYear+1, 1, 10), day(n.FromYear+1, 1, 20)
		for _, id := range asked {
			sub := nscl.Submission{RoundID: first.ID, UnitID: id, Status: nscl.StatusApproved, SubmittedAt: sent, FirstSentAt: sent, ReviewedAt: reviewed}
			if err := tx.RestoreSubmission(ctx, sub); err != nil {
				return fmt.Errorf("benchgen: approving round %d: %w", first.ID, err)
			}
		}
		provinces := make([]int64, len(n.ProvinceUnits))
		for i, p := range n.ProvinceUnits {
			provinces[i] = p.ID
		}
		open := nscl.Round{Title: fmt.Sprintf("Báo cáo kết quả năm %d của các tỉnh", n.OpenYear),
			PeriodStart: day(n.OpenYear, 1, 1), PeriodEnd: day(n.OpenYear, 12, 31), Deadline: day(n.OpenYear+1, 1, 15), UnitIDs: provinces}
		if err := tx.CreateRound(ctx, n.Programme, &open); err != nil {
			return fmt.Errorf("benchgen: round: %w", err)
		}
		n.OpenRound = open.ID
		return nil
	})
}

// activitiesPerTransaction bounds one transaction of Write, so that
// SQLite's journal and the batch's memory stay small.
const activitiesPerTransaction = 20_000

// Write writes activities from..to-1 (Activity's numbering) through the
// store's bulk path (Tx.BulkActivities in Store.BulkLoad: rows only, a few
// hundred to a statement, no audit entries, the indexes built and the
// activity counts and kept totals counted from the raw rows once at the
// end, by the recounts `nscl check` trusts). progress, when not nil,
// hears how many are written; the last call comes before the rebuild.
func (n *National) Write(ctx context.Context, st *store.Store, from, to int, progress func(done int)) error {
	batch := make([]nscl.Activity, 0, min(activitiesPerTransaction, to-from))
	return st.BulkLoad(ctx, func() error {
		for start := from; start < to; start += activitiesPerTransaction {
			end := min(start+activitiesPerTransaction, to)
			batch = batch[:0]
			for i := start; i < end; i++ {
				batch = append(batch, n.Activity(i))
			}
			if err := st.Update(ctx, func(tx *store.Tx) error { return tx.BulkActivities(ctx, n.Programme, batch) }); err != nil {
				return fmt.Errorf("benchgen: activities %d–%d: %w", start, end-1, err)
			}
			if progress != nil {
				progress(end - from)
			}
		}
		return nil
	})
}

// Activity returns the i-th generated activity, the same for the same seed
// and i: a unit under the Ministry, a day of the programme's years, a task
// group with a quantity for each of its metrics, and, for a metric counted
// in enterprises, a list of beneficiaries (sometimes none).
func (n *National) Activity(i int) nscl.Activity {
	r := rand.New(rand.NewPCG(n.Seed, uint64(i)))
	year := n.FromYear + r.IntN(n.ToYear-n.FromYear+1)
	return n.draw(r, n.Units[r.IntN(len(n.Units))].ID, year, fmt.Sprintf("bench-%d", i))
}

// Extra returns the i-th activity of a stream apart from Activity's (the
// writes and imports made while measuring), of year and with its own key.
func (n *National) Extra(stream string, i, year int) nscl.Activity {
	h := fnv.New64a()
	h.Write([]byte(stream))
	r := rand.New(rand.NewPCG(n.Seed^h.Sum64(), uint64(i)))
	return n.draw(r, n.Units[r.IntN(len(n.Units))].ID, year, fmt.Sprintf("bench-%s-%d", stream, i))
}

func (n *National) draw(r *rand.Rand, unitID int64, year int, ref string) nscl.Activity {
	start := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	days := int(start.AddDate(1, 0, 0).Sub(start).Hours() / 24)
	date := start.AddDate(0, 0, r.IntN(days))
	groups := n.groupsWithMetrics()
	g := groups[r.IntN(len(groups))]
	a := nscl.Activity{UnitID: unitID, Date: date, TaskGroup: g, Kind: kinds[g][r.IntN(len(kinds[g]))],
		Description: fmt.Sprintf("%s (%s)", descriptions[g][r.IntN(len(descriptions[g]))], ref),
		Source:      "nscl bench", Ref: ref}
	listed := false
	for _, m := range n.Programme.Metrics {
		if m.TaskGroup != g || !m.ActiveIn(year) {
			continue
		}
		v := int64(1 + r.IntN(40))
		switch {
		case m.Rule == nscl.RuleLast:
			v = int64(r.IntN(6))
		case m.Kind == nscl.Measure:
			v = int64(10 + r.IntN(200))
		}
		a.Quantities = append(a.Quantities, nscl.Quantity{Metric: m.Code, Value: v})
		listed = listed || m.CountsEnterprises()
	}
	// Most activities counted in enterprises name them; some do not, as
	// in real reports.
	if listed && r.IntN(5) > 0 {
		seen := map[string]bool{}
		for range 1 + r.IntN(3) {
			tc := TaxCode(r.IntN(n.Enterprises))
			if !seen[tc] {
				seen[tc] = true
				a.Beneficiaries = append(a.Beneficiaries, tc)
			}
		}
	}
	return a
}

// TaxCode is the i-th enterprise's tax code: ten digits, never all zeros.
func TaxCode(i int) string { return fmt.Sprintf("01%08d", i+1) }

func (n *National) groupsWithMetrics() []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range n.Programme.Metrics {
		if !seen[m.TaskGroup] {
			seen[m.TaskGroup] = true
			out = append(out, m.TaskGroup)
		}
	}
	return out
}
