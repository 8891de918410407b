package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"nscl"
	"nscl/report"
	"nscl/store"
)

// The public home (/): what a visitor who is not signed in reads first —
// the programme, its progress against the multi-year plan's targets, the
// open calls, the coming classes and the latest news. A signed-in user
// keeps the dashboard at the same address.

// How much of each list the home shows; each list links to its page.
const (
	homeNews    = 5
	homeClasses = 5
)

// homeTTL bounds how long the home keeps the report it drew its progress
// from: it is drawn again after any write through this server at once, and
// after homeTTL whatever happened (another server's writes).
const homeTTL = time.Minute

// home serves / : the dashboard to a signed-in user, the public home to
// everyone else.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	if u, ok := s.signedIn(r); ok {
		r = withUser(r, u)
		if err := s.dashboard(w, r, u); err != nil {
			s.fail(w, r, err)
		}
		return
	}
	s.portalPage(s.publicHome)(w, r)
}

// signedIn finds the user of a request that carries a session or a token;
// a request with neither is a visitor's, and looks nothing up.
func (s *Server) signedIn(r *http.Request) (nscl.User, bool) {
	if _, err := r.Cookie(sessionCookie); err != nil && r.Header.Get("Authorization") == "" {
		return nscl.User{}, false
	}
	u, err := s.authenticate(r)
	return u, err == nil
}

type homeData struct {
	Programme *nscl.Programme
	// Report is the year's report of approved figures, as the report is
	// issued (?approved_only=1), for the plan's own unit; nil when no
	// multi-year plan covers the year.
	Report  *report.Report
	Bars    []homeBar
	Calls   []nscl.Call
	Classes []classCard
	News    []postRow
}

// homeBar is an indicator's progress, in the words and figures of the
// report's results table (report.Row).
type homeBar struct {
	Code, Name                                string
	Target, YearValue, Cumulative, Completion string
	// ProgrammeTotal is the programme's cumulative since its first year,
	// when the report shows it (a plan after the first): its last column.
	ProgrammeTotal string
	HasTarget      bool
	Percent        string // the bar's value, 0 to 100, as a <progress> reads it
}

func (s *Server) publicHome(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	prog, err := s.programme(ctx)
	if nscl.ErrorCode(err) == nscl.ENOTFOUND {
		// A new installation with no programme yet: nothing to show but
		// the way in for whoever sets it up.
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return nil
	}
	if err != nil {
		return err
	}
	d := homeData{Programme: prog}
	year, err := s.homeYear(r, prog)
	if err != nil {
		return err
	}
	d.Report, err = s.homeReport(ctx, prog, year)
	if err != nil {
		return err
	}
	if d.Report != nil {
		for _, ind := range d.Report.Indicators {
			cells := report.Row(ind)
			bar := homeBar{Code: ind.Metric.Code, Name: cells[0], Target: cells[1], YearValue: cells[2], Cumulative: cells[3],
				Completion: cells[4], HasTarget: ind.HasTarget, Percent: fmt.Sprintf("%.2f", min(max(ind.CompletionPercent, 0), 100))}
			if d.Report.ShowsProgrammeTotal() {
				row := d.Report.TableRow(ind)
				bar.ProgrammeTotal = row[len(row)-1]
			}
			d.Bars = append(d.Bars, bar)
		}
	}
	if d.Calls, err = s.openCalls(ctx); err != nil {
		return err
	}
	classes, err := s.Store.Classes(ctx, prog, store.ClassFilter{Day: s.today(), Limit: homeClasses})
	if err != nil {
		return err
	}
	if d.Classes, err = s.classCards(ctx, classes.Classes, nil); err != nil {
		return err
	}
	news, err := s.Store.News(ctx, prog, "", homeNews)
	if err != nil {
		return err
	}
	if d.News, err = s.postRows(r, news.Posts); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "home.html", view{Title: prog.Name, Nav: "home", Data: d})
	return nil
}

// homeYear is this year when a multi-year plan covers it, else the year
// the dashboard opens on (defaultYear); a visitor does not choose it.
func (s *Server) homeYear(r *http.Request, prog *nscl.Programme) (int, error) {
	planned, err := s.plannedYears(r, prog)
	if err != nil {
		return 0, err
	}
	thisYear := s.today().Year()
	if slices.Contains(planned, thisYear) {
		return thisYear, nil
	}
	latest, err := s.Store.LatestActivityYear(r.Context(), prog)
	if err != nil {
		return 0, err
	}
	return defaultYear(planned, latest, thisYear, prog.StartYear), nil
}

// homeCache keeps the last report the home drew, with when and after how
// many of the store's commits.
type homeCache struct {
	mu      sync.Mutex
	year    int
	commits int64
	at      time.Time
	report  *report.Report
}

// homeReport is the year's report of approved figures for the plan's
// unit, the one /report?approved_only=1 shows, read again only after a
// write or homeTTL; nil when no multi-year plan covers the year.
func (s *Server) homeReport(ctx context.Context, prog *nscl.Programme, year int) (*report.Report, error) {
	c := &s.homeCache
	c.mu.Lock()
	defer c.mu.Unlock() // one reader draws it; the others wait for it rather than draw it too
	commits := s.Store.Commits()
	if c.report != nil && c.year == year && c.commits == commits && time.Since(c.at) < homeTTL {
		return c.report, nil
	}
	rep, err := report.Build(ctx, s.Store, report.Request{Programme: prog.Code, Year: year, ApprovedOnly: true})
	if nscl.ErrorCode(err) == nscl.ENOTFOUND {
		return nil, nil // no plan for the year: the home shows no progress
	}
	if err != nil {
		return nil, err
	}
	c.year, c.commits, c.at, c.report = year, commits, time.Now(), rep
	return rep, nil
}
