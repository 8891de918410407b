// Package demo loads the NSCL programme of Ho Chi Minh City as the 2022
// annual report of the Department of Science and Technology describes it
// (the seed): its documents, units, plans, targets and activities. Every
// record says where in that report it comes from, so that a reader holding
// the report can find it.
//
// Conventions the report forces on us, each written into the record's source:
//   - The report gives no date for most 2022 activities; those are dated
//     31/12/2022, the end of the reporting period.
//   - The report rarely names the unit that did an activity. Where it does
//     (Thủ Đức, the department itself) the unit is as stated; elsewhere the
//     unit is assumed from the field of the activity and marked "giả định".
//   - 2021 is known only through the results table (cumulative minus 2022),
//     so it is one activity per indicator.
//   - Footnote 3 does not itemise all of task group d; one activity, labelled
//     as such, holds the remainder so that the totals match the report.
package demo

import "nscl"

// ProgrammeCode is the code the demo programme is stored under.
const ProgrammeCode = "NSCL"

// Indicator and measure codes of the demo programme.
const (
	TrainingEnterprises  = "training_enterprises"
	EnterprisesSupported = "enterprises_supported"
	ExpertsTrained       = "experts_trained"
	LabsStrengthened     = "labs_strengthened"
	ExpertsCertified     = "experts_certified" // from 2026: the programme's second phase

	Trainees           = "trainees"
	Attendees          = "attendees"
	LivestreamViews    = "livestream_views"
	LivestreamReach    = "livestream_reach"
	LivestreamLive     = "livestream_live"
	OnlineParticipants = "online_participants"
	Articles           = "articles"
	Videos             = "videos"
)

// Programme returns the definition of the national programme of Quyết định
// 1322/QĐ-TTg: its six task groups and the four indicators of the report's
// table II.1, the indicator its second phase (2026–2030) adds, and the
// measures the report quotes without targets.
func Programme() nscl.Programme {
	return nscl.Programme{
		Code:      ProgrammeCode,
		Name:      "Chương trình Quốc gia hỗ trợ doanh nghiệp nâng cao năng suất và chất lượng sản phẩm, hàng hóa giai đoạn 2021 – 2030",
		StartYear: 2021,
		EndYear:   2030,
		// Section I.3 of the report, lettered as Quyết định 1322/QĐ-TTg letters them.
		TaskGroups: []nscl.TaskGroup{
			{Letter: "a", Name: "Hoàn thiện cơ chế, chính sách thúc đẩy hoạt động nâng cao năng suất chất lượng"},
			{Letter: "b", Name: "Tăng cường công tác thông tin, truyền thông về năng suất chất lượng"},
			{Letter: "c", Name: "Hỗ trợ doanh nghiệp áp dụng tiêu chuẩn, quy chuẩn kỹ thuật, hệ thống quản lý, công cụ cải tiến năng suất chất lượng, công cụ cho sản xuất thông minh, dịch vụ thông minh"},
			{Letter: "d", Name: "Đào tạo nguồn nhân lực cho hoạt động nâng cao năng suất chất lượng"},
			{Letter: "đ", Name: "Tăng cường năng lực hoạt động tiêu chuẩn hóa và đánh giá sự phù hợp với tiêu chuẩn, quy chuẩn kỹ thuật"},
			{Letter: "e", Name: "Đẩy mạnh hợp tác quốc tế về năng suất chất lượng"},
		},
		Metrics: []nscl.Metric{
			// The four rows of table II.1, in the report's order and words.
			{Code: TrainingEnterprises, Kind: nscl.Indicator, Rule: nscl.RuleSum, TaskGroup: "d", Unit: "lượt doanh nghiệp",
				Name: "Tập huấn, bồi dưỡng kiến thức nguồn nhân lực cho hoạt động nâng cao năng suất chất lượng"},
			{Code: EnterprisesSupported, Kind: nscl.Indicator, Rule: nscl.RuleSum, TaskGroup: "c", Unit: "doanh nghiệp",
				Name: "Hỗ trợ doanh nghiệp áp dụng tiêu chuẩn, quy chuẩn kỹ thuật, hệ thống quản lý, công cụ cải tiến năng suất chất lượng, công cụ cho sản xuất thông minh, dịch vụ thông minh"},
			{Code: ExpertsTrained, Kind: nscl.Indicator, Rule: nscl.RuleSum, TaskGroup: "d", Unit: "lượt chuyên gia",
				Name: "Huấn luyện bồi dưỡng kiến thức cho chuyên gia"},
			{Code: LabsStrengthened, Kind: nscl.Indicator, Rule: nscl.RuleSum, TaskGroup: "đ", Unit: "phòng thử nghiệm",
				Name: "Tăng cường năng lực hoạt động tiêu chuẩn hóa và đánh giá sự phù hợp với tiêu chuẩn, quy chuẩn kỹ thuật (Phòng thử nghiệm)"},
			// Quyết định 1322/QĐ-TTg sets internationally certified experts as
			// a target of the second phase only: no table before 2026 lists it.
			{Code: ExpertsCertified, Kind: nscl.Indicator, Rule: nscl.RuleSum, TaskGroup: "d", Unit: "chuyên gia", FirstYear: 2026,
				Name: "Chuyên gia được chứng nhận quốc tế"},
			// Measures quoted in sections I.3.b and I.3.d.
			{Code: Trainees, Kind: nscl.Measure, Rule: nscl.RuleSum, TaskGroup: "d", Unit: "học viên", Name: "Học viên được tập huấn, bồi dưỡng"},
			{Code: Attendees, Kind: nscl.Measure, Rule: nscl.RuleSum, TaskGroup: "b", Unit: "đại biểu", Name: "Đại biểu dự hội thảo, hội nghị"},
			{Code: LivestreamViews, Kind: nscl.Measure, Rule: nscl.RuleSum, TaskGroup: "b", Unit: "lượt xem", Name: "Lượt xem trực tuyến"},
			{Code: LivestreamReach, Kind: nscl.Measure, Rule: nscl.RuleSum, TaskGroup: "b", Unit: "lượt người tiếp cận", Name: "Lượt người tiếp cận"},
			{Code: LivestreamLive, Kind: nscl.Measure, Rule: nscl.RuleSum, TaskGroup: "b", Unit: "lượt người dự trực tiếp", Name: "Lượt người dự trực tiếp (fanpage)"},
			{Code: OnlineParticipants, Kind: nscl.Measure, Rule: nscl.RuleSum, TaskGroup: "b", Unit: "người tham dự", Name: "Người tham dự trực tuyến (Google Meet)"},
			{Code: Articles, Kind: nscl.Measure, Rule: nscl.RuleSum, TaskGroup: "b", Unit: "tin bài", Name: "Tin bài đăng trên trang thông tin"},
			{Code: Videos, Kind: nscl.Measure, Rule: nscl.RuleSum, TaskGroup: "b", Unit: "video", Name: "Video tài liệu trực tuyến được rà soát, phân nhóm"},
		},
	}
}

// PortalCounting is where the demo's portal counts: articles and videos in
// task group b's measures, a class's enterprises present as enterprise-
// visits trained (the indicator of table II.1) and its attendees present
// as trainees, as section I.3.d reports them. A document counts in no
// figure: the seed's report counts articles and videos only.
func PortalCounting() nscl.PortalCounting {
	return nscl.PortalCounting{CommunicationGroup: "b", ArticleMetric: Articles, VideoMetric: Videos,
		ClassEnterprisesMetric: TrainingEnterprises, ClassTraineesMetric: Trainees}
}
