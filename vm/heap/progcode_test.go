package heap

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"unsafe"

	"github.com/dop251/goja"
)

// codeCorpus are scripts whose compiled programs must survive a store and
// a rebuild: each prints through out(), and its output (values, thrown
// errors' stacks, functions' texts) must not change.
var codeCorpus = []struct{ name, src string }{
	{"basics", `var a = 1, b = "two", c = 3.5, d = -0, e = 2n ** 70n, f = null, g = undefined, h = true;
out([a, b, c, 1/d, String(e), -e, f, g, h, "café 😀", 'l\u0000ne'].map(String).join("|"));
function add(x, y = 2, ...rest) { return x + y + rest.length }
out(add(1), add(1, 3, 4, 5), add.length, add.name, add.toString());`},
	{"closures", `function counter() { let n = 0; return { inc() { return ++n }, get value() { return n } } }
var k = counter(); k.inc(); k.inc(); out(k.value);
var fns = []; for (let i = 0; i < 3; i++) fns.push(() => i * 10); out(fns.map(f => f()).join());
out((function () { return typeof arguments + arguments.length })(1, 2, 3));`},
	{"classes", `class A { #x = 1; static #count = 0; static s = 5; y = this.#x + 1;
  constructor(v) { this.v = v; A.#count++ } get x() { return this.#x } #priv() { return 'p' + this.#x }
  callPriv() { return this.#priv() } static get count() { return A.#count } static { this.init = 'static block' }
  has(o) { return #x in o } }
class B extends A { constructor() { super(7); this.z = super.callPriv() } toString() { return 'B' + super.toString() } }
var b = new B(); out([b.x, b.y, b.v, b.z, A.count, A.s, A.init, b.has(b), b.has({}), String(b)].join());
out(A.toString().slice(0, 30), B.name, typeof class {});`},
	{"generators", `function* g(n) { const x = yield n; yield* [x, x + 1]; try { yield 'in try' } finally { out('finally') } return 'done' }
var it = g(1); out(JSON.stringify([it.next(), it.next(5), it.next(), it.next(), it.next(), it.next()]));
var o = { *m() { yield 1; yield } }; out([...o.m()].join());
function* inf() { let i = 0; while (true) yield i++ } var s = 0; for (const v of inf()) { if (v > 5) break; s += v } out(s);`},
	{"async", `async function f(x) { const y = await x; return y * 2 }
const af = async (z) => { await null; return z + 1 };
class C { async m() { return await f(await af(1)) } }
new C().m().then(v => out('async', v));
(async function () { try { await Promise.reject(new Error('boom')) } catch (e) { out('caught', e.message) } })();`},
	{"regexps", `var r = /a(b+)c/gi, u = /\u{1F600}/u, y = /x/y, s = /a.b/s, m = /^z$/m;
out('xABBCabc'.replace(r, '[$1]'), u.test('😀'), y.sticky, s.test('a\nb'), m.test('q\nz'), r.flags, r.source);
function mk() { return /q+/g } out(mk() !== mk(), mk().lastIndex, [...'qqaqq'.matchAll(mk())].length);`},
	{"templates", `function tag(s, ...v) { return s.raw.join('|') + v.join() } var t = 3;
out(tag` + "`a${t}b\\n${t + 1}`" + `, ` + "`plain ${t * 2}`" + `);
function same() { return (x => x)` + "`k`" + ` } out(same() === same());`},
	{"control", `var r = [];
outer: for (var i = 0; i < 4; i++) { for (var j = 0; j < 4; j++) { if (j === 2) continue outer; if (i === 3) break outer; r.push(i + '' + j) } }
switch (r.length) { case 6: r.push('six'); break; default: r.push('other') }
try { null.x } catch ({ message }) { r.push(message.length > 0) } finally { r.push('fin') }
for (var key in { p: 1, q: 2 }) r.push(key); do { r.push('do') } while (false);
var { a = 1 } = {}; var [c, d = 4] = [3]; r.push(a, c, d, null ?? 'nn', r?.length, r?.nope?.x);
out(r.join());`},
	{"errors", `function thrower() { throw new TypeError('bad ' + 42) }
function mid() { return thrower() }
try { mid() } catch (e) { out(e.stack) }
try { undefinedVariable } catch (e) { out(e.name, e.message) }
out(new Error('x').stack.split('\n').length);`},
	{"eval", `var ev = 5; out(eval('ev + 1'), new Function('a', 'b', 'return a * b')(6, 7));
function withScope() { var o = { w: 'with' }; with (o) { return w } } out(withScope());
(function () { var local = 'direct'; out(eval('local')) })();`},
	{"getters", `var o = { get g() { return 'G' }, set s(v) { this._s = v }, ['comp' + 'uted']: 1, __proto__: { inh: 'i' } };
o.s = 9; out(o.g, o._s, o.computed, o.inh, Object.keys(o).join());
var sym = Symbol('s'); var p = { [sym]: 'sym' }; out(p[sym], delete p[sym], sym in p);`},
	{"strict", `'use strict'; function f() { return this } out(f() === undefined);
try { undeclared = 1 } catch (e) { out(e.name) }
const k = 1; try { k = 2 } catch (e) { out(e.name) }`},
}

