package vm

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/dop251/goja"
)

func TestInspect(t *testing.T) {
	cases := []struct{ src, want string }{
		{`"ab"`, `'ab'`},
		{`"it's"`, `"it's"`},
		{`-0`, `-0`},
		{`[1.5, NaN, -Infinity, 12n, true, null, undefined]`, `[ 1.5, NaN, -Infinity, 12n, true, null, undefined ]`},
		{`({a: 1, 'b-c': 'x', [Symbol('s')]: 2})`, `{ a: 1, 'b-c': 'x', [Symbol(s)]: 2 }`},
		{`({})`, `{}`},
		{`[]`, `[]`},
		{`[1, , , 4]`, `[ 1, <2 empty items>, 4 ]`},
		{`(function(){ var a = [1]; a.x = 2; return a })()`, `[ 1, x: 2 ]`},
		{`({a: {b: {c: {d: 1}}}})`, `{ a: { b: { c: [Object] } } }`},
		{`({a: [[[[1]]]]})`, `{ a: [ [ [Array] ] ] }`},
		{`new Map([['a', 1], [{}, 2]])`, `Map(2) { 'a' => 1, {} => 2 }`},
		{`new Set([1])`, `Set(1) { 1 }`},
		{`class Point { constructor() { this.x = 1; this.y = 2 } }; new Point`, `Point { x: 1, y: 2 }`},
		{`Object.assign(Object.create(null), {a: 1})`, `[Object: null prototype] { a: 1 }`},
		{`function named() {}; named`, `[Function: named]`},
		{`(() => {})`, `[Function (anonymous)]`},
		{`class A {}; class B extends A {}; B`, `[class B extends A]`},
		{`async function af() {}; af`, `[AsyncFunction: af]`},
		{`function* g() {}; g`, `[GeneratorFunction: g]`},
		{`({get x() { return 1 }, set y(v) {}})`, `{ x: [Getter], y: [Setter] }`},
		{`var o = {name: 'o'}; o.self = o; o`, `<ref *1> { name: 'o', self: [Circular *1] }`},
		{`new Date(0)`, `1970-01-01T00:00:00.000Z`},
		{`new Date(NaN)`, `Invalid Date`},
		{`/a+/g`, `/a+/g`},
		{`new Number(3)`, `[Number: 3]`},
		{`new String('s')`, `[String: 's']`},
		{`new Uint8Array([1, 2, 3])`, `Uint8Array(3) [ 1, 2, 3 ]`},
		{`new ArrayBuffer(2)`, `ArrayBuffer { [Uint8Contents]: <00 00>, byteLength: 2 }`},
		{`Promise.resolve(1)`, `Promise { 1 }`},
		{`new Promise(() => {})`, `Promise { <pending> }`},
		{`new WeakMap()`, `WeakMap { <items unknown> }`},
		{`Array.from({length: 102}, (_, i) => i).length`, `102`},
	}
	for _, c := range cases {
		v, err := New(Options{})
		if err != nil {
			t.Fatal(err)
		}
		res, err := v.RunScript("case.js", c.src)
		if err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
		if got := Inspect(v.Runtime(), res, InspectOptions{}); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.src, got, c.want)
		}
	}
}

func TestInspectLongArray(t *testing.T) {
	v, _ := New(Options{})
	res, _ := v.RunScript("a.js", `Array.from({length: 150}, (_, i) => i)`)
	got := Inspect(v.Runtime(), res, InspectOptions{})
	if want := "... 50 more items\n]"; !bytes.HasSuffix([]byte(got), []byte(want)) {
		t.Errorf("got %q, want it to end with %q", got[len(got)-40:], want)
	}
}

func TestConsole(t *testing.T) {
	var out, errOut bytes.Buffer
	v, err := New(Options{Stdout: &out, Stderr: &errOut})
	if err != nil {
		t.Fatal(err)
	}
	_, err = v.RunScript("c.js", `console.log("a", 1, {b: [2]}, "%s=%d", "x", 5); console.info("%s is %d%%", "rate", 50); console.error(new Map([[1, 2]])); console.warn("w")`)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := out.String(), "a 1 { b: [ 2 ] } %s=%d x 5\nrate is 50%\n"; got != want {
		t.Errorf("stdout %q, want %q", got, want)
	}
	if got, want := errOut.String(), "Map(1) { 1 => 2 }\nw\n"; got != want {
		t.Errorf("stderr %q, want %q", got, want)
	}
}

