package known

import (
	"testing"

	"github.com/sockdesk/sockdesk/netio/library"
)

func TestNames(t *testing.T) {
	for _, c := range []struct {
		kind, name string
		ok         bool
	}{
		{library.KindCharset, "GBK", true},
		{library.KindCharset, "utf8", true},
		{library.KindCharset, "klingon", false},
		{library.KindChecksum, "crc16-modbus", true},
		{library.KindChecksum, "CRC16-MODBUS", true},
		{library.KindChecksum, "md5", false},
		{"colour", "red", false},
	} {
		if err := Names(c.kind, c.name); (err == nil) != c.ok {
			t.Errorf("Names(%q, %q) = %v, want ok %v", c.kind, c.name, err, c.ok)
		}
	}
	// As a library's checker: a message with an unknown checksum is refused.
	l := library.New(Names)
	if err := l.Add(library.Message{Name: "m", Mode: library.ModeHex, Payload: "01", Checksum: "crc16-modbus:le", Charset: "gbk"}); err != nil {
		t.Errorf("a message with known names: %v", err)
	}
	if err := l.Add(library.Message{Name: "n", Mode: library.ModeHex, Payload: "01", Checksum: "md5"}); err == nil {
		t.Error("a message with an unknown checksum was added")
	}
}
