package cli

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/sockdesk/sockdesk/internal/hostport"
	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/library"
	"github.com/sockdesk/sockdesk/netio/payload"
)

// defaultInterval separates repeated datagrams when --interval is not given: the
// pace of ping and of the desktop app's timed send, slow enough to watch.
const defaultInterval = time.Second

// maxInterval is the longest --interval, as in the desktop app's repeat: a longer
// one is a typo (a unit forgotten), not a plan.
const maxInterval = time.Hour

// runUDPSend is `udp send`: validate everything, then bind, send, and optionally
// wait for replies.
func runUDPSend(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("udp send")
	var sf sessionFlags
	sf.register(fs, false)
	sf.registerChecksum(fs)
	sf.registerLayers(fs)
	var ff fileFlags
	ff.register(fs, "MESSAGE")
	to := fs.String("to", "", "destination HOST:PORT")
	from := fs.String("from", "", "local [ADDR]:PORT to send from")
	broadcast := fs.Bool("broadcast", false, "allow broadcast destinations (SO_BROADCAST)")
	var mf mcastFlags
	mf.registerSend(fs)
	hex := fs.Bool("hex", false, "MESSAGE is hex")
	escapes := fs.Bool("escapes", false, "MESSAGE has escapes")
	repeatS := fs.String("repeat", "1", "send N times")
	intervalS := fs.String("interval", "", "time between sends")
	waitS := fs.String("wait", "", "keep the socket open this long after the last send")
	var nf noFrameFlags
	nf.register(fs)
	var lf messageFlags
	lf.register(fs)
	pos, err := parseArgs(fs, args, e)
	if err != nil {
		return err
	}
	if err := nf.check(); err != nil {
		return err
	}
	lm, err := lf.apply(e, fs, messageUse{interval: true})
	if err != nil {
		return err
	}
	what := "MESSAGE" // where the payload comes from, in errors
	if lm != nil {
		switch {
		case len(pos) > 0:
			return usageErr("unexpected argument %q (--message sends the library's message instead of a MESSAGE)", pos[0])
		case ff.path != "":
			return usageErr("--file: cannot be used with --message")
		}
		pos, what = []string{lm.Payload}, lm.where()
		missing := usageErr("--to: missing; give the destination HOST:PORT (%s has none)", what)
		if *to, err = lm.destination(strings.TrimSpace(*to), library.UDP, false, "--to", missing); err != nil {
			return err
		}
	}

	// Everything is checked before a socket is opened.
	switch {
	case ff.path != "" && len(pos) > 0:
		return usageErr("unexpected argument %q (--file sends the file instead of a MESSAGE)", pos[0])
	case ff.path != "":
	case len(pos) == 0:
		return usageErr("MESSAGE: missing (an empty datagram is \"\")")
	case len(pos) > 1:
		return usageErr("unexpected argument %q (quote a MESSAGE that has spaces)", pos[1])
	}
	o, err := sf.parse()
	if err != nil {
		return err
	}
	fileOpts, err := ff.parse(o, netio.MaxUDPPayload)
	if err != nil {
		return err
	}
	if ff.path != "" && *repeatS != "1" {
		return usageErr("--repeat: cannot be used with --file")
	}
	mode, err := parseMode(*hex, *escapes)
	if err != nil {
		return err
	}
	if strings.TrimSpace(*to) == "" {
		return usageErr("--to: missing; give the destination HOST:PORT")
	}
	host, port, err := hostport.Split(*to, false)
	if err != nil {
		return usageErr("--to: %s", addrReason(err))
	}
	if host == "" {
		return usageErr("--to: %q has no host", *to)
	}
	bindHost, bindPort, err := parseFrom(*from)
	if err != nil {
		return err
	}
	bind := ""
	if *from != "" {
		bind = hostport.BindAddress(bindHost, bindPort)
	}
	repeat, err := parseCount("repeat", *repeatS)
	if err != nil {
		return err
	}
	if repeat < 1 {
		return usageErr("--repeat: must be at least 1")
	}
	interval, err := parseDuration("interval", *intervalS)
	if err != nil {
		return err
	}
	if interval > maxInterval {
		return usageErr("--interval: %s is too long (at most %v)", strings.TrimSpace(*intervalS), maxInterval)
	}
	if *intervalS == "" && repeat > 1 {
		interval = defaultInterval
	}
	wait, err := parseDuration("wait", *waitS)
	if err != nil {
		return err
	}
	var msg *payload.Template // nil with --file
	if ff.path == "" {
		if msg, err = payload.ParseTemplate(pos[0], mode, o.charset); err != nil {
			return payloadError(what, err)
		}
		if n := msg.Len(repeat) + o.checksumWidth(); n > netio.MaxUDPPayload {
			return usageErr("%s: %d bytes is more than a UDP datagram can carry (%d bytes)", what, n, netio.MaxUDPPayload)
		}
	}

	// Resolving may ask DNS; an unknown host is a run-time failure, not bad usage.
	dst, err := netio.ResolveUDP(hostport.Join(host, port))
	if err != nil {
		return failure("--to: %s", errText(err))
	}
	if !*broadcast && netio.IsBroadcast(dst.IP) {
		return broadcastOff(dst.IP.String())
	}
	cfg := netio.UDPConfig{Bind: bind, Broadcast: *broadcast, Charset: o.charset}
	if err := mf.sendConfig(&cfg, dst.AddrPort().Addr()); err != nil {
		return err
	}

	s, err := startSession(ctx, o, e)
	if err != nil {
		return err
	}
	cfg.Sink = s.sink
	ep := netio.NewUDP(cfg)
	if err := ep.Start(ctx); err != nil {
		ep.Close()
		return s.endStartFailed(fromError(bindHost, bindPort, err))
	}
	var sendErr error
	if ff.path != "" {
		if _, err := ep.SendFileTo(s.ctx, dst, ff.path, fileOpts); err != nil && s.ctx.Err() == nil {
			sendErr = fileFailure(err)
		}
	} else {
		sendErr = sendRepeated(s.ctx, ep, dst, msg, repeat, interval, o.withChecksum)
	}
	if sendErr == nil && (wait > 0 || o.count > 0) {
		waitFor(s.ctx, wait)
	}
	ep.Close()
	return s.end(sendErr)
}

