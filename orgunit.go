package nscl

import (
	"regexp"
	"slices"
	"time"
)

// UnitLevel places an org unit in the tree: the ministry at the root, the
// provinces under it, then departments and districts, then implementing units.
type UnitLevel string

const (
	LevelMinistry   UnitLevel = "ministry"
	LevelProvince   UnitLevel = "province"
	LevelDepartment UnitLevel = "department"
	LevelDistrict   UnitLevel = "district"
	LevelUnit       UnitLevel = "unit"
)

// UnitLevels lists the levels from the root down.
var UnitLevels = []UnitLevel{LevelMinistry, LevelProvince, LevelDepartment, LevelDistrict, LevelUnit}

var levelDepth = map[UnitLevel]int{LevelMinistry: 0, LevelProvince: 1, LevelDepartment: 2, LevelDistrict: 2, LevelUnit: 3}

// Valid reports whether l is one of the levels above.
func (l UnitLevel) Valid() bool {
	_, ok := levelDepth[l]
	return ok
}

// Above reports whether a unit of level l may hold units of level m.
func (l UnitLevel) Above(m UnitLevel) bool {
	dl, okL := levelDepth[l]
	dm, okM := levelDepth[m]
	return okL && okM && dl < dm
}

// OrgUnit is a node of the reporting tree. Units open and close over time
// (the 2025 merger abolished the districts), so a unit is never deleted:
// it is closed, and a 2022 report still finds the districts of 2022.
type OrgUnit struct {
	ID        int64     `json:"id"`
	ParentID  int64     `json:"parent_id"` // 0 at the root
	Code      string    `json:"code"`
	Name      string    `json:"name"`
	ShortName string    `json:"short_name"` // as the report abbreviates it, e.g. "Sở KHCN"; may be empty
	Level     UnitLevel `json:"level"`
	OpenedOn  time.Time `json:"opened_on"` // zero when open since before the programme
	ClosedOn  time.Time `json:"closed_on"` // zero while open
	Version   int64     `json:"version"`
}

// unitCodePattern is the alphabet of unit codes: a code names files
// ("mau-bao-cao-dot-3-HCM-THUDUC.xlsx"), URLs and sheet cells, where quotes,
// semicolons, spaces and slashes would need escaping or change the meaning.
var unitCodePattern = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// ValidateUnit checks a unit on its own and against its parent (nil at the
// root), and returns every mistake it finds (Errors).
func ValidateUnit(u OrgUnit, parent *OrgUnit) error {
	var errs Errors
	for _, f := range []struct {
		field, value string
		limit        int
	}{{"code", u.Code, 50}, {"name", u.Name, 300}, {"short_name", u.ShortName, 100}} {
		if f.field != "short_name" && blank(f.value) {
			errs.Add(Required(f.field))
		}
		errs.Add(CheckText(f.field, f.value, f.limit))
	}
	if !blank(u.Code) && !unitCodePattern.MatchString(u.Code) {
		errs.Add(Invalid("code", "mã đơn vị %q chỉ được gồm chữ cái không dấu, chữ số và các dấu - _ .", "unit code %q may hold only letters A–Z, digits and - _ .", u.Code))
	}
	depth, ok := levelDepth[u.Level]
	switch {
	case u.Level == "":
		errs.Add(Required("level"))
	case !ok:
		errs.Add(Invalid("level", "cấp đơn vị %q không hợp lệ", "unit level %q is not valid", u.Level))
	case parent == nil && u.Level != LevelMinistry && u.Level != LevelProvince:
		errs.Add(Invalid("parent", "đơn vị cấp %s phải thuộc một đơn vị cấp trên", "a %s unit needs a parent unit", u.Level))
	case parent != nil && levelDepth[parent.Level] >= depth:
		errs.Add(Invalid("parent", "đơn vị cấp %s không thể thuộc đơn vị cấp %s", "a %s unit cannot sit under a %s unit", u.Level, parent.Level))
	}
	if !u.ClosedOn.IsZero() && u.ClosedOn.Before(u.OpenedOn) {
		errs.Add(Invalid("closed_on", "ngày giải thể trước ngày thành lập", "closing date is before opening date"))
	}
	return errs.Err()
}

