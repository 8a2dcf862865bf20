//go:build ignore

// pecheck fails unless FILE is a 64-bit Windows GUI executable (PE32+, AMD64) with a
// resource section (where the icon and version metadata live).
//
//	go run scripts/pecheck.go FILE.exe
package main

import (
	"debug/pe"
	"fmt"
	"os"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run scripts/pecheck.go FILE.exe")
		os.Exit(2)
	}
	f, err := pe.Open(os.Args[1])
	if err != nil {
		fail(err.Error())
	}
	defer f.Close()
	oh, ok := f.OptionalHeader.(*pe.OptionalHeader64)
	if !ok {
		fail("not PE32+ (64-bit)")
	}
	if f.Machine != pe.IMAGE_FILE_MACHINE_AMD64 {
		fail(fmt.Sprintf("machine %#x, want AMD64", f.Machine))
	}
	if oh.Subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_GUI {
		fail(fmt.Sprintf("subsystem %d, want Windows GUI (no console window)", oh.Subsystem))
	}
	if f.Section(".rsrc") == nil {
		fail("no .rsrc section: icon and version metadata are missing")
	}
	fmt.Printf("pecheck: %s is PE32+ AMD64, Windows GUI, with resources\n", os.Args[1])
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "pecheck:", os.Args[1]+":", msg)
	os.Exit(1)
}
