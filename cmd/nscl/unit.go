package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"nscl"
	"nscl/store"
	"nscl/web"
)

func runUnit(ctx context.Context, args []string, stdout io.Writer) error {
	usage := usageError{"dùng (usage): nscl unit add|edit|close|move|list …"}
	if len(args) == 0 {
		return usage
	}
	switch args[0] {
	case "add":
		return unitAdd(ctx, args[1:], stdout)
	case "edit":
		return unitEdit(ctx, args[1:], stdout)
	case "close":
		return unitClose(ctx, args[1:], stdout)
	case "move":
		return unitMove(ctx, args[1:], stdout)
	case "list":
		return unitList(ctx, args[1:], stdout)
	}
	return usage
}

// unitFlags are the flags of the unit commands by the field the domain names.
var unitFlags = map[string]string{"short_name": "short-name", "opened_on": "opened", "closed_on": "closed", "unit": "code"}

func levelList() string {
	names := make([]string, len(nscl.UnitLevels))
	for i, l := range nscl.UnitLevels {
		names[i] = string(l)
	}
	return strings.Join(names, ", ")
}

// unitAdd adds a unit as the set-up page's form does.
func unitAdd(ctx context.Context, args []string, stdout io.Writer) error {
	fs, db := newFlags("unit add")
	code := fs.String("code", "", "mã đơn vị (unit code), ví dụ HCM-SYT")
	name := fs.String("name", "", "tên đơn vị (name)")
	shortName := fs.String("short-name", "", "tên viết tắt trong báo cáo (short name), ví dụ Sở Y tế")
	level := fs.String("level", "", "cấp (level): "+levelList())
	parent := fs.String("parent", "", "mã đơn vị cấp trên (parent unit code); bỏ trống cho bộ hoặc tỉnh ở gốc")
	opened := fs.String("opened", "", "ngày thành lập, dd/mm/yyyy (opening date), nếu sau khi chương trình bắt đầu")
	as := asFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	u := nscl.OrgUnit{Code: *code, Name: *name, ShortName: *shortName, Level: nscl.UnitLevel(strings.TrimSpace(*level))}
	var err error
	if u.OpenedOn, err = optionalDate("opened", *opened); err != nil {
		return err
	}
	st, ctx, err := openForSetup(ctx, *db, *as)
	if err != nil {
		return err
	}
	defer st.Close()
	err = st.Update(ctx, func(tx *store.Tx) error {
		u.ParentID = 0
		if strings.TrimSpace(*parent) != "" {
			p, err := tx.UnitByCode(ctx, *parent)
			if err != nil {
				return onFlag(err, "parent")
			}
			u.ParentID = p.ID
		}
		return tx.CreateUnit(ctx, &u)
	})
	if err != nil {
		return flagErrors(err, unitFlags)
	}
	fmt.Fprintf(stdout, "Đã thêm đơn vị %s — %s, cấp %s. (Unit added.)\n", u.Code, u.Name, label("level."+string(u.Level)))
	return nil
}

