package wording

import (
	"errors"
	"syscall"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/app/i18n"
	"github.com/sockdesk/sockdesk/netio"
)

// Engine errors are worded from their fields in the chosen language, not by
// editing the engine's English: the operation and address, then the cause.
func TestErrorWordsOpErrors(t *testing.T) {
	prev := i18n.Chosen()
	t.Cleanup(func() { i18n.Set(prev) })
	refused := &netio.OpError{Op: netio.OpConnect, Proto: "tcp", Addr: "127.0.0.1:9", Err: syscall.ECONNREFUSED}
	timedOut := &netio.OpError{Op: netio.OpConnectRelay, Proto: "tcp", Addr: "127.0.0.1:9", Err: &netio.NoAnswerError{After: 2 * time.Second, Err: errors.New("i/o timeout")}}
	odd := &netio.OpError{Op: netio.OpSend, Proto: "udp", Addr: "[::1]:9", Err: errors.New("message too long")}
	for _, c := range []struct {
		lang      string
		err       error
		want      string
		wantCause string
	}{
		{"en", refused, "connecting to 127.0.0.1:9: connection refused: nothing is listening on that port", "connection refused: nothing is listening on that port"},
		{"zh-Hans", refused, "连接 127.0.0.1:9: 连接被拒绝：该端口上没有程序在监听", "连接被拒绝：该端口上没有程序在监听"},
		{"en", timedOut, "connecting to the target 127.0.0.1:9: no answer within 2s (is the host up? a firewall may drop the connection)", ""},
		{"zh-Hans", odd, "发送到 [::1]:9: message too long", "message too long"},
	} {
		i18n.Set(c.lang)
		if got := Error(c.err); got != c.want {
			t.Errorf("%s: Error = %q, want %q", c.lang, got, c.want)
		}
		if got := Cause(c.err); c.wantCause != "" && got != c.wantCause {
			t.Errorf("%s: Cause = %q, want %q", c.lang, got, c.wantCause)
		}
	}
}
