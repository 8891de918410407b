package web

import (
	"maps"
	"net/http"
	"slices"
	"time"

	"nscl"
	"nscl/store"
)

// The set-up and users pages, mirrored under /api/v1.
func (s *Server) apiSetupRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/plans", s.api(s.apiPlans))
	mux.HandleFunc("POST /api/v1/plans", s.api(s.apiSavePlan))
	mux.HandleFunc("PUT /api/v1/plans/{id}", s.api(s.apiSavePlan))
	mux.HandleFunc("GET /api/v1/documents", s.api(s.apiDocuments))
	mux.HandleFunc("POST /api/v1/documents", s.api(s.apiCreateDocument))
	mux.HandleFunc("POST /api/v1/units", s.api(s.apiSaveUnit))
	mux.HandleFunc("PUT /api/v1/units/{id}", s.api(s.apiSaveUnit))
	mux.HandleFunc("GET /api/v1/units/{id}/history", s.api(s.apiUnitHistory))
	mux.HandleFunc("POST /api/v1/units/{id}/close", s.api(s.apiCloseUnit))
	mux.HandleFunc("POST /api/v1/units/{id}/move", s.api(s.apiMoveUnit))
	mux.HandleFunc("GET /api/v1/users", s.api(s.apiUsers))
	mux.HandleFunc("POST /api/v1/users", s.api(s.apiCreateUser))
}

func setupAllowed(u nscl.User) error {
	if err := u.RequireSetup(); err != nil {
		return err
	}
	return nil
}

type apiPlan struct {
	ID         int64            `json:"id,omitempty"`
	Kind       nscl.PlanKind    `json:"kind"`
	Unit       string           `json:"unit"`
	StartYear  int              `json:"start_year"`
	EndYear    int              `json:"end_year"`
	DocumentID int64            `json:"document_id,omitempty"`
	Name       string           `json:"name"`
	Targets    map[string]int64 `json:"targets"`
	// Allotments by unit code, then indicator code: the targets the plan
	// gives units under its unit. A PUT without them keeps those stored.
	Allotments map[string]map[string]int64 `json:"allotments"`
	Version    int64                       `json:"version"`
}

func (s *Server) apiPlans(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	prog, err := s.programme(r.Context())
	if err != nil {
		return err
	}
	plans, err := s.Store.Plans(r.Context(), prog)
	if err != nil {
		return err
	}
	units, _, err := s.unitIndex(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, PlansJSON(units, plans))
	return nil
}

// PlansJSON is the answer of GET /api/v1/plans: the plans with their
// targets, units named by code from units. `nscl plan list --json` prints
// the same.
func PlansJSON(units map[int64]nscl.OrgUnit, plans []nscl.Plan) any {
	out := []apiPlan{}
	for _, p := range plans {
		a := apiPlan{ID: p.ID, Kind: p.Kind, Unit: units[p.UnitID].Code, StartYear: p.StartYear, EndYear: p.EndYear,
			DocumentID: p.DocumentID, Name: p.Name, Targets: map[string]int64{}, Allotments: map[string]map[string]int64{}, Version: p.Version}
		for _, t := range p.Targets {
			a.Targets[t.Metric] = t.Value
		}
		for _, al := range p.Allotments {
			code := units[al.UnitID].Code
			if a.Allotments[code] == nil {
				a.Allotments[code] = map[string]int64{}
			}
			a.Allotments[code][al.Metric] = al.Value
		}
		out = append(out, a)
	}
	return map[string]any{"plans": out}
}

