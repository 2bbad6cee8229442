package image

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/stasisvm/stasis/image/imagetest"
	"github.com/stasisvm/stasis/vm"
)

// The impossible internal states of issue 13, made by code: a real world is
// saved, one record of its payload is changed as a crafted file would
// change it, and the image (with valid checksums) must be refused with one
// line that says what is wrong, instead of loading and failing later inside
// goja.

// craft saves the world src builds, lets mutate change its payload, and
// loads the result.
func craft(t *testing.T, src string, mutate func(p *payload)) error {
	t.Helper()
	img := imagetest.Rewrite(t, savedImage(t, src), mutate)
	v, _, err := Load(bytes.NewReader(img), LoadOptions{VM: vm.Options{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}}})
	if err == nil && v == nil {
		t.Fatal("no world and no error")
	}
	return err
}

func TestLoadRefusesImpossibleStates(t *testing.T) {
	const generator = `function* g(a) { var t = a; try { yield t; yield t + 1 } finally { t = 0 } }; var it = g(1); it.next();`
	// Generator record: state, script, index, stash, privenv, newTarget,
	// result, pc, sb, args, stack count, stack..., try count, try frames.
	const pc = 7
	cases := []struct {
		name, src string
		mutate    func(t *testing.T, p *payload)
		want      string
	}{
		{"arguments of length 2^40", `var a = (function () { return arguments })(1, 2);`,
			func(t *testing.T, p *payload) { imagetest.Extra(t, p, okArguments)[0] = 1 << 40 },
			"arguments object of length 1099511627776"},
		{"a frame past the end of its program", generator,
			func(t *testing.T, p *payload) { imagetest.Extra(t, p, okGenerator)[pc] = zigzag(1 << 20) },
			"a frame cannot continue at 1048576 in a program of"},
		{"a frame at a negative pc", generator,
			func(t *testing.T, p *payload) { imagetest.Extra(t, p, okGenerator)[pc] = zigzag(-5) },
			"a frame cannot continue at -5"},
		{"a frame in the middle of an instruction run", generator,
			func(t *testing.T, p *payload) { imagetest.Extra(t, p, okGenerator)[pc] -= 2 },
			"a frame cannot continue at"},
		{"a try frame below its stack", generator,
			func(t *testing.T, p *payload) {
				ext := imagetest.Extra(t, p, okGenerator)
				n := ext[10]
				// try count, then callStackLen, iterLen, refLen, sp, ...
				ext[11+n+1+3] = zigzag(-100000)
			},
			"a try frame's stack pointer -100000 is outside its stack"},
		{"a frame with more arguments than stack", generator,
			func(t *testing.T, p *payload) { imagetest.Extra(t, p, okGenerator)[9] = zigzag(1000) },
			"a frame of 1000 arguments on a stack of"},
		{"a scope with a value dropped", `var f = (function () { var a = 1, b = 2; return function () { return a + b } })();`,
			func(t *testing.T, p *payload) {
				for i, rec := range p.Stashes {
					if n := rec[3]; n == 2 {
						p.Stashes[i] = append(append(append([]uint64{}, rec[:3]...), 1, rec[4]), rec[6:]...)
						return
					}
				}
				t.Fatal("no scope of two values")
			},
			"scope 0 of its chain has 1 slots; its code makes it with 2"},
		{"a Map entry without a key", `var m = new Map([[1, 2]]);`,
			func(t *testing.T, p *payload) { imagetest.Extra(t, p, okMap)[1] = codeNone },
			"an entry's key is missing"},
		{"a Map entry without a value", `var m = new Map([[1, 2]]);`,
			func(t *testing.T, p *payload) { imagetest.Extra(t, p, okMap)[2] = codeNone },
			"an entry's value is missing"},
		{"a Set entry that is a hole", `var s = new Set([1]);`,
			func(t *testing.T, p *payload) { imagetest.Extra(t, p, okSet)[1] = codeNone },
			"an entry's key is missing"},
		{"private fields dropped", `class A { #x = 1; #y = 2; sum() { return this.#x + this.#y } }; var a = new A();`,
			func(t *testing.T, p *payload) {
				// per object: count, then brand, method table+1, field count, fields...
				pr := p.Objects.Private
				pr[3] = 1
				p.Objects.Private = append(pr[:5], pr[6:]...)
			},
			"private elements of 1 fields and 0 methods for a class that declares 2 and 0"},
		{"a prototype cycle through a proxy", `var o = {}; var p = new Proxy(o, {});`,
			func(t *testing.T, p *payload) {
				// Make o's prototype the proxy whose target is o.
				proxy := -1
				for i, kb := range p.Objects.Kinds {
					if objKind(kb) == okProxy {
						proxy = i
					}
				}
				target := imagetest.Extra(t, p, okProxy)[0]
				j := 0
				for i, kb := range p.Objects.Kinds {
					if !objKind(kb).HasProperties() {
						continue
					}
					if code(tagObject, uint64(i)) == target {
						p.Objects.Proto[j] = code(tagObject, uint64(proxy))
					}
					j++
				}
			},
			"a prototype chain is a cycle"},
		// Objects whose prototypes are objects of the image, not
		// built-ins: the graph check starts from them alone.
		{"a prototype cycle of two objects", `var a = { keyA: 1 }; var b = Object.create(a); b.keyB = 2;`,
			func(t *testing.T, p *payload) {
				a, b := withKey(t, p, "keyA"), withKey(t, p, "keyB")
				// b's prototype is a; a's becomes b.
				if p.Objects.Proto[b] != code(tagObject, uint64(nonIntrinsic(t, p, a))) {
					t.Fatal("b's prototype is not a")
				}
				p.Objects.Proto[a] = code(tagObject, uint64(nonIntrinsic(t, p, b)))
			},
			"a prototype chain is a cycle"},
		{"an object its own prototype", `var a = { keyA: 1 };`,
			func(t *testing.T, p *payload) {
				a := withKey(t, p, "keyA")
				p.Objects.Proto[a] = code(tagObject, uint64(nonIntrinsic(t, p, a)))
			},
			"a prototype chain is a cycle"},
		// A shape is checked once for keys it repeats, pair by pair if it
		// has few and against a set if it has many.
		{"a shape of few keys repeating one", `var a = { keyA: 1, keyB: 2, keyC: 3 };`,
			func(t *testing.T, p *payload) {
				shape := p.Shapes[p.Objects.Shape[withKey(t, p, "keyA")]]
				shape[4] = shape[0]
			},
			`repeats key "keyA"`},
		{"a shape of many keys repeating one", `var a = { keyA: 1 }; for (var i = 0; i < 40; i++) a["k" + i] = i;`,
			func(t *testing.T, p *payload) {
				shape := p.Shapes[p.Objects.Shape[withKey(t, p, "keyA")]]
				if len(shape) != 82 {
					t.Fatalf("a shape of %d keys", len(shape)/2)
				}
				shape[80] = shape[0]
			},
			`repeats key "keyA"`},
		// A built-in whose prototype the world changed to an object of
		// the image: the graph check sees the built-in's prototype as the
		// new world made it, and goja's own check refuses the cycle when
		// the change is replayed.
		{"a prototype cycle through a built-in", `var a = { keyA: 1 }; Object.setPrototypeOf(Array.prototype, a);`,
			func(t *testing.T, p *payload) {
				fp, n := -1, 0 // Array.prototype's object, and the intrinsics before it
				for i, kb := range p.Objects.Kinds {
					if objKind(kb) != okIntrinsic {
						continue
					}
					if p.Strings[p.Objects.Intrinsic[n]] == "globalThis.Array.prototype" {
						fp = i
						break
					}
					n++
				}
				if fp < 0 {
					t.Fatal("no Array.prototype in the image")
				}
				p.Objects.Proto[withKey(t, p, "keyA")] = code(tagObject, uint64(fp))
			},
			"Cyclic __proto__ value"},
		{"a cycle into an array", `var a = { keyA: 1 }; var arr = [a];`,
			func(t *testing.T, p *payload) {
				a, arr := withKey(t, p, "keyA"), -1
				j := 0
				for _, kb := range p.Objects.Kinds {
					if !objKind(kb).HasProperties() {
						continue
					}
					if objKind(kb) == okArray {
						arr = j
					}
					j++
				}
				if arr < 0 {
					t.Fatal("no array")
				}
				p.Objects.Proto[a] = code(tagObject, uint64(nonIntrinsic(t, p, arr)))
				p.Objects.Proto[arr] = code(tagObject, uint64(nonIntrinsic(t, p, a)))
			},
			"a prototype chain is a cycle"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := craft(t, c.src, func(p *payload) { c.mutate(t, p) })
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("got %v, want a corrupt image saying %q on one line", err, c.want)
			}
		})
	}
	// The same worlds unchanged load.
	for _, c := range cases {
		if err := craft(t, c.src, func(*payload) {}); err != nil {
			t.Errorf("%s: the world itself does not load: %v", c.name, err)
		}
	}
}

