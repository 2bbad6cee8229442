package heap

import (
	"testing"

	"github.com/dop251/goja"
)

// TestMapPosition: a Map iterator's position, counted in live entries, is
// the same before and after entries are deleted around it, and a state
// rebuilt at that position returns what the original returns next.
func TestMapPosition(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, script string
		want         int
	}{
		{"fresh", `var m = new Map([[1, 1], [2, 2]]); var it = m.keys();`, 0},
		{"after two", `var m = new Map([[1, 1], [2, 2], [3, 3]]); var it = m.keys(); it.next(); it.next();`, 2},
		{"current deleted", `var m = new Map([[1, 1], [2, 2], [3, 3]]); var it = m.keys(); it.next(); it.next(); m.delete(2);`, 1},
		{"all before deleted", `var m = new Map([[1, 1], [2, 2], [3, 3]]); var it = m.keys(); it.next(); it.next(); m.delete(1); m.delete(2);`, 0},
		{"cleared", `var m = new Map([[1, 1], [2, 2]]); var it = m.keys(); it.next(); m.clear(); m.set(5, 5);`, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rt := goja.New()
			if _, err := rt.RunString(c.script); err != nil {
				t.Fatal(err)
			}
			it := rt.Get("it").(*goja.Object)
			mi := MapIterOf(it)
			if got := MapPosition(*mi.Iter()); got != c.want {
				t.Fatalf("position %d, want %d", got, c.want)
			}
			rebuilt, ok := NewMapIter(*(*mi.Iter()).M(), c.want)
			if !ok {
				t.Fatal("cannot rebuild at that position")
			}
			want, err := rt.RunString(`JSON.stringify([...it])`)
			if err != nil {
				t.Fatal(err)
			}
			*mi.Iter() = rebuilt
			*mi.Kind() = 0
			// The original ran out; the rebuilt state must yield what it did.
			got, err := rt.RunString(`JSON.stringify([...it])`)
			if err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Errorf("rebuilt iterator yields %s, the original %s", got, want)
			}
		})
	}
}

// TestForInKeysTwice: running a for-in loop dry replaces its next function;
// doing it again reads the replacement's keys without consuming them, and
// the loop then visits them, skipping the ones has refuses.
func TestForInKeysTwice(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatal(err)
	}
	rt := goja.New()
	v, err := rt.RunString(`function* g(o) { for (const k in o) yield k } var o = { a: 1, b: 2, c: 3, d: 4 }; var it = g(o); it.next(); it`)
	if err != nil {
		t.Fatal(err)
	}
	item := GeneratorOf(v.(*goja.Object)).Gen().Ctx().IterStack().At(0)
	has := func(o *goja.Object, k goja.Value) bool { return k.String() != "c" }
	for round := 0; round < 2; round++ {
		obj, keys, err := ForInKeys(item, has)
		if err != nil {
			t.Fatal(err)
		}
		if obj != rt.Get("o") || len(keys) != 3 || keys[0].String() != "b" || keys[2].String() != "d" {
			t.Fatalf("round %d: object %v, keys %v", round, obj, keys)
		}
	}
	got, err := rt.RunString(`[...it].join()`)
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != "b,d" {
		t.Errorf("the loop went on with %q, want b,d", got)
	}
}
