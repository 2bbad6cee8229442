package heap

import (
	"fmt"
	"testing"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/internal/benchcpu"
)

// TestCollectionHashesOnThisGoja: the probe finds goja's hashes of
// strings and numbers as Collections computes them (and, in the goja
// versions that hash objects by address, of objects), so loads fill Maps
// and Sets directly; a goja upgrade that turns this off fails here.
func TestCollectionHashesOnThisGoja(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatal(err)
	}
	NewCollections()
	if !hashes.ok {
		t.Fatalf("the probe of goja's key hashes failed: %s", hashes.why)
	}
	rt := goja.New()
	o := rt.NewObject()
	// goja hashes objects by their address since v0.0.0-20260901 (by a
	// number it gives each object before).
	want := GojaVersion() >= "v0.0.0-20260901"
	if _, fast := hashes.hash(o, nil); fast != want {
		t.Errorf("goja %s: objects hashed by address: %v, want %v", GojaVersion(), fast, want)
	}
}

// collectionProbe reads a Map or a Set through everything JavaScript can
// do with one, changing it as it goes; what it prints tells two
// collections apart.
const collectionProbe = `(function (c, absent) {
	var out = [], isMap = c instanceof Map;
	var show = (x) => typeof x === "object" && x !== null ? "obj" + (x.n === undefined ? "" : x.n) : typeof x === "symbol" ? x.toString() : Object.is(x, -0) ? "-0" : String(x);
	var dump = () => { var s = []; c.forEach((v, k) => s.push(show(k) + "=" + show(v))); out.push(c.size + ":" + s.join(",")) };
	dump();
	var keys = [...c.keys()];
	for (var k of keys.concat(absent)) out.push(show(k) + (c.has(k) ? "+" : "-") + (isMap ? show(c.get(k)) : ""));
	var it = c.entries(); it.next();
	for (var i = 0; i < keys.length; i += 2) out.push(c.delete(keys[i]));
	out.push(JSON.stringify([...it].map((e) => e.map(show))));
	dump();
	for (var k of keys.slice(0, 3).concat(absent)) isMap ? c.set(k, "again") : c.add(k);
	dump();
	for (var k of keys.concat(absent)) out.push(show(k) + (c.has(k) ? "+" : "-"));
	c.clear(); dump();
	isMap ? c.set("after", 1) : c.add("after"); dump();
	return out.join("\n");
})`

