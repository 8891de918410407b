package nscl

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// PostKind says what the public portal publishes: a news article, or a
// material of the library (a video, a document).
type PostKind string

const (
	PostArticle  PostKind = "article"
	PostVideo    PostKind = "video"
	PostDocument PostKind = "document"
)

// PostKinds lists the kinds in the order forms offer them.
var PostKinds = []PostKind{PostArticle, PostVideo, PostDocument}

var postKindLabels = map[PostKind]string{PostArticle: "tin bài", PostVideo: "video", PostDocument: "tài liệu"}

// Label names the kind in Vietnamese; an unknown kind is its code.
func (k PostKind) Label() string {
	if l, ok := postKindLabels[k]; ok {
		return l
	}
	return string(k)
}

// Material reports whether posts of the kind are in the materials library
// (grouped by topic) rather than the news.
func (k PostKind) Material() bool { return k == PostVideo || k == PostDocument }

// activityKind is the kind of the activity a published post becomes.
func (k PostKind) activityKind() ActivityKind {
	switch k {
	case PostArticle:
		return KindArticle
	case PostVideo:
		return KindVideo
	}
	return KindOther
}

// description is the activity's description, which the report's
// footnotes cite as they cite any activity's: what was published, where
// and when — "Tin bài “…” đăng trên cổng thông tin của Chương trình ngày
// 20/05/2027".
func (p *Post) description() string {
	where := "đăng trên cổng thông tin của Chương trình"
	word := "Tin bài"
	switch p.Kind {
	case PostVideo:
		word, where = "Video", "đăng trong thư viện tài liệu trên cổng thông tin của Chương trình"
	case PostDocument:
		word, where = "Tài liệu", "đăng trong thư viện tài liệu trên cổng thông tin của Chương trình"
	}
	return fmt.Sprintf("%s “%s” %s ngày %s", word, p.Title, where, p.PublishedOn.Format("02/01/2006"))
}

// PostState says whether the public sees a post.
type PostState string

const (
	PostDraft     PostState = "draft"
	PostPublished PostState = "published"
)

// Bounds of a post's fields.
const (
	MaxPostTitle   = 300
	MaxPostTopic   = 200
	MaxPostSummary = 1000
	MaxPostBody    = 50_000
	MaxVideoURL    = 2000
)

// Post is a news article or a material the portal publishes for a unit.
// Published, it counts as one activity of its unit on the day it was
// published (Activity), which it keeps in step with itself.
type Post struct {
	ID          int64     `json:"id"`
	ProgrammeID int64     `json:"programme_id"`
	UnitID      int64     `json:"unit_id"` // the publishing unit
	Kind        PostKind  `json:"kind"`
	Title       string    `json:"title"`
	Topic       string    `json:"topic"`   // free text; the library groups materials by it
	Summary     string    `json:"summary"` // a line or two for the lists
	Body        string    `json:"body"`    // plain text, paragraphs separated by blank lines
	VideoURL    string    `json:"video_url"`
	FileID      int64     `json:"file_id"` // the uploaded file; 0 for none
	PublishedOn time.Time `json:"published_on"`
	State       PostState `json:"state"`
	ActivityID  int64     `json:"activity_id"` // the activity it counts as, while published
	Views       int64     `json:"views"`
	Downloads   int64     `json:"downloads"`
	Version     int64     `json:"version"` // bumped on every change; a stale version is a conflict
}

// Published reports whether the public sees the post.
func (p Post) Published() bool { return p.State == PostPublished }

// Normalize puts the post's text in NFC, trimmed, with line breaks as "\n".
func (p *Post) Normalize() {
	lines := strings.NewReplacer("\r\n", "\n", "\r", "\n")
	p.Title = NormalizeText(p.Title)
	p.Topic = NormalizeText(p.Topic)
	p.Summary = NormalizeText(lines.Replace(p.Summary))
	p.Body = NormalizeText(lines.Replace(p.Body))
	p.VideoURL = strings.TrimSpace(p.VideoURL)
	if p.State == "" {
		p.State = PostDraft
	}
}

