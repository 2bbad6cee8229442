package image

import (
	"testing"
	"unsafe"
)

// TestPtrTable stores numbers for many pointers (so that the table grows
// several times), then reads, replaces and re-stores them.
func TestPtrTable(t *testing.T) {
	for _, n := range []int{0, 1, 511, 512, 5000, 100000} {
		objs := make([]int64, n)
		ptr := func(i int) unsafe.Pointer { return unsafe.Pointer(&objs[i]) }
		tab := newPtrTable(0)
		for i := range objs {
			if i%2 == 0 {
				tab.put(ptr(i), uint32(i))
			} else if v, ok := tab.getOrPut(ptr(i), uint32(i)); ok || v != uint32(i) {
				t.Fatalf("n=%d: getOrPut of a new key %d gave %d, %v", n, i, v, ok)
			}
		}
		for i := range objs {
			if v, ok := tab.get(ptr(i)); !ok || v != uint32(i) {
				t.Fatalf("n=%d: get %d gave %d, %v", n, i, v, ok)
			}
			if v, ok := tab.getOrPut(ptr(i), 7); !ok || v != uint32(i) {
				t.Fatalf("n=%d: getOrPut of a stored key %d gave %d, %v", n, i, v, ok)
			}
			tab.set(ptr(i), uint32(i)+1)
		}
		for i := range objs {
			if v, _ := tab.get(ptr(i)); v != uint32(i)+1 {
				t.Fatalf("n=%d: after set, get %d gave %d", n, i, v)
			}
		}
		var other int64
		if _, ok := tab.get(unsafe.Pointer(&other)); ok {
			t.Fatalf("n=%d: a pointer never stored was found", n)
		}
		if tab.n != n {
			t.Fatalf("n=%d: table counts %d entries", n, tab.n)
		}
	}
}
