package web

// unitFieldMessages are the texts of the unit fields of forms (template
// "unit-field"): the empty choice of a field that may be left unchosen.
var unitFieldMessages = map[string][2]string{
	"unitfield.choose": {"— chọn đơn vị —", "— choose a unit —"},
}

func init() {
	for k, v := range unitFieldMessages {
		catalogue[k] = v
	}
}
