package web

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"nscl"
	"nscl/demo"
	"nscl/store"
)

func TestUnitTreeNestsFoldsClosedUnitsAndGroupsMany(t *testing.T) {
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	units := []nscl.OrgUnit{
		{ID: 10, Code: "M", Level: nscl.LevelMinistry},
		{ID: 11, ParentID: 10, Code: "P", Level: nscl.LevelProvince},
		{ID: 12, ParentID: 11, Code: "P-DEP", Level: nscl.LevelDepartment},
		{ID: 13, ParentID: 12, Code: "P-DEP-U", Level: nscl.LevelUnit},
		{ID: 14, ParentID: 11, Code: "P-OLD", Level: nscl.LevelDistrict, ClosedOn: day},
		{ID: 15, ParentID: 10, Code: "Q", Level: nscl.LevelProvince, ClosedOn: day},
		{ID: 16, ParentID: 99, Code: "ORPHAN", Level: nscl.LevelProvince}, // its parent is not listed
	}
	for i := range groupAbove { // enough wards under P to be grouped by level
		units = append(units, nscl.OrgUnit{ID: int64(100 + i), ParentID: 11, Code: fmt.Sprintf("P-W%d", i), Level: nscl.LevelDistrict})
	}
	successions := []nscl.Succession{
		{PredecessorID: 14, SuccessorID: 100, On: day}, {PredecessorID: 14, SuccessorID: 101, On: day},
		{PredecessorID: 15, SuccessorID: 11, On: day}, {PredecessorID: 15, SuccessorID: 11, On: day}, // said twice: shown once
	}
	tree := unitTree(units, successions)

	if len(tree) != 2 || tree[0].Unit.Code != "M" || tree[1].Unit.Code != "ORPHAN" {
		t.Fatalf("roots: %v", codes(tree))
	}
	m := tree[0]
	if m.Below != int64(len(units)-2) || !m.Expanded() {
		t.Errorf("M: %d below (want %d), expanded %v", m.Below, len(units)-2, m.Expanded())
	}
	if len(m.Children) != 1 || m.Children[0].Level != "" || len(m.Children[0].Units) != 1 || len(m.Closed) != 1 || m.Closed[0].Unit.Code != "Q" {
		t.Fatalf("M's children: %+v, closed %v", m.Children, codes(m.Closed))
	}
	if q := m.Closed[0]; len(q.Successors) != 1 || q.Successors[0].Code != "P" {
		t.Errorf("Q closed into P, once: %+v", q.Successors)
	}
	p := m.Children[0].Units[0]
	if p.Below != int64(3+groupAbove) || !p.Expanded() {
		t.Errorf("P: %d below, want %d; expanded %v", p.Below, 3+groupAbove, p.Expanded())
	}
	// P has groupAbove+1 open children: a department and the wards, each level a group.
	if len(p.Children) != 2 || p.Children[0].Level != nscl.LevelDepartment || len(p.Children[0].Units) != 1 ||
		p.Children[1].Level != nscl.LevelDistrict || len(p.Children[1].Units) != groupAbove {
		t.Fatalf("P's groups: %+v", p.Children)
	}
	if len(p.Closed) != 1 || p.Closed[0].Unit.Code != "P-OLD" || len(p.Closed[0].Successors) != 2 {
		t.Errorf("P's closed: %v", codes(p.Closed))
	}
	dep := p.Children[0].Units[0]
	if dep.Expanded() || dep.Below != 1 || dep.Children[0].Units[0].Unit.Code != "P-DEP-U" || dep.Children[0].Units[0].HasChildren() {
		t.Errorf("the department, two levels down, is folded with its unit under it: %+v", dep)
	}

	// A loop in the parents ends, and its units are still shown: the
	// first of the loop reached from no root becomes a root, with the rest
	// of the loop and what hangs from it under it.
	loop := unitTree([]nscl.OrgUnit{{ID: 5, ParentID: 1, Code: "UNDER-LOOP"}, {ID: 1, ParentID: 2, Code: "A"}, {ID: 2, ParentID: 1, Code: "B"},
		{ID: 3, Code: "C"}, {ID: 4, ParentID: 4, Code: "SELF"}, {ID: 6, ParentID: 7, Code: "X"}, {ID: 7, ParentID: 8, Code: "Y"}, {ID: 8, ParentID: 6, Code: "Z"}}, nil)
	if got := fmt.Sprint(codes(loop)); got != "[C SELF A X]" {
		t.Fatalf("a loop: roots %s, want [C SELF A X]", got)
	}
	if a := loop[2]; a.Below != 2 || fmt.Sprint(treeCodes(a)) != "[A UNDER-LOOP B]" {
		t.Errorf("under A: %d below, %v", a.Below, treeCodes(a))
	}
	if x := loop[3]; x.Below != 2 || fmt.Sprint(treeCodes(x)) != "[X Z Y]" {
		t.Errorf("under X: %d below, %v", x.Below, treeCodes(x))
	}
	shown := 0
	for _, root := range loop {
		shown += len(treeCodes(root))
	}
	if shown != 8 {
		t.Errorf("%d units shown, want each of the 8 once", shown)
	}
}

