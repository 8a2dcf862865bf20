// Package known checks a message library's charset and checksum names
// against the ones Sockdesk knows (netio/charset, netio/checksum). It is the
// library.Checker the command line and the app both load libraries with; it
// lives apart from package library so that the library stays a leaf.
package known

import (
	"fmt"

	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/checksum"
	"github.com/sockdesk/sockdesk/netio/library"
)

// Names is a library.Checker: nil for a charset or checksum name (or alias)
// Sockdesk knows, else the registry's error, which lists the known names.
func Names(kind, name string) error {
	switch kind {
	case library.KindCharset:
		_, err := charset.Lookup(name)
		return err
	case library.KindChecksum:
		_, _, err := checksum.Lookup(name)
		return err
	}
	return fmt.Errorf("no names of kind %q", kind)
}

var _ library.Checker = Names
