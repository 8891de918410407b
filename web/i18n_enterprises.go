package web

import "nscl"

// enterpriseMessages are the texts of the registry's pages.
var enterpriseMessages = map[string][2]string{
	"ent.title":          {"Danh bạ doanh nghiệp", "Enterprise registry"},
	"ent.new":            {"Thêm doanh nghiệp", "Add an enterprise"},
	"ent.edit":           {"Sửa thông tin doanh nghiệp", "Edit the enterprise"},
	"ent.tax_code":       {"Mã số thuế", "Tax code"},
	"ent.tax_code_fixed": {"Mã số thuế không sửa được; nếu hai bản ghi là một doanh nghiệp, hãy gộp chúng.", "The tax code cannot be changed; if two records are one firm, merge them."},
	"ent.name":           {"Tên doanh nghiệp", "Name"},
	"ent.address":        {"Địa chỉ", "Address"},
	"ent.district":       {"Quận, huyện", "District"},
	"ent.sector":         {"Ngành (mã VSIC)", "Sector (VSIC code)"},
	"ent.sector_hint":    {"một chữ cái A–U, hoặc 2 đến 5 chữ số", "a letter A–U, or 2 to 5 digits"},
	"ent.sector_prefix":  {"Mã ngành bắt đầu bằng", "Sector code starting with"},
	"ent.size":           {"Quy mô", "Size"},
	"ent.contact":        {"Người liên hệ", "Contact"},
	"ent.contact_name":   {"Họ tên người liên hệ", "Contact person"},
	"ent.contact_email":  {"E-mail", "E-mail"},
	"ent.contact_phone":  {"Điện thoại", "Phone"},
	"ent.search":         {"Tìm (mã số thuế, tên, địa chỉ…)", "Search (tax code, name, address…)"},
	"ent.include_merged": {"Gồm cả bản ghi đã gộp", "Include merged records"},
	"ent.all":            {"Tất cả", "All"},
	"ent.count":          {"doanh nghiệp", "enterprises"},
	"ent.none":           {"Không có doanh nghiệp nào khớp bộ lọc.", "No enterprise matches the filter."},
	"ent.merged_mark":    {"đã gộp", "merged"},
	"ent.merged_into":    {"Bản ghi này đã được gộp vào doanh nghiệp", "This record is merged into"},
	"ent.merged_note":    {"Các hoạt động ghi mã số thuế này được tính cho doanh nghiệp đó.", "Activities naming this tax code count for that enterprise."},
	"ent.merged_from":    {"Các bản ghi đã gộp vào doanh nghiệp này", "Records merged into this one"},
	"ent.supports":       {"Các hỗ trợ đã nhận qua các năm, theo nhóm nhiệm vụ và đơn vị", "Every support received across years, by task group and unit"},
	"ent.no_supports":    {"Chưa có hoạt động nào ghi doanh nghiệp này là đối tượng thụ hưởng.", "No activity names this enterprise as a beneficiary yet."},
	"ent.year":           {"Năm", "Year"},
	"ent.by_group":       {"Số lượt hỗ trợ theo nhóm nhiệm vụ", "Supports by task group"},
	"ent.supports_count": {"lượt hỗ trợ", "supports"},
	"ent.hidden":         {"Số lượt hỗ trợ do đơn vị khác thực hiện (không hiển thị chi tiết):", "Supports given by other units (details not shown):"},
	"ent.merge":          {"Gộp bản ghi này vào doanh nghiệp có mã số thuế", "Merge this record into the enterprise with tax code"},
	"ent.merge_button":   {"Gộp", "Merge"},
	"ent.merge_hint":     {"Bản ghi này vẫn được giữ, đánh dấu đã gộp; quản trị viên có thể tách lại.", "This record is kept, marked as merged; an administrator can undo the merge."},
	"ent.unmerge":        {"Tách khỏi doanh nghiệp đã gộp", "Undo the merge"},
	"ent.existing":       {"Xem doanh nghiệp đã có mã số thuế này", "See the record with this tax code"},
	"ent.save":           {"Lưu", "Save"},
	"ent.latest":         {"Bản đang lưu", "Stored version"},
	"ent.details":        {"Thông tin doanh nghiệp", "Details"},
}

// sizeEnglish names the sizes in English; their Vietnamese names are the
// domain's (nscl.EnterpriseSize.Label).
var sizeEnglish = map[nscl.EnterpriseSize]string{
	nscl.SizeMicro: "micro", nscl.SizeSmall: "small", nscl.SizeMedium: "medium", nscl.SizeLarge: "large",
}

func init() {
	for k, v := range enterpriseMessages {
		catalogue[k] = v
	}
	for _, size := range nscl.EnterpriseSizes {
		catalogue["ent.size."+string(size)] = [2]string{size.Label(), sizeEnglish[size]}
	}
}
