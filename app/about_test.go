package app

import (
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/internal/version"
)

// TestAboutShowsTheBuild: Help > About Sockdesk opens a dialog with the version,
// commit and date, and Copy puts `sockdesk --version`'s line on the clipboard.
func TestAboutShowsTheBuild(t *testing.T) {
	e, _ := newTestEnv(t)
	m := newMainWindow(e)
	menus := m.mainMenu().Items
	help := menus[len(menus)-1]
	if help.Label != "Help" || len(help.Items) != 1 || help.Items[0].Label != "About Sockdesk" {
		t.Fatalf("the last menu is %q with %d items, want Help > About Sockdesk", help.Label, len(help.Items))
	}
	help.Items[0].Action()
	if len(m.win.Canvas().Overlays().List()) != 1 {
		t.Fatal("About Sockdesk opened no dialog")
	}

	info := version.Info{Version: "0.2.0-3-gabc1234", Commit: "abc1234def567890abc1234def567890abc12345", Date: "2025-01-31T12:00:00Z"}
	d := newAboutDialog(e, info)
	for _, c := range []struct {
		what string
		got  *widget.Label
		want string
	}{
		{"version", d.version, "0.2.0-3-gabc1234"},
		{"commit", d.commit, "abc1234def56"},
		{"date", d.date, "2025-01-31T12:00:00Z"},
	} {
		if c.got.Text != c.want {
			t.Errorf("the %s reads %q, want %q", c.what, c.got.Text, c.want)
		}
	}
	test.Tap(d.copy)
	if got, want := e.app.Clipboard().Content(), "sockdesk 0.2.0-3-gabc1234 (commit abc1234def56, 2025-01-31T12:00:00Z)"; got != want {
		t.Errorf("Copy put %q on the clipboard, want %q", got, want)
	}
}

// TestAboutUnknownBuildInChinese: an unstamped build without VCS information says
// "dev" and "unknown", in the chosen language.
func TestAboutUnknownBuildInChinese(t *testing.T) {
	useLanguage(t, "zh-Hans")
	e, _ := newTestEnv(t)
	d := newAboutDialog(e, version.Info{Version: "dev"})
	if d.version.Text != "dev" || d.commit.Text != "未知" || d.date.Text != "未知" {
		t.Errorf("an unknown build reads %q, %q, %q; want dev, 未知, 未知", d.version.Text, d.commit.Text, d.date.Text)
	}
	if d.copy.Text != "复制" {
		t.Errorf("the copy button says %q, want 复制", d.copy.Text)
	}
	m := newMainWindow(e)
	menus := m.mainMenu().Items
	if help := menus[len(menus)-1]; help.Label != "帮助" || help.Items[0].Label != "关于 Sockdesk" {
		t.Errorf("the Help menu reads %q > %q, want 帮助 > 关于 Sockdesk", help.Label, help.Items[0].Label)
	}
}
