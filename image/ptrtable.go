package image

import "unsafe"

// ptrTable maps object pointers to numbers (during a save, to their
// numbers in the image; in a load's graph check, to their states). It is an
// open-addressing hash table with linear probing: the walk looks every
// reference up, and this is about twice as fast as a Go map for it.
type ptrTable struct {
	keys []unsafe.Pointer
	vals []uint32
	n    int
	mask uintptr
}

func newPtrTable(size int) *ptrTable {
	c := 1024
	for c < size*2 {
		c <<= 1
	}
	return &ptrTable{keys: make([]unsafe.Pointer, c), vals: make([]uint32, c), mask: uintptr(c - 1)}
}

func hashPtr(p unsafe.Pointer) uintptr {
	h := uint64(uintptr(p)) >> 3
	h *= 0x9E3779B97F4A7C15
	return uintptr(h >> 32)
}

// get returns the number stored for p.
func (t *ptrTable) get(p unsafe.Pointer) (uint32, bool) {
	for i := hashPtr(p) & t.mask; ; i = (i + 1) & t.mask {
		k := t.keys[i]
		if k == p {
			return t.vals[i], true
		}
		if k == nil {
			return 0, false
		}
	}
}

// put stores v for p, which must not be in the table yet.
func (t *ptrTable) put(p unsafe.Pointer, v uint32) {
	if (t.n+1)*2 > len(t.keys) {
		t.grow()
	}
	i := hashPtr(p) & t.mask
	for t.keys[i] != nil {
		i = (i + 1) & t.mask
	}
	t.keys[i], t.vals[i] = p, v
	t.n++
}

func (t *ptrTable) grow() {
	old, oldVals := t.keys, t.vals
	t.keys = make([]unsafe.Pointer, len(old)*2)
	t.vals = make([]uint32, len(old)*2)
	t.mask = uintptr(len(t.keys) - 1)
	t.n = 0
	for i, k := range old {
		if k != nil {
			t.put(k, oldVals[i])
		}
	}
}

// set stores v for p, replacing the number stored before, if any.
func (t *ptrTable) set(p unsafe.Pointer, v uint32) {
	for i := hashPtr(p) & t.mask; ; i = (i + 1) & t.mask {
		k := t.keys[i]
		if k == p {
			t.vals[i] = v
			return
		}
		if k == nil {
			t.put(p, v)
			return
		}
	}
}
