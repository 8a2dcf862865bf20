package anatomy

import (
	"fmt"
	"image/color"
	"math"
	"net"
	"net/netip"
	"regexp"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/app/tint"
	"github.com/sockdesk/sockdesk/netio/layers"
	"github.com/sockdesk/sockdesk/netio/packet"
)

// sampleMessages are messages of every shape the engine draws: UDP and TCP,
// IPv4 and IPv6, loopback and a link with known and unknown MACs, a SYN with
// its MSS option and a segment without ACK.
func sampleMessages() map[string]packet.Message {
	at := time.Date(2025, 3, 1, 15, 4, 5, 123_000_000, time.Local)
	lo := func(p uint16) netip.AddrPort { return netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), p) }
	lan := func(s string) netip.AddrPort { return netip.MustParseAddrPort(s) }
	mac := func(s string) net.HardwareAddr { m, _ := net.ParseMAC(s); return m }
	return map[string]packet.Message{
		"udp loopback received": {Direction: packet.Received, Protocol: packet.UDP, Local: lo(7788), Peer: lo(5050),
			Payload: []byte("hello"), Time: at, TTL: 64, TTLSource: packet.FromSystem},
		"tcp loopback sent": {Direction: packet.Sent, Protocol: packet.TCP, Local: lo(40000), Peer: lo(9000),
			Payload: []byte("GET / HTTP/1.1\r\n\r\n"), Time: at, TCP: &packet.TCPHeader{Seq: 1, Ack: 1, Flags: packet.PSH | packet.ACK, Window: 65535}},
		"tcp syn over a LAN": {Direction: packet.Sent, Protocol: packet.TCP, Local: lan("192.168.1.2:40000"), Peer: lan("192.168.1.1:80"),
			TCP:  &packet.TCPHeader{Seq: 0, Flags: packet.SYN, Window: 64240, MSS: 1460},
			Link: packet.Link{LocalMAC: mac("02:00:00:00:00:02"), PeerMAC: mac("02:00:00:00:00:01"), Source: packet.FromSystem}},
		"udp6 unknown MACs": {Direction: packet.Received, Protocol: packet.UDP, Local: lan("[2001:db8::2]:5000"), Peer: lan("[2001:db8::1]:6000"),
			Payload: []byte{0, 1, 2, 0xff}},
	}
}