// apiSavePlan creates a plan (POST) or changes its name, document and
// targets (PUT, with the version read).
func (s *Server) apiSavePlan(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	if err := u.RequireSetup(); err != nil {
		return err
	}
	var in apiPlan
	if err := decode(w, r, &in); err != nil {
		return err
	}
	prog, err := s.programme(r.Context())
	if err != nil {
		return err
	}
	p := nscl.Plan{Kind: in.Kind, StartYear: in.StartYear, EndYear: in.EndYear, DocumentID: in.DocumentID, Name: in.Name, Version: in.Version}
	for _, m := range prog.Indicators() { // in the programme's order
		if v, ok := in.Targets[m.Code]; ok {
			p.Targets = append(p.Targets, nscl.Target{Metric: m.Code, Value: v})
			delete(in.Targets, m.Code)
		}
	}
	for code, v := range in.Targets { // not indicators: the domain names them
		p.Targets = append(p.Targets, nscl.Target{Metric: code, Value: v})
	}
	status := http.StatusCreated
	err = s.Store.Update(r.Context(), func(tx *store.Tx) error {
		var err error
		if p.Allotments, err = allotmentsOf(r, tx, prog, in.Allotments); err != nil {
			return err
		}
		if r.Method == http.MethodPut {
			id, err := pathID(r, "id")
			if err != nil {
				return err
			}
			p.ID, status = id, http.StatusOK
			if in.Allotments == nil { // not given: kept
				plans, err := tx.Plans(r.Context(), prog)
				if err != nil {
					return err
				}
				for _, stored := range plans {
					if stored.ID == id {
						p.Allotments = stored.Allotments
					}
				}
			}
			return tx.UpdatePlan(r.Context(), prog, &p)
		}
		unit, err := tx.UnitByCode(r.Context(), in.Unit)
		if err != nil {
			return nscl.Invalid("unit", "không có đơn vị mã %q", "no unit with code %q", in.Unit)
		}
		p.UnitID = unit.ID
		return tx.CreatePlan(r.Context(), prog, &p)
	})
	if err != nil {
		return err
	}
	in.ID, in.Version = p.ID, p.Version
	writeJSON(w, status, in)
	return nil
}

// allotmentsOf reads a plan's allotments as the API writes them, by unit
// code then indicator code, in the tree's and the programme's order.
// Returns EINVALID naming an unknown unit.
func allotmentsOf(r *http.Request, tx *store.Tx, prog *nscl.Programme, in map[string]map[string]int64) ([]nscl.Allotment, error) {
	var out []nscl.Allotment
	for _, code := range slices.Sorted(maps.Keys(in)) {
		unit, err := tx.UnitByCode(r.Context(), code)
		if err != nil {
			return nil, nscl.Invalid("allotments."+code, "không có đơn vị mã %q", "no unit with code %q", code)
		}
		values := maps.Clone(in[code])
		for _, m := range prog.Indicators() {
			if v, ok := values[m.Code]; ok {
				out = append(out, nscl.Allotment{UnitID: unit.ID, Metric: m.Code, Value: v})
				delete(values, m.Code)
			}
		}
		for _, metric := range slices.Sorted(maps.Keys(values)) { // not indicators: the domain names them
			out = append(out, nscl.Allotment{UnitID: unit.ID, Metric: metric, Value: values[metric]})
		}
	}
	return out, nil
}

type apiDocument struct {
	ID       int64  `json:"id,omitempty"`
	Type     string `json:"type"`
	Number   string `json:"number"`
	Symbol   string `json:"symbol"`
	IssuedOn string `json:"issued_on,omitempty"`
	Issuer   string `json:"issuer"`
	Title    string `json:"title"`
	Source   string `json:"source,omitempty"`
	Citation string `json:"citation,omitempty"`
}

func (s *Server) apiDocuments(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	docs, err := s.Store.Documents(r.Context())
	if err != nil {
		return err
	}
	out := []apiDocument{}
	for _, d := range docs {
		a := apiDocument{ID: d.ID, Type: d.Type, Number: d.Number, Symbol: d.Symbol, Issuer: d.Issuer, Title: d.Title, Source: d.Source, Citation: d.Citation()}
		if !d.IssuedOn.IsZero() {
			a.IssuedOn = d.IssuedOn.Format(time.DateOnly)
		}
		out = append(out, a)
	}
	writeJSON(w, http.StatusOK, map[string]any{"documents": out})
	return nil
}

