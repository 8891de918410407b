package report

import (
	"context"
	"errors"
	"fmt"

	"nscl"
	"nscl/chart"
	"nscl/store"
)

// Gather collects what the Word report of a year needs: the results, the
// written parts stored for it — or, for a year with none yet, last year's
// as the starting point, without last year's number and date — and the
// year's activities. Offered says the texts are last year's.
func Gather(ctx context.Context, st *store.Store, req Request) (in WordInput, offered bool, err error) {
	rep, err := Build(ctx, st, req)
	if err != nil {
		return WordInput{}, false, err
	}
	texts, err := st.ReportTexts(ctx, rep.Programme, rep.Unit.ID, rep.Year)
	if err != nil {
		return WordInput{}, false, err
	}
	if len(texts) == 0 && rep.Year > rep.Programme.StartYear {
		if texts, err = st.ReportTexts(ctx, rep.Programme, rep.Unit.ID, rep.Year-1); err != nil {
			return WordInput{}, false, err
		}
		delete(texts, "date")
		delete(texts, "number")
		offered = len(texts) > 0
	}
	head := nscl.ReportHeadFrom(texts)
	if head.Agency == "" {
		head.Agency = rep.Unit.Name
	}
	if head.Subject == "" {
		head.Subject = fmt.Sprintf("Kết quả thực hiện năm %d của %s", rep.Year, rep.Programme.Name)
	}
	if head.NumberSymbol == "" {
		head.NumberSymbol = "Số:        /BC"
	}
	in, err = NewWordInput(ctx, st, rep, head, texts)
	if err != nil {
		return WordInput{}, false, err
	}
	c := CompletionChart(rep)
	in.Chart, err = c.PNG(chartWidth, c.SuggestedHeight(chartWidth))
	if errors.Is(err, chart.ErrNoBars) {
		in.Chart, err = nil, nil // no indicator has a target: nothing to draw
	}
	return in, offered, err
}

// chartWidth is the chart's width in pixels in the Word file: twice what
// the eye needs on screen, so that it prints sharp.
const chartWidth = 1600

// CompletionChart is the chart of each indicator's completion against the
// share of the plan period elapsed, for the report's annex and its page.
func CompletionChart(r *Report) chart.Completion {
	return chart.FromResults("", r.Indicators, nil)
}
