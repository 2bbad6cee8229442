package image

import (
	"slices"
	"testing"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/natives"
	"github.com/stasisvm/stasis/vm"
)

// TestPristineReadFromStorage checks that reading the built-ins' own
// properties, prototype and extensibility from goja's storage gives what
// JavaScript sees (Object.getOwnPropertyNames, getOwnPropertySymbols,
// getOwnPropertyDescriptor, getPrototypeOf, isExtensible), for every
// intrinsic, in a fresh world and after a script changed many of them; and
// that the pristine state recorded when the world was made, before
// anything listed the built-ins' properties (goja makes many of them when
// first listed), is what JavaScript sees of a fresh world.
func TestPristineReadFromStorage(t *testing.T) {
	changes := `
		Array.prototype.sum = function () { return this.reduce((a, b) => a + b, 0) };
		delete Math.random; Object.defineProperty(Math, "tau", { value: 6.28, writable: false, configurable: true });
		Object.defineProperty(JSON, "x", { get() { return 1 }, enumerable: true, configurable: true });
		Object.defineProperty(JSON, "w", { set(v) {}, configurable: false });
		String.prototype[Symbol.for("s")] = 1; delete Symbol.prototype[Symbol.toStringTag];
		Object.setPrototypeOf(Reflect, null); Object.preventExtensions(Math); Object.freeze(Number);
		Object.defineProperty(Map.prototype, "size", { value: 7 });
		Function.prototype.extra = undefined; Array.prototype.push.own = 1; RegExp.prototype.lastIndex = 2;
		JSON[7] = 1; JSON["01"] = 2; JSON[3] = 3; Reflect.z = 1; Reflect[2] = 1;
		String.prototype.length; globalThis.added = 1; delete globalThis.escape;
	`
	for _, tc := range []struct {
		name   string
		setup  []func(*vm.VM) error
		script string
	}{
		{"fresh", nil, ""},
		{"with natives", []func(*vm.VM) error{natives.Setup(natives.Default()...)}, ""},
		{"changed", nil, changes},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := NewWorld(vm.Options{Setup: tc.setup})
			if err != nil {
				t.Fatal(err)
			}
			if tc.script != "" {
				run(t, v, "changes.js", tc.script)
			}
			b, _ := baselineOf(v)
			fromStorage := 0
			for i, o := range b.objects {
				name := b.name(o)
				// From storage first: listing them through JS would put
				// integer keys first in the storage too.
				got, ok := b.ownPropsHeap(o)
				js, err := b.ownPropsJS(o)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if tc.script == "" && !b.live[o] && !slices.EqualFunc(b.props[i], js, sameSnap) {
					t.Errorf("%s: recorded %+v, JS lists %+v", name, b.props[i], js)
				}
				if ok {
					fromStorage++
					if len(got) != len(js) {
						t.Errorf("%s: %d properties from storage, %d from JS", name, len(got), len(js))
						continue
					}
					for i := range js {
						if !sameSnap(got[i], js[i]) {
							t.Errorf("%s: property %d: storage gives %+v, JS %+v", name, i, got[i], js[i])
						}
					}
				}
				proto, ext := b.protoAndExtensible(o)
				pv, _ := b.getPrototypeOf(goja.Undefined(), o)
				jsProto, _ := pv.(*goja.Object)
				e, _ := b.isExtensible(goja.Undefined(), o)
				if proto != jsProto || ext != e.ToBoolean() {
					t.Errorf("%s: prototype %v extensible %v, JS says %v %v", name, proto, ext, jsProto, e.ToBoolean())
				}
			}
			if fromStorage < len(b.objects)*9/10 {
				t.Errorf("only %d of %d built-ins were read from storage", fromStorage, len(b.objects))
			}
		})
	}
}

func sameSnap(a, b propSnap) bool {
	return a.key == b.key && a.same(b)
}
