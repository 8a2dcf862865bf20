// Sockdesk is a workbench for UDP and TCP sockets: the desktop app when started
// without arguments, a scriptable command line with a sub-command.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	fyneapp "fyne.io/fyne/v2/app"

	"github.com/sockdesk/sockdesk/app"
	"github.com/sockdesk/sockdesk/cli"
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
	if len(os.Args) > 1 {
		os.Exit(runCLI(os.Args[1:]))
	}
	a := fyneapp.NewWithID(appID)
	app.NewMainWindow(a).ShowAndRun()
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
