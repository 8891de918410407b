package web

import (
	"net/http"
	"slices"
	"strconv"

	"nscl"
)

// checkLookAlikes, before a new activity is saved from the form, finds the
// stored activities it looks like (nscl.LooksAlike) and asks whether it is
// one of them, so that one activity entered twice — on the form, and in
// the unit's sheet — counts once. The form's same_as answers: "new" saves
// it as another activity; the ID of a look-alike turns the save into an
// update of that one, keeping what the form leaves empty. Until it is
// answered, returns ECONFLICT on same_as with d.LookAlikes set.
func (s *Server) checkLookAlikes(r *http.Request, u nscl.User, d *activityFormData) error {
	choice := r.PostFormValue("same_as")
	check := d.Activity
	check.Beneficiaries = slices.Clone(check.Beneficiaries)
	check.Normalize()
	if choice == "new" || !u.CanWriteActivities(check.UnitID) || nscl.ValidateActivity(&check, d.Programme) != nil {
		return nil // refused on saving, naming what is wrong; another unit's activities are not shown
	}
	alikes, err := s.Store.LookAlikes(r.Context(), d.Programme, d.Activity)
	if err != nil || len(alikes) == 0 {
		return err
	}
	id, _ := strconv.ParseInt(choice, 10, 64)
	if i := slices.IndexFunc(alikes, func(a nscl.Activity) bool { return a.ID == id }); i >= 0 {
		sameAs(&d.Activity, alikes[i])
		return nil
	}
	d.LookAlikes = alikes
	return nscl.Conflict("same_as", "Đơn vị đã có hoạt động giống hoạt động này; chưa lưu gì. Hãy chọn bên dưới.",
		"The unit has an activity like this one; nothing was saved. Choose below.")
}

// sameAs makes a, typed on the form, an update of the stored activity it
// is: what the form leaves empty (a figure, the source, the tax codes) is
// kept as stored rather than cleared.
func sameAs(a *nscl.Activity, stored nscl.Activity) {
	a.ID, a.Version = stored.ID, stored.Version
	if a.Source == "" {
		a.Source = stored.Source
	}
	if len(a.Beneficiaries) == 0 {
		a.Beneficiaries = stored.Beneficiaries
	}
	for _, q := range stored.Quantities {
		if !slices.ContainsFunc(a.Quantities, func(x nscl.Quantity) bool { return x.Metric == q.Metric }) {
			a.Quantities = append(a.Quantities, q)
		}
	}
}