// ValidatePost checks a post against its programme and returns every
// mistake it finds (Errors), one per field. The store checks what needs
// the database: the unit, the file, where the portal counts.
func ValidatePost(p *Post, prog *Programme) error {
	var errs Errors
	if p.UnitID == 0 {
		errs.Add(Required("unit"))
	}
	switch p.Kind {
	case PostArticle, PostVideo, PostDocument:
	case "":
		errs.Add(Required("kind"))
	default:
		errs.Add(Invalid("kind", "loại %q không hợp lệ (tin bài, video hoặc tài liệu)", "kind %q is not valid (article, video or document)", p.Kind))
	}
	if blank(p.Title) {
		errs.Add(Required("title"))
	} else {
		errs.Add(CheckText("title", p.Title, MaxPostTitle))
	}
	if p.Kind.Material() && blank(p.Topic) {
		errs.Add(Invalid("topic", "bắt buộc: thư viện tài liệu xếp video, tài liệu theo chủ đề", "required: the library groups videos and documents by topic"))
	} else {
		errs.Add(CheckText("topic", p.Topic, MaxPostTopic))
	}
	errs.Add(CheckMultiline("summary", p.Summary, MaxPostSummary))
	if p.Kind == PostArticle && blank(p.Body) {
		errs.Add(Invalid("body", "bắt buộc: tin bài cần có nội dung", "required: an article needs a text"))
	} else {
		errs.Add(CheckMultiline("body", p.Body, MaxPostBody))
	}
	switch {
	case p.Kind == PostVideo && p.VideoURL == "":
		errs.Add(Invalid("video_url", "bắt buộc: video cần có liên kết", "required: a video needs a link"))
	case p.Kind != PostVideo && p.VideoURL != "":
		errs.Add(Invalid("video_url", "chỉ video mới có liên kết video", "only a video has a video link"))
	case p.VideoURL != "":
		errs.Add(CheckVideoURL("video_url", p.VideoURL))
	}
	if p.Kind == PostDocument && p.FileID == 0 {
		errs.Add(Invalid("file", "bắt buộc: tài liệu cần có tệp đính kèm", "required: a document needs a file"))
	}
	switch {
	case p.State != PostDraft && p.State != PostPublished:
		errs.Add(Invalid("state", "trạng thái %q không hợp lệ", "state %q is not valid", p.State))
	case p.PublishedOn.IsZero() && p.Published():
		errs.Add(Invalid("published_on", "bắt buộc khi đăng", "required to publish"))
	case !p.PublishedOn.IsZero() && !prog.ContainsYear(p.PublishedOn.Year()):
		errs.Add(Invalid("published_on", "ngày %s nằm ngoài giai đoạn chương trình %d–%d", "date %s is outside the programme %d–%d",
			p.PublishedOn.Format("02/01/2006"), prog.StartYear, prog.EndYear))
	}
	return errs.Err()
}

// CheckVideoURL accepts a web address (http or https, with a host) and
// nothing else: the page shows it as a link, and a javascript: or data:
// address there would run in the reader's browser.
func CheckVideoURL(field, raw string) error {
	if err := CheckText(field, raw, MaxVideoURL); err != nil {
		return err
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return Invalid(field, "liên kết phải là địa chỉ web bắt đầu bằng http:// hoặc https://", "the link must be a web address starting with http:// or https://")
	}
	return nil
}

// PostRef is the Ref of the activity a published post counts as.
func PostRef(postID int64) string { return fmt.Sprintf("%spost-%d", PortalRefPrefix, postID) }

// PortalSource is the Source of the activities the portal writes.
const PortalSource = "Cổng thông tin của Chương trình"

// Activity is what the published post counts as: one activity of its unit
// on the day it was published, in the portal's communication group, with
// 1 of the metric pc gives its kind (none when pc gives none: it is then
// itemised in words only). The caller sets its ID and version.
func (p *Post) Activity(pc PortalCounting) Activity {
	a := Activity{ProgrammeID: p.ProgrammeID, UnitID: p.UnitID, Date: p.PublishedOn, TaskGroup: pc.CommunicationGroup,
		Kind: p.Kind.activityKind(), Description: p.description(),
		Source: fmt.Sprintf("%s, %s số %d", PortalSource, p.Kind.Label(), p.ID), Ref: PostRef(p.ID)}
	metric := map[PostKind]string{PostArticle: pc.ArticleMetric, PostVideo: pc.VideoMetric, PostDocument: pc.DocumentMetric}[p.Kind]
	if metric != "" {
		a.Quantities = []Quantity{{Metric: metric, Value: 1}}
	}
	return a
}

