package store

import (
	"context"
	"fmt"

	"nscl"
)

// CreateDocument stores a legal document and sets its ID. Returns EINVALID
// for missing fields and ECONFLICT when the same number, symbol and date
// are already on file.
func (tx *Tx) CreateDocument(ctx context.Context, d *nscl.Document) error {
	d.Type, d.Number, d.Symbol = nscl.NormalizeText(d.Type), nscl.NormalizeText(d.Number), nscl.NormalizeText(d.Symbol)
	d.Issuer, d.Title, d.Source = nscl.NormalizeText(d.Issuer), nscl.NormalizeText(d.Title), nscl.NormalizeText(d.Source)
	if err := nscl.ValidateDocument(*d); err != nil {
		return err
	}
	id, err := tx.insert(ctx, `INSERT INTO documents (type, number, symbol, issued_on, issuer, title, source) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		d.Type, d.Number, d.Symbol, formatDate(d.IssuedOn), d.Issuer, d.Title, d.Source)
	if isUniqueViolation(err) {
		return nscl.Conflict("number", "văn bản %s đã có", "document %s is already on file", d.NumberSymbol())
	}
	if err != nil {
		return fmt.Errorf("store: unable to create document: %w", err)
	}
	d.ID = id
	return tx.audit(ctx, "create", "document", d.ID, nil, d)
}

// Documents returns every document, oldest first.
func (s *Store) Documents(ctx context.Context) ([]nscl.Document, error) {
	rows, err := s.reader().query(ctx, `SELECT id, type, number, symbol, issued_on, issuer, title, source FROM documents ORDER BY issued_on IS NULL, issued_on, id`)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list documents: %w", err)
	}
	defer rows.Close()
	var docs []nscl.Document
	for rows.Next() {
		var d nscl.Document
		if err := rows.Scan(&d.ID, &d.Type, &d.Number, &d.Symbol, dateValue{&d.IssuedOn}, &d.Issuer, &d.Title, &d.Source); err != nil {
			return nil, err
		}
		docs = append(docs, d)
	}
	return docs, rows.Err()
}

// documentRef checks that a document cited by a plan or a round exists and
// returns the value to store: NULL for none.
func documentRef(ctx context.Context, c conn, id int64) (any, error) {
	if id == 0 {
		return nil, nil
	}
	var found int64
	if err := c.queryRow(ctx, `SELECT id FROM documents WHERE id = ?`, id).Scan(&found); err != nil {
		return nil, nscl.Invalid("document", "không có văn bản số %d", "no document with id %d", id)
	}
	return id, nil
}
