package image

import (
	"strings"
	"testing"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/vm"
)

// combinatorProbe exercises Promise.all, allSettled, any and finally; what
// it logs must be the same with goja's built-ins and with the JavaScript
// versions a world installs.
const combinatorProbe = `
var out = [];
const log = (...a) => out.push(a.map(x => typeof x === "string" ? x : JSON.stringify(x)).join(" "));
Promise.all([1, Promise.resolve(2), { then(r) { r(3) } }]).then(v => log("all", v));
Promise.all([]).then(v => log("all empty", v));
Promise.all([Promise.reject("x"), 1]).catch(e => log("all rejected", e));
Promise.all(new Set([Promise.resolve("a"), "b"])).then(v => log("all of a Set", v));
Promise.allSettled([Promise.reject("r"), 5]).then(v => log("allSettled", v));
Promise.allSettled([]).then(v => log("allSettled empty", v));
Promise.any([Promise.reject(1), Promise.resolve(2)]).then(v => log("any", v));
Promise.any([Promise.reject(1), Promise.reject(2)]).catch(e => log("any rejected", e instanceof AggregateError, e.errors, Object.keys(e)));
Promise.any([]).catch(e => log("any empty", e.constructor.name, e.errors));
Promise.resolve(7).finally(() => log("finally 1")).then(v => log("finally 1 value", v));
Promise.reject(8).finally(() => log("finally 2")).catch(v => log("finally 2 reason", v));
Promise.resolve(9).finally(() => { throw "inner" }).catch(v => log("finally 3", v));
Promise.resolve(10).finally(5).then(v => log("finally 4", v));
Promise.resolve(11).finally(() => Promise.reject("late")).catch(v => log("finally 5", v));
try { Promise.all.call(1, []) } catch (e) { log("on a non-constructor", e.constructor.name) }
Promise.all(5).catch(e => log("not iterable", e.constructor.name));
try { Promise.prototype.finally.call(1) } catch (e) { log("finally on a primitive", e.constructor.name) }
class MyPromise extends Promise {}
log("subclass", MyPromise.all([1]) instanceof MyPromise, MyPromise.resolve(1).finally(() => {}) instanceof MyPromise);
log("names", Promise.all.name, Promise.all.length, Promise.allSettled.name, Promise.allSettled.length,
	Promise.any.name, Promise.any.length, Promise.prototype.finally.name, Promise.prototype.finally.length);
log("attributes", Object.getOwnPropertyDescriptor(Promise, "all"), Object.getOwnPropertyDescriptor(Promise.prototype, "finally"));
log("not constructors", ...[Promise.all, Promise.prototype.finally].map(f => { try { new f(); return "constructed" } catch (e) { return e.constructor.name } }));
`

func TestCombinatorsBehaveAsBuiltins(t *testing.T) {
	run := func(rt *goja.Runtime) string {
		t.Helper()
		if _, err := rt.RunString(combinatorProbe); err != nil {
			t.Fatal(err)
		}
		res, err := rt.RunString(`out.join("\n")`)
		if err != nil {
			t.Fatal(err)
		}
		return res.String()
	}
	want := run(goja.New())
	v, err := NewWorld(vm.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := run(v.Runtime())
	if got != want {
		t.Errorf("the world's combinators differ from goja's\n--- goja\n%s\n--- world\n%s", want, got)
	}
	if n := strings.Count(got, "\n"); n < 20 {
		t.Errorf("the probe logged too little (%d entries)", n)
	}
	if _, err := v.Runtime().RunString(`var m; Promise.any([]).catch(e => { m = e.message })`); err != nil {
		t.Fatal(err)
	}
	if m := v.Runtime().Get("m").String(); m != "All promises were rejected" {
		t.Errorf("Promise.any's AggregateError message = %q", m)
	}
}
