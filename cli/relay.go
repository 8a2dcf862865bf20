package cli

import (
	"context"

	"github.com/sockdesk/sockdesk/internal/hostport"
	"github.com/sockdesk/sockdesk/netio"
)

// runTCPRelay is `tcp relay`: listen, connect each client on to the target, pass
// the bytes both ways and show both directions, until --count, --timeout or Ctrl-C.
func runTCPRelay(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("tcp relay")
	var sf sessionFlags
	sf.register(fs, true)
	sf.registerExtract(fs)
	sf.registerLayers(fs)
	listenS := fs.String("listen", "", "[ADDR:]PORT to listen on (0 = any free port)")
	toS := fs.String("to", "", "HOST:PORT to connect each client on to")
	connectTimeoutS := fs.String("connect-timeout", "", "give up connecting to the target after this long (default 10s)")
	maxS := fs.String("max-clients", "", "at most N clients at once (0 = no limit)")
	var frf frameFlags
	frf.register(fs)
	pos, err := parseArgs(fs, args, e)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErr("unexpected argument %q", pos[0])
	}
	o, err := sf.parse()
	if err != nil {
		return err
	}
	if *listenS == "" {
		return usageErr("--listen: missing; give the [ADDR:]PORT to listen on (0 picks a free port)")
	}
	host, port, err := parseListenAddr("--listen", *listenS)
	if err != nil {
		return err
	}
	if *toS == "" {
		return usageErr("--to: missing; give the HOST:PORT to relay to")
	}
	toHost, _, err := hostport.Split(*toS, false)
	if err != nil {
		return usageErr("--to: %s", addrReason(err))
	}
	if toHost == "" {
		return usageErr("--to: %q has no host", *toS)
	}
	connectTimeout, err := parseDuration("connect-timeout", *connectTimeoutS)
	if err != nil {
		return err
	}
	maxClients, err := parseCount("max-clients", *maxS)
	if err != nil {
		return err
	}
	frame, maxFrame, err := frf.parse()
	if err != nil {
		return err
	}

	s, err := startSession(ctx, o, e)
	if err != nil {
		return err
	}
	r := netio.NewTCPRelay(netio.TCPRelayConfig{
		Listen: hostport.BindAddress(host, port), Target: *toS, Timeout: connectTimeout,
		MaxClients: int(maxClients), Charset: o.charset, Sink: s.sink,
		Frame: frame, MaxFrame: maxFrame,
	})
	if err := r.Start(ctx); err != nil {
		r.Close()
		return s.endStartFailed(listenErrorAs("--listen", host, port, err))
	}
	s.startClock()
	<-s.ctx.Done()
	r.Close()
	return s.end(nil)
}