// unitEdit changes what the set-up page's unit form changes: names and
// dates. A unit keeps its code and level; it changes parent only with
// unit move, which keeps the date and the parent before.
func unitEdit(ctx context.Context, args []string, stdout io.Writer) error {
	fs, db := newFlags("unit edit")
	code := fs.String("code", "", "mã đơn vị cần sửa (unit code)")
	name := fs.String("name", "", "tên mới (new name)")
	shortName := fs.String("short-name", "", "tên viết tắt mới; \"\" để xóa (new short name)")
	opened := fs.String("opened", "", "ngày thành lập, dd/mm/yyyy; \"\" để xóa (opening date)")
	closed := fs.String("closed", "", "sửa ngày giải thể, dd/mm/yyyy; \"\" nếu giải thể nhầm (correct the closing date)")
	fs.String("parent", "", "không đổi ở đây (not here): dùng nscl unit move, để giữ lịch sử (use nscl unit move, which keeps the history)")
	as := asFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	set := setFlags(fs)
	if set["parent"] {
		return nscl.Invalid("parent", "đơn vị chuyển sang đơn vị cấp trên khác bằng nscl unit move --code MÃ --parent MÃ --on dd/mm/yyyy, để giữ lại đơn vị cấp trên trước đó",
			"a unit moves to another parent with nscl unit move --code CODE --parent CODE --on dd/mm/yyyy, which keeps the parent it had")
	}
	if !set["name"] && !set["short-name"] && !set["opened"] && !set["closed"] {
		return usageError{"cho biết cần sửa gì: --name, --short-name, --opened hoặc --closed (say what to change)"}
	}
	openedOn, err := optionalDate("opened", *opened)
	if err != nil {
		return err
	}
	closedOn, err := optionalDate("closed", *closed)
	if err != nil {
		return err
	}
	st, ctx, err := openForSetup(ctx, *db, *as)
	if err != nil {
		return err
	}
	defer st.Close()
	var u nscl.OrgUnit
	err = st.Update(ctx, func(tx *store.Tx) error {
		var err error
		if u, err = tx.UnitByCode(ctx, *code); err != nil {
			return err
		}
		if set["name"] {
			u.Name = *name
		}
		if set["short-name"] {
			u.ShortName = *shortName
		}
		if set["opened"] {
			u.OpenedOn = openedOn
		}
		if set["closed"] {
			u.ClosedOn = closedOn
		}
		return tx.UpdateUnit(ctx, &u)
	})
	if err != nil {
		return flagErrors(err, unitFlags)
	}
	fmt.Fprintf(stdout, "Đã sửa đơn vị %s — %s. (Unit changed.)\n", u.Code, u.Name)
	return nil
}

// unitClose records that a unit ceased to exist, as a merger or the end of
// the district level does; its history stays for the years it reported.
// With --successor it names the units its work goes on in (a merger, a
// split or a renaming), also for a unit already closed on that day.
func unitClose(ctx context.Context, args []string, stdout io.Writer) error {
	fs, db := newFlags("unit close")
	code := fs.String("code", "", "mã đơn vị (unit code)")
	on := fs.String("on", "", "ngày đầu tiên đơn vị không còn, dd/mm/yyyy (first day the unit no longer exists)")
	successors := fs.String("successor", "", "mã các đơn vị kế tục, cách nhau bởi dấu phẩy (successor unit codes, comma-separated)")
	asJSON := fs.Bool("json", false, "in JSON như POST /api/v1/units/{id}/close (print JSON as the API gives it)")
	as := asFlag(fs)
	st, ctx, closedOn, err := openForDatedChange(ctx, fs, args, on, db, as)
	if err != nil {
		return err
	}
	defer st.Close()
	var u nscl.OrgUnit
	err = st.Update(ctx, func(tx *store.Tx) error {
		var err error
		if setFlags(fs)["successor"] {
			u, err = tx.CloseUnitInto(ctx, *code, closedOn, splitCodes(*successors))
			return err
		}
		if u, err = tx.UnitByCode(ctx, *code); err != nil {
			return err
		}
		if err := u.Close(closedOn); err != nil {
			return err
		}
		return tx.UpdateUnit(ctx, &u)
	})
	if err != nil {
		return flagErrors(err, map[string]string{"closed_on": "on", "unit": "code"})
	}
	if *asJSON {
		return printUnitHistory(ctx, st, u, stdout)
	}
	fmt.Fprintf(stdout, "Đã ghi nhận %s giải thể từ ngày %s. (Unit closed on %s.)\n", u.Name, dmy(u.ClosedOn), dmy(u.ClosedOn))
	if setFlags(fs)["successor"] {
		fmt.Fprintf(stdout, "Đơn vị kế tục (successors): %s\n", strings.Join(splitCodes(*successors), ", "))
	}
	return nil
}

