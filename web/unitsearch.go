package web

import (
	"cmp"
	"errors"
	"net/http"
	"slices"
	"strings"

	"nscl"
)

// A unit selector lists its units as a select when they are few; past
// that (a national tree holds 5.000) it is a text field: the unit's code
// typed, or, with scripts, a name or code searched on the server
// (/api/v1/units/search?q=) and chosen from at most unitMatches suggestions.
const (
	selectUnitsUpTo = 50
	unitMatches     = 20
)

func (s *Server) unitSearchRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/units/search", s.api(s.apiUnitSearch))
}

type apiUnitMatch struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// apiUnitSearch finds up to 20 units the caller may read by code or name,
// without regard to case or diacritics ("thu duc" finds "Thủ Đức").
func (s *Server) apiUnitSearch(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	units, err := s.Store.Units(r.Context())
	if err != nil {
		return err
	}
	units = slices.DeleteFunc(units, func(unit nscl.OrgUnit) bool { return !u.CanSeeUnit(unit.ID) })
	out := []apiUnitMatch{}
	for _, unit := range matchUnits(units, r.URL.Query().Get("q"), unitMatches) {
		out = append(out, apiUnitMatch{unit.Code, unit.Name})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// matchUnits are the units whose code begins with q, then those whose
// name or short name holds every word of q, compared as searches fold
// them, each by name, at most limit of them.
func matchUnits(units []nscl.OrgUnit, q string, limit int) []nscl.OrgUnit {
	words := strings.Fields(nscl.SearchKey(q))
	if len(words) == 0 {
		return nil
	}
	code := strings.ToUpper(strings.TrimSpace(q))
	var byCode, byName []nscl.OrgUnit
	for _, u := range units {
		switch {
		case strings.HasPrefix(strings.ToUpper(u.Code), code):
			byCode = append(byCode, u)
		case holdsAll(nscl.SearchKey(u.Name+" "+u.ShortName), words):
			byName = append(byName, u)
		}
	}
	byUnitName := func(a, b nscl.OrgUnit) int { return cmp.Compare(a.Name, b.Name) }
	slices.SortFunc(byCode, func(a, b nscl.OrgUnit) int { return cmp.Compare(a.Code, b.Code) })
	slices.SortFunc(byName, byUnitName)
	out := append(byCode, byName...)
	return out[:min(len(out), limit)]
}

// unitChoices are the units a unit field lists when they are few, or nil:
// then the field is typed or searched. Template "unit-field" applies it to
// the units it is given: the one place the rule is kept.
func unitChoices(units []nscl.OrgUnit) []nscl.OrgUnit {
	if len(units) >= selectUnitsUpTo {
		return nil
	}
	return units
}

func holdsAll(text string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(text, w) {
			return false
		}
	}
	return true
}

// unitPosted reads the unit a unit field sent (template "unit-field"):
// the code its list or its search chose, or what was typed in it — a code,
// or a name only one unit holds — as an import reads a unit column
// (Store.UnitNamed). Every field that names a unit reads it so. Nothing
// sent is Required; a unit not found is a mistake of the field, its label
// (an i18n key) first, so that the page says which field and what was typed.
func (s *Server) unitPosted(r *http.Request, field, label, typed string) (nscl.OrgUnit, error) {
	typed = strings.TrimSpace(typed)
	if typed == "" {
		return nscl.OrgUnit{}, nscl.Required(field)
	}
	unit, err := s.Store.UnitNamed(r.Context(), typed)
	var notFound *nscl.Error
	if errors.As(err, &notFound) && notFound.Code == nscl.ENOTFOUND {
		return unit, &nscl.Error{Code: nscl.EINVALID, Field: field,
			Message: translate(langVI, label) + ": " + notFound.Message, English: translate(langEN, label) + ": " + notFound.English}
	}
	return unit, err
}

// unitCodeTyped reads a unit filter's field as unitPosted does; "" (every
// unit) stays "".
func (s *Server) unitCodeTyped(r *http.Request, typed string) (string, error) {
	if strings.TrimSpace(typed) == "" {
		return "", nil
	}
	unit, err := s.unitPosted(r, "unit", "dash.unit", typed)
	return unit.Code, err
}