// runProgram runs p in a fresh runtime and returns what it printed.
func runProgram(t *testing.T, p *goja.Program) string {
	t.Helper()
	rt := goja.New()
	var buf strings.Builder
	rt.Set("out", func(c goja.FunctionCall) goja.Value {
		var parts []string
		for _, a := range c.Arguments {
			parts = append(parts, a.String())
		}
		buf.WriteString(strings.Join(parts, " ") + "\n")
		return goja.Undefined()
	})
	if _, err := rt.RunProgram(p); err != nil {
		fmt.Fprintf(&buf, "error: %v\n", err)
	}
	return buf.String()
}

func TestCodeRegistry(t *testing.T) {
	if err := CodeUnavailable(); err != nil {
		t.Fatal(err)
	}
	r := codeTypes()
	if r.instructions < 200 {
		t.Fatalf("the type table gave %d instruction types, want at least 200", r.instructions)
	}
	if !strings.HasPrefix(CodeKey(), "goja-code-3:") {
		t.Fatalf("code key %q", CodeKey())
	}
	// Every instruction type the corpus compiles to is known.
	for _, c := range codeCorpus {
		p := goja.MustCompile(c.name, c.src, false)
		for _, info := range Programs(p) {
			cv := code(info.Program)
			for pc := 0; pc < cv.Len(); pc++ {
				if ct := r.typed(cv.Index(pc).Elem().Type()); ct == nil || ct.codec == nil {
					t.Errorf("%s: instruction type %s is not in the registry", c.name, cv.Index(pc).Elem().Type())
				}
			}
		}
	}
}

func TestProgramRoundTrip(t *testing.T) {
	for _, c := range codeCorpus {
		t.Run(c.name, func(t *testing.T) {
			p, err := goja.Compile(c.name, c.src, false)
			if err != nil {
				t.Fatal(err)
			}
			data, err := EncodeProgram(p, c.name, c.src)
			if err != nil {
				t.Fatal(err)
			}
			q, err := DecodeProgram(c.name, c.src, data)
			if err != nil {
				t.Fatal(err)
			}
			again, err := EncodeProgram(q, c.name, c.src)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(data, again) {
				t.Errorf("the rebuilt program encodes differently (%d bytes, was %d)", len(again), len(data))
			}
			if !reflect.DeepEqual(shape(p), shape(q)) {
				t.Errorf("program tree shapes differ")
			}
			want, got := runProgram(t, p), runProgram(t, q)
			if want != got {
				t.Errorf("output from source:\n%s\nfrom stored code:\n%s", want, got)
			}
			if strings.Contains(want, "error:") {
				t.Errorf("the probe failed: %s", want)
			}
		})
	}
}