func TestInspectErrorStack(t *testing.T) {
	v, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := v.RunScript("e.js", "function inner() { return new TypeError('deep') }\nfunction outer() { return inner() }\nouter()")
	if err != nil {
		t.Fatal(err)
	}
	// Node's form: four spaces, no program counter after the column.
	want := "TypeError: deep\n    at inner (e.js:1:27)\n    at outer (e.js:2:32)\n    at e.js:3:6"
	if got := Inspect(v.Runtime(), res, InspectOptions{}); got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	// As Node's REPL prints what an input threw: the input's own frame goes.
	want = "TypeError: deep\n    at inner (e.js:1:27)\n    at outer (e.js:2:32)"
	if got := Inspect(v.Runtime(), res, InspectOptions{TrimScriptFrames: true}); got != want {
		t.Errorf("trimmed: got %q\nwant %q", got, want)
	}
	// A nested error keeps its frames.
	arr := v.Runtime().NewArray(res)
	if got := Inspect(v.Runtime(), arr, InspectOptions{TrimScriptFrames: true}); !strings.Contains(got, "at e.js:3:6") {
		t.Errorf("nested: got %q", got)
	}
}

func TestAsSyntaxError(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{"var = 1", "s.js:1\nvar = 1\n    ^\n\nSyntaxError: Unexpected token '='"},
		{"let a = 1;\n\tif (a) {\n\t\ta +* 2\n\t}", "s.js:3\n\t\ta +* 2\n\t\t   ^\n\nSyntaxError: Unexpected token '*'"},
		{"f(1, 2", "s.js:1\nf(1, 2\n      ^\n\nSyntaxError: Unexpected end of input"},
		{"'é' + )", "s.js:1\n'é' + )\n      ^\n\nSyntaxError: Unexpected token ')'"},
		// The carets underline the whole token, as V8's do.
		{"let a = 2 myLong", "s.js:1\nlet a = 2 myLong\n          ^^^^^^\n\nSyntaxError: Unexpected identifier 'myLong'"},
		{"let a = 2 ünï + 1", "s.js:1\nlet a = 2 ünï + 1\n          ^^^\n\nSyntaxError: Unexpected identifier 'ünï'"},
		{`let a = 2 "s\"tr"`, "s.js:1\nlet a = 2 \"s\\\"tr\"\n          ^^^^^^^\n\nSyntaxError: Unexpected string"},
		{"let a = 2 3.5e3", "s.js:1\nlet a = 2 3.5e3\n          ^^^^^\n\nSyntaxError: Unexpected number"},
		{"a += += 1", "s.js:1\na += += 1\n     ^^\n\nSyntaxError: Unexpected token '+='"},
	} {
		v, err := New(Options{})
		if err != nil {
			t.Fatal(err)
		}
		_, err = v.RunScript("s.js", tt.src)
		se := AsSyntaxError("s.js", tt.src, err)
		if se == nil {
			t.Fatalf("%q: %v is not a syntax error", tt.src, err)
		}
		if got := se.Pretty(true); got != tt.want {
			t.Errorf("%q:\n got %q\nwant %q", tt.src, got, tt.want)
		}
	}
	if AsSyntaxError("x.js", "", errors.New("other")) != nil {
		t.Error("an error that is not a syntax error")
	}
}

// TestInspectTagGetter: the VM's printer runs a Symbol.toStringTag getter,
// as node's util.inspect does; the package's Inspect runs none. A getter
// that throws gives no tag, or with Throw makes the printing throw the
// getter's exception.
func TestInspectTagGetter(t *testing.T) {
	v, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	val, err := v.RunScript("tags.js", `
		class Foo { get [Symbol.toStringTag]() { return "bar" } }
		class Bad { get [Symbol.toStringTag]() { throw new RangeError("boom") } }
		class Static { static get [Symbol.toStringTag]() { return "s" } }
		[new Foo, new Bad, Static]`)
	if err != nil {
		t.Fatal(err)
	}
	items := val.(*goja.Object)
	for _, c := range []struct {
		i          int
		vm, pkg    string
		throwsWith string
	}{
		{0, "Foo [bar] {}", "Foo {}", ""},
		{1, "Bad {}", "Bad {}", "RangeError: boom"},
		{2, "[class Static [s]]", "[class Static]", ""},
	} {
		item := items.Get(strconv.Itoa(c.i))
		if got := v.Inspect(item, InspectOptions{}); got != c.vm {
			t.Errorf("VM.Inspect: %q, want %q", got, c.vm)
		}
		if got := Inspect(v.Runtime(), item, InspectOptions{}); got != c.pkg {
			t.Errorf("Inspect: %q, want %q", got, c.pkg)
		}
		thrown := func() (thrown any) {
			defer func() { thrown = recover() }()
			v.Inspect(item, InspectOptions{Throw: true})
			return nil
		}()
		switch {
		case c.throwsWith == "" && thrown != nil:
			t.Errorf("VM.Inspect with Throw of %s panicked with %v", c.vm, thrown)
		case c.throwsWith != "":
			if e, ok := thrown.(goja.Value); !ok || e.String() != c.throwsWith {
				t.Errorf("VM.Inspect with Throw of %s panicked with %v, want the getter's %s", c.vm, thrown, c.throwsWith)
			}
		}
	}
}
