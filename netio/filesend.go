package netio

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync/atomic"
	"time"

	"github.com/sockdesk/sockdesk/internal/neterr"
)

// Chunk sizes of a file transfer. Over TCP the chunk is only the size of one
// write (the stream has no boundaries); over UDP it is the size of each datagram.
const (
	DefaultTCPChunk = 64 << 10
	DefaultUDPChunk = 1024
	// MaxTCPChunk bounds one write, so that one sent event stays a sane size.
	MaxTCPChunk = 1 << 20
)

// MaxFileDelay is the longest pause between chunks: a longer one is a typo.
const MaxFileDelay = time.Minute

// FileOptions describes how a file is sent.
type FileOptions struct {
	Chunk    int           // bytes per write (TCP) or per datagram (UDP); 0 = the default
	Delay    time.Duration // pause between chunks; 0 = none
	Progress *FileProgress // if set, updated as chunks go, for a progress bar
}

// FileProgress counts a transfer's bytes. It may be read from any goroutine while
// the transfer runs.
type FileProgress struct {
	done, total atomic.Int64
}

// Get returns the bytes sent so far and the file's size.
func (p *FileProgress) Get() (done, total int64) { return p.done.Load(), p.total.Load() }

// Fraction is done/total, 0 to 1; 0 for an empty file.
func (p *FileProgress) Fraction() float64 {
	done, total := p.Get()
	if total <= 0 {
		return 0
	}
	return min(float64(done)/float64(total), 1)
}

// FileError is a file that cannot be read; the connection is fine.
type FileError struct {
	Path string
	Err  error
}

func (e *FileError) Error() string { return fmt.Sprintf("netio: file %s: %v", e.Path, e.Err) }
func (e *FileError) Unwrap() error { return e.Err }

// SendFile streams the file at path to the peer in chunks, each one a write that
// emits a sent event (the display queue and log view are bounded by bytes, so a
// large file costs bounded memory), and returns the bytes sent. The file is never
// held whole. It stops early, with ctx's error, when ctx ends.
func (t *TCPClient) SendFile(ctx context.Context, path string, opts FileOptions) (int64, error) {
	c := t.conn()
	if c == nil {
		return 0, opError(OpSend, "tcp", t.cfg.Addr, ErrNotStarted)
	}
	return sendFile(ctx, path, opts, DefaultTCPChunk, MaxTCPChunk, false, c.write)
}

// SendFile streams the file at path to client id, as TCPClient.SendFile does.
func (s *TCPServer) SendFile(ctx context.Context, id uint64, path string, opts FileOptions) (int64, error) {
	c, err := s.client(id)
	if err != nil {
		return 0, err
	}
	return sendFile(ctx, path, opts, DefaultTCPChunk, MaxTCPChunk, false, c.write)
}

// SendFileTo sends the file at path to dst split into datagrams of opts.Chunk
// bytes (the last one shorter), opts.Delay apart. An empty file is one empty
// datagram, as an empty message is.
func (u *UDPEndpoint) SendFileTo(ctx context.Context, dst *net.UDPAddr, path string, opts FileOptions) (int64, error) {
	return sendFile(ctx, path, opts, DefaultUDPChunk, MaxUDPPayload, true, func(p []byte) error { return u.SendToAddr(dst, p) })
}

// sendFile is the loop shared by the protocols: read a chunk into one reused
// buffer, send it, count it, wait the delay. sendEmpty says an empty file is sent
// as one empty message (a datagram) rather than as nothing (a stream).
func sendFile(ctx context.Context, path string, opts FileOptions, defChunk, maxChunk int, sendEmpty bool, send func([]byte) error) (int64, error) {
	chunk := opts.Chunk
	if chunk == 0 {
		chunk = defChunk
	}
	if chunk < 1 || chunk > maxChunk {
		return 0, fmt.Errorf("netio: file chunk of %d bytes: must be 1 to %d", chunk, maxChunk)
	}
	if opts.Delay < 0 || opts.Delay > MaxFileDelay {
		return 0, fmt.Errorf("netio: file delay %v: must be 0 to %v", opts.Delay, MaxFileDelay)
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, &FileError{Path: path, Err: neterr.StripPath(err)}
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return 0, &FileError{Path: path, Err: neterr.StripPath(err)}
	}
	if info.IsDir() {
		return 0, &FileError{Path: path, Err: errors.New("is a directory")}
	}
	prog := opts.Progress
	if prog == nil {
		prog = new(FileProgress)
	}
	prog.done.Store(0)
	prog.total.Store(info.Size())

	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	// A small file needs no buffer of a whole chunk.
	bufLen := chunk
	if info.Size() < int64(chunk) {
		bufLen = max(int(info.Size()), 1)
	}
	buf := make([]byte, bufLen)
	var sent int64
	for first := true; ; first = false {
		if err := ctx.Err(); err != nil {
			return sent, err
		}
		n, rerr := io.ReadFull(f, buf)
		if rerr != nil && rerr != io.EOF && rerr != io.ErrUnexpectedEOF {
			return sent, &FileError{Path: path, Err: neterr.StripPath(rerr)}
		}
		if n == 0 && !(first && sendEmpty) {
			return sent, nil
		}
		if !first && opts.Delay > 0 {
			if timer == nil {
				timer = time.NewTimer(opts.Delay)
			} else {
				timer.Reset(opts.Delay)
			}
			select {
			case <-timer.C:
			case <-ctx.Done():
				return sent, ctx.Err()
			}
		}
		if err := send(buf[:n]); err != nil {
			return sent, err
		}
		sent += int64(n)
		prog.done.Store(sent)
		if rerr != nil || n < len(buf) {
			return sent, nil
		}
	}
}
