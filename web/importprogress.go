package web

import (
	"fmt"
	"math"
	"time"

	"nscl/vnfmt"
)

// The progress of an import's pass as its page shows it: the rows read of
// about how many the file holds, and the time left, estimated from the
// pace of the pass so far.

// unknownLeft is a time left that cannot be told yet.
const unknownLeft = time.Duration(-1)

// begin marks the start of the job's first pass, when its turn comes: the
// pace counts from there, not from the upload, which may have waited.
func (j *importJob) begin(now time.Time) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.passStart, j.startDone, j.left = now, 0, unknownLeft
}

// progress records how far the pass has come (as the importer tells it)
// and what that leaves, at the pace of the pass so far. A new pass counts
// its pace from its first report, its rows before that unknown in time.
func (j *importJob) progress(pass string, done, total int, now time.Time) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.pass != "" && pass != j.pass || j.passStart.IsZero() {
		j.passStart, j.startDone = now, done
	}
	j.pass, j.done, j.total = pass, done, total
	j.left = timeLeft(done-j.startDone, total-done, now.Sub(j.passStart))
}

// progressIn is how far the job has come, in words of the language.
func (j *importJob) progressIn(lang string) string {
	j.mu.Lock()
	defer j.mu.Unlock()
	return progressText(lang, j.pass, j.done, j.total, j.left)
}

// timeLeft is how long the remaining rows take at the pace of the done
// ones: unknownLeft when none is done yet or the total is not known.
func timeLeft(done, remaining int, elapsed time.Duration) time.Duration {
	if done <= 0 || remaining < 0 || elapsed <= 0 {
		return unknownLeft
	}
	return time.Duration(float64(elapsed) * float64(remaining) / float64(done))
}

// passKeys name the importer's passes in the catalogue.
var passKeys = map[string]string{"kiểm tra": "import.pass_check", "ghi": "import.pass_write"}

// progressText says how far a pass has come: "Kiểm tra: 48.000 / 100.000
// dòng (48 %) — còn khoảng 30 giây"; without a total, the rows read; ""
// before the first report.
func progressText(lang, pass string, done, total int, left time.Duration) string {
	if pass == "" {
		return ""
	}
	name := pass
	if key, ok := passKeys[pass]; ok {
		name = translate(lang, key)
	}
	rows := translate(lang, "import.rows")
	if total <= 0 {
		return fmt.Sprintf("%s: %s %s", name, vnfmt.Int(int64(done)), rows)
	}
	done = min(done, total)
	text := fmt.Sprintf("%s: %s / %s %s (%s %%)", name, vnfmt.Int(int64(done)), vnfmt.Int(int64(total)), rows, vnfmt.Int(int64(done*100/total)))
	if left >= 0 && done < total {
		text += " — " + leftText(lang, left)
	}
	return text
}

// leftText says a time left the way a person would guess it: seconds in
// fives under a minute, then whole minutes.
func leftText(lang string, left time.Duration) string {
	switch {
	case left < 5*time.Second:
		return translate(lang, "import.left_soon")
	case left < 55*time.Second:
		fives := int64(math.Ceil(left.Seconds() / 5))
		return fmt.Sprintf(translate(lang, "import.left_seconds"), vnfmt.Int(fives*5))
	}
	minutes := max(1, int64(math.Round(left.Minutes())))
	if minutes == 1 {
		return translate(lang, "import.left_minute")
	}
	return fmt.Sprintf(translate(lang, "import.left_minutes"), vnfmt.Int(minutes))
}
