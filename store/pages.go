package store

import (
	"context"
	"encoding/base64"
	"slices"
	"strings"

	"nscl"
)

// countCap is how far a list counts the rows its filter matches: past it
// the page says "more than 1.000", so that no page counts a whole table.
const countCap = 1000

// Counted is how many rows a list's filter matches, counted up to countCap.
type Counted struct {
	N    int64 // the rows counted, at most countCap
	More bool  // more than N match
}

// countUpTo counts the rows of fromWhere (" FROM … WHERE …"), stopping
// after countCap of them.
func countUpTo(ctx context.Context, c conn, fromWhere string, args []any) (Counted, error) {
	var n int64
	err := c.queryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1`+fromWhere+` LIMIT ?) capped`, append(slices.Clone(args), countCap+1)...).Scan(&n)
	return Counted{N: min(n, countCap), More: n > countCap}, err
}

// pageLimit is a list's page size: 50 when not given, at most 200.
func pageLimit(limit int) int {
	if limit <= 0 {
		return 50
	}
	return min(limit, 200)
}

// enterpriseCursor is a place in the registry's list: the name and tax
// code of a page's last record, opaque to clients.
type enterpriseCursor struct{ name, taxCode string }

// EnterpriseCursorAfter is the cursor (for EnterpriseFilter.After) of a
// page that ends with e: the list goes on with the record after it.
func EnterpriseCursorAfter(e nscl.Enterprise) string {
	return enterpriseCursor{e.Name, e.TaxCode}.String()
}

func (c enterpriseCursor) String() string {
	return base64.RawURLEncoding.EncodeToString([]byte(c.taxCode + "\n" + c.name))
}

func parseEnterpriseCursor(s string) (enterpriseCursor, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	taxCode, name, ok := strings.Cut(string(raw), "\n")
	if err != nil || !ok || taxCode == "" {
		return enterpriseCursor{}, nscl.Invalid("after", "after=%q không phải là con trỏ trang; hãy dùng liên kết trang sau", "after=%q is not a page cursor; follow the next page's link", s)
	}
	return enterpriseCursor{name, taxCode}, nil
}
