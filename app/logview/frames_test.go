package logview

import (
	"testing"

	"github.com/sockdesk/sockdesk/app/i18n"
	"github.com/sockdesk/sockdesk/netio"
)

// Frames that are not a whole message are marked in their rows; a datagram drop
// the system reported reads as such, as an error.
func TestLogViewMarksFramesAndDrops(t *testing.T) {
	v, _, _ := newTestLogView(t, 100)
	frame := func(ms int, text string, s netio.FrameStatus) netio.Event {
		e := dataEvent(netio.EventReceived, ms, testPeer, []byte(text), text)
		e.Frame = s
		return e
	}
	events := []netio.Event{
		frame(0, "whole\n", netio.FrameComplete),
		frame(1, "0123", netio.FrameOverflow),
		frame(2, "par", netio.FrameIncomplete),
		frame(3, "\x00\x01", netio.FrameMalformed),
		frame(4, "read", netio.FrameNone),
		{Time: logT0.Add(5e6), Kind: netio.EventDropped, Proto: "udp", Local: "0.0.0.0:7788", Dropped: 1},
		{Time: logT0.Add(6e6), Kind: netio.EventDropped, Proto: "udp", Local: "0.0.0.0:7788", Dropped: 12345},
	}
	v.Append(events)
	assertLines(t, v, []string{
		`15:04:05.123 ← [127.0.0.1:5050] 6 B: whole\n`,
		"15:04:05.124 ← [127.0.0.1:5050] 4 B ⚠ (overflow: longer than the max frame, cut there): 0123",
		"15:04:05.125 ← [127.0.0.1:5050] 3 B ⚠ (incomplete frame: the connection ended): par",
		`15:04:05.126 ← [127.0.0.1:5050] 2 B ⚠ (malformed frame: its length is less than its header): \0\x01`,
		"15:04:05.127 ← [127.0.0.1:5050] 4 B: read",
		"15:04:05.128 ⚠ the system dropped 1 datagram: the socket's receive buffer was full",
		"15:04:05.129 ⚠ the system dropped 12,345 datagrams: the socket's receive buffer was full",
	})
	for i, want := range []rowTone{toneReceived, toneReceived, toneReceived, toneError, toneReceived, toneError, toneError} {
		if got := eventTone(&events[i]); got != want {
			t.Errorf("row %d: tone %v, want %v", i, got, want)
		}
	}

	prev := i18n.Chosen()
	i18n.Set("zh-Hans")
	defer i18n.Set(prev)
	if got := logMessage(&events[6], SideNone); got != "系统丢弃了 12,345 个数据报：套接字接收缓冲区已满" {
		t.Errorf("in Chinese: %q", got)
	}
	if got := frameMark(netio.FrameIncomplete); got != "⚠ （不完整的帧：连接已结束）" {
		t.Errorf("in Chinese: %q", got)
	}
}
