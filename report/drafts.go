package report

import (
	"fmt"
	"strings"

	"nscl"
	"nscl/vnfmt"
)

// DefaultText is what a part says when nothing is written for it, for the
// year or as the unit's setting: a sentence made from the year's own data,
// or a marked blank where only a person can write. Nothing is taken from
// another year's texts. The report page shows it as the field's hint.
func DefaultText(in WordInput, key string) string {
	if in.Period != nil {
		if text, ok := summaryDefault(in, key); ok {
			return text
		}
	}
	r := in.Report
	switch key {
	case "subject":
		return fmt.Sprintf("Kết quả thực hiện năm %d của %s", r.Year, r.Programme.Name)
	case "request":
		if in.Request != nil {
			return strings.TrimSpace(in.Request.Citation() + " " + in.Request.Title)
		}
		return Blank(fmt.Sprintf("văn bản yêu cầu báo cáo kết quả năm %d", r.Year))
	case "agency":
		return r.Unit.Name
	case "parent_agency":
		return in.ParentName
	case "number":
		return Blank("ký hiệu văn bản")
	case "place":
		return Blank("địa danh")
	case "recipients":
		return Blank("nơi nhận")
	case "signer_title":
		return Blank("chức vụ người ký")
	case "signer_name":
		return Blank("họ tên người ký")
	case "direction":
		return "{căn cứ}\n" + Blank(fmt.Sprintf("công tác lãnh đạo, chỉ đạo, văn bản đã ban hành trong năm %d", r.Year))
	case "communication":
		return communicationText(in)
	case "evaluation_intro":
		return reportedText(in)
	case "evaluation":
		return "{đánh giá}"
	case "obstacles":
		return Blank(fmt.Sprintf("những tồn tại, vướng mắc trong năm %d", r.Year))
	case "directions":
		return directionsText(r)
	case "solutions":
		return Blank(fmt.Sprintf("giải pháp thực hiện năm %d", r.Year+1))
	case "proposals":
		return Blank("đề xuất, kiến nghị")
	}
	if letter, ok := strings.CutPrefix(key, "group_"); ok {
		return groupText(r, in.ByGroup[letter])
	}
	return ""
}

// groupText is a task group's point: its totals and the footnote of its
// activities, or one sentence saying it reported nothing. Only figures
// above zero are named, so a group never reads "0 video".
func groupText(r *Report, acts GroupActivities) string {
	switch {
	case acts.Count == 0:
		return "Năm {năm}, không có hoạt động nào thuộc nhóm nhiệm vụ này được báo cáo."
	case len(groupTotals(r, acts.Sums)) == 0:
		return "Năm {năm}, đã triển khai {số hoạt động} hoạt động{chú thích}."
	}
	return "Năm {năm}, đã triển khai {số hoạt động} hoạt động, với kết quả {kết quả}{chú thích}."
}

// communicationKinds are the kinds of activity that section I.2 counts,
// each with what such an activity does.
var communicationKinds = []struct {
	kind nscl.ActivityKind
	does string
}{{nscl.KindWorkshop, "tổ chức hội thảo, hội nghị"}, {nscl.KindArticle, "viết, đăng tin bài"}, {nscl.KindVideo, "thực hiện, phổ biến video"}}

// communicationText is section I.2: how many workshops, articles and
// videos the units reported, by kind.
func communicationText(in WordInput) string {
	counts := map[nscl.ActivityKind]int64{}
	var total int64
	for _, g := range in.ByGroup {
		for _, k := range communicationKinds {
			counts[k.kind] += g.Kinds[k.kind]
			total += g.Kinds[k.kind]
		}
	}
	if total == 0 {
		return "Năm {năm}, chưa có hoạt động thông tin, truyền thông nào (hội thảo, hội nghị, tin bài, video) được báo cáo."
	}
	var kinds []string
	for _, k := range communicationKinds {
		if n := counts[k.kind]; n > 0 {
			kinds = append(kinds, fmt.Sprintf("%s hoạt động %s", vnfmt.Count(n), k.does))
		}
	}
	return fmt.Sprintf("Năm {năm}, đã triển khai %s hoạt động thông tin, truyền thông, gồm %s; kết quả cụ thể nêu tại mục 3 dưới đây.", vnfmt.Count(total), joinVietnamese(kinds))
}

// reportedText opens section II.1: how many units reported how many
// activities in how many task groups.
func reportedText(in WordInput) string {
	var acts, groups int64
	for _, g := range in.ByGroup {
		if g.Count > 0 {
			groups++
		}
		acts += g.Count
	}
	if acts == 0 {
		return "Năm {năm}, chưa có hoạt động nào được báo cáo."
	}
	return fmt.Sprintf("Năm {năm}, %s đơn vị đã báo cáo %s hoạt động thuộc %s nhóm nhiệm vụ của Chương trình.",
		vnfmt.Count(in.Reporting), vnfmt.Count(acts), vnfmt.Count(groups))
}

// directionsText is section III.1: the indicators that need most effort,
// then next year's targets (or a blank when no plan sets them).
func directionsText(r *Report) string {
	var lagging, percents []string
	for _, ind := range r.Indicators {
		if ind.Status == nscl.StatusBehind || ind.Status == nscl.StatusNotStarted {
			lagging = append(lagging, lowerFirst(ind.Metric.Name))
			percents = append(percents, vnfmt.Percent(ind.CompletionPercent))
		}
	}
	focus := fmt.Sprintf("Căn cứ kết quả đạt được đến hết năm {năm}, các chỉ tiêu của %s đều đạt tiến độ.", r.Plan.Name)
	switch len(lagging) {
	case 0:
	case 1:
		focus = fmt.Sprintf("Căn cứ kết quả đạt được đến hết năm {năm}, trong năm {năm sau} cần tập trung nhiều hơn cho nhiệm vụ %s, mới đạt %s chỉ tiêu của Kế hoạch 05 năm.", lagging[0], percents[0])
	default:
		focus = fmt.Sprintf("Căn cứ kết quả đạt được đến hết năm {năm}, trong năm {năm sau} cần tập trung nhiều hơn cho các nhiệm vụ %s, mới đạt lần lượt %s chỉ tiêu của Kế hoạch 05 năm.",
			joinVietnamese(lagging), joinVietnamese(percents))
	}
	return focus + "\nChỉ tiêu của Kế hoạch năm {năm sau}:\n{chỉ tiêu năm sau}"
}

// nextYearTargets are the paragraphs of next year's targets.
func nextYearTargets(r *Report) []string {
	var out []string
	for _, ind := range r.Indicators {
		if ind.HasNextYearTarget {
			out = append(out, targetLine(ind.Metric, ind.NextYearTarget))
		}
	}
	return out
}

// targetLine is a target as section III lists it: "- <indicator>, mục tiêu 3.500 lượt doanh nghiệp."
func targetLine(m nscl.Metric, target int64) string {
	return fmt.Sprintf("- %s, mục tiêu %s %s.", m.Name, vnfmt.Count(target), m.Unit)
}

// noNextYearTargets is the blank left where next year's targets go when no
// annual plan for it sets any.
func noNextYearTargets(r *Report) string {
	next := r.Year + 1
	if r.NextPlan == nil {
		return Blank(fmt.Sprintf("chỉ tiêu năm %d — chưa có kế hoạch năm %d trong hệ thống", next, next))
	}
	return Blank(fmt.Sprintf("chỉ tiêu năm %d — %s chưa đặt chỉ tiêu nào", next, r.NextPlan.Name))
}
