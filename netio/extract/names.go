package extract

import (
	"strings"
	"sync"
	"sync/atomic"
)

// maxNameLen bounds a name taken from a message (a key, a JSON path): longer
// ones are not names but noise, and give no value.
const maxNameLen = 128

// maxInterned bounds the names a Set remembers, so a peer that sends ever new
// keys costs an allocation per value rather than unbounded memory.
const maxInterned = 4096

// names interns value names built from messages. Lookups, which is what a steady
// stream does, take no lock: the map is copied on the rare insert and swapped in.
type names struct {
	m  atomic.Pointer[map[string]string]
	mu sync.Mutex // serialises inserts
}

// intern returns b as a string, the same string for the same bytes.
func (n *names) intern(b []byte) string {
	if m := n.m.Load(); m != nil {
		if s, ok := (*m)[string(b)]; ok {
			return s
		}
	}
	return n.insert(string(b))
}

// internString is intern for a piece of a message: the result never shares the
// message's memory.
func (n *names) internString(s string) string {
	if m := n.m.Load(); m != nil {
		if known, ok := (*m)[s]; ok {
			return known
		}
	}
	return n.insert(strings.Clone(s))
}

// insert remembers s, a string of its own, unless the table is full.
func (n *names) insert(s string) string {
	n.mu.Lock()
	defer n.mu.Unlock()
	old := n.m.Load()
	if old != nil {
		if known, ok := (*old)[s]; ok {
			return known
		}
		if len(*old) >= maxInterned {
			return s
		}
	}
	m := make(map[string]string, 1+lenOf(old))
	if old != nil {
		for k, v := range *old {
			m[k] = v
		}
	}
	m[s] = s
	n.m.Store(&m)
	return s
}

func lenOf(m *map[string]string) int {
	if m == nil {
		return 0
	}
	return len(*m)
}
