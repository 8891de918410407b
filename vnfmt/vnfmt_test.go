package vnfmt

import "testing"

func TestInt(t *testing.T) {
	cases := map[int64]string{
		0: "0", 7: "7", 963: "963", 1000: "1.000", 10000: "10.000",
		16192: "16.192", 12581: "12.581", 1234567: "1.234.567", -4500: "-4.500",
	}
	for n, want := range cases {
		if got := Int(n); got != want {
			t.Errorf("Int(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestPercent(t *testing.T) {
	cases := []struct {
		p    float64
		want string
	}{
		{993.0 / 10000 * 100, "9,93 %"},
		{347.0 / 200 * 100, "173,5 %"},
		{71.0 / 150 * 100, "47,33 %"},
		{0, "0 %"},
		{100, "100 %"},
		{2.0 / 3 * 100, "66,67 %"},
		{12345.678, "12.345,68 %"},
	}
	for _, c := range cases {
		if got := Percent(c.p); got != c.want {
			t.Errorf("Percent(%v) = %q, want %q", c.p, got, c.want)
		}
	}
}

func TestDecimal(t *testing.T) {
	cases := []struct {
		x    float64
		d    int
		want string
	}{
		{3002.3333, 2, "3.002,33"},
		{40, 1, "40"},
		{-0.001, 2, "0"},
		{0.5, 0, "1"},
	}
	for _, c := range cases {
		if got := Decimal(c.x, c.d); got != c.want {
			t.Errorf("Decimal(%v, %d) = %q, want %q", c.x, c.d, got, c.want)
		}
	}
}

func TestCount(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 1: "01", 5: "05", 9: "09", 10: "10", 1234: "1.234"} {
		if got := Count(n); got != want {
			t.Errorf("Count(%d) = %q, want %q", n, got, want)
		}
	}
}
