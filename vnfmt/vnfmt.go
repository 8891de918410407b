// Package vnfmt is the one place where numbers are written for Vietnamese
// readers: a dot between thousands, a comma before decimals, a space before
// the percent sign ("16.192", "9,93 %"). Every number a user sees goes
// through it, so the web pages, the CLI and the report agree.
package vnfmt

import (
	"math"
	"strconv"
	"strings"
)

// Int writes a whole number with dots between thousands: 16192 → "16.192".
func Int(n int64) string {
	s := strconv.FormatInt(n, 10)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	return sign + groupThousands(s)
}

// Count writes a count in running administrative text: two digits below
// ten, as the seed writes "01 lớp", "02 doanh nghiệp", "05 phòng thử
// nghiệm"; otherwise as Int.
func Count(n int64) string {
	if n >= 1 && n <= 9 {
		return "0" + Int(n)
	}
	return Int(n)
}

// Decimal writes x with at most maxDecimals decimals, trailing zeros
// dropped: 173.50 → "173,5", 47.3333 → "47,33" (two decimals), 0 → "0".
func Decimal(x float64, maxDecimals int) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "–"
	}
	s := strconv.FormatFloat(Round(x, maxDecimals), 'f', maxDecimals, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	out := sign + groupThousands(whole)
	if hasFrac {
		out += "," + frac
	}
	return out
}

// Percent writes a percentage as the seed prints it: at most two decimals,
// trailing zeros dropped, a space before the sign ("9,93 %", "173,5 %", "0 %").
func Percent(p float64) string {
	return Decimal(p, 2) + " %"
}

// Round rounds x half away from zero to the given number of decimals.
func Round(x float64, decimals int) float64 {
	scale := math.Pow(10, float64(decimals))
	return math.Round(x*scale) / scale
}

func groupThousands(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	lead := len(digits) % 3
	if lead > 0 {
		b.WriteString(digits[:lead])
	}
	for i := lead; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}
