package store

import (
	"database/sql"
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"nscl"
)

// growingTables are the tables whose rows grow with the data: with the
// activities, the enterprises and registrations, and the log of writes. A
// statement of everyday work that reads one of them whole costs more with
// every write.
var growingTables = map[string]bool{
	"activities": true, "activity_quantities": true, "activity_beneficiaries": true,
	"unit_totals": true, "reach_totals": true, "tree_totals": true, "tree_reach": true, "tree_latest": true,
	"tree_reach_years": true, "activity_counts": true, "audit_log": true, "enterprises": true, "registrations": true,
	"tree_approved_counts": true, // approved_counts, a unit's own, holds too few rows here to judge; read by its key

	"posts": true, "portal_files": true, "portal_file_chunks": true,
}

// The statements of everyday work — writes of activities from a form and
// an import, reviews of submissions, a unit's move, a merger of
// enterprises, the figures of a report, the lists pages read — each read
// the rows they need through an index: none reads a table that grows with
// the data from end to end, on SQLite's plans without statistics (what a
// database has, since nothing runs ANALYZE or PRAGMA optimize) and with
// them. Counting statements per page (web/bounded_test.go) cannot see a
// statement that reads a whole table; SQLite's plan of it does, with the
// look-ups its foreign keys make. The schema must hold no trigger, which
// plans leave out.
//
// A plan reads a growing table whole where it scans it ("SCAN t", through
// an index or not, as SQLite's documentation of EXPLAIN QUERY PLAN says),
// builds an automatic index or a Bloom filter of it, or searches it by
// terms that find half its rows or more here (only the programme, say:
// the look-up of a new activity's row key that missed its partial index).
// Not where the walk is the first loop of a query ending in LIMIT that
// sorts nothing — a page, or a count capped at a bound — which stops at
// the limit: a list's filter its index does not hold makes that walk
// longer, which the lists' own index tests and time limit look after.
func TestEverydayStatementsUseIndexes(t *testing.T) {
	s := openStore(t, filepath.Join(t.TempDir(), "plans.db"))
	w := newEveryday(t, s)
	traced := traceStatements(t, w.work)
	for _, q := range []string{refOwnerQuery, sameDayQuery, "INSERT INTO activities " + bulkColumns} {
		if !slices.ContainsFunc(traced, func(st tracedStatement) bool { return strings.HasPrefix(st.query, q) }) {
			t.Fatalf("the trace did not see %q: a path to the database calls no trace", q)
		}
	}
	t.Logf("%d distinct statements traced", len(traced))

	for table := range growingTables {
		var n int
		if err := s.write.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n < minJudged {
			t.Fatalf("%s holds %d rows: too few to judge what a look-up finds of it", table, n)
		}
	}
	var analysed int
	if err := s.write.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1'`).Scan(&analysed); err != nil {
		t.Fatal(err)
	}
	if analysed != 0 {
		t.Fatal("the database has statistics already: the plans without them are not checked")
	}
	checkPlans(t, s, traced, "without statistics")
	if _, err := s.write.ExecContext(t.Context(), "ANALYZE"); err != nil {
		t.Fatal(err)
	}
	checkPlans(t, s, traced, "after ANALYZE")
	for _, r := range readWhole {
		if !slices.ContainsFunc(traced, func(st tracedStatement) bool { return strings.HasPrefix(oneLine(st.query), r.statement) }) {
			t.Errorf("readWhole names a statement the everyday work no longer runs: %s", r.statement)
		}
	}
}

// tracedStatement is a statement the store ran, with the arguments of its
// first run.
type tracedStatement struct {
	query string
	args  []any
}

// traceStatements runs work with the store's trace on and returns each
// distinct statement run, in the order first run.
func traceStatements(t *testing.T, work func()) []tracedStatement {
	t.Helper()
	var mu sync.Mutex
	var out []tracedStatement
	seen := map[string]bool{}
	traceStatement = func(query string, args []any) {
		mu.Lock()
		defer mu.Unlock()
		if !seen[query] {
			seen[query] = true
			out = append(out, tracedStatement{query, slices.Clone(args)})
		}
	}
	defer func() { traceStatement = nil }()
	work()
	mu.Lock()
	defer mu.Unlock()
	return out
}

// everyday is a programme with a few hundred activities over the
// fixture's units and four years, enterprises, calls with registrations
// and a round, and the everyday work done on it.
type everyday struct {
	t           *testing.T
	s           *Store
	f           *fixture
	rng         *rand.Rand
	enterprises []nscl.Enterprise
	calls       [3]nscl.Call
	round       *nscl.Round
	reporter    nscl.User // of district1
	focal       nscl.User
	posts       []nscl.Post
}

