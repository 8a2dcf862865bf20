package netio

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// writeRandomFile writes size pseudo-random bytes (a fixed seed) to a file in a
// temporary directory and returns its path and content.
func writeRandomFile(t *testing.T, size int) (string, []byte) {
	t.Helper()
	data := make([]byte, size)
	r := rand.NewChaCha8([32]byte{1, 2, 3})
	r.Read(data)
	path := filepath.Join(t.TempDir(), "send.bin")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path, data
}

// received is a sink that keeps the bytes of every received event, in order.
type received struct {
	mu   sync.Mutex
	data []byte
}

func (r *received) Emit(e Event) {
	if e.Kind == EventReceived {
		r.mu.Lock()
		r.data = append(r.data, e.Data...)
		r.mu.Unlock()
	}
}

func (r *received) bytes() []byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.data
}

// A multi-MiB file sent by a TCP client arrives at the server byte for byte.
func TestSendFileTCPSavedByteIdentical(t *testing.T) {
	const size = 3<<20 + 12345
	path, data := writeRandomFile(t, size)
	var saved received
	srv := NewTCPServer(TCPServerConfig{Bind: "127.0.0.1:0", Sink: &saved})
	if err := srv.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	cli, events := startClient(t, srv.Addr().String(), nil)

	var prog FileProgress
	n, err := cli.SendFile(t.Context(), path, FileOptions{Progress: &prog})
	if err != nil || n != size {
		t.Fatalf("SendFile = %d, %v; want %d bytes", n, err, size)
	}
	if done, total := prog.Get(); done != size || total != size || prog.Fraction() != 1 {
		t.Errorf("progress %d/%d (%v)", done, total, prog.Fraction())
	}
	// One sent event per chunk, none larger than a chunk.
	sent := 0
	for _, e := range events.Events() {
		if e.Kind == EventSent {
			sent++
			if len(e.Data) > DefaultTCPChunk {
				t.Fatalf("a sent event of %d bytes", len(e.Data))
			}
		}
	}
	if want := (size + DefaultTCPChunk - 1) / DefaultTCPChunk; sent != want {
		t.Errorf("%d sent events, want one per chunk (%d)", sent, want)
	}
	waitUntil(t, "the server to receive the whole file", func() bool { return srv.Stats().BytesIn == size })
	srv.Close()
	if got := saved.bytes(); !bytes.Equal(got, data) {
		t.Fatalf("saved file differs: %d bytes, want %d", len(got), len(data))
	}
}

// Over UDP the file goes as datagrams of the chunk size, the last one shorter, and
// the listener receives the same bytes.
func TestSendFileUDPChunks(t *testing.T) {
	path, data := writeRandomFile(t, 10_000)
	var saved received
	col := &collector{}
	listener := NewUDP(UDPConfig{Bind: "127.0.0.1:0", Sink: Tee(&saved, col)})
	if err := listener.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer listener.Close()
	sender, _ := startUDP(t, UDPConfig{Bind: "127.0.0.1:0"})
	dst, _ := ResolveUDP(listener.LocalAddr().String())

	n, err := sender.SendFileTo(t.Context(), dst, path, FileOptions{Chunk: 3000, Delay: time.Millisecond})
	if err != nil || n != 10_000 {
		t.Fatalf("SendFileTo = %d, %v", n, err)
	}
	recv := col.WaitFor(t, "received", kind(EventReceived), 4)
	for i, want := range []int{3000, 3000, 3000, 1000} {
		if len(recv[i].Data) != want {
			t.Errorf("datagram %d is %d bytes, want %d", i, len(recv[i].Data), want)
		}
	}
	if st := sender.Stats(); st.MsgsOut != 4 {
		t.Errorf("sender counted %d datagrams, want 4", st.MsgsOut)
	}
	listener.Close()
	if got := saved.bytes(); !bytes.Equal(got, data) {
		t.Errorf("received %d bytes, not the file sent", len(got))
	}
}

func TestSendFileErrorsKeepSession(t *testing.T) {
	srv, sEvents := startServer(t, TCPServerConfig{})
	cli, _ := startClient(t, srv.Addr().String(), nil)
	var fe *FileError
	if _, err := cli.SendFile(t.Context(), filepath.Join(t.TempDir(), "missing"), FileOptions{}); !errors.As(err, &fe) || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := cli.SendFile(t.Context(), t.TempDir(), FileOptions{}); !errors.As(err, &fe) || !strings.Contains(err.Error(), "directory") {
		t.Errorf("directory: %v", err)
	}
	path, _ := writeRandomFile(t, 10)
	if _, err := cli.SendFile(t.Context(), path, FileOptions{Chunk: MaxTCPChunk + 1}); err == nil {
		t.Error("a chunk over the limit was accepted")
	}
	// The connection is still there.
	if err := cli.Send([]byte("still here")); err != nil {
		t.Fatal(err)
	}
	sEvents.WaitFor(t, "received", func(e Event) bool { return e.Kind == EventReceived && e.Text == "still here" }, 1)
}

// Cancelling stops between chunks: with a long delay, after the first one.
func TestSendFileCancel(t *testing.T) {
	path, _ := writeRandomFile(t, 5000)
	listener, got := startUDP(t, UDPConfig{Bind: "127.0.0.1:0"})
	sender, _ := startUDP(t, UDPConfig{Bind: "127.0.0.1:0"})
	dst, _ := ResolveUDP(listener.LocalAddr().String())
	ctx, cancel := context.WithCancel(t.Context())
	var prog FileProgress
	type result struct {
		n   int64
		err error
	}
	done := make(chan result)
	go func() {
		n, err := sender.SendFileTo(ctx, dst, path, FileOptions{Chunk: 1000, Delay: MaxFileDelay, Progress: &prog})
		done <- result{n, err}
	}()
	got.WaitFor(t, "first datagram", kind(EventReceived), 1)
	cancel()
	r := <-done
	if !errors.Is(r.err, context.Canceled) || r.n != 1000 {
		t.Errorf("cancelled send = %d, %v; want 1000, canceled", r.n, r.err)
	}
	if d, total := prog.Get(); d != 1000 || total != 5000 {
		t.Errorf("progress %d/%d", d, total)
	}
}

// An empty file is one empty datagram over UDP, as an empty message is, and
// nothing at all over TCP.
func TestSendFileEmpty(t *testing.T) {
	path := filepath.Join(t.TempDir(), "empty")
	os.WriteFile(path, nil, 0o644)
	listener, got := startUDP(t, UDPConfig{Bind: "127.0.0.1:0"})
	sender, _ := startUDP(t, UDPConfig{Bind: "127.0.0.1:0"})
	dst, _ := ResolveUDP(listener.LocalAddr().String())
	if n, err := sender.SendFileTo(t.Context(), dst, path, FileOptions{}); n != 0 || err != nil {
		t.Fatalf("SendFileTo = %d, %v", n, err)
	}
	if e := got.WaitFor(t, "the empty datagram", kind(EventReceived), 1)[0]; len(e.Data) != 0 {
		t.Errorf("got %d bytes", len(e.Data))
	}

	srv, _ := startServer(t, TCPServerConfig{})
	cli, events := startClient(t, srv.Addr().String(), nil)
	if n, err := cli.SendFile(t.Context(), path, FileOptions{}); n != 0 || err != nil {
		t.Fatalf("SendFile = %d, %v", n, err)
	}
	for _, e := range events.Events() {
		if e.Kind == EventSent {
			t.Errorf("an empty file made a sent event of %d bytes", len(e.Data))
		}
	}
}
