//go:build ignore

// pecheck fails unless FILE is a 64-bit Windows executable (PE32+, AMD64) of the
// given subsystem with a resource section (where the icon and version metadata live):
// gui for a program that opens no console window (sockdesk.exe), console for one
// that cmd.exe and PowerShell wait for and print (sockdesk-cli.exe).
//
//	go run scripts/pecheck.go gui|console FILE.exe
package main

import (
	"debug/pe"
	"fmt"
	"os"
)

var subsystems = map[string]uint16{
	"gui":     pe.IMAGE_SUBSYSTEM_WINDOWS_GUI,
	"console": pe.IMAGE_SUBSYSTEM_WINDOWS_CUI,
}

var subsystemNames = map[uint16]string{
	pe.IMAGE_SUBSYSTEM_WINDOWS_GUI: "Windows GUI (no console)",
	pe.IMAGE_SUBSYSTEM_WINDOWS_CUI: "Windows console",
}

func main() {
	want, ok := uint16(0), false
	if len(os.Args) == 3 {
		want, ok = subsystems[os.Args[1]]
	}
	if !ok {
		fmt.Fprintln(os.Stderr, "usage: go run scripts/pecheck.go gui|console FILE.exe")
		os.Exit(2)
	}
	path := os.Args[2]
	f, err := pe.Open(path)
	if err != nil {
		fail(path, err.Error())
	}
	defer f.Close()
	oh, ok := f.OptionalHeader.(*pe.OptionalHeader64)
	if !ok {
		fail(path, "not PE32+ (64-bit)")
	}
	if f.Machine != pe.IMAGE_FILE_MACHINE_AMD64 {
		fail(path, fmt.Sprintf("machine %#x, want AMD64", f.Machine))
	}
	if oh.Subsystem != want {
		fail(path, fmt.Sprintf("subsystem %d (%s), want %d (%s)", oh.Subsystem, name(oh.Subsystem), want, name(want)))
	}
	if f.Section(".rsrc") == nil {
		fail(path, "no .rsrc section: icon and version metadata are missing")
	}
	fmt.Printf("pecheck: %s is PE32+ AMD64, %s, with resources\n", path, name(want))
}

func name(subsystem uint16) string {
	if n, ok := subsystemNames[subsystem]; ok {
		return n
	}
	return "other"
}

func fail(path, msg string) {
	fmt.Fprintln(os.Stderr, "pecheck:", path+":", msg)
	os.Exit(1)
}
