package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"nscl"
	"nscl/store"
	"nscl/web"
)

func runUnit(ctx context.Context, args []string, stdout io.Writer) error {
	usage := usageError{"dùng (usage): nscl unit add|edit|close|list …"}
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
	st, err := openStore(ctx, *db, true)
	if err != nil {
		return err
	}
	defer st.Close()
	if ctx, err = actingAs(ctx, st, *as, nscl.User.RequireSetup); err != nil {
		return err
	}
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
// dates. A unit keeps its code, level and parent: moving it would move
// its past figures into another unit's reports.
func unitEdit(ctx context.Context, args []string, stdout io.Writer) error {
	fs, db := newFlags("unit edit")
	code := fs.String("code", "", "mã đơn vị cần sửa (unit code)")
	name := fs.String("name", "", "tên mới (new name)")
	shortName := fs.String("short-name", "", "tên viết tắt mới; \"\" để xóa (new short name)")
	opened := fs.String("opened", "", "ngày thành lập, dd/mm/yyyy; \"\" để xóa (opening date)")
	closed := fs.String("closed", "", "sửa ngày giải thể, dd/mm/yyyy; \"\" nếu giải thể nhầm (correct the closing date)")
	fs.String("parent", "", "không đổi được (cannot change): hãy giải thể đơn vị và thêm đơn vị kế tục dưới đơn vị cấp trên mới")
	as := asFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	set := setFlags(fs)
	if set["parent"] {
		return nscl.Invalid("parent", "đơn vị không chuyển sang đơn vị cấp trên khác được: số liệu các năm trước sẽ chuyển theo sang báo cáo của đơn vị kia; hãy giải thể đơn vị (nscl unit close) và thêm đơn vị kế tục dưới đơn vị cấp trên mới (nscl unit add)",
			"a unit does not move to another parent: its past figures would move into the other unit's reports; close it (nscl unit close) and add its successor under the new parent (nscl unit add)")
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
	st, err := openStore(ctx, *db, true)
	if err != nil {
		return err
	}
	defer st.Close()
	if ctx, err = actingAs(ctx, st, *as, nscl.User.RequireSetup); err != nil {
		return err
	}
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
func unitClose(ctx context.Context, args []string, stdout io.Writer) error {
	fs, db := newFlags("unit close")
	code := fs.String("code", "", "mã đơn vị (unit code)")
	on := fs.String("on", "", "ngày đầu tiên đơn vị không còn, dd/mm/yyyy (first day the unit no longer exists)")
	as := asFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	closedOn, err := nscl.ParseDate("on", *on)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, *db, true)
	if err != nil {
		return err
	}
	defer st.Close()
	if ctx, err = actingAs(ctx, st, *as, nscl.User.RequireSetup); err != nil {
		return err
	}
	var u nscl.OrgUnit
	err = st.Update(ctx, func(tx *store.Tx) error {
		var err error
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
	fmt.Fprintf(stdout, "Đã ghi nhận %s giải thể từ ngày %s. (Unit closed on %s.)\n", u.Name, dmy(u.ClosedOn), dmy(u.ClosedOn))
	return nil
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
