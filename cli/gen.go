package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"runtime"
	"strings"
	"time"

	"github.com/sockdesk/sockdesk/internal/hostport"
	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/gen"
	"github.com/sockdesk/sockdesk/netio/library"
	"github.com/sockdesk/sockdesk/netio/payload"
)

// genDefaultSize is the size of a message when there is no MESSAGE and no --size.
const genDefaultSize = 64

// genDefaultMessage is used without MESSAGE: the message's number first, so that a
// receiver can see what is missing or out of order, then padding to --size.
const genDefaultMessage = payload.CounterPlaceholder + " "

// genDrain bounds how long a TCP run waits, after its half-close, for the peer
// to read what is still in flight and close: long enough for a few megabytes of
// socket buffers at any sane pace, short enough not to hang on a peer that never
// closes.
const genDrain = 3 * time.Second

// genRun is a checked `gen` command line, ready to open its socket.
type genRun struct {
	proto          string
	target         string // HOST:PORT as given
	host           string
	port           int
	opts           sessionOpts
	gopts          gen.Options
	gen            *gen.Generator
	rate           float64
	unit           gen.RateUnit
	from           string // udp: --from as given
	fromHost       string
	fromPort       int
	broadcast      bool
	connectTimeout time.Duration
}

// runGen is `gen udp|tcp HOST:PORT [MESSAGE]`: the traffic generator. Everything
// is checked before a socket opens; the events of the socket go to --log only and
// stdout gets one summary at the end.
func runGen(ctx context.Context, e *env, args []string) error {
	r, err := parseGen(e, args)
	if err != nil {
		return err
	}
	var dst *net.UDPAddr
	if r.proto == "udp" {
		// Resolving may ask DNS; an unknown host is a run-time failure, not bad usage.
		if dst, err = netio.ResolveUDP(hostport.Join(r.host, r.port)); err != nil {
			return failure("HOST:PORT: %s", errText(err))
		}
		if !r.broadcast && netio.IsBroadcast(dst.IP) {
			return usageErr("HOST:PORT: %s is a broadcast address; add --broadcast to send to it", dst.IP)
		}
	}
	var errs errorRecorder
	// The printer is not wanted: stdout is the summary's.
	s, err := startSession(ctx, r.opts, &env{stdout: io.Discard, stderr: e.stderr}, &errs)
	if err != nil {
		return err
	}
	// Every message sent goes to the log, if any, and nowhere else: the screen gets
	// the summary, and a run without a log pays nothing per message.
	r.gopts.Sent = s.logSink()
	if r.gen, err = gen.New(r.gopts); err != nil {
		return s.end(runError(err))
	}
	var res gen.Progress
	var runErr error
	// The run gets a goroutine of its own: main.main is locked to the main thread
	// (Fyne's GL driver needs that for the desktop app), and every wait of a locked
	// goroutine hands the thread over and back, which a paced run does a thousand
	// times a second.
	//
	// A UDP run at full rate also gets the process to itself, on one P: with a
	// second one the runtime keeps a thread asleep in epoll_wait for the endpoint's
	// reader, and every datagram sent wakes it (Go registers sockets for EPOLLOUT,
	// and each send frees buffer space), costing a quarter to a third of the rate
	// on a 2-core machine (BENCHMARKS.md, case 3). Replies still get read: the
	// scheduler switches to the reader every time slice (10 ms). This is the
	// command's choice for its own process; the engine, which the desktop app
	// shares with its UI, does not touch GOMAXPROCS.
	if r.proto == "udp" && r.rate == 0 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if r.proto == "udp" {
			res, runErr = r.runUDP(ctx, s, dst)
		} else {
			res, runErr = r.runTCP(ctx, s)
		}
	}()
	<-done
	if runErr == nil || res.Elapsed > 0 {
		if err := writeGenSummary(e.stdout, r, res, errs.count()); err != nil && runErr == nil {
			runErr = failure("writing output: %s", errText(err))
		}
	}
	if n, first := errs.count(), errs.firstError(); n > 0 {
		fmt.Fprintf(s.stderr, "sockdesk: %s\n", charset.DisplayText(errorsLine(n, first, r.opts.logPath != "")))
	}
	return s.end(runErr)
}

