package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// What a form does after it is sent: a saved record is announced on the
// next page (flash), and an action that cannot be undone is asked about
// first (confirmation).

// flash is what a page says about the write that led to it: "Đã lưu hoạt
// động", with a link to what was saved.
type flash struct {
	Text     string
	Link     string // "" for a record that is gone
	LinkText string
}

const flashCookie = "nscl_flash"

// flashPaths are the writes a flash may announce, each with the page of its
// record (%d is the record's number; "" for none). The cookie carries only
// such a name and a number, and the words come from the catalogue
// ("flash.<name>", "flash.<name>.link"), so that nobody can put words of
// their own on the page through it.
var flashPaths = map[string]string{
	"activity":         "/activities/%d/edit",
	"activity_deleted": "",
	"plan":             "/setup/plans/%d/edit",
	"unit":             "/setup/units/%d/edit",
	"document":         "/setup#document-%d",
	"portal_counting":  "",
	"round":            "/rounds/%d",
	"submitted":        "/rounds/%d",
	"approved":         "/rounds/%d",
	"returned":         "/rounds/%d",
	"user":             "/users#user-%d",
	"enterprise":       "/enterprises/%d",
	"merged":           "/enterprises/%d",
	"unmerged":         "/enterprises/%d",
	"call":             "/calls/%d/edit",
	"call_closed":      "/calls/%d/edit",
	"report_texts":     "",
	"accepted":         "/registrations/%d",
	"declined":         "/registrations/%d",
	"class":            "/lich-tap-huan/%d/sua",
	"class_deleted":    "",
	"attendance":       "/lich-tap-huan/%d/diem-danh",
	"walk_in":          "/lich-tap-huan/%d/diem-danh",
	"token_revoked":    "",
}

// saved answers a successful post: the next page, target, announces what
// was written (a name of flashPaths) with a link to record id.
func (s *Server) saved(w http.ResponseWriter, r *http.Request, what string, id int64, target string) {
	if _, ok := flashPaths[what]; !ok {
		panic("web: no flash " + what)
	}
	// Short-lived: it is read by the page the redirect leads to.
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: what + "." + strconv.FormatInt(id, 10), Path: "/", MaxAge: 60,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// takeFlash reads the flash a redirect left, and clears it so that it is
// said once.
func (s *Server) takeFlash(w http.ResponseWriter, r *http.Request) *flash {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return nil
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
	what, number, _ := strings.Cut(c.Value, ".")
	path, known := flashPaths[what]
	id, err := strconv.ParseInt(number, 10, 64)
	if !known || err != nil || id <= 0 {
		return nil
	}
	lang := language(r)
	f := &flash{Text: translate(lang, "flash."+what)}
	if path != "" {
		f.Link, f.LinkText = fmt.Sprintf(path, id), translate(lang, "flash."+what+".link")
	}
	return f
}

// confirmed reports whether a post carries the answer to "are you sure?":
// confirm=1, sent by the confirmation page's button, or added by
// confirm.js once the reader agreed in the browser's dialog.
func confirmed(r *http.Request) bool { return r.PostFormValue("confirm") == "1" }

// confirmation is the page that asks before an action that cannot be
// undone. Its form posts again what the first post sent, with confirm=1.
type confirmation struct {
	Question string // in the reader's language
	Detail   string // the record the action is about, as data says it
	Button   string // the words of the button that does it
	Back     string // where "cancel" leads
	Nav      string // the menu entry the page belongs to
	// Editable names a field sent again in a text box, under its label, to
	// be written or corrected there: a return's comment, a decline's reason.
	Editable, EditableLabel string
}

type confirmData struct {
	confirmation
	Action string
	Fields []formField // sent again as they came
	Text   string      // the editable field's value
}

type formField struct{ Name, Value string }

// askConfirmation shows the confirmation page for the refused post r.
func (s *Server) askConfirmation(w http.ResponseWriter, r *http.Request, c confirmation) error {
	d := confirmData{confirmation: c, Action: r.URL.Path}
	names := make([]string, 0, len(r.PostForm))
	for name := range r.PostForm {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		switch name {
		case "confirm":
		case c.Editable:
			d.Text = r.PostFormValue(name)
		default:
			for _, value := range r.PostForm[name] {
				d.Fields = append(d.Fields, formField{name, value})
			}
		}
	}
	s.render(w, r, http.StatusOK, "confirm.html", view{Title: translate(language(r), "confirm.title"), Nav: c.Nav, Data: d})
	return nil
}
