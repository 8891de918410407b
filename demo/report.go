package demo

import "nscl"

// ReportHead is the letterhead, recipients and signature of the 2022
// report, as the seed prints them. The report's number is left blank (the
// seed shows none).
func ReportHead() nscl.ReportHead {
	return nscl.ReportHead{
		ParentAgency: "Ủy ban nhân dân\nThành phố Hồ Chí Minh",
		Agency:       "Sở Khoa học và Công nghệ",
		AgencyName:   "Sở Khoa học và Công nghệ",
		AgencyShort:  "Sở KHCN",
		NumberSymbol: "Số:        /BC-SKHCN",
		Place:        "Thành phố Hồ Chí Minh",
		Date:         day(2022, 12, 31),
		Subject:      "Kết quả thực hiện năm 2022 của Chương trình Quốc gia hỗ trợ doanh nghiệp nâng cao năng suất và chất lượng sản phẩm, hàng hóa giai đoạn 2021 – 2030",
		RequestCitation: "Công văn số 3705/BKHCN-TĐC ngày 08 tháng 12 năm 2022 của Bộ Khoa học và Công nghệ về việc báo cáo kết quả thực hiện năm 2022 của " +
			"Chương trình Quốc gia hỗ trợ doanh nghiệp nâng cao năng suất và chất lượng sản phẩm, hàng hóa giai đoạn 2021 – 2030",
		Recipients:  []string{"Tổng cục TCĐLCL;", "UBND Thành phố;", "Giám đốc Sở KHCN (để b/c);", "P.KH-TC Sở KHCN;", "Chi cục TCĐLCL;", "Lưu: VT, TĐC.HĐ."},
		SignerTitle: "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
		SignerName:  "Nguyễn Thị Kim Huệ",
	}
}

// Narrative is the 2022 report's written parts (sections I.2, II.2, III and
// IV), quoted from the seed; Load stores them with the letterhead as the
// report's texts, which focal staff edit.
func Narrative() map[string]string {
	return map[string]string{
		"communication": "Trong năm 2022, trên địa bàn Thành phố đã triển khai thực hiện nhiệm vụ thông tin, truyền thông Chương trình dưới nhiều hình thức như: tổ chức hàng chục hội thảo giới thiệu, tuyên truyền, quảng bá về chương trình nâng suất chất lượng và các sự kiện có liên quan; rà soát, phân nhóm các tài liệu trực tuyến đã thực hiện trong giai đoạn 2016 – 2020 theo chủ đề để đăng tải trên trang thông tin, mạng xã hội của Sở KH-CN; viết tin, bài, đăng tải trên các trang thông tin, mạng xã hội của Sở KH-CN.",
		"obstacles":     "Trong quá trình thực hiện, Sở KH-CN đã tổng hợp một số vướng mắc tại Công văn số 1649/SKH-CN-TĐC ngày 09 tháng 6 năm 2022 (đính kèm) gửi Tổng cục Tiêu chuẩn Đo lường Chất lượng đề hướng dẫn một số thực hiện quy định tại Thông tư số 35/2021/TT-BTC tuy nhiên hiện tại Sở KH-CN chưa nhận được phản hồi.",
		"directions":    "Căn cứ theo các kết quả đạt được từ đầu Chương trình, trong năm 2023 cần phải tập trung nhiều hơn cho nhiệm vụ tập huấn, bồi dưỡng kiến thức nguồn nhân lực cho hoạt động nâng cao năng suất chất lượng và tăng cường năng lực hoạt động tiêu chuẩn hóa và đánh giá sự phù hợp với tiêu chuẩn, quy chuẩn kỹ thuật (hỗ trợ phòng thử nghiệm).",
		"solutions": "- Triển khai phối hợp với các đơn vị tham gia thực hiện nhiệm vụ rà soát, tổng hợp và gửi thông báo tới các cơ quan quận, huyện, một số sở ngành, hiệp hội doanh nghiệp về thông tin các khóa huấn luyện để phổ biến tới các doanh nghiệp được biết và đăng ký tham gia nếu có nhu cầu. Việc này nhằm đáp ứng công tác triển khai phối hợp giữa Sở KHCN và các cơ quan, đơn vị trên địa bàn thành phố và góp phần mở rộng quy mô triển khai chương trình và tăng số lượng doanh nghiệp tham gia chương trình.\n" +
			"- Chủ động ghi nhận các ý kiến góp ý của các cơ quan, đơn vị và doanh nghiệp, từ đó xây dựng các giải pháp thông tin, truyền thông mở rộng tới các đối tượng doanh nghiệp tại các khu chế xuất, khu công nghiệp, khối sinh viên tại một số trường đại học nhằm đảm bảo phù hợp với yêu cầu của kế hoạch 05 năm và phù hợp với tình hình thực tế tại địa phương; tổ chức các hoạt động giao lưu, học tập kinh nghiệm việc thực hiện Chương trình của các địa phương khác; xây dựng biểu mẫu thống kê đảm bảo việc tổng hợp số liệu phù hợp với mục tiêu đã đề ra.",
		"proposals": "Nhằm tạo điều kiện cho việc thực hiện các nhiệm vụ thuộc Chương trình được thuận lợi và xuyên suốt, Sở KHCN kiến nghị Bộ Khoa học và Công nghệ tổ chức các lớp tập huấn về việc triển khai các thực hiện nhiệm vụ cũng như hướng dẫn về việc xem xét, đề xuất các mức chi phù hợp nhằm đảm bảo các quy định của Thông tư số 35/2021/TT-BTC và các quy định khác./.",
	}
}
