package cli

import (
	"errors"
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

// parseByteSize reads --max-frame's value (framing.ParseSize), worded for the
// command line.
func parseByteSize(s string) (int, error) {
	n, err := framing.ParseSize(s)
	switch {
	case errors.Is(err, framing.ErrNotASize):
		return 0, errors.New(strconv.Quote(strings.TrimSpace(s)) + " is not a size in bytes (e.g. 65536, 64KiB, 1MiB)")
	case err != nil:
		return 0, errors.New(strings.TrimSpace(s) + " is out of range (1 byte to 1 GiB)")
	}
	return n, nil
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