// TestRegistryFirstUseConcurrent decodes and encodes the corpus with a
// fresh registry on one goroutine per script, all at once, so that types
// are registered (and interface slots added) by several goroutines while
// others decode with the types they have (run it with -race): the same
// programs and bytes as with the process's registry.
func TestRegistryFirstUseConcurrent(t *testing.T) {
	type item struct {
		name, src string
		p         *goja.Program
		data      []byte
	}
	var items []item
	for _, c := range codeCorpus {
		p := goja.MustCompile(c.name, c.src, false)
		data, err := EncodeProgram(p, c.name, c.src)
		if err != nil {
			t.Fatal(err)
		}
		items = append(items, item{c.name, c.src, p, data})
	}
	for round := 0; round < 3; round++ {
		r := buildRegistry()
		if r.err != nil {
			t.Fatal(r.err)
		}
		before := len(r.byType)
		start := make(chan struct{})
		errs := make([]error, len(items))
		progs := make([]*goja.Program, len(items))
		var wg sync.WaitGroup
		for i, it := range items {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				q, _, err := decodeProgram(r, it.name, it.src, it.data)
				if err != nil {
					errs[i] = err
					return
				}
				again, err := encodeProgram(r, q, it.name, it.src)
				if err == nil && !bytes.Equal(again, it.data) {
					err = fmt.Errorf("encodes as %d bytes, was %d", len(again), len(it.data))
				}
				progs[i], errs[i] = q, err
			}()
		}
		close(start)
		wg.Wait()
		for i, it := range items {
			if errs[i] != nil {
				t.Fatalf("%s: %v", it.name, errs[i])
			}
			if want, got := runProgram(t, it.p), runProgram(t, progs[i]); want != got {
				t.Errorf("%s: output from source:\n%s\nfrom stored code:\n%s", it.name, want, got)
			}
		}
		if round == 0 {
			t.Logf("%d types registered at first, %d after the corpus, of %d candidates", before, len(r.byType), len(r.candidates))
			if len(r.byType) <= before {
				t.Errorf("the corpus registered no types beyond the probe's")
			}
		}
	}
}

// shape lists each program's name and instruction types.
func shape(p *goja.Program) []string {
	var out []string
	for _, info := range Programs(p) {
		c := code(info.Program)
		var b strings.Builder
		b.WriteString(ProgramName(info.Program) + ":")
		for pc := 0; pc < c.Len(); pc++ {
			b.WriteString(" " + insName(c, pc))
		}
		out = append(out, b.String())
	}
	return out
}

func TestEncodeProgramRefuses(t *testing.T) {
	p := goja.MustCompile("a.js", "var x = 1", false)
	if _, err := EncodeProgram(p, "b.js", "var x = 1"); !errors.Is(err, ErrCodeUnsupported) {
		t.Errorf("another name: %v", err)
	}
	if _, err := EncodeProgram(p, "a.js", "var x = 2"); !errors.Is(err, ErrCodeUnsupported) {
		t.Errorf("another source: %v", err)
	}
}

func TestDecodeProgramRejects(t *testing.T) {
	src := codeCorpus[3].src
	p := goja.MustCompile("g.js", src, false)
	data, err := EncodeProgram(p, "g.js", src)
	if err != nil {
		t.Fatal(err)
	}
	// Every truncation is refused.
	for n := 0; n < len(data); n++ {
		if _, err := DecodeProgram("g.js", src, data[:n]); err == nil {
			t.Fatalf("a program cut to %d of %d bytes was accepted", n, len(data))
		}
	}
	// Against a shorter source, slices of it are refused.
	if _, err := DecodeProgram("g.js", src[:10], data); err == nil {
		t.Errorf("a program over a shorter source was accepted")
	}
	// A changed byte never panics; most are refused.
	refused := 0
	for i := range data {
		for _, x := range []byte{0x01, 0x40, 0xff} {
			d := append([]byte(nil), data...)
			d[i] ^= x
			if _, err := DecodeProgram("g.js", src, d); err != nil {
				refused++
			}
		}
	}
	if refused == 0 {
		t.Errorf("no changed byte was refused")
	}
	cases := []struct {
		name string
		src  string
		edit func([]byte) []byte
		want string
	}{
		{"unknown type", "var a = 1", func(b []byte) []byte {
			return bytes.Replace(b, []byte("goja.loadVal"), []byte("goja.loadVaX"), 1)
		}, "unknown to this build"},
		{"version", "var a = 1", func(b []byte) []byte { b[0] = 9; return b }, "code version"},
		{"trailing bytes", "var a = 1", func(b []byte) []byte { return append(b, 0) }, "after the program"},
	}
	for _, c := range cases {
		p := goja.MustCompile("c.js", c.src, false)
		data, err := EncodeProgram(p, "c.js", c.src)
		if err != nil {
			t.Fatal(err)
		}
		_, err = DecodeProgram("c.js", c.src, c.edit(data))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error with %q", c.name, err, c.want)
		}
	}
}

