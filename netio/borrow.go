package netio

// Borrower is a sink that is done with every event when its Emit returns: it
// keeps neither the event nor its Data, its Text, nor anything sliced from
// them, and hands them on only to sinks that borrow too. An endpoint whose sink
// borrows may lend it a received event's bytes in its read buffer, which the
// next read overwrites, instead of a copy of its own: for a receiver that
// counts or logs a fast stream that copy was most of its work. A sink that is
// not a Borrower gets events that are values, as always.
type Borrower interface {
	Sink
	BorrowsData() bool
}

// Borrows reports whether s is done with each event when Emit returns: a nil
// sink (it keeps nothing) or a Borrower that says so.
func Borrows(s Sink) bool {
	if s == nil {
		return true
	}
	b, ok := s.(Borrower)
	return ok && b.BorrowsData()
}

// BorrowsData: a Tee borrows when every sink in it does.
func (m multiSink) BorrowsData() bool {
	for _, s := range m {
		if !Borrows(s) {
			return false
		}
	}
	return true
}

// BorrowsData: the check reads the message during Emit and keeps nothing.
func (s *checkSink) BorrowsData() bool { return Borrows(s.next) }
