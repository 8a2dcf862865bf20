package acceptloop

import (
	"bufio"
	"net"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// Stop ends serves that are blocked reading from a peer that never closes.
func TestStopEndsEveryServe(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 4)
	stop := acceptloop(ln, lines)
	var peers []net.Conn
	for i := range 3 {
		c, err := net.Dial("tcp4", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		peers = append(peers, c)
		if _, err := c.Write([]byte("hello\n")); err != nil {
			t.Fatal(err)
		}
		select {
		case got := <-lines:
			if got != "hello" {
				t.Fatalf("peer %d: serve read %q", i, got)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("peer %d: serve read nothing", i)
		}
	}
	stop()
	for i, c := range peers {
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, err := c.Read(make([]byte, 1)); err == nil {
			t.Errorf("peer %d: the connection is still open after stop", i)
		}
	}
	if _, err := net.Dial("tcp4", ln.Addr().String()); err == nil {
		t.Error("the listener still accepts after stop")
	}
}

// acceptloop serves ln with a serve that reports each line it reads and blocks
// reading until its connection is closed.
func acceptloop(ln net.Listener, lines chan<- string) func() {
	return Serve(ln, func(c net.Conn) {
		sc := bufio.NewScanner(c)
		for sc.Scan() {
			lines <- sc.Text()
		}
	})
}
