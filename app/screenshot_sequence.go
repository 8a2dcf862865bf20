package app

import (
	"bufio"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sockdesk/sockdesk/internal/acceptloop"
)

// demoSequence is the sequence the screenshot runs: it fails at the reading,
// which the demo's thermometer reports as an error.
const demoSequence = `name: thermometer check
connect: tcp://127.0.0.1:PORT
timeout: 1s
steps:
  - send: "LOGIN admin\r\n"
  - expect: "OK"
  - repeat: 3
    steps:
      - send: "PING {counter}\r\n"
      - expect: "PONG {counter}"
  - send: "READ\r\n"
  - expect_re: 'T=(?P<temp>[0-9.]+)'
  - send: "SET {temp}\r\n"
  - expect: "OK"
`

// sequenceDemo connects the client to a thermometer of its own on loopback
// (a line protocol: LOGIN, PING n, READ — which fails) and runs a sequence
// against it from the Sequence tool, so a screenshot shows a run with a failed
// step. Loopback only. The returned function stops the thermometer and removes
// the sequence's file.
func (p *tcpClientPanel) sequenceDemo() (func(), error) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "sockdesk-demo")
	if err != nil {
		ln.Close()
		return nil, err
	}
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	path := filepath.Join(dir, "thermometer.yaml")
	if err := os.WriteFile(path, []byte(strings.Replace(demoSequence, "PORT", port, 1)), 0o644); err != nil {
		ln.Close()
		os.RemoveAll(dir)
		return nil, err
	}
	stopServer := acceptloop.Serve(ln, thermometerReplies)
	var wg sync.WaitGroup
	stop := func() {
		stopServer()
		wg.Wait()
		os.RemoveAll(dir)
	}

	p.host.SetText("127.0.0.1")
	p.port.SetText(port)
	p.seq.load(path)
	p.drawer.Show(toolSequence)
	p.connect()
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range 100 {
			time.Sleep(20 * time.Millisecond)
			if p.live.Load() != nil {
				p.ui.Do(p.seq.start)
				return
			}
		}
	}()
	return stop, nil
}

// thermometerReplies answers a demo client's lines until it goes.
func thermometerReplies(c net.Conn) {
	sc := bufio.NewScanner(c)
	for sc.Scan() {
		line := strings.TrimSuffix(sc.Text(), "\r")
		var reply string
		switch {
		case strings.HasPrefix(line, "LOGIN"):
			reply = "OK"
		case strings.HasPrefix(line, "PING "):
			reply = "PONG " + strings.TrimPrefix(line, "PING ")
		case line == "READ":
			reply = "ERR sensor offline"
		default:
			continue
		}
		if _, err := c.Write([]byte(reply + "\r\n")); err != nil {
			return
		}
	}
}
