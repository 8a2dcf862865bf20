package pcapng

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/sockdesk/sockdesk/netio/packet"
)

// ReconstructedComment opens every file's section comment.
const ReconstructedComment = "Reconstructed by Sockdesk from socket events, not captured: " +
	"addresses, ports, payloads and times are real; the Ethernet, IP and TCP/UDP headers " +
	"(IP IDs, TCP sequence numbers, windows, the handshake and close segments) are rebuilt."

// Options shape a file. The zero value is ready to use.
type Options struct {
	// Comment, if set, is added to the section comment after
	// ReconstructedComment (e.g. the session's name).
	Comment string
	// MSS is the largest TCP payload one segment carries; longer writes
	// are split. Zero means 1460 bytes over IPv4 and 1440 over IPv6, what
	// Ethernet's 1500-byte MTU allows.
	MSS int
	// LinkFor, if set, gives the MAC addresses for a connection or
	// datagram without them (packet.LinkFor reads the system's tables).
	// Without it, MACs are zero.
	LinkFor func(local, peer netip.Addr) packet.Link
}

// ErrClosed is returned by calls on a Writer after Close.
var ErrClosed = errors.New("pcapng: writer closed")

// Writer writes a pcapng file. Create one with NewWriter or Create.
type Writer struct {
	mu      sync.Mutex
	bw      *bufio.Writer
	opts    Options
	conns   map[Conn]*stream
	buf     []byte
	packets int
	err     error // the first write error, returned from then on
	closed  bool

	file       *os.File // set by Create: the temporary file
	targetPath string
}

// NewWriter writes a section header and an interface description to w and
// returns a Writer for the packets. The caller closes w after Close.
func NewWriter(w io.Writer, opts Options) (*Writer, error) {
	wr := &Writer{bw: bufio.NewWriterSize(w, 64<<10), opts: opts, conns: map[Conn]*stream{}}
	comment := ReconstructedComment
	if opts.Comment != "" {
		comment += "\n" + opts.Comment
	}
	wr.buf = sectionHeader(comment, "Sockdesk", runtime.GOOS)
	wr.buf = append(wr.buf, interfaceDescription("sockdesk (reconstructed)")...)
	if _, err := wr.bw.Write(wr.buf); err != nil {
		return nil, fmt.Errorf("pcapng: writing the file header: %w", err)
	}
	return wr, nil
}

// Create writes a pcapng file at path. The packets go to a temporary file in
// the same directory; Close syncs it and renames it to path, Abort removes
// it. Until Close, path is untouched.
func Create(path string, opts Options) (*Writer, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("pcapng: %w", err)
	}
	w, err := NewWriter(f, opts)
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	w.file, w.targetPath = f, path
	return w, nil
}

// Packets is how many frames have been written so far.
func (w *Writer) Packets() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.packets
}

// Datagram writes one UDP datagram as a single frame stamped with m.Time;
// m.Protocol is taken to be UDP.
func (w *Writer) Datagram(m packet.Message) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.usable(); err != nil {
		return err
	}
	m.Protocol = packet.UDP
	if m.Link.LocalMAC == nil && w.opts.LinkFor != nil {
		m.Link = w.opts.LinkFor(m.Local.Addr(), m.Peer.Addr())
	}
	return w.writeMessage(m)
}

// writeMessage builds m's frame and appends it as an Enhanced Packet Block.
func (w *Writer) writeMessage(m packet.Message) error {
	if m.Time.IsZero() {
		return fmt.Errorf("pcapng: %v %v packet %v -> %v has no time", m.Direction, m.Protocol, m.Local, m.Peer)
	}
	buf, err := appendEnhancedPacket(w.buf[:0], 0, m.Time, func(dst []byte) ([]byte, error) {
		return packet.AppendFrame(dst, m)
	})
	w.buf = buf
	if err != nil {
		return fmt.Errorf("pcapng: %w", err)
	}
	if _, err := w.bw.Write(w.buf); err != nil {
		w.err = fmt.Errorf("pcapng: %w", err)
		return w.err
	}
	w.packets++
	return nil
}

func (w *Writer) usable() error {
	if w.closed {
		return ErrClosed
	}
	return w.err
}

// Flush pushes buffered packets to the underlying writer.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.usable(); err != nil {
		return err
	}
	if err := w.bw.Flush(); err != nil {
		w.err = fmt.Errorf("pcapng: %w", err)
	}
	return w.err
}

// Close flushes the packets. For a Writer from Create it also syncs the
// temporary file and renames it to its path; if anything fails the
// temporary file is removed and the path left as it was. Close is
// idempotent: later calls return nil.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil
	}
	w.closed = true
	err := w.err
	if err == nil {
		if err = w.bw.Flush(); err != nil {
			err = fmt.Errorf("pcapng: %w", err)
		}
	}
	if w.file == nil {
		return err
	}
	if err == nil {
		err = w.file.Sync()
	}
	if err == nil {
		err = w.file.Chmod(0o644)
	}
	if cerr := w.file.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(w.file.Name(), w.targetPath)
	}
	if err != nil {
		os.Remove(w.file.Name())
		return fmt.Errorf("pcapng: saving %s: %w", w.targetPath, err)
	}
	return nil
}

// Abort drops a Writer from Create without saving: the temporary file is
// removed. On a Writer from NewWriter it is Close without the flush.
func (w *Writer) Abort() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return
	}
	w.closed = true
	if w.file != nil {
		w.file.Close()
		os.Remove(w.file.Name())
	}
}