// unitMove moves a unit under another parent from a day on; the parent it
// had stays on file for the reports of the days before.
func unitMove(ctx context.Context, args []string, stdout io.Writer) error {
	fs, db := newFlags("unit move")
	code := fs.String("code", "", "mã đơn vị (unit code)")
	parent := fs.String("parent", "", "mã đơn vị cấp trên mới (new parent unit code)")
	on := fs.String("on", "", "ngày đầu tiên thuộc đơn vị cấp trên mới, dd/mm/yyyy (first day under the new parent)")
	asJSON := fs.Bool("json", false, "in JSON như POST /api/v1/units/{id}/move (print JSON as the API gives it)")
	as := asFlag(fs)
	st, ctx, movedOn, err := openForDatedChange(ctx, fs, args, on, db, as)
	if err != nil {
		return err
	}
	defer st.Close()
	var u nscl.OrgUnit
	err = st.Update(ctx, func(tx *store.Tx) error {
		var err error
		u, err = tx.MoveUnit(ctx, *code, *parent, movedOn)
		return err
	})
	if err != nil {
		return flagErrors(err, map[string]string{"unit": "code"})
	}
	if *asJSON {
		return printUnitHistory(ctx, st, u, stdout)
	}
	fmt.Fprintf(stdout, "Đã chuyển %s sang thuộc %s từ ngày %s. (Unit moved on %s.)\n", u.Name, *parent, dmy(movedOn), dmy(movedOn))
	return nil
}

// openForDatedChange parses the flags of a change to the tree that takes
// effect on a day (close, move), reads the day from the --on flag and
// opens the database for setup as --as says.
func openForDatedChange(ctx context.Context, fs *flag.FlagSet, args []string, on *string, db, as *string) (*store.Store, context.Context, time.Time, error) {
	if err := parse(fs, args); err != nil {
		return nil, ctx, time.Time{}, err
	}
	day, err := nscl.ParseDate("on", *on)
	if err != nil {
		return nil, ctx, time.Time{}, err
	}
	st, ctx, err := openForSetup(ctx, *db, *as)
	return st, ctx, day, err
}

// splitCodes splits a comma-separated list of unit codes, dropping blanks.
func splitCodes(s string) []string {
	var out []string
	for _, c := range strings.Split(s, ",") {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// printUnitHistory prints what the API answers after a close or a move.
func printUnitHistory(ctx context.Context, st *store.Store, u nscl.OrgUnit, stdout io.Writer) error {
	h, err := web.LoadUnitHistory(ctx, st, u.ID)
	if err != nil {
		return err
	}
	index, _, err := unitIndex(ctx, st)
	if err != nil {
		return err
	}
	return printJSON(stdout, web.UnitHistoryJSON(index, &u, h))
}

// unitList prints the tree, each unit under its parent, or with --json
// what GET /api/v1/units answers.
func unitList(ctx context.Context, args []string, stdout io.Writer) error {
	fs, db := newFlags("unit list")
	asJSON := fs.Bool("json", false, "in JSON như GET /api/v1/units (print JSON as the API gives it)")
	st, err := parseAndOpen(ctx, fs, db, args, true)
	if err != nil {
		return err
	}
	defer st.Close()
	index, list, err := unitIndex(ctx, st)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(stdout, web.UnitsJSON(index, list))
	}
	children := map[int64][]nscl.OrgUnit{}
	for _, u := range list {
		parent := u.ParentID
		if _, ok := index[parent]; !ok {
			parent = 0
		}
		children[parent] = append(children[parent], u)
	}
	var walk func(parent int64, depth int)
	walk = func(parent int64, depth int) {
		for _, u := range children[parent] {
			fmt.Fprintf(stdout, "%s%s — %s; %s", strings.Repeat("  ", depth), u.Code, u.Name, label("level."+string(u.Level)))
			if !u.OpenedOn.IsZero() {
				fmt.Fprintf(stdout, "; thành lập (opened) %s", dmy(u.OpenedOn))
			}
			if !u.ClosedOn.IsZero() {
				fmt.Fprintf(stdout, "; giải thể (closed) %s", dmy(u.ClosedOn))
			}
			fmt.Fprintln(stdout)
			walk(u.ID, depth+1)
		}
	}
	walk(0, 0)
	return nil
}
