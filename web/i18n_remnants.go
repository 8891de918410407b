package web

// remnantsMessages are the texts of issue 15's last page-level remnants:
// the history folded in each line of a round's table, and the audit log's
// name for a submission's history restored from an exchange file.
var remnantsMessages = map[string][2]string{
	"round.history_steps":           {"Lịch sử trao đổi (%d bước)", "Review history (%d)"},
	"audit.noun.submission_history": {"lịch sử trao đổi của báo cáo", "report's review history"},
}

func init() {
	for k, v := range remnantsMessages {
		catalogue[k] = v
	}
}
