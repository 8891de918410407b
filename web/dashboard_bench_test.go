package web

import (
	"context"
	"io"
	"log/slog"
	"net/url"
	"path/filepath"
	"testing"

	"nscl/benchgen"
	"nscl/store"
)

// The nation's dashboard built for a reader, in a national tree of 34
// provinces × 150 units with 20.000 activities: as it stands, and after a
// write, which changes some of its figures and so some of its charts.
//
//	go test -run '^$' -bench NationalDashboard -benchmem ./web/
//
// `nscl bench --load` measures it under 64 readers and 20 writers.
func BenchmarkNationalDashboard(b *testing.B) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "national.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	n, err := benchgen.Build(ctx, st, benchgen.Config{Provinces: 34, UnitsPerProvince: 150, Metrics: 10, FromYear: 2021, ToYear: 2030,
		Activities: 20_000, Enterprises: 5_000, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	if err := n.Write(ctx, st, 0, n.Activities, nil); err != nil {
		b.Fatal(err)
	}
	if err := n.AddRounds(ctx, st); err != nil {
		b.Fatal(err)
	}
	s := &Server{Store: st, Programme: n.Programme.Code, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	s.Handler() // parses the templates
	ask := dashboardAsk{prog: n.Programme, year: n.OpenYear, lang: "vi", boundaries: url.Values{}}
	build := func(b *testing.B) {
		if _, err := s.buildDashboard(ctx, ask); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("unchanged", func(b *testing.B) {
		for b.Loop() {
			build(b)
		}
	})
	b.Run("after-a-write", func(b *testing.B) {
		i := 0
		for b.Loop() {
			b.StopTimer()
			a := n.Extra("dashboard", i, n.OpenYear)
			i++
			if err := st.Update(ctx, func(tx *store.Tx) error { return tx.CreateActivity(ctx, n.Programme, &a) }); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			build(b)
		}
	})
}
