package report

import (
	"context"
	"maps"
	"slices"
	"strings"

	"nscl"
	"nscl/chart"
	"nscl/store"
)

// Gather collects what the Word report of a year needs: the results, the
// parts written for the year over the unit's settings, and the year's
// activities. A part written for neither is made from the year's data or
// left as a marked blank (DefaultText); last year's texts are only offered
// on the report page (Previous). The figures of the charts are read for
// the format asked (Request.Format) only when it draws them (ChartsOf):
// they read the totals year by year and unit by unit. The activities are
// cited as many as the format shows (citedOf). The annex is drawn
// from them by WriteDocument, the one writer that needs it.
func Gather(ctx context.Context, st *store.Store, req Request) (WordInput, error) {
	if req.CitedPerGroup == 0 {
		req.CitedPerGroup = citedOf(req.Format)
	}
	rep, err := Build(ctx, st, req)
	if err != nil {
		return WordInput{}, err
	}
	settings, err := st.ReportTexts(ctx, rep.Programme, rep.Unit.ID, nscl.SettingsYear)
	if err != nil {
		return WordInput{}, err
	}
	texts, err := st.ReportTexts(ctx, rep.Programme, rep.Unit.ID, rep.Year)
	if err != nil {
		return WordInput{}, err
	}
	narrative := maps.Clone(settings)
	maps.Copy(narrative, YearTexts(texts))
	in, err := NewWordInput(ctx, st, rep, narrative)
	if err != nil {
		return WordInput{}, err
	}
	in.Format, in.Stored, in.Settings = req.Format, texts, settings
	if rep.Year > rep.Programme.StartYear {
		previous, err := st.ReportTexts(ctx, rep.Programme, rep.Unit.ID, rep.Year-1)
		if err != nil {
			return WordInput{}, err
		}
		in.Previous = YearTexts(previous)
	}
	if in.Request, err = requestDocument(ctx, st, rep, in.Documents, rep.Year, rep.Year); err != nil {
		return WordInput{}, err
	}
	in.Head = in.head()
	switch ChartsOf(req.Format) {
	case AnnexCharts:
		if in.Yearly, err = YearlySeries(ctx, st, rep, rep.Year); err != nil {
			return WordInput{}, err
		}
		if in.ByUnit, err = UnitBreakdown(ctx, st, rep); err != nil {
			return WordInput{}, err
		}
	case PageCharts:
		if in.Yearly, err = YearlySeries(ctx, st, rep, rep.Plan.EndYear); err != nil {
			return WordInput{}, err
		}
	}
	return in, nil
}

// YearTexts are the parts of a year's report among the texts stored
// under the year, without those of a summary ending that year.
func YearTexts(stored map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range stored {
		if _, summary := nscl.SummaryKey(k); !summary {
			out[k] = v
		}
	}
	return out
}

// SummaryTexts are the parts of the summary ending in a year, among the
// texts stored under that year, by their own names.
func SummaryTexts(stored map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range stored {
		if key, ok := nscl.SummaryKey(k); ok {
			out[key] = v
		}
	}
	return out
}

// head is the letterhead, subject, recipients and signer as the report
// prints them: each part as written, or its default.
func (in WordInput) head() nscl.ReportHead {
	parts := map[string]string{}
	for _, key := range []string{"parent_agency", "agency", "agency_name", "agency_short", "number", "place", "date", "subject", "request", "recipients", "signer_title", "signer_name"} {
		parts[key] = in.text(key)
	}
	if strings.TrimSpace(in.Narrative["agency_name"]) == "" {
		parts["agency_name"] = strings.ReplaceAll(parts["agency"], "\n", " ") // the letterhead's lines, as running text
	}
	return nscl.ReportHeadFrom(parts)
}

// requestDocument is the document of the latest round that asked the unit
// to report on the years from–to, when it is on file: the report answers it.
func requestDocument(ctx context.Context, st *store.Store, r *Report, docs []nscl.Document, from, to int) (*nscl.Document, error) {
	rounds, err := st.Rounds(ctx, r.Programme)
	if err != nil {
		return nil, err
	}
	var latest *nscl.Round
	for i, rd := range rounds {
		asked := rd.PeriodStart.Year() <= from && to <= rd.PeriodEnd.Year() && slices.Contains(rd.UnitIDs, r.Unit.ID)
		if asked && rd.DocumentID != 0 && (latest == nil || rd.Deadline.After(latest.Deadline)) {
			latest = &rounds[i]
		}
	}
	if latest == nil {
		return nil, nil
	}
	for i := range docs {
		if docs[i].ID == latest.DocumentID {
			return &docs[i], nil
		}
	}
	return nil, nil
}

// CompletionChart is the chart of each indicator's completion against the
// share of the plan period elapsed, for the report's annex and its page.
func CompletionChart(r *Report) chart.Completion {
	return chart.FromResults("", r.Indicators, nil)
}
