package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"nscl"
	"nscl/demo"
	"nscl/store"
	"nscl/web"
)

func runRound(ctx context.Context, args []string, stdout io.Writer) error {
	usage := usageError{"dùng (usage): nscl round open|list|close …"}
	if len(args) == 0 {
		return usage
	}
	switch args[0] {
	case "open":
		return roundOpen(ctx, args[1:], stdout)
	case "list":
		return roundList(ctx, args[1:], stdout)
	case "close":
		return roundClose(ctx, args[1:], stdout)
	}
	return usage
}

// roundOpen opens a round as the round form does, asking the units named,
// or every unit of the levels given that the round may ask.
func roundOpen(ctx context.Context, args []string, stdout io.Writer) error {
	fs, db := newFlags("round open")
	title := fs.String("title", "", "tiêu đề (title)")
	document := fs.String("document", "", "số/ký hiệu văn bản yêu cầu báo cáo (request document's number/symbol), ví dụ 4225/KH-CN-TĐC")
	from := fs.String("from", "", "ngày đầu kỳ báo cáo, dd/mm/yyyy (first day reported)")
	to := fs.String("to", "", "ngày cuối kỳ báo cáo, dd/mm/yyyy (last day reported)")
	deadline := fs.String("deadline", "", "hạn nộp, dd/mm/yyyy (deadline)")
	cutoff := fs.String("cutoff", "", "ngày chốt số liệu, dd/mm/yyyy (data cut-off date)")
	units := fs.String("units", "", "mã các đơn vị được yêu cầu, cách nhau bởi dấu phẩy (unit codes, comma-separated)")
	levels := fs.String("level", "", "hoặc: mọi đơn vị còn hoạt động trong kỳ ở các cấp này, ví dụ district,department (or every unit of these levels)")
	under := fs.String("under", "", "với --level: chỉ các đơn vị thuộc đơn vị này trong cây đơn vị cuối kỳ, ví dụ HCM (with --level: only the units under this one in the tree at the period's end)")
	programme := fs.String("programme", demo.ProgrammeCode, "mã chương trình (programme code)")
	as := asFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	unitsFlag := "units"
	switch {
	case *units != "" && *levels != "":
		return usageError{"dùng --units hoặc --level, không dùng cả hai (give --units or --level, not both)"}
	case *levels != "":
		unitsFlag = "level"
	case *units == "":
		return nscl.Invalid("units", "cần --units MÃ,MÃ… hoặc --level CẤP,…", "--units CODE,CODE… or --level LEVEL,… is required")
	}
	if *under != "" && *levels == "" {
		return usageError{"--under chỉ dùng cùng --level (--under goes with --level)"}
	}
	r := nscl.Round{Title: *title}
	for _, f := range []struct {
		flag, raw string
		into      *time.Time
	}{{"from", *from, &r.PeriodStart}, {"to", *to, &r.PeriodEnd}, {"deadline", *deadline, &r.Deadline}, {"cutoff", *cutoff, &r.Cutoff}} {
		var err error
		if *f.into, err = optionalDate(f.flag, f.raw); err != nil {
			return err
		}
	}
	wanted, err := parseLevels(*levels)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, *db, true)
	if err != nil {
		return err
	}
	defer st.Close()
	prog, err := st.ProgrammeByCode(ctx, *programme)
	if err != nil {
		return err
	}
	if ctx, err = actingAs(ctx, st, *as, nscl.User.RequireRounds); err != nil {
		return err
	}
	if *document != "" {
		docs, err := st.Documents(ctx)
		if err != nil {
			return err
		}
		doc, err := documentByNumber(docs, *document)
		if err != nil {
			return err
		}
		r.DocumentID = doc.ID
	}
	var byLevel []nscl.OrgUnit // every unit, for --level to choose from
	if len(wanted) > 0 {
		if byLevel, err = st.Units(ctx); err != nil {
			return err
		}
	}
	if *under != "" {
		// The units under it as the tree stood at the period's end: a
		// province absorbed later is not asked for the years before.
		top, err := st.UnitByCode(ctx, *under)
		if err != nil {
			return onFlag(err, "under")
		}
		counted, err := st.Counted(ctx, top.ID, nscl.Boundaries{AsOf: r.PeriodEnd, Own: true})
		if err != nil {
			return err
		}
		under := map[int64]bool{}
		for _, id := range counted.UnitIDs {
			under[id] = true
		}
		byLevel = slices.DeleteFunc(byLevel, func(u nscl.OrgUnit) bool { return !under[u.ID] })
	}
	err = st.Update(ctx, func(tx *store.Tx) error {
		r.UnitIDs = nil
		for _, code := range strings.Split(*units, ",") {
			if strings.TrimSpace(code) == "" {
				continue
			}
			u, err := tx.UnitByCode(ctx, code)
			if err != nil {
				return onFlag(err, "units")
			}
			r.UnitIDs = append(r.UnitIDs, u.ID)
		}
		for _, u := range byLevel {
			if wanted[u.Level] && r.MayAsk(u) {
				r.UnitIDs = append(r.UnitIDs, u.ID)
			}
		}
		return tx.CreateRound(ctx, prog, &r)
	})
	if err != nil {
		return flagErrors(err, map[string]string{"period_start": "from", "period_end": "to", "units": unitsFlag})
	}
	fmt.Fprintf(stdout, "Đã mở đợt báo cáo số %d: %s — %d đơn vị được yêu cầu báo cáo, hạn nộp %s. (Round %d opened: %d units asked, deadline %s.)\n",
		r.ID, r.Title, len(r.UnitIDs), dmy(r.Deadline), r.ID, len(r.UnitIDs), dmy(r.Deadline))
	return nil
}

