package image

import (
	"testing"

	"github.com/dop251/goja"
)

// TestObjTable stores numbers for many objects (made in runs, and between
// other allocations, as a world makes them), then reads, replaces and
// re-stores them, and looks up objects never stored.
func TestObjTable(t *testing.T) {
	rt := goja.New()
	for _, n := range []int{0, 1, 127, 128, 5000, 100000} {
		objs := make([]*goja.Object, n)
		var garbage [][]byte
		for i := range objs {
			objs[i] = rt.NewObject()
			if i%7 == 0 {
				garbage = append(garbage, make([]byte, 24*(i%5)))
			}
		}
		tab := newObjTable()
		for i, o := range objs {
			if i%2 == 0 {
				tab.set(o, uint32(i))
			} else if v, ok := tab.getOrPut(o, uint32(i)); ok || v != uint32(i) {
				t.Fatalf("n=%d: getOrPut of a new object %d gave %d, %v", n, i, v, ok)
			}
		}
		for i, o := range objs {
			if v, ok := tab.get(o); !ok || v != uint32(i) {
				t.Fatalf("n=%d: get %d gave %d, %v", n, i, v, ok)
			}
			if v, ok := tab.getOrPut(o, 7); !ok || v != uint32(i) {
				t.Fatalf("n=%d: getOrPut of a stored object %d gave %d, %v", n, i, v, ok)
			}
			tab.set(o, uint32(i)+1)
		}
		for i, o := range objs {
			if v, _ := tab.get(o); v != uint32(i)+1 {
				t.Fatalf("n=%d: after set, get %d gave %d", n, i, v)
			}
		}
		for i := 0; i < 1000; i++ {
			if _, ok := tab.get(rt.NewObject()); ok {
				t.Fatalf("n=%d: an object never stored was found", n)
			}
		}
		if tab.n != n {
			t.Fatalf("n=%d: table counts %d entries", n, tab.n)
		}
		// Dense: a chunk per several objects, not one per object. How
		// many share a chunk depends on the size of goja's objects and
		// what is allocated between them, which differ between gojas
		// (about 16 here with the pinned one, 12 with v0.0.0-20250630…).
		if c := tab.chunks(); n >= 5000 && c > n/8 {
			t.Errorf("n=%d: %d chunks of %d entries", n, c, len(objChunk{}))
		}
		_ = garbage
	}
}
