package web

import (
	"net/http"
	"strconv"

	"nscl"
	"nscl/store"
)

type usersData struct {
	Users     []nscl.User
	Units     []nscl.OrgUnit
	UnitIndex map[int64]nscl.OrgUnit
	Roles     []nscl.Role
	Form      map[string]string
	Failures  []signInFailure // the latest refused sign-ins
}

func (s *Server) usersData(r *http.Request) (usersData, error) {
	d := usersData{Roles: nscl.Roles, Form: map[string]string{}}
	var err error
	if d.Users, err = s.Store.Users(r.Context()); err != nil {
		return d, err
	}
	if d.Failures, err = s.signInFailures(r); err != nil {
		return d, err
	}
	var named []int64 // the users' units, read alone: not the national tree
	for _, user := range d.Users {
		named = append(named, user.UnitID)
	}
	if d.UnitIndex, err = s.unitsNamed(r.Context(), named); err != nil {
		return d, err
	}
	d.Units, err = s.smallTree(r.Context())
	return d, err
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	if err := u.RequireUsers(); err != nil {
		return err
	}
	d, err := s.usersData(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "users.html", view{Title: translate(language(r), "users.title"), Nav: "users", Data: d})
	return nil
}

func (s *Server) userCreate(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	if err := u.RequireUsers(); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
	if err := r.ParseForm(); err != nil {
		return nscl.Invalid("form", "biểu mẫu quá lớn hoặc không đọc được", "the form is too large or unreadable")
	}
	newUser := nscl.User{Email: r.PostFormValue("email"), Name: r.PostFormValue("name"), Role: nscl.Role(r.PostFormValue("role"))}
	unit, err := s.unitPosted(r, "unit", "dash.unit", r.PostFormValue("unit"))
	if err == nil {
		newUser.UnitID = unit.ID
		err = s.Store.Update(r.Context(), func(tx *store.Tx) error { return tx.CreateUser(r.Context(), &newUser, r.PostFormValue("password")) })
	} else if nscl.ErrorCode(err) == nscl.EINVALID {
		// Every mistake at once: the unit's, then the rest of the form's.
		var errs nscl.Errors
		errs.Add(err)
		errs.Add(nscl.ValidateNewUser(newUser, r.PostFormValue("password")))
		err = errs.Err()
	}
	if err == nil {
		s.saved(w, r, "user", newUser.ID, "/users")
		return nil
	}
	if c := nscl.ErrorCode(err); c != nscl.EINVALID && c != nscl.ENOTFOUND && c != nscl.ECONFLICT {
		return err
	}
	d, derr := s.usersData(r)
	if derr != nil {
		return derr
	}
	for _, key := range []string{"email", "name", "role", "unit"} {
		d.Form[key] = r.PostFormValue(key)
	}
	s.render(w, r, statusOf(err), "users.html", view{Title: translate(language(r), "users.title"), Nav: "users", Error: s.publicError(err), Mistakes: nscl.ErrorList(err), Data: d})
	return nil
}

// userSetDisabled disables or re-enables an account from the users page.
func (s *Server) userSetDisabled(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	if err := u.RequireUsers(); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if id == u.ID {
		return nscl.Invalid("user", "không tự khóa tài khoản của mình", "you cannot disable your own account")
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	disable := r.PathValue("action") == "disable"
	if !disable && r.PathValue("action") != "enable" {
		return nscl.NotFound("action", "không có thao tác này", "no such action")
	}
	if err := s.Store.Update(r.Context(), func(tx *store.Tx) error { return tx.SetDisabled(r.Context(), id, version, disable) }); err != nil {
		return err
	}
	http.Redirect(w, r, "/users", http.StatusSeeOther)
	return nil
}
