package wording

import (
	"errors"
	"fmt"
	"syscall"
	"testing"

	"github.com/sockdesk/sockdesk/app/i18n"
	"github.com/sockdesk/sockdesk/internal/portowner"
	"github.com/sockdesk/sockdesk/netio"
)

// A port in use is worded with who holds it, or why nobody could be named,
// in the UI language, wherever the error sits in the chain.
func TestPortInUseNamesTheHolder(t *testing.T) {
	prev := i18n.Chosen()
	t.Cleanup(func() { i18n.Set(prev) })
	inUse := func(lookup error, holders ...portowner.Process) error {
		e := &netio.PortInUseError{Holders: holders, LookupErr: lookup, Err: syscall.EADDRINUSE}
		return &netio.OpError{Op: netio.OpBind, Proto: "udp", Addr: "127.0.0.1:7788", Err: e}
	}
	for _, c := range []struct {
		lang, want string
		err        error
	}{
		{"en", "that port is already in use by nginx (PID 42), PID 43",
			inUse(nil, portowner.Process{PID: 42, Name: "nginx", Command: "nginx -g daemon off;"}, portowner.Process{PID: 43})},
		{"zh-Hans", "该端口已被 nginx（PID 42） 占用", inUse(nil, portowner.Process{PID: 42, Name: "nginx"})},
		{"en", "that port is already in use by a program this user may not see (another user's, or the system's; an administrator could see it)",
			inUse(fmt.Errorf("portowner: udp port 7788: %w (the socket belongs to root (uid 0))", portowner.ErrNotVisible))},
		{"zh-Hans", "该端口已被当前用户无权查看的程序占用（其他用户的或系统的程序；管理员可以看到）",
			inUse(fmt.Errorf("portowner: udp port 7788: %w", portowner.ErrNotVisible))},
		{"en", "that port is already in use, but no socket on it appears in the system's socket tables", inUse(portowner.ErrNoSocket)},
		{"zh-Hans", "该端口已被占用；本系统不支持查找占用它的程序", inUse(portowner.ErrUnsupported)},
		{"en", "that port is already in use; the program holding it could not be found: /proc/net/udp: permission denied",
			inUse(errors.New("/proc/net/udp: permission denied"))},
		{"en", "that port is already in use by another program or session", inUse(nil)},
	} {
		i18n.Set(c.lang)
		if got := Cause(c.err); got != c.want {
			t.Errorf("%s: %q, want %q", c.lang, got, c.want)
		}
	}
}
