package auth_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aegis-oss/aegis/commands/auth"
	"github.com/aegis-oss/aegis/schema"
)

func TestHashPasswordRoundTrip(t *testing.T) {
	const pw = "correct horse battery staple"
	hash, err := auth.HashPassword(pw)
	if err != nil {
		t.Fatalf("HashPassword: %v", err)
	}
	if want := "$argon2id$v=19$m=19456,t=2,p=1$"; !strings.HasPrefix(hash, want) {
		t.Errorf("hash = %q, want prefix %q", hash, want)
	}
	if strings.Contains(hash, pw) {
		t.Errorf("hash %q contains the password", hash)
	}

	tests := []struct {
		name string
		pw   string
		want bool
	}{
		{"same password", pw, true},
		{"wrong password", "correct horse battery stapler", false},
		{"different case", strings.ToUpper(pw), false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := auth.CheckPassword(hash, tt.pw)
			if err != nil {
				t.Fatalf("CheckPassword: %v", err)
			}
			if got != tt.want {
				t.Errorf("CheckPassword(hash, %q) = %v, want %v", tt.pw, got, tt.want)
			}
		})
	}
}

func TestHashPasswordSaltsEachHash(t *testing.T) {
	a, err := auth.HashPassword("the same password")
	if err != nil {
		t.Fatal(err)
	}
	b, err := auth.HashPassword("the same password")
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Errorf("two hashes of one password are equal: %q", a)
	}
}

func TestCheckPasswordMalformedHash(t *testing.T) {
	for _, hash := range []string{"", "plaintext", "$2a$10$abcdefghijklmnopqrstuv", "$argon2id$v=19$m=19456,t=2,p=1$!!$!!"} {
		got, err := auth.CheckPassword(hash, "whatever")
		if got || schema.ErrorCode(err) != schema.CodeInternal {
			t.Errorf("CheckPassword(%q) = %v, %v; want false and an internal error", hash, got, err)
		}
	}
}

func TestDummyCheckCostsAboutAsMuchAsCheckPassword(t *testing.T) {
	hash, err := auth.HashPassword("a real member's password")
	if err != nil {
		t.Fatal(err)
	}
	auth.DummyCheck("warm-up") // the first call also makes the dummy hash

	const rounds = 3
	start := time.Now()
	for range rounds {
		if _, err := auth.CheckPassword(hash, "a guess at the password"); err != nil {
			t.Fatal(err)
		}
	}
	real := time.Since(start)
	start = time.Now()
	for range rounds {
		auth.DummyCheck("a guess at the password")
	}
	dummy := time.Since(start)

	// Loose bounds: this guards against a dummy that skips the work, not
	// against scheduler noise.
	if dummy < real/3 || dummy > real*3 {
		t.Errorf("%d dummy checks took %v, %d real checks %v; want about the same", rounds, dummy, rounds, real)
	}
}

func TestValidatePassword(t *testing.T) {
	tests := []struct {
		name  string
		pw    string
		email string
		want  string // substring of the error message; "" for no error
	}{
		{"strong", "plum-Orbit-47-lantern", "ada@example.com", ""},
		{"exactly minimum", "vx7Qp2mWz9", "ada@example.com", ""},
		{"exactly maximum", strings.Repeat("k7", 64), "ada@example.com", ""},
		{"too short", "Xk3$pq9", "ada@example.com", "at least 10"},
		{"nine characters", "vx7Qp2mWz", "", "at least 10"},
		{"short in bytes counts characters", "ééééééééé", "", "at least 10"},
		{"too long", strings.Repeat("k7", 64) + "x", "ada@example.com", "at most 128"},
		{"contains email local part", "margaret-rules-2024", "margaret@example.com", "email"},
		{"contains local part ignoring case", "xxMARGARETxx99", "Margaret@example.com", "email"},
		{"short local part is not checked", "ada-lovelace-1815", "ada@example.com", ""},
		{"no email", "plum-Orbit-47-lantern", "", ""},
		{"common password", "password123", "ada@example.com", "too common"},
		{"common keyboard walk", "qwertyuiop", "ada@example.com", "too common"},
		{"common ignoring case", "PassWord123", "ada@example.com", "too common"},
		{"common digits", "1234567890", "", "too common"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := auth.ValidatePassword(tt.pw, tt.email)
			if tt.want == "" {
				if err != nil {
					t.Errorf("ValidatePassword(%q, %q) = %v, want nil", tt.pw, tt.email, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("ValidatePassword(%q, %q) = nil, want an error about %q", tt.pw, tt.email, tt.want)
			}
			if got := schema.ErrorCode(err); got != schema.CodeInvalid {
				t.Errorf("code = %q, want %q", got, schema.CodeInvalid)
			}
			if got := schema.ErrorMessage(err); !strings.Contains(got, tt.want) {
				t.Errorf("message = %q, want it to contain %q", got, tt.want)
			}
		})
	}
}

func TestIsCommonPassword(t *testing.T) {
	tests := []struct {
		pw   string
		want bool
	}{
		{"123456", true},
		{"password", true},
		{"Dragon", true},
		{"trustno1", true},
		{"qwertyuiop", true},
		{"1q2w3e4r5t", true},
		{"password1234", false}, // ranked below the top 10,000
		{"plum-Orbit-47-lantern", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := auth.IsCommonPassword(tt.pw); got != tt.want {
			t.Errorf("IsCommonPassword(%q) = %v, want %v", tt.pw, got, tt.want)
		}
	}
}
