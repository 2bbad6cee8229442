package image

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/vm"
	"github.com/stasisvm/stasis/vm/heap"
)

// TestScopeNames derives the names of closures' captured variables from
// their scripts and checks them against the values in the closures' real
// scopes: name=value for each scope, innermost first.
func TestScopeNames(t *testing.T) {
	tests := []struct {
		name, src string
		want      string // scopes separated by " | ", each "fn: name=value ..."; "" when no names may be given
	}{
		{"counter", `function makeCounter(label) { let count = 0; var unused = 1; return { hit() { return label + ++count } } }
			var f = makeCounter("visits").hit; f();`, "makeCounter: label=visits count=1"},
		{"declaration order", `function mk(a) { let c = 3; var b = 2; function helper() { return a + b } return () => helper() + c }
			var f = mk(1);`, "mk: a=1 b=2 helper=function c=3"},
		{"module pattern", `var api = (function () { var secret = 1; const hidden = 2; function bump() { secret++ } return { get: () => secret + hidden, bump } })();
			var f = api.get; api.bump();`, ": secret=2 hidden=2"},
		{"nested", `function outer(x) { return function middle(y) { return function inner(z) { return x + y + z } } }
			var f = outer(1)(2);`, "middle: y=2 | outer: x=1"},
		{"named expression", `var f = (function named() { var k = 1; return () => named.name + k })();`, "named: k=1 named=function"},
		{"shadowing", `function sh(a) { var b = 1; return function (a) { return a + b } }
			var f = sh(5);`, "sh: b=1"},
		{"catch and class declarations", `function c() { class K {} let e = 0; try { throw 1 } catch (err) { e = err } return () => new K() && e }
			var f = c();`, "c: K=function e=1"},
		{"recursive declaration", `function mk() { var x = 1; function rec(n) { return n ? rec(n - 1) : x } return rec }
			var f = mk();`, "mk: x=1 rec=function"},
		{"per-iteration let blocks naming", `function blk() { let r = []; for (let i = 0; i < 2; i++) r.push(() => i); return r[0] }
			var f = blk();`, ""},
		{"arrow capturing this", `function th() { let v = 1; return () => this && v }
			var f = th.call({});`, ""},
		{"parameter defaults", `function d(a = 1) { return () => a }
			var f = d();`, ""},
		{"identical function texts", `function first(x) { return () => x } function second(x) { return () => x }
			var f = second(7);`, "second: x=7"},
		{"eval inside", `function ev(a) { return () => eval("a") }
			var f = ev(1);`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := NewWorld(vm.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := v.RunScript("case.js", tt.src); err != nil {
				t.Fatal(err)
			}
			fo := v.Runtime().Get("f").(*goja.Object)
			fn := heap.JSFuncOf(fo)
			var n scopeNamer
			chain := n.chain(0, tt.src, heap.ProgramPosition(*fn.Prg()))
			var got []string
			st := *fn.Stash()
			for _, sc := range chain {
				if st == nil || st == heap.GlobalStash(v.Runtime()) || len(sc.slots) != len(*st.Values()) {
					break
				}
				parts := []string{sc.fn + ":"}
				for i, name := range sc.slots {
					parts = append(parts, name+"="+show((*st.Values())[i]))
				}
				got = append(got, strings.Join(parts, " "))
				st = *st.Outer()
			}
			if g := strings.Join(got, " | "); g != tt.want {
				t.Errorf("names: %q, want %q (chain %v)", g, tt.want, chain)
			}
		})
	}
}

func show(v goja.Value) string {
	if o, ok := v.(*goja.Object); ok {
		if _, isFn := goja.AssertFunction(o); isFn {
			return "function"
		}
	}
	return fmt.Sprint(v)
}
