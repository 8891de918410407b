package exchange

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"nscl"
	"nscl/store"
)

// activityPage is how many activities an export reads at a time: enough
// to make few queries, few enough that memory does not grow with the
// programme.
const activityPage = 500

// Export writes the programme with the given code — its definition,
// documents, org units with their successions and moves, plans, the enterprise registry, activities, rounds
// with their submissions, calls for participation and report texts — as an
// nscl-exchange file. Activities are read and written a page at a time,
// and the registry a record at a time, so memory stays flat however many
// there are.
// Returns ENOTFOUND for an unknown programme, and ECONFLICT when the data
// changed under the export in a way that would leave the file
// inconsistent (run it again).
func Export(ctx context.Context, st *store.Store, programmeCode string, w io.Writer) error {
	prog, err := st.ProgrammeByCode(ctx, programmeCode)
	if err != nil {
		return err
	}
	// Everything but the activities is small and read first. Documents
	// and units are never deleted, so reading them after the records that
	// cite them means every citation finds its record even while others
	// write; activities of units added during the export are caught below.
	plans, err := st.Plans(ctx, prog)
	if err != nil {
		return err
	}
	rounds, err := st.Rounds(ctx, prog)
	if err != nil {
		return err
	}
	subs, err := st.RoundSubmissions(ctx, prog)
	if err != nil {
		return err
	}
	history := map[int64]map[int64][]nscl.SubmissionEvent{} // by round, then unit
	for _, r := range rounds {
		if history[r.ID], err = st.RoundHistory(ctx, r.ID); err != nil {
			return err
		}
	}
	calls, err := st.Calls(ctx, prog)
	if err != nil {
		return err
	}
	texts, err := st.AllReportTexts(ctx, prog)
	if err != nil {
		return err
	}
	successions, err := st.Successions(ctx)
	if err != nil {
		return err
	}
	moves, err := st.ParentChanges(ctx)
	if err != nil {
		return err
	}
	docs, err := st.Documents(ctx)
	if err != nil {
		return err
	}
	units, err := st.Units(ctx)
	if err != nil {
		return err
	}
	ex := &exporter{out: newJSONWriter(w), docKeys: newDocumentKeys(docs), unitCodes: map[int64]string{}}
	for _, u := range units {
		ex.unitCodes[u.ID] = u.Code
	}
	fp := ex.programme(prog)
	if fp.PortalCounting, err = st.PortalCounting(ctx, prog); err != nil {
		return err
	}
	o := ex.out
	o.begin()
	o.field("format", FormatExchange)
	o.field("version", Version)
	o.field("exported_at", formatTime(st.Now()))
	o.field("programme", fp)
	o.array("documents", len(docs), func(i int) any { return documentRecord(docs[i]) })
	o.array("units", len(units), func(i int) any { return ex.unit(units[i]) })
	o.array("successions", len(successions), func(i int) any {
		s := successions[i]
		return fileSuccession{Predecessor: ex.unitCodes[s.PredecessorID], Successor: ex.unitCodes[s.SuccessorID], On: formatDate(s.On)}
	})
	o.array("unit_moves", len(moves), func(i int) any {
		m := moves[i]
		return fileUnitMove{Unit: ex.unitCodes[m.UnitID], OldParent: ex.unitCodes[m.OldParentID], NewParent: ex.unitCodes[m.NewParentID], On: formatDate(m.On)}
	})
	o.array("plans", len(plans), func(i int) any { return ex.plan(plans[i]) })
	if err := ex.enterprises(ctx, st); err != nil {
		return err
	}
	if err := ex.activities(ctx, st, prog); err != nil {
		return err
	}
	// Rounds and calls come newest first; the file lists them in the order
	// they were made, so that an import makes them in that order again.
	slices.Reverse(rounds)
	o.array("rounds", len(rounds), func(i int) any { return ex.round(rounds[i], subs[rounds[i].ID], history[rounds[i].ID]) })
	slices.Reverse(calls)
	o.array("calls", len(calls), func(i int) any { return ex.call(calls[i]) })
	o.array("report_texts", len(texts), func(i int) any {
		return fileReportTexts{Unit: ex.unitCodes[texts[i].UnitID], Year: texts[i].Year, Parts: texts[i].Parts}
	})
	return o.end()
}

type exporter struct {
	out       *jsonWriter
	docKeys   documentKeys
	unitCodes map[int64]string
}

