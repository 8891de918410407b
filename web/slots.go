package web

import (
	"fmt"
	"net/http"
	"strconv"

	"nscl"
)

// slots bound how many answers of a costly kind are made at once, of all
// clients: one more is told to come back later (503, Retry-After) rather
// than queue, so that a burst cannot hold the server's memory or readers.
type slots chan struct{}

// busyRetry is the Retry-After, in seconds, of an answer refused for want
// of a slot.
const busyRetry = 5

// take holds a slot until release is called, or refuses with errBusy,
// saying in both languages what the server is busy making (vi, en).
func (sl slots) take(w http.ResponseWriter, vi, en string) (release func(), err error) {
	select {
	case sl <- struct{}{}:
		return func() { <-sl }, nil
	default:
		w.Header().Set("Retry-After", strconv.Itoa(busyRetry))
		return nil, &nscl.Error{Code: errBusy,
			Message: fmt.Sprintf("máy chủ đang %s cùng lúc; vui lòng tải lại sau %d giây", vi, busyRetry),
			English: fmt.Sprintf("the server is %s at once; please try again in %d seconds", en, busyRetry)}
	}
}
