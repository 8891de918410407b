package main

import (
	"context"
	"fmt"
	"io"

	"nscl"
	"nscl/demo"
	"nscl/store"
)

func runPortal(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "counting" {
		return usageError{"dùng (usage): nscl portal counting [--group LETTER] [--article-metric CODE] … (show, or set with flags)"}
	}
	return portalCounting(ctx, args[1:], stdout)
}

// portalFlags are the flags of nscl portal counting by the field the
// domain names (nscl.PortalCounting's JSON names), in the order shown.
var portalFlags = []struct{ field, flag, usage string }{
	{"communication_group", "group", "chữ cái nhóm nhiệm vụ tính tin bài, tài liệu (task group letter of articles and materials), ví dụ b"},
	{"article_metric", "article-metric", "mã chỉ tiêu/số liệu mỗi tin bài cộng 1 (metric an article adds 1 to)"},
	{"video_metric", "video-metric", "mã chỉ tiêu/số liệu mỗi video cộng 1 (metric a video adds 1 to)"},
	{"document_metric", "document-metric", "mã chỉ tiêu/số liệu mỗi tài liệu cộng 1 (metric a document adds 1 to)"},
	{"class_enterprises_metric", "class-enterprises-metric", "mã chỉ tiêu/số liệu nhận số doanh nghiệp có mặt ở lớp (metric of a class's enterprises present)"},
	{"class_trainees_metric", "class-trainees-metric", "mã chỉ tiêu/số liệu nhận số người có mặt ở lớp (metric of a class's attendees present)"},
}

// fieldOf returns the field of pc that a portalFlags entry names.
func fieldOf(pc *nscl.PortalCounting, field string) *string {
	return map[string]*string{"communication_group": &pc.CommunicationGroup, "article_metric": &pc.ArticleMetric,
		"video_metric": &pc.VideoMetric, "document_metric": &pc.DocumentMetric,
		"class_enterprises_metric": &pc.ClassEnterprisesMetric, "class_trainees_metric": &pc.ClassTraineesMetric}[field]
}

// portalCounting shows where the programme's portal counts, or, with any
// of its flags, changes what they give ("" for none) and keeps the rest,
// as the set-up page's portal section does: checked against the programme,
// audited.
func portalCounting(ctx context.Context, args []string, stdout io.Writer) error {
	fs, db := newFlags("portal counting")
	programme := fs.String("programme", demo.ProgrammeCode, "mã chương trình (programme code)")
	given := map[string]*string{}
	for _, f := range portalFlags {
		given[f.field] = fs.String(f.flag, "", f.usage+`; "" để bỏ (to clear)`)
	}
	as := asFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	set := setFlags(fs)
	changing := false
	for _, f := range portalFlags {
		changing = changing || set[f.flag]
	}
	var st *store.Store
	var err error
	if changing {
		st, ctx, err = openForSetup(ctx, *db, *as)
	} else {
		st, err = openStore(ctx, *db, true)
	}
	if err != nil {
		return err
	}
	defer st.Close()
	prog, err := st.ProgrammeByCode(ctx, *programme)
	if err != nil {
		return onFlag(err, "programme")
	}
	pc, err := st.PortalCounting(ctx, prog)
	if err != nil {
		return err
	}
	if changing {
		err = st.Update(ctx, func(tx *store.Tx) error {
			if pc, err = tx.PortalCounting(ctx, prog); err != nil {
				return err
			}
			for _, f := range portalFlags {
				if set[f.flag] {
					*fieldOf(&pc, f.field) = *given[f.field]
				}
			}
			return tx.SetPortalCounting(ctx, prog, pc)
		})
		if err != nil {
			flags := map[string]string{}
			for _, f := range portalFlags {
				flags[f.field] = f.flag
			}
			return flagErrors(err, flags)
		}
		fmt.Fprintln(stdout, "Đã lưu. (Saved.)")
	}
	pc.Normalize()
	for _, f := range portalFlags {
		code := *fieldOf(&pc, f.field)
		shown, key := "— (không tính, counts nowhere)", "setup.portal."+f.field
		if f.field == "communication_group" {
			key = "setup.portal_group"
			if g, ok := prog.TaskGroup(code); ok {
				shown = g.Letter + ") " + g.Name
			}
		} else if m, ok := prog.Metric(code); ok {
			shown = m.Code + " — " + m.Name + " (" + m.Unit + ")"
		}
		fmt.Fprintf(stdout, "  --%s: %s\n      %s\n", f.flag, label(key), shown)
	}
	return nil
}
