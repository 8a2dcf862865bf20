package framing

import (
	"errors"
	"strconv"
	"testing"
)

func TestParseSize(t *testing.T) {
	for text, want := range map[string]int{"1": 1, "65536": 65536, "64KiB": 64 << 10, "1 MiB": 1 << 20, " 2k ": 2048, "3K": 3072, "1024M": 1 << 30, strconv.Itoa(1 << 30): 1 << 30} {
		if got, err := ParseSize(text); err != nil || got != want {
			t.Errorf("%q: %d, %v; want %d", text, got, err, want)
		}
	}
	for text, want := range map[string]error{
		"": ErrNotASize, "lots": ErrNotASize, "+5": ErrNotASize, "1.5MiB": ErrNotASize, "5 GB": ErrNotASize,
		"0": ErrSizeRange, "-1": ErrSizeRange, "1025M": ErrSizeRange, "2048MiB": ErrSizeRange, "2GiB": ErrNotASize, strconv.Itoa(1<<30 + 1): ErrSizeRange,
	} {
		if _, err := ParseSize(text); !errors.Is(err, want) {
			t.Errorf("%q: %v, want %v", text, err, want)
		}
	}
}
