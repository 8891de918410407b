package store

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"nscl"
)

// Store.ProgrammeByCode keeps a programme found for the store's life,
// which holds only while no statement of the store changes a programme,
// its task groups or its metrics once created: CreateProgramme's inserts
// are the only writes to them in the store's code.
func TestProgrammesAreWrittenOnce(t *testing.T) {
	write := regexp.MustCompile(`(?i)\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+(programmes|task_groups|metrics)\b`)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range write.FindAllString(string(src), -1) {
			found = append(found, name+": "+m)
		}
	}
	want := []string{"programme.go: INSERT INTO programmes", "programme.go: INSERT INTO task_groups", "programme.go: INSERT INTO metrics"}
	if strings.Join(found, "\n") != strings.Join(want, "\n") {
		t.Errorf("statements writing programmes in the store:\n%s\nwant only CreateProgramme's:\n%s\n"+
			"a programme that can change needs ProgrammeByCode to read it again", strings.Join(found, "\n"), strings.Join(want, "\n"))
	}
}

// A programme is found once created, by this store or another process on
// the same database, after it was looked for in vain; a caller's copy is
// its own.
func TestProgrammeKeptAfterFound(t *testing.T) {
	eachEngineDSN(t, func(t *testing.T, dsn string) {
		ctx := t.Context()
		s, other := openStore(t, dsn), openStore(t, dsn)
		_, err := s.ProgrammeByCode(ctx, "GD3")
		wantError(t, err, nscl.ENOTFOUND, "programme")
		prog := &nscl.Programme{Code: "GD3", Name: "Chương trình thử", StartYear: 2026, EndYear: 2030,
			TaskGroups: []nscl.TaskGroup{{Letter: "a", Name: "Đào tạo"}},
			Metrics:    []nscl.Metric{{Code: "experts", Name: "Chuyên gia được đào tạo", Unit: "lượt chuyên gia", Kind: nscl.Indicator, Rule: nscl.RuleSum, TaskGroup: "a"}}}
		if err := other.Update(ctx, func(tx *Tx) error { return tx.CreateProgramme(ctx, prog) }); err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			got, err := s.ProgrammeByCode(ctx, " GD3 ")
			if err != nil {
				t.Fatalf("read %d: %v", i, err)
			}
			if got.ID != prog.ID || len(got.Metrics) != 1 || got.Metrics[0].Name != "Chuyên gia được đào tạo" || got.TaskGroups[0].Name != "Đào tạo" {
				t.Fatalf("read %d: %+v, want %+v", i, got, prog)
			}
			got.Metrics[0].Name, got.TaskGroups[0].Name, got.Name = "changed by the caller", "changed by the caller", "changed by the caller"
		}
	})
}
