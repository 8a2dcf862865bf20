package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// child is a program the harness runs. Its stdout is either a pipe read line by
// line (out) or a file such as /dev/null; its stderr is kept for the report.
type child struct {
	name   string
	cmd    *exec.Cmd
	out    *bufio.Reader // nil unless stdout is piped
	pipe   *os.File
	stderr *lockedBuffer
	done   chan struct{}
	err    error
}

// childEnv is the environment of every child: LC_ALL=C because Fyne, linked into
// sockdesk, logs locale complaints for some settings (C.UTF-8) at start-up.
func childEnv() []string { return append(os.Environ(), "LC_ALL=C") }

// start runs path with args. stdout nil means piped to the harness (an os.Pipe,
// so that the child's end is its own and Wait never waits on our reading).
func start(ctx context.Context, stdout io.Writer, path string, args ...string) (*child, error) {
	c := &child{name: baseName(path), stderr: &lockedBuffer{}, done: make(chan struct{})}
	c.cmd = exec.CommandContext(ctx, path, args...)
	c.cmd.Env = childEnv()
	c.cmd.Stderr = c.stderr
	c.cmd.WaitDelay = 5 * time.Second
	var w *os.File
	if stdout == nil {
		r, pw, err := os.Pipe()
		if err != nil {
			return nil, err
		}
		c.pipe, w = r, pw
		c.out = bufio.NewReaderSize(r, 64<<10)
		c.cmd.Stdout = w
	} else {
		c.cmd.Stdout = stdout
	}
	err := c.cmd.Start()
	if w != nil {
		w.Close()
	}
	if err != nil {
		if c.pipe != nil {
			c.pipe.Close()
		}
		return nil, fmt.Errorf("start %s: %w", c.name, err)
	}
	go func() {
		defer close(c.done)
		c.err = c.cmd.Wait()
	}()
	return c, nil
}

// runJSON runs a program to its end and decodes the last line of its stdout.
func runJSON(ctx context.Context, v any, path string, args ...string) error {
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Env = childEnv()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("%s: %v: %s", baseName(path), err, strings.TrimSpace(stderr.String()))
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), v); err != nil {
		return fmt.Errorf("%s printed %q: %w", baseName(path), out, err)
	}
	return nil
}

// readLine reads one line of a piped stdout.
func (c *child) readLine() (string, error) {
	s, err := c.out.ReadString('\n')
	if err != nil {
		return "", fmt.Errorf("%s: reading its output: %w (stderr: %s)", c.name, err, c.stderr.tail())
	}
	return strings.TrimSuffix(s, "\n"), nil
}

// readJSON decodes the next line of a piped stdout.
func (c *child) readJSON(v any) error {
	line, err := c.readLine()
	if err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(line), v); err != nil {
		return fmt.Errorf("%s printed %q: %w", c.name, line, err)
	}
	return nil
}

// drain reads what is left of a piped stdout into nothing and returns how many
// bytes that was.
func (c *child) drain() int64 {
	if c.out == nil {
		return 0
	}
	n, _ := io.Copy(io.Discard, c.out)
	return n
}

// interrupt is Ctrl-C.
func (c *child) interrupt() { c.cmd.Process.Signal(os.Interrupt) }

// wait waits for the end, killing the child after timeout.
func (c *child) wait(timeout time.Duration) error {
	select {
	case <-c.done:
	case <-time.After(timeout):
		c.cmd.Process.Kill()
		<-c.done
		return fmt.Errorf("%s did not end within %v", c.name, timeout)
	}
	if c.pipe != nil {
		c.pipe.Close()
	}
	if c.err != nil {
		return fmt.Errorf("%s: %v (stderr: %s)", c.name, c.err, c.stderr.tail())
	}
	return nil
}

// stop interrupts a child and waits for it, draining its stdout meanwhile.
func (c *child) stop(timeout time.Duration) (int64, error) {
	c.interrupt()
	var n int64
	if c.out != nil {
		got := make(chan int64, 1)
		go func() { got <- c.drain() }()
		select {
		case n = <-got:
		case <-time.After(timeout):
			c.cmd.Process.Kill()
			n = <-got
		}
	}
	return n, c.wait(timeout)
}

func baseName(path string) string {
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		return path[i+1:]
	}
	return path
}

// lockedBuffer collects a child's stderr.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// tail is the end of what was written, for an error message.
func (l *lockedBuffer) tail() string {
	s := strings.TrimSpace(l.String())
	if len(s) > 500 {
		s = "..." + s[len(s)-500:]
	}
	return s
}
