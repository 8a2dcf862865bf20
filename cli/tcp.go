package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"time"

	"github.com/sockdesk/sockdesk/internal/hostport"
	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/library"
	"github.com/sockdesk/sockdesk/netio/payload"
)

// runTCPConnect is `tcp connect`: connect, send --send messages or standard input,
// then show what arrives until --count, --timeout, the peer closing, or Ctrl-C.
func runTCPConnect(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("tcp connect")
	var sf sessionFlags
	sf.register(fs, true)
	sf.registerChecksum(fs)
	sf.registerSave(fs)
	sf.registerLayers(fs)
	sf.registerExtract(fs)
	var ff fileFlags
	ff.register(fs, "--send or standard input")
	hex := fs.Bool("hex", false, "messages are hex")
	escapes := fs.Bool("escapes", false, "messages have escapes")
	var sends listFlag
	fs.Var(&sends, "send", "a message to send (repeatable)")
	connectTimeoutS := fs.String("connect-timeout", "", "give up connecting after this long (default 10s)")
	respond := registerRespond(fs)
	var tf tlsClientFlags
	tf.register(fs)
	var frf frameFlags
	frf.register(fs)
	var lf messageFlags
	lf.register(fs)
	pos, err := parseArgs(fs, args, e)
	if err != nil {
		return err
	}
	lm, err := lf.apply(e, fs, messageUse{tls: true})
	if err != nil {
		return err
	}
	if lm != nil {
		switch {
		case len(sends) > 0:
			return usageErr("--send: cannot be used with --message")
		case ff.path != "":
			return usageErr("--file: cannot be used with --message")
		case len(pos) > 1:
			return usageErr("unexpected argument %q (--message is the message to send)", pos[1])
		}
		sends = listFlag{lm.Payload}
		explicit := ""
		if len(pos) == 1 {
			explicit = pos[0]
		}
		missing := usageErr("HOST:PORT: missing; give the address to connect to (%s has no destination)", lm.where())
		dst, err := lm.destination(explicit, library.TCP, true, "HOST:PORT", missing)
		if err != nil {
			return err
		}
		pos = []string{dst}
	}

	switch {
	case len(pos) == 0:
		return usageErr("HOST:PORT: missing; give the address to connect to")
	case len(pos) > 1:
		return usageErr("unexpected argument %q (messages go in --send, or on standard input)", pos[1])
	}
	o, err := sf.parse()
	if err != nil {
		return err
	}
	fileOpts, err := ff.parse(o, netio.MaxTCPChunk)
	if err != nil {
		return err
	}
	if ff.path != "" && len(sends) > 0 {
		return usageErr("--send: cannot be used with --file")
	}
	mode, err := parseMode(*hex, *escapes)
	if err != nil {
		return err
	}
	host, _, err := hostport.Split(pos[0], false)
	if err != nil {
		return usageErr("HOST:PORT: %s", addrReason(err))
	}
	if host == "" {
		return usageErr("HOST:PORT: %q has no host", pos[0])
	}
	connectTimeout, err := parseDuration("connect-timeout", *connectTimeoutS)
	if err != nil {
		return err
	}
	if connectTimeout == 0 {
		connectTimeout = netio.DefaultConnectTimeout
	}
	tlsOpts, err := tf.parse(fs)
	if err != nil {
		return err
	}
	if tlsOpts != nil {
		o.layersNote = tlsLayersNote
	}
	frame, maxFrame, err := frf.parse()
	if err != nil {
		return err
	}
	msgs := make([]*payload.Template, len(sends))
	for i, m := range sends {
		if msgs[i], err = payload.ParseTemplate(m, mode, o.charset); err != nil {
			where := "--send"
			if lm != nil {
				where = lm.where()
			} else if len(sends) > 1 {
				where = fmt.Sprintf("--send #%d", i+1)
			}
			return payloadError(where, err)
		}
	}
	resp, err := parseResponder(*respond, o.charset)
	if err != nil {
		return err
	}

	var closed closedRecorder
	s, err := startSession(ctx, o, e, &closed)
	if err != nil {
		return err
	}
	cl := netio.NewTCPClient(netio.TCPClientConfig{Addr: pos[0], Timeout: connectTimeout, Charset: o.charset, Sink: s.sink, Responder: resp, TLS: tlsOpts,
		Frame: frame, MaxFrame: maxFrame})
	if err := cl.Start(ctx); err != nil {
		if ctx.Err() != nil {
			return s.endStartFailed(nil) // Ctrl-C while connecting
		}
		return s.endStartFailed(failure("%s%s", errText(err), tlsHint(err)))
	}
	s.startClock()

	var runErr error
	if ff.path != "" {
		if _, err := cl.SendFile(s.ctx, ff.path, fileOpts); err != nil && s.ctx.Err() == nil {
			runErr = fileFailure(err)
		}
	} else if len(sends) > 0 {
		for i, msg := range msgs {
			if s.ctx.Err() != nil || isDone(cl.Done()) {
				break
			}
			if err := cl.Send(o.withChecksum(msg.Append(nil, uint64(i+1)))); err != nil {
				runErr = failure("%s", errText(err))
				break
			}
		}
	} else {
		runErr = sendLines(s.ctx, cl, e.stdin, mode, o)
	}
	if runErr == nil {
		select {
		case <-s.ctx.Done():
		case <-cl.Done():
		}
	}
	cl.Close()
	if ce := closed.get(); runErr == nil && ce != nil && ce.Reason == netio.ReasonError && ce.Err != nil {
		runErr = failure("%s", errText(ce.Err))
	}
	return s.end(runErr)
}

