package nscl

import "fmt"

// ValidateParentHistory checks a unit's moves as a whole, as a file that
// restores them gives them (MoveUnit checks one move as it is made):
// oldest first, each on a later day than the one before and from the
// parent that one moved it to, the last ending under the unit's parent
// now, every parent a unit of a level above the unit's, the unit and its
// new parent open on the day of each move. parents holds the
// units the moves name, by ID. Returns every mistake it finds (Errors).
func ValidateParentHistory(unit OrgUnit, moves []ParentChange, parents map[int64]OrgUnit) error {
	var errs Errors
	code := func(id int64) string {
		if p, ok := parents[id]; ok {
			return p.Code
		}
		if id == 0 {
			return "(gốc / root)"
		}
		return fmt.Sprintf("#%d", id)
	}
	for i, m := range moves {
		if i > 0 && !m.On.After(moves[i-1].On) {
			errs.Add(Invalid("on", "lần chuyển ngày %s của %s phải sau lần chuyển ngày %s", "the move of %[2]s on %[1]s must come after the move on %[3]s",
				m.On.Format("02/01/2006"), unit.Code, moves[i-1].On.Format("02/01/2006")))
		}
		if i > 0 && m.OldParentID != moves[i-1].NewParentID {
			errs.Add(Invalid("parent", "ngày %s %s chuyển từ %s, nhưng lần chuyển trước đã đưa nó vào %s", "on %s %s moves from %s, but the move before put it under %s",
				m.On.Format("02/01/2006"), unit.Code, code(m.OldParentID), code(moves[i-1].NewParentID)))
		}
		if m.OldParentID == m.NewParentID {
			errs.Add(Invalid("parent", "ngày %s %s chuyển từ %s sang chính %s", "on %s %s moves from %s to %s itself",
				m.On.Format("02/01/2006"), unit.Code, code(m.OldParentID), code(m.NewParentID)))
		}
		if m.NewParentID == 0 {
			errs.Add(Required("parent"))
		}
		// As MoveUnit checks a move when it is made: the unit and its new
		// parent both open that day.
		if !unit.OpenOn(m.On) {
			errs.Add(Invalid("on", "ngày %s %s không hoạt động nên không thể chuyển", "on %s %s is not open, so it cannot move", m.On.Format("02/01/2006"), unit.Code))
		}
		if p, ok := parents[m.NewParentID]; ok && !p.OpenOn(m.On) {
			errs.Add(Invalid("parent", "ngày %s đơn vị cấp trên %s không hoạt động", "on %s the parent %s is not open", m.On.Format("02/01/2006"), p.Code))
		}
		for _, id := range []int64{m.OldParentID, m.NewParentID} {
			if p, ok := parents[id]; id != 0 && (!ok || !p.Level.Above(unit.Level)) {
				errs.Add(Invalid("parent", "đơn vị cấp %s không thể thuộc %s", "a %s unit cannot sit under %s", unit.Level, code(id)))
			}
		}
	}
	if n := len(moves); n > 0 && moves[n-1].NewParentID != unit.ParentID {
		errs.Add(Invalid("parent", "lần chuyển cuối của %s đưa nó vào %s, nhưng đơn vị cấp trên hiện nay là %s", "the last move of %s puts it under %s, but its parent now is %s",
			unit.Code, code(moves[n-1].NewParentID), code(unit.ParentID)))
	}
	return errs.Err()
}
