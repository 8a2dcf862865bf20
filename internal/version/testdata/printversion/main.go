// printversion prints version.Get(); version_test builds it with -ldflags -X.
package main

import (
	"fmt"

	"github.com/sockdesk/sockdesk/internal/version"
)

func main() {
	i := version.Get()
	fmt.Printf("%s|%s|%s\n", i.Version, i.Commit, i.Date)
	fmt.Println(i)
}
