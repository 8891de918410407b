package main

import (
	"bufio"
	"cmp"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"nscl"
	"nscl/store"
)

// stdin is where passwords are read from; tests replace it.
var stdin io.Reader = os.Stdin

func runUser(ctx context.Context, args []string, stdout io.Writer) error {
	usage := usageError{"dùng (usage): nscl user add|passwd|list|token|tokens|revoke-token …"}
	if len(args) == 0 {
		return usage
	}
	switch args[0] {
	case "add":
		return userAdd(ctx, args[1:], stdout)
	case "passwd":
		return userPasswd(ctx, args[1:], stdout)
	case "list":
		return userList(ctx, args[1:], stdout)
	case "token":
		return userToken(ctx, args[1:], stdout)
	case "tokens":
		return userTokens(ctx, args[1:], stdout)
	case "revoke-token":
		return userRevokeToken(ctx, args[1:], stdout)
	}
	return usage
}

// readPassword reads one line from standard input, so that a password
// never appears in the process list or the shell history.
func readPassword(stdout io.Writer) (string, error) {
	fmt.Fprint(stdout, "Mật khẩu (password, on standard input): ")
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", nscl.Invalid("password", "không đọc được mật khẩu từ đầu vào chuẩn", "no password on standard input")
	}
	fmt.Fprintln(stdout)
	return strings.TrimRight(line, "\r\n"), nil
}

func userAdd(ctx context.Context, args []string, stdout io.Writer) error {
	fs, db := newFlags("user add")
	email := fs.String("email", "", "e-mail (đăng nhập)")
	name := fs.String("name", "", "họ tên (name); mặc định là e-mail")
	role := fs.String("role", "", "vai trò (role): admin, focal, reporter, viewer")
	unit := fs.String("unit", "", "mã đơn vị (unit code)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *name == "" {
		*name = *email
	}
	st, err := openStore(ctx, *db, true)
	if err != nil {
		return err
	}
	defer st.Close()
	password, err := readPassword(stdout)
	if err != nil {
		return err
	}
	u := nscl.User{Email: *email, Name: *name, Role: nscl.Role(*role)}
	err = st.Update(ctx, func(tx *store.Tx) error {
		unit, err := tx.UnitByCode(ctx, *unit)
		if err != nil {
			return err
		}
		u.UnitID = unit.ID
		return tx.CreateUser(ctx, &u, password)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Đã tạo tài khoản %s (%s). (User created.)\n", u.Email, u.Role)
	return nil
}

func userPasswd(ctx context.Context, args []string, stdout io.Writer) error {
	fs, db := newFlags("user passwd")
	email := fs.String("email", "", "e-mail của tài khoản (account e-mail)")
	st, u, err := openForUser(ctx, fs, db, args, email)
	if err != nil {
		return err
	}
	defer st.Close()
	password, err := readPassword(stdout)
	if err != nil {
		return err
	}
	if err := st.Update(ctx, func(tx *store.Tx) error { return tx.SetPassword(ctx, u.ID, password) }); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Đã đổi mật khẩu của %s; các phiên đăng nhập và mã truy cập cũ đã bị hủy. (Password changed; sessions and API tokens revoked.)\n", u.Email)
	return nil
}

func userList(ctx context.Context, args []string, stdout io.Writer) error {
	fs, db := newFlags("user list")
	st, err := parseAndOpen(ctx, fs, db, args, true)
	if err != nil {
		return err
	}
	defer st.Close()
	users, err := st.Users(ctx)
	if err != nil {
		return err
	}
	for _, u := range users {
		unit, err := st.UnitByID(ctx, u.UnitID)
		if err != nil {
			return err
		}
		state := ""
		if u.Disabled {
			state = " (khóa / disabled)"
		}
		fmt.Fprintf(stdout, "%-28s %-9s %-16s %s%s\n", u.Email, u.Role, unit.Code, u.Name, state)
	}
	return nil
}

func userToken(ctx context.Context, args []string, stdout io.Writer) error {
	fs, db := newFlags("user token")
	email := fs.String("email", "", "e-mail của tài khoản (account e-mail)")
	name := fs.String("name", "", "tên mã truy cập, ví dụ tên script (token name)")
	days := fs.Int("days", nscl.DefaultTokenDays, "số ngày mã còn hiệu lực (days the token lasts)")
	st, u, err := openForUser(ctx, fs, db, args, email)
	if err != nil {
		return err
	}
	defer st.Close()
	secret, tok, err := st.CreateToken(ctx, u.ID, *name, *days)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s\n(Mã số %d, hết hạn %s. Mã chỉ hiện một lần; gửi kèm tiêu đề Authorization: Bearer <mã>. Token %d, expires %s. Shown once; send as Authorization: Bearer <token>.)\n",
		secret, tok.ID, tokenTime(tok.ExpiresAt), tok.ID, tokenTime(tok.ExpiresAt))
	return nil
}

// userTokens lists an account's tokens, never their secrets.
func userTokens(ctx context.Context, args []string, stdout io.Writer) error {
	fs, db := newFlags("user tokens")
	email := fs.String("email", "", "e-mail của tài khoản (account e-mail)")
	st, u, err := openForUser(ctx, fs, db, args, email)
	if err != nil {
		return err
	}
	defer st.Close()
	tokens, err := st.Tokens(ctx, u.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%-5s %-16s %-16s %-16s %s\n", "số/id", "tạo/created", "dùng/last used", "hết hạn/expires", "tên/name")
	for _, t := range tokens {
		fmt.Fprintf(stdout, "%-5d %-16s %-16s %-16s %s\n", t.ID, tokenTime(t.CreatedAt), cmp.Or(tokenTime(t.LastUsedAt), "-"), tokenTime(t.ExpiresAt), t.Name)
	}
	return nil
}

func userRevokeToken(ctx context.Context, args []string, stdout io.Writer) error {
	fs, db := newFlags("user revoke-token")
	email := fs.String("email", "", "e-mail của tài khoản (account e-mail)")
	id := fs.Int64("id", 0, "số của mã truy cập, như nscl user tokens in ra (token id)")
	st, u, err := openForUser(ctx, fs, db, args, email)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.RevokeToken(ctx, u.ID, *id); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Đã thu hồi mã truy cập số %d của %s. (Token revoked.)\n", *id, u.Email)
	return nil
}

// tokenTime prints a token's time in the programme's time zone, "" for none.
func tokenTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(nscl.Local).Format("02/01/2006 15:04")
}

// openForUser parses a user command's flags, opens the store and reads
// the account its --email names; the caller closes the store.
func openForUser(ctx context.Context, fs *flag.FlagSet, db *string, args []string, email *string) (*store.Store, nscl.User, error) {
	st, err := parseAndOpen(ctx, fs, db, args, true)
	if err != nil {
		return nil, nscl.User{}, err
	}
	u, err := st.UserByEmail(ctx, *email)
	if err != nil {
		st.Close()
		return nil, nscl.User{}, err
	}
	return st, u, nil
}
