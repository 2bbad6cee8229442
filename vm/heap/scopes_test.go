package heap

import (
	"fmt"
	"runtime"
	"testing"
	"time"
	"weak"

	"github.com/dop251/goja"
)

// scopeProbe uses every construct that makes, leaves or jumps over scopes,
// with closures made inside each.
const scopeProbe = `
var out = [];
function plain(a, b) { var c = a + b; out.push(() => c); return function () { return a + b + c } }
function blocks(n) {
	let x = 1;
	outer: for (let i = 0; i < n; i++) {
		let j = i * 2;
		for (const k of [1, 2]) { let m = k; out.push(() => i + j + k + m); if (k > 1) continue outer; if (i > 5) break outer }
		for (const p in { a: 1 }) { out.push(() => p + j) }
		switch (i) { case 0: { let s = i; out.push(() => s); break } default: let d = i; out.push(() => d) }
		try { let t = i; if (i) throw t; out.push(() => t) } catch ({ message }) { let u = message; out.push(() => u) } finally { let f = x; out.push(() => f) }
		do { let w = j; out.push(() => w); if (w) break } while (false)
		while (true) { let v = i; out.push(() => v); break }
	}
	label: { let l = x; out.push(() => l); break label }
	return () => x;
}
function returnsThroughFinally() { let a = 1; try { let b = 2; return () => a + b } finally { let c = 3; out.push(() => c) } }
function withScope(o) { with (o) { out.push(function () { return v }) } }
function evalScope() { var a = 1; eval("var b = 2"); return function () { return a + b } }
function strictEval() { "use strict"; var a = 1; return eval("var b = a; () => a + b") }
function defaults(a = () => b, b = 2, ...rest) { return () => a() + b + rest.length }
function args() { var x = arguments; return () => x[0] }
function* gen(n) { let a = 1; try { for (let i = 0; i < n; i++) { let b = i; yield () => a + b } } finally { let c = 3; yield () => c } }
async function asy() { let a = 1; for (const x of [1]) { let b = await x; out.push(() => a + b) } try { await null } catch (e) { } finally { let f = 1; out.push(() => f) } }
const arrow = async (a) => { let b = await a; return () => b };
class A { #p = 1; static #s = 2; static { let q = 3; out.push(() => q + A.#s) } x = () => this.#p; m() { let z = 1; return () => z } get g() { return () => this.#p } static sm() { return class B extends A { constructor() { super(); let y = 1; out.push(() => y) } } } }
var o = { m() { let r = 1; return () => super.toString && r }, *gm() { yield 1 }, async am() { await 1 } };
var opt = (a) => a?.b?.c ?? (() => a);
var tmpl = (s, ...v) => s.raw; tmpl` + "`a${1}b`" + `;
plain(1, 2); blocks(3); returnsThroughFinally(); withScope({ v: 1 }); evalScope(); strictEval(); defaults()(); args(1);
for (const f of gen(2)) f(); asy(); arrow(1); new A().x(); A.sm(); new (A.sm())(); o.m()(); opt(null);
`

// TestScopeAnalysisFollowsCode analyses every program of the probe: the
// analysis must follow all of it, and every instruction that makes a
// function and every place a frame resumes must be reached.
func TestScopeAnalysisFollowsCode(t *testing.T) {
	p, err := goja.Compile("probe.js", scopeProbe, false)
	if err != nil {
		t.Fatal(err)
	}
	checkAnalysed(t, "probe.js", p)
	if _, err := goja.New().RunProgram(p); err != nil {
		t.Fatalf("the probe does not run: %v", err)
	}
}

// checkAnalysed analyses every program of the script p.
func checkAnalysed(t *testing.T, name string, p *goja.Program) {
	t.Helper()
	infos := Programs(p)
	for _, info := range infos {
		m := Analyse(info.Program)
		if m.Err() != nil {
			t.Fatalf("%s: %v", name, m.Err())
		}
		c := code(info.Program)
		for pc := 1; pc < c.Len(); pc++ {
			if insName(c, pc-1) == "yieldMarker" {
				if _, ok := m.At(pc); !ok {
					t.Errorf("%s: %s resumes at %d, which the analysis does not reach", name, FrameName(info.Program, pc), pc)
				}
			}
		}
		if info.Parent >= 0 {
			if _, ok := Analyse(infos[info.Parent].Program).At(info.PC); !ok {
				t.Errorf("%s: the maker of %s at %d is not reached", name, FrameName(info.Program, 0), info.PC)
			}
		}
	}
}

func TestScopeAnalysisScopes(t *testing.T) {
	p, err := goja.Compile("s.js", `function f(a) { var g = () => a; { let b = 1; var h = () => b } with (a) { var k = function () {} } }`, false)
	if err != nil {
		t.Fatal(err)
	}
	infos := Programs(p)
	want := map[int][]string{} // program index -> maker kinds at its making instruction, innermost first
	for i, info := range infos {
		if info.Parent < 0 {
			continue
		}
		makers, ok := Analyse(infos[info.Parent].Program).At(info.PC)
		if !ok {
			t.Fatalf("program %d: maker not reached", i)
		}
		for _, m := range makers {
			want[i] = append(want[i], m.Kind)
		}
	}
	// f at the top level; g in f's scope; h in the block's, then f's; k in
	// the with's, then f's.
	got := [][]string{want[1], want[2], want[3], want[4]}
	exp := [][]string{nil, {"enterFunc"}, {"enterBlock", "enterFunc"}, {"with", "enterFunc"}}
	for i := range exp {
		if len(got[i]) != len(exp[i]) {
			t.Fatalf("program %d: scopes %v, want %v", i+1, got[i], exp[i])
		}
		for j := range exp[i] {
			if got[i][j] != exp[i][j] {
				t.Fatalf("program %d: scopes %v, want %v", i+1, got[i], exp[i])
			}
		}
	}
}

// TestScopeMapsGoWithTheirPrograms: the memo of analyses holds programs
// weakly, so a process that loads many different scripts does not keep
// them all.
func TestScopeMapsGoWithTheirPrograms(t *testing.T) {
	// Count only this test's programs: other tests' entries come and go
	// with their own programs' cleanups, at any collection.
	var progs []*goja.Program
	var keys []weak.Pointer[goja.Program]
	for i := 0; i < 50; i++ {
		p, err := goja.Compile("x.js", fmt.Sprintf("function f%d() { let a = %d; return () => a }", i, i), false)
		if err != nil {
			t.Fatal(err)
		}
		for _, info := range Programs(p) {
			Analyse(info.Program)
			progs = append(progs, info.Program)
			keys = append(keys, weak.Make(info.Program))
		}
	}
	memoised := func() int {
		n := 0
		for _, k := range keys {
			if _, ok := scopeMaps.Load(k); ok {
				n++
			}
		}
		return n
	}
	if n := memoised(); n != len(keys) {
		t.Fatalf("%d of %d analyses memoised", n, len(keys))
	}
	runtime.KeepAlive(progs)
	progs = nil
	for i := 0; i < 100 && memoised() > 0; i++ {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if n := memoised(); n > 0 {
		t.Fatalf("%d of %d analyses still memoised after their programs went", n, len(keys))
	}
}
