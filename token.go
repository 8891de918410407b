package nscl

import "time"

// APIToken is a personal API token as its owner sees it. The secret is
// shown once, when the token is made, and only its hash is kept.
type APIToken struct {
	ID         int64     `json:"id"`
	Name       string    `json:"name"`
	CreatedAt  time.Time `json:"created_at"`
	LastUsedAt time.Time `json:"last_used_at,omitzero"` // to the minute; absent when never used
	ExpiresAt  time.Time `json:"expires_at"`
}

// A token lasts the days chosen when it is made: a forgotten token in an
// old script stops working by itself.
const (
	DefaultTokenDays = 90
	MaxTokenDays     = 365
)

// ValidateNewToken checks the name and the lifetime in days of a new
// token, every mistake at once.
func ValidateNewToken(name string, days int) error {
	var errs Errors
	if blank(name) {
		errs.Add(Required("name"))
	}
	errs.Add(CheckText("name", name, 100))
	if days < 1 || days > MaxTokenDays {
		errs.Add(Invalid("days", "thời hạn của mã truy cập phải từ 1 đến %d ngày", "a token lasts from 1 to %d days", MaxTokenDays))
	}
	return errs.Err()
}
