package store

import (
	"maps"
	"testing"

	"github.com/pressly/goose/v3"

	"nscl"
)

// A database from before the unit's settings kept the letterhead and the
// signer with each year's texts. Migrated, the unit's latest year's become
// its settings for the years to come; each year keeps its own.
func TestMigrationTakesTheLatestYearAsTheSettings(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		provider := func() *goose.Provider { return migrationProvider(t, s) }
		if _, err := provider().DownTo(ctx, 5); err != nil {
			t.Fatal(err)
		}
		old := func(unit int64, year int, signer, number string) {
			// What the report page stored before: every part under its year.
			for part, body := range map[string]string{"signer_name": signer, "number": number, "obstacles": "Vướng mắc năm trước."} {
				if _, err := s.reader().exec(ctx, `INSERT INTO report_texts (programme_id, unit_id, year, part, body) VALUES (?, ?, ?, ?, ?)`,
					f.prog.ID, unit, year, part, body); err != nil {
					t.Fatal(err)
				}
			}
		}
		old(f.province.ID, 2022, "Nguyễn Thị Kim Huệ", "Số:        /BC-SKHCN")
		old(f.province.ID, 2023, "Trần Văn Bình", "Số:        /SKH-CN-TĐC")
		// A unit with settings of its own keeps them.
		old(f.department.ID, 2023, "Lê Văn Cường", "Số:        /BC-SKHCN")
		if _, err := s.reader().exec(ctx, `INSERT INTO report_texts (programme_id, unit_id, year, part, body) VALUES (?, ?, 0, 'signer_name', 'Phạm Thị Dung')`,
			f.prog.ID, f.department.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := provider().Up(ctx); err != nil {
			t.Fatal(err)
		}
		settings, err := s.ReportTexts(ctx, f.prog, f.province.ID, nscl.SettingsYear)
		if err != nil {
			t.Fatal(err)
		}
		if want := map[string]string{"signer_name": "Trần Văn Bình", "number": "Số:        /SKH-CN-TĐC"}; !maps.Equal(settings, want) {
			t.Errorf("settings %q, want %q", settings, want)
		}
		y2022, _ := s.ReportTexts(ctx, f.prog, f.province.ID, 2022)
		if y2022["signer_name"] != "Nguyễn Thị Kim Huệ" {
			t.Errorf("2022 lost its own signer: %q", y2022)
		}
		if own, _ := s.ReportTexts(ctx, f.prog, f.department.ID, nscl.SettingsYear); !maps.Equal(own, map[string]string{"signer_name": "Phạm Thị Dung"}) {
			t.Errorf("the department's own settings became %q", own)
		}
	})
}

// Settings hold only the parts that belong to the unit, and a year must be
// the programme's.
func TestSetReportTextsRefusesBadYearsAndParts(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		set := func(year int, parts map[string]string) error {
			return s.Update(ctx, func(tx *Tx) error { return tx.SetReportTexts(ctx, f.prog, f.province.ID, year, parts, "") })
		}
		wantError(t, set(nscl.SettingsYear, map[string]string{"obstacles": "Không."}), nscl.EINVALID, "obstacles")
		wantError(t, set(2035, map[string]string{"obstacles": "Không."}), nscl.EINVALID, "year")
		if err := set(nscl.SettingsYear, map[string]string{"signer_name": "Nguyễn Văn A"}); err != nil {
			t.Error(err)
		}
	})
}
