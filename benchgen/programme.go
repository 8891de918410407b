package benchgen

import (
	"fmt"

	"nscl"
)

// ProgrammeCode is the generated programme's code, the one `nscl serve`
// serves by default, so that a kept bench database can be browsed.
const ProgrammeCode = "NSCL"

// minMetrics is the fewest metrics that hold every counting rule.
const minMetrics = 4

// metricTemplates are the first metrics, in order: an indicator under each
// counting rule first (sum in visits of enterprises, distinct enterprises,
// sum, last value), then measures. Beyond them, sum measures are numbered.
var metricTemplates = []nscl.Metric{
	{Code: "training_enterprises", Kind: nscl.Indicator, Rule: nscl.RuleSum, TaskGroup: "d", Unit: "lượt doanh nghiệp",
		Name: "Tập huấn, bồi dưỡng kiến thức nguồn nhân lực cho hoạt động nâng cao năng suất chất lượng"},
	{Code: "enterprises_supported", Kind: nscl.Indicator, Rule: nscl.RuleDistinct, TaskGroup: "c", Unit: "doanh nghiệp",
		Name: "Doanh nghiệp được hỗ trợ áp dụng tiêu chuẩn, hệ thống quản lý, công cụ cải tiến năng suất chất lượng"},
	{Code: "experts_trained", Kind: nscl.Indicator, Rule: nscl.RuleSum, TaskGroup: "d", Unit: "lượt chuyên gia",
		Name: "Huấn luyện, bồi dưỡng kiến thức cho chuyên gia"},
	{Code: "labs_strengthened", Kind: nscl.Indicator, Rule: nscl.RuleLast, TaskGroup: "đ", Unit: "phòng thử nghiệm",
		Name: "Phòng thử nghiệm được tăng cường năng lực"},
	{Code: "trainees", Kind: nscl.Measure, Rule: nscl.RuleSum, TaskGroup: "d", Unit: "học viên", Name: "Học viên được tập huấn, bồi dưỡng"},
	{Code: "attendees", Kind: nscl.Measure, Rule: nscl.RuleSum, TaskGroup: "b", Unit: "đại biểu", Name: "Đại biểu dự hội thảo, hội nghị"},
	{Code: "articles", Kind: nscl.Measure, Rule: nscl.RuleSum, TaskGroup: "b", Unit: "tin bài", Name: "Tin bài đăng trên trang thông tin"},
	{Code: "videos", Kind: nscl.Measure, Rule: nscl.RuleSum, TaskGroup: "b", Unit: "video", Name: "Video tài liệu trực tuyến"},
	{Code: "standards_applied", Kind: nscl.Measure, Rule: nscl.RuleSum, TaskGroup: "c", Unit: "lượt doanh nghiệp",
		Name: "Lượt doanh nghiệp áp dụng tiêu chuẩn, quy chuẩn kỹ thuật"},
	{Code: "cooperation_events", Kind: nscl.Measure, Rule: nscl.RuleSum, TaskGroup: "e", Unit: "sự kiện", Name: "Sự kiện hợp tác quốc tế về năng suất chất lượng"},
}

// programme is the national programme with cfg.Metrics metrics and the
// six task groups of Quyết định 1322/QĐ-TTg.
func programme(cfg Config) nscl.Programme {
	p := nscl.Programme{
		Code:      ProgrammeCode,
		Name:      "Chương trình quốc gia hỗ trợ doanh nghiệp nâng cao năng suất và chất lượng sản phẩm, hàng hóa (dữ liệu sinh ra để đo hiệu năng)",
		StartYear: cfg.FromYear,
		EndYear:   cfg.ToYear,
		TaskGroups: []nscl.TaskGroup{
			{Letter: "a", Name: "Hoàn thiện cơ chế, chính sách thúc đẩy hoạt động nâng cao năng suất chất lượng"},
			{Letter: "b", Name: "Tăng cường công tác thông tin, truyền thông về năng suất chất lượng"},
			{Letter: "c", Name: "Hỗ trợ doanh nghiệp áp dụng tiêu chuẩn, hệ thống quản lý, công cụ cải tiến năng suất chất lượng"},
			{Letter: "d", Name: "Đào tạo nguồn nhân lực cho hoạt động nâng cao năng suất chất lượng"},
			{Letter: "đ", Name: "Tăng cường năng lực hoạt động tiêu chuẩn hóa và đánh giá sự phù hợp"},
			{Letter: "e", Name: "Đẩy mạnh hợp tác quốc tế về năng suất chất lượng"},
		},
	}
	for i := range cfg.Metrics {
		if i < len(metricTemplates) {
			p.Metrics = append(p.Metrics, metricTemplates[i])
			continue
		}
		p.Metrics = append(p.Metrics, nscl.Metric{Code: fmt.Sprintf("measure_%02d", i+1), Kind: nscl.Measure, Rule: nscl.RuleSum, TaskGroup: "a",
			Unit: "văn bản", Name: fmt.Sprintf("Văn bản chính sách số %02d được ban hành", i+1)})
	}
	return p
}

// kinds and descriptions of an activity, by task group.
var kinds = map[string][]nscl.ActivityKind{
	"a": {nscl.KindOther},
	"b": {nscl.KindWorkshop, nscl.KindArticle, nscl.KindVideo},
	"c": {nscl.KindConsulting},
	"d": {nscl.KindTraining, nscl.KindExpertCourse},
	"đ": {nscl.KindLabSupport},
	"e": {nscl.KindOther, nscl.KindWorkshop},
}

var descriptions = map[string][]string{
	"a": {"Ban hành văn bản hướng dẫn thực hiện chương trình năng suất chất lượng"},
	"b": {"Hội thảo giới thiệu công cụ cải tiến năng suất", "Tin bài về doanh nghiệp điển hình áp dụng ISO 9001", "Video hướng dẫn áp dụng 5S"},
	"c": {"Tư vấn áp dụng hệ thống quản lý chất lượng ISO 9001", "Hỗ trợ doanh nghiệp áp dụng Lean, Kaizen"},
	"d": {"Lớp tập huấn kiến thức năng suất chất lượng cho doanh nghiệp", "Khóa đào tạo chuyên gia năng suất"},
	"đ": {"Hỗ trợ phòng thử nghiệm mở rộng phạm vi công nhận"},
	"e": {"Đoàn công tác trao đổi kinh nghiệm năng suất với đối tác nước ngoài"},
}
