package logview

import (
	"testing"

	"github.com/sockdesk/sockdesk/app/i18n"
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
	for _, c := range []struct{ what, got, want string }{
		{"pause button", v.pauseBtn.Text, "暂停"},
		{"clear button", v.clearBtn.Text, "清空"},
		{"follow check", v.followCheck.Text, "自动滚动"},
		{"log mode", v.modeSelect.Selected, "文本"},
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
