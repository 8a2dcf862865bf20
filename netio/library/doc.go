// Package library is the message library: named messages a user keeps,
// sends with one click or one flag, and shares. A message is a payload in a
// mode (text, escapes, hex) with optional charset, checksum, destination,
// protocol and repeat interval, a group and a note. The library is an ordered
// list (the order of the buttons) kept in one versioned JSON file, described
// in docs/library-format.md, read strictly (every error names the file and
// the JSON path of the bad field) and written atomically with a backup.
//
// Import merges messages from another library file or from Packet Sender's
// JSON export by name. PlanImport lists the clashes first; the caller decides
// each (the app asks per clash, the command line applies one --on-clash
// policy to all) and Import applies the plan.
//
// Names are unique in a library regardless of case ("Ping" and "ping" are the
// same message), and Find matches them so. Charset and checksum names are
// checked by a Checker the caller passes, so the package does not depend on
// the packages that know them. A Library is not safe for concurrent use: the
// app keeps one and changes it on its UI goroutine.
package library
