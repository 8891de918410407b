package nscl

// CountedByChild says, for each unit a unit's figures count (counted, as
// CountedUnits gives it within b), under which unit directly below it that
// unit's work is shown: the child whose subtree holds it in the tree of b,
// or, for a unit closed into another within b (and the units it brings),
// the child that holds its successor. The unit's own work, and what no
// child holds, is shown under the unit itself. A dashboard's rows are then one per child, however
// many units lie below the children.
func CountedByChild(units []OrgUnit, successions []Succession, moves []ParentChange, unit int64, b Boundaries, counted Counted) map[int64]int64 {
	movesOf := map[int64][]ParentChange{}
	if !b.Current() {
		for _, m := range moves {
			movesOf[m.UnitID] = append(movesOf[m.UnitID], m)
		}
	}
	parentOf := map[int64]int64{}
	for _, u := range units {
		if u.ID == unit || b.follows(u.OpenedOn) {
			parentOf[u.ID] = u.ParentID
			if !b.Current() {
				parentOf[u.ID] = ParentOn(u, movesOf[u.ID], b.AsOf)
			}
		}
	}
	successorOf := map[int64]int64{}
	for _, s := range successions {
		if _, ok := successorOf[s.PredecessorID]; !ok && !b.Own && b.follows(s.On) {
			successorOf[s.PredecessorID] = s.SuccessorID
		}
	}
	// childOf climbs the tree from id to the unit; it gives 0 when the
	// climb leaves the unit's subtree.
	childOf := func(id int64) int64 {
		for steps := 0; id != 0 && steps <= len(units); steps++ {
			if id == unit || parentOf[id] == unit {
				return id
			}
			id = parentOf[id]
		}
		return 0
	}
	out := make(map[int64]int64, len(counted.UnitIDs))
	var place func(id int64, depth int) int64
	place = func(id int64, depth int) int64 {
		if c, ok := out[id]; ok {
			return c
		}
		if id == unit || depth > len(units) {
			return unit
		}
		// A unit closed into another within b is shown where its
		// successor is, even when the tree still holds it.
		if succ, ok := successorOf[id]; ok {
			return place(succ, depth+1)
		}
		if c := childOf(id); c != 0 {
			return c
		}
		// A unit brought in with a former unit above it goes where that
		// former unit's successor is.
		for up, steps := parentOf[id], 0; up != 0 && steps <= len(units); up, steps = parentOf[up], steps+1 {
			if succ, ok := successorOf[up]; ok {
				return place(succ, depth+1)
			}
		}
		return unit
	}
	for _, id := range counted.UnitIDs {
		out[id] = place(id, 0)
	}
	return out
}
