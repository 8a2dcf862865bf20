package logview

import (
	"strings"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/netio"
)

// In Chinese the relay's rows still say which way the bytes went.
func TestRelayLogRowsSpeakChinese(t *testing.T) {
	useLanguage(t, "zh-Hans")
	base := netio.Event{Time: time.Unix(0, 0), Proto: "tcp", Peer: "127.0.0.1:5123", Client: 1, Target: "127.0.0.1:9000"}
	up, down, closed := base, base, base
	up.Kind, up.Dir, up.Data, up.Text = netio.EventReceived, netio.DirToTarget, []byte("hi"), "hi"
	down.Kind, down.Dir, down.Data, down.Text = netio.EventReceived, netio.DirToClient, []byte("ok"), "ok"
	closed.Kind, closed.Dir, closed.Reason = netio.EventClosed, netio.DirToClient, netio.ReasonPeerClosed
	for _, c := range []struct {
		e    netio.Event
		want string
	}{
		{up, "→ 目标 [127.0.0.1:5123] 2 B: hi"},
		{down, "← 目标 [127.0.0.1:5123] 2 B: ok"},
		{closed, "• [127.0.0.1:5123] 目标先断开连接"},
	} {
		if got := logHeadline(&c.e, true, SideNone); !strings.HasSuffix(got, c.want) {
			t.Errorf("row %q, want it to end %q", got, c.want)
		}
	}
}
