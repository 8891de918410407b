package exchange

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"nscl"
	"nscl/demo"
	"nscl/store"
)

// BenchmarkImport imports a file of the demo programme with 100 thousand
// activities, two quantities each, spread over 50 units and five years,
// into a new SQLite database, and reports activities written per second.
// Every activity goes through the same checks and kept totals as one
// entered by hand, in a single transaction.
func BenchmarkImport(b *testing.B) {
	const n = 100_000
	file := generatedFile(b, n)
	ctx := context.Background()
	var imported time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		st, err := store.Open(ctx, filepath.Join(b.TempDir(), fmt.Sprintf("bench%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		sum, err := Import(ctx, st, bytes.NewReader(file))
		imported += time.Since(start)
		b.StopTimer()
		st.Close()
		if err != nil || sum.Activities != n {
			b.Fatalf("imported %d activities: %v", sum.Activities, err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(n)*float64(b.N)/imported.Seconds(), "rows/s")
	b.SetBytes(int64(len(file)))
}

// generatedFile writes an nscl-exchange file of the demo programme with a
// ministry, a province, 50 departments under it and n activities.
func generatedFile(b *testing.B, n int) []byte {
	b.Helper()
	prog := demo.Programme()
	var buf bytes.Buffer
	o := newJSONWriter(&buf)
	ex := &exporter{out: o, docKeys: documentKeys{}}
	o.begin()
	o.field("format", FormatExchange)
	o.field("version", Version)
	o.field("programme", ex.programme(&prog))
	units := []fileUnit{{Code: "BKHCN", Name: "Bộ Khoa học và Công nghệ", Level: string(nscl.LevelMinistry)},
		{Code: "HCM", Parent: "BKHCN", Name: "Thành phố Hồ Chí Minh", Level: string(nscl.LevelProvince)}}
	for i := range 50 {
		units = append(units, fileUnit{Code: fmt.Sprintf("HCM-%02d", i), Parent: "HCM", Name: fmt.Sprintf("Sở %02d", i), Level: string(nscl.LevelDepartment)})
	}
	o.array("units", len(units), func(i int) any { return units[i] })
	o.openArray("activities")
	for i := range n {
		o.element(fileActivity{Ref: fmt.Sprintf("bench-%d", i), Unit: units[2+i%50].Code, Date: fmt.Sprintf("%d-06-%02d", 2021+i%5, 1+i%28),
			TaskGroup: "d", Kind: string(nscl.KindTraining), Description: "Lớp tập huấn năng suất chất lượng cho doanh nghiệp",
			Quantities: map[string]int64{demo.TrainingEnterprises: int64(1 + i%7), demo.Trainees: int64(10 + i%40)}})
	}
	o.closeArray()
	if err := o.end(); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}
