package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"net/http"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"nscl"
)

func stringsOf[S ~string](xs ...S) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// keyValues lists, for each key prefix that templates complete with
// printf, every value the template may complete it with.
var keyValues = map[string][]string{
	"kind.":       stringsOf(nscl.ActivityKinds...),
	"role.":       stringsOf(nscl.Roles...),
	"status.":     stringsOf(nscl.StatusDraft, nscl.StatusSubmitted, nscl.StatusApproved, nscl.StatusReturned),
	"time.":       stringsOf(nscl.OnTime, nscl.Late, nscl.Missing, nscl.Pending),
	"st.":         stringsOf(nscl.StatusExceeded, nscl.StatusOnTrack, nscl.StatusBehind, nscl.StatusNotStarted, nscl.StatusNoTarget, nscl.StatusNoOwnTarget),
	"succession.": stringsOf(nscl.KindMerge, nscl.KindSplit, nscl.KindRename),
	"level.":      stringsOf(nscl.LevelMinistry, nscl.LevelProvince, nscl.LevelDepartment, nscl.LevelDistrict, nscl.LevelUnit),
	"signin.":     {reasonWrongPassword, reasonAddress, reasonAccountAddress, reasonUnderAttack},
}

var (
	reTCall   = regexp.MustCompile(`\.T\b`)
	reTKey    = regexp.MustCompile(`\.T\s+"([^"]*)"`)
	reTPrintf = regexp.MustCompile(`\.T\s+\(printf\s+"([^"]*)"`)
)

// templateKeys returns the catalogue keys the templates ask for, by
// template, with every printf-built key expanded over its known values.
func templateKeys(t *testing.T) map[string][]string {
	t.Helper()
	names, err := fs.Glob(assets, "templates/*.html")
	if err != nil || len(names) == 0 {
		t.Fatalf("no templates: %v", err)
	}
	out := map[string][]string{}
	for _, name := range names {
		b, err := fs.ReadFile(assets, name)
		if err != nil {
			t.Fatal(err)
		}
		src := string(b)
		name = strings.TrimPrefix(name, "templates/")
		plain, built := reTKey.FindAllStringSubmatch(src, -1), reTPrintf.FindAllStringSubmatch(src, -1)
		if calls := len(reTCall.FindAllString(src, -1)); calls != len(plain)+len(built) {
			t.Errorf("%s: %d calls of T, of which %d with a literal key and %d with printf: this test cannot read the others", name, calls, len(plain), len(built))
		}
		for _, m := range plain {
			out[name] = append(out[name], m[1])
		}
		for _, m := range built {
			prefix, ok := strings.CutSuffix(m[1], "%s")
			if !ok || strings.Contains(prefix, "%") {
				t.Errorf("%s: T (printf %q …): this test reads only \"prefix.%%s\"", name, m[1])
				continue
			}
			values, ok := keyValues[prefix]
			if !ok {
				t.Errorf("%s: keys %q… are built from values this test does not know; add them to keyValues", name, prefix)
				continue
			}
			for _, v := range values {
				out[name] = append(out[name], prefix+v)
			}
		}
	}
	return out
}

func TestEveryTemplateKeyIsInTheCatalogue(t *testing.T) {
	keys := templateKeys(t)
	total := 0
	for name, list := range keys {
		total += len(list)
		for _, key := range list {
			if _, ok := catalogue[key]; !ok {
				t.Errorf("%s asks for %q, which the catalogue lacks", name, key)
			}
		}
	}
	if len(keys["layout.html"]) == 0 || len(keys["activity_form.html"]) == 0 || total < 100 {
		t.Errorf("only %d keys found (%d in layout.html): the scan is broken", total, len(keys["layout.html"]))
	}
}

// Handlers translate page titles with translate(lang, "key").
func TestEveryKeyTheHandlersUseIsInTheCatalogue(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	found := 0
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "translate" || len(call.Args) != 2 {
				return true
			}
			lit, ok := call.Args[1].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				t.Logf("%s: translate with a computed key; not checked", fset.Position(call.Pos()))
				return true
			}
			key, _ := strconv.Unquote(lit.Value)
			found++
			if _, ok := catalogue[key]; !ok {
				t.Errorf("%s: translate(…, %q): the catalogue lacks it", fset.Position(call.Pos()), key)
			}
			return true
		})
	}
	if found < 5 {
		t.Errorf("only %d translate calls found: the scan is broken", found)
	}
}

func TestCatalogueHasBothLanguagesInNFC(t *testing.T) {
	if len(catalogue) == 0 {
		t.Fatal("empty catalogue")
	}
	for key, texts := range catalogue {
		for i, lang := range []string{"Vietnamese", "English"} {
			text := texts[i]
			if strings.TrimSpace(text) == "" {
				t.Errorf("%s: no %s text", key, lang)
			}
			if !norm.NFC.IsNormalString(text) {
				t.Errorf("%s: the %s text %q is not NFC", key, lang, text)
			}
		}
	}
	for _, values := range keyValues {
		for _, v := range values {
			if v == "" {
				t.Error("an empty value in keyValues")
			}
		}
	}
}

