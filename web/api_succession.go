package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"nscl"
	"nscl/store"
)

// apiSuccession is a succession as the API gives it, units named by code.
type apiSuccession struct {
	Predecessor string              `json:"predecessor"`
	Successor   string              `json:"successor"`
	On          string              `json:"on"`
	Kind        nscl.SuccessionKind `json:"kind"`
}

// apiMove is a unit's move to another parent, units named by code.
type apiMove struct {
	Unit      string `json:"unit"`
	OldParent string `json:"old_parent,omitempty"`
	NewParent string `json:"new_parent"`
	On        string `json:"on"`
}

// UnitHistory is what is on file of a unit's place across time: the
// successions it is in, as predecessor or successor, and its moves.
type UnitHistory struct {
	Successions []nscl.Succession
	All         []nscl.Succession // every succession, to tell each one's kind
	Moves       []nscl.ParentChange
}

// LoadUnitHistory reads the unit's history from st.
func LoadUnitHistory(ctx context.Context, st *store.Store, unitID int64) (UnitHistory, error) {
	var h UnitHistory
	all, err := st.Successions(ctx)
	if err != nil {
		return h, err
	}
	h.All = all
	for _, x := range all {
		if x.PredecessorID == unitID || x.SuccessorID == unitID {
			h.Successions = append(h.Successions, x)
		}
	}
	h.Moves, err = st.UnitParentChanges(ctx, unitID)
	return h, err
}

// UnitHistoryJSON is the answer of GET /api/v1/units/{id}/history and,
// with the unit, of its close and move: units named by code from units.
// `nscl unit close|move --json` prints the same.
func UnitHistoryJSON(units map[int64]nscl.OrgUnit, unit *nscl.OrgUnit, h UnitHistory) any {
	out := map[string]any{}
	if unit != nil {
		out["unit"] = apiUnitOf(units, *unit)
	}
	succ := []apiSuccession{}
	for _, x := range h.Successions {
		succ = append(succ, apiSuccession{Predecessor: units[x.PredecessorID].Code, Successor: units[x.SuccessorID].Code,
			On: x.On.Format(time.DateOnly), Kind: nscl.KindOf(h.All, x)})
	}
	moves := []apiMove{}
	for _, m := range h.Moves {
		moves = append(moves, apiMove{Unit: units[m.UnitID].Code, OldParent: units[m.OldParentID].Code, NewParent: units[m.NewParentID].Code,
			On: m.On.Format(time.DateOnly)})
	}
	out["successions"], out["moves"] = succ, moves
	return out
}

// apiUnitHistory answers the successions and moves of a unit.
func (s *Server) apiUnitHistory(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.Store.UnitByID(r.Context(), id); err != nil {
		return err
	}
	return s.writeUnitHistory(w, r, id, nil)
}

func (s *Server) writeUnitHistory(w http.ResponseWriter, r *http.Request, id int64, unit *nscl.OrgUnit) error {
	h, err := LoadUnitHistory(r.Context(), s.Store, id)
	if err != nil {
		return err
	}
	units, _, err := s.unitIndex(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, UnitHistoryJSON(units, unit, h))
	return nil
}

// apiCloseUnit closes a unit on a day with the units its work goes on in:
// {"on": "01/07/2025", "successors": ["HCM"]}, and "version" to refuse
// the change when the unit changed since it was read.
func (s *Server) apiCloseUnit(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	var in struct {
		On         string   `json:"on"`
		Successors []string `json:"successors"`
		Version    int64    `json:"version"`
	}
	return s.apiUnitChange(w, r, u, &in, &in.Version, func(tx *store.Tx, code string) (nscl.OrgUnit, error) {
		on, err := nscl.ParseDate("on", in.On)
		if err != nil {
			return nscl.OrgUnit{}, err
		}
		return tx.CloseUnitInto(r.Context(), code, on, in.Successors)
	})
}

// apiMoveUnit moves a unit under another parent from a day on:
// {"parent": "LA", "on": "01/07/2025"}, with "version" as apiCloseUnit.
func (s *Server) apiMoveUnit(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	var in struct {
		Parent  string `json:"parent"`
		On      string `json:"on"`
		Version int64  `json:"version"`
	}
	return s.apiUnitChange(w, r, u, &in, &in.Version, func(tx *store.Tx, code string) (nscl.OrgUnit, error) {
		var errs nscl.Errors
		if strings.TrimSpace(in.Parent) == "" {
			errs.Add(nscl.Required("parent"))
		}
		on, err := nscl.ParseDate("on", in.On)
		errs.Add(err)
		if err := errs.Err(); err != nil {
			return nscl.OrgUnit{}, err
		}
		return tx.MoveUnit(r.Context(), code, in.Parent, on)
	})
}

// apiUnitChange is what closing and moving share: the set-up permission,
// the body, the unit of the path, one transaction, and the unit's history
// as the answer.
func (s *Server) apiUnitChange(w http.ResponseWriter, r *http.Request, u nscl.User, in any, version *int64, change func(tx *store.Tx, code string) (nscl.OrgUnit, error)) error {
	if err := u.RequireSetup(); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := decode(w, r, in); err != nil {
		return err
	}
	var unit nscl.OrgUnit
	err = s.Store.Update(r.Context(), func(tx *store.Tx) error {
		found, err := tx.UnitByID(r.Context(), id)
		if err != nil {
			return err
		}
		if err := found.CheckVersion(*version); err != nil {
			return err
		}
		unit, err = change(tx, found.Code)
		return err
	})
	if err != nil {
		return err
	}
	return s.writeUnitHistory(w, r, id, &unit)
}