// TestDecodeProgramChecksOperands plants bad operands through a crafted
// encoding and checks that they are refused.
func TestDecodeProgramChecksOperands(t *testing.T) {
	src := "var i = 0; while (i < 3) i++; var arr = [1, 2, 3];"
	p := goja.MustCompile("j.js", src, false)
	c := code(p)
	// Make a jump out of the program and a huge array, in copies.
	for _, tc := range []struct {
		ins  string
		want string
		set  func(v reflect.Value)
	}{
		{"jump", "outside the program", func(v reflect.Value) { v.SetInt(1 << 20) }},
		{"newArray", "out of range", func(v reflect.Value) { v.SetUint(1 << 30) }},
	} {
		found := false
		for pc := 0; pc < c.Len(); pc++ {
			if insName(c, pc) != tc.ins {
				continue
			}
			found = true
			saved := reflect.ValueOf(c.Index(pc).Interface())
			bad := reflect.New(saved.Type()).Elem()
			tc.set(bad)
			c.Index(pc).Set(bad)
			_, err := EncodeProgram(p, "j.js", src)
			c.Index(pc).Set(saved)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: encoding got %v, want %q", tc.ins, err, tc.want)
			}
			break
		}
		if !found {
			t.Fatalf("no %s in the probe", tc.ins)
		}
	}
}

func BenchmarkTypeRegistry(b *testing.B) {
	b.Run("typelinks", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			_ = scanGojaTypes()
		}
	})
	b.Run("corpus", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			seen := map[reflect.Type]bool{}
			for _, c := range codeCorpus {
				p := goja.MustCompile(c.name, c.src, false)
				for _, info := range Programs(p) {
					cv := code(info.Program)
					for pc := 0; pc < cv.Len(); pc++ {
						seen[cv.Index(pc).Elem().Type()] = true
					}
				}
			}
		}
	})
	b.Run("registry", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			_ = buildRegistry()
		}
	})
}

// FuzzDecodeProgram feeds the code decoder arbitrary bytes, seeded with the
// corpus's programs. It must refuse them or rebuild a program that encodes
// again; never panic.
func FuzzDecodeProgram(f *testing.F) {
	for _, c := range codeCorpus {
		p := goja.MustCompile(c.name, c.src, false)
		data, err := EncodeProgram(p, c.name, c.src)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(c.src, data)
	}
	saved := minParallelCode
	defer func() { minParallelCode = saved }()
	f.Fuzz(func(t *testing.T, src string, data []byte) {
		// Half the inputs on several goroutines, as large scripts are.
		minParallelCode = saved
		if len(data)%2 == 0 {
			minParallelCode = 0
		}
		p, err := DecodeProgram("f.js", src, data)
		if err != nil {
			return
		}
		if _, err := EncodeProgram(p, "f.js", src); err != nil {
			t.Fatalf("a decoded program does not encode: %v", err)
		}
	})
}

