package image

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dop251/goja"
	"github.com/dop251/goja/parser"
	"github.com/stasisvm/stasis/image/imagetest"
	"github.com/stasisvm/stasis/vm/heap"
)

// Scopes with values dropped, or swapped between closures, frames and try
// frames, in every kind of scope goja makes: each crafted image must be
// refused at load with one line naming the function, and the same world
// unchanged must load.

// stashRecord is a stash record of the payload, split into its parts:
// outer, funcType, with-object, values, extra arguments, names (the rest:
// flag, then count and pairs).
type stashRecord struct {
	head   []uint64 // outer, funcType, with-object
	values []uint64
	extra  []uint64
	names  []uint64
}

func splitStash(rec []uint64) stashRecord {
	n := int(rec[3])
	m := int(rec[4+n])
	return stashRecord{
		head:   append([]uint64{}, rec[:3]...),
		values: append([]uint64{}, rec[4:4+n]...),
		extra:  append([]uint64{}, rec[5+n:5+n+m]...),
		names:  append([]uint64{}, rec[5+n+m:]...),
	}
}

func (s stashRecord) join() []uint64 {
	out := append(append([]uint64{}, s.head...), uint64(len(s.values)))
	out = append(append(out, s.values...), uint64(len(s.extra)))
	return append(append(out, s.extra...), s.names...)
}

// stashHolding returns the index of the one stash that holds the integer v.
func stashHolding(t *testing.T, p *payload, v int64) int {
	t.Helper()
	found := -1
	for i, rec := range p.Stashes {
		for _, c := range splitStash(rec).values {
			if c == code(tagInt, uint64(v)) {
				if found >= 0 && found != i {
					t.Fatalf("two scopes hold %d", v)
				}
				found = i
			}
		}
	}
	if found < 0 {
		t.Fatalf("no scope holds %d", v)
	}
	return found
}

// editStash changes the record of the stash that holds v.
func editStash(t *testing.T, p *payload, v int64, edit func(s *stashRecord)) {
	t.Helper()
	i := stashHolding(t, p, v)
	s := splitStash(p.Stashes[i])
	edit(&s)
	p.Stashes[i] = s.join()
}

// stashRef is the code by which records name stash i.
func stashRef(i int) uint64 { return uint64(i) + 2 }

// functionsWithStash returns the extra records of the functions whose scope
// is stash i.
func functionsWithStash(p *payload, i int) [][]uint64 {
	var out [][]uint64
	e := 0
	for _, kb := range p.Objects.Kinds {
		k := objKind(kb)
		if !k.HasExtra() {
			continue
		}
		if _, ok := funcKinds[k]; ok && p.Objects.Extra[e][4] == stashRef(i) {
			out = append(out, p.Objects.Extra[e])
		}
		e++
	}
	return out
}

