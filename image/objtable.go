package image

import (
	"unsafe"

	"github.com/dop251/goja"
)

// objTable maps goja objects to numbers (during a save, to their numbers in
// the image; in a load's graph check, to their states) by their addresses.
// Go's collector does not move objects, and no two *goja.Object share
// their bytes, so an object's address divided by the size of goja.Object
// is a number no other object has: the table is an array indexed by it, in
// chunks of consecutive numbers found through a small directory. Objects
// made together lie together in memory, so a walk that meets them in about
// the order they were made reads each chunk from one place, where a hash
// table (before 2026-12-02) read a random line of a table of tens of
// megabytes for every reference: that was 45% of a save of a million
// objects. The chunks hold no pointers (the collector skips them; the
// objects are kept alive by the caller's own list) and take about 4-5 bytes
// per object in a dense heap (the benchmarks' worlds), 7-30 in a world of
// lodash and a few scattered survivors of a larger data set; at worst,
// objects each alone in 768 bytes of memory, a chunk and its directory entry
// (about 150 bytes) per object, against the 180 (an empty object) to 500
// bytes (a few properties) goja itself spends on each. Every object the table holds must stay reachable from
// elsewhere for as long as the table is used.
type objTable struct {
	dir   map[uintptr]*objChunk
	lastK uintptr
	last  *objChunk
	slab  []objChunk
	n     int
}

const objChunkBits = 5

// objChunk holds the numbers of 32 consecutive addresses' objects, each
// plus one (0: none).
type objChunk [1 << objChunkBits]uint32

// objSize is the size of a goja.Object, the stride of the addresses.
const objSize = unsafe.Sizeof(goja.Object{})

func newObjTable() *objTable {
	return &objTable{dir: map[uintptr]*objChunk{}}
}

// slot returns where the number of o is kept, making its chunk if need be.
func (t *objTable) slot(o *goja.Object) *uint32 {
	a := uintptr(unsafe.Pointer(o)) / objSize
	k := a >> objChunkBits
	c := t.last
	if c == nil || k != t.lastK {
		c = t.dir[k]
		if c == nil {
			if len(t.slab) == 0 {
				// Chunks come in slabs: one allocation for many.
				t.slab = make([]objChunk, min(64, 1+len(t.dir)))
			}
			c = &t.slab[0]
			t.slab = t.slab[1:]
			t.dir[k] = c
		}
		t.last, t.lastK = c, k
	}
	return &c[a&(1<<objChunkBits-1)]
}

// get returns the number stored for o.
func (t *objTable) get(o *goja.Object) (uint32, bool) {
	a := uintptr(unsafe.Pointer(o)) / objSize
	k := a >> objChunkBits
	c := t.last
	if c == nil || k != t.lastK {
		if c = t.dir[k]; c == nil {
			return 0, false
		}
	}
	v := c[a&(1<<objChunkBits-1)]
	return v - 1, v != 0
}

// getOrPut returns the number stored for o and true; or, when o is not in
// the table, stores v for it and returns v and false.
func (t *objTable) getOrPut(o *goja.Object, v uint32) (uint32, bool) {
	s := t.slot(o)
	if *s != 0 {
		return *s - 1, true
	}
	*s = v + 1
	t.n++
	return v, false
}

// set stores v for o, replacing the number stored before, if any.
func (t *objTable) set(o *goja.Object, v uint32) {
	s := t.slot(o)
	if *s == 0 {
		t.n++
	}
	*s = v + 1
}

// chunks returns how many chunks the table holds, for tests and measures.
func (t *objTable) chunks() int { return len(t.dir) }
