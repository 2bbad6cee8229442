package heap

import (
	"testing"

	"github.com/dop251/goja"
)

// programOf compiles src and returns the program of its function named name
// (or the script's own program for "").
func programOf(t *testing.T, src, name string) (*goja.Program, []ProgramInfo) {
	t.Helper()
	p, err := goja.Compile("t.js", src, false)
	if err != nil {
		t.Fatal(err)
	}
	infos := Programs(p)
	if name == "" {
		return p, infos
	}
	for _, in := range infos {
		if ProgramName(in.Program) == name {
			return in.Program, infos
		}
	}
	t.Fatalf("no function %s in %q", name, src)
	return nil, nil
}

func TestCodeHash(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatal(err)
	}
	const base = `function f(a) { var x = a + 1; return function g() { return x * 2 } }`
	cases := []struct {
		name  string
		other string
		fn    string
		same  bool
	}{
		{"the same source", base, "f", true},
		{"moved and commented", "\n\n/* a comment */ " + base + " // more", "f", true},
		{"a nested function's code", `function f(a) { var x = a + 1; return function g() { return x * 3 } }`, "f", false},
		{"a variable more in the scope", `function f(a) { var y, x = a + 1; return function g() { return x * 2 + y } }`, "f", false},
		{"another name", `function h(a) { var x = a + 1; return function g() { return x * 2 } }`, "h", false},
		{"a string constant", `function f(a) { var x = a + "1"; return function g() { return x * 2 } }`, "f", false},
		{"a regexp's flags", `function f(a) { var x = /a/g; return function g() { return x * 2 } }`, "f", false},
	}
	h := uncachedHasher()
	want := h.Code(must(programOf(t, base, "f")))
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := uncachedHasher().Code(must(programOf(t, c.other, c.fn)))
			if (got == want) != c.same {
				t.Errorf("hash %x, base %x: same = %v, want %v", got, want, got == want, c.same)
			}
		})
	}
	// A regexp against itself with other flags: differs only in flags.
	a := uncachedHasher().Code(must(programOf(t, `function f() { return /a/g }`, "f")))
	b := uncachedHasher().Code(must(programOf(t, `function f() { return /a/i }`, "f")))
	if a == b {
		t.Error("regexps with different flags hash alike")
	}
}

// TestCodeHashStable runs code (which fills goja's caches, such as a
// RegExp's compiled matcher) and expects its hash to stay what it was.
func TestCodeHashStable(t *testing.T) {
	src := `function f(s) { var r = /(a+)(b*)/; var t = "x" + s; return [r.exec(t + "aab"), /\u{1F600}x/u.test(t), 10n ** 20n, t.length] }; f("y")`
	p, err := goja.Compile("t.js", src, false)
	if err != nil {
		t.Fatal(err)
	}
	before := uncachedHasher().Code(p)
	rt := goja.New()
	for i := 0; i < 3; i++ {
		if _, err := rt.RunProgram(p); err != nil {
			t.Fatal(err)
		}
	}
	if after := uncachedHasher().Code(p); after != before {
		t.Errorf("running the code changed its hash: %x, then %x", before, after)
	}
	q, _ := goja.Compile("t.js", src, false)
	if again := uncachedHasher().Code(q); again != before {
		t.Errorf("two compilations of one source hash %x and %x", before, again)
	}
}

func TestShape(t *testing.T) {
	_, a := programOf(t, `function f() { return () => 1 }; class C { m() {} }`, "")
	_, b := programOf(t, `function f() { return () => 2 }; class C { m() {} }`, "")
	_, c := programOf(t, `function f() { return function () { return 1 } }; class C { m() {} }`, "")
	if Shape(a) != Shape(b) {
		t.Error("two sources with the same functions in the same places have different shapes")
	}
	if Shape(a) == Shape(c) {
		t.Error("an arrow function and a function expression make the same shape")
	}
}

func must(p *goja.Program, _ []ProgramInfo) *goja.Program { return p }

func uncachedHasher() *CodeHasher {
	return &CodeHasher{memo: map[*goja.Program]uint64{}, uncached: true}
}

// TestCodeHashCache: the process-wide cache gives what hashing gives.
func TestCodeHashCache(t *testing.T) {
	p, _ := programOf(t, `function f() { return [1, "a", /x/g] }`, "")
	want := uncachedHasher().Code(p)
	for i := 0; i < 2; i++ {
		if got := NewCodeHasher().Code(p); got != want {
			t.Fatalf("hash %d through the cache: %x, want %x", i, got, want)
		}
	}
}
