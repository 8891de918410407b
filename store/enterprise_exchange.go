package store

import (
	"context"
	"fmt"

	"nscl"
)

// EachEnterprise calls fn with every record of the registry, merged ones
// included, in the order they were entered, and the tax code of the record
// each is merged into ("" for none): what an exchange file carries, which
// refers to records by tax code. One query reads them all, so that the
// merges fn sees are those of one moment, and fn gets one record at a
// time however large the registry. It stops at fn's first error and
// returns it.
func (s *Store) EachEnterprise(ctx context.Context, fn func(e nscl.Enterprise, mergedInto string) error) error {
	rows, err := s.reader().query(ctx, `SELECT `+enterpriseColumns+`,
			COALESCE((SELECT t.tax_code FROM enterprises t WHERE t.id = enterprises.merged_into), '')
		FROM enterprises ORDER BY id`)
	if err != nil {
		return fmt.Errorf("store: unable to list enterprises: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var into string
		e, err := scanEnterprise(scanThen{rows, &into})
		if err != nil {
			return fmt.Errorf("store: unable to read enterprise: %w", err)
		}
		if err := fn(e, into); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: unable to list enterprises: %w", err)
	}
	return nil
}

// scanThen scans a row into what scanEnterprise asks for and then into
// more, for the columns a query adds after enterpriseColumns.
type scanThen struct {
	row  interface{ Scan(...any) error }
	more any
}

func (s scanThen) Scan(dest ...any) error { return s.row.Scan(append(dest, s.more)...) }
