package web

// phoneMessages are the texts of the folded navigation that narrow screens show.
var phoneMessages = map[string][2]string{
	"nav.menu": {"Danh mục", "Menu"},
}

func init() {
	for k, v := range phoneMessages {
		catalogue[k] = v
	}
}
