package exchange

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"nscl"
	"nscl/store"
)

// Import reads an nscl-exchange file into a database that does not hold
// its programme yet, in one transaction: on any error nothing is written.
// Activities are decoded one at a time, so the file need not fit in
// memory. The records are checked as if entered by hand.
//
// Returns EINVALID when the file is not an nscl-exchange file of a version
// this program reads, or when a record is bad — the error names it, as in
// "activities[12] (ref 2022-c-3): date: …" — and ECONFLICT when the
// database already holds the programme, or one of the file's units,
// documents or tax codes.
func Import(ctx context.Context, st *store.Store, r io.Reader) (Summary, error) {
	var sum Summary
	attempts := 0
	err := st.Update(ctx, func(tx *store.Tx) error {
		// Update runs this again when another writer was in the way, but
		// the file can be read only once.
		if attempts++; attempts > 1 {
			return &nscl.Error{Code: nscl.ECONFLICT, Field: "db",
				Message: "cơ sở dữ liệu đang bận nên chưa nhập được gì; hãy chạy lại lệnh nhập",
				English: "the database was busy and nothing was imported; run the import again"}
		}
		im := &importer{tx: tx, dec: json.NewDecoder(r),
			docIDs: map[string]int64{}, unitIDs: map[string]int64{}, enterpriseIDs: map[string]int64{}}
		tx.Batch() // kept totals moved once each, rows written many to a statement
		if err := im.run(ctx); err != nil {
			return err
		}
		sum = im.sum
		return tx.Flush(ctx)
	})
	return sum, err
}

// importer reads one file inside the import's transaction. The small
// sections are held until they can be written: the programme cites a
// document, and rounds are written after the activities, since a round
// whose submissions are approved locks the activities of its period.
// Enterprises, like activities, are written as they are read, and their
// merges once every record is in.
type importer struct {
	tx  *store.Tx
	dec *json.Decoder
	sum Summary

	format  string
	version int

	programme   *fileProgramme
	documents   []fileDocument
	units       []fileUnit
	successions []fileSuccession
	moves       []fileUnitMove
	plans       []filePlan
	rounds      []fileRound
	calls       []fileCall
	texts       []fileReportTexts

	setUp   bool // documents, programme, units and plans are written
	prog    *nscl.Programme
	docIDs  map[string]int64 // by number/symbol, and by number/symbol@date
	unitIDs map[string]int64 // by code
	lastRef int64            // the highest n of the "nscl:<n>" row keys imported

	enterpriseIDs map[string]int64 // by tax code
	merges        []pendingMerge
}

// pendingMerge is a record of the file merged into another, by tax code.
type pendingMerge struct {
	record        int // its index in the enterprises array
	taxCode, into string
}

func (im *importer) run(ctx context.Context) error {
	if err := im.delim('{', "format"); err != nil {
		return notExchange()
	}
	for im.dec.More() {
		key, err := im.key()
		if err != nil {
			return err
		}
		if err := im.section(ctx, key); err != nil {
			return err
		}
	}
	if err := im.delim('}', "format"); err != nil {
		return err
	}
	if im.format == "" || im.version == 0 {
		return notExchange()
	}
	if err := im.writeSetUp(ctx); err != nil {
		return err
	}
	if err := im.writeMerges(ctx); err != nil {
		return err
	}
	if err := im.writeRounds(ctx); err != nil {
		return err
	}
	if err := im.writeCalls(ctx); err != nil {
		return err
	}
	if err := im.writeTexts(ctx); err != nil {
		return err
	}
	if im.lastRef > 0 {
		return im.tx.KeepActivityIDsAbove(ctx, im.lastRef)
	}
	return nil
}

