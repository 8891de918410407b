package demo

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"nscl"
	"nscl/store"
)

// Every closing of the reorganisation fits the tree: the unit closes on
// the day of its succession, its successors are open that day, and every
// closed unit of the demo names where its work went.
func TestMergerSuccessionsFitTheTree(t *testing.T) {
	units := map[string]nscl.OrgUnit{}
	for _, u := range Units() {
		if _, twice := units[u.Code]; twice {
			t.Errorf("unit code %s used twice", u.Code)
		}
		units[u.Code] = u.OrgUnit
	}
	closedBy := map[string]int{}
	followed := map[string]string{} // successor → the unit it followed
	for _, s := range Successions() {
		u, ok := units[s.unit]
		switch {
		case !ok:
			t.Errorf("succession of unknown unit %s", s.unit)
			continue
		case !u.ClosedOn.Equal(s.on):
			t.Errorf("%s closes on %s, its succession is dated %s", s.unit, u.ClosedOn.Format("02/01/2006"), s.on.Format("02/01/2006"))
		}
		closedBy[s.unit]++
		if len(s.successors) == 0 {
			t.Errorf("%s has no successor", s.unit)
		}
		for _, code := range s.successors {
			succ, ok := units[code]
			if !ok || !succ.OpenOn(s.on) {
				t.Errorf("%s: successor %s is not open on %s", s.unit, code, s.on.Format("02/01/2006"))
			}
			if prev, ok := followed[code]; ok && units[code].Level == nscl.LevelDistrict {
				t.Errorf("ward %s follows both %s and %s in this shortened mapping", code, prev, s.unit)
			}
			followed[code] = s.unit
		}
	}
	for code, u := range units {
		if !u.ClosedOn.IsZero() && closedBy[code] != 1 {
			t.Errorf("closed unit %s has %d successions, want 1", code, closedBy[code])
		}
	}
	// The districts of 2022 and Thủ Đức are followed by 102 wards and
	// communes, each under the city at the districts' level.
	wards := 0
	for _, u := range mergerUnits() {
		if u.Level == nscl.LevelDistrict {
			wards++
			if u.parent != UnitCity || !u.OpenedOn.Equal(day(2025, 7, 1)) || followed[u.Code] == "" {
				t.Errorf("ward %s: parent %s, opened %s, follows %q", u.Code, u.parent, u.OpenedOn.Format("02/01/2006"), followed[u.Code])
			}
		}
	}
	if wards != 102 {
		t.Errorf("%d wards and communes, the table lists 102", wards)
	}
	for code, want := range map[string]string{"HCM-P-SAIGON": "Ủy ban nhân dân phường Sài Gòn", "HCM-X-CUCHI": "Ủy ban nhân dân xã Củ Chi",
		"HCM-P-DONGHUNGTHUAN": "Ủy ban nhân dân phường Đông Hưng Thuận"} {
		if units[code].Name != want {
			t.Errorf("unit %s is named %q, want %q", code, units[code].Name, want)
		}
	}
}

// What the seed does not hold says "minh họa": the absorbed provinces'
// plans and activities, and the new city's, each province's spread over
// 2021–2025 before it closed, the wards' after they opened.
func TestMergerRecordsAreIllustrative(t *testing.T) {
	for _, p := range MergerPlans() {
		if !Illustrative(p.plan.Name) || !Illustrative(p.source) {
			t.Errorf("plan %q of %s does not say minh họa", p.plan.Name, p.unit)
		}
		if len(p.plan.Targets) != 4 {
			t.Errorf("plan of %s has %d targets, want the four indicators", p.unit, len(p.plan.Targets))
		}
	}
	units := map[string]unitSpec{}
	for _, u := range Units() {
		units[u.Code] = u
	}
	province := func(code string) string {
		for u := units[code]; ; u = units[u.parent] {
			if u.Level == nscl.LevelProvince || u.parent == "" {
				return u.Code
			}
		}
	}
	years := map[string]map[int]bool{UnitBinhDuong: {}, UnitVungTau: {}, UnitCity: {}}
	count := map[string]int{}
	for _, a := range activitiesMerger() {
		u := units[a.unit]
		if !Illustrative(a.source) {
			t.Errorf("%s does not say minh họa", a.ref)
		}
		if !u.OpenOn(a.date) {
			t.Errorf("%s is dated %s, when %s was not open", a.ref, a.date.Format("02/01/2006"), a.unit)
		}
		p := province(a.unit)
		count[p]++
		years[p][a.date.Year()] = true
	}
	for _, p := range []string{UnitBinhDuong, UnitVungTau} {
		if count[p] < 4 || count[p] > 8 || len(years[p]) != 5 {
			t.Errorf("%s: %d activities over the years %v, want 4 to 8 spread over 2021–2025", p, count[p], years[p])
		}
	}
	if count[UnitCity] < 3 || count[UnitCity] > 6 || !years[UnitCity][2025] || len(years[UnitCity]) != 1 {
		t.Errorf("the new city: %d activities in %v, want 3 to 6 in 2025", count[UnitCity], years[UnitCity])
	}
}

