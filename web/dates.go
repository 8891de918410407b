package web

import (
	"strings"

	"nscl"
)

// dayShown writes a day the reader typed the way pages write days,
// dd/mm/yyyy, when it reads as one (nscl.ParseDate also takes
// 2025-07-01); otherwise as typed, for the reader to correct.
func dayShown(typed string) string {
	typed = strings.TrimSpace(typed)
	if typed == "" {
		return ""
	}
	if day, err := nscl.ParseDate("date", typed); err == nil {
		return formatDay(day)
	}
	return typed
}
