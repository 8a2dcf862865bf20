package netio

// Direction says which way a relay's bytes went. On a relay's closed event it
// names the stream that ended first, and so the side that closed first.
type Direction int

const (
	DirNone     Direction = iota // not a relay event
	DirToTarget                  // from the client, passed on to the target
	DirToClient                  // from the target, passed on to the client
)

// String is the direction's name in JSON: "to-target", "to-client" or "".
func (d Direction) String() string {
	switch d {
	case DirToTarget:
		return "to-target"
	case DirToClient:
		return "to-client"
	}
	return ""
}
