package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"nscl/exchange"
	"nscl/store"
)

// importExchange imports a JSON exchange file (docs/exchange.md): a whole
// programme ("nscl-exchange") into a database that does not hold it yet,
// or a unit's summary ("nscl-summary") under the unit whose code is parent,
// which a summary needs and a programme file must not be given. It prints
// one line saying what was imported; on any error nothing is written.
func importExchange(ctx context.Context, st *store.Store, path, parent string, stdout io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	format, err := exchange.DetectFormat(f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	var sum exchange.Summary
	switch {
	case format == exchange.FormatSummary && parent == "":
		return usageError{fmt.Sprintf("%s là số liệu tổng hợp: cần --parent MÃ, đơn vị cấp trên mà đơn vị báo cáo thuộc về (%s is a summary: give --parent CODE, the unit the reporting unit belongs under)", path, path)}
	case format == exchange.FormatSummary:
		sum, err = exchange.ImportSummary(ctx, st, f, parent)
	case parent != "":
		return usageError{fmt.Sprintf("--parent chỉ dùng cho tệp số liệu tổng hợp; %s là cả một chương trình (--parent goes with a summary file; %s is a whole programme)", path, path)}
	default:
		sum, err = exchange.Import(ctx, st, f)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	fmt.Fprintln(stdout, sum)
	return nil
}
