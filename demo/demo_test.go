package demo

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"nscl"
	"nscl/vnfmt"
)

// The seed report, copied unchanged from the project's shared folder.
func seedText(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("testdata/seed_2022.txt")
	if err != nil {
		t.Fatal(err)
	}
	return strings.ToLower(nscl.NormalizeText(string(b)))
}

// sumOf adds up what the report's records give metric in year; the
// illustrative records are not the report's (TestEveryRecordIsTraceableToTheReport
// checks that none of them is the city's in the years the report covers).
func sumOf(specs []activitySpec, year int, metric string) int64 {
	var total int64
	for _, s := range specs {
		if s.date.Year() != year || Illustrative(s.source) {
			continue
		}
		for _, q := range s.quantities {
			if q.Metric == metric {
				total += q.Value
			}
		}
	}
	return total
}

func TestFootnoteTwoAddsUpTo336(t *testing.T) {
	var items int
	for _, s := range Activities() {
		if strings.HasPrefix(s.source, "Mục I.3.c, chú thích 2") {
			items++
		}
	}
	if items != 8 {
		t.Errorf("footnote 2 has 8 items, the demo %d", items)
	}
	if got := sumOf(Activities(), 2022, EnterprisesSupported); got != 336 {
		t.Errorf("enterprises supported in 2022: %d, the report says 336", got)
	}
}

func TestTaskGroupDReachesTheReportedTotals(t *testing.T) {
	all := Activities()
	if got := sumOf(all, 2022, TrainingEnterprises); got != 963 {
		t.Errorf("enterprise-visits trained in 2022: %d, the report says 963", got)
	}
	if got := sumOf(all, 2022, Trainees); got != 16192 {
		t.Errorf("trainees in 2022: %d, the report says 16.192", got)
	}
	if got := sumOf(all, 2022, ExpertsTrained); got != 41 {
		t.Errorf("experts in 2022: %d, the report says 41", got)
	}
	// 2021 is what the table's cumulative adds to 2022.
	for metric, want := range map[string]int64{TrainingEnterprises: 30, EnterprisesSupported: 11, ExpertsTrained: 30, LabsStrengthened: 0} {
		if got := sumOf(all, 2021, metric); got != want {
			t.Errorf("2021 %s: %d, want %d", metric, got, want)
		}
	}
}

// cityUnits are the codes of the city and every unit under it.
func cityUnits() map[string]bool {
	city := map[string]bool{UnitCity: true}
	for _, u := range Units() { // parents first
		if city[u.parent] {
			city[u.Code] = true
		}
	}
	return city
}

// A reviewer holding the report must find each record in it, except the
// illustrative ones, which say so and hold nothing the report covers:
// no activity of the city in 2021 or 2022.
func TestEveryRecordIsTraceableToTheReport(t *testing.T) {
	seed := seedText(t)
	city := cityUnits()
	refs := map[string]bool{}
	for _, s := range Activities() {
		if s.source == "" || s.ref == "" {
			t.Errorf("activity %q has no source or ref", s.description)
		}
		if refs[s.ref] {
			t.Errorf("ref %s used twice", s.ref)
		}
		refs[s.ref] = true
		reported := city[s.unit] && s.date.Year() <= 2022
		switch {
		case Illustrative(s.source) && reported:
			t.Errorf("%s: an illustrative record of %s in %d, a year the report covers", s.ref, s.unit, s.date.Year())
		case !Illustrative(s.source) && !reported:
			t.Errorf("%s: a record of %s in %d is not in the report, and its source does not say minh họa", s.ref, s.unit, s.date.Year())
		case !Illustrative(s.source) && !strings.HasPrefix(s.source, "Mục ") && !strings.HasPrefix(s.source, "Bảng mục "):
			t.Errorf("%s: source %q cites no part of the report", s.ref, s.source)
		}
		if strings.HasPrefix(s.source, "Mục I.3.c, chú thích") || strings.HasPrefix(s.source, "Mục I.3.d, chú thích") {
			// Footnote items keep the report's own words (first letter aside).
			words := strings.ToLower(nscl.NormalizeText(s.description))
			if !strings.Contains(seed, words[1:]) {
				t.Errorf("%s: description not found in the report: %q", s.ref, s.description)
			}
		}
	}
	for _, d := range Documents() {
		if !strings.Contains(seed, strings.ToLower(d.NumberSymbol())) {
			t.Errorf("document %s is not cited in the report", d.NumberSymbol())
		}
		if d.Source == "" {
			t.Errorf("document %s has no source", d.NumberSymbol())
		}
	}
	prog := Programme()
	for _, p := range Plans() {
		if p.plan.StartYear > 2025 {
			// The second phase comes after the report: its national plan
			// cites the programme's decision, the city's says it is
			// illustrative.
			if !strings.Contains(p.source, p.document) || p.document == "" && !strings.Contains(p.plan.Name, "(minh họa)") {
				t.Errorf("plan %s cites %q and says %q", p.plan.Name, p.document, p.source)
			}
			continue
		}
		for _, target := range p.plan.Targets {
			m, _ := prog.Metric(target.Metric)
			// The report writes "10.000 lượt doanh nghiệp", "3500 lượt doanh nghiệp", "05 phòng thử nghiệm".
			found := false
			for _, n := range []string{vnfmt.Int(target.Value), strconv.FormatInt(target.Value, 10), fmt.Sprintf("%02d", target.Value)} {
				found = found || strings.Contains(seed, n+" "+m.Unit)
			}
			if !found {
				t.Errorf("target %d %s of %s is not in the report", target.Value, m.Unit, p.plan.Name)
			}
		}
	}
}

func TestProgrammeDefinitionIsValid(t *testing.T) {
	p := Programme()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	var letters []string
	for _, g := range p.TaskGroups {
		letters = append(letters, g.Letter)
	}
	if strings.Join(letters, " ") != "a b c d đ e" {
		t.Errorf("task groups lettered %v", letters)
	}
}
