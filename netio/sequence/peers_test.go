package sequence

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/internal/loopbacktest"
	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/checksum"
)

// startPeer runs a loopback server that hands each connection to serve on its
// own goroutine, with a deadline so a stuck test ends (loopbacktest.Serve).
func startPeer(t *testing.T, serve func(net.Conn)) string {
	return loopbacktest.Serve(t, func(c *net.TCPConn) {
		c.SetDeadline(time.Now().Add(20 * time.Second))
		serve(c)
	})
}

// lineServer is a line protocol: LOGIN user -> OK (or ERR for anyone but
// admin); READ -> T=21.5; ACK x -> ACKED x; PING n -> PONG n; NOISE -> three
// lines of chatter, then READY; BYE -> BYE and a close; QUIT -> a close at once.
// Two replies of one command come in one write, as a busy device's do.
func lineServer(c net.Conn) {
	r := bufio.NewReader(c)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.TrimRight(line, "\r\n")
		var reply string
		switch word, arg, _ := strings.Cut(cmd, " "); word {
		case "LOGIN":
			reply = "ERR denied\r\n"
			if arg == "admin" {
				reply = "WELCOME\r\nOK\r\n"
			}
		case "READ":
			reply = "T=21.5 H=40\r\n"
		case "ACK":
			reply = "ACKED " + arg + "\r\n"
		case "PING":
			reply = "PONG " + arg + "\r\n"
		case "NOISE":
			reply = "tick 1\r\ntick 2\r\ntick 3\r\nREADY\r\n"
		case "BYE":
			c.Write([]byte("BYE\r\n"))
			return
		case "QUIT":
			return
		default:
			reply = "ERR unknown " + word + "\r\n"
		}
		if _, err := c.Write([]byte(reply)); err != nil {
			return
		}
	}
}

// lateServer answers each line after delay.
func lateServer(delay time.Duration) func(net.Conn) {
	return func(c net.Conn) {
		r := bufio.NewReader(c)
		for {
			if _, err := r.ReadString('\n'); err != nil {
				return
			}
			time.Sleep(delay)
			if _, err := c.Write([]byte("LATE\r\n")); err != nil {
				return
			}
		}
	}
}

// modbusTCPServer answers read holding registers (function 3) over Modbus TCP:
// register i holds 10+i. Other functions get exception 1 (illegal function).
// Each response is written in two pieces, as a network may cut it.
func modbusTCPServer(c net.Conn) {
	for {
		var hdr [7]byte
		if _, err := io.ReadFull(c, hdr[:]); err != nil {
			return
		}
		pdu := make([]byte, int(binary.BigEndian.Uint16(hdr[4:6]))-1)
		if _, err := io.ReadFull(c, pdu); err != nil {
			return
		}
		var resp []byte
		if pdu[0] == 3 && len(pdu) == 5 {
			start, n := binary.BigEndian.Uint16(pdu[1:3]), binary.BigEndian.Uint16(pdu[3:5])
			resp = []byte{3, byte(2 * n)}
			for i := range n {
				resp = binary.BigEndian.AppendUint16(resp, 10+start+i)
			}
		} else {
			resp = []byte{pdu[0] | 0x80, 1}
		}
		out := append(append(hdr[:4:4], 0, byte(len(resp)+1), hdr[6]), resp...)
		c.Write(out[:5])
		time.Sleep(2 * time.Millisecond)
		if _, err := c.Write(out[5:]); err != nil {
			return
		}
	}
}

// modbusRTUServer speaks Modbus RTU over TCP (a serial gateway): requests and
// responses end in a CRC-16/MODBUS, low byte first. A request with a bad CRC
// is answered with a response whose CRC is bad too, so a test can see both.
func modbusRTUServer(c net.Conn) {
	crc, order, _ := checksum.Lookup("crc16-modbus")
	for {
		req := make([]byte, 8) // unit, function 3, start, count, CRC
		if _, err := io.ReadFull(c, req); err != nil {
			return
		}
		n := binary.BigEndian.Uint16(req[4:6])
		resp := []byte{req[0], 3, byte(2 * n)}
		for i := range n {
			resp = binary.BigEndian.AppendUint16(resp, 0x100+i)
		}
		resp = crc.Append(resp, order)
		if !crc.Verify(req, order).OK {
			resp[len(resp)-1] ^= 0xff
		}
		if _, err := c.Write(resp); err != nil {
			return
		}
	}
}

// runFile parses src (with vars) and runs it, collecting what OnStep saw.
func runFile(t *testing.T, src string, vars map[string]string) (*Report, []Result) {
	t.Helper()
	seq, err := Parse("test.yaml", []byte(src), vars)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	var seen []Result
	r := NewRunner(seq, Options{OnStep: func(res Result) { seen = append(seen, res) }})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rep := r.Run(ctx)
	return rep, seen
}

// lastEvents keeps the events a sink got.
type lastEvents struct {
	mu  sync.Mutex
	evs []netio.Event
}

func (l *lastEvents) Emit(e netio.Event) {
	l.mu.Lock()
	l.evs = append(l.evs, e)
	l.mu.Unlock()
}

func (l *lastEvents) find(kind netio.EventKind) (netio.Event, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, e := range l.evs {
		if e.Kind == kind {
			return e, true
		}
	}
	return netio.Event{}, false
}

func describe(rep *Report) string {
	var sb strings.Builder
	for _, r := range rep.Results {
		fmt.Fprintf(&sb, "  %-5s %s: %s | expected %s | got %s | received %q\n", r.Status, r.Name(), r.Detail, r.Expected, r.Got, r.Received)
	}
	return sb.String()
}