// parseLevels reads --level's comma-separated levels.
func parseLevels(raw string) (map[nscl.UnitLevel]bool, error) {
	wanted := map[nscl.UnitLevel]bool{}
	for _, name := range strings.Split(raw, ",") {
		l := nscl.UnitLevel(strings.TrimSpace(name))
		if l == "" {
			continue
		}
		if !l.Valid() {
			return nil, nscl.Invalid("level", "cấp đơn vị %q không hợp lệ; dùng %s", "unit level %q is not valid; use %s", l, levelList())
		}
		wanted[l] = true
	}
	return wanted, nil
}

// documentByNumber finds the one document on file with the number and
// symbol typed.
func documentByNumber(docs []nscl.Document, ref string) (nscl.Document, error) {
	var found []nscl.Document
	for _, d := range docs {
		if d.HasNumber(ref) {
			found = append(found, d)
		}
	}
	switch len(found) {
	case 0:
		return nscl.Document{}, nscl.Invalid("document", "không có văn bản %s trong danh mục; thêm văn bản ở trang thiết lập (/setup)", "no document %s on file; add it on the set-up page (/setup)", ref)
	case 1:
		return found[0], nil
	}
	return nscl.Document{}, nscl.Invalid("document", "có %d văn bản cùng số %s", "%d documents have the number %s", len(found), ref)
}

