package store

import (
	"testing"
	"time"

	"nscl"
)

// The reach of an indicator counted in enterprises, against counts made by
// hand, before and after merges and unmerges:
//
//	A1  district1 2022  training 10  t1, t2
//	A2  district1 2022  training 5   t1
//	A3  district2 2022  training 3   (no list)
//	A4  department 2021 training 4   t3
//	A5  district2 2022  articles 7   t4   (a measure, not counted in enterprises)
//	A6  district1 2022  training 0   t5   (no figure: not counted)
func TestEnterpriseReach(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		acts := []*nscl.Activity{
			withBeneficiaries(activity(f.district1, "2022-03-01", qty(mTraining, 10)), t1, t2),
			withBeneficiaries(activity(f.district1, "2022-04-01", qty(mTraining, 5)), t1),
			activity(f.district2, "2022-05-01", qty(mTraining, 3)),
			withBeneficiaries(activity(f.department, "2021-06-01", qty(mTraining, 4)), t3),
			withBeneficiaries(activity(f.district2, "2022-07-01", qty(mArticles, 7)), t4),
			withBeneficiaries(activity(f.district1, "2022-08-01", qty(mTraining, 0)), t5),
		}
		records := map[string]*nscl.Enterprise{}
		err := s.Update(ctx, func(tx *Tx) error {
			for _, a := range acts {
				if err := tx.CreateActivity(ctx, f.prog, a); err != nil {
					return err
				}
			}
			for _, tc := range []string{t1, t2, t3} {
				e := &nscl.Enterprise{TaxCode: tc, Name: "Công ty " + tc}
				if err := tx.CreateEnterprise(ctx, e, false); err != nil {
					return err
				}
				records[tc] = e
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		reach := func(what string, wantYear, wantCum nscl.EnterpriseCounts) {
			t.Helper()
			got, err := s.Figures(ctx, f.prog, f.province.ID, 2021, 2022)
			if err != nil {
				t.Fatal(err)
			}
			if g := got[mTraining]; g.YearReach != wantYear || g.CumulativeReach != wantCum {
				t.Errorf("%s: reach 2022 %+v, 2021–2022 %+v; want %+v, %+v", what, g.YearReach, g.CumulativeReach, wantYear, wantCum)
			}
			if g := got[mArticles]; g.YearReach.Known() || g.CumulativeReach.Known() {
				t.Errorf("%s: a measure not counted in enterprises has a reach: %+v", what, g)
			}
		}
		counts := func(enterprises, visits, unlisted int64) nscl.EnterpriseCounts {
			return nscl.EnterpriseCounts{Enterprises: enterprises, Visits: visits, Unlisted: unlisted}
		}
		reach("no merge", counts(2, 3, 1), counts(3, 4, 1))
		// The district alone: A1, A2 and A6 (no figure).
		got, err := s.Figures(ctx, f.prog, f.district1.ID, 2022, 2022)
		if err != nil || got[mTraining].YearReach != counts(2, 3, 0) {
			t.Errorf("district1's 2022 reach %+v (%v), want 2 enterprises, 3 visits", got[mTraining].YearReach, err)
		}

		write := func(what string, fn func(tx *Tx) error) {
			t.Helper()
			if err := s.Update(ctx, fn); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
		}
		id := func(tc string) int64 { return records[tc].ID }
		write("merge t2 into t1", func(tx *Tx) error { return tx.MergeEnterprise(ctx, id(t2), id(t1)) })
		reach("t2 merged into t1", counts(1, 3, 1), counts(2, 4, 1))
		// A province's summary lists the enterprises its figure counts.
		counted, err := s.Counted(ctx, f.province.ID, nscl.YearEnd(2022))
		if err != nil {
			t.Fatal(err)
		}
		if codes, err := s.DistinctBeneficiaries(ctx, metricID(f, mTraining), counted.UnitIDs, 2022); err != nil || len(codes) != 1 || codes[0] != t1 {
			t.Errorf("2022 beneficiaries for the summary: %q %v, want t1 alone (t2 merged into it)", codes, err)
		}

		// t1 has t2 merged into it: t1 cannot go into t3 (an unmerge of t1
		// would not give t2 back), but t3 can go into t1.
		if err := s.Update(ctx, func(tx *Tx) error { return tx.MergeEnterprise(ctx, id(t1), id(t3)) }); nscl.ErrorCode(err) != nscl.EINVALID {
			t.Errorf("merging a record others are merged into: %v, want EINVALID", err)
		}
		write("merge t3 into t1", func(tx *Tx) error { return tx.MergeEnterprise(ctx, id(t3), id(t1)) })
		reach("t2 and t3 merged into t1", counts(1, 3, 1), counts(1, 4, 1))
		if merged, err := s.MergedInto(ctx, id(t1)); err != nil || len(merged) != 2 {
			t.Errorf("records merged into t1: %v %v, want t2 and t3", merged, err)
		}
		supports, err := s.EnterpriseSupports(ctx, f.prog, id(t1))
		if err != nil || len(supports) != 3 {
			t.Errorf("t1's supports: %d (%v), want A1, A2 and A4", len(supports), err)
		}

		// Refused: a record merged already, a merge into a merged record, into itself.
		for _, c := range []struct {
			name       string
			from, into int64
			code       string
		}{
			{"merged record again", id(t2), id(t3), nscl.ECONFLICT},
			{"into a merged record", id(t1), id(t3), nscl.EINVALID},
			{"into itself", id(t1), id(t1), nscl.EINVALID},
		} {
			err := s.Update(ctx, func(tx *Tx) error { return tx.MergeEnterprise(ctx, c.from, c.into) })
			if nscl.ErrorCode(err) != c.code {
				t.Errorf("%s: %v, want %s", c.name, err, c.code)
			}
		}

		write("unmerge t3", func(tx *Tx) error { return tx.UnmergeEnterprise(ctx, id(t3)) })
		reach("t3 itself again, t2 still in t1", counts(1, 3, 1), counts(2, 4, 1))
		write("unmerge t2", func(tx *Tx) error { return tx.UnmergeEnterprise(ctx, id(t2)) })
		reach("every merge undone", counts(2, 3, 1), counts(3, 4, 1))
		if err := s.Update(ctx, func(tx *Tx) error { return tx.UnmergeEnterprise(ctx, id(t2)) }); nscl.ErrorCode(err) != nscl.ECONFLICT {
			t.Errorf("unmerging a record not merged: %v, want ECONFLICT", err)
		}

		for action, want := range map[string]int{"merge": 2, "unmerge": 2} {
			log, err := s.AuditLog(ctx, AuditFilter{Entity: "enterprise", Action: action, Limit: 10})
			if err != nil || len(log) != want {
				t.Errorf("audit entries %q: %d (%v), want %d", action, len(log), err, want)
			}
		}
	})
}

// The registry refuses a bad or taken tax code and a record without a
// name unless it is a beneficiary's code added on the spot; search ignores
// case and diacritics.
func TestEnterpriseRegistry(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		create := func(e nscl.Enterprise, unnamed bool) error {
			return s.Update(ctx, func(tx *Tx) error { return tx.CreateEnterprise(ctx, &e, unnamed) })
		}
		if err := create(nscl.Enterprise{TaxCode: "0301234567", Name: "Công ty TNHH Cơ khí Hà Nội", District: "Quận Ba Đình", Sector: "2592", Size: nscl.SizeSmall}, false); err != nil {
			t.Fatal(err)
		}
		if err := create(nscl.Enterprise{TaxCode: "0301234567-001", Name: "Chi nhánh Thủ Đức", District: "Thành phố Thủ Đức"}, false); err != nil {
			t.Fatal(err)
		}
		// Named after Thủ Đức, in another district: the district filter does not find it.
		if err := create(nscl.Enterprise{TaxCode: "0302222222", Name: "Công ty Thủ Đức Xanh", District: "Quận 1"}, false); err != nil {
			t.Fatal(err)
		}
		wantError(t, create(nscl.Enterprise{TaxCode: "0301234567", Name: "Trùng"}, false), nscl.ECONFLICT, "tax_code")
		wantError(t, create(nscl.Enterprise{TaxCode: "030123456", Name: "Thiếu số"}, false), nscl.EINVALID, "tax_code")
		wantError(t, create(nscl.Enterprise{TaxCode: "0309999999"}, false), nscl.EINVALID, "name")
		if err := create(nscl.Enterprise{TaxCode: "0309999999"}, true); err != nil {
			t.Errorf("a beneficiary's tax code alone: %v", err)
		}
		for _, c := range []struct {
			filter EnterpriseFilter
			want   int
		}{
			{EnterpriseFilter{Text: "ha noi"}, 1},
			{EnterpriseFilter{Text: "HÀ NỘI cơ khí"}, 1},
			{EnterpriseFilter{Text: "0301234567"}, 2},
			{EnterpriseFilter{District: "thu duc"}, 1},
			{EnterpriseFilter{Text: "thu duc"}, 2},
			{EnterpriseFilter{District: "quan 1"}, 1},
			{EnterpriseFilter{Sector: "25"}, 1},
			{EnterpriseFilter{Sector: "c"}, 1}, // 2592 is in section C (10–33)
			{EnterpriseFilter{Sector: "G"}, 0},
			{EnterpriseFilter{Size: nscl.SizeSmall}, 1},
			{EnterpriseFilter{Text: "hải phòng"}, 0},
			{EnterpriseFilter{}, 4},
		} {
			page, err := s.Enterprises(ctx, c.filter)
			if err != nil || page.Count != (Counted{N: int64(c.want)}) || len(page.Enterprises) != c.want {
				t.Errorf("%+v: %d of %+v (%v), want %d", c.filter, len(page.Enterprises), page.Count, err, c.want)
			}
		}
	})
}