// withKey returns the index, among the objects with properties (the
// columns Proto and Shape), of the one object whose shape has key.
func withKey(t *testing.T, p *payload, key string) int {
	t.Helper()
	found := -1
	j := 0
	for _, kb := range p.Objects.Kinds {
		if !objKind(kb).HasProperties() {
			continue
		}
		shape := p.Shapes[p.Objects.Shape[j]]
		for s := 0; s+1 < len(shape); s += 2 {
			if p.Strings[shape[s]] == key {
				if found >= 0 {
					t.Fatalf("two objects with key %q", key)
				}
				found = j
			}
		}
		j++
	}
	if found < 0 {
		t.Fatalf("no object with key %q", key)
	}
	return found
}

// nonIntrinsic returns the object number of the j-th object with
// properties.
func nonIntrinsic(t *testing.T, p *payload, j int) int {
	t.Helper()
	for i, kb := range p.Objects.Kinds {
		if !objKind(kb).HasProperties() {
			continue
		}
		if j == 0 {
			return i
		}
		j--
	}
	t.Fatalf("no object with properties number %d", j)
	return -1
}

// TestCraftedMapRepeatsAKey: an image whose Map lists one key twice (no
// world saves one) loads as Map.prototype.set would have filled it, as
// loads did before they filled Maps directly: the key keeps its first
// place and takes its last value; a Set keeps the key once.
func TestCraftedMapRepeatsAKey(t *testing.T) {
	for _, c := range []struct {
		src, probe, want string
		kind             objKind
		at, from         int // ext[at] = ext[from]: the third key made the first
	}{
		{`var c = new Map([["a", 1], ["b", 2], ["c", 3]]);`, `JSON.stringify([...c]) + " " + c.size + " " + c.get("a") + " " + c.has("c")`,
			`[["a",3],["b",2]] 2 3 false`, okMap, 5, 1},
		{`var c = new Set([{}, 7, 7.5, "s"]);`, `JSON.stringify([...c]) + " " + c.size + " " + c.has(7.5)`,
			`[{},7,"s"] 3 false`, okSet, 3, 2},
		// Collections past the load's first 64 entries are filled
		// directly (heap.Collections), not through set.
		{`var c = new Map(Array.from({ length: 100 }, (_, i) => ["k" + i, i]));`, `c.size + " " + c.get("k0") + " " + c.has("k2") + " " + [...c.keys()].slice(0, 3)`,
			`99 2 false k0,k1,k3`, okMap, 5, 1},
		{`var c = new Set(Array.from({ length: 100 }, (_, i) => i + 0.5));`, `c.size + " " + c.has(2.5) + " " + [...c].slice(0, 3)`,
			`99 false 0.5,1.5,3.5`, okSet, 3, 1},
	} {
		img := imagetest.Rewrite(t, savedImage(t, c.src), func(p *payload) {
			ext := imagetest.Extra(t, p, c.kind)
			ext[c.at] = ext[c.from]
		})
		v, _, err := Load(bytes.NewReader(img), LoadOptions{VM: vm.Options{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}}})
		if err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
		got, err := v.RunScript("probe.js", c.probe)
		if err != nil || got.String() != c.want {
			t.Errorf("%s with a key repeated: %v (%v), want %s", c.src, got, err, c.want)
		}
	}
}
