// Cliprof is sockdesk's command line with a CPU profile: the same cli.Run as the
// real program (without the desktop app, which only costs start-up), writing a
// pprof profile to $PROF when the command ends. Use it to see what limits a
// benchmark case, e.g.
//
//	go build -o /tmp/cliprof ./bench/cliprof
//	PROF=/tmp/serve.prof /tmp/cliprof tcp serve --port 9000 --log /tmp/x.log
//	go tool pprof -top /tmp/cliprof /tmp/serve.prof
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"

	"github.com/sockdesk/sockdesk/cli"
)

func main() {
	path := os.Getenv("PROF")
	if path == "" {
		fmt.Fprintln(os.Stderr, "cliprof: set PROF to the profile file to write")
		os.Exit(2)
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cliprof:", err)
		os.Exit(2)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintln(os.Stderr, "cliprof:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	pprof.StopCPUProfile()
	f.Close()
	os.Exit(code)
}
