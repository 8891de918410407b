package main

// What the set-up commands (unit, round, plan) share: who writes, how a
// domain error points at the flag that was typed, and JSON output.

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"nscl"
	"nscl/store"
	"nscl/web"
)

// operator is whoever runs nscl without --as: with the database in hand it
// may do what focal staff do, as `nscl activity add` does, and its writes
// are recorded as the system's.
var operator = nscl.User{Role: nscl.RoleFocal}

// actingAs returns ctx writing as the account --as names, once require
// lets that account make the write: the audit log then names the person,
// and never one the web would have refused. Without --as, ctx is returned
// as it is.
func actingAs(ctx context.Context, st *store.Store, email string, require func(nscl.User) error) (context.Context, error) {
	if email == "" {
		return ctx, nil
	}
	u, err := st.UserByEmail(ctx, email)
	if nscl.ErrorCode(err) == nscl.ENOTFOUND {
		return ctx, nscl.Invalid("as", "không có tài khoản %q", "no account %q", email)
	}
	if err != nil {
		return ctx, err
	}
	if u.Disabled {
		return ctx, nscl.Invalid("as", "tài khoản %s đã bị khóa", "account %s is disabled", u.Email)
	}
	if err := require(u); err != nil {
		return ctx, onFlag(err, "as")
	}
	return store.WithActor(ctx, u.ID), nil
}

// openForSetup opens the store for a set-up write acting as the account
// --as names (checked to be allowed set-up), or as the system; the caller
// closes the store.
func openForSetup(ctx context.Context, db, as string) (*store.Store, context.Context, error) {
	st, err := openStore(ctx, db, true)
	if err != nil {
		return nil, ctx, err
	}
	if ctx, err = actingAs(ctx, st, as, nscl.User.RequireSetup); err != nil {
		st.Close()
		return nil, ctx, err
	}
	return st, ctx, nil
}

// asFlag is the --as flag of the set-up writes.
func asFlag(fs *flag.FlagSet) *string {
	return fs.String("as", "", "e-mail của tài khoản thực hiện, ghi vào nhật ký (account acting, named in the audit log); mặc định: hệ thống")
}

// flagErrors renames the field each mistake of a domain or store error
// names (the web form's name, such as period_start) to the flag that set
// it (--from), so that the message points at what was typed; every
// mistake is kept (nscl.Errors).
func flagErrors(err error, flags map[string]string) error {
	list := nscl.ErrorList(err)
	if list == nil {
		return err
	}
	renamed := make(nscl.Errors, len(list))
	for i, e := range list {
		renamed[i] = e
		if name, ok := flags[e.Field]; ok {
			renamed[i] = onFlag(e, name).(*nscl.Error)
		}
	}
	return renamed.Err()
}

// onFlag returns err naming flag.
func onFlag(err error, flag string) error {
	var e *nscl.Error
	if !errors.As(err, &e) {
		return err
	}
	renamed := *e
	renamed.Field = flag
	return &renamed
}

// optionalDate parses a dd/mm/yyyy flag that may be left empty.
func optionalDate(flag, raw string) (time.Time, error) {
	if strings.TrimSpace(raw) == "" {
		return time.Time{}, nil
	}
	return nscl.ParseDate(flag, raw)
}

// dmy writes a date as dd/mm/yyyy, or "" for none.
func dmy(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("02/01/2006")
}

// setFlags returns the names of the flags given on the command line.
func setFlags(fs *flag.FlagSet) map[string]bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
}

// unitIndex returns every unit, parents first, and the same by ID.
func unitIndex(ctx context.Context, st *store.Store) (map[int64]nscl.OrgUnit, []nscl.OrgUnit, error) {
	list, err := st.Units(ctx)
	index := map[int64]nscl.OrgUnit{}
	for _, u := range list {
		index[u.ID] = u
	}
	return index, list, err
}

// label is the pages' Vietnamese text for key with its English in brackets.
func label(key string) string {
	vi, en := web.Label(key)
	return fmt.Sprintf("%s (%s)", vi, en)
}

// printJSON writes v as the API answers it, indented for reading.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
