// Package eventlog writes events down: one readable line per event (FormatLine,
// AppendLine) or one JSON object (JSON), log files that record every event and
// never block a socket on the disk for long, and the sink that saves the raw
// bytes received to a file.
package eventlog
