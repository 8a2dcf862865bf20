// Tcpecho is the baseline TCP server for the scale case: accept loop, one
// goroutine per client reading into its own 16 KiB buffer (sockdesk's per-client
// read size) and writing back what it read. It prints {"port":N} and serves until
// interrupted.
package main

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/signal"
)

func main() {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "tcpecho:", err)
		os.Exit(1)
	}
	json.NewEncoder(os.Stdout).Encode(map[string]int{"port": ln.Addr().(*net.TCPAddr).Port})
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt)
	go func() {
		<-stop
		os.Exit(0)
	}()
	for {
		c, err := ln.Accept()
		if err != nil {
			continue
		}
		go func() {
			defer c.Close()
			buf := make([]byte, 16<<10)
			for {
				n, err := c.Read(buf)
				if n > 0 {
					if _, werr := c.Write(buf[:n]); werr != nil {
						return
					}
				}
				if err != nil {
					return
				}
			}
		}()
	}
}