func TestLoadRefusesWrongScopes(t *testing.T) {
	const generator = `function* g() { let a = 1001; try { let b = 1002; yield () => a + b; yield b } catch (e) {} }
		var it = g(); it.next(); it.next();`
	// Generator record: state, script, index, stash, ...; stack count at
	// 10, then the stack, the try count, and per try frame: callStackLen,
	// iterLen, refLen, sp, stash, ...
	cases := []struct {
		name, src string
		mutate    func(t *testing.T, p *payload)
		want      string
	}{
		{"a function scope with a value dropped", `var f = (function () { var a = 1001, b = 1002; return function f() { return a + b } })();`,
			func(t *testing.T, p *payload) {
				editStash(t, p, 1001, func(s *stashRecord) { s.values = s.values[:1] })
			},
			"function f (w.js:1): scope 0 of its chain has 1 slots; its code makes it with 2"},
		{"a block scope with a value dropped", `var f; { let a = 1001, b = 1002; f = function f() { return a + b } }`,
			func(t *testing.T, p *payload) {
				editStash(t, p, 1001, func(s *stashRecord) { s.values = s.values[:1] })
			},
			"function f (w.js:1): scope 0 of its chain has 1 slots; its code makes it with 2"},
		{"a block scope inside a function with a value dropped",
			`var f = (function () { var a = 1001; for (let i = 1002; i < 1003; i++) { let j = i; return function f() { return a + j + i } } })();`,
			func(t *testing.T, p *payload) {
				editStash(t, p, 1001, func(s *stashRecord) { s.values = nil })
			},
			"function f (w.js:1): scope 2 of its chain has 0 slots; its code makes it with 1"},
		{"a block scope given arguments", `var f; { let a = 1001; f = function f() { return a } }`,
			func(t *testing.T, p *payload) {
				editStash(t, p, 1001, func(s *stashRecord) { s.extra = []uint64{code(tagInt, 7)} })
			},
			"function f (w.js:1): scope 0 of its chain holds arguments; its code makes a block scope there"},
		{"a class scope emptied", `var K = class A { m() { return A } }; var k = new K(); var keep = 1001;`,
			func(t *testing.T, p *payload) {
				// The class's own scope holds its inner name, A.
				for i, rec := range p.Stashes {
					if s := splitStash(rec); len(s.values) == 1 && s.head[1] == 0 {
						s.values = nil
						p.Stashes[i] = s.join()
						return
					}
				}
				t.Fatal("no class scope")
			},
			"function m (w.js:1): scope 0 of its chain has 0 slots; its code makes it with 1"},
		{"an arguments scope with a parameter dropped",
			`var g = (function (a, b) { var args = arguments; return function g() { return a + b + args.length } })(1001, 1002, 3);`,
			func(t *testing.T, p *payload) {
				editStash(t, p, 1001, func(s *stashRecord) { s.values = s.values[:len(s.values)-1] })
			},
			"function g (w.js:1): scope 0 of its chain has"},
		{"a with scope that is not one", `var o = { v: 1 }; var f; with (o) { f = function f() { return v } }`,
			func(t *testing.T, p *payload) {
				for i, rec := range p.Stashes {
					if s := splitStash(rec); s.head[2] != codeNone {
						s.head[2] = codeNone
						p.Stashes[i] = s.join()
						return
					}
				}
				t.Fatal("no with scope")
			},
			"function f (w.js:1): scope 0 of its chain is not a with statement's"},
		{"an eval scope without its names", `function h() { var a = 1001; eval("var b = 2"); return function g() { return a + b } } var g = h();`,
			func(t *testing.T, p *payload) {
				editStash(t, p, 1001, func(s *stashRecord) { s.names = []uint64{0} })
			},
			"function g (w.js:1): scope 0 of its chain has no names; its code makes it with names"},
		{"scopes swapped between closures", `var f1, g1, f2, g2;
			(function () { var a = 1001; f1 = function f1() { return a }; g1 = function g1() { return a + 1 } })();
			(function () { var b = 1002; f2 = function f2() { return b }; g2 = function g2() { return b + 1 } })();`,
			func(t *testing.T, p *payload) {
				a, b := stashHolding(t, p, 1001), stashHolding(t, p, 1002)
				fa, fb := functionsWithStash(p, a), functionsWithStash(p, b)
				if len(fa) != 2 || len(fb) != 2 {
					t.Fatalf("%d and %d functions on the two scopes", len(fa), len(fb))
				}
				fa[0][4], fb[0][4] = stashRef(b), stashRef(a)
			},
			"scope 0 of its chain is also a scope made elsewhere"},
		{"a scope moved into a deeper chain", `var f = (function () { var a = 1001; { let b = 1002; return function f() { return a + b } } })();`,
			func(t *testing.T, p *payload) {
				// The block scope of b is left out of f's chain.
				b := stashHolding(t, p, 1002)
				fs := functionsWithStash(p, b)
				if len(fs) != 1 {
					t.Fatalf("%d functions on the block scope", len(fs))
				}
				fs[0][4] = stashRef(stashHolding(t, p, 1001))
			},
			"function f (w.js:1): scope 0 of its chain"},
		{"a generator frame in its function's scope instead of its block's", generator,
			func(t *testing.T, p *payload) {
				imagetest.Extra(t, p, okGenerator)[3] = stashRef(stashHolding(t, p, 1001))
			},
			"suspended g (w.js:1): scope 0 of its chain"},
		{"a generator's try frame in the scope of its block", generator,
			func(t *testing.T, p *payload) {
				ext := imagetest.Extra(t, p, okGenerator)
				n := ext[10]
				if ext[11+n] != 1 {
					t.Fatalf("%d try frames", ext[11+n])
				}
				ext[16+n] = ext[3]
			},
			"suspended g (w.js:1): scope 0 of its chain"},
		{"an async function's frame with a value dropped", `var never = new Promise(() => {});
			async function f() { let a = 1001; { let b = 1002; await never; return () => a + b } } var p = f();`,
			func(t *testing.T, p *payload) {
				editStash(t, p, 1002, func(s *stashRecord) { s.values = nil })
			},
			"suspended f (w.js:2): scope 0 of its chain has 0 slots; its code makes it with 1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := craft(t, c.src, func(*payload) {}); err != nil {
				t.Fatalf("the world itself does not load: %v", err)
			}
			err := craft(t, c.src, func(p *payload) { c.mutate(t, p) })
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("got %v, want a corrupt image saying %q on one line", err, c.want)
			}
		})
	}
}

// TestScopeAnalysisFollowsLibraries analyses every program of real
// libraries: the analysis must follow all their code (a program it cannot
// follow would load unchecked), and reach every instruction that makes a
// function.
func TestScopeAnalysisFollowsLibraries(t *testing.T) {
	libs := []struct{ pkg, file string }{
		{"lodash@4.17.21", "lodash.js"},
		{"typescript@5.4.5", "lib/typescript.js"},
		{"prettier@3.3.3", "standalone.js"},
		{"rxjs@7.8.1", "dist/bundles/rxjs.umd.js"},
		{"acorn@8.11.3", "dist/acorn.js"},
		{"bluebird@3.7.2", "js/browser/bluebird.js"},
		{"immutable@4.3.7", "dist/immutable.js"},
		{"zod@3.23.8", "lib/index.umd.js"},
	}
	for _, lib := range libs {
		t.Run(lib.pkg, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join(imagetest.Package(t, lib.pkg), lib.file))
			if err != nil {
				t.Fatal(err)
			}
			// Older gojas refuse a source-map comment whose map is not
			// there; the map is not what is analysed.
			ast, err := goja.Parse(lib.file, string(src), parser.WithDisableSourceMaps)
			if err != nil {
				t.Fatal(err)
			}
			p, err := goja.CompileAST(ast, false)
			if err != nil {
				t.Fatal(err)
			}
			infos := heap.Programs(p)
			for _, info := range infos {
				m := heap.Analyse(info.Program)
				if m.Err() != nil {
					t.Fatal(m.Err())
				}
				if info.Parent >= 0 {
					if _, ok := heap.Analyse(infos[info.Parent].Program).At(info.PC); !ok {
						t.Errorf("the maker of %s at %d is not reached", heap.FrameName(info.Program, 0), info.PC)
					}
				}
			}
			for _, info := range infos {
				heap.ForgetScopes(info.Program)
			}
		})
	}
}
