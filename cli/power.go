package cli

import (
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/checksum"
)

// The flags of issue 6's power features: a checksum appended to what is sent and
// checked on what arrives, a file sent instead of a message, and received bytes
// saved to a file.

// registerChecksum adds --checksum and --checksum-order.
func (f *sessionFlags) registerChecksum(fs *flag.FlagSet) {
	fs.StringVar(&f.checksum, "checksum", "", "append this checksum to messages sent and check it on messages received")
	fs.StringVar(&f.checksumOrder, "checksum-order", "", "big or little (default: the checksum's usual order)")
}

// registerSave adds --save.
func (f *sessionFlags) registerSave(fs *flag.FlagSet) {
	fs.StringVar(&f.save, "save", "", "write the raw bytes received to this file")
}

// parseChecksum reads --checksum NAME[:le|:be] and --checksum-order.
func (f *sessionFlags) parseChecksum(o *sessionOpts) error {
	if strings.TrimSpace(f.checksum) == "" {
		if f.checksumOrder != "" {
			return usageErr("--checksum-order: needs --checksum NAME")
		}
		return nil
	}
	c, order, err := checksum.Lookup(f.checksum)
	if err != nil {
		return usageErr("--checksum: %s", errText(err))
	}
	if f.checksumOrder != "" {
		o2, err := checksum.ParseByteOrder(f.checksumOrder)
		if err != nil {
			return usageErr("--checksum-order: %s", errText(err))
		}
		if order != checksum.OrderDefault && o2 != checksum.OrderDefault && o2 != order {
			return usageErr("--checksum-order: %s contradicts --checksum %s", o2, strings.TrimSpace(f.checksum))
		}
		if o2 != checksum.OrderDefault {
			order = o2
		}
	}
	o.check, o.checkOrder = c, order
	return nil
}

// checksumWidth is the bytes the session's checksum adds to a message.
func (o *sessionOpts) checksumWidth() int {
	if o.check == nil {
		return 0
	}
	return o.check.Width()
}

// withChecksum appends the session's checksum, if any, to p.
func (o *sessionOpts) withChecksum(p []byte) []byte {
	if o.check == nil {
		return p
	}
	return o.check.Append(p, o.checkOrder)
}

// fileFlags are --file, --chunk and --delay of the sending commands.
type fileFlags struct {
	path, chunk, delay string
}

func (f *fileFlags) register(fs *flag.FlagSet, what string) {
	fs.StringVar(&f.path, "file", "", "send this file instead of "+what)
	fs.StringVar(&f.chunk, "chunk", "", "bytes per datagram (udp) or write (tcp)")
	fs.StringVar(&f.delay, "delay", "", "pause between chunks")
}

// parse checks the file flags; maxChunk is the protocol's largest chunk. The file
// itself is opened when sending, so that an unreadable one is a run-time failure
// that names it.
func (f *fileFlags) parse(o sessionOpts, maxChunk int) (netio.FileOptions, error) {
	var fo netio.FileOptions
	if f.path == "" {
		if f.chunk != "" {
			return fo, usageErr("--chunk: needs --file PATH")
		}
		if f.delay != "" {
			return fo, usageErr("--delay: needs --file PATH")
		}
		return fo, nil
	}
	if o.check != nil {
		return fo, usageErr("--checksum: cannot be used with --file (a file is sent as it is)")
	}
	n, err := parseCount("chunk", f.chunk)
	if err != nil {
		return fo, err
	}
	if f.chunk != "" && (n < 1 || n > uint64(maxChunk)) {
		return fo, usageErr("--chunk: %d is out of range (1 to %d)", n, maxChunk)
	}
	fo.Chunk = int(n)
	if fo.Delay, err = parseDuration("delay", f.delay); err != nil {
		return fo, err
	}
	if fo.Delay > netio.MaxFileDelay {
		return fo, usageErr("--delay: %s is too long (at most %v)", strings.TrimSpace(f.delay), netio.MaxFileDelay)
	}
	return fo, nil
}

// fileFailure words a failed file send: the file's problem or the socket's.
func fileFailure(err error) error {
	return failure("--file: %s", errText(err))
}

// saveFileError says why --save cannot be used; like --log, the path is checked
// before any socket opens, so it is bad input (status 2).
func saveFileError(path string, err error) error {
	var fe *netio.FileError
	if errors.As(err, &fe) {
		err = fe.Err
	}
	return usageErr("--save: cannot write %q: %s", path, errText(err))
}

// saveTrouble reports, as it happens, that --save stopped writing (disk full, ...).
func (s *session) saveTrouble(err error) {
	fmt.Fprintf(s.stderr, "sockdesk: --save: %s; received bytes are no longer saved\n", charset.DisplayText(errText(err)))
}