// section reads the value of one top-level key.
func (im *importer) section(ctx context.Context, key string) error {
	switch key {
	case "format":
		if err := im.decode(key, &im.format); err != nil {
			return err
		}
		if im.format != FormatExchange {
			return nscl.Invalid("format", "tệp có định dạng %q, không phải %q", "the file's format is %q, not %q", im.format, FormatExchange)
		}
		return nil
	case "version":
		if err := im.decode(key, &im.version); err != nil {
			return err
		}
		if im.version != Version {
			return nscl.Invalid("version", "tệp có phiên bản %d; bản nscl này chỉ đọc phiên bản %d", "the file is version %d; this nscl reads version %d only", im.version, Version)
		}
		return nil
	}
	// A reader must know what it reads before it writes anything.
	if im.format == "" || im.version == 0 {
		return notExchange()
	}
	switch key {
	case "programme", "documents", "units", "successions", "unit_moves", "plans":
		if im.setUp {
			return nscl.Invalid(key, "khối %q phải đứng trước khối \"activities\"", "section %q must come before \"activities\"", key)
		}
	}
	switch key {
	case "programme":
		im.programme = &fileProgramme{}
		if err := im.decode(key, im.programme); err != nil {
			return err
		}
		return im.checkNew(ctx)
	case "documents":
		return im.decode(key, &im.documents)
	case "units":
		return im.decode(key, &im.units)
	case "successions":
		return im.decode(key, &im.successions)
	case "unit_moves":
		return im.decode(key, &im.moves)
	case "plans":
		return im.decode(key, &im.plans)
	case "enterprises":
		return im.enterprises(ctx)
	case "activities":
		if err := im.writeSetUp(ctx); err != nil {
			return err
		}
		return im.activities(ctx)
	case "rounds":
		return im.decode(key, &im.rounds)
	case "calls":
		return im.decode(key, &im.calls)
	case "report_texts":
		return im.decode(key, &im.texts)
	}
	return skipValue(im.dec, key) // a section of a later version: ignored
}

// checkNew refuses a programme the database already holds, before
// anything else is read.
func (im *importer) checkNew(ctx context.Context) error {
	code := nscl.NormalizeText(im.programme.Code)
	_, err := im.tx.ProgrammeByCode(ctx, code)
	switch nscl.ErrorCode(err) {
	case nscl.ENOTFOUND:
		return nil
	case "":
		return nscl.Conflict("programme", "cơ sở dữ liệu đã có chương trình %q; chỉ nhập được vào cơ sở dữ liệu chưa có chương trình này", "the database already has programme %q; import into a database without it", code)
	}
	return err
}

// writeSetUp writes the documents, the programme, the units with their
// successions and moves, and the plans, once, before the first activity.
func (im *importer) writeSetUp(ctx context.Context) error {
	if im.setUp {
		return nil
	}
	im.setUp = true
	if im.programme == nil {
		return nscl.Invalid("programme", "tệp không có khối \"programme\" trước khối \"activities\"", "the file has no \"programme\" section before \"activities\"")
	}
	if err := im.writeDocuments(ctx); err != nil {
		return err
	}
	if err := im.writeProgramme(ctx); err != nil {
		return err
	}
	if err := im.writeUnits(ctx); err != nil {
		return err
	}
	if err := im.writeSuccessions(ctx); err != nil {
		return err
	}
	if err := im.writeMoves(ctx); err != nil {
		return err
	}
	if err := im.writePlans(ctx); err != nil {
		return err
	}
	im.documents, im.units, im.successions, im.moves, im.plans = nil, nil, nil, nil, nil
	return nil
}

func (im *importer) writeDocuments(ctx context.Context) error {
	shared := map[string]int{}
	for _, fd := range im.documents {
		shared[nscl.Document{Number: nscl.NormalizeText(fd.Number), Symbol: nscl.NormalizeText(fd.Symbol)}.NumberSymbol()]++
	}
	for i, fd := range im.documents {
		d := nscl.Document{Type: fd.Type, Number: fd.Number, Symbol: fd.Symbol, Issuer: fd.Issuer, Title: fd.Title, Source: fd.Source}
		var err error
		if d.IssuedOn, err = parseDate("issued_on", fd.IssuedOn); err == nil {
			err = im.tx.CreateDocument(ctx, &d)
		}
		if err != nil {
			return inRecord(recordName("documents", i, "", d.NumberSymbol()), err)
		}
		im.docIDs[datedKey(d)] = d.ID
		if shared[d.NumberSymbol()] == 1 {
			im.docIDs[d.NumberSymbol()] = d.ID
		}
		im.sum.Documents++
	}
	return nil
}

// document returns the ID of the document a record cites by key; 0 for none.
func (im *importer) document(key string) (int64, error) {
	key = nscl.NormalizeText(key)
	if key == "" {
		return 0, nil
	}
	id, ok := im.docIDs[key]
	if !ok {
		return 0, nscl.Invalid("document", "không có văn bản %q trong tệp", "document %q is not in the file", key)
	}
	return id, nil
}

