package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"nscl"
	"nscl/demo"
	"nscl/store"
)

// Focal staff choose on /setup where the portal counts, among the
// programme's own task groups and metrics; a code the programme does not
// have is refused beside its field and nothing changes; a reporter may
// not; the change is in the audit log.
func TestSetupChoosesWherePortalCounts(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	prog := ts.demoProgramme(t)
	focal := ts.client(t, "focal@demo.local")
	_, page := fetch(t, focal, "GET", ts.URL+"/setup", "", "")
	form := formWithAction(t, page, "/setup/portal")
	if !strings.Contains(form, `<option value="articles" selected>`) || !strings.Contains(form, `<option value="b" selected>`) {
		t.Fatalf("the portal's form does not show where it counts now:\n%s", form)
	}
	if strings.Contains(form, `value="`+demo.LabsStrengthened+`" selected`) {
		t.Errorf("a metric chosen that is not")
	}
	want := nscl.PortalCounting{CommunicationGroup: "c", ArticleMetric: demo.Articles, VideoMetric: demo.Videos, DocumentMetric: demo.Articles,
		ClassEnterprisesMetric: demo.EnterprisesSupported, ClassTraineesMetric: demo.Attendees}
	posted := url.Values{"communication_group": {want.CommunicationGroup}, "article_metric": {want.ArticleMetric}, "video_metric": {want.VideoMetric},
		"document_metric": {want.DocumentMetric}, "class_enterprises_metric": {want.ClassEnterprisesMetric}, "class_trainees_metric": {want.ClassTraineesMetric}}
	if code, body := fetch(t, focal, "POST", ts.URL+"/setup/portal", formType, posted.Encode()); code != http.StatusSeeOther {
		t.Fatalf("save: %d %s", code, alertText(body))
	}
	if got, err := ts.store.PortalCounting(ctx, prog); err != nil || got != want {
		t.Errorf("stored %+v, %v; want %+v", got, err, want)
	}
	if _, page := fetch(t, focal, "GET", ts.URL+"/setup", "", ""); !strings.Contains(formWithAction(t, page, "/setup/portal"), `<option value="c" selected>`) {
		t.Errorf("the page does not show the group chosen")
	}

	bad := url.Values{}
	for k, v := range posted {
		bad[k] = v
	}
	bad.Set("class_trainees_metric", "hoc_vien_khong_co")
	code, refused := fetch(t, focal, "POST", ts.URL+"/setup/portal", formType, bad.Encode())
	if code != http.StatusBadRequest {
		t.Fatalf("an unknown metric: %d", code)
	}
	checkFormErrors(t, formWithAction(t, refused, "/setup/portal"), map[string]string{"class_trainees_metric": "không có chỉ tiêu hay số liệu mã"})
	if got, _ := ts.store.PortalCounting(ctx, prog); got != want {
		t.Errorf("a refused form changed it: %+v", got)
	}
	if code, _ := fetch(t, ts.client(t, "thuduc@demo.local"), "POST", ts.URL+"/setup/portal", formType, url.Values{"communication_group": {"a"}}.Encode()); code != http.StatusForbidden {
		t.Errorf("a reporter sets it: %d", code)
	}
	if got, _ := ts.store.PortalCounting(ctx, prog); got != want {
		t.Errorf("a reporter changed it: %+v", got)
	}
	focalUser, err := ts.store.UserByEmail(ctx, "focal@demo.local")
	if err != nil {
		t.Fatal(err)
	}
	entries, err := ts.store.AuditLog(ctx, store.AuditFilter{Entity: "portal_counting", UserID: focalUser.ID, Limit: 10})
	if err != nil || len(entries) != 1 || !strings.Contains(entries[0].After, `"communication_group":"c"`) {
		t.Errorf("the audit log's entries of the focal user's change: %+v, %v", entries, err)
	}
}