// treeCodes lists the codes of n and every unit under it, depth first.
func treeCodes(n *unitNode) []string {
	out := []string{n.Unit.Code}
	for _, g := range n.Children {
		for _, c := range g.Units {
			out = append(out, treeCodes(c)...)
		}
	}
	for _, c := range n.Closed {
		out = append(out, treeCodes(c)...)
	}
	return out
}

func codes(nodes []*unitNode) []string {
	var out []string
	for _, n := range nodes {
		out = append(out, n.Unit.Code)
	}
	return out
}

func TestSetupShowsTheUnitTree(t *testing.T) {
	ts := newTestServer(t)
	ctx := t.Context()
	var old, newer nscl.OrgUnit
	err := ts.store.Update(ctx, func(tx *store.Tx) error {
		city, err := tx.UnitByCode(ctx, demo.UnitCity)
		if err != nil {
			return err
		}
		old = nscl.OrgUnit{ParentID: city.ID, Code: "T-XA-CU", Name: "Ủy ban nhân dân xã Thử Cũ", Level: nscl.LevelDistrict}
		newer = nscl.OrgUnit{ParentID: city.ID, Code: "T-XA-MOI", Name: "Ủy ban nhân dân xã Thử Mới", Level: nscl.LevelDistrict, OpenedOn: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)}
		for _, u := range []*nscl.OrgUnit{&old, &newer} {
			if err := tx.CreateUnit(ctx, u); err != nil {
				return err
			}
		}
		_, err = tx.CloseUnitInto(ctx, old.Code, newer.OpenedOn, []string{newer.Code})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	units, err := ts.store.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	focal := ts.client(t, "focal@demo.local")
	code, body := fetch(t, focal, "GET", ts.URL+"/setup", "", "")
	if code != 200 {
		t.Fatalf("/setup: %d", code)
	}
	tree := body[strings.Index(body, `<ul class="unit-tree"`):]
	tree = tree[:strings.Index(tree, `<details >`)] // the form that adds a unit follows

	// Every unit once, as an item of the tree, and no script per unit.
	if n := strings.Count(tree, `<li id="unit-`); n != len(units) {
		t.Errorf("%d units in the tree, want %d", n, len(units))
	}
	if strings.Contains(tree, "<script") || strings.Contains(tree, "onclick") {
		t.Error("the tree runs script")
	}
	if strings.Contains(body, "<table>\n  <thead><tr><th>"+translate(langVI, "setup.unit_code")) {
		t.Error("the flat table of units is still there")
	}

	// The closed unit: greyed, its closing day, its successor; folded apart.
	closed := regexp.MustCompile(fmt.Sprintf(`<li id="unit-%d" class="closed"><a href="/setup/units/%d/edit" class="code">T-XA-CU</a> Ủy ban nhân dân xã Thử Cũ <span class="level">quận, huyện</span> <span class="closed-on">ngừng hoạt động từ 01/02/2026</span> <span class="successors" title="Đơn vị kế thừa">→ <a href="#unit-%d">T-XA-MOI</a></span></li>`, old.ID, old.ID, newer.ID))
	if !closed.MatchString(tree) {
		t.Errorf("the closed unit's line is not as expected in\n%s", trim(tree))
	}
	city, _ := ts.store.UnitByCode(ctx, demo.UnitCity)
	cityItem := tree[strings.Index(tree, fmt.Sprintf(`<li id="unit-%d"`, city.ID)):]
	folded := cityItem[strings.Index(cityItem, `<li class="unit-group closed"><details><summary>Đơn vị đã ngừng hoạt động (`):]
	if !strings.Contains(folded, fmt.Sprintf(`<li id="unit-%d" class="closed">`, old.ID)) || strings.Index(cityItem, fmt.Sprintf(`id="unit-%d"`, old.ID)) < strings.Index(cityItem, "unit-group closed") {
		t.Error("the closed unit is not folded among the city's closed units")
	}
	if !strings.Contains(cityItem, fmt.Sprintf(`<li id="unit-%d"><a href="/setup/units/%d/edit" class="code">T-XA-MOI</a> Ủy ban nhân dân xã Thử Mới <span class="level">quận, huyện</span> <span class="opened-on">thành lập 01/02/2026</span></li>`, newer.ID, newer.ID)) {
		t.Error("the new unit is not under the city, with its opening day")
	}
	// The root and the city are open, the groups under them folded.
	if !strings.HasPrefix(tree, `<ul class="unit-tree" id="unit-tree">`+"\n"+`<li id="unit-`) || !strings.Contains(cityItem[:200], "<details open><summary>") {
		t.Errorf("the top of the tree is not open:\n%s", trim(tree[:400]))
	}

	fetch(t, focal, "GET", ts.URL+"/lang/en", "", "")
	_, body = fetch(t, focal, "GET", ts.URL+"/setup", "", "")
	if !strings.Contains(body, `<span class="closed-on">closed from 01/02/2026</span> <span class="successors" title="Succeeded by">`) || !strings.Contains(body, "Closed units (") {
		t.Error("the English tree")
	}
}
