package image

import "unsafe"

// ptrTable maps pointers to numbers (the built-ins' set, which the walk
// tests every object against). It is an open-addressing hash table with
// linear probing, about twice as fast as a Go map for it. (The walk's own
// object table is an objTable, indexed by address.) A key
// and its number sit side by side, so that a lookup touches one cache line.
type ptrTable struct {
	slots []ptrSlot
	n     int
	mask  uintptr
}

type ptrSlot struct {
	key unsafe.Pointer
	val uint32
}

func newPtrTable(size int) *ptrTable {
	c := 1024
	for c < size*2 {
		c <<= 1
	}
	return &ptrTable{slots: make([]ptrSlot, c), mask: uintptr(c - 1)}
}

func hashPtr(p unsafe.Pointer) uintptr {
	h := uint64(uintptr(p)) >> 3
	h *= 0x9E3779B97F4A7C15
	return uintptr(h >> 32)
}

// get returns the number stored for p.
func (t *ptrTable) get(p unsafe.Pointer) (uint32, bool) {
	for i := hashPtr(p) & t.mask; ; i = (i + 1) & t.mask {
		s := &t.slots[i]
		if s.key == p {
			return s.val, true
		}
		if s.key == nil {
			return 0, false
		}
	}
}

// getOrPut returns the number stored for p and true; or, when p is not in
// the table, stores v for it and returns v and false. It probes once where
// a get and a put would probe twice.
func (t *ptrTable) getOrPut(p unsafe.Pointer, v uint32) (uint32, bool) {
	for i := hashPtr(p) & t.mask; ; i = (i + 1) & t.mask {
		s := &t.slots[i]
		if s.key == p {
			return s.val, true
		}
		if s.key == nil {
			if (t.n+1)*2 > len(t.slots) {
				t.grow()
				t.put(p, v)
				return v, false
			}
			s.key, s.val = p, v
			t.n++
			return v, false
		}
	}
}

// put stores v for p, which must not be in the table yet.
func (t *ptrTable) put(p unsafe.Pointer, v uint32) {
	if (t.n+1)*2 > len(t.slots) {
		t.grow()
	}
	i := hashPtr(p) & t.mask
	for t.slots[i].key != nil {
		i = (i + 1) & t.mask
	}
	t.slots[i] = ptrSlot{p, v}
	t.n++
}

// grow doubles the table.
func (t *ptrTable) grow() {
	old := t.slots
	c := len(old) * 2
	t.slots = make([]ptrSlot, c)
	t.mask = uintptr(c - 1)
	t.n = 0
	for _, s := range old {
		if s.key != nil {
			t.put(s.key, s.val)
		}
	}
}

// set stores v for p, replacing the number stored before, if any.
func (t *ptrTable) set(p unsafe.Pointer, v uint32) {
	for i := hashPtr(p) & t.mask; ; i = (i + 1) & t.mask {
		s := &t.slots[i]
		if s.key == p {
			s.val = v
			return
		}
		if s.key == nil {
			t.put(p, v)
			return
		}
	}
}
