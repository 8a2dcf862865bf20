package library

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// psExport is written as Packet::ExportJSON writes (src/packet.cpp of
// dannagle/PacketSender): keys in lower case and sorted (QJsonObject), numbers
// as strings except repeat, hex in upper-case pairs with a trailing space,
// and the list back to front (push_front). A few entries are what a file
// edited by hand or another tool may hold.
const psExport = `[
    {
        "asciistring": "",
        "errorstring": "",
        "fromip": "You",
        "fromport": "0",
        "hexstring": "7B 7B 54 49 4D 45 7D 7D ",
        "name": "Zulu macro",
        "port": "7",
        "repeat": 7200,
        "requestpath": "",
        "sendresponse": "0",
        "tcporudp": "UDP",
        "toip": "::1",
        "colour": "red"
    },
    42,
    {
        "hexstring": "41 42",
        "name": "Dup",
        "port": 1,
        "tcporudp": "udp",
        "toip": "127.0.0.1"
    },
    {
        "hexstring": "41",
        "name": "dup",
        "tcporudp": "TCP"
    },
    {
        "hexstring": "0x41,0x42",
        "name": "Junk hex",
        "repeat": "2",
        "tcporudp": "DTLS",
        "toip": "10.0.0.9"
    },
    {
        "hexstring": "47 45 54 ",
        "name": "Get page",
        "port": "443",
        "requestpath": "/index.html",
        "tcporudp": "HTTPS Get",
        "toip": "example.test"
    },
    {
        "hexstring": "ABC",
        "name": "",
        "port": "0",
        "repeat": 0.10000000149011612,
        "tcporudp": "UDP",
        "toip": "192.168.1.50"
    },
    {
        "hexstring": ["not", "text"],
        "name": "Broken"
    },
    {
        "asciistring": "SGVsbG8=",
        "errorstring": "",
        "fromip": "You",
        "fromport": "6000",
        "hexstring": "68 65 6C 6C 6F ",
        "name": "Secure hello",
        "port": "8443",
        "repeat": 0,
        "requestpath": "",
        "sendresponse": "1",
        "tcporudp": "SSL",
        "toip": "device.lan"
    },
    {
        "asciistring": "",
        "errorstring": "",
        "fromip": "You",
        "fromport": "0",
        "hexstring": "01 03 00 00 00 0A C5 CD ",
        "name": "Alpha status",
        "port": "502",
        "repeat": 1.5,
        "requestpath": "",
        "sendresponse": [0],
        "tcporudp": "TCP",
        "toip": "192.168.1.20"
    }
]
`