// Two merges at once on PostgreSQL (X into Y while Y goes into Z) must not
// leave a chain X → Y → Z, which counts would resolve one level only: the
// second waits for the first's locks, then sees Y merged and is refused.
func TestConcurrentMergesLeaveNoChain(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		if s.dialect != postgres {
			return // SQLite has one writer at a time: nothing to race
		}
		f := newFixture(t, s)
		ctx := t.Context()
		var x, y, z nscl.Enterprise
		err := s.Update(ctx, func(tx *Tx) error {
			x, y, z = nscl.Enterprise{TaxCode: t1, Name: "X"}, nscl.Enterprise{TaxCode: t2, Name: "Y"}, nscl.Enterprise{TaxCode: t3, Name: "Z"}
			for _, e := range []*nscl.Enterprise{&x, &y, &z} {
				if err := tx.CreateEnterprise(ctx, e, false); err != nil {
					return err
				}
			}
			return tx.CreateActivity(ctx, f.prog, withBeneficiaries(activity(f.district1, "2022-03-01", qty(mTraining, 10)), t1, t3))
		})
		if err != nil {
			t.Fatal(err)
		}
		merged, proceed, yz := make(chan bool), make(chan bool), make(chan error, 1)
		go func() {
			yz <- s.Update(ctx, func(tx *Tx) error {
				if err := tx.MergeEnterprise(ctx, y.ID, z.ID); err != nil {
					return err
				}
				merged <- true
				<-proceed // hold Y's lock while the other merge starts
				return nil
			})
		}()
		<-merged
		xy := make(chan error, 1)
		go func() { xy <- s.Update(ctx, func(tx *Tx) error { return tx.MergeEnterprise(ctx, x.ID, y.ID) }) }()
		time.Sleep(300 * time.Millisecond) // the second merge is now waiting on Y
		proceed <- true
		if err := <-yz; err != nil {
			t.Fatalf("Y into Z: %v", err)
		}
		if err := <-xy; nscl.ErrorCode(err) != nscl.EINVALID {
			t.Errorf("X into Y while Y went into Z: %v, want EINVALID (Y is merged)", err)
		}
		gx, err := s.Enterprise(ctx, x.ID)
		if err != nil || gx.MergedInto != 0 {
			t.Errorf("X after the refused merge: %+v %v", gx, err)
		}
		got, err := s.Figures(ctx, f.prog, f.province.ID, 2022, 2022)
		if err != nil || got[mTraining].YearReach.Enterprises != 2 {
			t.Errorf("distinct enterprises %d (%v), want 2: X, and Z with Y", got[mTraining].YearReach.Enterprises, err)
		}
	})
}