// TestCollectionsFill: a Map or a Set filled by Collections behaves as
// one filled through set with the same entries in the same order, for
// keys of every kind (those Collections hashes itself and those it
// leaves to set), repeated keys (the first place, the last value) and
// collections larger than a batch of entries.
func TestCollectionsFill(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatal(err)
	}
	many := "(() => { var a = []; for (var i = 0; i < 300; i++) a.push(i % 3 ? 'k' + i : i * 1.5); return a })()"
	cases := []struct {
		name, keys    string
		fast, objects bool // filled without set (if objects are hashed by address); keys include objects
	}{
		{"strings", `["a", "b", "", "acct1", "a longer key of several words"]`, true, false},
		{"integers", `[0, 1, -1, 255, 256, 300, -300, 2 ** 40, Number.MAX_SAFE_INTEGER]`, true, false},
		{"floats", `[0.5, -0.25, 1e300, -1e-300, 2 ** 60, Infinity, -Infinity, NaN]`, true, false},
		{"objects", `[{n: 1}, {n: 2}, [], {n: 3}]`, true, true},
		{"mixed", `["1", 1, 1.5, "1.5", {n: 1}, "obj1"]`, true, true},
		{"repeated", `["a", 1, "b", "a", 1, {n: 0}, "b", 2.5, 2.5]`, true, true},
		{"more than a batch", many, true, false},
		{"negative zero", `[1, -0, "x"]`, false, false},
		{"symbols", `["a", Symbol("s"), Symbol.iterator]`, false, false},
		{"booleans and null", `[true, false, null, undefined, "a"]`, false, false},
		{"other characters", `["a", "é", "😀", "\ud800"]`, false, false},
		{"big integers", `["a", 1n, 2n ** 70n]`, false, false},
	}
	for _, c := range cases {
		for _, kind := range []string{"Map", "Set"} {
			t.Run(c.name+"/"+kind, func(t *testing.T) {
				rt := goja.New()
				keys, err := rt.RunString(c.keys)
				if err != nil {
					t.Fatal(err)
				}
				var ks, vs []goja.Value
				arr := keys.(*goja.Object)
				n := int(arr.Get("length").ToInteger())
				for i := 0; i < n; i++ {
					ks = append(ks, arr.Get(fmt.Sprint(i)))
					vs = append(vs, rt.ToValue(fmt.Sprintf("v%d", i)))
				}
				if kind == "Set" {
					vs = nil
				}
				ctor := rt.Get(kind).(*goja.Object)
				viaSet, _ := rt.New(ctor)
				filled, _ := rt.New(ctor)
				method := "set"
				if kind == "Set" {
					method = "add"
				}
				add, _ := goja.AssertFunction(ctor.Get("prototype").(*goja.Object).Get(method))
				setter := func(o *goja.Object, calls *int) func(k, v goja.Value) error {
					return func(k, v goja.Value) error {
						*calls++
						_, err := add(o, k, v)
						return err
					}
				}
				var viaCalls, fillCalls int
				if err := (&Collections{kh: &keyHashes{}}).Fill(viaSet, ks, vs, setter(viaSet, &viaCalls)); err != nil {
					t.Fatal(err)
				}
				if err := NewCollections().Fill(filled, ks, vs, setter(filled, &fillCalls)); err != nil {
					t.Fatal(err)
				}
				if viaCalls != n {
					t.Fatalf("filling through set called it %d times for %d entries", viaCalls, n)
				}
				wantFast := c.fast && (hashes.objByAddress || !c.objects)
				if fast := fillCalls == 0; fast != wantFast {
					t.Errorf("filled without set: %v, want %v (%d calls)", fast, wantFast, fillCalls)
				}
				probe, err := rt.RunString(collectionProbe)
				if err != nil {
					t.Fatal(err)
				}
				fn, _ := goja.AssertFunction(probe)
				absent, _ := rt.RunString(`["zz", 12345, 0.125, {}, -0]`)
				want, err := fn(goja.Undefined(), viaSet, absent)
				if err != nil {
					t.Fatal(err)
				}
				got, err := fn(goja.Undefined(), filled, absent)
				if err != nil {
					t.Fatal(err)
				}
				if got.String() != want.String() {
					t.Errorf("filled directly:\n%s\nthrough set:\n%s", got, want)
				}
			})
		}
	}
}

// BenchmarkFillMap fills a Map of 100,000 entries keyed by strings, as a
// load of Instances100k does: through Map.prototype.set, as loads did
// before Collections, and directly.
func BenchmarkFillMap(b *testing.B) {
	if err := Check(); err != nil {
		b.Fatal(err)
	}
	rt := goja.New()
	const n = 100000
	keys, vals := make([]goja.Value, n), make([]goja.Value, n)
	for i := range keys {
		keys[i], vals[i] = NewStrings(rt).Value(fmt.Sprintf("acct%d", i)), rt.NewObject()
	}
	ctor := rt.Get("Map").(*goja.Object)
	set, _ := goja.AssertFunction(ctor.Get("prototype").(*goja.Object).Get("set"))
	for _, c := range []struct {
		name string
		kh   *keyHashes
	}{{"set", &keyHashes{}}, {"direct", nil}} {
		b.Run(c.name, func(b *testing.B) {
			cpu := benchcpu.Start(b)
			for i := 0; i < b.N; i++ {
				m, _ := rt.New(ctor)
				f := NewCollections()
				if c.kh != nil {
					f.kh = c.kh
				}
				if err := f.Fill(m, keys, vals, func(k, v goja.Value) error { _, err := set(m, k, v); return err }); err != nil {
					b.Fatal(err)
				}
			}
			cpu.Stop(b)
		})
	}
}
