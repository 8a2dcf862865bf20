// Package anatomy is the app's packet anatomy: one sent or received message
// drawn as the frames that carried it (netio/packet). For each layer —
// Ethernet, IPv4 or IPv6, UDP or TCP, the application's bytes — a sentence on
// what the layer does, in the UI language, and its header field by field,
// each marked with where its value came from: read from the system, given by
// the socket API, computed from other fields, or reconstructed. Under them, a
// hex map of the whole frame with every byte coloured by its layer, and a
// legend.
//
// The engine's sentences are English formats with arguments
// (packet.Sentence); the tables in words.go mirror every format the engine
// has (packet.Formats, layers.NoteFormats) as literal keys for the
// translation catalogue, and a test keeps them complete.
//
// Everything here runs on Fyne's goroutine.
package anatomy