// roundList prints each round with its submissions counted by status, or
// with --json what GET /api/v1/rounds answers.
func roundList(ctx context.Context, args []string, stdout io.Writer) error {
	fs, db := newFlags("round list")
	asJSON := fs.Bool("json", false, "in JSON như GET /api/v1/rounds (print JSON as the API gives it)")
	programme := fs.String("programme", demo.ProgrammeCode, "mã chương trình (programme code)")
	st, err := parseAndOpen(ctx, fs, db, args, true)
	if err != nil {
		return err
	}
	defer st.Close()
	prog, err := st.ProgrammeByCode(ctx, *programme)
	if err != nil {
		return err
	}
	rounds, err := st.Rounds(ctx, prog)
	if err != nil {
		return err
	}
	all, err := st.RoundSubmissions(ctx, prog)
	if err != nil {
		return err
	}
	index, _, err := unitIndex(ctx, st)
	if err != nil {
		return err
	}
	now := st.Now()
	if *asJSON {
		return printJSON(stdout, web.RoundsJSON(index, rounds, all, operator, now))
	}
	docs, err := st.Documents(ctx)
	if err != nil {
		return err
	}
	if len(rounds) == 0 {
		fmt.Fprintln(stdout, "Chưa có đợt báo cáo nào. (No reporting rounds.)")
	}
	for _, r := range rounds {
		fmt.Fprintf(stdout, "Đợt %d (round %d): %s\n", r.ID, r.ID, r.Title)
		fmt.Fprintf(stdout, "  kỳ báo cáo (period) %s – %s", dmy(r.PeriodStart), dmy(r.PeriodEnd))
		if !r.Cutoff.IsZero() {
			fmt.Fprintf(stdout, "; chốt số liệu (cut-off) %s", dmy(r.Cutoff))
		}
		state := "còn mở (open)"
		if r.Ended(now) {
			state = "đã kết thúc (ended)"
		}
		fmt.Fprintf(stdout, "; hạn nộp (deadline) %s, %s\n", dmy(r.Deadline), state)
		for _, d := range docs {
			if d.ID == r.DocumentID {
				fmt.Fprintf(stdout, "  văn bản (document): %s %s\n", d.Type, d.NumberSymbol())
			}
		}
		subs := all[r.ID]
		sent, expected := nscl.Completeness(subs)
		counts := nscl.StatusCounts(subs)
		var parts []string
		for _, status := range nscl.SubmissionStatuses {
			parts = append(parts, fmt.Sprintf("%s: %d", label("status."+string(status)), counts[status]))
		}
		fmt.Fprintf(stdout, "  đã gửi (sent) %d/%d — %s\n", sent, expected, strings.Join(parts, "; "))
	}
	return nil
}

// roundClose ends a round early: its deadline becomes the day given
// (nscl.Round.Close says what that changes, and what it does not).
func roundClose(ctx context.Context, args []string, stdout io.Writer) error {
	fs, db := newFlags("round close")
	id := fs.Int64("id", 0, "số đợt báo cáo, xem nscl round list (round number)")
	on := fs.String("on", "", "ngày kết thúc, dd/mm/yyyy; mặc định hôm nay (closing day; default today)")
	programme := fs.String("programme", demo.ProgrammeCode, "mã chương trình (programme code)")
	as := asFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if *id <= 0 {
		return nscl.Invalid("id", "cần --id của đợt báo cáo (xem nscl round list)", "--id of the round is required (see nscl round list)")
	}
	closeOn, err := optionalDate("on", *on)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, *db, true)
	if err != nil {
		return err
	}
	defer st.Close()
	if closeOn.IsZero() {
		today := st.Now().In(nscl.Local)
		closeOn = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	}
	prog, err := st.ProgrammeByCode(ctx, *programme)
	if err != nil {
		return err
	}
	if ctx, err = actingAs(ctx, st, *as, nscl.User.RequireRounds); err != nil {
		return err
	}
	var r nscl.Round
	err = st.Update(ctx, func(tx *store.Tx) error {
		var err error
		r, err = tx.CloseRound(ctx, prog, *id, closeOn)
		return err
	})
	if err != nil {
		return flagErrors(err, map[string]string{"deadline": "on", "cutoff": "on", "round": "id"})
	}
	fmt.Fprintf(stdout, "Đã kết thúc đợt báo cáo số %d: hạn nộp nay là %s; đơn vị chưa gửi bị tính là không nộp từ 0 giờ hôm sau, và vẫn gửi muộn được. (Round %d closed: its deadline is now %s; units that have not sent count as missing from the next midnight, and may still send late.)\n",
		r.ID, dmy(r.Deadline), r.ID, dmy(r.Deadline))
	return nil
}
