package framing

import (
	"errors"
	"strconv"
	"strings"
)

// MaxFrameLimit bounds the largest frame a user may ask for: a connection may
// hold this much for one frame.
const MaxFrameLimit = 1 << 30

// The ways ParseSize refuses a text; front ends word them for their users.
var (
	ErrNotASize  = errors.New("not a size in bytes")
	ErrSizeRange = errors.New("size out of range (1 byte to 1 GiB)")
)

var sizeSuffixes = []struct {
	suffix string
	mult   int
}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"k", 1 << 10}, {"K", 1 << 10}, {"M", 1 << 20}}

// ParseSize reads a largest-frame size: a whole number of bytes, optionally
// followed by KiB, MiB, k, K or M (binary multiples), from 1 to MaxFrameLimit.
// It returns ErrNotASize or ErrSizeRange.
func ParseSize(text string) (int, error) {
	s := strings.TrimSpace(text)
	num, mult := s, 1
	for _, u := range sizeSuffixes {
		if strings.HasSuffix(s, u.suffix) {
			num, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.Atoi(num)
	if err != nil || strings.HasPrefix(num, "+") {
		return 0, ErrNotASize
	}
	if n < 1 || n > MaxFrameLimit/mult {
		return 0, ErrSizeRange
	}
	return n * mult, nil
}