// Loaded, the reorganisation is recorded as successions, and the rounds
// of 2022 and 2023 ask the units Công văn 4225/KH-CN-TĐC asked: the city's
// departments other than the focal point, the districts and Thủ Đức.
func TestLoadRecordsTheMergerAndAsksTheCityOnly(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sum, err := Load(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	// The report's plans and the two absorbed provinces'.
	if sum.Plans != len(Plans())+2 || sum.Units != len(Units()) {
		t.Errorf("loaded %+v", sum)
	}
	all, err := st.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	codes := map[int64]string{}
	for _, u := range all {
		codes[u.ID] = u.Code
	}
	successions, err := st.Successions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// 6 closings of provinces and departments, and 102 wards after 22 districts.
	if len(successions) != 108 {
		t.Errorf("%d successions on file, want 108", len(successions))
	}
	for _, s := range successions {
		pred, succ := codes[s.PredecessorID], codes[s.SuccessorID]
		var want nscl.SuccessionKind
		switch pred {
		case UnitBinhDuong, UnitVungTau, UnitBinhDuongDept, UnitVungTauDept:
			want = nscl.KindMerge
		case UnitInfo, UnitAgri: // alone on their day: the department they joined goes on
			want = nscl.KindRename
		default:
			want = nscl.KindSplit
		}
		if got := nscl.KindOf(successions, s); got != want {
			t.Errorf("%s → %s on %s is a %s, want %s", pred, succ, s.On.Format("02/01/2006"), got, want)
		}
	}
	counted := nscl.CountedUnits(all, successions, nil, unitIDOf(t, all, UnitCity), nscl.Boundaries{})
	for _, code := range []string{UnitBinhDuong, UnitBinhDuongDept, UnitVungTauDept, "HCM-Q1", "HCM-P-SAIGON", UnitAgriEnvironment} {
		if !slices.Contains(counted.UnitIDs, unitIDOf(t, all, code)) {
			t.Errorf("today's city does not count %s", code)
		}
	}

	want := []string{UnitTrade, UnitAgri, UnitInfo, UnitFoodSafety, UnitHiTechPark, UnitThuDuc}
	for _, d := range districts2022 {
		want = append(want, "HCM-"+d.code)
	}
	slices.Sort(want)
	prog, err := st.ProgrammeByCode(ctx, ProgrammeCode)
	if err != nil {
		t.Fatal(err)
	}
	rounds, err := st.Rounds(ctx, prog)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rounds {
		if r.PeriodStart.Year() != r.PeriodEnd.Year() {
			continue // the focal point's own round
		}
		var asked []string
		for _, id := range r.UnitIDs {
			asked = append(asked, codes[id])
		}
		slices.Sort(asked)
		if !slices.Equal(asked, want) {
			t.Errorf("round %q asks %s,\nwant %s", r.Title, strings.Join(asked, " "), strings.Join(want, " "))
		}
	}

	again, err := Load(ctx, st)
	if err != nil || !again.AlreadyLoaded {
		t.Errorf("loading twice: %+v, %v", again, err)
	}
}

func unitIDOf(t *testing.T, units []nscl.OrgUnit, code string) int64 {
	t.Helper()
	for _, u := range units {
		if u.Code == code {
			return u.ID
		}
	}
	t.Fatalf("no unit %s", code)
	return 0
}
