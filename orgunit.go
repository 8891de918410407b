package nscl

import (
	"regexp"
	"slices"
	"strings"
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

// Boundaries say in which tree a unit's figures are counted. A report
// counts by default in the tree as it stood at the end of its year, so
// that a 2022 report reprinted after the 2025 merger is still the 2022
// report, and a 2025 report of the merged city counts the work of the
// provinces it absorbed.
type Boundaries struct {
	// AsOf is the day whose tree is drawn: parents as they were that day,
	// units opened by then, and the successions made up to it followed.
	// Zero means today's tree with every succession on file.
	AsOf time.Time
	// Own leaves the successions out: the unit's own tree only, as a
	// summary sent on to the Ministry holds it, since the Ministry keeps
	// the former units' own summaries and follows the successions itself.
	Own bool
}

// Current reports whether b is today's tree.
func (b Boundaries) Current() bool { return b.AsOf.IsZero() }

// YearEnd is the tree at the end of year: a year's report's default.
func YearEnd(year int) Boundaries {
	return Boundaries{AsOf: time.Date(year, time.December, 31, 0, 0, 0, 0, time.UTC)}
}

// follows reports whether a change made on day is part of the tree.
func (b Boundaries) follows(day time.Time) bool { return b.Current() || !day.After(b.AsOf) }

// Counted is what a unit's figures count within some boundaries.
type Counted struct {
	// UnitIDs are the unit, the units under it, and the predecessors of
	// any of them with the units under those, each once.
	UnitIDs []int64
	// Former are the successions that bring in units from outside the
	// unit's own subtree, one per former unit at the top of what it
	// brings (a province absorbed, not each of its districts): what a
	// report names in its line on former units.
	Former []Succession
}

// CountedUnits returns the units whose work counts for unit within b:
// the unit and, following both the tree and the successions, every unit
// whose work went on under it. A unit reached twice (a district closed
// into a ward of the same city) counts once; a unit split into several
// successors counts in full for each of them, as nothing says how its
// work was shared.
func CountedUnits(units []OrgUnit, successions []Succession, moves []ParentChange, unit int64, b Boundaries) Counted {
	movesOf := map[int64][]ParentChange{}
	if !b.Current() {
		for _, m := range moves {
			movesOf[m.UnitID] = append(movesOf[m.UnitID], m)
		}
	}
	children, parentOf := map[int64][]int64{}, map[int64]int64{}
	for _, u := range units {
		if u.ID == unit || b.follows(u.OpenedOn) {
			parent := u.ParentID
			if !b.Current() {
				parent = ParentOn(u, movesOf[u.ID], b.AsOf)
			}
			children[parent] = append(children[parent], u.ID)
			parentOf[u.ID] = parent
		}
	}
	predecessors := map[int64][]Succession{}
	for _, s := range successions {
		if !b.Own && b.follows(s.On) {
			predecessors[s.SuccessorID] = append(predecessors[s.SuccessorID], s)
		}
	}
	// The unit's own subtree first, so that a unit both under it and a
	// predecessor of one of its units is not named as former.
	seen := map[int64]bool{unit: true}
	subtree := func(root int64) []int64 {
		out := []int64{root}
		for i := 0; i < len(out); i++ {
			for _, c := range children[out[i]] {
				if !seen[c] {
					seen[c] = true
					out = append(out, c)
				}
			}
		}
		return out
	}
	c := Counted{UnitIDs: subtree(unit)}
	// Then the predecessors of every unit counted, breadth first, with
	// their subtrees.
	var former []Succession
	for i := 0; i < len(c.UnitIDs); i++ {
		for _, s := range predecessors[c.UnitIDs[i]] {
			if seen[s.PredecessorID] {
				continue
			}
			seen[s.PredecessorID] = true
			former = append(former, s)
			c.UnitIDs = append(c.UnitIDs, subtree(s.PredecessorID)...)
		}
	}
	// A former unit is named only at the top of what it brings: one
	// that sits under another former unit (a district of a province also
	// absorbed, met first through a succession of its own) is part of
	// that one, whose targets hold its own.
	tops := map[int64]bool{}
	for _, s := range former {
		tops[s.PredecessorID] = true
	}
	for _, s := range former {
		under := false
		for id, steps := parentOf[s.PredecessorID], 0; id != 0 && steps < len(units); id, steps = parentOf[id], steps+1 {
			if tops[id] {
				under = true
				break
			}
		}
		if !under {
			c.Former = append(c.Former, s)
		}
	}
	return c
}

// ParseBoundaries reads boundaries as a report asks for them: "" or
// "year-end" for the end of year, "current" for today's tree, or
// "as-of=dd/mm/yyyy" (a bare dd/mm/yyyy too) for the tree of that day.
func ParseBoundaries(s string, year int) (Boundaries, error) {
	s = strings.TrimSpace(s)
	switch s {
	case "", "year-end":
		return YearEnd(year), nil
	case "current":
		return Boundaries{}, nil
	}
	d, err := ParseDate("boundaries", strings.TrimPrefix(s, "as-of="))
	if err != nil {
		return Boundaries{}, Invalid("boundaries", "ranh giới %q không hợp lệ: dùng year-end, current hoặc as-of=dd/mm/yyyy", "boundaries %q are not valid: use year-end, current or as-of=dd/mm/yyyy", s)
	}
	return Boundaries{AsOf: d}, nil
}

// String is how b is asked for again: "current" or "as-of=dd/mm/yyyy".
func (b Boundaries) String() string {
	if b.Current() {
		return "current"
	}
	return "as-of=" + b.AsOf.Format("02/01/2006")
}

// CheckVersion refuses a change made from a copy of the unit older than
// u (version 0: the caller read none, as the command line does).
func (u OrgUnit) CheckVersion(version int64) error {
	if version != 0 && version != u.Version {
		return Conflict("version", "đơn vị %s đã được người khác sửa trong lúc bạn xem; hãy xem lại trước khi lưu", "unit %s was changed by someone else while you were looking; review it before saving", u.Code)
	}
	return nil
}
