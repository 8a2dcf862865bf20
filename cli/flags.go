package cli

import (
	"errors"
	"flag"
	"io"
	"net"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/sockdesk/sockdesk/internal/hostport"
	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/checksum"
	"github.com/sockdesk/sockdesk/netio/eventlog"
	"github.com/sockdesk/sockdesk/netio/extract"
	"github.com/sockdesk/sockdesk/netio/payload"
)

// newFlagSet returns a flag set that reports errors to the caller instead of printing
// them: every problem must come out as the single "sockdesk: ..." line.
func newFlagSet(path string) *flag.FlagSet {
	fs := flag.NewFlagSet(path, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseArgs parses flags and positional arguments in any order ("udp send --to X
// hello --hex"). Package flag stops at the first non-flag argument, so this takes that
// argument as positional and parses again from the next one. "--" ends the flags for
// good (for a MESSAGE starting with "-"). --help prints the command's usage on stdout
// and returns errHelp.
func parseArgs(fs *flag.FlagSet, args []string, e *env) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				if c, _ := findCommand(strings.Fields(fs.Name())); c != nil {
					printCommandUsage(e.stdout, c)
				}
				return nil, errHelp
			}
			return nil, flagError(err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		used := len(args) - len(rest)
		if used > 0 && args[used-1] == "--" && !(used > 1 && takesValue(fs, args[used-2])) {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// takesValue reports whether arg is a flag that consumes the next argument, i.e. a
// "--" after it was that flag's value, not the end of the flags.
func takesValue(fs *flag.FlagSet, arg string) bool {
	if !strings.HasPrefix(arg, "-") || strings.Contains(arg, "=") {
		return false
	}
	f := fs.Lookup(strings.TrimLeft(arg, "-"))
	if f == nil {
		return false
	}
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return !ok || !b.IsBoolFlag()
}

var (
	reUndefined = regexp.MustCompile(`^flag provided but not defined: -+(.*)$`)
	reNeedsArg  = regexp.MustCompile(`^flag needs an argument: -+(.*)$`)
	reBadBool   = regexp.MustCompile(`^invalid boolean value (".*") for -+([^:]*): `)
	reBadValue  = regexp.MustCompile(`^invalid value (".*") for flag -+([^:]*): (.*)$`)
)

// flagError rewords package flag's messages in the "--flag: problem" form the other
// messages use, so that every usage error reads alike.
func flagError(err error) error {
	msg := err.Error()
	if m := reUndefined.FindStringSubmatch(msg); m != nil {
		return usageErr("unknown flag --%s (see sockdesk help)", m[1])
	}
	if m := reNeedsArg.FindStringSubmatch(msg); m != nil {
		return usageErr("--%s: needs a value", m[1])
	}
	if m := reBadBool.FindStringSubmatch(msg); m != nil {
		return usageErr("--%s: %s is not true or false (the flag alone means true)", m[2], m[1])
	}
	if m := reBadValue.FindStringSubmatch(msg); m != nil {
		return usageErr("--%s: %s", m[2], m[3])
	}
	return usageErr("%s", msg)
}

// listFlag is a repeatable string flag (--send A --send B).
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ", ") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

// sessionFlags are the flags of every socket command: output, log, limits, charset.
// They are read as strings and checked after parsing, so that each problem can be
// reported with the flag's name in our own words.
type sessionFlags struct {
	json      bool
	quiet     bool
	log       string
	logFormat string
	count     string
	timeout   string
	charset   string
	// Only on the commands that register them (power.go).
	checksum      string
	checksumOrder string
	save          string
	extract       listFlag // --extract specs (extract.go)
	valuesCSV     string

	// Only on the commands that register them (layers.go).
	pcap    string
	anatomy bool
	command string // the command's path, for the pcap file's comment
}

func (f *sessionFlags) register(fs *flag.FlagSet, withTimeout bool) {
	fs.BoolVar(&f.json, "json", false, "one JSON object per event per line")
	fs.BoolVar(&f.quiet, "quiet", false, "do not show messages received and sent; a summary at the end")
	fs.StringVar(&f.log, "log", "", "append every event to this file")
	fs.StringVar(&f.logFormat, "log-format", "text", "text or json")
	fs.StringVar(&f.count, "count", "", "stop after N received messages")
	if withTimeout {
		fs.StringVar(&f.timeout, "timeout", "", "stop after this long")
	}
	fs.StringVar(&f.charset, "charset", "", "charset name (default UTF-8)")
}

// sessionOpts is sessionFlags checked and converted.
type sessionOpts struct {
	json      bool
	quiet     bool // data events are not shown, only counted
	logPath   string
	logFormat eventlog.Format
	count     uint64        // 0 = no limit
	timeout   time.Duration // 0 = none
	charset   *charset.Charset
	// check, if set, is appended to messages sent and verified on those received.
	check      *checksum.Checksum
	checkOrder checksum.ByteOrder
	savePath   string // --save: received bytes go to this file

	extract   *extract.Set // --extract: values read from every message received; nil for none
	valuesCSV string       // --values-csv: the values' time series goes to this file

	// --pcap and --anatomy (layers.go); layersNote is said in both (TLS).
	pcapPath   string
	anatomy    bool
	command    string
	layersNote string
}

func (f *sessionFlags) parse() (sessionOpts, error) {
	o := sessionOpts{json: f.json, quiet: f.quiet, logPath: f.log, savePath: f.save}
	var err error
	if o.logFormat, err = eventlog.ParseFormat(f.logFormat); err != nil {
		return o, usageErr("--log-format: %s", errText(err))
	}
	if f.log == "" && f.logFormat != "text" {
		return o, usageErr("--log-format: needs --log FILE")
	}
	if o.count, err = parseCount("count", f.count); err != nil {
		return o, err
	}
	if o.timeout, err = parseDuration("timeout", f.timeout); err != nil {
		return o, err
	}
	if o.charset, err = parseCharset(f.charset); err != nil {
		return o, err
	}
	if err := f.parseChecksum(&o); err != nil {
		return o, err
	}
	if err := f.parseExtract(&o); err != nil {
		return o, err
	}
	if err := f.parseLayers(&o); err != nil {
		return o, err
	}
	return o, nil
}

func parseCharset(name string) (*charset.Charset, error) {
	cs, err := charset.Lookup(strings.TrimSpace(name))
	if err != nil {
		return nil, usageErr("--charset: %s", errText(err))
	}
	return cs, nil
}

// parseMode reads --hex and --escapes, which exclude each other.
func parseMode(hex, escapes bool) (payload.Mode, error) {
	switch {
	case hex && escapes:
		return 0, usageErr("--hex and --escapes cannot be used together")
	case hex:
		return payload.ModeHex, nil
	case escapes:
		return payload.ModeEscapes, nil
	}
	return payload.ModeText, nil
}

// maxCount bounds counts (--count, --repeat) to something a person could mean; a
// larger number is a typo, and refusing it keeps the arithmetic far from overflow.
const maxCount = 1_000_000_000

// parseCount reads a whole number 0..maxCount; "" is 0.
func parseCount(name, s string) (uint64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange) {
			return 0, usageErr("--%s: %s is too large (at most %d)", name, s, maxCount)
		}
		return 0, usageErr("--%s: %q is not a whole number", name, s)
	}
	if n < 0 {
		return 0, usageErr("--%s: %d is negative", name, n)
	}
	if n > maxCount {
		return 0, usageErr("--%s: %d is too large (at most %d)", name, n, maxCount)
	}
	return uint64(n), nil
}

// parseDuration reads a Go duration (500ms, 2s, 1m30s) or a bare number of seconds;
// "" is 0.
func parseDuration(name, s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		secs, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || secs != secs { // secs != secs: NaN
			return 0, usageErr("--%s: %q is not a duration (e.g. 500ms, 10s, 2m)", name, s)
		}
		if secs > float64(maxDuration/time.Second) || secs < -float64(maxDuration/time.Second) {
			return 0, usageErr("--%s: %s is too long", name, s)
		}
		d = time.Duration(secs * float64(time.Second))
	}
	if d < 0 {
		return 0, usageErr("--%s: %s is negative", name, s)
	}
	return d, nil
}

// maxDuration keeps a bare number of seconds inside time.Duration.
const maxDuration = 100 * 365 * 24 * time.Hour

// parseListenPort reads --port for a command that binds: required, 0 allowed.
func parseListenPort(s string) (int, error) {
	if strings.TrimSpace(s) == "" {
		return 0, usageErr("--port: missing; give the port to listen on (0 picks a free one)")
	}
	p, err := hostport.ParsePort(s, true)
	if err != nil {
		return 0, usageErr("--port: %s", errText(err))
	}
	return p, nil
}

// parseBind checks --bind: an address or host name without a port (the port has its
// own flag).
func parseBind(s string) (string, error) {
	s = strings.TrimSpace(s)
	bare := strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
	if bare == "" || net.ParseIP(bare) != nil {
		return s, nil
	}
	if strings.ContainsAny(bare, ":[] /") {
		return "", usageErr("--bind: %q is not an address; give the address only, the port goes in --port", s)
	}
	return s, nil
}
