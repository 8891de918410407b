package nscl

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// PortalCounting says where what the public portal publishes and runs
// counts in a programme's totals, so that an article, a material or a
// class becomes an activity without anyone typing it again. Codes and
// letters are the programme's own; an empty metric counts nothing in
// figures (the activity is still itemised in words).
type PortalCounting struct {
	// CommunicationGroup is the task group letter of articles and
	// materials (the demo's b, communication).
	CommunicationGroup string `json:"communication_group"`
	ArticleMetric      string `json:"article_metric"`  // a published article adds 1 (demo: articles)
	VideoMetric        string `json:"video_metric"`    // a published video adds 1 (demo: videos)
	DocumentMetric     string `json:"document_metric"` // a published document adds 1; often none
	// ClassEnterprisesMetric takes a class's distinct enterprises present
	// (demo: training_enterprises, enterprise-visits trained), and
	// ClassTraineesMetric its attendees present (demo: trainees).
	ClassEnterprisesMetric string `json:"class_enterprises_metric"`
	ClassTraineesMetric    string `json:"class_trainees_metric"`
}

// Normalize puts the codes in NFC without surrounding spaces.
func (pc *PortalCounting) Normalize() {
	for _, s := range []*string{&pc.CommunicationGroup, &pc.ArticleMetric, &pc.VideoMetric, &pc.DocumentMetric,
		&pc.ClassEnterprisesMetric, &pc.ClassTraineesMetric} {
		*s = NormalizeText(*s)
	}
}

// Validate returns EINVALID, naming the field, for a task group or metric
// the programme does not have. A metric counted by distinct enterprises
// may take the class's enterprises, whose tax codes the activity lists.
func (pc *PortalCounting) Validate(prog *Programme) error {
	if pc.CommunicationGroup != "" {
		if _, ok := prog.TaskGroup(pc.CommunicationGroup); !ok {
			return Invalid("communication_group", "chương trình không có nhóm nhiệm vụ %q", "the programme has no task group %q", pc.CommunicationGroup)
		}
	}
	for _, f := range []struct{ field, code string }{
		{"article_metric", pc.ArticleMetric}, {"video_metric", pc.VideoMetric}, {"document_metric", pc.DocumentMetric},
		{"class_enterprises_metric", pc.ClassEnterprisesMetric}, {"class_trainees_metric", pc.ClassTraineesMetric},
	} {
		if f.code == "" {
			continue
		}
		m, ok := prog.Metric(f.code)
		if !ok {
			return Invalid(f.field, "chương trình không có chỉ tiêu hay số liệu mã %q", "the programme has no indicator or measure %q", f.code)
		}
		if m.Rule == RuleLast {
			return Invalid(f.field, "“%s” lấy giá trị mới nhất của mỗi đơn vị, không cộng dồn được từ cổng thông tin", "“%s” takes each unit's latest value and cannot add up what the portal counts", m.Name)
		}
	}
	return nil
}

// PublishesCommunication reports whether articles and materials can
// become activities: they need a task group to count in.
func (pc PortalCounting) PublishesCommunication() bool { return pc.CommunicationGroup != "" }

// PortalRefPrefix begins the Ref of every activity the portal writes
// (portal-post-12, portal-class-3): the portal keeps those activities in
// step with its articles, materials and classes.
const PortalRefPrefix = "portal-"

// PortalOwned reports whether an activity's Ref says the portal wrote it,
// so that it is changed through the article, material or class it comes
// from and never by hand, which the portal would undo or double. The Ref
// is read folded (portalFold): " Portal-Post-1" or a full-width
// "ｐｏｒｔａｌ-post-1" is no way around the rule.
func PortalOwned(ref string) bool { return strings.HasPrefix(portalFold(ref), PortalRefPrefix) }

// portalFold is ref in NFKC, lower case, without spaces or invisible
// format characters: what a row key looks like to a reader.
func portalFold(ref string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return unicode.ToLower(r)
	}, norm.NFKC.String(ref))
}

// ExchangePortalPrefix begins the row key an activity the portal wrote
// takes in an exchange file: "exchange:portal-post-12". The database that
// imports the file has neither its article nor its class, so there it is
// an ordinary activity, open to hand edits, whose key cannot meet those
// its own portal writes.
const ExchangePortalPrefix = "exchange:"

// ExchangeRef is the row key an activity is carried under between
// databases: its own, or for one the portal wrote (PortalOwned), the same
// behind ExchangePortalPrefix.
func ExchangeRef(ref string) string {
	if PortalOwned(ref) {
		return ExchangePortalPrefix + ref
	}
	return ref
}
