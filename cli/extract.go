package cli

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"sync/atomic"

	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/extract"
)

// The flags of issue 17's extraction: numbers read out of every received
// message by rules (netio/extract), shown with each event and written as a
// time series.

// registerExtract adds --extract (repeatable) and --values-csv.
func (f *sessionFlags) registerExtract(fs *flag.FlagSet) {
	fs.Var(&f.extract, "extract", "an extraction rule: "+extract.Syntax+" (repeatable)")
	fs.StringVar(&f.valuesCSV, "values-csv", "", "write the extracted values to this CSV file, a row per message")
}

// parseExtract reads --extract and --values-csv.
func (f *sessionFlags) parseExtract(o *sessionOpts) error {
	if len(f.extract) == 0 {
		if f.valuesCSV != "" {
			return usageErr("--values-csv: needs --extract SPEC (the rules that find the values)")
		}
		return nil
	}
	rules := make([]extract.Rule, 0, len(f.extract))
	for _, spec := range f.extract {
		r, err := extract.Parse(spec)
		if err != nil {
			return extractSpecError(spec, err)
		}
		rules = append(rules, r)
	}
	o.extract = extract.NewSet(rules...)
	o.valuesCSV = f.valuesCSV
	return nil
}

// extractSpecError names the bad --extract and what is wrong with it.
func extractSpecError(spec string, err error) error {
	var se *extract.SpecError
	if !errors.As(err, &se) {
		return usageErr("--extract %q: %s", spec, errText(err))
	}
	if se.Pos > 0 {
		return usageErr("--extract %q: at position %d: %s", spec, se.Pos, se.Msg)
	}
	return usageErr("--extract %q: %s", spec, se.Msg)
}

// valuesFile is --values-csv: a synchronous sink (it sees every message, also
// those the screen drops) writing a row per received message that has values.
type valuesFile struct {
	csv     *extract.CSVFile
	trouble func(error) // reports, once, that writing stopped
	failed  atomic.Bool
}

// openValuesFile creates the CSV file. Like --log, the path is checked before
// any socket opens, so a file that cannot be written is bad input (status 2).
func openValuesFile(path string, set *extract.Set, trouble func(error)) (*valuesFile, error) {
	c, err := extract.CreateCSV(path, set.Names())
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, usageErr("--values-csv: cannot write %q: %s", path, errText(err))
	}
	return &valuesFile{csv: c, trouble: trouble}, nil
}

func (v *valuesFile) Emit(e netio.Event) {
	if e.Kind != netio.EventReceived || len(e.Values) == 0 {
		return
	}
	v.check(v.csv.Write(e.Time, e.Values))
}

// flush makes the file current; the printer calls it when it flushes stdout,
// so that a script sees a message's row no later than its line.
func (v *valuesFile) flush() { v.check(v.csv.Flush()) }

func (v *valuesFile) check(err error) {
	if err != nil && !errors.Is(err, os.ErrClosed) && !v.failed.Swap(true) {
		v.trouble(err)
	}
}

// close completes and closes the file. A failure already reported while the
// run went on ends it with status 1 without saying it again.
func (v *valuesFile) close(stderr *lockedWriter) error {
	err := v.csv.Close()
	if n := v.csv.Ignored(); n > 0 {
		fmt.Fprintf(stderr, "sockdesk: --values-csv: %d values not written: messages named more than %d different values\n", n, extract.MaxColumns)
	}
	switch {
	case err == nil && !v.failed.Load():
		return nil
	case err == nil || v.failed.Load():
		return &exitError{code: exitFailure}
	}
	return failure("%s", errText(err))
}

// valuesTrouble reports, as it happens, that --values-csv stopped writing
// (disk full, ...); the run goes on and ends with status 1.
func (s *session) valuesTrouble(err error) {
	fmt.Fprintf(s.stderr, "sockdesk: %s; values are no longer written\n", charset.DisplayText(errText(err)))
}

// extractHelp is the part of the usage about --extract and --values-csv.
const extractHelp = `Extraction (udp listen, tcp connect, tcp relay and the TCP server):
  --extract SPEC     read numbers out of every message received (a datagram, a TCP read,
                     or a frame when framing is on) and show them with it: the line says
                     "temp=23.5", JSON has "values": {"temp": 23.5}. Repeatable.
                     SPEC: kv (key=value or key: value; units after the number are
                     ignored: 温度=23.5℃ gives 温度=23.5), re:REGEX (its named groups
                     (?P<name>...)), json (numeric fields by path: a.b, a[0]), csv
                     (separated numbers: v1, v2, ...), bin:NAME@OFFSET:TYPE[*SCALE] (a
                     binary field; TYPE u8 i8 u16be u16le i16be i16le u32be u32le i32be
                     i32le f32be f32le f64be f64le)
  --values-csv FILE  write the values as a time series: a header "time,NAME,...", a
                     row per message that had values; a name first seen later gets a
                     column of its own (the file is completed when the run ends)
`