// OpenOn reports whether the unit existed on day d.
func (u OrgUnit) OpenOn(d time.Time) bool {
	if !u.OpenedOn.IsZero() && d.Before(u.OpenedOn) {
		return false
	}
	return u.ClosedOn.IsZero() || d.Before(u.ClosedOn)
}

// Close records that the unit ceased to exist on day (its first day
// closed), as a merger or the end of the district level closes one.
// Returns ECONFLICT when it is already closed: a closing date on file is
// corrected by editing it, not by closing again.
func (u *OrgUnit) Close(day time.Time) error {
	if !u.ClosedOn.IsZero() {
		return Conflict("closed_on", "đơn vị %s đã giải thể từ ngày %s", "unit %s is already closed since %s", u.Code, u.ClosedOn.Format("02/01/2006"))
	}
	u.ClosedOn = day
	return nil
}

// OpenDuring reports whether the unit existed on some day from from to to.
func (u OrgUnit) OpenDuring(from, to time.Time) bool {
	return (u.OpenedOn.IsZero() || !u.OpenedOn.After(to)) && (u.ClosedOn.IsZero() || u.ClosedOn.After(from))
}

// Succession records that a unit closed on a day and that its work went
// on in another: one row per predecessor and successor, so a merger is
// several rows with one successor, and a split several with one
// predecessor. Nothing is rewritten: activities keep the unit that did
// them; a later report follows these rows to count a predecessor's past
// under its successor.
type Succession struct {
	PredecessorID int64     `json:"predecessor_id"`
	SuccessorID   int64     `json:"successor_id"`
	On            time.Time `json:"on"` // the predecessor's first day closed
}

// SuccessionKind names the shape of a succession.
type SuccessionKind string

const (
	KindMerge  SuccessionKind = "merge"  // many units into one
	KindSplit  SuccessionKind = "split"  // one unit into many
	KindRename SuccessionKind = "rename" // one unit into one other
)

// KindOf derives the kind of s from the shape of all the successions of
// its day: a predecessor with several successors was split; a successor
// taking several predecessors is a merger; one into one is a renaming.
func KindOf(all []Succession, s Succession) SuccessionKind {
	successors, predecessors := 0, 0
	for _, o := range all {
		if !o.On.Equal(s.On) {
			continue
		}
		if o.PredecessorID == s.PredecessorID {
			successors++
		}
		if o.SuccessorID == s.SuccessorID {
			predecessors++
		}
	}
	switch {
	case successors > 1:
		return KindSplit
	case predecessors > 1:
		return KindMerge
	}
	return KindRename
}

// Predecessors returns, from the successions on file, every unit whose
// work went on in unit, directly or through others, nearest first. A
// chain that loops (refused when recorded) ends where it comes back.
func Predecessors(all []Succession, unit int64) []int64 {
	seen := map[int64]bool{unit: true}
	var out []int64
	for next := []int64{unit}; len(next) > 0; {
		var found []int64
		for _, s := range all {
			if slices.Contains(next, s.SuccessorID) && !seen[s.PredecessorID] {
				seen[s.PredecessorID] = true
				found = append(found, s.PredecessorID)
			}
		}
		out, next = append(out, found...), found
	}
	return out
}

// ValidateSuccession checks that unit may close on day with successors
// taking over its work, against the successions already on file: each
// successor another unit, open on day, not yet on file as its successor,
// and not among the unit's predecessors (a chain must not loop); day
// within the unit's life. A unit already closed on day may still be given
// successors: units closed before successions were kept are. Returns every
// mistake it finds (Errors).
func ValidateSuccession(unit OrgUnit, successors []OrgUnit, day time.Time, onFile []Succession) error {
	var errs Errors
	switch {
	case !unit.ClosedOn.IsZero() && !unit.ClosedOn.Equal(day):
		errs.Add(Conflict("on", "đơn vị %s đã giải thể từ ngày %s", "unit %s is already closed since %s", unit.Code, unit.ClosedOn.Format("02/01/2006")))
	case !unit.OpenedOn.IsZero() && !day.After(unit.OpenedOn):
		errs.Add(Invalid("on", "ngày giải thể phải sau ngày thành lập %s", "the closing date must be after the opening date %s", unit.OpenedOn.Format("02/01/2006")))
	}
	if len(successors) == 0 {
		errs.Add(Required("successor"))
	}
	before := Predecessors(onFile, unit.ID)
	for _, s := range successors {
		switch {
		case s.ID == unit.ID:
			errs.Add(Invalid("successor", "đơn vị %s không thể kế tục chính nó", "unit %s cannot succeed itself", s.Code))
		case slices.Contains(onFile, Succession{PredecessorID: unit.ID, SuccessorID: s.ID, On: day}):
			errs.Add(Invalid("successor", "%s đã được ghi là đơn vị kế tục %s", "%s is already on file as successor of %s", s.Code, unit.Code))
		case slices.Contains(before, s.ID):
			errs.Add(Invalid("successor", "%s đã được %s kế tục: kế tục ngược lại sẽ thành vòng", "%s was succeeded by %s: succeeding back would make a loop", s.Code, unit.Code))
		case !s.OpenOn(day):
			errs.Add(Invalid("successor", "đơn vị kế tục %s không hoạt động vào ngày %s", "successor %s is not open on %s", s.Code, day.Format("02/01/2006")))
		}
	}
	return errs.Err()
}