// TestBadOperandPanics shows how goja reacts to an operand that passes the
// decoder's checks but is wrong for the frame that runs it: a Go panic out
// of its run loop (a runtime error, which recover catches), never a fault
// that ends the process. vm.VM turns such panics into errors of the call.
func TestBadOperandPanics(t *testing.T) {
	src := "function f(a, b) { var x = a + b; return x * 2 } f(1, 2)"
	p := goja.MustCompile("bad.js", src, false)
	data, err := EncodeProgram(p, "bad.js", src)
	if err != nil {
		t.Fatal(err)
	}
	q, err := DecodeProgram("bad.js", src, data)
	if err != nil {
		t.Fatal(err)
	}
	planted := false
	for _, info := range Programs(q)[1:] {
		c := code(info.Program)
		for pc := 0; pc < c.Len(); pc++ {
			if name := insName(c, pc); name == "loadStack" || name == "loadStackLex" {
				bad := reflect.New(c.Index(pc).Elem().Type()).Elem()
				bad.SetInt(maxOperand)
				c.Index(pc).Set(bad)
				planted = true
			}
		}
	}
	if !planted {
		t.Fatal("no stack load in the probe")
	}
	if _, err := EncodeProgram(q, "bad.js", src); err != nil {
		t.Fatalf("the planted operand is within the decoder's checks, yet: %v", err)
	}
	var recovered any
	func() {
		defer func() { recovered = recover() }()
		_, _ = goja.New().RunProgram(q)
	}()
	if _, ok := recovered.(interface{ RuntimeError() }); !ok {
		t.Fatalf("running a bad stack slot: recovered %v (%T), want a Go runtime error", recovered, recovered)
	}
}

// TestProgramsFastWalk checks that the walk by interface words lists the
// same programs, in the same order and with the same details, as the walk
// by reflection, on every script of the corpus; and that an empty table
// (every type unknown, so not known to make no functions) still gives the
// same list.
func TestProgramsFastWalk(t *testing.T) {
	w := programWalker()
	if w == nil {
		t.Fatal("no fast walk for this goja")
	}
	makers := 0
	for _, mt := range w.types {
		if mt.maker && !mt.reflective {
			makers++
		}
	}
	if makers != len(programInstructions) || !w.complete {
		t.Errorf("the table has %d function-making types read fast (complete: %v), want %d", makers, w.complete, len(programInstructions))
	}
	empty := &fastWalker{codeOff: w.codeOff, types: map[unsafe.Pointer]*makerType{}}
	empty.index()
	// Every maker read by reflection (as one whose fields the fast walk
	// does not know would be).
	slow := &fastWalker{codeOff: w.codeOff, types: map[unsafe.Pointer]*makerType{}, complete: true}
	for word, mt := range w.types {
		slow.types[word] = &makerType{name: mt.name, maker: true, reflective: true}
	}
	slow.index()
	nested := 0
	for _, c := range codeCorpus {
		p := goja.MustCompile(c.name, c.src, false)
		var want, unknown []ProgramInfo
		walkPrograms(reflect.ValueOf(p), ProgramInfo{Parent: -1}, &want)
		empty.walk(unsafe.Pointer(p), ProgramInfo{Parent: -1}, &unknown)
		got := Programs(p)
		nested += len(want) - 1
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the fast walk gives\n%+v\nthe reflective one\n%+v", c.name, got, want)
		}
		if !reflect.DeepEqual(unknown, want) {
			t.Errorf("%s: the walk without a table differs", c.name)
		}
		var reflective []ProgramInfo
		slow.walk(unsafe.Pointer(p), ProgramInfo{Parent: -1}, &reflective)
		if !reflect.DeepEqual(reflective, want) {
			t.Errorf("%s: the walk with every maker read by reflection differs", c.name)
		}
	}
	if nested < 30 {
		t.Errorf("the corpus has %d nested programs, want at least 30", nested)
	}
}