// RequirePublishing returns EINVALID, on field state, when the programme's
// portal has no task group for articles and materials to count in: a post
// published then would count nowhere, and the totals would not say it.
func RequirePublishing(pc PortalCounting) error {
	if pc.PublishesCommunication() {
		return nil
	}
	return Invalid("state", "chưa đăng được: Chương trình chưa chọn nhóm nhiệm vụ tính tin bài, tài liệu của cổng thông tin (thiết lập, mục cổng thông tin: communication_group)",
		"cannot publish: the programme has not chosen the task group the portal's articles and materials count in (set-up, portal: communication_group)")
}

// RefuseHandWrite returns EFORBIDDEN, on field ref, when one of refs is
// that of an activity the portal writes (PortalOwned): such an activity
// changes with the article, material or class it comes from, and a change
// by hand would be undone or counted twice. The store asks it of every
// activity write that is not the portal's own, of the stored activity's
// Ref and of the one sent; forms and imports ask it first to say so early.
func RefuseHandWrite(refs ...string) error {
	for _, ref := range refs {
		if !PortalOwned(ref) {
			continue
		}
		rest := strings.TrimPrefix(portalFold(ref), PortalRefPrefix)
		e := &Error{Code: EFORBIDDEN, Field: "ref"}
		switch {
		case strings.HasPrefix(rest, "post-"):
			e.Message = "hoạt động này do cổng thông tin ghi khi đăng một tin bài, tài liệu; hãy sửa, gỡ hoặc xóa tin bài, tài liệu đó ở trang “Quản lý tin bài, tài liệu” (/posts)"
			e.English = "this activity is written by the portal when an article or material is published; change, unpublish or delete that post under “Manage articles and materials” (/posts)"
		case strings.HasPrefix(rest, "class-"):
			e.Message = "hoạt động này do cổng thông tin ghi từ một lớp học; hãy sửa hoặc xóa lớp học đó trên cổng thông tin"
			e.English = "this activity is written by the portal from a class; change or delete that class on the portal"
		default:
			e.Message = "hoạt động này do cổng thông tin ghi (mã dòng bắt đầu bằng “" + PortalRefPrefix + "”); hãy sửa trên cổng thông tin"
			e.English = "this activity is written by the portal (its row key begins with “" + PortalRefPrefix + "”); change it on the portal"
		}
		return e
	}
	return nil
}

// CanSeePosts reports whether u may read the portal's drafts and the
// staff's list of posts: everyone who reads every unit's work.
func (u User) CanSeePosts() bool { return u.CanSeeAllUnits() }

// CanWritePosts reports whether u may write, publish and delete the
// posts of unitID: the unit's own focal staff, who speak for it.
func (u User) CanWritePosts(unitID int64) bool { return u.Role == RoleFocal && u.UnitID == unitID }

// RequirePostWriting returns EFORBIDDEN unless u may write unitID's posts.
func (u User) RequirePostWriting(unitID int64) error {
	if u.CanWritePosts(unitID) {
		return nil
	}
	return Forbidden("chỉ cán bộ đầu mối của đơn vị được viết, đăng và xóa tin bài, tài liệu của đơn vị", "only the unit's focal staff may write, publish and delete its articles and materials")
}

// Slug is the title as a web address's words: lower case, no diacritics,
// hyphens between words, at most 60 characters ("Hội thảo năng suất" →
// "hoi-thao-nang-suat"). Pages put it after the ID, which alone finds the post.
func Slug(title string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range SearchKey(title) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
			if b.Len() >= 60 {
				break
			}
			continue
		}
		hyphen = true
	}
	return b.String()
}

// Paragraphs splits plain text into paragraphs at blank lines, each a list
// of its lines, for a page to print without reading any markup in it.
func Paragraphs(text string) [][]string {
	var out [][]string
	for _, block := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		var lines []string
		for _, l := range strings.Split(block, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				lines = append(lines, l)
			}
		}
		if len(lines) > 0 {
			out = append(out, lines)
		}
	}
	return out
}

// Excerpt is the first characters of text, cut at a space, for a list
// that shows a post without a summary.
func Excerpt(text string, limit int) string {
	text = strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(text) <= limit {
		return text
	}
	runes := []rune(text)[:limit]
	cut := string(runes)
	if i := strings.LastIndexByte(cut, ' '); i > 0 {
		cut = cut[:i]
	}
	return cut + " …"
}
