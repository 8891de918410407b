package web

import (
	"slices"

	"nscl"
)

// unitNode is a unit of the set-up page's tree with the units under it.
type unitNode struct {
	Unit       nscl.OrgUnit
	Successors []nscl.OrgUnit // the units it closed into, for "→ HCM"
	Depth      int
	Below      int64 // units under it, at every depth
	// Children are the units under it still open, in groups of one level
	// when there are many (a city's wards); Closed those closed, folded
	// apart so that the tree of today stays short.
	Children []unitGroup
	Closed   []*unitNode
	// Link, on a page that shows one level of a large tree, leads to the
	// level under the unit.
	Link string
}

// unitGroup is some open children of a unit: all of them (Level "") or
// those of one level.
type unitGroup struct {
	Level nscl.UnitLevel
	Units []*unitNode
}

// groupAbove is how many open children a unit lists as they come; with
// more, they are grouped by level, each group folded.
const groupAbove = 12

// Expanded says whether the node is shown open: the root and the level
// under it, so that the page opens on the province and its departments.
func (n *unitNode) Expanded() bool { return n.Depth < 2 }

// HasChildren says whether anything is under the node.
func (n *unitNode) HasChildren() bool { return n.Below > 0 }

// unitTree arranges units (parents before children, as the store lists
// them) as a tree. A unit whose parent is not listed is a root, and so is
// the first unit of a loop in the parents (in the order given) that no
// root reaches: every unit is shown once.
func unitTree(units []nscl.OrgUnit, successions []nscl.Succession) []*unitNode {
	byID := make(map[int64]nscl.OrgUnit, len(units))
	for _, u := range units {
		byID[u.ID] = u
	}
	successors := map[int64][]nscl.OrgUnit{}
	for _, s := range successions {
		if to, ok := byID[s.SuccessorID]; ok && !slices.ContainsFunc(successors[s.PredecessorID], func(u nscl.OrgUnit) bool { return u.ID == to.ID }) {
			successors[s.PredecessorID] = append(successors[s.PredecessorID], to)
		}
	}
	children := map[int64][]nscl.OrgUnit{}
	var roots []nscl.OrgUnit
	for _, u := range units {
		if _, ok := byID[u.ParentID]; ok && u.ParentID != u.ID {
			children[u.ParentID] = append(children[u.ParentID], u)
		} else {
			roots = append(roots, u)
		}
	}
	seen := map[int64]bool{} // a loop in the parents must not recurse forever
	var build func(u nscl.OrgUnit, depth int) *unitNode
	build = func(u nscl.OrgUnit, depth int) *unitNode {
		seen[u.ID] = true
		n := &unitNode{Unit: u, Successors: successors[u.ID], Depth: depth}
		var open []*unitNode
		for _, c := range children[u.ID] {
			if seen[c.ID] {
				continue
			}
			child := build(c, depth+1)
			n.Below += 1 + child.Below
			if c.ClosedOn.IsZero() {
				open = append(open, child)
			} else {
				n.Closed = append(n.Closed, child)
			}
		}
		n.Children = groupByLevel(open)
		return n
	}
	var tree []*unitNode
	for _, r := range roots {
		tree = append(tree, build(r, 0))
	}
	// Units whose parents go round in a loop, and those under them, are
	// reached from no root; left out, they would vanish from the page that
	// could mend them. The loop's first unit in the order given becomes a
	// root, with the rest under it.
	for _, u := range units {
		if !seen[u.ID] {
			tree = append(tree, build(loopHead(u, byID, units), 0))
		}
	}
	return tree
}

// loopHead is the unit, of the loop in the parents that u is in or under,
// that comes first in units.
func loopHead(u nscl.OrgUnit, byID map[int64]nscl.OrgUnit, units []nscl.OrgUnit) nscl.OrgUnit {
	// Climb until a unit comes again: that unit is in the loop.
	climbed := map[int64]bool{}
	for !climbed[u.ID] {
		climbed[u.ID] = true
		u = byID[u.ParentID]
	}
	loop := map[int64]bool{}
	for !loop[u.ID] {
		loop[u.ID] = true
		u = byID[u.ParentID]
	}
	for _, v := range units {
		if loop[v.ID] {
			return v
		}
	}
	return u
}

// groupByLevel keeps a few children in one group, and splits many into
// groups of one level each, in the order of the levels.
func groupByLevel(nodes []*unitNode) []unitGroup {
	if len(nodes) == 0 {
		return nil
	}
	if len(nodes) <= groupAbove {
		return []unitGroup{{Units: nodes}}
	}
	var groups []unitGroup
	for _, level := range nscl.UnitLevels {
		var g unitGroup
		for _, n := range nodes {
			if n.Unit.Level == level {
				g.Units = append(g.Units, n)
			}
		}
		if len(g.Units) > 0 {
			g.Level = level
			groups = append(groups, g)
		}
	}
	var other []*unitNode // a level this list does not know yet
	for _, n := range nodes {
		if !slices.Contains(nscl.UnitLevels, n.Unit.Level) {
			other = append(other, n)
		}
	}
	if len(other) > 0 {
		groups = append(groups, unitGroup{Units: other})
	}
	return groups
}