func (im *importer) writeProgramme(ctx context.Context) error {
	fp := im.programme
	p := &nscl.Programme{Code: fp.Code, Name: fp.Name, StartYear: fp.StartYear, EndYear: fp.EndYear}
	var err error
	if p.DocumentID, err = im.document(fp.Document); err != nil {
		return inRecord("programme", err)
	}
	for _, g := range fp.TaskGroups {
		p.TaskGroups = append(p.TaskGroups, nscl.TaskGroup{Letter: g.Letter, Name: g.Name})
	}
	for _, m := range fp.Metrics {
		p.Metrics = append(p.Metrics, nscl.Metric{Code: m.Code, Name: m.Name, Unit: m.Unit, Kind: nscl.MetricKind(m.Kind),
			Rule: nscl.CountingRule(m.Rule), TaskGroup: m.TaskGroup, FirstYear: m.FirstYear})
	}
	if err := im.tx.CreateProgramme(ctx, p); err != nil {
		return inRecord("programme", err)
	}
	if fp.PortalCounting != (nscl.PortalCounting{}) {
		if err := im.tx.SetPortalCounting(ctx, p, fp.PortalCounting); err != nil {
			return inRecord("programme.portal_counting", err)
		}
	}
	im.prog, im.sum.Format, im.sum.Programme = p, FormatExchange, p.Code
	return nil
}

// unit returns the ID of a unit the file has already given, by code.
func (im *importer) unit(field, code string) (int64, error) {
	id, ok := im.unitIDs[nscl.NormalizeText(code)]
	if !ok {
		return 0, nscl.Invalid(field, "không có đơn vị mã %q trong tệp", "unit %q is not in the file", code)
	}
	return id, nil
}

func (im *importer) writeUnits(ctx context.Context) error {
	for i, fu := range im.units {
		if err := im.writeUnit(ctx, fu); err != nil {
			return inRecord(recordName("units", i, "code", fu.Code), err)
		}
		im.sum.Units++
	}
	return nil
}

func (im *importer) writeUnit(ctx context.Context, fu fileUnit) error {
	u := nscl.OrgUnit{Code: fu.Code, Name: fu.Name, ShortName: fu.ShortName, Level: nscl.UnitLevel(fu.Level)}
	if fu.Parent != "" {
		parent, ok := im.unitIDs[nscl.NormalizeText(fu.Parent)]
		if !ok {
			return nscl.Invalid("parent", "đơn vị cấp trên %q phải có trong tệp, đứng trước đơn vị này", "parent unit %q must be in the file, before this unit", fu.Parent)
		}
		u.ParentID = parent
	}
	var err error
	if u.OpenedOn, err = parseDate("opened_on", fu.OpenedOn); err != nil {
		return err
	}
	if u.ClosedOn, err = parseDate("closed_on", fu.ClosedOn); err != nil {
		return err
	}
	if err := im.tx.CreateUnit(ctx, &u); err != nil {
		return err
	}
	im.unitIDs[u.Code] = u.ID
	return nil
}

// writeSuccessions gives the file's closed units their successors, one
// record at a time, checked as the unit close command checks them. A unit
// closes in the file's units, on the day of its successions: a succession
// of a unit the file leaves open, or closes another day, is refused
// rather than closing it here.
func (im *importer) writeSuccessions(ctx context.Context) error {
	for i, fs := range im.successions {
		if err := im.writeSuccession(ctx, fs); err != nil {
			return inRecord(recordName("successions", i, "predecessor", fs.Predecessor), err)
		}
		im.sum.Successions++
	}
	return nil
}

func (im *importer) writeSuccession(ctx context.Context, fs fileSuccession) error {
	for _, u := range []struct{ field, code string }{{"predecessor", fs.Predecessor}, {"successor", fs.Successor}} {
		if _, err := im.unit(u.field, u.code); err != nil {
			return err
		}
	}
	day, err := parseDate("on", fs.On)
	if err != nil {
		return err
	}
	if day.IsZero() {
		return nscl.Required("on")
	}
	unit, err := im.tx.UnitByCode(ctx, fs.Predecessor)
	if err != nil {
		return err
	}
	if !unit.ClosedOn.Equal(day) {
		return nscl.Invalid("on", "đơn vị %s được kế tục từ ngày %s nhưng trong tệp không giải thể ngày đó", "unit %s is succeeded on %s, but the file does not close it that day", unit.Code, day.Format("02/01/2006"))
	}
	_, err = im.tx.CloseUnitInto(ctx, fs.Predecessor, day, []string{fs.Successor})
	return err
}

