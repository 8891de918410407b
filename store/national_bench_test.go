package store

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"nscl"
)

// BenchmarkNational measures, in a generated national tree (a ministry,
// 34 provinces of 150 units each: departments, districts and the wards
// under them; 10 metrics of the three rules, years 2021–2030), the
// nation's and one province's figures for 2021–2025 at the end of 2025,
// as a report reads them (and, for comparison, as the units' own rows
// give them), at 10.000 and 1.000.000 activities, and one activity
// written in its own transaction.
//
//	go test -run '^$' -bench National -benchtime 50x -timeout 2h ./store/
//
// NSCL_BENCH_NATIONAL names the sizes (default "10000,1000000").
func BenchmarkNational(b *testing.B) {
	sizes := []int{10_000, 1_000_000}
	if env := os.Getenv("NSCL_BENCH_NATIONAL"); env != "" {
		sizes = nil
		for _, f := range strings.Split(env, ",") {
			var n int
			fmt.Sscan(f, &n)
			sizes = append(sizes, n)
		}
	}
	for _, n := range sizes {
		s, nat := nationalStore(b, n)
		ctx := b.Context()
		bounds := nscl.YearEnd(2025)
		for _, c := range []struct {
			name string
			unit int64
		}{{"nation", nat.ministry}, {"province", nat.provinces[7]}} {
			b.Run(fmt.Sprintf("activities=%d/report/%s", n, c.name), func(b *testing.B) {
				for b.Loop() {
					if _, err := s.FiguresWith(ctx, nat.prog, c.unit, 2021, 2025, FigureOptions{Boundaries: bounds}); err != nil {
						b.Fatal(err)
					}
				}
			})
			// The same figures from every counted unit's own rows, as
			// before the totals per ancestor; they must be equal.
			b.Run(fmt.Sprintf("activities=%d/report/%s-from-unit-rows", n, c.name), func(b *testing.B) {
				counted, err := s.Counted(ctx, c.unit, bounds)
				if err != nil {
					b.Fatal(err)
				}
				kept, err := s.FiguresWith(ctx, nat.prog, c.unit, 2021, 2025, FigureOptions{Boundaries: bounds})
				if err != nil {
					b.Fatal(err)
				}
				for b.Loop() {
					got, err := s.figuresOver(ctx, nat.prog, cover{singles: counted.UnitIDs}, 2021, 2025, FigureOptions{})
					if err != nil {
						b.Fatal(err)
					}
					if !maps.Equal(got, kept) {
						b.Fatalf("from the units' own rows %+v, from the ancestors' %+v", got, kept)
					}
				}
			})
		}
		b.Run(fmt.Sprintf("activities=%d/write", n), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(2, 2))
			for b.Loop() {
				a := nat.activity(rng)
				if err := s.CreateActivity(ctx, nat.prog, &a); err != nil {
					b.Fatal(err)
				}
			}
		})
		// The same writes leaving the kept totals alone: the goal is the
		// write with totals at 0,75 of this one's speed or better.
		b.Run(fmt.Sprintf("activities=%d/write-plain", n), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(2, 2))
			for b.Loop() {
				a := nat.activity(rng)
				if err := s.Update(ctx, func(tx *Tx) error {
					tx.WithoutTotals()
					return tx.CreateActivity(ctx, nat.prog, &a)
				}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// national is a generated national tree and its programme.
type national struct {
	prog      *nscl.Programme
	ministry  int64
	provinces []int64
	units     []int64 // every unit below the ministry
}

// nationalStore generates the tree and n activities into a new SQLite
// database, with the same seed every time.
func nationalStore(b *testing.B, n int) (*Store, *national) {
	b.Helper()
	ctx := b.Context()
	s := openStore(b, filepath.Join(b.TempDir(), "national.db"))
	nat := &national{}
	start := time.Now()
	if err := s.Update(ctx, func(tx *Tx) error {
		metrics := []nscl.Metric{
			{Code: "training", Name: "Tập huấn", Unit: "lượt doanh nghiệp", Kind: nscl.Indicator, Rule: nscl.RuleSum, TaskGroup: "d"},
			{Code: "supported", Name: "Doanh nghiệp được hỗ trợ", Unit: "doanh nghiệp", Kind: nscl.Indicator, Rule: nscl.RuleDistinct, TaskGroup: "c"},
			{Code: "experts", Name: "Chuyên gia", Unit: "lượt chuyên gia", Kind: nscl.Indicator, Rule: nscl.RuleSum, TaskGroup: "d"},
			{Code: "labs", Name: "Phòng thử nghiệm", Unit: "phòng thử nghiệm", Kind: nscl.Indicator, Rule: nscl.RuleLast, TaskGroup: "đ"},
			{Code: "consulted", Name: "Doanh nghiệp được tư vấn", Unit: "doanh nghiệp", Kind: nscl.Indicator, Rule: nscl.RuleDistinct, TaskGroup: "c"},
			{Code: "certified", Name: "Tổ chức chứng nhận", Unit: "tổ chức", Kind: nscl.Indicator, Rule: nscl.RuleLast, TaskGroup: "đ"},
			{Code: "trainees", Name: "Học viên", Unit: "học viên", Kind: nscl.Measure, Rule: nscl.RuleSum, TaskGroup: "d"},
			{Code: "articles", Name: "Tin bài", Unit: "tin bài", Kind: nscl.Measure, Rule: nscl.RuleSum, TaskGroup: "b"},
			{Code: "videos", Name: "Video", Unit: "video", Kind: nscl.Measure, Rule: nscl.RuleSum, TaskGroup: "b"},
			{Code: "attendees", Name: "Đại biểu", Unit: "đại biểu", Kind: nscl.Measure, Rule: nscl.RuleSum, TaskGroup: "b"},
		}
		nat.prog = &nscl.Programme{Code: "NSCL", Name: "Chương trình năng suất chất lượng", StartYear: 2021, EndYear: 2030,
			TaskGroups: []nscl.TaskGroup{{Letter: "a", Name: "Hoàn thiện cơ chế, chính sách"}, {Letter: "b", Name: "Thông tin, truyền thông"}, {Letter: "c", Name: "Hỗ trợ doanh nghiệp"},
				{Letter: "d", Name: "Đào tạo"}, {Letter: "đ", Name: "Tiêu chuẩn hóa"}},
			Metrics: metrics}
		if err := tx.CreateProgramme(ctx, nat.prog); err != nil {
			return err
		}
		add := func(parent int64, code string, level nscl.UnitLevel) (int64, error) {
			u := nscl.OrgUnit{ParentID: parent, Code: code, Name: "Đơn vị " + code, Level: level}
			err := tx.CreateUnit(ctx, &u)
			return u.ID, err
		}
		var err error
		if nat.ministry, err = add(0, "BKHCN", nscl.LevelMinistry); err != nil {
			return err
		}
		for p := range 34 {
			prov, err := add(nat.ministry, fmt.Sprintf("T%02d", p), nscl.LevelProvince)
			if err != nil {
				return err
			}
			nat.provinces = append(nat.provinces, prov)
			nat.units = append(nat.units, prov)
			// 149 units under each province: 5 departments, 16 districts
			// and 8 wards under each district.
			for d := range 5 {
				id, err := add(prov, fmt.Sprintf("T%02d-S%d", p, d), nscl.LevelDepartment)
				if err != nil {
					return err
				}
				nat.units = append(nat.units, id)
			}
			for d := range 16 {
				district, err := add(prov, fmt.Sprintf("T%02d-H%02d", p, d), nscl.LevelDistrict)
				if err != nil {
					return err
				}
				nat.units = append(nat.units, district)
				for w := range 8 {
					id, err := add(district, fmt.Sprintf("T%02d-H%02d-X%d", p, d, w), nscl.LevelUnit)
					if err != nil {
						return err
					}
					nat.units = append(nat.units, id)
				}
			}
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, uint64(n)))
	for done := 0; done < n; {
		batch := min(n-done, 50_000)
		if err := s.Update(ctx, func(tx *Tx) error {
			tx.Batch()
			for range batch {
				a := nat.activity(rng)
				if err := tx.CreateActivity(ctx, nat.prog, &a); err != nil {
					return err
				}
			}
			return tx.Flush(ctx)
		}); err != nil {
			b.Fatal(err)
		}
		done += batch
	}
	if _, err := s.write.ExecContext(ctx, "ANALYZE"); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d units, %d activities generated in %s", len(nat.units)+1, n, time.Since(start).Round(time.Second))
	return s, nat
}

// activity is a random activity of a unit below the ministry in
// 2021–2030: two sum figures, now and then a last value, and for one
// activity in three a distinct-rule figure naming one to three of 20.000
// enterprises.
func (nat *national) activity(rng *rand.Rand) nscl.Activity {
	sums := []string{"training", "experts", "trainees", "articles", "videos", "attendees"}
	a := nscl.Activity{UnitID: nat.units[rng.IntN(len(nat.units))],
		Date:      time.Date(2021+rng.IntN(10), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC),
		TaskGroup: "d", Kind: nscl.KindTraining, Description: "Lớp tập huấn năng suất chất lượng",
		Quantities: []nscl.Quantity{{Metric: sums[rng.IntN(3)], Value: 1 + rng.Int64N(30)}, {Metric: sums[3+rng.IntN(3)], Value: 1 + rng.Int64N(100)}}}
	if rng.IntN(10) == 0 {
		a.Quantities = append(a.Quantities, nscl.Quantity{Metric: []string{"labs", "certified"}[rng.IntN(2)], Value: rng.Int64N(5)})
	}
	if rng.IntN(3) == 0 {
		for range 1 + rng.IntN(3) {
			tc := fmt.Sprintf("03%08d", rng.IntN(20_000))
			if !slices.Contains(a.Beneficiaries, tc) {
				a.Beneficiaries = append(a.Beneficiaries, tc)
			}
		}
		a.Quantities = append(a.Quantities, nscl.Quantity{Metric: []string{"supported", "consulted"}[rng.IntN(2)], Value: int64(len(a.Beneficiaries))})
	}
	return a
}
