package netio

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/internal/eventtest"
	"github.com/sockdesk/sockdesk/netio/charset"
)

func startServer(t *testing.T, cfg TCPServerConfig) (*TCPServer, *collector) {
	t.Helper()
	col := &collector{}
	cfg.Sink = col
	if cfg.Bind == "" {
		cfg.Bind = "127.0.0.1:0"
	}
	s := NewTCPServer(cfg)
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, col
}

func startClient(t *testing.T, addr string, cs *charset.Charset) (*TCPClient, *collector) {
	t.Helper()
	col := &collector{}
	c := NewTCPClient(TCPClientConfig{Addr: addr, Charset: cs, Sink: col, Timeout: eventtest.WaitTimeout})
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, col
}

func TestTCPClientServerExchange(t *testing.T) {
	gbk := charset.MustLookup("gbk")
	srv, sEvents := startServer(t, TCPServerConfig{Charset: gbk})
	cli, cEvents := startClient(t, srv.Addr().String(), gbk)

	acc := sEvents.WaitFor(t, "accepted", kind(EventAccepted), 1)[0]
	if acc.Peer != cli.LocalAddr().String() || acc.Client != 1 {
		t.Errorf("accepted %+v", acc)
	}
	if c := cEvents.WaitFor(t, "connected", kind(EventConnected), 1)[0]; c.Peer != srv.Addr().String() {
		t.Errorf("connected to %q", c.Peer)
	}

	msg, _ := gbk.Encode("你好，服务器")
	if err := cli.Send(msg); err != nil {
		t.Fatal(err)
	}
	recv := sEvents.WaitFor(t, "received", kind(EventReceived), 1)[0]
	if recv.Text != "你好，服务器" || recv.Client != 1 {
		t.Errorf("server got %q from client %d", recv.Text, recv.Client)
	}
	reply, _ := gbk.Encode("收到")
	if err := srv.Send(1, reply); err != nil {
		t.Fatal(err)
	}
	if r := cEvents.WaitFor(t, "received", kind(EventReceived), 1)[0]; r.Text != "收到" {
		t.Errorf("client got %q", r.Text)
	}
	clients := srv.Clients()
	if len(clients) != 1 || clients[0].Stats.BytesIn != uint64(len(msg)) || clients[0].Stats.BytesOut != uint64(len(reply)) {
		t.Errorf("client table %+v", clients)
	}
	if st := cli.Stats(); st.MsgsOut != 1 || st.MsgsIn != 1 {
		t.Errorf("client stats %+v", st)
	}
}