// writeMoves restores each unit's moves, all of a unit's at once, in the
// order the file gives them (oldest first).
func (im *importer) writeMoves(ctx context.Context) error {
	var order []string                         // units, as first met
	byUnit := map[string][]nscl.ParentChange{} // by unit code
	first := map[string]int{}                  // the record of each unit's first move, to name
	for i, fm := range im.moves {
		name := recordName("unit_moves", i, "unit", fm.Unit)
		m, err := im.move(fm)
		if err != nil {
			return inRecord(name, err)
		}
		code := nscl.NormalizeText(fm.Unit)
		if _, ok := byUnit[code]; !ok {
			order, first[code] = append(order, code), i
		}
		byUnit[code] = append(byUnit[code], m)
	}
	for _, code := range order {
		if err := im.tx.RestoreParentChanges(ctx, im.unitIDs[code], byUnit[code]); err != nil {
			return inRecord(recordName("unit_moves", first[code], "unit", code), err)
		}
		im.sum.UnitMoves += len(byUnit[code])
	}
	return nil
}

func (im *importer) move(fm fileUnitMove) (nscl.ParentChange, error) {
	var m nscl.ParentChange
	var err error
	if m.UnitID, err = im.unit("unit", fm.Unit); err != nil {
		return m, err
	}
	if fm.OldParent != "" {
		if m.OldParentID, err = im.unit("old_parent", fm.OldParent); err != nil {
			return m, err
		}
	}
	if m.NewParentID, err = im.unit("new_parent", fm.NewParent); err != nil {
		return m, err
	}
	if m.On, err = parseDate("on", fm.On); err == nil && m.On.IsZero() {
		err = nscl.Required("on")
	}
	return m, err
}

func (im *importer) writePlans(ctx context.Context) error {
	for i, fp := range im.plans {
		if err := im.writePlan(ctx, fp); err != nil {
			return inRecord(recordName("plans", i, "", ""), err)
		}
		im.sum.Plans++
	}
	return nil
}

func (im *importer) writePlan(ctx context.Context, fp filePlan) error {
	p := nscl.Plan{Kind: nscl.PlanKind(fp.Kind), StartYear: fp.StartYear, EndYear: fp.EndYear, Name: fp.Name}
	var err error
	if p.UnitID, err = im.unit("unit", fp.Unit); err != nil {
		return err
	}
	if p.DocumentID, err = im.document(fp.Document); err != nil {
		return err
	}
	for _, code := range im.metricOrder(fp.Targets) {
		p.Targets = append(p.Targets, nscl.Target{Metric: code, Value: fp.Targets[code]})
	}
	for _, unit := range slices.Sorted(maps.Keys(fp.Allotments)) {
		id, err := im.unit("allotments."+unit, unit)
		if err != nil {
			return err
		}
		for _, code := range im.metricOrder(fp.Allotments[unit]) {
			p.Allotments = append(p.Allotments, nscl.Allotment{UnitID: id, Metric: code, Value: fp.Allotments[unit][code]})
		}
	}
	return im.tx.CreatePlan(ctx, im.prog, &p)
}

// metricOrder returns the codes of m in the programme's order, then any
// the programme does not know (for the checks to name), sorted.
func (im *importer) metricOrder(m map[string]int64) []string {
	var codes []string
	for _, metric := range im.prog.Metrics {
		if _, ok := m[metric.Code]; ok {
			codes = append(codes, metric.Code)
		}
	}
	var unknown []string
	for code := range m {
		if !slices.Contains(codes, code) {
			unknown = append(unknown, code)
		}
	}
	slices.Sort(unknown)
	return append(codes, unknown...)
}

// activities reads the activities array one record at a time and writes
// each as it comes.
func (im *importer) activities(ctx context.Context) error {
	if err := im.delim('[', "activities"); err != nil {
		return err
	}
	for i := 0; im.dec.More(); i++ {
		var fa fileActivity
		if err := im.dec.Decode(&fa); err != nil {
			return decodeError(fmt.Sprintf("activities[%d]", i), err)
		}
		if err := im.writeActivity(ctx, fa); err != nil {
			return inRecord(recordName("activities", i, "ref", fa.Ref), err)
		}
		im.sum.Activities++
	}
	return im.delim(']', "activities")
}