func TestLanguageSwitch(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t, "focal@demo.local")
	en := func(key string) string { return translate(langEN, key) }
	vi := func(key string) string { return translate(langVI, key) }
	if en("nav.dashboard") != "Dashboard" || en("nav.logout") != "Sign out" {
		t.Fatalf("the English catalogue changed: %q, %q", en("nav.dashboard"), en("nav.logout"))
	}

	page := func() string {
		t.Helper()
		code, body := fetch(t, c, "GET", ts.URL+"/?year=2022", "", "")
		if code != 200 {
			t.Fatalf("dashboard: %d", code)
		}
		return body
	}
	before := page()
	if !strings.Contains(before, `<html lang="vi">`) || !strings.Contains(before, vi("nav.logout")) {
		t.Fatalf("the dashboard is not in Vietnamese by default")
	}

	resp, _ := send(t, c, "GET", ts.URL+"/lang/en", "", "")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Errorf("/lang/en: %d to %q, want 303 to /", resp.StatusCode, resp.Header.Get("Location"))
	}
	var cookie *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == "lang" {
			cookie = ck
		}
	}
	if cookie == nil || cookie.Value != langEN || cookie.Path != "/" || cookie.MaxAge <= 0 {
		t.Fatalf("/lang/en sets %v", cookie)
	}
	body := page()
	for _, want := range []string{`<html lang="en">`, en("nav.dashboard"), en("nav.logout"), en("dash.chart"), en("role.focal")} {
		if !strings.Contains(body, want) {
			t.Errorf("English dashboard lacks %q", want)
		}
	}
	for _, unwanted := range []string{vi("nav.dashboard"), vi("nav.logout"), vi("dash.chart")} {
		if strings.Contains(body, unwanted) {
			t.Errorf("English dashboard still says %q", unwanted)
		}
	}

	// Back to Vietnamese, returning to the page the switch was clicked on.
	resp, _ = send(t, c, "GET", ts.URL+"/lang/vi", "", "", "Referer", ts.URL+"/activities?year=2022")
	if resp.Header.Get("Location") != "/activities?year=2022" {
		t.Errorf("/lang/vi from the activity list goes to %q", resp.Header.Get("Location"))
	}
	body = page()
	if body != before {
		t.Errorf("after /lang/vi the dashboard differs from the Vietnamese one")
	}
	if strings.Contains(body, en("nav.logout")) {
		t.Errorf("Vietnamese dashboard says %q", en("nav.logout"))
	}

	// The switch never sends the reader to another site.
	resp, _ = send(t, c, "GET", ts.URL+"/lang/en", "", "", "Referer", "https://evil.example/phish")
	if resp.Header.Get("Location") != "/" {
		t.Errorf("/lang/en from another site goes to %q", resp.Header.Get("Location"))
	}

	// It works before signing in too.
	anon := ts.client(t, "")
	fetch(t, anon, "GET", ts.URL+"/lang/en", "", "")
	if _, login := fetch(t, anon, "GET", ts.URL+"/login", "", ""); !strings.Contains(login, en("login.title")) || strings.Contains(login, vi("login.password")) {
		t.Errorf("sign-in page after /lang/en is not in English")
	}
}

// rawKey finds text that looks like a catalogue key: what translate shows
// when the catalogue lacks one.
func rawKeyPattern() *regexp.Regexp {
	prefixes := map[string]bool{}
	for key := range catalogue {
		prefixes[regexp.QuoteMeta(key[:strings.Index(key, ".")])] = true
	}
	var list []string
	for p := range prefixes {
		list = append(list, p)
	}
	sort.Strings(list)
	return regexp.MustCompile(`(?:^|[^\w/.@-])((?:` + strings.Join(list, "|") + `)\.[a-z_]+)\b`)
}

func TestPagesAreNFCAndFullyTranslated(t *testing.T) {
	ts := newTestServer(t)
	focal, reporter := ts.client(t, "focal@demo.local"), ts.client(t, "thuduc@demo.local")
	pages := []struct {
		c    *http.Client
		path string
	}{
		{focal, "/?year=2022"}, {focal, "/activities?year=2022"}, {focal, "/rounds"}, {focal, "/rounds/1"}, {focal, "/rounds/new"},
		{focal, "/audit"}, {reporter, "/activities/new?round=1"}, {reporter, "/rounds/1"},
	}
	rawKey := rawKeyPattern()
	for _, lang := range []string{langVI, langEN} {
		for _, c := range []*http.Client{focal, reporter} {
			fetch(t, c, "GET", ts.URL+"/lang/"+lang, "", "")
		}
		for _, p := range pages {
			code, body := fetch(t, p.c, "GET", ts.URL+p.path, "", "")
			if code != 200 {
				t.Errorf("%s %s: %d", lang, p.path, code)
				continue
			}
			if !norm.NFC.IsNormalString(body) {
				for i, line := range strings.Split(body, "\n") {
					if !norm.NFC.IsNormalString(line) {
						t.Errorf("%s %s: line %d is not NFC: %q", lang, p.path, i+1, trim(line))
						break
					}
				}
			}
			for _, m := range rawKey.FindAllStringSubmatch(body, -1) {
				if _, ok := catalogue[m[1]]; !ok {
					t.Errorf("%s %s shows %q, which looks like a key missing from the catalogue", lang, p.path, m[1])
				}
			}
		}
	}
}
