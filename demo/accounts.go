package demo

import (
	"context"
	"fmt"

	"nscl"
	"nscl/store"
)

// Account is a demo sign-in.
type Account struct {
	Email string
	Name  string
	Role  nscl.Role
	Unit  string
}

// Accounts are the demo's users: an administrator and a focal-point
// officer of the department, and a reporter for Thủ Đức city.
var Accounts = []Account{
	{"admin@demo.local", "Quản trị hệ thống", nscl.RoleAdmin, UnitDept},
	{"focal@demo.local", "Cán bộ đầu mối Sở KHCN", nscl.RoleFocal, UnitDept},
	{"thuduc@demo.local", "Cán bộ báo cáo Thành phố Thủ Đức", nscl.RoleReporter, UnitThuDuc},
}

// LoadAccounts creates the demo accounts with password, or sets password
// on those that exist, so that the password printed at start always works.
func LoadAccounts(ctx context.Context, st *store.Store, password string) error {
	return st.Update(ctx, func(tx *store.Tx) error {
		for _, a := range Accounts {
			unit, err := tx.UnitByCode(ctx, a.Unit)
			if err != nil {
				return err
			}
			// Look first rather than catch the duplicate: on PostgreSQL a
			// refused insert spoils the rest of the transaction.
			existing, err := tx.UserByEmail(ctx, a.Email)
			switch nscl.ErrorCode(err) {
			case "":
				err = tx.SetPassword(ctx, existing.ID, password)
			case nscl.ENOTFOUND:
				u := nscl.User{Email: a.Email, Name: a.Name, Role: a.Role, UnitID: unit.ID}
				err = tx.CreateUser(ctx, &u, password)
			}
			if err != nil {
				return fmt.Errorf("demo: account %s: %w", a.Email, err)
			}
		}
		return nil
	})
}
