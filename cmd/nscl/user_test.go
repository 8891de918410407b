package main

import (
	"os"
	"strings"
	"testing"

	"nscl"
)

func TestUserCommandsRefuseWeakPasswords(t *testing.T) {
	db := demoDB(t)
	t.Cleanup(func() { stdin = os.Stdin })
	for _, password := range []string{"1234567890", "password12", strings.Repeat(" ", 10), "le.van.tam@quan10.example", "le.van.tam", "matkhau123"} {
		stdin = strings.NewReader(password + "\n")
		_, err := nsclRun(t, "user", "add", "--db", db, "--email", "le.van.tam@quan10.example", "--role", "viewer", "--unit", "HCM")
		if nscl.ErrorCode(err) != nscl.EINVALID || nscl.ErrorField(err) != "password" {
			t.Errorf("user add with %q: %v", password, err)
		}
	}
	for _, password := range []string{"0987654321", "qwertyuiop", "FOCAL@demo.local", "##########"} {
		stdin = strings.NewReader(password + "\n")
		if _, err := nsclRun(t, "user", "passwd", "--db", db, "--email", "focal@demo.local"); nscl.ErrorField(err) != "password" {
			t.Errorf("user passwd with %q: %v", password, err)
		}
	}
	if out, _ := nsclRun(t, "user", "list", "--db", db); strings.Contains(out, "le.van.tam") {
		t.Error("an account was made with a weak password")
	}
}

func TestUserTokenCommands(t *testing.T) {
	db := demoDB(t)
	out, err := nsclRun(t, "user", "token", "--db", db, "--email", "thuduc@demo.local", "--name", "Xuất số liệu hằng tuần", "--days", "7")
	if err != nil || !strings.HasPrefix(out, "nscl_") {
		t.Fatalf("user token: %v\n%s", err, out)
	}
	secret, _, _ := strings.Cut(out, "\n")
	if _, err := nsclRun(t, "user", "token", "--db", db, "--email", "thuduc@demo.local", "--name", "quá dài", "--days", "1000"); nscl.ErrorField(err) != "days" {
		t.Errorf("a token of 1000 days: %v", err)
	}
	out, err = nsclRun(t, "user", "tokens", "--db", db, "--email", "thuduc@demo.local")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if err != nil || len(lines) != 2 || !strings.Contains(lines[1], "Xuất số liệu hằng tuần") || strings.Contains(out, secret) {
		t.Fatalf("user tokens: %v\n%s", err, out)
	}
	id := strings.Fields(lines[1])[0]
	if _, err := nsclRun(t, "user", "revoke-token", "--db", db, "--email", "focal@demo.local", "--id", id); nscl.ErrorCode(err) != nscl.ENOTFOUND {
		t.Errorf("revoking it as another account: %v", err)
	}
	if _, err := nsclRun(t, "user", "revoke-token", "--db", db, "--email", "thuduc@demo.local", "--id", id); err != nil {
		t.Fatalf("revoke-token: %v", err)
	}
	if out, _ := nsclRun(t, "user", "tokens", "--db", db, "--email", "thuduc@demo.local"); strings.Contains(out, "Xuất số liệu") {
		t.Errorf("listed after revoking:\n%s", out)
	}
}