func (r *genRun) runUDP(ctx context.Context, s *session, dst *net.UDPAddr) (gen.Progress, error) {
	bind := ""
	if r.from != "" {
		bind = hostport.BindAddress(r.fromHost, r.fromPort)
	}
	ep := netio.NewUDP(netio.UDPConfig{Bind: bind, Broadcast: r.broadcast, Charset: r.opts.charset, Sink: s.sink})
	if err := ep.Start(ctx); err != nil {
		ep.Close()
		return gen.Progress{}, fromError(r.fromHost, r.fromPort, err)
	}
	defer ep.Close()
	res, err := r.gen.RunUDP(s.ctx, ep, dst)
	if err != nil {
		return res, runError(err)
	}
	return res, nil
}

func (r *genRun) runTCP(ctx context.Context, s *session) (gen.Progress, error) {
	cl := netio.NewTCPClient(netio.TCPClientConfig{Addr: r.target, Timeout: r.connectTimeout, Charset: r.opts.charset, Sink: s.sink})
	if err := cl.Start(ctx); err != nil {
		if ctx.Err() != nil {
			return gen.Progress{}, nil // Ctrl-C while connecting
		}
		return gen.Progress{}, failure("%s", errText(err))
	}
	defer cl.Close()
	res, err := r.gen.RunTCP(s.ctx, cl)
	if err != nil {
		return res, runError(err)
	}
	// Half-close and let the peer read to the end, so that what the summary counts
	// is not lost to a reset when the connection closes.
	if cl.CloseWrite() == nil {
		t := time.NewTimer(genDrain)
		defer t.Stop()
		select {
		case <-cl.Done():
		case <-t.C:
		case <-s.ctx.Done():
		}
	}
	return res, nil
}

// runError is a failed run: bad options that only the engine could see are bad
// usage, the rest a run-time failure.
func runError(err error) error {
	var ge *gen.Error
	if errors.As(err, &ge) {
		return genUsage(ge)
	}
	return failure("%s", errText(err))
}

// genUsage names the flag (or argument) a gen.Error is about.
func genUsage(ge *gen.Error) error {
	if ge.Field == "message" {
		return usageErr("MESSAGE: %s", ge.Reason)
	}
	return usageErr("--%s: %s", ge.Field, ge.Reason)
}

