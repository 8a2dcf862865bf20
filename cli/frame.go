package cli

import (
	"flag"
	"strconv"
	"strings"

	"github.com/sockdesk/sockdesk/netio/framing"
)

// frameFlags are --frame and --max-frame of the TCP commands.
type frameFlags struct {
	spec, max string
}

func (f *frameFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.spec, "frame", "", "cut the stream into messages: "+framing.Syntax)
	fs.StringVar(&f.max, "max-frame", "", "largest frame in bytes (default 1 MiB)")
}

// parse checks the flags: the spec and the largest frame (0: the default).
func (f *frameFlags) parse() (framing.Spec, int, error) {
	spec, err := framing.Parse(f.spec)
	if f.spec == "" {
		spec, err = framing.Spec{}, nil
	}
	if err != nil {
		if strings.TrimSpace(f.spec) == "" {
			return spec, 0, usageErr("--frame: %s", errText(err))
		}
		return spec, 0, usageErr("--frame %s", errText(err))
	}
	if f.max == "" {
		return spec, 0, nil
	}
	if spec.Mode() == framing.None {
		return spec, 0, usageErr("--max-frame: needs --frame SPEC (without framing a message is a read)")
	}
	n, err := parseByteSize(f.max)
	if err != nil {
		return spec, 0, usageErr("--max-frame: %s", err)
	}
	return spec, n, nil
}

// maxFrameLimit bounds --max-frame: a connection may hold this much for one frame.
const maxFrameLimit = 1 << 30

type sizeError string

func (e sizeError) Error() string { return string(e) }

// parseByteSize reads a size in bytes: a whole number, optionally with KiB, MiB,
// k or M (binary multiples), between 1 and maxFrameLimit.
func parseByteSize(s string) (int, error) {
	s = strings.TrimSpace(s)
	num, mult := s, 1
	for _, u := range []struct {
		suffix string
		mult   int
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"k", 1 << 10}, {"K", 1 << 10}, {"M", 1 << 20}} {
		if strings.HasSuffix(s, u.suffix) {
			num, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.Atoi(num)
	if err != nil || strings.HasPrefix(num, "+") {
		return 0, sizeError(strconv.Quote(s) + " is not a size in bytes (e.g. 65536, 64KiB, 1MiB)")
	}
	if n < 1 || n > maxFrameLimit/mult {
		return 0, sizeError(s + " is out of range (1 byte to 1 GiB)")
	}
	return n * mult, nil
}

// noFrameFlags accept --frame and --max-frame on the UDP commands only to say
// why they do not apply.
type noFrameFlags struct {
	frame, max string
}

func (f *noFrameFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.frame, "frame", "", "not for UDP")
	fs.StringVar(&f.max, "max-frame", "", "not for UDP")
}

func (f *noFrameFlags) check() error {
	for _, fl := range []struct{ name, value string }{{"frame", f.frame}, {"max-frame", f.max}} {
		if fl.value != "" {
			return usageErr("--%s: UDP needs no framing: a datagram is already one message (framing is for tcp connect, tcp serve and tcp relay)", fl.name)
		}
	}
	return nil
}