func (ex *exporter) programme(p *nscl.Programme) fileProgramme {
	fp := fileProgramme{Code: p.Code, Name: p.Name, StartYear: p.StartYear, EndYear: p.EndYear, Document: ex.docKeys[p.DocumentID],
		TaskGroups: []fileGroup{}, Metrics: []fileMetric{}}
	for _, g := range p.TaskGroups {
		fp.TaskGroups = append(fp.TaskGroups, fileGroup{Letter: g.Letter, Name: g.Name})
	}
	for _, m := range p.Metrics {
		fp.Metrics = append(fp.Metrics, fileMetric{Code: m.Code, Name: m.Name, Unit: m.Unit, Kind: string(m.Kind), Rule: string(m.Rule), TaskGroup: m.TaskGroup, FirstYear: m.FirstYear})
	}
	return fp
}

func documentRecord(d nscl.Document) fileDocument {
	return fileDocument{Type: d.Type, Number: d.Number, Symbol: d.Symbol, IssuedOn: formatDate(d.IssuedOn), Issuer: d.Issuer, Title: d.Title, Source: d.Source}
}

func (ex *exporter) unit(u nscl.OrgUnit) fileUnit {
	return fileUnit{Code: u.Code, Parent: ex.unitCodes[u.ParentID], Name: u.Name, ShortName: u.ShortName, Level: string(u.Level),
		OpenedOn: formatDate(u.OpenedOn), ClosedOn: formatDate(u.ClosedOn)}
}

func (ex *exporter) plan(p nscl.Plan) filePlan {
	fp := filePlan{Unit: ex.unitCodes[p.UnitID], Kind: string(p.Kind), StartYear: p.StartYear, EndYear: p.EndYear,
		Document: ex.docKeys[p.DocumentID], Name: p.Name, Targets: map[string]int64{}}
	for _, t := range p.Targets {
		fp.Targets[t.Metric] = t.Value
	}
	for _, a := range p.Allotments {
		code := ex.unitCodes[a.UnitID]
		if fp.Allotments == nil {
			fp.Allotments = map[string]map[string]int64{}
		}
		if fp.Allotments[code] == nil {
			fp.Allotments[code] = map[string]int64{}
		}
		fp.Allotments[code][a.Metric] = a.Value
	}
	return fp
}

func (ex *exporter) round(r nscl.Round, subs []nscl.Submission, history map[int64][]nscl.SubmissionEvent) fileRound {
	fr := fileRound{Title: r.Title, Document: ex.docKeys[r.DocumentID], PeriodStart: formatDate(r.PeriodStart), PeriodEnd: formatDate(r.PeriodEnd),
		Cutoff: formatDate(r.Cutoff), Deadline: formatDate(r.Deadline), Submissions: []fileSubmission{}}
	for _, s := range subs {
		fs := fileSubmission{Unit: ex.unitCodes[s.UnitID], Status: string(s.Status),
			SubmittedAt: formatTime(s.SubmittedAt), FirstSentAt: formatTime(s.FirstSentAt), ReviewedAt: formatTime(s.ReviewedAt), Comment: s.Comment}
		for _, e := range history[s.UnitID] {
			fs.History = append(fs.History, fileStep{Step: string(e.Step), At: formatTime(e.At), Comment: e.Comment})
		}
		fr.Submissions = append(fr.Submissions, fs)
	}
	return fr
}

func (ex *exporter) call(c nscl.Call) fileCall {
	return fileCall{Title: c.Title, Description: c.Description, Document: ex.docKeys[c.DocumentID],
		OpensOn: formatDate(c.OpensOn), ClosesOn: formatDate(c.ClosesOn)}
}

// enterprises writes the whole registry, merged records included: the
// registry belongs to the database, as documents and units do, and an
// activity's beneficiary counts as the record it is merged into, so the
// merges are needed for the counts to come out the same.
func (ex *exporter) enterprises(ctx context.Context, st *store.Store) error {
	o := ex.out
	o.openArray("enterprises")
	err := st.EachEnterprise(ctx, func(e nscl.Enterprise, mergedInto string) error {
		o.element(fileEnterprise{TaxCode: e.TaxCode, Name: e.Name, Address: e.Address, District: e.District, Sector: e.Sector,
			Size: string(e.Size), Contact: fileContact{Name: e.Contact.Name, Email: e.Contact.Email, Phone: e.Contact.Phone}, MergedInto: mergedInto})
		return o.err // the writer failed: no point reading on
	})
	if err != nil {
		return err
	}
	o.closeArray()
	return nil
}

// activities writes the activities as it reads them, a page at a time, in
// the order they were entered.
func (ex *exporter) activities(ctx context.Context, st *store.Store, prog *nscl.Programme) error {
	o := ex.out
	o.openArray("activities")
	var last int64
	for {
		page, err := st.ActivitiesAfter(ctx, prog, last, activityPage)
		if err != nil {
			return err
		}
		for _, a := range page {
			rec, err := ex.activity(a)
			if err != nil {
				return err
			}
			o.element(rec)
			last = a.ID
		}
		if len(page) < activityPage {
			break
		}
		if o.err != nil {
			return o.err // the writer failed: no point reading on
		}
	}
	o.closeArray()
	return nil
}