// A multi-byte character split across two TCP segments decodes whole. Each byte is
// written on its own with Nagle off and a pause, so the reader sees separate reads.
func TestTCPSplitMultibyteCharacters(t *testing.T) {
	for _, tc := range []struct{ charset, text string }{
		{"gbk", "中文"},
		{"gb18030", "😀𠀀"},
		{"utf-8", "é中😀"},
		{"utf-16le", "中😀"},
		{"shift_jis", "日本"},
	} {
		t.Run(tc.charset, func(t *testing.T) {
			cs := charset.MustLookup(tc.charset)
			srv, got := startServer(t, TCPServerConfig{Charset: cs})
			conn, err := net.Dial("tcp", srv.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			conn.(*net.TCPConn).SetNoDelay(true)
			data, _ := cs.Encode(tc.text)
			for i := range data {
				conn.Write(data[i : i+1])
				got.WaitFor(t, "byte", kind(EventReceived), i+1)
			}
			var text strings.Builder
			for _, e := range got.WaitFor(t, "received", kind(EventReceived), len(data)) {
				text.WriteString(e.Text)
				if strings.Contains(e.Text, `\x`) {
					t.Errorf("a split character showed as bytes: %q", e.Text)
				}
			}
			if text.String() != tc.text {
				t.Errorf("decoded %q, want %q", text.String(), tc.text)
			}
		})
	}
}

func TestTCPServerManyClientsComingAndGoing(t *testing.T) {
	const n = 100
	srv, got := startServer(t, TCPServerConfig{Echo: true})
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := net.DialTimeout("tcp", srv.Addr().String(), eventtest.WaitTimeout)
			if err != nil {
				errs <- err
				return
			}
			defer conn.Close()
			conn.SetDeadline(time.Now().Add(eventtest.WaitTimeout))
			msg := fmt.Sprintf("client %03d", i)
			if _, err := conn.Write([]byte(msg)); err != nil {
				errs <- err
				return
			}
			back := make([]byte, len(msg))
			if _, err := io.ReadFull(conn, back); err != nil || string(back) != msg {
				errs <- fmt.Errorf("echo %q, %v", back, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	got.WaitFor(t, "accepted", kind(EventAccepted), n)
	closed := got.WaitFor(t, "closed clients", kind(EventClosed), n)
	for _, e := range closed {
		if e.Reason != ReasonPeerClosed {
			t.Errorf("client %d closed with %q, want peer closed", e.Client, e.Reason)
		}
	}
	if st := srv.Stats(); st.MsgsIn < n || st.BytesIn != n*10 || st.BytesOut != n*10 {
		t.Errorf("server totals %+v", st)
	}
	waitUntil(t, "client table empty", func() bool { return len(srv.Clients()) == 0 })
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(eventtest.WaitTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s", eventtest.WaitTimeout, what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func TestTCPServerSendToOneAllAndDisconnect(t *testing.T) {
	srv, got := startServer(t, TCPServerConfig{})
	var conns []net.Conn
	for range 3 {
		c, err := net.Dial("tcp", srv.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns = append(conns, c)
	}
	got.WaitFor(t, "accepted", kind(EventAccepted), 3)
	ids := srv.Clients()
	if len(ids) != 3 {
		t.Fatalf("clients %+v", ids)
	}
	byAddr := map[string]net.Conn{}
	for _, c := range conns {
		byAddr[c.LocalAddr().String()] = c
	}
	read := func(c net.Conn, n int) string {
		c.SetReadDeadline(time.Now().Add(eventtest.WaitTimeout))
		buf := make([]byte, n)
		if _, err := io.ReadFull(c, buf); err != nil {
			t.Fatalf("read: %v", err)
		}
		return string(buf)
	}

	second := ids[1]
	if err := srv.Send(second.ID, []byte("just you")); err != nil {
		t.Fatal(err)
	}
	if s := read(byAddr[second.Addr], 8); s != "just you" {
		t.Errorf("client 2 got %q", s)
	}
	if sent, err := srv.SendAll([]byte("everyone")); sent != 3 || err != nil {
		t.Errorf("SendAll = %d, %v", sent, err)
	}
	for _, c := range conns {
		if s := read(c, 8); s != "everyone" {
			t.Errorf("%s got %q", c.LocalAddr(), s)
		}
	}

	if err := srv.Disconnect(second.ID); err != nil {
		t.Fatal(err)
	}
	c := byAddr[second.Addr]
	c.SetReadDeadline(time.Now().Add(eventtest.WaitTimeout))
	if _, err := c.Read(make([]byte, 1)); !errors.Is(err, io.EOF) {
		t.Errorf("disconnected client read err = %v, want EOF", err)
	}
	e := got.WaitFor(t, "closed", kind(EventClosed), 1)[0]
	if e.Client != second.ID || e.Reason != ReasonLocal {
		t.Errorf("closed event %+v", e)
	}
	if len(srv.Clients()) != 2 {
		t.Errorf("clients after disconnect: %+v", srv.Clients())
	}
	if err := srv.Send(second.ID, []byte("x")); !errors.Is(err, ErrNoClient) {
		t.Errorf("send to gone client: %v", err)
	}
}

func TestTCPServerMaxClients(t *testing.T) {
	srv, got := startServer(t, TCPServerConfig{MaxClients: 2})
	for range 2 {
		c, err := net.Dial("tcp", srv.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
	}
	got.WaitFor(t, "accepted", kind(EventAccepted), 2)
	extra, err := net.Dial("tcp", srv.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer extra.Close()
	extra.SetReadDeadline(time.Now().Add(eventtest.WaitTimeout))
	if _, err := extra.Read(make([]byte, 1)); err == nil {
		t.Error("a client over the limit was served")
	}
	rej := got.WaitFor(t, "refused", func(e Event) bool { return e.Reason == ReasonMaxClients }, 1)[0]
	if rej.Peer != extra.LocalAddr().String() {
		t.Errorf("refused %q, want %q", rej.Peer, extra.LocalAddr())
	}
	if srv.Rejected() != 1 || len(srv.Clients()) != 2 {
		t.Errorf("rejected %d, clients %d", srv.Rejected(), len(srv.Clients()))
	}
	// The ones inside still work.
	if _, err := srv.SendAll([]byte("ok")); err != nil {
		t.Error(err)
	}
}

func TestTCPCloseReasons(t *testing.T) {
	srv, got := startServer(t, TCPServerConfig{})
	addr := srv.Addr().String()

	// Peer closes: FIN.
	c1, _ := net.Dial("tcp", addr)
	got.WaitFor(t, "accepted", kind(EventAccepted), 1)
	c1.Close()
	if e := got.WaitFor(t, "closed", kindFrom(EventClosed, c1.LocalAddr().String()), 1)[0]; e.Reason != ReasonPeerClosed {
		t.Errorf("FIN: reason %q", e.Reason)
	}

	// Peer resets: linger 0 sends RST.
	c2, _ := net.Dial("tcp", addr)
	got.WaitFor(t, "accepted", kind(EventAccepted), 2)
	c2.(*net.TCPConn).SetLinger(0)
	c2.Close()
	if e := got.WaitFor(t, "closed", kindFrom(EventClosed, c2.LocalAddr().String()), 1)[0]; e.Reason != ReasonReset {
		t.Errorf("RST: reason %q", e.Reason)
	}

	// Peer half-closes: the server logs it and closes its side too.
	c3, _ := net.Dial("tcp", addr)
	defer c3.Close()
	got.WaitFor(t, "accepted", kind(EventAccepted), 3)
	c3.Write([]byte("last words"))
	c3.(*net.TCPConn).CloseWrite()
	if e := got.WaitFor(t, "closed", kindFrom(EventClosed, c3.LocalAddr().String()), 1)[0]; e.Reason != ReasonPeerClosed {
		t.Errorf("half-close: reason %q", e.Reason)
	}
	c3.SetReadDeadline(time.Now().Add(eventtest.WaitTimeout))
	if _, err := c3.Read(make([]byte, 1)); !errors.Is(err, io.EOF) {
		t.Errorf("after half-close the server should close: read err %v", err)
	}
	if e := got.WaitFor(t, "received", kind(EventReceived), 1)[0]; e.Text != "last words" {
		t.Errorf("got %q before the half-close", e.Text)
	}

	// Stopping the server closes every client, reason local, then the listener.
	c4, _ := startClient(t, addr, nil)
	got.WaitFor(t, "accepted", kind(EventAccepted), 4)
	srv.Close()
	select {
	case <-c4.Done():
	case <-time.After(eventtest.WaitTimeout):
		t.Fatal("client not closed by server stop")
	}
	if e := got.WaitFor(t, "closed", kindFrom(EventClosed, c4.LocalAddr().String()), 1)[0]; e.Reason != ReasonLocal {
		t.Errorf("server stop: reason %q", e.Reason)
	}
	last := got.Events()[len(got.Events())-1]
	if last.Kind != EventClosed || last.Peer != "" || last.Local != addr {
		t.Errorf("last event %v, want the listener's close", show(last))
	}
}

func TestTCPClientSeesPeerCloseAndReset(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	for _, tc := range []struct {
		name   string
		close  func(*net.TCPConn)
		reason CloseReason
	}{
		{"fin", func(c *net.TCPConn) { c.Close() }, ReasonPeerClosed},
		{"rst", func(c *net.TCPConn) { c.SetLinger(0); c.Close() }, ReasonReset},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cli, got := startClient(t, ln.Addr().String(), nil)
			peer, err := ln.Accept()
			if err != nil {
				t.Fatal(err)
			}
			peer.Write([]byte("bye"))
			got.WaitFor(t, "received", kind(EventReceived), 1)
			tc.close(peer.(*net.TCPConn))
			<-cli.Done()
			if e := got.WaitFor(t, "closed", kind(EventClosed), 1)[0]; e.Reason != tc.reason {
				t.Errorf("reason %q, want %q", e.Reason, tc.reason)
			}
			if err := cli.Send([]byte("x")); err == nil {
				t.Error("send after close succeeded")
			}
		})
	}
}

func TestTCPClientConnectErrors(t *testing.T) {
	// A port nobody listens on: bind one, note it, close it.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	err := NewTCPClient(TCPClientConfig{Addr: addr}).Start(context.Background())
	if !errors.Is(err, syscall.ECONNREFUSED) || !strings.Contains(err.Error(), addr) {
		t.Errorf("refused: err = %v", err)
	}
	for _, bad := range []string{"", "127.0.0.1", "127.0.0.1:0", "127.0.0.1:70000", "::1:80", ":80"} {
		if err := NewTCPClient(TCPClientConfig{Addr: bad}).Start(context.Background()); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestTCPClientLocalClose(t *testing.T) {
	srv, sEvents := startServer(t, TCPServerConfig{})
	cli, got := startClient(t, srv.Addr().String(), nil)
	cli.Close()
	cli.Close()
	if e := got.WaitFor(t, "closed", kind(EventClosed), 1)[0]; e.Reason != ReasonLocal {
		t.Errorf("reason %q", e.Reason)
	}
	if e := sEvents.WaitFor(t, "closed", kind(EventClosed), 1)[0]; e.Reason != ReasonPeerClosed {
		t.Errorf("server saw %q", e.Reason)
	}
}

func TestTCPServerIPv6AndPortInUse(t *testing.T) {
	if hasIPv6Loopback() {
		srv, got := startServer(t, TCPServerConfig{Bind: "[::1]:0", Echo: true})
		cli, cEvents := startClient(t, srv.Addr().String(), nil)
		cli.Send([]byte("v6"))
		if e := cEvents.WaitFor(t, "echo", kind(EventReceived), 1)[0]; e.Text != "v6" {
			t.Errorf("echo %q", e.Text)
		}
		if !strings.HasPrefix(got.WaitFor(t, "accepted", kind(EventAccepted), 1)[0].Peer, "[::1]:") {
			t.Error("peer is not [::1]")
		}
	}
	srv, _ := startServer(t, TCPServerConfig{})
	second := NewTCPServer(TCPServerConfig{Bind: srv.Addr().String()})
	if err := second.Start(context.Background()); !IsAddrInUse(err) {
		second.Close()
		t.Errorf("err = %v, want address in use", err)
	}
}

func TestTCPEchoLargeStream(t *testing.T) {
	srv, _ := startServer(t, TCPServerConfig{Echo: true})
	conn, err := net.Dial("tcp", srv.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	want := bytes.Repeat([]byte("sockdesk"), 1<<17) // 1 MiB
	go func() { conn.Write(want) }()
	conn.SetReadDeadline(time.Now().Add(eventtest.WaitTimeout))
	got := make([]byte, len(want))
	if _, err := io.ReadFull(conn, got); err != nil || !bytes.Equal(got, want) {
		t.Errorf("echoed %d bytes, err %v", len(got), err)
	}
}

// A client that stops reading does not hold up "send to all" for the others: their
// copies arrive while the stuck client's write is still blocked.
func TestTCPServerSendAllIsNotHeldUpByAStuckClient(t *testing.T) {
	srv, got := startServer(t, TCPServerConfig{})
	stuck, err := net.Dial("tcp", srv.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer stuck.Close()
	stuck.(*net.TCPConn).SetReadBuffer(4096)
	var readers []net.Conn
	for range 3 {
		c, err := net.Dial("tcp", srv.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		readers = append(readers, c)
	}
	got.WaitFor(t, "accepted", kind(EventAccepted), 4)
	// Fill the stuck client's socket buffers so its next write blocks.
	big := make([]byte, 8<<20)
	go srv.Send(1, big)
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.SendAll([]byte("hello"))
	}()
	for _, c := range readers {
		c.SetReadDeadline(time.Now().Add(eventtest.WaitTimeout))
		buf := make([]byte, 5)
		if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "hello" {
			t.Errorf("%s: %q, %v", c.LocalAddr(), buf, err)
		}
	}
	// Unblock the stuck client so SendAll and Send finish before the test ends.
	stuck.Close()
	srv.Disconnect(1)
	<-done
}
