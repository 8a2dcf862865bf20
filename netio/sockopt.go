package netio

// boolInt is a socket option's value for a switch: 1 on, 0 off.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
