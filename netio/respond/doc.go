// Package respond is the auto-reply stage: rules that match a received message
// (exact, contains, prefix, regular expression, hex bytes) and the reply each
// sends, with the match's groups, a per-rule counter and the time filled in. A
// Responder is swapped atomically, so rules change while a session runs.
package respond
