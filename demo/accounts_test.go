package demo

import (
	"testing"

	"nscl"
	"nscl/auth"
)

// The password drawn for the demo accounts at each start must pass the
// policy for every one of them, or the server would not start.
func TestDrawnDemoPasswordsPassThePolicy(t *testing.T) {
	for range 2000 {
		p := auth.RandomPassword()
		for _, a := range Accounts {
			if err := nscl.ValidatePassword(p, a.Email); err != nil {
				t.Fatalf("drawn password %q for %s: %v", p, a.Email, err)
			}
		}
	}
}
