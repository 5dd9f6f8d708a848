package schema

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"sync"
	"time"
)

// idState keeps UUIDv7 values monotonic inside one millisecond (RFC 9562,
// method 1: a 12-bit counter in rand_a).
var idState struct {
	sync.Mutex
	ms  int64
	seq uint16
}

// NewID returns a new UUIDv7 in its canonical text form. IDs made by one
// process sort in the order they were made. It panics only if the system's
// random source fails, as crypto/rand does.
func NewID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("schema: random source failed: " + err.Error())
	}
	ms := time.Now().UnixMilli()
	idState.Lock()
	if ms <= idState.ms {
		idState.seq++
		if idState.seq > 0x0fff { // counter spent: borrow the next millisecond
			idState.ms++
			idState.seq = 0
		}
		ms = idState.ms
	} else {
		idState.ms = ms
		idState.seq = uint16(b[6])<<4&0x0f00 | uint16(b[7]) // random start, room to count
		idState.seq &= 0x07ff
	}
	seq := idState.seq
	idState.Unlock()

	b[0] = byte(ms >> 40)
	b[1] = byte(ms >> 32)
	b[2] = byte(ms >> 24)
	b[3] = byte(ms >> 16)
	b[4] = byte(ms >> 8)
	b[5] = byte(ms)
	b[6] = 0x70 | byte(seq>>8)
	b[7] = byte(seq)
	b[8] = 0x80 | b[8]&0x3f
	return formatUUID(b)
}

func formatUUID(b [16]byte) string {
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}

// ParseID checks that s is a UUID in canonical lowercase text form and
// returns it. It returns an invalid *Error otherwise.
func ParseID(s string) (string, error) {
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return "", Errorf(CodeInvalid, "%q is not a UUID", s)
	}
	for i := 0; i < len(s); i++ {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			continue
		}
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return "", Errorf(CodeInvalid, "%q is not a UUID", s)
		}
	}
	return s, nil
}

// IDTime returns the time a UUIDv7 was made, to the millisecond. It returns
// an error if id is not a version 7 UUID.
func IDTime(id string) (time.Time, error) {
	if _, err := ParseID(id); err != nil {
		return time.Time{}, err
	}
	if id[14] != '7' {
		return time.Time{}, errors.New("schema: not a version 7 UUID")
	}
	raw, _ := hex.DecodeString(id[0:8] + id[9:13])
	var ms int64
	for _, c := range raw {
		ms = ms<<8 | int64(c)
	}
	return time.UnixMilli(ms), nil
}