func (im *importer) writeActivity(ctx context.Context, fa fileActivity) error {
	// A file written before the portal's keys were carried apart (or by
	// hand) may hold one: it is this database's ordinary activity.
	a := nscl.Activity{TaskGroup: fa.TaskGroup, Kind: nscl.ActivityKind(fa.Kind), Description: fa.Description,
		NotInFootnote: fa.NotInFootnote, Source: fa.Source, Ref: nscl.ExchangeRef(nscl.NormalizeText(fa.Ref)), Beneficiaries: fa.Beneficiaries}
	var err error
	if a.UnitID, err = im.unit("unit", fa.Unit); err != nil {
		return err
	}
	if a.Date, err = parseDate("date", fa.Date); err != nil {
		return err
	}
	for _, code := range im.metricOrder(fa.Quantities) {
		a.Quantities = append(a.Quantities, nscl.Quantity{Metric: code, Value: fa.Quantities[code]})
	}
	if err := im.tx.CreateActivity(ctx, im.prog, &a); err != nil {
		return err
	}
	// Keys of the form "nscl:<n>" were given by the database the file
	// comes from, before keys carried a random part ("nscl:<n>-<hex>").
	// A database of that time would give "nscl:<n>" again to its own
	// activity n; one of today gives keys with a random part, which cannot
	// equal an old key, so moving the IDs on is no longer needed for the
	// keys, only kept (a key with a random part moves nothing).
	if digits, ok := strings.CutPrefix(a.Ref, "nscl:"); ok {
		if n, err := strconv.ParseInt(digits, 10, 64); err == nil {
			im.lastRef = max(im.lastRef, n)
		}
	}
	return nil
}

// enterprises reads the registry one record at a time and writes each as
// it comes. A record of the file whose tax code the database already has
// is refused, as its units and documents are: the import adds to a
// database, it does not reconcile two registries.
func (im *importer) enterprises(ctx context.Context) error {
	if err := im.delim('[', "enterprises"); err != nil {
		return err
	}
	for i := 0; im.dec.More(); i++ {
		var fe fileEnterprise
		if err := im.dec.Decode(&fe); err != nil {
			return decodeError(fmt.Sprintf("enterprises[%d]", i), err)
		}
		if err := im.writeEnterprise(ctx, i, fe); err != nil {
			return inRecord(recordName("enterprises", i, "tax code", fe.TaxCode), err)
		}
		im.sum.Enterprises++
	}
	return im.delim(']', "enterprises")
}

func (im *importer) writeEnterprise(ctx context.Context, i int, fe fileEnterprise) error {
	e := nscl.Enterprise{TaxCode: fe.TaxCode, Name: fe.Name, Address: fe.Address, District: fe.District, Sector: fe.Sector,
		Size: nscl.EnterpriseSize(fe.Size), Contact: nscl.Contact{Name: fe.Contact.Name, Email: fe.Contact.Email, Phone: fe.Contact.Phone}}
	// Unnamed is allowed: a tax code met in an activity is a record before
	// anyone describes the firm.
	if err := im.tx.CreateEnterprise(ctx, &e, true); err != nil {
		return err
	}
	im.enterpriseIDs[e.TaxCode] = e.ID
	if into := strings.TrimSpace(fe.MergedInto); into != "" {
		im.merges = append(im.merges, pendingMerge{record: i, taxCode: e.TaxCode, into: into})
	}
	return nil
}

// writeMerges merges the records the file marks merged, once every record
// is in: a record may be merged into one further down the array.
func (im *importer) writeMerges(ctx context.Context) error {
	mergedInto := make(map[string]string, len(im.merges))
	for _, m := range im.merges {
		mergedInto[m.taxCode] = m.into
	}
	for _, m := range im.merges {
		if err := im.merge(ctx, m, mergedInto); err != nil {
			return inRecord(recordName("enterprises", m.record, "tax code", m.taxCode), err)
		}
		im.sum.Merged++
	}
	im.merges = nil
	return nil
}

