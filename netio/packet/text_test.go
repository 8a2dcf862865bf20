package packet

import (
	"bytes"
	"strings"
	"testing"
)

func TestWriteTextMarksEveryByteWithItsLayer(t *testing.T) {
	local, peer, payload := udpExchange(t, "udp4", "127.0.0.1:0", []byte("ping 12345678901234567890"))
	f, err := Build(Message{Direction: Received, Protocol: UDP, Local: local, Peer: peer, Payload: payload})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := WriteText(&out, f, 0); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, want := range []string{"Frame: 67 bytes (loopback)", "E Ethernet II, bytes 0-13 (14)", "I IPv4, bytes 14-33 (20)",
		"U UDP, bytes 34-41 (8)", "A Application data, bytes 42-66 (25)", FormatLoopback, "reconstructed", "socket API", "computed"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}

	// Under each hex line, a letter per byte: read them back and compare
	// with the layers' ranges.
	lines := strings.Split(text, "\n")
	var marks []byte
	for i, line := range lines {
		if len(line) > 6 && line[4:6] == "  " && isHexOffset(line[:4]) && i+1 < len(lines) {
			for _, c := range []byte(lines[i+1][6:]) {
				if c != ' ' {
					marks = append(marks, c)
				}
			}
		}
	}
	if len(marks) != len(f.Bytes) {
		t.Fatalf("%d marks under the hex for %d bytes:\n%s", len(marks), len(f.Bytes), text)
	}
	for _, l := range f.Layers {
		for i := l.Start; i < l.End; i++ {
			if marks[i] != l.Mark {
				t.Fatalf("byte %d is marked %c, want %c (%s)", i, marks[i], l.Mark, l.Name)
			}
		}
	}
}

func TestWriteTextLimitsTheHexDump(t *testing.T) {
	local, peer, payload := udpExchange(t, "udp4", "127.0.0.1:0", make([]byte, 1000))
	f, err := Build(Message{Protocol: UDP, Local: local, Peer: peer, Payload: payload})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := WriteText(&out, f, 64); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "... 978 more bytes not shown") {
		t.Errorf("a 1042-byte frame limited to 64 bytes:\n%s", out.String())
	}
}

func isHexOffset(s string) bool {
	for _, c := range s {
		if !strings.ContainsRune("0123456789abcdef", c) {
			return false
		}
	}
	return true
}
