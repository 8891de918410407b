package auth

import (
	"strings"
	"testing"
)

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("mật khẩu đủ dài")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q does not carry argon2id and OWASP parameters", h)
	}
	if ok, err := CheckPassword(h, "mật khẩu đủ dài"); !ok || err != nil {
		t.Errorf("right password refused: %v", err)
	}
	if ok, _ := CheckPassword(h, "mật khẩu đủ dài "); ok {
		t.Error("wrong password accepted")
	}
	h2, _ := HashPassword("mật khẩu đủ dài")
	if h2 == h {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	if _, err := CheckPassword("plain", "x"); err == nil {
		t.Error("a malformed hash must be an error")
	}
}

func TestSecrets(t *testing.T) {
	s1, h1, _ := NewSecret("nscl_")
	s2, h2, _ := NewSecret("nscl_")
	if s1 == s2 || h1 == h2 || !strings.HasPrefix(s1, "nscl_") || len(s1) < 40 {
		t.Errorf("secrets %q %q", s1, s2)
	}
	if HashSecret(s1) != h1 || strings.Contains(h1, s1) {
		t.Error("hash does not match or leaks the secret")
	}
}