// sendRepeated sends msg n times (filled in as message 1, 2, ..., then passed
// through finish, which appends the checksum), interval apart, until done ends
// (Ctrl-C, or --count replies already arrived).
func sendRepeated(done context.Context, ep *netio.UDPEndpoint, dst *net.UDPAddr, msg *payload.Template, n uint64, interval time.Duration, finish func([]byte) []byte) error {
	var tick *time.Ticker
	if n > 1 && interval > 0 {
		tick = time.NewTicker(interval)
		defer tick.Stop()
	}
	for i := uint64(0); i < n; i++ {
		if i > 0 && tick != nil {
			select {
			case <-tick.C:
			case <-done.Done():
				return nil
			}
		} else if done.Err() != nil {
			return nil
		}
		if err := ep.SendToAddr(dst, finish(msg.Append(nil, i+1))); err != nil {
			if errors.Is(err, netio.ErrBroadcastOff) {
				return broadcastOff(dst.IP.String())
			}
			return failure("%s", errText(err))
		}
	}
	return nil
}

// waitFor waits until ctx ends or, when d > 0, until d has passed.
func waitFor(ctx context.Context, d time.Duration) {
	if d <= 0 {
		<-ctx.Done()
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

func broadcastOff(ip string) error {
	return usageErr("--to: %s is a broadcast address; add --broadcast to send to it", ip)
}

// parseFrom reads --from: "[ADDR]:PORT" (empty: any address, a free port). A bare
// port number is taken as ":PORT", because that is what people type.
func parseFrom(s string) (host string, port int, err error) {
	if strings.TrimSpace(s) == "" {
		return "", 0, nil
	}
	return parseListenAddr("--from", s)
}

// parseListenAddr reads a flag that names a local address and port in one:
// "[ADDR]:PORT", or a bare port number, taken as ":PORT" (any address).
func parseListenAddr(flag, s string) (host string, port int, err error) {
	s = strings.TrimSpace(s)
	if _, err := strconv.Atoi(s); err == nil {
		s = ":" + s
	}
	host, port, err = hostport.Split(s, true)
	if err != nil {
		return "", 0, usageErr("%s: %s", flag, addrReason(err))
	}
	return host, port, nil
}

// fromError is listenError for --from, which names address and port in one flag.
func fromError(host string, port int, err error) error {
	return listenErrorAs("--from", host, port, err)
}

// listenErrorAs is listenError for a flag that names address and port in one
// (--from, --listen).
func listenErrorAs(flag, host string, port int, err error) error {
	err = listenError(host, port, err)
	var xe *exitError
	if errors.As(err, &xe) {
		xe.msg = strings.Replace(strings.Replace(xe.msg, "--port: ", flag+": ", 1), "--bind: ", flag+": ", 1)
	}
	return err
}

// runUDPListen is `udp listen`: bind and show what arrives until --count,
// --timeout or Ctrl-C.
func runUDPListen(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("udp listen")
	var sf sessionFlags
	sf.register(fs, true)
	sf.registerChecksum(fs)
	sf.registerSave(fs)
	sf.registerLayers(fs)
	sf.registerExtract(fs)
	portS := fs.String("port", "", "port to bind (0 = any free port)")
	bindS := fs.String("bind", "", "local address to bind (default: all)")
	echo := fs.Bool("echo", false, "send every datagram back to its sender")
	respond := registerRespond(fs)
	var mf mcastFlags
	mf.registerListen(fs)
	var nf noFrameFlags
	nf.register(fs)
	pos, err := parseArgs(fs, args, e)
	if err != nil {
		return err
	}
	if err := nf.check(); err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErr("unexpected argument %q", pos[0])
	}
	o, err := sf.parse()
	if err != nil {
		return err
	}
	port, err := parseListenPort(*portS)
	if err != nil {
		return err
	}
	bind, err := parseBind(*bindS)
	if err != nil {
		return err
	}
	resp, err := parseResponder(*respond, o.charset)
	if err != nil {
		return err
	}
	cfg := netio.UDPConfig{Bind: hostport.BindAddress(bind, port), Echo: *echo, Charset: o.charset, Responder: resp}
	if err := mf.listenConfig(&cfg, bind); err != nil {
		return err
	}

	s, err := startSession(ctx, o, e)
	if err != nil {
		return err
	}
	cfg.Sink = s.sink
	ep := netio.NewUDP(cfg)
	if err := ep.Start(ctx); err != nil {
		ep.Close()
		if je := joinError(err); je != nil {
			return s.endStartFailed(je)
		}
		return s.endStartFailed(listenError(bind, port, err))
	}
	s.startClock()
	<-s.ctx.Done()
	ep.Close()
	return s.end(nil)
}

// addrReason is the reason part of a hostport.Error (the flag name says the rest).
func addrReason(err error) string {
	var ae *hostport.Error
	if errors.As(err, &ae) {
		return strconv.Quote(ae.Input) + ": " + ae.Reason
	}
	return errText(err)
}

// payloadError reports a MESSAGE (or --send, or stdin line) that cannot be turned
// into bytes.
func payloadError(where string, err error) error {
	return usageErr("%s: %s", where, errText(err))
}
