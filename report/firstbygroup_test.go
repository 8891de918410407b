package report

import (
	"slices"
	"testing"
)

// Reading a group's first activities unit by unit walks each unit's rows
// of the year until the first ones of the group, at most all of them;
// units without the group's activities are not read.
func TestUnitsToWalk(t *testing.T) {
	ofUnit := map[int64]int64{1: 100, 2: 10, 3: 40, 4: 7}
	ofGroup := map[int64]int64{1: 10, 2: 0, 3: 40, 4: 7}
	units, walked := unitsToWalk(ofUnit, ofGroup, 20)
	// Unit 1: its group holds 1 row in 10, so 20 of them lie about 200
	// rows in, past its 100; unit 3: every row is the group's, 20 rows;
	// unit 4: its 7 rows.
	if !slices.Equal(units, []int64{1, 3, 4}) || walked != 100+20+7 {
		t.Errorf("got %v, %d rows; want [1 3 4], 127 rows", units, walked)
	}
}
