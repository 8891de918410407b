package sheet

import (
	"encoding/csv"
	"io"

	"github.com/xuri/excelize/v2"
)

// Rows hands out the rows of a table one at a time: it calls yield for
// each, and stops at yield's first error.
type Rows func(yield func(cells []string) error) error

// WriteCSV writes a table as UTF-8 CSV with a byte-order mark, which
// Excel needs to read Vietnamese letters right.
func WriteCSV(w io.Writer, header []string, rows Rows) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	c := csv.NewWriter(w)
	if err := c.Write(header); err != nil {
		return err
	}
	if err := rows(func(cells []string) error { return c.Write(cells) }); err != nil {
		return err
	}
	c.Flush()
	return c.Error()
}

// WriteXLSX writes a table as a one-sheet workbook through excelize's
// stream writer, so memory does not grow with the rows. Cells are text as
// given: the same cells an import reads back.
func WriteXLSX(w io.Writer, sheetName string, header []string, rows Rows) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheetName); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheetName)
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	row := make([]any, len(header))
	for i, h := range header {
		row[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", row); err != nil {
		return err
	}
	n := 1
	err = rows(func(cells []string) error {
		n++
		values := make([]any, len(cells))
		for i, c := range cells {
			values[i] = c
		}
		cell, _ := excelize.CoordinatesToCellName(1, n)
		return sw.SetRow(cell, values)
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}