// TestProgramRoundTripParallel decodes the corpus's programs on several
// goroutines (as large scripts are), and a generated script of many
// functions on one and on several: the same programs either way.
func TestProgramRoundTripParallel(t *testing.T) {
	saved := minParallelCode
	defer func() { minParallelCode = saved }()
	var gen strings.Builder
	for i := 0; i < 300; i++ {
		fmt.Fprintf(&gen, "function f%d(a) { var g = x => x + a + %d; return class { m() { return g(%d) } } }\n", i, i, i)
	}
	gen.WriteString("var s = 0; for (var i = 0; i < 300; i++) s += new (this['f' + i](i))().m(); out(s);")
	corpus := append(codeCorpus[:len(codeCorpus):len(codeCorpus)], struct{ name, src string }{"generated", gen.String()})
	for _, c := range corpus {
		p := goja.MustCompile(c.name, c.src, false)
		data, err := EncodeProgram(p, c.name, c.src)
		if err != nil {
			t.Fatal(err)
		}
		want := runProgram(t, p)
		for _, threshold := range []int{1 << 30, 0} {
			minParallelCode = threshold
			for round := 0; round < 3; round++ {
				q, err := DecodeProgram(c.name, c.src, data)
				if err != nil {
					t.Fatalf("%s: %v", c.name, err)
				}
				if again, err := EncodeProgram(q, c.name, c.src); err != nil || !bytes.Equal(again, data) {
					t.Fatalf("%s (threshold %d): the rebuilt program encodes differently: %v", c.name, threshold, err)
				}
				if got := runProgram(t, q); got != want {
					t.Fatalf("%s: output from source:\n%s\nfrom stored code:\n%s", c.name, want, got)
				}
			}
		}
	}
}

// codeParts splits stored code into its header (everything before the
// program lengths), the names of its types and its programs' bytes.
func codeParts(t *testing.T, data []byte) (head []byte, types []string, progs [][]byte) {
	t.Helper()
	i := 0
	uv := func() uint64 {
		v, k := binary.Uvarint(data[i:])
		if k <= 0 {
			t.Fatalf("bad varint at %d", i)
		}
		i += k
		return v
	}
	uv() // version
	uv() // base
	for n := uv(); n > 0; n-- {
		l := uv()
		types = append(types, string(data[i:i+int(l)]))
		i += int(l)
	}
	for n := uv(); n > 0; n-- {
		i += int(uv())
	}
	head = data[:i]
	var lens []int
	for n := uv(); n > 0; n-- {
		lens = append(lens, int(uv()))
	}
	for _, l := range lens {
		progs = append(progs, data[i:i+l])
		i += l
	}
	return head, types, progs
}

// joinCode is the inverse of codeParts.
func joinCode(head []byte, progs [][]byte) []byte {
	out := append([]byte(nil), head...)
	out = binary.AppendUvarint(out, uint64(len(progs)))
	for _, p := range progs {
		out = binary.AppendUvarint(out, uint64(len(p)))
	}
	for _, p := range progs {
		out = append(out, p...)
	}
	return out
}