func newEveryday(t *testing.T, s *Store) *everyday {
	t.Helper()
	ctx := t.Context()
	w := &everyday{t: t, s: s, f: newFixture(t, s), rng: rand.New(rand.NewPCG(16, 0x706c616e))}
	w.reporter = newUser(t, s, "reporter@hcm.gov.vn", nscl.RoleReporter, w.f.district1)
	w.focal = newUser(t, s, "focal@hcm.gov.vn", nscl.RoleFocal, w.f.province)
	sizes := []nscl.EnterpriseSize{nscl.SizeMicro, nscl.SizeSmall, nscl.SizeMedium, nscl.SizeLarge}
	districts := []string{"Quận 1", "Quận 3", "Thành phố Thủ Đức", "Huyện Củ Chi"}
	err := s.Update(ctx, func(tx *Tx) error {
		for i := range 200 {
			e := nscl.Enterprise{TaxCode: fmt.Sprintf("03%08d", i+1), Name: fmt.Sprintf("Công ty TNHH Sản xuất số %d", i+1),
				District: districts[i%len(districts)], Size: sizes[i%len(sizes)]}
			if err := tx.CreateEnterprise(ctx, &e, false); err != nil {
				return err
			}
			w.enterprises = append(w.enterprises, e)
		}
		for i := range w.calls {
			w.calls[i] = nscl.Call{ProgrammeID: w.f.prog.ID, Title: fmt.Sprintf("Mời đăng ký tham gia hỗ trợ doanh nghiệp, đợt %d", i+1), OpensOn: day("2023-01-01")}
			if err := tx.CreateCall(ctx, &w.calls[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Registrations to each call, some of them reviewed: neither a call
	// nor a status holds most of them, as in a database of some years.
	for i := range 120 {
		err := s.Update(ctx, func(tx *Tx) error {
			r := nscl.Registration{CallID: w.calls[i%len(w.calls)].ID, TaxCode: w.enterprises[i].TaxCode, Name: w.enterprises[i].Name,
				Contact: nscl.Contact{Email: fmt.Sprintf("lienhe%d@example.vn", i)}, Support: "Áp dụng công cụ 5S, Kaizen"}
			if err := tx.CreateRegistration(ctx, &r); err != nil {
				return err
			}
			var err error
			switch i % 3 {
			case 1:
				_, err = tx.AcceptRegistration(ctx, r.ID, r.Version)
			case 2:
				_, err = tx.DeclineRegistration(ctx, r.ID, r.Version, "Không thuộc đối tượng hỗ trợ")
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	err = s.Update(ctx, func(tx *Tx) error {
		tx.Batch()
		for range 400 {
			a := w.activity()
			if err := tx.CreateActivity(ctx, w.f.prog, &a); err != nil {
				return err
			}
		}
		return tx.Flush(ctx)
	})
	if err != nil {
		t.Fatal(err)
	}
	w.round = firstHalf2022(w.f.district1, w.f.implementer)
	createRound(t, s, w.f, w.round)
	w.addPosts()
	return w
}

// addPosts publishes the portal's articles and materials, with drafts
// among them and a file now and then.
func (w *everyday) addPosts() {
	ctx := w.t.Context()
	err := w.s.Update(ctx, func(tx *Tx) error {
		if err := tx.SetPortalCounting(ctx, w.f.prog, nscl.PortalCounting{CommunicationGroup: "b", ArticleMetric: mArticles}); err != nil {
			return err
		}
		topics := []string{"Năng suất", "Chất lượng", "Công cụ cải tiến", "Tiêu chuẩn"}
		for i := range 90 {
			p := nscl.Post{UnitID: w.f.department.ID, Kind: nscl.PostKinds[i%3], Title: fmt.Sprintf("Bài số %d về năng suất", i+1),
				Body: "Nội dung.", PublishedOn: day("2023-01-02").AddDate(0, 0, i), State: nscl.PostPublished}
			if i%5 == 4 {
				p.State = nscl.PostDraft
			}
			var file *FileUpload
			switch p.Kind {
			case nscl.PostVideo:
				p.Topic, p.VideoURL = topics[i%len(topics)], fmt.Sprintf("https://video.example/%d", i)
			case nscl.PostDocument:
				p.Topic = topics[i%len(topics)]
				file = &FileUpload{Name: "tai-lieu.pdf", Data: []byte(fmt.Sprintf("%%PDF-1.7 tài liệu %d", i))}
			}
			if err := tx.CreatePost(ctx, w.f.prog, &p, file); err != nil {
				return err
			}
			w.posts = append(w.posts, p)
		}
		return nil
	})
	if err != nil {
		w.t.Fatal(err)
	}
}

// activity is a random valid activity (the property test's), naming a few
// of the registry's enterprises, without a row key of its own.
func (w *everyday) activity() nscl.Activity {
	a := (&propRun{t: w.t, s: w.s, f: w.f, rng: w.rng}).randomActivity()
	a.Ref, a.Beneficiaries = "", nil
	for range w.rng.IntN(4) {
		tc := w.enterprises[w.rng.IntN(len(w.enterprises))].TaxCode
		if !slices.Contains(a.Beneficiaries, tc) {
			a.Beneficiaries = append(a.Beneficiaries, tc)
		}
	}
	return a
}

// work is the everyday work: what forms, imports, reviews and pages ask of
// the store. Every call must succeed: a statement that failed would not be
// the one production runs.
func (w *everyday) work() {
	t, s, f, prog := w.t, w.s, w.f, w.f.prog
	ctx := t.Context()
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	asFocal, asReporter := WithActor(ctx, w.focal.ID), WithActor(ctx, w.reporter.ID)

	// Sign-in and the session every request checks.
	_, err := s.Authenticate(ctx, w.focal.Email, testPassword)
	must("sign in", err)
	secret, err := s.CreateSession(ctx, w.focal.ID, time.Hour)
	must("session", err)
	_, err = s.SessionUser(ctx, secret)
	must("session check", err)
	token, _, err := s.CreateToken(ctx, w.focal.ID, "báo cáo", 30)
	must("token", err)
	_, err = s.TokenUser(ctx, token)
	must("token check", err)

	// An activity from the form: looked for among its look-alikes, saved
	// without a row key (one is given), with one, with beneficiaries the
	// registry lacks; read back, changed to another unit and year, deleted.
	plain := w.activity()
	_, err = s.LookAlikes(ctx, prog, plain)
	must("look-alikes", err)
	must("create without a key", s.CreateActivity(asFocal, prog, &plain))
	keyed := w.activity()
	keyed.Ref = "KH-2023-001"
	must("create with a key", s.CreateActivity(asFocal, prog, &keyed))
	named := w.activity()
	named.Beneficiaries = append(named.Beneficiaries, "0399999991", "0399999992-001")
	must("save with new tax codes", s.SaveActivity(asFocal, prog, &named, true))
	_, err = s.Activity(ctx, plain.ID)
	must("read", err)
	moved := plain
	moved.UnitID, moved.Date = f.district2.ID, plain.Date.AddDate(1, 0, 0)
	if moved.Date.Year() > 2024 {
		moved.Date = moved.Date.AddDate(-3, 0, 0)
	}
	moved.Quantities = []nscl.Quantity{qty(mTraining, 7), qty(mLabs, 2), qty(mSupported, 3)}
	must("update", s.UpdateActivity(asFocal, prog, &moved))
	must("delete", s.DeleteActivity(asFocal, prog, moved.ID, moved.Version))

	// An import: its check looks up row keys and same-day activities, its
	// write goes by row key in one batched transaction; and the bulk path
	// of large imports.
	rows := []nscl.Activity{w.activity(), w.activity(), keyed}
	rows[0].Ref, rows[1].Ref = "KH-2023-101", "KH-2023-102"
	rows[2].Description = "Hội thảo công cụ cải tiến (đã sửa)"
	_, err = s.ColumnChoices(ctx, prog, f.district1.ID)
	must("column choices", err)
	lookup, closeLookup, err := s.RefLookup(ctx, prog)
	must("row keys", err)
	sameDay, daysAhead, closeSameDay, err := s.SameDayLookup(ctx, prog)
	must("same day", err)
	must("days ahead", daysAhead(rows[:2]))
	_, err = s.RefOwners(ctx, prog, []string{rows[0].Ref, rows[1].Ref, keyed.Ref})
	must("row keys ahead", err)
	for _, a := range rows {
		_, _, err := lookup(a.Ref)
		must("row key", err)
		_, err = sameDay(a.UnitID, a.Date, a.TaskGroup)
		must("same day's", err)
	}
	must("close", closeLookup())
	must("close", closeSameDay())
	must("import", s.Update(asFocal, func(tx *Tx) error {
		tx.Batch()
		for i := range rows {
			if _, err := tx.ImportRow(ctx, prog, &rows[i], nil); err != nil {
				return err
			}
		}
		return tx.Flush(ctx)
	}))
	bulk := []nscl.Activity{w.activity(), w.activity()}
	bulk[0].Ref, bulk[1].Ref = "BULK-1", "BULK-2"
	must("bulk", s.Update(ctx, func(tx *Tx) error { return tx.BulkActivities(ctx, prog, bulk) }))

	// A round: the reporter sends the report, the focal point approves
	// it and then undoes the approval; the round's pages.
	sub := mustActOnSubmission(t, s, w.reporter, w.round, f.district1, 1, ActionSubmit, "")
	sub = mustActOnSubmission(t, s, w.focal, w.round, f.district1, sub.Version, ActionApprove, "")
	sub = mustActOnSubmission(t, s, w.focal, w.round, f.district1, sub.Version, ActionReturn, "Hủy duyệt để sửa số liệu")
	// Sent again and approved, so that the approved counts hold rows to judge.
	sub = mustActOnSubmission(t, s, w.reporter, w.round, f.district1, sub.Version, ActionSubmit, "")
	mustActOnSubmission(t, s, w.focal, w.round, f.district1, sub.Version, ActionApprove, "")
	sub = mustActOnSubmission(t, s, newUser(t, s, "cctdc@hcm.gov.vn", nscl.RoleReporter, f.implementer), w.round, f.implementer, 1, ActionSubmit, "")
	mustActOnSubmission(t, s, w.focal, w.round, f.implementer, sub.Version, ActionApprove, "")
	round, _, err := s.Round(ctx, w.round.ID)
	must("round", err)
	_, err = s.RoundActivityCounts(ctx, round, 0)
	must("round counts", err)
	_, err = s.RoundActivityCounts(ctx, round, f.district1.ID)
	must("a unit's round counts", err)
	_, err = s.RoundHistory(ctx, round.ID)
	must("round history", err)
	_, err = s.SubmissionHistory(ctx, round.ID, f.district1.ID)
	must("submission history", err)
	_, err = s.RoundSubmissions(ctx, prog)
	must("submissions", err)
	_, err = s.Rounds(ctx, prog)
	must("rounds", err)
	_, err = s.PeriodLocks(ctx, prog)
	must("locks", err)
	_, err = s.Activities(asReporter, prog, ActivityFilter{UnitID: f.district1.ID, From: round.PeriodStart, To: round.PeriodEnd, Limit: 5})
	must("a unit's activities of the round", err)

	// A unit moves to another parent; two enterprise records are merged
	// and the merger undone.
	must("move", s.Update(asFocal, func(tx *Tx) error {
		_, err := tx.MoveUnit(ctx, f.implementer.Code, f.district1.Code, day("2024-02-01"))
		return err
	}))
	from, into := w.enterprises[1], w.enterprises[2]
	must("merge", s.Update(asFocal, func(tx *Tx) error { return tx.MergeEnterprise(ctx, from.ID, into.ID) }))
	_, err = s.MergedInto(ctx, into.ID)
	must("merged into", err)
	must("unmerge", s.Update(asFocal, func(tx *Tx) error { return tx.UnmergeEnterprise(ctx, from.ID) }))

	// The figures of a unit and of the root, as the report and the
	// dashboard read them.
	_, err = s.LatestActivityYear(ctx, prog)
	must("latest year", err)
	for _, unit := range []nscl.OrgUnit{f.district1, f.ministry} {
		_, err = s.Figures(ctx, prog, unit.ID, 2021, 2023)
		must("figures", err)
		own := nscl.Boundaries{AsOf: day("2023-12-31"), Own: true}
		counted, err := s.Counted(ctx, unit.ID, own)
		must("counted", err)
		for _, o := range []FigureOptions{{ApprovedOnly: true, Boundaries: own, Units: counted.UnitIDs}, {SkipReach: true}} {
			_, err = s.FiguresWith(ctx, prog, unit.ID, 2021, 2023, o)
			must("figures with", err)
		}
		under, err := s.CountedByChild(ctx, unit.ID, own, counted)
		must("counted by child", err)
		groups := map[int64][]int64{}
		for _, id := range counted.UnitIDs {
			groups[under[id]] = append(groups[under[id]], id)
		}
		_, err = s.GroupYearTotals(ctx, prog, groups, 2022)
		must("group totals", err)
		_, err = s.UnitYearTotals(ctx, prog, counted.UnitIDs, 2022)
		must("unit totals", err)
		_, err = s.ActivityCounts(ctx, prog, CountFilter{Units: counted.UnitIDs, From: day("2022-01-01"), To: day("2022-12-31")})
		must("activity counts", err)
		_, err = s.ActivityCounts(ctx, prog, CountFilter{Units: counted.UnitIDs, From: day("2022-01-01"), To: day("2022-12-31"), Approved: true})
		must("approved activity counts", err)
		_, err = s.PortalFigures(ctx, prog, counted.UnitIDs, 2022)
		must("the portal's figures", err)
		cited := ActivityFilter{Units: counted.UnitIDs, Year: 2022, TaskGroup: "d", Oldest: true, Limit: 5}
		_, err = s.FirstOfEachUnit(ctx, prog, cited)
		must("first of each unit", err)
		_, err = s.Activities(ctx, prog, cited)
		must("first of a group", err)
		_, err = s.ReportTexts(ctx, prog, unit.ID, 2022)
		must("report texts", err)
	}

	// The lists pages read: a first page and the next, for each filter.
	for _, filter := range []ActivityFilter{{}, {Year: 2022}, {UnitID: f.district2.ID}, {UnderUnit: f.province.ID},
		{TaskGroup: "c", Year: 2023}, {Kind: nscl.KindTraining}, {Approved: true}, {From: day("2022-03-01"), To: day("2022-09-30")}} {
		filter.Limit = 20
		page, err := s.Activities(ctx, prog, filter)
		must("activities", err)
		filter.After = page.Next
		_, err = s.Activities(ctx, prog, filter)
		must("activities, next page", err)
	}
	for _, filter := range []EnterpriseFilter{{}, {Size: nscl.SizeSmall}, {Merged: true}} {
		filter.Limit = 20
		page, err := s.Enterprises(ctx, filter)
		must("registry", err)
		filter.After = page.Next
		_, err = s.Enterprises(ctx, filter)
		must("registry, next page", err)
	}
	e, err := s.EnterpriseByTaxCode(ctx, w.enterprises[3].TaxCode)
	must("enterprise", err)
	_, err = s.EnterpriseSupports(ctx, prog, e.ID)
	must("enterprise's activities", err)
	_, err = s.EnterprisesByTaxCode(ctx, []string{w.enterprises[4].TaxCode, w.enterprises[5].TaxCode})
	must("enterprises", err)
	call := w.calls[0].ID
	for _, filter := range []RegistrationFilter{{}, {CallID: call}, {CallID: call, Status: nscl.RegistrationPending}, {Status: nscl.RegistrationAccepted}} {
		filter.Limit = 20
		page, err := s.Registrations(ctx, filter)
		must("registrations", err)
		filter.After = page.Next
		_, err = s.Registrations(ctx, filter)
		must("registrations, next page", err)
	}
	_, err = s.RegistrationCounts(ctx, prog)
	must("registration counts", err)
	page, err := s.Registrations(ctx, RegistrationFilter{CallID: call, Status: nscl.RegistrationPending, Limit: 1})
	must("a registration", err)
	reg := page.Registrations[0]
	must("accept", s.Update(asFocal, func(tx *Tx) error { _, err := tx.AcceptRegistration(ctx, reg.ID, reg.Version); return err }))
	for _, filter := range []AuditFilter{{}, {UnitID: f.district1.ID}, {UserID: w.focal.ID}, {Entity: "activity"},
		{Entity: "activity", EntityID: fmt.Sprint(plain.ID)}, {Hidden: SignInFailure}, {Entity: SignInFailure},
		{From: day("2023-01-01"), To: day("2023-02-01")}} {
		filter.Limit = 20
		entries, err := s.AuditLog(ctx, filter)
		must("audit log", err)
		if len(entries) > 0 {
			filter.Before = entries[len(entries)-1].ID
			_, err = s.AuditLog(ctx, filter)
			must("audit log, next page", err)
		}
	}
	w.postWork()
	must("sign out", s.EndSession(ctx, secret))
}

// postWork is the portal's part: its public lists (a first page and the
// next), a post and its file, the staff's list, a post written, edited,
// published and deleted, and the views counted.
func (w *everyday) postWork() {
	t, s, prog := w.t, w.s, w.f.prog
	ctx := t.Context()
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	news, err := s.News(ctx, prog, "", 10)
	must("news", err)
	_, err = s.News(ctx, prog, news.Next, 10)
	must("news, next page", err)
	for _, text := range []string{"", "nang suat"} {
		page, err := s.Materials(ctx, prog, text, "", 10)
		must("materials", err)
		_, err = s.Materials(ctx, prog, text, page.Next, 10)
		must("materials, next page", err)
	}
	staff, err := s.StaffPosts(ctx, prog, "", 10)
	must("staff's posts", err)
	_, err = s.StaffPosts(ctx, prog, staff.Next, 10)
	must("staff's posts, next page", err)
	_, err = s.Post(ctx, prog, w.posts[0].ID)
	must("post", err)
	file, _, err := s.PostFile(ctx, prog, w.posts[2].FileID)
	must("file", err)
	_, err = io.ReadAll(s.FileContent(ctx, file))
	must("file's content", err)
	asFocal := WithActor(ctx, w.focal.ID)
	p := nscl.Post{UnitID: w.focal.UnitID, Kind: nscl.PostDocument, Title: "Tài liệu mới", Topic: "Năng suất", PublishedOn: day("2023-06-01")}
	must("create post", s.Update(asFocal, func(tx *Tx) error {
		return tx.CreatePost(ctx, prog, &p, &FileUpload{Name: "moi.pdf", Data: []byte("%PDF-1.7 mới")})
	}))
	p.Title = "Tài liệu mới (sửa)"
	must("update post", s.Update(asFocal, func(tx *Tx) error {
		return tx.UpdatePost(ctx, prog, &p, &FileUpload{Name: "moi-2.pdf", Data: []byte("%PDF-1.7 mới hơn")})
	}))
	must("publish", s.Update(asFocal, func(tx *Tx) error {
		var err error
		p, err = tx.SetPostState(ctx, prog, p.ID, p.Version, nscl.PostPublished)
		return err
	}))
	p.PublishedOn = day("2024-01-05")
	must("edit published", s.Update(asFocal, func(tx *Tx) error { return tx.UpdatePost(ctx, prog, &p, nil) }))
	must("delete post", s.Update(asFocal, func(tx *Tx) error { return tx.DeletePost(ctx, prog, p.ID, p.Version) }))
	must("views", s.AddPostCounts(ctx, map[int64]PostCounts{w.posts[0].ID: {Views: 3}, w.posts[2].ID: {Downloads: 1}}))
}

// checkPlans asks SQLite how it reads each statement traced, and fails
// for each one that reads a growing table whole, printing the statement
// and its plan.
func checkPlans(t *testing.T, s *Store, traced []tracedStatement, phase string) {
	t.Helper()
	c := &planChecker{t: t, db: s.write, indexes: map[string]indexInfo{}, rows: map[string]int{}}
	noTriggers(t, s.write)
	for _, st := range traced {
		if !explainable.MatchString(st.query) {
			continue
		}
		plan := c.plan(st)
		var found []string
		for i, step := range plan {
			table, why := c.offence(st.query, plan, i)
			if why == "" || byDesign(st.query, table) {
				continue
			}
			found = append(found, fmt.Sprintf("%s: %s", step.detail, why))
		}
		if len(found) > 0 {
			t.Errorf("%s, this statement reads a table that grows with the data from end to end:\n%s\nargs: %s\nplan:\n%s\nbecause:\n  %s",
				phase, shortened(oneLine(st.query), 600), shortened(fmt.Sprint(st.args), 200), planText(plan), strings.Join(found, "\n  "))
		}
	}
}

// readWhole are the statements of everyday work that read a growing table
// whole on purpose, by the beginning of their text and the table, and why.
var readWhole = []struct{ statement, table, why string }{
	{"SELECT r.call_id, r.status, COUNT(*) FROM registrations r", "registrations",
		"the calls page counts each call's registrations by status: one pass over the index (call_id, status, id) " +
			"of the programme's registrations, which grow with the calls made, not with the activities"},
}

// byDesign reports whether query reads table whole on purpose (readWhole).
func byDesign(query, table string) bool {
	return slices.ContainsFunc(readWhole, func(r struct{ statement, table, why string }) bool {
		return r.table == table && strings.HasPrefix(oneLine(query), r.statement)
	})
}

// explainable matches the statements SQLite can explain: what reads or
// writes rows.
var explainable = regexp.MustCompile(`(?is)^\s*(SELECT|INSERT|UPDATE|DELETE|WITH|REPLACE)\b`)

// planStep is one line of SQLite's plan.
type planStep struct {
	id, parent int
	detail     string
}

// indexInfo is what a plan's index names: its table and, for a partial
// index, the rows it holds.
type indexInfo struct {
	table, where string
}

type planChecker struct {
	t       *testing.T
	db      *sql.DB
	indexes map[string]indexInfo
	rows    map[string]int // rows of each table
}

func (c *planChecker) plan(st tracedStatement) []planStep {
	c.t.Helper()
	rows, err := c.db.QueryContext(c.t.Context(), "EXPLAIN QUERY PLAN "+st.query, st.args...)
	if err != nil {
		c.t.Fatalf("explain %s: %v", oneLine(st.query), err)
	}
	defer rows.Close()
	var plan []planStep
	for rows.Next() {
		var p planStep
		var unused int
		if err := rows.Scan(&p.id, &p.parent, &unused, &p.detail); err != nil {
			c.t.Fatal(err)
		}
		plan = append(plan, p)
	}
	if err := rows.Err(); err != nil {
		c.t.Fatal(err)
	}
	return plan
}

var (
	// "SCAN t", "SCAN t USING [COVERING] INDEX i": every row of t, or of
	// its index, however the scan is ordered (SQLite's "EXPLAIN QUERY
	// PLAN" documentation).
	scanStep = regexp.MustCompile(`^SCAN (\S+)(?: USING (?:COVERING )?INDEX (\S+))?`)
	// "SEARCH t USING [COVERING] INDEX i (a=? AND b>?)": the rows the
	// index's constraints select; "SEARCH t USING PRIMARY KEY (a=?)", of
	// a table without rowid, its own key's.
	searchStep = regexp.MustCompile(`^SEARCH (\S+) USING (?:(?:COVERING )?INDEX (\S+)|PRIMARY KEY) \((.*)\)$`)
	// "SEARCH t USING INTEGER PRIMARY KEY (rowid>?)".
	rowidStep = regexp.MustCompile(`^SEARCH (\S+) USING INTEGER PRIMARY KEY \((.*)\)$`)
	// An automatic index and a Bloom filter are built from every row of
	// their table, each time the statement runs.
	builtStep = regexp.MustCompile(`^(?:SEARCH (\S+) USING AUTOMATIC|BLOOM FILTER ON (\S+))`)
	equality  = regexp.MustCompile(`^(\w+)=\?$`)
)

// offence says which growing table step i of plan reads whole, and why;
// why is "" when it reads none.
func (c *planChecker) offence(query string, plan []planStep, i int) (table, why string) {
	detail := plan[i].detail
	var index, constraints string
	switch {
	case builtStep.MatchString(detail):
		m := builtStep.FindStringSubmatch(detail)
		if table = c.table(query, m[1]+m[2], ""); growingTables[table] {
			return table, "built from every row of " + table + " on each run"
		}
		return table, ""
	case scanStep.MatchString(detail):
		m := scanStep.FindStringSubmatch(detail)
		table, index = c.table(query, m[1], m[2]), m[2]
	case searchStep.MatchString(detail):
		m := searchStep.FindStringSubmatch(detail)
		table, index, constraints = c.table(query, m[1], m[2], columnsOf(m[3])...), m[2], m[3]
	case rowidStep.MatchString(detail):
		m := rowidStep.FindStringSubmatch(detail)
		table, constraints = c.table(query, m[1], ""), m[2]
		if constraints == "rowid=?" {
			return table, ""
		}
	default:
		return "", ""
	}
	if !growingTables[table] {
		return table, ""
	}
	// Inserting a row into a parent table, SQLite looks for the child rows
	// a deferred violation waits for only while one is outstanding: never,
	// with the schema's immediate keys (OP_FkIfZero skips the look-up).
	if m := insertInto.FindStringSubmatch(query); m != nil && c.references(table, m[1]) {
		return table, ""
	}
	var equal []string
	for term := range strings.SplitSeq(constraints, " AND ") {
		if m := equality.FindStringSubmatch(term); m != nil {
			equal = append(equal, m[1])
		}
	}
	// A search, or a scan of a partial index, is bounded when it finds
	// less than half the table here: one that finds more (all of a
	// programme, say) reads the table whole in all but name.
	if strings.HasPrefix(detail, "SEARCH") || c.index(index).where != "" {
		most, all := c.share(table, index, equal)
		if 2*most < all {
			return table, ""
		}
		if strings.HasPrefix(detail, "SEARCH") {
			if limitedWalk(query, plan, i) {
				return table, ""
			}
			return table, fmt.Sprintf("its look-up by (%s) finds up to %d of the %d rows of %s here", strings.Join(equal, ", "), most, all, table)
		}
	}
	if limitedWalk(query, plan, i) {
		return table, ""
	}
	return table, fmt.Sprintf("reads every row of %s", table)
}

// minJudged is the fewest rows a growing table must hold here for what a
// look-up finds of it to tell a bounded one from a pass over it all.
const minJudged = 20

// share returns the most rows of table (or of index's rows, for a partial
// index) that share a value of the columns equal, and the table's rows.
func (c *planChecker) share(table, index string, equal []string) (most, all int) {
	c.t.Helper()
	ctx := c.t.Context()
	all, ok := c.rows[table]
	if !ok {
		if err := c.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table).Scan(&all); err != nil {
			c.t.Fatal(err)
		}
		c.rows[table] = all
	}
	where := ""
	if w := c.index(index).where; w != "" {
		where = " WHERE " + w
	}
	query := `SELECT COUNT(*) FROM ` + table + where
	if len(equal) > 0 {
		query = `SELECT COALESCE(MAX(n), 0) FROM (SELECT COUNT(*) AS n FROM ` + table + where + ` GROUP BY ` + strings.Join(equal, ", ") + `)`
	}
	if err := c.db.QueryRowContext(ctx, query).Scan(&most); err != nil {
		c.t.Fatalf("%s: %v", query, err)
	}
	return most, all
}

// index is what the schema says of an index; the zero value for none.
func (c *planChecker) index(name string) indexInfo {
	c.t.Helper()
	if name == "" {
		return indexInfo{}
	}
	if info, ok := c.indexes[name]; ok {
		return info
	}
	var info indexInfo
	var definition sql.NullString
	err := c.db.QueryRowContext(c.t.Context(), `SELECT tbl_name, sql FROM sqlite_master WHERE type = 'index' AND name = ?`, name).Scan(&info.table, &definition)
	if err != nil {
		c.t.Fatalf("index %s: %v", name, err)
	}
	if _, w, ok := strings.Cut(definition.String, ") WHERE "); ok {
		info.where = w
	}
	c.indexes[name] = info
	return info
}

// references reports whether a foreign key of child names parent.
func (c *planChecker) references(child, parent string) bool {
	c.t.Helper()
	var n int
	err := c.db.QueryRowContext(c.t.Context(), `SELECT COUNT(*) FROM pragma_foreign_key_list(?) WHERE "table" = ?`, child, parent).Scan(&n)
	if err != nil {
		c.t.Fatal(err)
	}
	return n > 0
}

// table is the table a plan's step names: its index's, or the one the
// statement gives that name (itself or an alias) that has the columns
// given — a search by a table's own key names no index, and two parts of a
// statement may give the same alias to two tables.
func (c *planChecker) table(query, name, index string, columns ...string) string {
	if info := c.index(index); info.table != "" {
		return info.table
	}
	for _, m := range fromClause.FindAllStringSubmatch(query, -1) {
		if (strings.EqualFold(m[1], name) || strings.EqualFold(m[2], name) && !sqlWords[strings.ToUpper(m[2])]) && c.has(m[1], columns) {
			return strings.ToLower(m[1])
		}
	}
	return name
}

// has reports whether table has every one of columns.
func (c *planChecker) has(table string, columns []string) bool {
	c.t.Helper()
	for _, col := range columns {
		var n int
		if err := c.db.QueryRowContext(c.t.Context(), `SELECT COUNT(*) FROM pragma_table_info(?) WHERE name = ?`, table, col).Scan(&n); err != nil {
			c.t.Fatal(err)
		}
		if n == 0 {
			return false
		}
	}
	return true
}

// columnsOf are the columns a plan step's constraints name ("a=? AND b>?").
func columnsOf(constraints string) []string {
	var cols []string
	for term := range strings.SplitSeq(constraints, " AND ") {
		if m := constrained.FindStringSubmatch(term); m != nil {
			cols = append(cols, m[1])
		}
	}
	return cols
}

var constrained = regexp.MustCompile(`^(\w+)\W`)

var (
	fromClause = regexp.MustCompile(`(?i)\b(?:FROM|JOIN|UPDATE|INTO)\s+(\w+)(?:\s+(?:AS\s+)?(\w+))?`)
	sqlWords   = map[string]bool{"WHERE": true, "JOIN": true, "LEFT": true, "INNER": true, "CROSS": true, "ON": true, "USING": true,
		"GROUP": true, "ORDER": true, "LIMIT": true, "SET": true, "VALUES": true, "UNION": true, "NATURAL": true, "WINDOW": true,
		"DEFAULT": true, "SELECT": true, "RETURNING": true, "AND": true, "OR": true}
)

// limitedWalk reports whether step i is the first loop of a query (the
// statement, or a subquery of it) that ends in a LIMIT and sorts nothing:
// its rows come in the index's order and the walk stops at the LIMIT —
// a page of a list, or a count capped at a bound.
func limitedWalk(query string, plan []planStep, i int) bool {
	scope := plan[i].parent
	text := query
	if scope != 0 {
		j := slices.IndexFunc(plan, func(p planStep) bool { return p.id == scope })
		m := subqueryStep.FindStringSubmatch(plan[j].detail)
		if m == nil {
			return false
		}
		if text = subquery(query, m[1]); text == "" {
			return false
		}
	}
	if !topLimit.MatchString(outermost(text)) {
		return false
	}
	first := -1
	for j, p := range plan {
		if p.parent != scope {
			continue
		}
		if sorted.MatchString(p.detail) {
			return false
		}
		if first < 0 && (strings.HasPrefix(p.detail, "SCAN ") || strings.HasPrefix(p.detail, "SEARCH ")) {
			first = j
		}
	}
	return first == i
}

var (
	topLimit     = regexp.MustCompile(`(?i)\bLIMIT\b`)
	sorted       = regexp.MustCompile(`^USE TEMP B-TREE FOR .*(ORDER|GROUP) BY`)
	subqueryStep = regexp.MustCompile(`^(?:CO-ROUTINE|MATERIALIZE) (\w+)$`)
	insertInto   = regexp.MustCompile(`(?is)^\s*INSERT\s+INTO\s+(\w+)`)
)

// subquery is the text of the subquery query names name, "" when there is
// none: what the parentheses before "name" or "AS name" hold.
func subquery(query, name string) string {
	m := regexp.MustCompile(`\)\s+(?:(?i)AS\s+)?` + regexp.QuoteMeta(name) + `\b`).FindStringIndex(query)
	if m == nil {
		return ""
	}
	depth := 0
	for j := m[0]; j >= 0; j-- {
		switch query[j] {
		case ')':
			depth++
		case '(':
			if depth--; depth == 0 {
				return query[j+1 : m[0]]
			}
		}
	}
	return ""
}

// outermost is query without what its parentheses hold.
func outermost(query string) string {
	var b strings.Builder
	depth := 0
	for _, r := range query {
		switch {
		case r == '(':
			depth++
		case r == ')':
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// noTriggers fails when the schema holds a trigger: the statements of a
// trigger do not show in the plan of the statement that fires it, so this
// check would not see them (the schema keeps none since migration 00035).
func noTriggers(t *testing.T, db *sql.DB) {
	t.Helper()
	var names sql.NullString
	if err := db.QueryRowContext(t.Context(), `SELECT group_concat(name, ', ') FROM sqlite_master WHERE type = 'trigger'`).Scan(&names); err != nil {
		t.Fatal(err)
	}
	if names.Valid {
		t.Errorf("the schema holds triggers (%s), whose statements the check of plans does not see", names.String)
	}
}

// planText is a plan as SQLite's shell draws it, a step a line.
func planText(plan []planStep) string {
	depth := map[int]int{0: 0}
	var b strings.Builder
	for _, p := range plan {
		depth[p.id] = depth[p.parent] + 1
		fmt.Fprintf(&b, "%s%s\n", strings.Repeat("  ", depth[p.id]), p.detail)
	}
	return b.String()
}

// shortened is text cut to at most n bytes, between characters, marked
// where cut.
func shortened(text string, n int) string {
	if len(text) <= n {
		return text
	}
	for n > 0 && !utf8.RuneStart(text[n]) {
		n--
	}
	return text[:n] + " …"
}

// oneLine is a statement on one line, its spaces collapsed.
func oneLine(query string) string { return strings.Join(strings.Fields(query), " ") }
