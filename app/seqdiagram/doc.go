// Package seqdiagram draws a TCP connection's handshake, data and close as a
// sequence diagram: the client's and the server's lifelines, an arrow per
// segment (SYN, SYN-ACK, ACK; each write and read; FIN and ACK each way in
// the order this connection closed, or a reset), TIME_WAIT on the side that
// closed first, and beside the arrows the times the socket API measured —
// only those: a segment the system sent without telling the program has no
// time. Under the drawing, the facts: the connect time, the first byte, the
// close, and what the system's TCP_INFO reported (Linux), or why it could
// not.
//
// Diagrams are built from a TCP client session's events (Tracker) and from a
// web trace's steps (FromTrace); View draws one. Everything here runs on
// Fyne's goroutine.
package seqdiagram
