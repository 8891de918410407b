package web

import (
	"context"

	"nscl"
	"nscl/report"
)

// portalPanel is the dashboard's account of what the portal counted in the
// dashboard's year and unit subtree — its articles, materials and classes,
// with the enterprises and people present at the classes — and, for each
// figure they count in, the part the units reported by hand. Every state
// counts, approved or not, as the portal writes without a round.
type portalPanel struct {
	Articles, Videos, Documents, Classes int64
	// Enterprises and Trainees are what the classes' attendance counted,
	// in the metrics the portal counts them in (Counting).
	Enterprises, Trainees int64
	Counting              nscl.PortalCounting
	Metrics               []portalMetric
}

// portalMetric is a figure of the year split by where it came from.
type portalMetric struct {
	Metric         nscl.Metric
	Portal, ByHand int64
	Total          int64 // approved and not yet approved, as the dashboard's columns add up
}

// Shown reports whether the panel has anything to say: the portal counts
// somewhere, or wrote something in the year.
func (p portalPanel) Shown() bool {
	return p.Counting != (nscl.PortalCounting{}) || p.Articles+p.Videos+p.Documents+p.Classes > 0
}

// portalPanelOf reads what the portal wrote for rep's year and counted
// units, through the index on the portal's activities (store.PortalFigures).
func (s *Server) portalPanelOf(ctx context.Context, rep *report.Report) (portalPanel, error) {
	prog := rep.Programme
	pc, err := s.Store.PortalCounting(ctx, prog)
	if err != nil {
		return portalPanel{}, err
	}
	kinds, err := s.Store.PortalFigures(ctx, prog, rep.Counted.UnitIDs, rep.Year)
	if err != nil {
		return portalPanel{}, err
	}
	classes := kinds[nscl.KindTraining]
	p := portalPanel{Counting: pc, Articles: kinds[nscl.KindArticle].Activities, Videos: kinds[nscl.KindVideo].Activities,
		Documents: kinds[nscl.KindOther].Activities, Classes: classes.Activities,
		Enterprises: classes.Figures[pc.ClassEnterprisesMetric], Trainees: classes.Figures[pc.ClassTraineesMetric]}
	// Each figure of the year, approved and not yet approved.
	var results []nscl.MeasureResult
	for _, ind := range rep.Indicators {
		results = append(results, nscl.MeasureResult{Metric: ind.Metric, YearValue: ind.YearValue, PendingYear: ind.PendingYear})
	}
	results = append(results, rep.Measures...)
	seen := map[string]bool{}
	for _, code := range []string{pc.ArticleMetric, pc.VideoMetric, pc.DocumentMetric, pc.ClassEnterprisesMetric, pc.ClassTraineesMetric} {
		if code == "" || seen[code] {
			continue
		}
		seen[code] = true
		for _, res := range results {
			if res.Metric.Code != code || res.Metric.Rule != nscl.RuleSum {
				continue // a figure not summed cannot be split into parts
			}
			m := portalMetric{Metric: res.Metric, Total: res.YearValue + res.PendingYear}
			for _, k := range kinds {
				m.Portal += k.Figures[code]
			}
			m.ByHand = m.Total - m.Portal
			p.Metrics = append(p.Metrics, m)
		}
	}
	return p, nil
}