func TestPacketSenderImport(t *testing.T) {
	path := filepath.Join(t.TempDir(), "packets.json")
	if err := os.WriteFile(path, []byte(psExport), 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := ReadSource(path, Detect, testCheck)
	if err != nil {
		t.Fatal(err)
	}
	if src.Format != FormatPacketSender {
		t.Errorf("format %q", src.Format)
	}
	want := []Message{
		{Name: "Alpha status", Mode: ModeHex, Payload: "01 03 00 00 00 0A C5 CD", Destination: "192.168.1.20:502", Protocol: TCP, Repeat: 1500 * time.Millisecond},
		{Name: "Secure hello", Mode: ModeHex, Payload: "68 65 6C 6C 6F", Destination: "device.lan:8443", Protocol: TLS},
		{Name: "Packet Sender 7", Mode: ModeHex, Payload: "0A BC", Protocol: UDP, Repeat: 100 * time.Millisecond},
		{Name: "Get page", Mode: ModeHex, Payload: "47 45 54", Destination: "example.test:443"},
		{Name: "Junk hex", Mode: ModeHex, Payload: "04 10 42", Repeat: 2 * time.Second},
		{Name: "dup", Mode: ModeHex, Payload: "41", Protocol: TCP},
		{Name: "Dup (2)", Mode: ModeHex, Payload: "41 42", Destination: "127.0.0.1:1", Protocol: UDP},
		{Name: "Zulu macro", Mode: ModeHex, Payload: "7B 7B 54 49 4D 45 7D 7D", Destination: "[::1]:7", Protocol: UDP},
	}
	if !slices.Equal(src.Messages, want) {
		t.Errorf("messages:\n%s\nwant:\n%s", dump(src.Messages), dump(want))
	}
	var notes []string
	for _, n := range src.Notes {
		notes = append(notes, n.String())
	}
	wantNotes := []string{
		`[0] "Zulu macro" hexstring: contains {{TIME}}, which Packet Sender may replace when sending; Sockdesk sends it as it is (its placeholders are {time}, {unix}, {counter})`,
		`[0] "Zulu macro" repeat = "7200": not carried over: Sockdesk repeats every 1 ms to 1 hour`,
		`[0] "Zulu macro" colour = "red": not carried over: not a Packet Sender field Sockdesk knows`,
		`[1]: not imported: want an object (a packet), found number`,
		`[2] "Dup (2)" name = "Dup": renamed "Dup (2)": names are one line of at most 100 characters, unique regardless of case`,
		`[4] "Junk hex" hexstring = "0x41,0x42": the characters "x,x" are not hex digits: skipped, as Packet Sender skips them`,
		`[4] "Junk hex" toip = "10.0.0.9": not carried over: an address without a port`,
		`[4] "Junk hex" tcporudp = "DTLS": not carried over: Sockdesk does not speak DTLS; the message has no protocol`,
		`[5] "Get page" tcporudp = "HTTPS Get": not carried over: Sockdesk does not send HTTP requests from the library; the message has no protocol`,
		`[5] "Get page" requestpath = "/index.html": not carried over: Sockdesk does not send HTTP requests from the library`,
		`[6] "Packet Sender 7" name: the packet has no name: named "Packet Sender 7"`,
		`[6] "Packet Sender 7" hexstring = "ABC": an odd number of hex digits: read with a 0 in front, as Packet Sender reads it`,
		`[6] "Packet Sender 7" toip = "192.168.1.50": not carried over: an address without a port`,
		`[7] hexstring: not imported: want text (the payload in hex), found array`,
		`[8] "Secure hello" fromport = "6000": not carried over: a message has no source port; bind the session to that port to send from it`,
		`[8] "Secure hello" sendresponse = "1": not carried over: Sockdesk has no per-message response setting; use the session's auto-reply rules`,
		`[9] "Alpha status" sendresponse: ignored: want text or a number, found array`,
	}
	if !slices.Equal(notes, wantNotes) {
		t.Errorf("notes:\n%s\nwant:\n%s", strings.Join(notes, "\n"), strings.Join(wantNotes, "\n"))
	}

	// The messages import into a library as they are.
	lib := New(testCheck)
	plan, err := lib.PlanImport(src.Messages)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lib.Import(plan); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(lib.Messages(), want) {
		t.Errorf("library after import: %s", dump(lib.Messages()))
	}
}

func dump(msgs []Message) string {
	var b strings.Builder
	for _, m := range msgs {
		fmt.Fprintf(&b, "%q %s %q %q %q %v\n", m.Name, m.Mode, m.Payload, m.Destination, m.Protocol, m.Repeat)
	}
	return b.String()
}

func TestPacketSenderFormatErrors(t *testing.T) {
	if _, err := ParseSource([]byte(`{"name":"x"}`), "ps.json", FormatPacketSender, nil); err == nil ||
		err.Error() != "ps.json: want a list of packets (Packet Sender's JSON export), found object" {
		t.Errorf("an object as a Packet Sender export: %v", err)
	}
	if _, err := ParseSource([]byte(`"hello"`), "x.json", Detect, nil); err == nil ||
		err.Error() != "x.json: found string: neither a Sockdesk library (an object) nor a Packet Sender export (a list)" {
		t.Errorf("a string: %v", err)
	}
	if _, err := ParseSource([]byte(psExport[:200]), "ps.json", Detect, nil); err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Errorf("a truncated export: %v", err)
	}
	src, err := ParseSource([]byte(`[]`), "ps.json", Detect, nil)
	if err != nil || len(src.Messages) != 0 {
		t.Errorf("an empty export: %v, %v", src, err)
	}
}
