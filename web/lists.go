package web

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"nscl"
	"nscl/store"
	"nscl/vnfmt"
)

// defaultListTimeout is how long reading one page of a list may take when
// the server sets no ListTimeout. A page read through its index takes
// milliseconds; one that takes seconds reads much of the table for a
// filter, and it is better stopped than left holding a reader.
const defaultListTimeout = 5 * time.Second

// errTooSlow is the code of a list that ran out of time: the server is
// not at fault with the request, but could not answer it in time (503).
const errTooSlow = "too_slow"

// listActivities reads one page of the activity list within the server's
// time limit for lists.
func (s *Server) listActivities(ctx context.Context, prog *nscl.Programme, f store.ActivityFilter) (store.ActivityPage, error) {
	ctx, cancel := context.WithTimeout(ctx, s.ListTimeout)
	defer cancel()
	page, err := s.Store.Activities(ctx, prog, f)
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		seconds := s.ListTimeout.Seconds()
		return page, &nscl.Error{Code: errTooSlow,
			Message: fmt.Sprintf("danh sách không đọc xong trong %s giây nên đã dừng; hãy thu hẹp bộ lọc (năm, đơn vị, nhóm nhiệm vụ) hoặc thử lại sau", vnfmt.Decimal(seconds, 2)),
			English: fmt.Sprintf("the list could not be read within %s seconds and was stopped; narrow the filters (year, unit, task group) or try again later", strconv.FormatFloat(seconds, 'f', -1, 64))}
	}
	return page, err
}
