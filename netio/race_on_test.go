//go:build race

package netio

// raceEnabled: the race detector makes sync.Pool drop what is put in it, so
// allocation counts do not hold.
const raceEnabled = true
