package app

import (
	"time"

	"github.com/sockdesk/sockdesk/netio/library"
)

// messagesDemo fills the (in-memory) library with a few messages, opens the
// Messages tool beside the UDP demo's log and sends one, so a screenshot
// shows the panel at work. Loopback only: the demo session sends to itself.
func (p *udpPanel) messagesDemo() {
	p.demo()
	p.messages.store.change(func(l *library.Library) error {
		for _, m := range []library.Message{
			{Name: "你好", Mode: library.ModeText, Payload: "你好，设备{hex:0d0a}", Charset: "GBK"},
			{Name: "Status", Mode: library.ModeEscapes, Payload: `STATUS? #{counter}\r\n`, Repeat: time.Second},
			{Name: "Read coils", Group: "Modbus", Mode: library.ModeHex, Payload: "01 01 00 00 00 08", Checksum: "crc16-modbus:le"},
			{Name: "Read registers", Group: "Modbus", Mode: library.ModeHex, Payload: "01 03 00 00 00 0A", Checksum: "crc16-modbus:le"},
			{Name: "Gateway ping", Group: "Gateway", Mode: library.ModeText, Payload: "PING", Protocol: library.TCP, Destination: "127.0.0.1:9000"},
		} {
			if err := l.Add(m); err != nil {
				return err
			}
		}
		return nil
	})
	p.drawer.Show(toolMessages)
	if r := p.messages.row("你好"); r != nil {
		p.messages.send(r.msg)
	}
}

// messageEditDemo is messagesDemo with a message's editor open.
func (p *udpPanel) messageEditDemo() {
	p.messagesDemo()
	if r := p.messages.row("Read coils"); r != nil {
		p.messages.edit(r.msg, r.msg.Name)
	}
}
