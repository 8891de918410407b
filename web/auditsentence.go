package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"nscl"
	"nscl/store"
	"nscl/vnfmt"
)

// auditNames names what audit entries hold by ID or by code: users,
// units and the programme's metrics.
type auditNames struct {
	users   map[int64]nscl.User
	units   map[int64]nscl.OrgUnit
	metrics map[string]nscl.Metric
}

// auditReading is an audit entry as a reader reads it: one sentence in the
// page's language, then a line for each change.
type auditReading struct {
	Sentence string
	Changes  []string
}

// readAudit puts e into words in lang: who did what to which record,
// named as people name it (units and users by name, metrics by their
// name and unit), with the fields it changed.
func readAudit(lang string, e store.AuditEntry, n auditNames) auditReading {
	t := func(key string) string { return translate(lang, key) }
	before, after := jsonObject(e.Before), jsonObject(e.After)
	record := after
	if record == nil {
		record = before
	}
	var r auditReading
	switch {
	case e.Entity == store.SignInFailure:
		r.Sentence = fmt.Sprintf(t("audit.s.sign_in_refused"), e.EntityID, plainString(record["address"]))
		if reason := plainString(record["reason"]); reason != "" {
			r.Sentence += " — " + translateOr(lang, "signin."+reason, reason)
		}
		return r
	case e.Action == "login":
		r.Sentence = fmt.Sprintf(t("audit.s.signed_in"), n.who(lang, e))
		return r
	case e.Entity == "unit_succession":
		r.Sentence = fmt.Sprintf(t("audit.s.succession"), n.who(lang, e), n.unit(lang, jsonInt(record["predecessor_id"])),
			n.unit(lang, jsonInt(record["successor_id"])), formatDay(jsonTime(record["on"])))
		return r
	case e.Entity == "unit_parent_change":
		r.Sentence = fmt.Sprintf(t("audit.s.move"), n.who(lang, e), n.unit(lang, jsonInt(record["unit_id"])),
			n.unit(lang, jsonInt(record["old_parent_id"])), n.unit(lang, jsonInt(record["new_parent_id"])), formatDay(jsonTime(record["on"])))
		if e.Action == "import" {
			r.Sentence += " " + t("audit.s.imported")
		}
		return r
	}
	r.Sentence = n.who(lang, e) + " " + translateOr(lang, "audit.verb."+e.Action, e.Action) + " " + n.object(lang, e, record)
	if comment := plainString(after["comment"]); comment != "" && e.Entity == "submission" && plainString(before["comment"]) != comment {
		r.Sentence += " — " + t("audit.s.comment") + " “" + comment + "”"
	}
	switch {
	case before != nil && after != nil:
		r.Changes = n.changes(lang, e.Entity, before, after)
	case record != nil:
		r.Changes = n.amounts(lang, nil, record)
	}
	return r
}

// who names the entry's user: by name, by e-mail when the account is
// gone, "the system" for writes made without one (the demo loader).
func (n auditNames) who(lang string, e store.AuditEntry) string {
	if e.UserID == 0 {
		return translate(lang, "audit.s.system")
	}
	if u, ok := n.users[e.UserID]; ok && u.Name != "" {
		return u.Name
	}
	if e.UserEmail != "" {
		return e.UserEmail
	}
	return fmt.Sprintf(translate(lang, "audit.s.user_n"), e.UserID)
}

// object names the record: its kind, its number and what people call it.
func (n auditNames) object(lang string, e store.AuditEntry, record map[string]json.RawMessage) string {
	noun := translateOr(lang, "audit.noun."+e.Entity, e.Entity)
	switch e.Entity {
	case "submission":
		round, unit, _ := strings.Cut(e.EntityID, "/")
		id, _ := strconv.ParseInt(unit, 10, 64)
		return fmt.Sprintf(translate(lang, "audit.s.submission"), n.unit(lang, id), round)
	case "report_text":
		unit, year, _ := strings.Cut(e.EntityID, "/")
		id, _ := strconv.ParseInt(unit, 10, 64)
		return fmt.Sprintf(translate(lang, "audit.s.report_text"), year, n.unit(lang, id))
	case "unit":
		id, _ := strconv.ParseInt(e.EntityID, 10, 64)
		if u, ok := n.units[id]; ok {
			return noun + " #" + e.EntityID + ": " + u.Name
		}
	case "user":
		id, _ := strconv.ParseInt(e.EntityID, 10, 64)
		if u, ok := n.users[id]; ok {
			return noun + " #" + e.EntityID + ": " + u.Name + " (" + u.Email + ")"
		}
	}
	title := ""
	for _, field := range []string{"description", "title", "name", "email"} {
		if title = plainString(record[field]); title != "" {
			break
		}
	}
	if title == "" {
		return noun + " #" + e.EntityID
	}
	return noun + " #" + e.EntityID + ": " + crop(title, 120)
}

// unit names a unit by its name, "—" for none.
func (n auditNames) unit(lang string, id int64) string {
	if id == 0 {
		return "—"
	}
	if u, ok := n.units[id]; ok {
		return u.Name
	}
	return fmt.Sprintf(translate(lang, "audit.s.unit_n"), id)
}

// changes lists, one line each, the fields that differ between before and
// after: "Field: old → new"; amounts of metrics get a line for each
// metric that changed.
func (n auditNames) changes(lang, entity string, before, after map[string]json.RawMessage) []string {
	keys := map[string]bool{}
	for k := range before {
		keys[k] = true
	}
	for k := range after {
		keys[k] = true
	}
	var out []string
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		// The version is bumped by every write; a submission's comment
		// is in the sentence already.
		if k == "version" || (k == "comment" && entity == "submission") || string(before[k]) == string(after[k]) {
			continue
		}
		if k == "quantities" || k == "targets" {
			out = append(out, n.amounts(lang, amountsOf(before[k]), map[string]json.RawMessage{k: after[k]})...)
			continue
		}
		out = append(out, fieldLabel(lang, k)+": "+n.value(lang, entity, k, before[k])+" → "+n.value(lang, entity, k, after[k]))
	}
	return out
}

