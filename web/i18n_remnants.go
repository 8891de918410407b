package web

// remnantsMessages are the texts of issue 15's last page-level remnants:
// the history folded in each line of a round's table.
var remnantsMessages = map[string][2]string{
	"round.history_steps": {"Lịch sử trao đổi (%d bước)", "Review history (%d)"},
}

func init() {
	for k, v := range remnantsMessages {
		catalogue[k] = v
	}
}
