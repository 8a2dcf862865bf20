package cli

import (
	"strconv"
	"strings"

	"github.com/sockdesk/sockdesk/netio/gen"
)

// rateUnit is what may follow the number of --rate: per second, in messages or in
// bytes (decimal and binary multiples).
type rateUnit struct {
	mult float64
	unit gen.RateUnit
}

var rateUnits = map[string]rateUnit{
	"":      {1, gen.PerMessage},
	"/s":    {1, gen.PerMessage},
	"msg/s": {1, gen.PerMessage},
	"B/s":   {1, gen.PerByte},
	"kB/s":  {1e3, gen.PerByte},
	"KB/s":  {1e3, gen.PerByte},
	"MB/s":  {1e6, gen.PerByte},
	"GB/s":  {1e9, gen.PerByte},
	"KiB/s": {1 << 10, gen.PerByte},
	"MiB/s": {1 << 20, gen.PerByte},
	"GiB/s": {1 << 30, gen.PerByte},
}

const rateExamples = "e.g. 1000 for messages/s, 5MB/s or 100KiB/s for bytes/s; 0 = as fast as possible"

// parseRate reads --rate: a number of messages per second, or of bytes per second
// with a unit ("5MB/s", "100 KiB/s"); "" and 0 mean as fast as possible.
func parseRate(s string) (float64, gen.RateUnit, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, gen.PerMessage, nil
	}
	if strings.HasPrefix(s, "-") {
		return 0, 0, usageErr("--rate: %s is negative", s)
	}
	i := strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	if i < 0 {
		i = len(s)
	}
	num, unit := s[:i], strings.TrimSpace(s[i:])
	v, err := strconv.ParseFloat(num, 64)
	u, known := rateUnits[unit]
	switch {
	case err != nil:
		return 0, 0, usageErr("--rate: %q is not a rate (%s)", s, rateExamples)
	case !known && strings.Contains(unit, "b/s"):
		// Network gear counts bits (Mb/s); guessing would be off by eight.
		return 0, 0, usageErr("--rate: %q: sockdesk counts bytes, B, not bits, b (%s)", s, rateExamples)
	case !known:
		return 0, 0, usageErr("--rate: %q: unknown unit %q (%s)", s, unit, rateExamples)
	}
	return v * u.mult, u.unit, nil
}

// rateText shows a target rate the way --rate takes it.
func rateText(rate float64, unit gen.RateUnit) string {
	if rate == 0 {
		return "as fast as possible"
	}
	return strconv.FormatFloat(rate, 'f', -1, 64) + " " + rateUnitName(unit)
}

func rateUnitName(unit gen.RateUnit) string {
	if unit == gen.PerByte {
		return "B/s"
	}
	return "msg/s"
}
