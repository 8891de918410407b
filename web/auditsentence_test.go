package web

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"nscl"
	"nscl/store"
)

// sentenceNames are a user, units and a metric of a programme the demo
// does not hold.
var sentenceNames = auditNames{
	users: map[int64]nscl.User{
		7: {ID: 7, Name: "Nguyễn Văn A", Email: "a@so.example"},
		8: {ID: 8, Name: "Trần Thị Bình", Email: "binh@so.example"},
	},
	units: map[int64]nscl.OrgUnit{
		51: {ID: 51, Name: "Ủy ban nhân dân phường Tân Định"},
		52: {ID: 52, Name: "Ủy ban nhân dân quận 3"},
		53: {ID: 53, Name: "Ủy ban nhân dân Thành phố Cần Thơ"},
		54: {ID: 54, Name: "Sở Công Thương Cần Thơ"},
	},
	metrics: map[string]nscl.Metric{
		"coaching": {Code: "coaching", Name: "Doanh nghiệp được tư vấn cải tiến", Unit: "doanh nghiệp"},
		"videos":   {Code: "videos", Name: "Phóng sự truyền hình", Unit: "phóng sự"},
	},
}

func TestAuditSentences(t *testing.T) {
	at := time.Date(2027, 4, 2, 18, 30, 0, 0, time.UTC)
	entry := func(user int64, action, entity, id, before, after string) store.AuditEntry {
		return store.AuditEntry{ID: 900, At: at, UserID: user, Action: action, Entity: entity, EntityID: id, Before: before, After: after}
	}
	activity := func(day, description string, coaching int64, version int) string {
		return `{"id":123,"unit_id":51,"date":"` + day + `T00:00:00Z","kind":"consulting","description":"` + description +
			`","quantities":[{"metric":"coaching","value":` + itoa(coaching) + `},{"metric":"videos","value":2}],"version":` + itoa(int64(version)) + `}`
	}
	submission := func(status, reviewed, comment string, reviewer int64) string {
		return `{"round_id":3,"unit_id":51,"status":"` + status + `","submitted_at":"2027-04-01T02:15:00Z","first_sent_at":"2027-04-01T02:15:00Z","reviewed_at":"` +
			reviewed + `","reviewer_id":` + itoa(reviewer) + `,"comment":"` + comment + `","version":4}`
	}
	const zero = "0001-01-01T00:00:00Z"
	unit := func(closed string) string {
		return `{"id":52,"parent_id":53,"code":"CT-Q3","name":"Ủy ban nhân dân quận 3","level":"district","opened_on":"` + zero + `","closed_on":"` + closed + `","version":1}`
	}
	for _, c := range []struct {
		name   string
		e      store.AuditEntry
		vi, en auditReading
	}{
		{"create an activity", entry(7, "create", "activity", "123", "", activity("2027-03-01", "Tư vấn 5S cho doanh nghiệp", 40, 1)),
			auditReading{"Nguyễn Văn A tạo hoạt động #123: Tư vấn 5S cho doanh nghiệp", []string{"Doanh nghiệp được tư vấn cải tiến: 40 doanh nghiệp", "Phóng sự truyền hình: 2 phóng sự"}},
			auditReading{"Nguyễn Văn A created activity #123: Tư vấn 5S cho doanh nghiệp", []string{"Doanh nghiệp được tư vấn cải tiến: 40 doanh nghiệp", "Phóng sự truyền hình: 2 phóng sự"}}},
		{"edit an activity", entry(7, "update", "activity", "123", activity("2027-03-01", "Tư vấn 5S", 40, 1), activity("2027-03-02", "Tư vấn 5S và Kaizen", 1045, 2)),
			auditReading{"Nguyễn Văn A sửa hoạt động #123: Tư vấn 5S và Kaizen", []string{"Ngày: 01/03/2027 → 02/03/2027", "Mô tả: Tư vấn 5S → Tư vấn 5S và Kaizen", "Doanh nghiệp được tư vấn cải tiến: 40 → 1.045 doanh nghiệp"}},
			auditReading{"Nguyễn Văn A edited activity #123: Tư vấn 5S và Kaizen", []string{"Date: 01/03/2027 → 02/03/2027", "Description: Tư vấn 5S → Tư vấn 5S và Kaizen", "Doanh nghiệp được tư vấn cải tiến: 40 → 1.045 doanh nghiệp"}}},
		{"delete an activity", entry(8, "delete", "activity", "123", activity("2027-03-02", "Tư vấn 5S", 45, 2), ""),
			auditReading{"Trần Thị Bình xóa hoạt động #123: Tư vấn 5S", []string{"Doanh nghiệp được tư vấn cải tiến: 45 doanh nghiệp", "Phóng sự truyền hình: 2 phóng sự"}},
			auditReading{"Trần Thị Bình deleted activity #123: Tư vấn 5S", []string{"Doanh nghiệp được tư vấn cải tiến: 45 doanh nghiệp", "Phóng sự truyền hình: 2 phóng sự"}}},
		{"return a report with a comment", entry(8, "return", "submission", "3/51", submission("submitted", zero, "", 0), submission("returned", "2027-04-02T09:05:00Z", "Thiếu số liệu tháng 3", 8)),
			auditReading{"Trần Thị Bình trả lại báo cáo của Ủy ban nhân dân phường Tân Định, đợt #3 — ý kiến: “Thiếu số liệu tháng 3”",
				[]string{"Duyệt lúc: — → 02/04/2027 16:05", "Người duyệt: — → Trần Thị Bình", "Trạng thái: đã gửi, chờ duyệt → bị trả lại"}},
			auditReading{"Trần Thị Bình returned the report of Ủy ban nhân dân phường Tân Định, round #3 — comment: “Thiếu số liệu tháng 3”",
				[]string{"Reviewed: — → 02/04/2027 16:05", "Reviewer: — → Trần Thị Bình", "Status: submitted → returned"}}},
		{"approve a report", entry(8, "approve", "submission", "3/51", submission("submitted", zero, "", 0), submission("approved", "2027-04-02T17:30:00Z", "Đạt", 8)),
			auditReading{"Trần Thị Bình duyệt báo cáo của Ủy ban nhân dân phường Tân Định, đợt #3 — ý kiến: “Đạt”",
				[]string{"Duyệt lúc: — → 03/04/2027 00:30", "Người duyệt: — → Trần Thị Bình", "Trạng thái: đã gửi, chờ duyệt → đã duyệt"}},
			auditReading{"Trần Thị Bình approved the report of Ủy ban nhân dân phường Tân Định, round #3 — comment: “Đạt”",
				[]string{"Reviewed: — → 03/04/2027 00:30", "Reviewer: — → Trần Thị Bình", "Status: submitted → approved"}}},
		{"sign-in refused", entry(0, "login_failed", store.SignInFailure, "la@vi-du.vn", "", `{"address":"203.0.113.9","reason":"wrong_password"}`),
			auditReading{Sentence: "Đăng nhập bị từ chối: la@vi-du.vn từ địa chỉ 203.0.113.9 — sai e-mail hoặc mật khẩu"},
			auditReading{Sentence: "Sign-in refused: la@vi-du.vn from address 203.0.113.9 — wrong e-mail or password"}},
		{"signed in", entry(7, "login", "user", "7", "", ""),
			auditReading{Sentence: "Nguyễn Văn A đăng nhập"}, auditReading{Sentence: "Nguyễn Văn A signed in"}},
		{"close a unit", entry(7, "update", "unit", "52", unit(zero), unit("2025-07-01T00:00:00Z")),
			auditReading{"Nguyễn Văn A sửa đơn vị #52: Ủy ban nhân dân quận 3", []string{"Giải thể từ ngày: — → 01/07/2025"}},
			auditReading{"Nguyễn Văn A edited unit #52: Ủy ban nhân dân quận 3", []string{"Closed on: — → 01/07/2025"}}},
		{"succession", entry(7, "create", "unit_succession", "52>51", "", `{"predecessor_id":52,"successor_id":51,"on":"2025-07-01T00:00:00Z"}`),
			auditReading{Sentence: "Nguyễn Văn A ghi nhận Ủy ban nhân dân quận 3 được Ủy ban nhân dân phường Tân Định kế thừa từ ngày 01/07/2025"},
			auditReading{Sentence: "Nguyễn Văn A recorded that Ủy ban nhân dân phường Tân Định succeeds Ủy ban nhân dân quận 3 from 01/07/2025"}},
		{"move a unit", entry(0, "create", "unit_parent_change", "4", "", `{"unit_id":54,"old_parent_id":52,"new_parent_id":53,"on":"2025-07-01T00:00:00Z"}`),
			auditReading{Sentence: "Hệ thống chuyển Sở Công Thương Cần Thơ từ Ủy ban nhân dân quận 3 sang trực thuộc Ủy ban nhân dân Thành phố Cần Thơ từ ngày 01/07/2025"},
			auditReading{Sentence: "The system moved Sở Công Thương Cần Thơ from under Ủy ban nhân dân quận 3 to under Ủy ban nhân dân Thành phố Cần Thơ from 01/07/2025"}},
		{"a user gone, a unit unknown", entry(99, "create", "plan", "6", "", `{"id":6,"unit_id":77,"name":"Kế hoạch 2026 – 2030","targets":[{"metric":"gone_metric","value":12000}]}`),
			auditReading{"người dùng #99 tạo kế hoạch #6: Kế hoạch 2026 – 2030", []string{"gone_metric: 12.000"}},
			auditReading{"user #99 created plan #6: Kế hoạch 2026 – 2030", []string{"gone_metric: 12.000"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			for lang, want := range map[string]auditReading{langVI: c.vi, langEN: c.en} {
				got := readAudit(lang, c.e, sentenceNames)
				if got.Sentence != want.Sentence || !slices.Equal(got.Changes, want.Changes) {
					t.Errorf("%s:\n got %q %q\nwant %q %q", lang, got.Sentence, got.Changes, want.Sentence, want.Changes)
				}
				if strings.Contains(got.Sentence+strings.Join(got.Changes, ""), "0001") {
					t.Errorf("%s: a zero time printed: %q", lang, got)
				}
			}
		})
	}
}

func TestAuditStampNeverPrintsAZeroTime(t *testing.T) {
	if got := auditStamp(time.Time{}); got != "—" {
		t.Errorf("zero time: %q", got)
	}
	// 17:10 UTC is past midnight in Vietnam: the next day.
	if got := auditStamp(time.Date(2026, 12, 31, 17, 10, 0, 0, time.UTC)); got != "01/01/2027 00:10" {
		t.Errorf("new year's eve in UTC: %q", got)
	}
	if got := rawAudit(`{"closed_on":"0001-01-01T00:00:00Z"}`); strings.Contains(got, "0001") || !strings.Contains(got, `"closed_on": null`) {
		t.Errorf("raw JSON: %q", got)
	}
}

// Every action and kind of record the store writes to the log has a verb
// and a noun in both languages: found in the store's source, so a new one
// fails here until it is named.
func TestEveryAuditActionHasWords(t *testing.T) {
	files, err := filepath.Glob("../store/*.go")
	if err != nil {
		t.Fatal(err)
	}
	call := regexp.MustCompile(`tx\.audit\(ctx, ("[a-z_]+"|[^,]+), ("[a-z_]+"|[A-Za-z.]+),`)
	actions, entities := map[string]bool{}, map[string]bool{}
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range call.FindAllStringSubmatch(string(src), -1) {
			if a, ok := strings.CutPrefix(m[1], `"`); ok {
				actions[strings.TrimSuffix(a, `"`)] = true
			}
			if e, ok := strings.CutPrefix(m[2], `"`); ok {
				entities[strings.TrimSuffix(e, `"`)] = true
			}
		}
	}
	// What a submission's action can be, and the refused sign-in's kind,
	// which the calls name by a variable and a constant.
	for _, a := range []store.SubmissionAction{store.ActionSubmit, store.ActionApprove, store.ActionReturn} {
		actions[string(a)] = true
	}
	entities[store.SignInFailure] = true
	if len(actions) < 15 || len(entities) < 15 {
		t.Fatalf("only %d actions and %d kinds found: the scan is broken", len(actions), len(entities))
	}
	for prefix, codes := range map[string]map[string]bool{"audit.verb.": actions, "audit.noun.": entities} {
		for code := range codes {
			// The log's own table, not the whole catalogue: the kind filter
			// and the audit page's list of kinds read that table alone.
			texts, ok := auditMessages[prefix+code]
			if !ok || texts[0] == "" || texts[1] == "" {
				t.Errorf("%s%s: no words for it", prefix, code)
			}
		}
	}
}
