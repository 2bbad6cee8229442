package vm

import (
	"strings"
	"testing"
)

// A prototype cycle through a proxy would make goja recurse in Go until the
// process dies: every way to make one is refused with V8's TypeError, and
// the wrapped built-ins look and behave as the originals otherwise.
func TestPrototypeCyclesThroughProxies(t *testing.T) {
	v, err := New(Options{Stdout: &strings.Builder{}, Stderr: &strings.Builder{}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, src, want string }{
		{"target's prototype is its proxy", `var t = {}; Object.setPrototypeOf(t, new Proxy(t, {}))`, "TypeError: Cyclic __proto__ value"},
		{"proxy's prototype is itself", `var q = {}, pq = new Proxy(q, {}); Object.setPrototypeOf(pq, pq)`, "TypeError: Cyclic __proto__ value"},
		{"through Reflect", `var t = {}; Reflect.setPrototypeOf(t, Object.create(new Proxy(t, {})))`, "TypeError: Cyclic __proto__ value"},
		{"through __proto__", `var t = {}; t.__proto__ = new Proxy(Object.create(t), {})`, "TypeError: Cyclic __proto__ value"},
		{"an ordinary cycle, as before", `var a = {}, b = Object.create(a); Object.setPrototypeOf(a, b)`, "TypeError: Cyclic __proto__ value"},
		{"a proxy in a chain without a cycle", `var t = {}, o = {x: 1}; Object.setPrototypeOf(t, new Proxy(o, {})); t.x`, "1"},
		{"__proto__ still reads and writes", `var a = {y: 2}, b = {}; b.__proto__ = a; b.__proto__ === a && b.y`, "2"},
		{"setPrototypeOf returns its object", `var o = {}; Object.setPrototypeOf(o, null) === o && Reflect.setPrototypeOf(o, Array.prototype)`, "true"},
		{"non-extensible still refused", `Object.setPrototypeOf(Object.preventExtensions({}), {})`, "TypeError: [object Object] is not extensible"},
		{"names and lengths", `[Object.setPrototypeOf.name, Object.setPrototypeOf.length, Reflect.setPrototypeOf.name,
			Object.getOwnPropertyDescriptor(Object.prototype, "__proto__").set.name, Object.propertyIsEnumerable.call(Object, "setPrototypeOf"),
			String(Object.setPrototypeOf)].join()`, "setPrototypeOf,2,setPrototypeOf,set __proto__,false,function setPrototypeOf() { [native code] }"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_ = v.Runtime().Set("src", tt.src)
			got, err := v.RunScript("cycle.js", `(function () { try { return String((0, eval)(src)) } catch (e) { return String(e) } })()`)
			if err != nil {
				t.Fatal(err)
			}
			if got.String() != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
