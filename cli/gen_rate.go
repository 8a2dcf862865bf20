package cli

import (
	"strconv"
	"strings"

	"github.com/sockdesk/sockdesk/netio"
)

// rateUnit is what may follow the number of --rate: per second, in messages or in
// bytes (decimal and binary multiples).
type rateUnit struct {
	mult float64
	unit netio.RateUnit
}

var rateUnits = map[string]rateUnit{
	"":      {1, netio.PerMessage},
	"/s":    {1, netio.PerMessage},
	"msg/s": {1, netio.PerMessage},
	"B/s":   {1, netio.PerByte},
	"kB/s":  {1e3, netio.PerByte},
	"KB/s":  {1e3, netio.PerByte},
	"MB/s":  {1e6, netio.PerByte},
	"GB/s":  {1e9, netio.PerByte},
	"KiB/s": {1 << 10, netio.PerByte},
	"MiB/s": {1 << 20, netio.PerByte},
	"GiB/s": {1 << 30, netio.PerByte},
}

const rateExamples = "e.g. 1000 for messages/s, 5MB/s or 100KiB/s for bytes/s; 0 = as fast as possible"

// parseRate reads --rate: a number of messages per second, or of bytes per second
// with a unit ("5MB/s", "100 KiB/s"); "" and 0 mean as fast as possible.
func parseRate(s string) (float64, netio.RateUnit, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, netio.PerMessage, nil
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
func rateText(rate float64, unit netio.RateUnit) string {
	if rate == 0 {
		return "as fast as possible"
	}
	return strconv.FormatFloat(rate, 'f', -1, 64) + " " + rateUnitName(unit)
}

func rateUnitName(unit netio.RateUnit) string {
	if unit == netio.PerByte {
		return "B/s"
	}
	return "msg/s"
}
