package auth

import (
	"strings"
	"sync"

	"github.com/trustelem/zxcvbn/frequency"
)

// CommonPasswordCount is how many of the most common passwords, by rank,
// ValidatePassword refuses.
const CommonPasswordCount = 10_000

// commonPasswords is the set of the CommonPasswordCount most common
// passwords, lowercased. The ranked list is zxcvbn's "passwords" frequency
// list, built from leaked password corpora.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	ranked := frequency.FrequencyLists["passwords"]
	if len(ranked) > CommonPasswordCount {
		ranked = ranked[:CommonPasswordCount]
	}
	set := make(map[string]struct{}, len(ranked))
	for _, pw := range ranked {
		set[strings.ToLower(pw)] = struct{}{}
	}
	return set
})

// IsCommonPassword reports whether pw, ignoring case, is one of the
// CommonPasswordCount most common passwords. It returns false for any
// other string, including the empty one.
func IsCommonPassword(pw string) bool {
	_, ok := commonPasswords()[strings.ToLower(pw)]
	return ok
}