// TestDecodeProgramChecksTree crafts program lists that are not a tree,
// or whose lengths lie, and checks that each is refused.
func TestDecodeProgramChecksTree(t *testing.T) {
	saved := minParallelCode
	defer func() { minParallelCode = saved }()
	src := "function a() { return function () {} } function b() {}"
	p := goja.MustCompile("t.js", src, false)
	data, err := EncodeProgram(p, "t.js", src)
	if err != nil {
		t.Fatal(err)
	}
	head, _, progs := codeParts(t, data)
	if len(progs) != 4 {
		t.Fatalf("%d programs, want 4", len(progs))
	}
	// refEdits returns copies of the programs with one byte of program k
	// that holds from set to to: one of them is the reference to program
	// from (the others are refused for other reasons, or decode).
	refEdits := func(k int, from, to byte) [][][]byte {
		var out [][][]byte
		for i, b := range progs[k] {
			if b != from {
				continue
			}
			edit := append([][]byte(nil), progs...)
			edit[k] = append([]byte(nil), progs[k]...)
			edit[k][i] = to
			out = append(out, edit)
		}
		return out
	}
	cases := []struct {
		name  string
		edits [][][]byte
		want  string
	}{
		{"nested twice", refEdits(0, 2, 1), "nested in two programs"},
		{"nested in itself", refEdits(1, 3, 1), "program 1 refers to program 1"},
		{"nested in a missing one", refEdits(0, 2, 0x7f), "refers to program 127 of 4"},
		{"a program nested nowhere", [][][]byte{append(append([][]byte(nil), progs...), progs[3])}, "nested in no program"},
		{"no programs", [][][]byte{nil}, "0 programs"},
	}
	for _, c := range cases {
		for _, threshold := range []int{1 << 30, 0} {
			minParallelCode = threshold
			var errs []string
			for _, e := range c.edits {
				if _, err := DecodeProgram("t.js", src, joinCode(head, e)); err != nil {
					errs = append(errs, err.Error())
				}
			}
			if !strings.Contains(strings.Join(errs, "\n"), c.want) {
				t.Errorf("%s: got %q, want an error with %q", c.name, errs, c.want)
			}
		}
	}
	// Lengths that do not add up to the bytes.
	whole := joinCode(head, progs)
	if _, err := DecodeProgram("t.js", src, whole); err != nil {
		t.Fatalf("the parts do not join again: %v", err)
	}
	short := append(append([]byte(nil), whole...), 1, 2, 3, 4)
	if _, err := DecodeProgram("t.js", src, short); err == nil || !strings.Contains(err.Error(), "after the programs") {
		t.Errorf("trailing bytes: %v", err)
	}
}

// TestEncodeProgramRefusesDeepNesting checks the bound on nested functions.
func TestEncodeProgramRefusesDeepNesting(t *testing.T) {
	src := strings.Repeat("function f() {", maxProgramDepth) + strings.Repeat("}", maxProgramDepth)
	p, err := goja.Compile("deep.js", src, false)
	if err != nil {
		t.Skipf("goja does not compile %d nested functions: %v", maxProgramDepth, err)
	}
	if _, err := EncodeProgram(p, "deep.js", src); err == nil || !strings.Contains(err.Error(), "nested deeper") {
		t.Errorf("got %v, want a refusal", err)
	}
}

// TestSmallIntegersShared checks that a decoded program's integer
// instructions from -256 to 255 (stack slots, jumps, counts) point into
// the shared smallInts, and the others to memory of their own, each with
// the value compiling gave: scripts with jumps back and forth of a few and
// of many instructions, and with more than 256 locals.
func TestSmallIntegersShared(t *testing.T) {
	var many strings.Builder
	many.WriteString("function wide() { ")
	for i := 0; i < 300; i++ {
		fmt.Fprintf(&many, "let v%d = %d; ", i, i)
	}
	many.WriteString("return () => v0 + v150 + v299 } out(wide()());")
	var long strings.Builder
	long.WriteString("var s = 0; for (var i = 0; i < 3; i++) { if (i === 1) continue; ")
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&long, "s += i * %d; ", i)
	}
	long.WriteString("} out(s);")
	for _, tc := range []struct{ name, src string }{
		{"short jumps", `var n = 0; for (var i = 0; i < 5; i++) { if (i % 2) n += i; else n -= 1 } out(n, -5 | 0, 255, 256, -256, -257);`},
		{"long jumps", long.String()},
		{"many locals", many.String()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := goja.MustCompile(tc.name, tc.src, false)
			data, err := EncodeProgram(p, tc.name, tc.src)
			if err != nil {
				t.Fatal(err)
			}
			q, err := DecodeProgram(tc.name, tc.src, data)
			if err != nil {
				t.Fatal(err)
			}
			if want, got := runProgram(t, p), runProgram(t, q); want != got || strings.Contains(want, "error:") {
				t.Fatalf("output from source:\n%s\nfrom stored code:\n%s", want, got)
			}
			lo := uintptr(unsafe.Pointer(&smallInts[0]))
			hi := lo + unsafe.Sizeof(smallInts)
			shared, own := 0, 0
			want, got := Programs(p), Programs(q)
			for k := range want {
				wc, gc := code(want[k].Program), code(got[k].Program)
				for pc := 0; pc < gc.Len(); pc++ {
					w, g := wc.Index(pc).Elem(), gc.Index(pc).Elem()
					var v int64
					switch g.Kind() {
					case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
						v = g.Int()
					case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
						v = int64(g.Uint())
					default:
						continue
					}
					if w.Interface() != g.Interface() {
						t.Errorf("program %d pc %d: %v decoded as %v", k, pc, w, g)
					}
					data := uintptr((*[2]unsafe.Pointer)(gc.Index(pc).Addr().UnsafePointer())[1])
					inTable := data >= lo && data < hi
					if small := v >= -256 && v < 256; small != inTable {
						t.Errorf("program %d pc %d: %s(%d) in the shared table: %v", k, pc, g.Type(), v, inTable)
					}
					if inTable {
						shared++
					} else {
						own++
					}
				}
			}
			if shared == 0 {
				t.Error("no integer instruction was shared")
			}
			t.Logf("%d integer instructions shared, %d of their own", shared, own)
		})
	}
}

