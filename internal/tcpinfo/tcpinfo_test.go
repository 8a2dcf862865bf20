package tcpinfo

import (
	"errors"
	"io"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// loopbackPair returns both ends of a TCP connection on 127.0.0.1.
func loopbackPair(t *testing.T) (client, server *net.TCPConn) {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	c, err := net.Dial("tcp4", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	s, err := ln.Accept()
	if err != nil {
		c.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(); s.Close() })
	return c.(*net.TCPConn), s.(*net.TCPConn)
}

func TestReadOnALoopbackConnection(t *testing.T) {
	client, server := loopbackPair(t)
	payload := make([]byte, 200_000)
	done := make(chan error, 1)
	go func() {
		_, err := io.ReadFull(server, make([]byte, len(payload)))
		done <- err
	}()
	if _, err := client.Write(payload); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	info, err := Read(client)
	if runtime.GOOS != "linux" {
		if !errors.Is(err, ErrNotAvailable) {
			t.Fatalf("outside Linux: %v, want ErrNotAvailable", err)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if info.State != "ESTABLISHED" || info.RTT <= 0 || info.RTT > 5*time.Second || info.SendMSS <= 0 ||
		info.AdvertisedMSS <= 0 || info.CongestionWindow <= 0 || info.PathMTU < 1280 {
		t.Errorf("implausible TCP_INFO on loopback: %+v", info)
	}
	// The peer acknowledged everything: the kernel counts it (4.1 and later).
	if info.BytesAcked != 0 && info.BytesAcked < uint64(len(payload)) {
		t.Errorf("%d bytes acknowledged after %d were read by the peer", info.BytesAcked, len(payload))
	}
	if s := info.String(); !strings.Contains(s, "ESTABLISHED, RTT ") {
		t.Errorf("String() = %q", s)
	}

	// The side that receives the peer's FIN waits in CLOSE_WAIT.
	client.Close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		info, err := Read(server)
		if err != nil {
			t.Fatal(err)
		}
		if info.State == "CLOSE_WAIT" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server end is %s after the client closed, want CLOSE_WAIT", info.State)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if _, err := Read(client); err == nil {
		t.Error("Read on a closed connection: no error")
	}
}

func TestReadRejectsAUDPSocket(t *testing.T) {
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	if _, err := Read(pc.(*net.UDPConn)); err == nil {
		t.Error("TCP_INFO of a UDP socket: no error")
	}
}