// parseGen checks the whole command line, in the order a reader checks it: the
// protocol, the address, the message, then the flags.
func parseGen(e *env, args []string) (*genRun, error) {
	fs := newFlagSet("gen")
	var sf sessionFlags
	// Not sessionFlags.register: here --count counts messages sent, and there is
	// --duration rather than --timeout.
	fs.BoolVar(&sf.json, "json", false, "print the summary as one JSON object")
	fs.StringVar(&sf.log, "log", "", "append every event, and every message sent, to this file")
	fs.StringVar(&sf.logFormat, "log-format", "text", "text or json")
	fs.StringVar(&sf.charset, "charset", "", "charset name (default UTF-8)")
	sf.registerChecksum(fs)
	hex := fs.Bool("hex", false, "MESSAGE is hex")
	escapes := fs.Bool("escapes", false, "MESSAGE has escapes")
	rateS := fs.String("rate", "", "messages/s, or bytes/s with a unit; 0 = as fast as possible")
	sizeS := fs.String("size", "", "every message exactly N bytes")
	countS := fs.String("count", "", "send N messages")
	durationS := fs.String("duration", "", "send for this long")
	from := fs.String("from", "", "udp: local [ADDR]:PORT to send from")
	broadcast := fs.Bool("broadcast", false, "udp: allow a broadcast destination")
	connectTimeoutS := fs.String("connect-timeout", "", "tcp: give up connecting after this long (default 10s)")
	var lf messageFlags
	lf.register(fs)
	pos, err := parseArgs(fs, args, e)
	if err != nil {
		return nil, err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })

	r := &genRun{}
	switch {
	case len(pos) == 0:
		return nil, usageErr(`udp|tcp: missing; use "gen udp HOST:PORT" or "gen tcp HOST:PORT"`)
	case pos[0] != "udp" && pos[0] != "tcp":
		return nil, usageErr("%q: unknown protocol; use udp or tcp", pos[0])
	}
	lm, err := lf.apply(e, fs, messageUse{rate: true})
	if err != nil {
		return nil, err
	}
	what := "MESSAGE" // where the payload comes from, in errors
	if lm != nil {
		if len(pos) > 2 {
			return nil, usageErr("unexpected argument %q (--message sends the library's message instead of a MESSAGE)", pos[2])
		}
		explicit := ""
		if len(pos) == 2 {
			explicit = pos[1]
		}
		missing := usageErr("HOST:PORT: missing; give the address to send to (%s has no destination)", lm.where())
		dst, err := lm.destination(explicit, library.Protocol(pos[0]), false, "HOST:PORT", missing)
		if err != nil {
			return nil, err
		}
		pos, what = []string{pos[0], dst, lm.Payload}, lm.where()
	}
	switch {
	case len(pos) == 1:
		return nil, usageErr("HOST:PORT: missing; give the address to send to")
	case len(pos) > 3:
		return nil, usageErr("unexpected argument %q (quote a MESSAGE that has spaces)", pos[3])
	}
	r.proto, r.target = pos[0], pos[1]
	if r.host, r.port, err = hostport.Split(r.target, false); err != nil {
		return nil, usageErr("HOST:PORT: %s", addrReason(err))
	}
	if r.host == "" {
		return nil, usageErr("HOST:PORT: %q has no host", r.target)
	}
	for _, name := range []string{"from", "broadcast", "connect-timeout"} {
		if only := genFlagProto(name); set[name] && only != r.proto {
			return nil, usageErr("--%s: only for gen %s", name, only)
		}
	}
	if r.opts, err = sf.parse(); err != nil {
		return nil, err
	}
	mode, err := parseMode(*hex, *escapes)
	if err != nil {
		return nil, err
	}

	message, hasMessage := genDefaultMessage, len(pos) == 3
	if hasMessage {
		message = pos[2]
	} else if mode != payload.ModeText {
		return nil, usageErr("--%s: applies to MESSAGE, and there is none", mode)
	}
	tmpl, err := payload.ParseTemplate(message, mode, r.opts.charset)
	if err != nil {
		return nil, payloadError(what, err)
	}
	size := 0
	if set["size"] {
		n, err := parseCount("size", *sizeS)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, usageErr("--size: must be at least 1")
		}
		size = int(n)
	} else if !hasMessage {
		size = genDefaultSize
	}
	if r.proto == "tcp" && size == 0 && tmpl.Len(1) == 0 {
		return nil, usageErr("%s: empty (a TCP message needs at least one byte)", what)
	}

	if r.rate, r.unit, err = parseRate(*rateS); err != nil {
		return nil, err
	}
	var count uint64
	var duration time.Duration
	switch {
	case set["count"] && set["duration"]:
		return nil, usageErr("--count and --duration cannot be used together")
	case set["count"]:
		if count, err = parseCount("count", *countS); err != nil {
			return nil, err
		}
		if count == 0 {
			return nil, usageErr("--count: must be at least 1")
		}
	case set["duration"]:
		if duration, err = parseDuration("duration", *durationS); err != nil {
			return nil, err
		}
		if duration == 0 {
			return nil, usageErr("--duration: must be more than 0")
		}
	default:
		return nil, usageErr("--count or --duration: missing; say how many messages or for how long (e.g. --count 1000, --duration 10s)")
	}

	r.gopts = gen.Options{
		Message: tmpl, Size: size, Rate: r.rate, Unit: r.unit, Count: count, Duration: duration,
		Checksum: r.opts.check, ChecksumOrder: r.opts.checkOrder,
	}
	// This generator only checks the options; the run's own is made once the log
	// (its Sent sink) is open.
	if r.gen, err = gen.New(r.gopts); err != nil {
		var ge *gen.Error
		if errors.As(err, &ge) {
			return nil, genUsage(ge)
		}
		return nil, failure("%s", errText(err))
	}
	if r.proto == "udp" && r.gen.MaxLen() > netio.MaxUDPPayload {
		where := what
		if size > 0 {
			where = "--size"
		}
		return nil, usageErr("%s: %d bytes is more than a UDP datagram can carry (%d bytes)", where, r.gen.MaxLen(), netio.MaxUDPPayload)
	}

	r.from, r.broadcast = strings.TrimSpace(*from), *broadcast
	if r.fromHost, r.fromPort, err = parseFrom(r.from); err != nil {
		return nil, err
	}
	if r.connectTimeout, err = parseDuration("connect-timeout", *connectTimeoutS); err != nil {
		return nil, err
	}
	if r.connectTimeout == 0 {
		r.connectTimeout = netio.DefaultConnectTimeout
	}
	return r, nil
}

// genFlagProto says which protocol a protocol-specific flag belongs to.
func genFlagProto(name string) string {
	if name == "connect-timeout" {
		return "tcp"
	}
	return "udp"
}