// amounts lists the metric amounts of record (its quantities or targets):
// each as "Metric: value unit", or "Metric: old → new unit" where old
// (nil for a new record) differs.
func (n auditNames) amounts(lang string, old map[string]int64, record map[string]json.RawMessage) []string {
	raw := record["quantities"]
	if raw == nil {
		raw = record["targets"]
	}
	now := amountsOf(raw)
	var out []string
	codes := slices.Sorted(maps.Keys(now))
	if old != nil {
		for code := range old {
			if _, ok := now[code]; !ok {
				codes = append(codes, code)
			}
		}
	}
	for _, code := range codes {
		name, unit := code, ""
		if m, ok := n.metrics[code]; ok {
			name, unit = m.Name, m.Unit
		}
		value := func(v int64, ok bool) string {
			if !ok {
				return "—"
			}
			return vnfmt.Int(v)
		}
		after, inAfter := now[code]
		line := name + ": "
		if old != nil {
			before, inBefore := old[code]
			if inBefore && inAfter && before == after {
				continue
			}
			line += value(before, inBefore) + " → "
		}
		line += value(after, inAfter)
		if unit != "" && inAfter {
			line += " " + unit
		}
		out = append(out, line)
	}
	return out
}

// value shows one field's JSON value: units and users by name, times as
// dd/mm/yyyy (hh:mm in Vietnam's time for an instant), statuses, kinds and
// roles in words, numbers the Vietnamese way; nothing, or a zero time, as "—".
func (n auditNames) value(lang, entity, field string, raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" || string(raw) == `""` {
		return "—"
	}
	switch {
	case field == "unit_id" || field == "parent_id" || strings.HasSuffix(field, "_parent_id") || field == "predecessor_id" || field == "successor_id":
		return n.unit(lang, jsonInt(raw))
	case field == "user_id" || field == "reviewer_id":
		id := jsonInt(raw)
		if id == 0 {
			return "—"
		}
		if u, ok := n.users[id]; ok {
			return u.Name
		}
		return fmt.Sprintf(translate(lang, "audit.s.user_n"), id)
	case field == "status" && entity == "submission":
		return translateOr(lang, "status."+plainString(raw), plainString(raw))
	case field == "kind" && entity == "activity":
		return translateOr(lang, "kind."+plainString(raw), plainString(raw))
	case field == "role":
		return translateOr(lang, "role."+plainString(raw), plainString(raw))
	case field == "level":
		return translateOr(lang, "level."+plainString(raw), plainString(raw))
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return crop(string(raw), 300)
	}
	switch v := v.(type) {
	case bool:
		if v {
			return translate(lang, "audit.s.yes")
		}
		return translate(lang, "audit.s.no")
	case float64:
		if v == float64(int64(v)) {
			return vnfmt.Int(int64(v))
		}
	case string:
		if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
			return auditTime(t)
		}
		return crop(v, 300)
	case []any:
		var parts []string
		for _, item := range v {
			parts = append(parts, fmt.Sprint(item))
		}
		return crop(strings.Join(parts, ", "), 300)
	}
	return shortJSON(raw)
}

// auditTime shows a time held in a record: a day (midnight UTC, as days
// are kept) as dd/mm/yyyy, an instant as dd/mm/yyyy hh:mm in Vietnam's
// time, a zero time as "—".
func auditTime(t time.Time) string {
	switch {
	case t.IsZero():
		return "—"
	case t.Equal(t.UTC().Truncate(24 * time.Hour)):
		return t.UTC().Format("02/01/2006")
	}
	return t.In(nscl.Local).Format("02/01/2006 15:04")
}

// fieldLabel names a record's field in lang, or leaves its code.
func fieldLabel(lang, field string) string {
	return translateOr(lang, "audit.field."+field, field)
}

// translateOr is translate with a fallback for a key the catalogue lacks.
func translateOr(lang, key, fallback string) string {
	if _, ok := catalogue[key]; !ok {
		return fallback
	}
	return translate(lang, key)
}

func jsonObject(s string) map[string]json.RawMessage {
	var m map[string]json.RawMessage
	if json.Unmarshal([]byte(s), &m) != nil {
		return nil
	}
	return m
}

func jsonInt(raw json.RawMessage) int64 {
	var v int64
	json.Unmarshal(raw, &v)
	return v
}

func jsonTime(raw json.RawMessage) time.Time {
	var t time.Time
	json.Unmarshal(raw, &t)
	return t
}

func plainString(raw json.RawMessage) string {
	var s string
	json.Unmarshal(raw, &s)
	return s
}

// amountsOf reads quantities or targets ([{"metric":…,"value":…}]) by metric.
func amountsOf(raw json.RawMessage) map[string]int64 {
	var list []struct {
		Metric string `json:"metric"`
		Value  int64  `json:"value"`
	}
	json.Unmarshal(raw, &list)
	out := map[string]int64{}
	for _, q := range list {
		out[q.Metric] = q.Value
	}
	return out
}

// rawAudit shows an entry's JSON for administrators, indented, with zero
// times (a date never set) as null, as the page never prints them.
func rawAudit(s string) string {
	if s == "" {
		return ""
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, []byte(s), "", "  "); err != nil {
		return s
	}
	return strings.ReplaceAll(buf.String(), `"0001-01-01T00:00:00Z"`, "null")
}