// TestStringInstructionsShared checks that a decoded tree's string
// instructions (property names, string constants) that hold the same
// string of the tree's table share one box, with the value compiling
// gave, in the same program and across programs, and that a tree decoded
// on several goroutines gives the same values.
func TestStringInstructionsShared(t *testing.T) {
	src := `var o = { length: 1, name: "n" }; function f(p) { return p.length + p.name + p.length }
function g(q) { q.length = q.length + 1; return q.name + "n" } out(f(o), g(o), o.length, "n", "length");`
	for _, workers := range []int{1, 4} {
		t.Run(fmt.Sprint(workers, " decoders"), func(t *testing.T) {
			defer func(n int) { minParallelCode = n }(minParallelCode)
			if workers > 1 {
				minParallelCode = 0
			}
			p := goja.MustCompile("strings", src, false)
			data, err := EncodeProgram(p, "strings", src)
			if err != nil {
				t.Fatal(err)
			}
			q, err := DecodeProgram("strings", src, data)
			if err != nil {
				t.Fatal(err)
			}
			if want, got := runProgram(t, p), runProgram(t, q); want != got || strings.Contains(want, "error:") {
				t.Fatalf("output from source:\n%s\nfrom stored code:\n%s", want, got)
			}
			boxes := map[string]map[uintptr]bool{}
			// note records a string held by an interface at iv (an
			// instruction, or a constant in an instruction's field).
			note := func(iv reflect.Value) {
				if iv.IsNil() || iv.Elem().Kind() != reflect.String {
					return
				}
				s := iv.Elem().String()
				if boxes[s] == nil {
					boxes[s] = map[uintptr]bool{}
				}
				boxes[s][uintptr((*[2]unsafe.Pointer)(iv.Addr().UnsafePointer())[1])] = true
			}
			want, got := Programs(p), Programs(q)
			for k := range want {
				wc, gc := code(want[k].Program), code(got[k].Program)
				for pc := 0; pc < gc.Len(); pc++ {
					w, g := wc.Index(pc).Elem(), gc.Index(pc).Elem()
					if g.Kind() == reflect.String && w.Interface() != g.Interface() {
						t.Errorf("program %d pc %d: %v decoded as %v", k, pc, w, g)
					}
					note(gc.Index(pc))
					switch g.Kind() {
					case reflect.Ptr:
						g = g.Elem()
					case reflect.Struct:
						g = reflect.NewAt(g.Type(), (*[2]unsafe.Pointer)(gc.Index(pc).Addr().UnsafePointer())[1]).Elem()
					}
					if g.Kind() == reflect.Struct {
						for i := 0; i < g.NumField(); i++ {
							if f := g.Field(i); f.Kind() == reflect.Interface {
								note(reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem())
							}
						}
					}
				}
			}
			for _, s := range []string{"length", "name", "n"} {
				if n := len(boxes[s]); n != 1 && (workers == 1 || n == 0 || n > workers) {
					t.Errorf("%q is held in %d boxes, want 1 (at most one per decoder)", s, n)
				}
			}
		})
	}
}
