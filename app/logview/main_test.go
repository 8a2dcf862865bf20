package logview

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"github.com/sockdesk/sockdesk/app/i18n"
	"github.com/sockdesk/sockdesk/netio"
	"go.uber.org/goleak"
)

// The log view speaks English whatever the machine's locale, so tests can read
// its words; a test wanting Chinese switches with useLanguage.
func TestMain(m *testing.M) {
	i18n.Set("en")
	goleak.VerifyTestMain(m)
}

// useLanguage switches the UI language for one test.
func useLanguage(t *testing.T, code string) {
	t.Helper()
	prev := i18n.Chosen()
	i18n.Set(code)
	t.Cleanup(func() { i18n.Set(prev) })
}

// The log's own controls speak Chinese, and its mode is read by index whatever
// the labels say.
func TestLogViewSpeaksChinese(t *testing.T) {
	useLanguage(t, "zh-Hans")
	v, _, _ := newTestLogView(t, 100)
	test.Tap(v.pauseBtn)
	for _, c := range []struct{ what, got, want string }{
		{"pause button", v.pauseBtn.Text, "继续"},
		{"follow check", v.followCheck.Text, "自动滚动"},
		{"log mode", v.modeSelect.Selected, "文本"},
		{"filter", v.filterEntry.PlaceHolder, "过滤（文本、对方地址、十六进制）"},
	} {
		if c.got != c.want {
			t.Errorf("%s says %q, want %q", c.what, c.got, c.want)
		}
	}
	v.modeSelect.SetSelected("十六进制")
	if v.mode != logModeHex {
		t.Errorf("十六进制 shows the log as %v", v.mode)
	}
}

// Relabel speaks the language chosen after the view was made: its tools and its
// rows, with the mode kept.
func TestLogViewRelabels(t *testing.T) {
	useLanguage(t, "en")
	v, _, _ := newTestLogView(t, 100)
	v.SetSide(SideClient)
	v.Append([]netio.Event{{Kind: netio.EventClosed, Proto: "tcp", Local: "127.0.0.1:7788", Peer: "127.0.0.1:9000", Reason: netio.ReasonPeerClosed}})
	v.modeSelect.SetSelectedIndex(int(logModeHex))
	i18n.Set("zh-Hans")
	v.Relabel()
	if v.followCheck.Text != "自动滚动" || v.modeSelect.Selected != "十六进制" || v.mode != logModeHex {
		t.Errorf("follow %q, mode %q (%v)", v.followCheck.Text, v.modeSelect.Selected, v.mode)
	}
	if l := v.Lines(); len(l) != 1 || !strings.HasSuffix(l[0], "服务器已断开连接") {
		t.Errorf("rows %q", l)
	}
}