// ParentChange records that a unit moved to another parent on a day. The
// unit's row holds its parent now; these rows give the parents it had
// before, so that the tree as it stood on any day can be drawn again.
type ParentChange struct {
	UnitID      int64     `json:"unit_id"`
	OldParentID int64     `json:"old_parent_id"` // 0 when it was at the root
	NewParentID int64     `json:"new_parent_id"`
	On          time.Time `json:"on"` // the first day under the new parent
}

// ValidateMove checks that unit may move under parent on day: both open
// on day, the parent another unit of a level above the unit's, not the
// one it has, and not the unit itself or one under it (ancestors is the
// new parent's chain up to the root, parent first); day after the unit's
// last move (lastMove, zero for none). Returns every mistake it finds.
func ValidateMove(unit, parent OrgUnit, ancestors []int64, day, lastMove time.Time) error {
	var errs Errors
	switch {
	case !unit.OpenOn(day):
		errs.Add(Invalid("on", "đơn vị %s không hoạt động vào ngày %s", "unit %s is not open on %s", unit.Code, day.Format("02/01/2006")))
	case !lastMove.IsZero() && !day.After(lastMove):
		errs.Add(Invalid("on", "đơn vị %s đã chuyển đơn vị cấp trên ngày %s: ngày chuyển mới phải sau ngày đó", "unit %s last moved on %s: a new move must come after it", unit.Code, lastMove.Format("02/01/2006")))
	}
	switch {
	case parent.ID == unit.ID || slices.Contains(ancestors, unit.ID):
		errs.Add(Invalid("parent", "không thể chuyển %s vào dưới chính nó hoặc một đơn vị thuộc nó", "%s cannot move under itself or a unit under it", unit.Code))
	case parent.ID == unit.ParentID:
		errs.Add(Invalid("parent", "%s đã thuộc %s", "%s is already under %s", unit.Code, parent.Code))
	case !parent.Level.Above(unit.Level):
		errs.Add(Invalid("parent", "đơn vị cấp %s không thể thuộc đơn vị cấp %s", "a %s unit cannot sit under a %s unit", unit.Level, parent.Level))
	case !parent.OpenOn(day):
		errs.Add(Invalid("parent", "đơn vị cấp trên %s không hoạt động vào ngày %s", "parent %s is not open on %s", parent.Code, day.Format("02/01/2006")))
	}
	return errs.Err()
}

// ParentOn returns the parent unit had on day, from its parent now and
// the moves on file (any order): before its first move after day, it was
// under that move's old parent.
func ParentOn(unit OrgUnit, moves []ParentChange, day time.Time) int64 {
	parent, first := unit.ParentID, time.Time{}
	for _, m := range moves {
		if m.UnitID == unit.ID && m.On.After(day) && (first.IsZero() || m.On.Before(first)) {
			parent, first = m.OldParentID, m.On
		}
	}
	return parent
}

// TreeOn returns the units open on day, each with the parent it had then,
// as a report of that day draws the tree.
func TreeOn(units []OrgUnit, moves []ParentChange, day time.Time) []OrgUnit {
	var out []OrgUnit
	for _, u := range units {
		if u.OpenOn(day) {
			u.ParentID = ParentOn(u, moves, day)
			out = append(out, u)
		}
	}
	return out
}
