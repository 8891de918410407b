package nscl

import (
	"regexp"
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
