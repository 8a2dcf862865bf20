package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/charset"
)

// infoFlags parses the flags of the listing commands, which only take --json.
func infoFlags(path string, e *env, args []string) (asJSON bool, err error) {
	fs := newFlagSet(path)
	fs.BoolVar(&asJSON, "json", false, "one JSON object per line")
	pos, err := parseArgs(fs, args, e)
	if err != nil {
		return false, err
	}
	if len(pos) > 0 {
		return false, usageErr("unexpected argument %q", pos[0])
	}
	return asJSON, nil
}

// charsetJSON is one line of `charsets --json`.
type charsetJSON struct {
	Name    string   `json:"name"`
	Aliases []string `json:"aliases"`
}

func runCharsets(_ context.Context, e *env, args []string) error {
	asJSON, err := infoFlags("charsets", e, args)
	if err != nil {
		return err
	}
	all := charset.All()
	width := 0
	for _, cs := range all {
		width = max(width, len(cs.Name()))
	}
	w := bufio.NewWriter(e.stdout)
	for _, cs := range all {
		aliases := cs.Aliases()
		if asJSON {
			if aliases == nil {
				aliases = []string{} // [] rather than null: a list, even when empty
			}
			b, _ := json.Marshal(charsetJSON{Name: cs.Name(), Aliases: aliases})
			w.Write(append(b, '\n'))
			continue
		}
		line := cs.Name()
		if len(aliases) > 0 {
			line = fmt.Sprintf("%-*s  %s", width, cs.Name(), strings.Join(aliases, ", "))
		}
		fmt.Fprintln(w, line)
	}
	if err := w.Flush(); err != nil {
		return failure("writing output: %s", err)
	}
	return nil
}

// interfaceJSON is one line of `interfaces --json`.
type interfaceJSON struct {
	Name       string   `json:"name"`
	Up         bool     `json:"up"`
	Loopback   bool     `json:"loopback"`
	Addrs      []string `json:"addrs"`
	Broadcasts []string `json:"broadcasts"`
}

func runInterfaces(_ context.Context, e *env, args []string) error {
	asJSON, err := infoFlags("interfaces", e, args)
	if err != nil {
		return err
	}
	ifs, err := netio.Interfaces()
	if err != nil {
		return failure("listing interfaces: %s", errText(err))
	}
	w := bufio.NewWriter(e.stdout)
	for _, ifc := range ifs {
		if asJSON {
			b, _ := json.Marshal(interfaceJSON{
				Name: ifc.Name, Up: ifc.Up, Loopback: ifc.Loopback,
				Addrs: orEmpty(ifc.Addrs), Broadcasts: orEmpty(ifc.Broadcasts),
			})
			w.Write(append(b, '\n'))
			continue
		}
		var flags []string
		if ifc.Up {
			flags = append(flags, "up")
		} else {
			flags = append(flags, "down")
		}
		if ifc.Loopback {
			flags = append(flags, "loopback")
		}
		// Interface names come from the system, but keep them one line regardless.
		fmt.Fprintf(w, "%s (%s)\n", charset.DisplayText(ifc.Name), strings.Join(flags, ", "))
		for _, a := range ifc.Addrs {
			fmt.Fprintf(w, "  address    %s\n", a)
		}
		for _, b := range ifc.Broadcasts {
			fmt.Fprintf(w, "  broadcast  %s\n", b)
		}
	}
	if err := w.Flush(); err != nil {
		return failure("writing output: %s", err)
	}
	return nil
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
