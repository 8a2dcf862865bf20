// Package hostport reads the addresses and ports people type ("host:port",
// "[v6]:port", ":port") and says what is wrong with one that cannot be used.
package hostport