// merge applies one merge after checking it against the file as a whole,
// by the registry's rule (nscl.ValidateMerge): checked one at a time
// against the database, a record merged into a merged record would be
// taken in and the chain flattened, where the file is wrong.
func (im *importer) merge(ctx context.Context, m pendingMerge, mergedInto map[string]string) error {
	intoID, ok := im.enterpriseIDs[m.into]
	if !ok {
		return nscl.Invalid("merged_into", "không có doanh nghiệp mã số thuế %q trong tệp", "enterprise %q is not in the file", m.into)
	}
	// Both records as the file has them, whatever is merged so far.
	from := nscl.Enterprise{ID: im.enterpriseIDs[m.taxCode], TaxCode: m.taxCode}
	into := nscl.Enterprise{ID: intoID, TaxCode: m.into, MergedInto: im.enterpriseIDs[mergedInto[m.into]]}
	if err := nscl.ValidateMerge(from, into, 0); err != nil { // a file's records merged into from would be a chain, refused above
		var e *nscl.Error
		if errors.As(err, &e) {
			e.Field = "merged_into" // the file's name for what ValidateMerge calls "into"
		}
		return err
	}
	return im.tx.MergeEnterprise(ctx, from.ID, intoID)
}

func (im *importer) writeCalls(ctx context.Context) error {
	for i, fc := range im.calls {
		if err := im.writeCall(ctx, fc); err != nil {
			return inRecord(recordName("calls", i, "", ""), err)
		}
		im.sum.Calls++
	}
	return nil
}

func (im *importer) writeCall(ctx context.Context, fc fileCall) error {
	c := nscl.Call{ProgrammeID: im.prog.ID, Title: fc.Title, Description: fc.Description}
	var err error
	if c.DocumentID, err = im.document(fc.Document); err != nil {
		return err
	}
	if c.OpensOn, err = parseDate("opens_on", fc.OpensOn); err != nil {
		return err
	}
	if c.ClosesOn, err = parseDate("closes_on", fc.ClosesOn); err != nil {
		return err
	}
	return im.tx.CreateCall(ctx, &c)
}

func (im *importer) writeRounds(ctx context.Context) error {
	for i, fr := range im.rounds {
		if err := im.writeRound(ctx, i, fr); err != nil {
			return err
		}
		im.sum.Rounds++
	}
	return nil
}

func (im *importer) writeRound(ctx context.Context, i int, fr fileRound) error {
	name := recordName("rounds", i, "", "")
	r := nscl.Round{Title: fr.Title}
	var err error
	if r.DocumentID, err = im.document(fr.Document); err != nil {
		return inRecord(name, err)
	}
	for _, d := range []struct {
		field, value string
		to           *time.Time
	}{{"period_start", fr.PeriodStart, &r.PeriodStart}, {"period_end", fr.PeriodEnd, &r.PeriodEnd},
		{"cutoff", fr.Cutoff, &r.Cutoff}, {"deadline", fr.Deadline, &r.Deadline}} {
		if *d.to, err = parseDate(d.field, d.value); err != nil {
			return inRecord(name, err)
		}
	}
	subs := make([]nscl.Submission, len(fr.Submissions))
	histories := make([][]nscl.SubmissionEvent, len(fr.Submissions))
	for j, fs := range fr.Submissions {
		if subs[j], err = im.submission(fs); err == nil {
			histories[j], err = submissionHistory(fs.History)
		}
		if err != nil {
			return inRecord(fmt.Sprintf("%s.%s", name, recordName("submissions", j, "unit", fs.Unit)), err)
		}
		r.UnitIDs = append(r.UnitIDs, subs[j].UnitID)
	}
	if err := im.tx.CreateRound(ctx, im.prog, &r); err != nil {
		return inRecord(name, err)
	}
	for j, sub := range subs {
		if sub.Status == nscl.StatusDraft && sub.SubmittedAt.IsZero() && sub.FirstSentAt.IsZero() && sub.ReviewedAt.IsZero() && sub.Comment == "" && histories[j] == nil {
			continue // as CreateRound left it
		}
		sub.RoundID = r.ID
		err := im.tx.RestoreSubmission(ctx, sub)
		if err == nil && histories[j] != nil { // else the history its record tells, for files written before it was carried
			err = im.tx.RestoreSubmissionHistory(ctx, r.ID, sub.UnitID, histories[j])
		}
		if err != nil {
			return inRecord(fmt.Sprintf("%s.%s", name, recordName("submissions", j, "unit", fr.Submissions[j].Unit)), err)
		}
	}
	return nil
}

// submissionHistory reads a submission's steps; nil when the file has none.
func submissionHistory(steps []fileStep) ([]nscl.SubmissionEvent, error) {
	var events []nscl.SubmissionEvent
	for i, st := range steps {
		at, err := parseTime(fmt.Sprintf("history[%d].at", i), st.At)
		if err != nil {
			return nil, err
		}
		events = append(events, nscl.SubmissionEvent{Step: nscl.ReviewStep(st.Step), At: at, Comment: st.Comment})
	}
	return events, nil
}

