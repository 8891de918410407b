package demo

import "maps"

// ReportSettings are the department's report settings, which start every
// new year's report: the letterhead, the symbol after the number (the
// seed shows no number; the department's own letters carry
// "/SKH-CN-TĐC"), the recipients as the seed types them, copies count and
// drafter's initials included, and the signer.
func ReportSettings() map[string]string {
	return map[string]string{
		"parent_agency": "Ủy ban nhân dân\nThành phố Hồ Chí Minh",
		"agency":        "Sở Khoa học và\nCông nghệ",
		"agency_name":   "Sở Khoa học và Công nghệ",
		"agency_short":  "Sở KHCN",
		"number":        "SKH-CN-TĐC",
		"place":         "Thành phố Hồ Chí Minh",
		"recipients":    "- Tổng cục TCĐLCL;\n- UBND Thành phố;\n- Giám đốc Sở KHCN (để b/c);\n- P.KH-TC Sở KHCN;\n- Chi cục TCĐLCL;\n- Lưu: VT, TĐC.HĐ.4. ha",
		"signer_title":  "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
		"signer_name":   "Nguyễn Thị Kim Huệ",
	}
}

// ReportTexts2022 are the parts of the 2022 report written for that year:
// its letterhead, recipients and signer (the settings, kept with the
// report as issued), its subject, the Ministry's request it answers, and
// its narrative. The issue date is left for the department to set when it signs.
func ReportTexts2022() map[string]string {
	texts := Narrative()
	maps.Copy(texts, ReportSettings())
	texts["subject"] = "Kết quả thực hiện năm 2022 của Chương trình Quốc gia hỗ trợ doanh nghiệp nâng cao năng suất và chất lượng sản phẩm, hàng hóa giai đoạn 2021 – 2030"
	texts["request"] = "Công văn số 3705/BKHCN-TĐC ngày 08 tháng 12 năm 2022 của Bộ Khoa học và Công nghệ về việc báo cáo kết quả thực hiện năm 2022 của " +
		"Chương trình Quốc gia hỗ trợ doanh nghiệp nâng cao năng suất và chất lượng sản phẩm, hàng hóa giai đoạn 2021 – 2030"
	return texts
}