func (ex *exporter) activity(a nscl.Activity) (fileActivity, error) {
	unit, ok := ex.unitCodes[a.UnitID]
	if !ok {
		// The unit was added after the export read the tree: the file would
		// cite a unit it does not hold.
		return fileActivity{}, nscl.Conflict("units", "dữ liệu thay đổi trong khi xuất (hoạt động %s thuộc một đơn vị mới thêm); hãy xuất lại", "the data changed during the export (activity %s belongs to a unit added meanwhile); export again", a.Ref)
	}
	// An activity the portal wrote goes as an ordinary one: the file
	// carries no articles or classes to keep it in step with.
	fa := fileActivity{Ref: nscl.ExchangeRef(a.Ref), Unit: unit, Date: formatDate(a.Date), TaskGroup: a.TaskGroup, Kind: string(a.Kind),
		Description: a.Description, NotInFootnote: a.NotInFootnote, Source: a.Source, Beneficiaries: a.Beneficiaries}
	if len(a.Quantities) > 0 {
		fa.Quantities = map[string]int64{}
		for _, q := range a.Quantities {
			fa.Quantities[q.Metric] = q.Value
		}
	}
	return fa, nil
}

// jsonWriter writes the top-level object of an exchange file with one
// record a line, so that the file reads, greps and diffs well however
// large it is. Its first error sticks and is returned by end.
type jsonWriter struct {
	w      *bufio.Writer
	buf    bytes.Buffer
	enc    *json.Encoder
	fields int // fields written so far in the top-level object
	items  int // elements written so far in the open array
	err    error
}

func newJSONWriter(w io.Writer) *jsonWriter {
	o := &jsonWriter{w: bufio.NewWriterSize(w, 64<<10)}
	o.enc = json.NewEncoder(&o.buf)
	o.enc.SetEscapeHTML(false) // "<" and "&" stay as they are in Vietnamese text
	return o
}

func (o *jsonWriter) begin() { o.write([]byte("{")) }

// value writes v as compact JSON.
func (o *jsonWriter) value(v any) {
	if o.err != nil {
		return
	}
	o.buf.Reset()
	if err := o.enc.Encode(v); err != nil {
		o.err = fmt.Errorf("exchange: unable to encode: %w", err)
		return
	}
	o.write(bytes.TrimSuffix(o.buf.Bytes(), []byte("\n")))
}

func (o *jsonWriter) key(name string) {
	sep := ",\n  "
	if o.fields == 0 {
		sep = "\n  "
	}
	o.fields++
	o.write([]byte(sep))
	o.value(name)
	o.write([]byte(": "))
}

// field writes a field of the top-level object, its value indented: the
// programme's definition is read by people more than any other part.
func (o *jsonWriter) field(name string, v any) {
	o.key(name)
	if o.err != nil {
		return
	}
	o.buf.Reset()
	if err := o.enc.Encode(v); err != nil {
		o.err = fmt.Errorf("exchange: unable to encode %s: %w", name, err)
		return
	}
	var indented bytes.Buffer
	if err := json.Indent(&indented, bytes.TrimSuffix(o.buf.Bytes(), []byte("\n")), "  ", "  "); err != nil {
		o.err = fmt.Errorf("exchange: unable to encode %s: %w", name, err)
		return
	}
	o.write(indented.Bytes())
}

func (o *jsonWriter) openArray(name string) {
	o.key(name)
	o.write([]byte("["))
	o.items = 0
}

func (o *jsonWriter) element(v any) {
	sep := ",\n    "
	if o.items == 0 {
		sep = "\n    "
	}
	o.items++
	o.write([]byte(sep))
	o.value(v)
}

func (o *jsonWriter) closeArray() {
	if o.items > 0 {
		o.write([]byte("\n  "))
	}
	o.write([]byte("]"))
}

// array writes a section of n records, record(i) giving each.
func (o *jsonWriter) array(name string, n int, record func(i int) any) {
	o.openArray(name)
	for i := range n {
		o.element(record(i))
	}
	o.closeArray()
}

func (o *jsonWriter) end() error {
	o.write([]byte("\n}\n"))
	if o.err == nil {
		if err := o.w.Flush(); err != nil {
			o.err = fmt.Errorf("exchange: unable to write: %w", err)
		}
	}
	return o.err
}

func (o *jsonWriter) write(p []byte) {
	if o.err != nil {
		return
	}
	if _, err := o.w.Write(p); err != nil {
		o.err = fmt.Errorf("exchange: unable to write: %w", err)
	}
}