func (im *importer) submission(fs fileSubmission) (nscl.Submission, error) {
	sub := nscl.Submission{Status: nscl.SubmissionStatus(fs.Status), Comment: fs.Comment}
	var err error
	if sub.UnitID, err = im.unit("unit", fs.Unit); err != nil {
		return sub, err
	}
	if sub.SubmittedAt, err = parseTime("submitted_at", fs.SubmittedAt); err != nil {
		return sub, err
	}
	if sub.FirstSentAt, err = parseTime("first_sent_at", fs.FirstSentAt); err != nil {
		return sub, err
	}
	sub.ReviewedAt, err = parseTime("reviewed_at", fs.ReviewedAt)
	return sub, err
}

func (im *importer) writeTexts(ctx context.Context) error {
	for i, ft := range im.texts {
		unitID, err := im.unit("unit", ft.Unit)
		if err == nil {
			err = im.tx.SetReportTexts(ctx, im.prog, unitID, ft.Year, ft.Parts, "")
		}
		if err != nil {
			return inRecord(recordName("report_texts", i, "unit", fmt.Sprintf("%s, %d", ft.Unit, ft.Year)), err)
		}
		im.sum.ReportTexts++
	}
	return nil
}

// Reading the JSON stream.

func (im *importer) key() (string, error) {
	tok, err := im.dec.Token()
	if err != nil {
		return "", decodeError("", err)
	}
	key, ok := tok.(string)
	if !ok {
		return "", notExchange()
	}
	return key, nil
}

// delim reads the next token, which must be d.
func (im *importer) delim(d json.Delim, where string) error {
	tok, err := im.dec.Token()
	if err != nil {
		return decodeError(where, err)
	}
	if tok != d {
		return nscl.Invalid(where, "tệp không đúng định dạng: cần %q ở đây", "the file is malformed: %q expected here", d.String())
	}
	return nil
}

func (im *importer) decode(key string, v any) error {
	if err := im.dec.Decode(v); err != nil {
		return decodeError(key, err)
	}
	return nil
}

// skipValue reads past one value, token by token, however large it is.
func skipValue(dec *json.Decoder, where string) error {
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return decodeError(where, err)
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

// DetectFormat reads the "format" field of an exchange file — FormatExchange
// or FormatSummary — without reading the rest, so that a caller can tell
// which import to run. Returns EINVALID for anything that is not one.
func DetectFormat(r io.Reader) (string, error) {
	dec := json.NewDecoder(r)
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return "", notExchange()
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return "", notExchange()
		}
		if tok != "format" {
			if err := skipValue(dec, fmt.Sprint(tok)); err != nil {
				return "", err
			}
			continue
		}
		var format string
		if err := dec.Decode(&format); err != nil {
			return "", notExchange()
		}
		if format != FormatExchange && format != FormatSummary {
			return "", nscl.Invalid("format", "định dạng %q không được hỗ trợ (chỉ %q và %q)", "format %q is not supported (only %q and %q)", format, FormatExchange, FormatSummary)
		}
		return format, nil
	}
	return "", notExchange()
}

func notExchange() error {
	return nscl.Invalid("format", "tệp không phải tệp trao đổi của nscl: cần mở đầu bằng {\"format\": …, \"version\": …}", "the file is not an nscl exchange file: it must begin with {\"format\": …, \"version\": …}")
}

// decodeError turns what the JSON decoder says into an error for a person,
// naming where in the file it happened.
func decodeError(where string, err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return &nscl.Error{Code: nscl.EINVALID, Field: where,
			Message: fmt.Sprintf("tệp JSON hỏng ở byte %d", syntax.Offset),
			English: fmt.Sprintf("broken JSON at byte %d: %v", syntax.Offset, syntax)}
	case errors.As(err, &typ):
		return &nscl.Error{Code: nscl.EINVALID, Field: where,
			Message: fmt.Sprintf("trường %q không nhận giá trị kiểu %s", typ.Field, typ.Value),
			English: fmt.Sprintf("field %q cannot hold a %s", typ.Field, typ.Value)}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &nscl.Error{Code: nscl.EINVALID, Field: where, Message: "tệp kết thúc giữa chừng", English: "the file ends too early"}
	}
	return fmt.Errorf("exchange: reading %s: %w", where, err)
}
