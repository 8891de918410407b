package store

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"nscl"
)

// BenchmarkWriteActivity measures one activity written in its own
// transaction, with the kept totals updated beside it: the price every write
// pays so that reports stay cheap. "create" adds an activity with three
// quantities (sum, distinct and last-value rules) and two beneficiaries;
// "update" moves one to another unit and year.
func BenchmarkWriteActivity(b *testing.B) {
	engines := map[string]string{"sqlite": ""}
	if base := os.Getenv(postgresEnv); base != "" {
		engines["postgres"] = base
	}
	for engine, base := range engines {
		b.Run(engine+"/create", func(b *testing.B) {
			s, f := benchStore(b, base)
			i := 0
			for b.Loop() {
				i++
				a := benchActivity(f, i)
				if err := s.CreateActivity(b.Context(), f.prog, a); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(engine+"/update", func(b *testing.B) {
			s, f := benchStore(b, base)
			a := benchActivity(f, 0)
			if err := s.CreateActivity(b.Context(), f.prog, a); err != nil {
				b.Fatal(err)
			}
			i := 0
			for b.Loop() {
				i++
				moved := benchActivity(f, i)
				moved.ID, moved.Version = a.ID, a.Version
				if err := s.UpdateActivity(b.Context(), f.prog, moved); err != nil {
					b.Fatal(err)
				}
				a = moved
			}
		})
	}
}

func benchStore(b *testing.B, postgresBase string) (*Store, *fixture) {
	dsn := filepath.Join(b.TempDir(), "bench.db")
	if postgresBase != "" {
		dsn = postgresSchema(b, postgresBase)
	}
	s := openStore(b, dsn)
	return s, newFixture(b, s)
}

func benchActivity(f *fixture, i int) *nscl.Activity {
	units := []nscl.OrgUnit{f.district1, f.district2, f.implementer}
	return &nscl.Activity{UnitID: units[i%len(units)].ID, Date: day(fmt.Sprintf("%d-%02d-15", 2021+i%4, 1+i%12)),
		TaskGroup: "c", Kind: nscl.KindConsulting, Description: "Tư vấn áp dụng ISO 9001",
		Quantities:    []nscl.Quantity{{Metric: mSupported, Value: 2}, {Metric: mTraining, Value: int64(i % 9)}, {Metric: mLabs, Value: int64(i % 3)}},
		Beneficiaries: []string{fmt.Sprintf("03%08d", i%5000), fmt.Sprintf("03%08d", (i+1)%5000)}}
}