// Narrative is the 2022 report's written parts, quoted from the seed with
// every number and citation the data hold written as a placeholder
// ({trainees}, {văn bản 2869/QĐ-UBND}, {chú thích} …; see package report),
// so that the figures come from the activities and the registry. Load
// stores them with the letterhead as the report's texts, which focal staff
// edit.
func Narrative() map[string]string {
	return map[string]string{
		"direction": "a) Về xây dựng kế hoạch triển khai thực hiện:" +
			"\n" + "{căn cứ 1322/QĐ-TTg}" +
			"\n" + "{căn cứ 36/QĐ-TTg}" +
			"\n" + "Ủy ban nhân dân Thành phố đã chỉ định Sở KHCN là cơ quan đầu mối[^Quyết định số 3962/QĐ-UBND ngày 23/10/2020 của UBND Thành phố Hồ Chí Minh về việc chỉ định cơ quan đầu mối thực hiện các nhiệm vụ của Chương trình Quốc gia hỗ trợ doanh nghiệp nâng cao năng suất và chất lượng sản phẩm, hàng hóa giai đoạn 2021 – 2030; Quyết định số 1193/QĐ-UBND ngày 07/4/2021 của UBND Thành phố Hồ Chí Minh về việc chỉ định đơn vị đầu mối tổ chức thực hiện Kế hoạch tổng thể nâng cao năng suất dựa trên nền tảng khoa học, công nghệ và đổi mới sáng tạo giai đoạn 2021 – 2030.] tham mưu tổ chức thực hiện các nhiệm vụ." +
			"\n" + "Qua quá trình nghiên cứu nội dung của Quyết định số 1322/QĐ-TTg và Quyết định số 36/QĐ-TTg, Sở KHCN đã tham mưu cho Ủy ban nhân dân Thành phố ban hành Quyết định số 299/QĐ-UBND về việc ban hành Kế hoạch tổng thể nâng cao năng suất và chất lượng dựa trên nền tảng khoa học, công nghệ và đổi mới sáng tạo của Thành phố Hồ Chí Minh giai đoạn 2021 – 2025 trên cơ sở lồng ghép Quyết định số 36/QĐ-TTg và Quyết định số 1322/QĐ-TTg và nhiệm vụ “Khảo sát, đánh giá về khả năng và nhu cầu áp dụng các tiêu chuẩn, hệ thống quản lý trong sản xuất tại các doanh nghiệp” thuộc {văn bản 2869/QĐ-UBND} về ban hành Chương trình phát triển công nghiệp hỗ trợ trên địa bàn Thành phố Hồ Chí Minh từ năm 2019 đến năm 2025." +
			"\n" + "Theo đó, hằng năm giao Sở KH-CN chủ động xây dựng và tổ chức thực hiện hiệu quả các nhiệm vụ của kế hoạch; chủ trì, phối hợp với tổ chức, doanh nghiệp triển khai thực hiện." +
			"\n" + "Ngày 23 tháng 6 năm 2022, Sở KH-CN đã ban hành Kế hoạch số 1904/KH-SKH-CN – Kế hoạch tổng thể nâng cao năng suất và chất lượng dựa trên nền tảng khoa học, công nghệ và đổi mới sáng tạo của Thành phố Hồ Chí Minh năm 2022 lồng ghép thực hiện với nhiệm vụ hỗ trợ doanh nghiệp nhỏ và vừa nâng cao năng suất chất lượng và đổi mới sáng tạo thuộc {văn bản 672/QĐ-UBND} về phê duyệt Đề án Hỗ trợ phát triển hệ sinh thái khởi nghiệp đổi mới sáng tạo Thành phố Hồ Chí Minh giai đoạn 2021 – 2025." +
			"\n" + "b) Về xây dựng văn bản quản lý điều hành:" +
			"\n" + "- Sở KH-CN đã ban hành Thông báo số 1905/TB-SKH-CN ngày 23 tháng 9 năm 2022 về việc mời đăng ký tham gia thực hiện các nhiệm vụ hỗ trợ doanh nghiệp nâng cao năng suất và chất lượng dựa trên nền tảng khoa học, công nghệ và đổi mới sáng tạo của Thành phố Hồ Chí Minh năm 2022; Văn bản số 2749/SKH-CN-KHTC ngày 08 tháng 9 năm 2022 về việc hướng dẫn tổ chức thực hiện nhiệm vụ khoa học và công nghệ tại Sở từ kinh phí nhiệm vụ không thường xuyên. Trong đó, văn bản có phân loại các nhiệm vụ và quy trình thực hiện, mô tả chi tiết các bước thực hiện, hướng dẫn định mức chi đối với một số nội dung, hướng dẫn thực hiện quyết toán và một số biểu mẫu..." +
			"\n" + "- Sở KH-CN đã ban hành Công văn số 4225/KH-CN-TĐC ngày 22 tháng 12 năm 2022 về việc báo cáo tình hình thực hiện hỗ trợ doanh nghiệp nâng cao năng suất chất lượng năm 2022 gửi một số Sở ban ngành và Ủy ban nhân dân các quận huyện và Thành phố Thủ Đức yêu cầu rà soát và báo cáo các hoạt động đã thực hiện liên quan đến Kế hoạch số 299/QĐ-UBND ngày 21 tháng 01 năm 2022 của Ủy ban nhân dân Thành phố." +
			"\n" + "c) Về thực hiện lồng ghép các nhiệm vụ của chương trình trong các nhiệm vụ, đề án, chương trình khác tại thành phố:" +
			"\n" + "Như vậy, đối với Quyết định số 299/QĐ-UBND ngày 21 tháng 01 năm 2022 ban hành kế hoạch thực hiện trong giai đoạn 5 năm, Ủy ban nhân dân Thành phố đã thực hiện lồng ghép Quyết định số 1322/QĐ-TTg ngày 31 tháng 8 năm 2020 và Quyết định số 36/QĐ-TTg ngày 11 tháng 01 năm 2021 của Thủ tướng Chính phủ và nhiệm vụ “Khảo sát, đánh giá về khả năng và nhu cầu áp dụng các tiêu chuẩn, hệ thống quản lý trong sản xuất tại các doanh nghiệp” thuộc Quyết định số 2869/QĐ-UBND ngày 05 tháng 7 năm 2019 của Ủy ban nhân dân Thành phố." +
			"\n" + "Đối với việc xây dựng Kế hoạch năm 2022, Sở KH-CN đã lồng ghép thêm nhiệm vụ “Hỗ trợ doanh nghiệp nhỏ và vừa nâng cao năng suất chất lượng và đổi mới sáng tạo” thuộc Quyết định số 672/QĐ-UBND ngày 01 tháng 3 năm 2021 của Ủy ban nhân dân Thành phố.",
		"communication": "Trong năm 2022, trên địa bàn Thành phố đã triển khai thực hiện nhiệm vụ thông tin, truyền thông Chương trình dưới nhiều hình thức như: tổ chức hàng chục hội thảo giới thiệu, tuyên truyền, quảng bá về chương trình nâng suất chất lượng và các sự kiện có liên quan; rà soát, phân nhóm các tài liệu trực tuyến đã thực hiện trong giai đoạn 2016 – 2020 theo chủ đề để đăng tải trên trang thông tin, mạng xã hội của Sở KH-CN; viết tin, bài, đăng tải trên các trang thông tin, mạng xã hội của Sở KH-CN.",
		"group_b": "Năm {năm}, trên địa bàn thành phố đã triển khai một số hoạt động như:" +
			"\n" + "- Tổ chức Hội thảo phổ biến, hướng dẫn đăng ký thực hiện hỗ trợ doanh nghiệp theo Kế hoạch Tổng thể nâng cao năng suất và chất lượng dựa trên nền tảng khoa học, công nghệ và đổi mới sáng tạo của Thành phố Hồ Chí Minh năm 2022. Qua đó, hội nghị đã đón tiếp {attendees} đại biểu đại diện các Sở, Ban, Ngành, Ủy ban nhân dân quận/huyện, Thành phố Thủ Đức; đại diện doanh nghiệp, tổ chức, cá nhân tư vấn/ đào tạo; hiệp hội doanh nghiệp, hiệp hội ngành nghề; đại diện một số doanh nghiệp trên địa bàn Thành phố Hồ Chí Minh. Ngoài ra, thông qua hình thức live stream trực tiếp thực hiện trên fanpage Sở KH-CN và nền tảng Google Meet, hội thảo đã thu hút được: {livestream_views} lượt xem, {livestream_reach} lượt người tiếp cận, {livestream_live} lượt người dự trực tiếp (fanpage), {online_participants} người tham dự (Google Meet)." +
			"\n" + "- Đã rà soát, phân nhóm {videos} video tài liệu trực tuyến để phục vụ xây dựng hệ thống tài liệu khóa học trực tuyến." +
			"\n" + "- Thực hiện viết {articles} tin bài về tiêu chuẩn, đo lường, chất lượng, truy xuất nguồn gốc đăng trên trang thông tin điện tử của Sở KH-CN và các đơn vị trực thuộc." +
			"\n" + "- Tại các cơ quan, ban ngành đã tích cực chủ động triển khai hàng loạt các chương trình hội thảo, hội nghị có ý nghĩa thiết thực. Điển hình như Ủy ban nhân dân Thành phố Thủ Đức đã thực hiện: phối hợp với Hội Tin học thành phố Hồ Chí Minh, Hội Doanh nghiệp thành phố Thủ Đức ra mắt Câu lạc bộ phát triển và ứng dụng công nghệ số Thủ Đức (TDAC) vào ngày 08 tháng 4 năm 2022 với 10 doanh nghiệp hội viên để triển khai, kết nối, hỗ trợ chuyển đổi số cho doanh nghiệp thành phố Thủ Đức; phối hợp Vườn ươm Doanh nghiệp Công nghệ cao tổ chức Cuộc thi chuyển đổi số trong giáo dục “DigiTrans Edtech Hackathon”. Cuộc thi thu hút 50 dự án khởi nghiệp công nghệ và 247 dự án từ các trường THCS, THPT tại Thành phố Hồ Chí Minh và các tỉnh thành lân cận; phối hợp Ban Quản lý Khu công nghệ cao Thành phố Hồ Chí Minh tổ chức Hội thảo “Thúc đẩy hoạt động nghiên cứu phát triển và đổi mới sáng tạo kết nối đô thị thông minh tại thành phố Thủ Đức” vào ngày 19 tháng 10 năm 2022. Ngoài ra, một số quận huyện cũng tổ chức các số hội thảo như: hội thảo các hoạt động KH-CN và ĐMST với sự tham dự của 300 người; hội thảo áp dụng AI và công nghệ 4.0 để nâng cao hiệu quả quản lý của doanh nghiệp...",
		"group_c": "Năm {năm}, tổng số doanh nghiệp được hỗ trợ liên quan đến hoạt động tư vấn, hướng dẫn doanh nghiệp áp dụng các HTQL và công cụ, quy chuẩn, tiêu chuẩn kỹ thuật, các giải pháp nâng cao năng suất chất lượng là {enterprises_supported} doanh nghiệp{chú thích}.",
		"group_d": "Năm {năm}, thống kê về hoạt động bồi dưỡng, huấn luyện nguồn nhân lực cho hoạt động nâng cao năng suất chất lượng trên địa bàn thành phố là {training_enterprises} doanh nghiệp và {trainees} học viên{chú thích}." +
			"\n" + "Đối với chỉ tiêu đào tạo chuyên gia về năng suất chất lượng: số lượng chuyên gia năm 2021 – {năm} là {experts_trained lũy kế} lượt chuyên gia được lấy từ số liệu chuyên gia của GTCLQG. Đối tượng được đào tạo bao gồm những chuyên gia của các tổ chức tư vấn, đào tạo; nhân viên của các doanh nghiệp; cán bộ, công chức, viên chức làm việc tại các trường, viện, hiệp hội, tổ chức khoa học công nghệ, đơn vị sự nghiệp có trụ sở trên địa bàn Thành phố Hồ Chí Minh đã có nhiều kinh nghiệm hoạt động trong lĩnh vực ISO 9000, ISO 14001, ISO 22000, ISO/IEC 17025, chứng chỉ Lead Auditor (Chuyên gia đánh giá viên trưởng Hệ thống quản lý chất lượng ISO 9001:2008),...",
		"group_a":          "/",
		"group_đ":          "Năm {năm}, không có tổ chức thử nghiệm, phòng thử nghiệm được hỗ trợ.",
		"group_e":          "Sở KHCN thường xuyên chủ động tiếp nhận thông tin, phối hợp với Bộ Khoa học và Công nghệ giới thiệu các doanh nghiệp tham gia các Chương trình hợp tác quốc tế nếu có yêu cầu.",
		"evaluation_intro": "Năm {năm}, Sở KHCN đã đổi mới cách thức thực hiện và ban hành hướng dẫn mới cho việc triển khai thực hiện. Thông qua việc truyền thông, tuyên truyền bằng hình thức tổ chức hội nghị và đối thoại trực tiếp, các tổ chức, đơn vị cũng đã tiếp cận được thông tin và cách thức thực hiện. Do đó, các tổ chức, đơn vị cùng chia sẻ, đồng hành với Thành phố và Sở KHCN để phối hợp triển khai thực hiện các nhiệm vụ của Chương trình. Mặt khác, Ủy ban nhân dân các quận, huyện và các cơ quan sở, ban, ngành của thành phố cũng đã chủ động nỗ lực triển khai thực hiện các hoạt động tuyên truyền và hỗ trợ cho hàng trăm doanh nghiệp dưới nhiều hình thức, ngày càng đưa hoạt động nâng cao năng suất chất lượng tại các tổ chức, doanh nghiệp của thành phố phát triển thiết thực theo cả chiều rộng và chiều sâu.",
		"evaluation":       "{đánh giá} Tuy nhiên, năm {năm} là năm đầu tiên thực hiện các nhiệm vụ thuộc Chương trình, Sở KH-CN sẽ đổi mới trong cách thức thực hiện trong năm {năm sau} để phấn đấu đạt được mục tiêu đề ra so với kế hoạch 05 năm.",
		"directions": "Căn cứ theo các kết quả đạt được từ đầu Chương trình, trong năm {năm sau} cần phải tập trung nhiều hơn cho nhiệm vụ tập huấn, bồi dưỡng kiến thức nguồn nhân lực cho hoạt động nâng cao năng suất chất lượng và tăng cường năng lực hoạt động tiêu chuẩn hóa và đánh giá sự phù hợp với tiêu chuẩn, quy chuẩn kỹ thuật (hỗ trợ phòng thử nghiệm)." +
			"\n" + "Các nhiệm vụ của Kế hoạch năm {năm sau}:" +
			"\n" + "- Khảo sát, đánh giá khả năng và nhu cầu áp dụng các tiêu chuẩn, hệ thống quản lý trong sản xuất tại các doanh nghiệp công nghiệp hỗ trợ nhằm xây dựng danh mục tiêu chuẩn, hệ thống quản lý cần áp dụng cho các doanh nghiệp công nghiệp hỗ trợ." +
			"\n" + "{chỉ tiêu năm sau}" +
			"\n" + "- Truyền thông, tuyên truyền về năng suất, chất lượng." +
			"\n" + "- Đánh giá hiệu quả." +
			"\n" + "Năm {năm sau}, Sở KH-CN tiếp tục nghiên cứu đổi mới các cách thức thực hiện nhằm tiếp cận nhiều hơn tới các đối tượng để đảm bảo đạt các mục tiêu đề ra đặc biệt là chỉ tiêu của nhiệm vụ tập huấn, bồi dưỡng kiến thức nguồn nhân lực cho hoạt động nâng cao năng suất chất lượng đồng thời đạt yêu cầu về tính hiệu quả của nhiệm vụ.",
		"obstacles": "Trong quá trình thực hiện, Sở KH-CN đã tổng hợp một số vướng mắc tại Công văn số 1649/SKH-CN-TĐC ngày 09 tháng 6 năm 2022 (đính kèm) gửi Tổng cục Tiêu chuẩn Đo lường Chất lượng đề hướng dẫn một số thực hiện quy định tại Thông tư số 35/2021/TT-BTC tuy nhiên hiện tại Sở KH-CN chưa nhận được phản hồi.",
		"solutions": "- Triển khai phối hợp với các đơn vị tham gia thực hiện nhiệm vụ rà soát, tổng hợp và gửi thông báo tới các cơ quan quận, huyện, một số sở ngành, hiệp hội doanh nghiệp về thông tin các khóa huấn luyện để phổ biến tới các doanh nghiệp được biết và đăng ký tham gia nếu có nhu cầu. Việc này nhằm đáp ứng công tác triển khai phối hợp giữa Sở KHCN và các cơ quan, đơn vị trên địa bàn thành phố và góp phần mở rộng quy mô triển khai chương trình và tăng số lượng doanh nghiệp tham gia chương trình.\n" +
			"- Chủ động ghi nhận các ý kiến góp ý của các cơ quan, đơn vị và doanh nghiệp, từ đó xây dựng các giải pháp thông tin, truyền thông mở rộng tới các đối tượng doanh nghiệp tại các khu chế xuất, khu công nghiệp, khối sinh viên tại một số trường đại học nhằm đảm bảo phù hợp với yêu cầu của kế hoạch 05 năm và phù hợp với tình hình thực tế tại địa phương; tổ chức các hoạt động giao lưu, học tập kinh nghiệm việc thực hiện Chương trình của các địa phương khác; xây dựng biểu mẫu thống kê đảm bảo việc tổng hợp số liệu phù hợp với mục tiêu đã đề ra.",
		"proposals": "Nhằm tạo điều kiện cho việc thực hiện các nhiệm vụ thuộc Chương trình được thuận lợi và xuyên suốt, Sở KHCN kiến nghị Bộ Khoa học và Công nghệ tổ chức các lớp tập huấn về việc triển khai các thực hiện nhiệm vụ cũng như hướng dẫn về việc xem xét, đề xuất các mức chi phù hợp nhằm đảm bảo các quy định của Thông tư số 35/2021/TT-BTC và các quy định khác./.",
	}
}
