package pcapng

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/netio/packet"
)

// The tests feed the Writer what a socket program sees in real loopback
// exchanges: addresses, ports, bytes and the times they were taken.

// event is one socket event, recorded to be fed to a Writer later.
type event struct {
	kind    string // "open", "data", "fin", "datagram"
	conn    Conn
	side    Side
	dir     packet.Direction
	payload []byte
	at      time.Time
	msg     packet.Message
}

func feed(t *testing.T, w *Writer, events []event) {
	t.Helper()
	for _, e := range events {
		var err error
		switch e.kind {
		case "open":
			err = w.Open(e.conn, e.side, e.at)
		case "data":
			err = w.Data(e.conn, e.dir, e.payload, e.at)
		case "fin":
			err = w.Fin(e.conn, e.side, e.at)
		case "datagram":
			err = w.Datagram(e.msg)
		}
		if err != nil {
			t.Fatalf("%s: %v", e.kind, err)
		}
	}
}

const (
	httpBody = "<html><body>Sockdesk sees the layers.</body></html>\n"
	httpPath = "/layers/index.html?q=sockdesk"
)

func httpRequest(host string) string {
	return "GET " + httpPath + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: sockdesk-pcapng-test\r\n" +
		"Accept: text/html\r\nConnection: close\r\n\r\n"
}

// recordHTTPExchange fetches a page from a tiny HTTP server on loopback and
// records, as the client's socket sees it, the connect, the request, each
// read of the response, the server's close (EOF) and the client's close.
func recordHTTPExchange(t *testing.T) (events []event, request, response string) {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	response = fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", len(httpBody), httpBody)
	served := make(chan error, 1)
	go func() {
		served <- serveOnce(ln, response)
	}()

	client, err := net.DialTimeout("tcp4", ln.Addr().String(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	connected := time.Now()
	defer client.Close()
	c := Conn{Local: client.LocalAddr().(*net.TCPAddr).AddrPort(), Peer: client.RemoteAddr().(*net.TCPAddr).AddrPort()}
	events = append(events, event{kind: "open", conn: c, side: Local, at: connected})

	request = httpRequest(ln.Addr().String())
	if _, err := io.WriteString(client, request); err != nil {
		t.Fatal(err)
	}
	events = append(events, event{kind: "data", conn: c, dir: packet.Sent, payload: []byte(request), at: time.Now()})

	client.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 64)
	var got bytes.Buffer
	for {
		n, err := client.Read(buf)
		if n > 0 {
			got.Write(buf[:n])
			events = append(events, event{kind: "data", conn: c, dir: packet.Received, payload: bytes.Clone(buf[:n]), at: time.Now()})
		}
		if errors.Is(err, io.EOF) {
			events = append(events, event{kind: "fin", conn: c, side: Peer, at: time.Now()})
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	client.Close()
	events = append(events, event{kind: "fin", conn: c, side: Local, at: time.Now()})
	if err := <-served; err != nil {
		t.Fatal(err)
	}
	if got.String() != response {
		t.Fatalf("the client read %q, the server wrote %q", got.String(), response)
	}
	return events, request, response
}

// serveOnce answers one request on ln with response, in two writes, and
// closes the connection first.
func serveOnce(ln net.Listener, response string) error {
	conn, err := ln.Accept()
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	var req []byte
	buf := make([]byte, 512)
	for !bytes.Contains(req, []byte("\r\n\r\n")) {
		n, err := conn.Read(buf)
		if err != nil {
			return fmt.Errorf("server read: %w", err)
		}
		req = append(req, buf[:n]...)
	}
	half := len(response) / 2
	if _, err := io.WriteString(conn, response[:half]); err != nil {
		return err
	}
	_, err = io.WriteString(conn, response[half:])
	return err
}

// recordUDPExchange sends a datagram to an echo server on loopback and
// records both datagrams as the client's socket saw them.
func recordUDPExchange(t *testing.T, network, addr string) []event {
	t.Helper()
	server, err := net.ListenUDP(network, net.UDPAddrFromAddrPort(netip.MustParseAddrPort(addr)))
	if err != nil {
		t.Skipf("no %s loopback: %v", network, err)
	}
	defer server.Close()
	echoed := make(chan error, 1)
	go func() {
		buf := make([]byte, 1500)
		server.SetReadDeadline(time.Now().Add(5 * time.Second))
		n, from, err := server.ReadFromUDPAddrPort(buf)
		if err == nil {
			_, err = server.WriteToUDPAddrPort(append([]byte("pong: "), buf[:n]...), from)
		}
		echoed <- err
	}()
	client, err := net.DialUDP(network, nil, server.LocalAddr().(*net.UDPAddr))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	local, peer := client.LocalAddr().(*net.UDPAddr).AddrPort(), client.RemoteAddr().(*net.UDPAddr).AddrPort()
	ping := []byte("ping from sockdesk")
	if _, err := client.Write(ping); err != nil {
		t.Fatal(err)
	}
	events := []event{{kind: "datagram", msg: packet.Message{Direction: packet.Sent, Local: local, Peer: peer, Payload: ping, Time: time.Now()}}}
	client.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 1500)
	n, err := client.Read(buf)
	if err != nil {
		t.Fatal(err)
	}
	events = append(events, event{kind: "datagram", msg: packet.Message{Direction: packet.Received, Local: local, Peer: peer, Payload: bytes.Clone(buf[:n]), Time: time.Now()}})
	if err := <-echoed; err != nil {
		t.Fatal(err)
	}
	return events
}