func (s *Server) apiCreateDocument(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	if err := u.RequireSetup(); err != nil {
		return err
	}
	var in apiDocument
	if err := decode(w, r, &in); err != nil {
		return err
	}
	d := nscl.Document{Type: in.Type, Number: in.Number, Symbol: in.Symbol, Issuer: in.Issuer, Title: in.Title, Source: in.Source}
	if in.IssuedOn != "" {
		var err error
		if d.IssuedOn, err = nscl.ParseDate("issued_on", in.IssuedOn); err != nil {
			return err
		}
	}
	if err := s.Store.Update(r.Context(), func(tx *store.Tx) error { return tx.CreateDocument(r.Context(), &d) }); err != nil {
		return err
	}
	in.ID, in.Citation = d.ID, d.Citation()
	writeJSON(w, http.StatusCreated, in)
	return nil
}

type apiUnitWrite struct {
	Code      string         `json:"code"`
	Name      string         `json:"name"`
	ShortName string         `json:"short_name"`
	Level     nscl.UnitLevel `json:"level"`
	Parent    string         `json:"parent"`
	OpenedOn  string         `json:"opened_on"`
	ClosedOn  string         `json:"closed_on"`
	Version   int64          `json:"version"`
}

// apiSaveUnit creates a unit (POST) or changes its names and dates (PUT).
func (s *Server) apiSaveUnit(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	if err := u.RequireSetup(); err != nil {
		return err
	}
	var in apiUnitWrite
	if err := decode(w, r, &in); err != nil {
		return err
	}
	unit := nscl.OrgUnit{Code: in.Code, Name: in.Name, ShortName: in.ShortName, Level: in.Level, Version: in.Version}
	var err error
	if in.OpenedOn != "" {
		if unit.OpenedOn, err = nscl.ParseDate("opened_on", in.OpenedOn); err != nil {
			return err
		}
	}
	if in.ClosedOn != "" {
		if unit.ClosedOn, err = nscl.ParseDate("closed_on", in.ClosedOn); err != nil {
			return err
		}
	}
	status := http.StatusCreated
	err = s.Store.Update(r.Context(), func(tx *store.Tx) error {
		if r.Method == http.MethodPut {
			id, err := pathID(r, "id")
			if err != nil {
				return err
			}
			unit.ID, status = id, http.StatusOK
			return tx.UpdateUnit(r.Context(), &unit)
		}
		if in.Parent != "" {
			parent, err := tx.UnitByCode(r.Context(), in.Parent)
			if err != nil {
				return nscl.Invalid("parent", "không có đơn vị mã %q", "no unit with code %q", in.Parent)
			}
			unit.ParentID = parent.ID
		}
		return tx.CreateUnit(r.Context(), &unit)
	})
	if err != nil {
		return err
	}
	writeJSON(w, status, apiUnit{ID: unit.ID, Code: unit.Code, Name: unit.Name, Level: unit.Level, Parent: in.Parent})
	return nil
}

func (s *Server) apiUsers(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	if err := u.RequireUsers(); err != nil {
		return err
	}
	users, err := s.Store.Users(r.Context())
	if err != nil {
		return err
	}
	out := []apiUser{}
	for _, x := range users {
		out = append(out, s.toAPIUser(r, x))
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": out})
	return nil
}

func (s *Server) apiCreateUser(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	if err := u.RequireUsers(); err != nil {
		return err
	}
	var in struct {
		Email    string    `json:"email"`
		Name     string    `json:"name"`
		Role     nscl.Role `json:"role"`
		Unit     string    `json:"unit"`
		Password string    `json:"password"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	created := nscl.User{Email: in.Email, Name: in.Name, Role: in.Role}
	err := s.Store.Update(r.Context(), func(tx *store.Tx) error {
		unit, err := tx.UnitByCode(r.Context(), in.Unit)
		if err != nil {
			return nscl.Invalid("unit", "không có đơn vị mã %q", "no unit with code %q", in.Unit)
		}
		created.UnitID = unit.ID
		return tx.CreateUser(r.Context(), &created, in.Password)
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"user": s.toAPIUser(r, created)})
	return nil
}
