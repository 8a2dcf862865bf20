// Sockdesk is a workbench for UDP and TCP sockets: the desktop app when started
// without arguments, a scriptable command line with a sub-command.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	fyneapp "fyne.io/fyne/v2/app"

	"github.com/sockdesk/sockdesk/app"
	"github.com/sockdesk/sockdesk/cli"
	_ "github.com/sockdesk/sockdesk/internal/clocale" // before Fyne's locale reader: see its doc
	"github.com/sockdesk/sockdesk/internal/version"
)

// appID names the app for Fyne's preferences and storage; FyneApp.toml says the same.
const appID = "io.github.sockdesk"

func main() {
	if len(os.Args) == 2 && os.Args[1] == "--version" {
		fmt.Println(version.Get())
		return
	}
	if (len(os.Args) == 3 || len(os.Args) == 4) && os.Args[1] == "--screenshot" {
		show := ""
		if len(os.Args) == 4 {
			show = os.Args[3]
		}
		if err := app.RunScreenshot(fyneapp.NewWithID(appID), os.Args[2], show); err != nil {
			fmt.Fprintln(os.Stderr, "sockdesk:", err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) == 3 && os.Args[1] == "--workspace" {
		// The Windows installer registers .sockdesk files to open this way.
		setMemoryBudget()
		app.NewMainWindowWithWorkspace(fyneapp.NewWithID(appID), os.Args[2]).ShowAndRun()
		return
	}
	if len(os.Args) > 1 {
		os.Exit(runCLI(os.Args[1:]))
	}
	setMemoryBudget()
	a := fyneapp.NewWithID(appID)
	app.NewMainWindow(a).ShowAndRun()
}

// goMemoryBudget is the soft limit on the memory the Go runtime of the desktop app
// takes from the system. With the default GOGC alone the heap grows to twice what
// is live before a collection: a session following a full-rate stream kept about
// 80 MiB live, so the heap reached 160 MiB and the process 340 MiB (bench/uiwindow),
// against a target of 250 MB, of which about 150 MiB is not Go's (GL, X, the
// binary's pages). Under this limit the collector runs earlier instead. What a
// session may hold is sized to fit inside it with room to spare: about 33 MiB of
// fonts, a log view of 50,000 events and at most 16 MiB of their data, a display
// queue of 16 MiB and a pump batch of at most 8 MiB.
const goMemoryBudget = 96 << 20

// setMemoryBudget applies goMemoryBudget to the desktop app, unless the user set
// GOMEMLIMIT. It is a soft limit: when more is live than it allows, the runtime
// exceeds it rather than collect without end. The command line keeps Go's default.
func setMemoryBudget() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(goMemoryBudget)
	}
}

// runCLI runs the command line on a goroutine of its own. Fyne's GL driver locks
// main.main to the main OS thread (the windowing system needs it), so every wait on
// the main goroutine would hand that thread over and take it back; the command line
// has no window and does better on an ordinary goroutine.
func runCLI(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	code := make(chan int, 1)
	go func() { code <- cli.Run(ctx, args, os.Stdin, os.Stdout, os.Stderr) }()
	return <-code
}
