package vm

import (
	"testing"

	"github.com/dop251/goja"
)

// hostile is a world that has set traps for a printer: getters and setters
// named after a property descriptor's fields on Object.prototype (which
// every descriptor object inherits from), and replaced built-ins that a
// printer might call. Each trap counts its calls in globalThis.calls.
const hostile = `
var calls = 0;
for (const k of ["get", "set", "value", "enumerable", "writable", "configurable"]) {
	Object.defineProperty(Object.prototype, k, {__proto__: null, configurable: true,
		get() { calls++; return () => 1 }, set(v) { calls++ }});
}
Object.getOwnPropertyDescriptor = Reflect.getOwnPropertyDescriptor = function () { calls++ };
Map.prototype.forEach = Set.prototype.forEach = function () { calls++ };
Map.prototype.has = Set.prototype.has = WeakMap.prototype.has = function () { calls++; return true };
Date.prototype.toISOString = function () { calls++; return "hijacked" };
Number.prototype.valueOf = String.prototype.valueOf = function () { calls++; return 7 };
Object.defineProperty(Object.getPrototypeOf(Uint8Array.prototype), "length", {__proto__: null, get() { calls++; return 0 }});
calls = 0;
`

// TestInspectRunsNoCode prints values in a fresh world, then sets the
// traps of hostile and prints them again: the same text, and no trap ran.
// What it prints in the fresh world is what node 20's util.inspect prints
// for the same values (the proxies aside, whose traps node calls).
func TestInspectRunsNoCode(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"accessors", `({get g() { return 1 }, set s(v) {}, get gs() { return 1 }, set gs(v) {}, [Symbol("k")]: 2, u: undefined})`,
			"{\n  g: [Getter],\n  s: [Setter],\n  gs: [Getter/Setter],\n  u: undefined,\n  [Symbol(k)]: 2\n}"},
		{"accessor elements", `(() => { const a = [1, , 3]; Object.defineProperty(a, 1, {__proto__: null, get() { return 2 }, enumerable: true}); return a })()`,
			"[ 1, [Getter], 3 ]"},
		{"nested", `({a: 1, arr: [1, undefined, , 3], n: null, o: {b: {c: {}}}})`,
			"{\n  a: 1,\n  arr: [ 1, undefined, <1 empty item>, 3 ],\n  n: null,\n  o: { b: { c: {} } }\n}"},
		{"classes and functions", `class K { constructor() { this.x = 1 } }; [new K, Object.create(null), function named() {}, K]`,
			"[\n  K { x: 1 },\n  [Object: null prototype] {},\n  [Function: named],\n  [class K]\n]"},
		{"collections", `[new Map().set(1, {x: 1}), new Set().add("a"), new WeakMap()]`,
			"[\n  Map(1) { 1 => { x: 1 } },\n  Set(1) { 'a' },\n  WeakMap { <items unknown> }\n]"},
		{"boxes and dates", `[new Number(3), new String("s"), new Date(0), new Uint8Array(2)]`,
			"[\n  [Number: 3],\n  [String: 's'],\n  1970-01-01T00:00:00.000Z,\n  Uint8Array(2) [ 0, 0 ]\n]"},
		{"error", `var e = new RangeError("bad"); e.stack = "RangeError: bad\n\tat f (x.js:1:2(3))"; e.code = "E"; e`,
			"RangeError: bad\n    at f (x.js:1:2) {\n  code: 'E'\n}"},
		{"proxies", `[new Proxy({a: 1}, {ownKeys() { calls++; return [] }, getOwnPropertyDescriptor() { calls++ }}),
			Object.setPrototypeOf({b: 2}, new Proxy({}, {getPrototypeOf() { calls++ }, getOwnPropertyDescriptor() { calls++ }}))]`,
			"[ { a: 1 }, { b: 2 } ]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			print := func(setup string) (string, int64) {
				v, err := New(Options{})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := v.RunScript("setup.js", "var calls = 0;"+setup); err != nil {
					t.Fatalf("setup: %v", err)
				}
				val, err := v.RunScript("case.js", c.src)
				if err != nil {
					t.Fatalf("%s: %v", c.src, err)
				}
				// The case's own code may count, too: what counts is what
				// printing adds.
				before := v.Runtime().Get("calls").ToInteger()
				out := v.Inspect(val, InspectOptions{})
				return out, v.Runtime().Get("calls").ToInteger() - before
			}
			clean, _ := print("")
			if clean != c.want {
				t.Errorf("in a fresh world:\n got %s\nwant %s", clean, c.want)
			}
			got, calls := print(hostile)
			if calls != 0 {
				t.Errorf("printing ran %d of the world's traps", calls)
			}
			if got != clean {
				t.Errorf("with the traps set:\n got %s\nwant %s", got, clean)
			}
		})
	}
}

// TestOwnProperty reads properties of Object.prototype itself while it
// holds accessors named after descriptor fields, and of ordinary objects
// meanwhile.
func TestOwnProperty(t *testing.T) {
	v, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.RunScript("setup.js", hostile+`var o = {value: 5}; Object.defineProperty(o, "hidden", {__proto__: null, value: 6})`); err != nil {
		t.Fatal(err)
	}
	rt := v.Runtime()
	proto := rt.NewObject().Prototype()
	o := rt.Get("o").(*goja.Object)
	if p, ok := v.OwnProperty(proto, "get"); !ok || !p.Accessor || p.Getter == nil || p.Setter == nil || p.Enumerable {
		t.Errorf("Object.prototype.get: %+v, %v", p, ok)
	}
	if p, ok := v.OwnProperty(proto, "toString"); !ok || p.Accessor || p.Value == nil || p.Enumerable {
		t.Errorf("Object.prototype.toString: %+v, %v", p, ok)
	}
	if p, ok := v.OwnProperty(o, "value"); !ok || p.Accessor || p.Value.ToInteger() != 5 || !p.Enumerable {
		t.Errorf("o.value: %+v, %v", p, ok)
	}
	if p, ok := v.OwnProperty(o, "hidden"); !ok || p.Accessor || p.Value.ToInteger() != 6 || p.Enumerable {
		t.Errorf("o.hidden: %+v, %v", p, ok)
	}
	if _, ok := v.OwnProperty(o, "missing"); ok {
		t.Error("o.missing was found")
	}
	// Object.prototype keeps its accessors when reading is over.
	if got, err := v.RunScript("after.js", `calls = 0; ({}).value; ({}).get = 1; calls`); err != nil || got.ToInteger() != 2 {
		t.Errorf("after reading, Object.prototype's accessors ran %v times (%v), want 2", got, err)
	}
}