func build(t *testing.T, m packet.Message) *packet.Frame {
	t.Helper()
	f, err := packet.Build(m)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// The tables mirror every sentence format the engine has, word for word, and
// name every layer and field the engine draws: a new format or field fails
// here until it is added (and translated).
func TestSentenceTablesAreComplete(t *testing.T) {
	for _, f := range append(append([]string(nil), packet.Formats...), layers.NoteFormats...) {
		if got, ok := sentenceFormats[f]; !ok || got != f {
			t.Errorf("sentenceFormats[%q] = %q, %v: mirror the engine's format exactly", f, got, ok)
		}
	}
	if n := len(packet.Formats) + len(layers.NoteFormats); len(sentenceFormats) != n {
		t.Errorf("sentenceFormats has %d entries, the engine %d formats: remove the stale ones", len(sentenceFormats), n)
	}
	for _, table := range []map[string]string{layerNames, fieldNames} {
		for k, v := range table {
			if k != v {
				t.Errorf("%q is keyed %q: the English is the engine's name", v, k)
			}
		}
	}
	for name, m := range sampleMessages() {
		for _, l := range build(t, m).Layers {
			if _, ok := layerNames[l.Name]; !ok {
				t.Errorf("%s: layer %q is not in layerNames", name, l.Name)
			}
			if _, ok := sentenceFormats[l.Sentence.Format]; !ok {
				t.Errorf("%s: %s's sentence %q is not in sentenceFormats", name, l.Name, l.Sentence.Format)
			}
			for _, fl := range l.Fields {
				if _, ok := fieldNames[fl.Name]; !ok {
					t.Errorf("%s: field %q of %s is not in fieldNames", name, fl.Name, l.Name)
				}
			}
		}
	}
}

// fieldLines are the "  name: value  source" lines of one layer in Text.
func layerLines(text, title string) []string {
	_, rest, ok := strings.Cut(text, "\n"+title+"\n")
	if !ok {
		return nil
	}
	var out []string
	for _, line := range strings.Split(rest, "\n")[1:] {
		if !strings.HasPrefix(line, "  ") {
			break
		}
		out = append(out, strings.TrimPrefix(line, "  "))
	}
	return out
}

// The view shows each layer of the frame packet.Build draws, every field with
// the engine's value and source, the sentence of each layer, and in English
// the engine's own words.
func TestViewShowsTheFramesFields(t *testing.T) {
	test.NewTempApp(t)
	for name, m := range sampleMessages() {
		t.Run(name, func(t *testing.T) {
			v := New()
			v.Show([]layers.Message{{Message: m}})
			want := build(t, m)
			if got := v.Frame(); got == nil || string(got.Bytes) != string(want.Bytes) {
				t.Fatalf("frame shown differs from packet.Build's")
			}
			text := v.Text()
			for _, l := range want.Layers {
				title := fmt.Sprintf("%s · bytes %d–%d (%d)", l.Name, l.Start, l.End-1, l.End-l.Start)
				if !strings.Contains(text, title+"\n"+l.Sentence.String()+"\n") {
					t.Errorf("no %q with its sentence %q in:\n%s", title, l.Sentence, text)
				}
				lines := layerLines(text, title)
				if len(lines) != len(l.Fields) {
					t.Fatalf("%s: %d field lines, the frame has %d fields:\n%s", l.Name, len(lines), len(l.Fields), text)
				}
				for i, fl := range l.Fields {
					want := fmt.Sprintf("%s: %s  %s %s", fl.Name, fl.Value, sourceMarks[fl.Source], fl.Source)
					if fl.Source == packet.FromSocket {
						want = fmt.Sprintf("%s: %s  ◆ socket API", fl.Name, fl.Value)
					}
					if lines[i] != want {
						t.Errorf("%s field %d: %q, want %q", l.Name, i, lines[i], want)
					}
				}
			}
			if m.Link.Source == packet.FromSystem && !strings.Contains(text, "destination: 02:00:00:00:00:01  ● system") {
				t.Errorf("MACs read from the system are not marked so:\n%s", text)
			}
		})
	}
}

// In Chinese every sentence, layer name, field name and worded value is
// Chinese: no English word of three letters or more is left (protocol names
// and flags are upper case, addresses and numbers have none; Linux is a name;
// the hex dump shows data).
func TestViewSpeaksChinese(t *testing.T) {
	test.NewTempApp(t)
	useLanguage(t, "zh-Hans")
	english, hexNumber := regexp.MustCompile(`[a-z]{3,}`), regexp.MustCompile(`0x[0-9a-f]+`)
	for name, m := range sampleMessages() {
		v := New()
		v.Show([]layers.Message{{Message: m, Notes: []packet.Sentence{{Format: layers.NoteFromRoute, Args: []any{"127.0.0.1"}}}}})
		text := v.Text()
		words, _, _ := strings.Cut(text, "\nE ") // the hex dump shows data
		words = hexNumber.ReplaceAllString(strings.ReplaceAll(words, "Linux", ""), "")
		if w := english.FindString(words); w != "" {
			t.Errorf("%s: %q is English in:\n%s", name, w, text)
		}
		for _, l := range v.Frame().Layers {
			if s := sentence(l.Sentence); s == l.Sentence.String() || !strings.ContainsFunc(s, isHan) {
				t.Errorf("%s: %s's sentence is not translated: %q", name, l.Name, s)
			}
		}
		if !strings.Contains(text, "套接字绑定在任意地址上；127.0.0.1 是路由表为这个对方选出的本地地址。") {
			t.Errorf("%s: the note is not translated:\n%s", name, text)
		}
	}
}

func isHan(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }

// The hex map colours each byte (its two digits and its character) with its
// layer's colour, the space between two bytes of a layer too, and nothing
// else; the colours follow the theme, and text stays readable on each.
func TestHexMapColoursEachLayersBytes(t *testing.T) {
	a := test.NewTempApp(t)
	m := sampleMessages()["tcp loopback sent"]
	v := New()
	v.Show([]layers.Message{{Message: m}})
	f := v.Frame()
	rows := v.hex.Rows
	if want := (len(f.Bytes) + hexPerLine - 1) / hexPerLine; len(rows) != want {
		t.Fatalf("%d rows for %d bytes", len(rows), len(f.Bytes))
	}
	markOf := func(c widget.TextGridCell) byte {
		if st, ok := c.Style.(layerStyle); ok {
			return st.mark
		}
		return 0
	}
	coloured := map[[2]int]bool{}
	for _, l := range f.Layers {
		for i := l.Start; i < l.End; i++ {
			r, hc, ac := hexCell(i)
			for _, c := range []int{hc, hc + 1, ac} {
				coloured[[2]int{r, c}] = true
				if got := markOf(rows[r].Cells[c]); got != l.Mark {
					t.Errorf("byte %d (%s): cell %d,%d has layer %q", i, l.Name, r, c, got)
				}
			}
			if i+1 < l.End && (i+1)%hexPerLine != 0 {
				coloured[[2]int{r, hc + 2}] = true
				if got := markOf(rows[r].Cells[hc+2]); got != l.Mark {
					t.Errorf("the space after byte %d (%s) has layer %q", i, l.Name, got)
				}
			}
		}
	}
	for r, row := range rows {
		for c, cell := range row.Cells {
			if !coloured[[2]int{r, c}] && markOf(cell) != 0 {
				t.Errorf("cell %d,%d (%q) is coloured %q", r, c, cell.Rune, markOf(cell))
			}
		}
	}
	// The ranges as text: Ethernet 0-13, IPv4 14-33, TCP 34-53, data after.
	want := []struct {
		mark       byte
		start, end int
	}{{'E', 0, 14}, {'I', 14, 34}, {'T', 34, 54}, {'A', 54, len(f.Bytes)}}
	for i, l := range f.Layers {
		if l.Mark != want[i].mark || l.Start != want[i].start || l.End != want[i].end {
			t.Errorf("layer %d: %c %d-%d, want %c %d-%d", i, l.Mark, l.Start, l.End, want[i].mark, want[i].start, want[i].end)
		}
	}

	for _, variant := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		th := a.Settings().Theme()
		fg := tint.NRGBA(th.Color(theme.ColorNameForeground, variant))
		bg := tint.NRGBA(th.Color(theme.ColorNameBackground, variant))
		seen := map[[3]uint8]byte{}
		for mark := range layerHues {
			c := LayerColor(mark, th, variant)
			if ratio := contrast(fg, c); ratio < 4.5 {
				t.Errorf("variant %v: text on layer %c's colour %v has contrast %.1f, under 4.5:1", variant, mark, c, ratio)
			}
			if c == bg {
				t.Errorf("variant %v: layer %c's colour is the background", variant, mark)
			}
			key := [3]uint8{c.R, c.G, c.B}
			if other, ok := seen[key]; ok {
				t.Errorf("variant %v: layers %c and %c share a colour", variant, mark, other)
			}
			seen[key] = mark
		}
	}
}

// contrast is the WCAG contrast ratio of two colours.
func contrast(a, b color.NRGBA) float64 {
	lum := func(c color.NRGBA) float64 {
		lin := func(v uint8) float64 {
			x := float64(v) / 255
			if x <= 0.03928 {
				return x / 12.92
			}
			return math.Pow((x+0.055)/1.055, 2.4)
		}
		return 0.2126*lin(c.R) + 0.7152*lin(c.G) + 0.0722*lin(c.B)
	}
	la, lb := lum(a), lum(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}