// isDone reports whether ch is closed, without waiting.
func isDone(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// closedRecorder keeps the last closed event, so that a connection that ended in an
// error (not the peer closing or resetting it) can end the run with status 1.
type closedRecorder struct {
	last atomic.Pointer[netio.Event]
}

func (r *closedRecorder) Emit(e netio.Event) {
	if e.Kind == netio.EventClosed && e.Peer != "" {
		r.last.Store(&e)
	}
}

// BorrowsData: only closed events are kept, and those are never lent.
func (r *closedRecorder) BorrowsData() bool { return true }

func (r *closedRecorder) get() *netio.Event { return r.last.Load() }

// sendLines sends standard input line by line as it is read, the way netcat does,
// until it ends, the connection ends, or the run is over.
func sendLines(ctx context.Context, cl *netio.TCPClient, stdin io.Reader, mode payload.Mode, o sessionOpts) error {
	if stdin == nil {
		return nil
	}
	lr := startLineReader(stdin)
	defer lr.stop()
	for n := 1; ; {
		select {
		case line, ok := <-lr.lines:
			if !ok {
				if lr.err != nil {
					return failure("reading standard input: %s", lr.err)
				}
				return nil
			}
			where := fmt.Sprintf("standard input line %d", n)
			if line.partial && mode != payload.ModeText {
				return usageErr("%s: longer than %d bytes without a newline (in %s mode lines must end sooner)", where, maxLine, mode)
			}
			p, err := linePayload(line.text, mode, o.charset, uint64(n))
			if !line.partial {
				n++
			}
			if err != nil {
				return payloadError(where, err)
			}
			if len(p) == 0 {
				continue
			}
			p = o.withChecksum(p)
			if err := cl.Send(p); err != nil {
				return failure("%s", errText(err))
			}
		case <-ctx.Done():
			return nil
		case <-cl.Done():
			return nil
		}
	}
}

// linePayload turns line n of standard input (with its "\n", if it had one) into
// bytes, placeholders filled in ({counter} is n). Text is sent as it was typed,
// newline included; a line of hex is only the bytes it spells, so that binary
// protocols can be typed or piped line by line.
func linePayload(line string, mode payload.Mode, cs *charset.Charset, n uint64) ([]byte, error) {
	if mode == payload.ModeHex {
		if strings.TrimSpace(line) == "" {
			return nil, nil // a blank line is no bytes, not an error
		}
		return fillTemplate(line, mode, cs, n)
	}
	body, hadNL := strings.CutSuffix(line, "\n")
	p, err := fillTemplate(body, mode, cs, n)
	if err != nil || !hadNL {
		return p, err
	}
	return append(p, '\n'), nil
}

// fillTemplate parses input's placeholders and fills them in as message n.
func fillTemplate(input string, mode payload.Mode, cs *charset.Charset, n uint64) ([]byte, error) {
	t, err := payload.ParseTemplate(input, mode, cs)
	if err != nil {
		return nil, err
	}
	return t.Append(nil, n), nil
}

// stdinGrace is how long stop waits for the line reader to notice. A read on a
// terminal cannot be interrupted; the reader is then left blocked in that one Read
// (it touches nothing else afterwards) and dies with the process.
const stdinGrace = 200 * time.Millisecond

// maxLine bounds what is held of one line of standard input, so that input without
// newlines (a file piped in, /dev/zero) cannot make the reader hold all of it.
const maxLine = 1 << 20

// line is a line of standard input, or, if partial, the first maxLine bytes (less a
// character cut in two) of a longer one, whose rest follows.
type line struct {
	text    string
	partial bool
}

// lineReader reads lines on its own goroutine, because a Read on standard input
// cannot be selected on together with the connection and Ctrl-C.
type lineReader struct {
	r     io.Reader
	lines chan line // closed at the end of input; err is set before
	err   error
	quit  chan struct{}
	done  chan struct{}
}

func startLineReader(r io.Reader) *lineReader {
	lr := &lineReader{r: r, lines: make(chan line), quit: make(chan struct{}), done: make(chan struct{})}
	go lr.run()
	return lr
}

func (lr *lineReader) run() {
	defer close(lr.done)
	br := bufio.NewReaderSize(lr.r, maxLine)
	var carry []byte // the start of a character cut at the end of a partial line
	for {
		b, err := br.ReadSlice('\n')
		l := line{partial: errors.Is(err, bufio.ErrBufferFull)}
		if l.partial {
			err = nil
			cut := charset.IncompleteUTF8Tail(b)
			l.text = string(append(carry, b[:cut]...))
			carry = append(carry[:0], b[cut:]...)
		} else {
			l.text = string(append(carry, b...))
			carry = carry[:0]
		}
		if l.text != "" {
			select {
			case lr.lines <- l:
			case <-lr.quit:
				return
			}
		}
		if err != nil {
			if err != io.EOF {
				lr.err = err
			}
			close(lr.lines)
			return
		}
	}
}

// stop ends the reader: at once if it is waiting to hand over a line, and, when the
// input supports read deadlines (pipes, sockets), also if it is waiting in a Read.
func (lr *lineReader) stop() {
	close(lr.quit)
	if d, ok := lr.r.(interface{ SetReadDeadline(time.Time) error }); ok {
		d.SetReadDeadline(time.Now())
	}
	t := time.NewTimer(stdinGrace)
	defer t.Stop()
	select {
	case <-lr.done:
	case <-t.C:
	}
}

// runTCPServe is `tcp serve`: listen and serve clients until --count, --timeout
// or Ctrl-C.
func runTCPServe(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("tcp serve")
	var sf sessionFlags
	sf.register(fs, true)
	sf.registerChecksum(fs)
	sf.registerSave(fs)
	sf.registerLayers(fs)
	sf.registerExtract(fs)
	portS := fs.String("port", "", "port to listen on (0 = any free port)")
	bindS := fs.String("bind", "", "local address to listen on (default: all)")
	echo := fs.Bool("echo", false, "send back whatever a client sends")
	maxS := fs.String("max-clients", "", "at most N clients at once (0 = no limit)")
	respond := registerRespond(fs)
	var tf tlsServerFlags
	tf.register(fs)
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
	port, err := parseListenPort(*portS)
	if err != nil {
		return err
	}
	bind, err := parseBind(*bindS)
	if err != nil {
		return err
	}
	maxClients, err := parseCount("max-clients", *maxS)
	if err != nil {
		return err
	}
	tlsOpts, err := tf.parse(fs)
	if err != nil {
		return err
	}
	if tlsOpts != nil {
		o.layersNote = tlsLayersNote
	}
	frame, maxFrame, err := frf.parse()
	if err != nil {
		return err
	}
	addr := hostport.BindAddress(bind, port)
	resp, err := parseResponder(*respond, o.charset)
	if err != nil {
		return err
	}

	if err := tf.writeOut(); err != nil {
		return err
	}
	s, err := startSession(ctx, o, e)
	if err != nil {
		return err
	}
	srv := netio.NewTCPServer(netio.TCPServerConfig{
		Bind: addr, MaxClients: int(maxClients), Echo: *echo, Charset: o.charset, Sink: s.sink, Responder: resp, TLS: tlsOpts,
		Frame: frame, MaxFrame: maxFrame,
	})
	if err := srv.Start(ctx); err != nil {
		srv.Close()
		return s.endStartFailed(listenError(bind, port, err))
	}
	if tf.pair != nil && tf.outDir != "" {
		fmt.Fprint(s.stderr, selfSignedNote(tf.outDir))
	}
	s.startClock()
	<-s.ctx.Done()
	srv.Close()
	return s.end(nil)
}
