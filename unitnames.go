package nscl

import (
	"cmp"
	"slices"
	"strings"
)

// UnitNames finds units by what people write for them in a sheet: the
// code ("HCM-Q1"), the full name ("Ủy ban nhân dân Quận 1"), the short name
// ("Quận 1", "Sở Công Thương") or the common name — the full name without
// the words that only say what kind of body it is: the committee
// ("Ủy ban nhân dân", "UBND") and the province a body belongs to
// ("Sở Công Thương" for "Sở Công Thương Thành phố Hồ Chí Minh"). Text is
// compared as SearchKey folds it.
type UnitNames struct {
	// tiers of names, most trusted first: codes, full names, short and
	// common names. A name two units share in a tier names neither (unless
	// only one of them is open).
	tiers [3]map[string][]OrgUnit
	units []OrgUnit
	keys  [][]string // every folded name of units[i], for suggestions
}

// committeePrefixes are how the name of a People's Committee starts.
var committeePrefixes = []string{"uy ban nhan dan ", "ubnd "}

// NewUnitNames indexes units (all of them: a parent's name makes its
// children's common names).
func NewUnitNames(units []OrgUnit) *UnitNames {
	n := &UnitNames{units: units}
	for i := range n.tiers {
		n.tiers[i] = map[string][]OrgUnit{}
	}
	byID := map[int64]OrgUnit{}
	for _, u := range units {
		byID[u.ID] = u
	}
	for _, u := range units {
		names := [3][]string{{SearchKey(u.Code)}, {SearchKey(u.Name)}, {SearchKey(u.ShortName)}}
		for _, common := range commonNames(u, byID) {
			names[2] = append(names[2], common)
		}
		var all []string
		for tier, keys := range names {
			for _, k := range keys {
				if k == "" || slices.ContainsFunc(n.tiers[tier][k], func(o OrgUnit) bool { return o.ID == u.ID }) {
					continue
				}
				n.tiers[tier][k] = append(n.tiers[tier][k], u)
				all = append(all, k)
			}
		}
		n.keys = append(n.keys, all)
	}
	return n
}

// commonNames are a unit's full name without its committee prefix, and
// without the name of the province it sits in.
func commonNames(u OrgUnit, byID map[int64]OrgUnit) []string {
	name := SearchKey(u.Name)
	var out []string
	for _, p := range committeePrefixes {
		if rest, ok := strings.CutPrefix(name, p); ok && rest != "" {
			out = append(out, rest)
			name = rest
		}
	}
	for p, ok := byID[u.ParentID]; ok; p, ok = byID[p.ParentID] {
		if p.Level != LevelProvince {
			continue
		}
		place := SearchKey(p.Name)
		for _, prefix := range committeePrefixes {
			place = strings.TrimPrefix(place, prefix)
		}
		if rest, ok := strings.CutSuffix(name, " "+place); ok && rest != "" {
			out = append(out, rest)
		}
		break
	}
	return out
}

// Find returns the unit text names; false when none does, or when the
// name fits several open units.
func (n *UnitNames) Find(text string) (OrgUnit, bool) {
	key := SearchKey(text)
	if u, ok := n.find(key); ok {
		return u, true
	}
	for _, p := range committeePrefixes { // "UBND Quận 1"
		if rest, ok := strings.CutPrefix(key, p); ok {
			return n.find(rest)
		}
	}
	return OrgUnit{}, false
}

func (n *UnitNames) find(key string) (OrgUnit, bool) {
	for _, tier := range n.tiers {
		found := tier[key]
		if len(found) > 1 {
			open := slices.DeleteFunc(slices.Clone(found), func(u OrgUnit) bool { return !u.ClosedOn.IsZero() })
			if len(open) == 1 {
				return open[0], true
			}
			return OrgUnit{}, false
		}
		if len(found) == 1 {
			return found[0], true
		}
	}
	return OrgUnit{}, false
}

// Nearest names, for text that names no unit, up to limit units whose
// names are closest to it — "Quận 1 (HCM-Q1)" — nearest first; none when
// nothing is near (a name that shares less than half its letters).
func (n *UnitNames) Nearest(text string, limit int) []string {
	key := SearchKey(text)
	if key == "" {
		return nil
	}
	type scored struct {
		u        OrgUnit
		distance float64
	}
	var near []scored
	for i, u := range n.units {
		best := -1.0
		for _, k := range n.keys[i] {
			d := float64(editDistance(key, k))
			if strings.Contains(k, key) {
				d = min(d, 0.5) // part of a name: "thu duc"
			}
			if d > float64(max(len([]rune(key)), len([]rune(k))))/2 {
				continue
			}
			if best < 0 || d < best {
				best = d
			}
		}
		if best >= 0 {
			near = append(near, scored{u, best})
		}
	}
	slices.SortStableFunc(near, func(a, b scored) int {
		return cmp.Or(cmp.Compare(a.distance, b.distance), cmp.Compare(a.u.Code, b.u.Code))
	})
	var out []string
	for _, s := range near[:min(len(near), limit)] {
		name := s.u.ShortName
		if name == "" {
			name = s.u.Name
		}
		out = append(out, name+" ("+s.u.Code+")")
	}
	return out
}

// editDistance is the Levenshtein distance between two strings, by runes.
func editDistance(a, b string) int {
	x, y := []rune(a), []rune(b)
	prev := make([]int, len(y)+1)
	cur := make([]int, len(y)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(x); i++ {
		cur[0] = i
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(y)]
}
