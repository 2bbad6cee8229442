package image

import (
	"bytes"
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/image/format"
	"github.com/stasisvm/stasis/image/imagetest"
	"github.com/stasisvm/stasis/vm"
	"github.com/stasisvm/stasis/vm/heap"
)

// A world whose state depends on compiled code in each way the code record
// covers, and a probe that prints what that state holds.
const codeWorld = `
function* step(n) { let i = 0; while (true) { yield n + i; i = i + 1 } }
var gen = step(10); gen.next();
function counter() { let c = 0; return function inc() { c += 2; return c } }
var inc = counter(); inc();
class Box { #v; constructor(v) { this.#v = v } get() { return this.#v } }
var box = new Box(7);
function plain() { return 40 + 2 }
`

const codeProbe = `console.log(gen.next().value, gen.next().value, inc(), box.get(), plain())`

// imageWith saves a world made by src and returns its image, with
// metadata changed by edit.
func imageWith(t *testing.T, src string, edit func(*Meta)) []byte {
	t.Helper()
	v, _ := newTestWorld(t)
	run(t, v, "w.js", src)
	meta, payload, err := encodeImage(v, SaveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	edit(meta)
	var buf bytes.Buffer
	if err := format.Write(&buf, meta, payload); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// codeRecordOf returns the code record an image of a world made by src has.
func codeRecordOf(t *testing.T, src string) []byte {
	var code []byte
	imageWith(t, src, func(m *Meta) { code = m.Code })
	return code
}

// TestImagesAcrossGojaVersions loads images as a build with another goja
// would: the metadata names another goja version and heap layout, and the
// code record is either the image's own (the code compiles the same) or that
// of a variant of the world's source whose code differs as another
// compiler's might. Where the code compiles the same the image loads and
// the probe prints what it printed before the save; where state depends on
// code that differs, the image is refused naming the function.
func TestImagesAcrossGojaVersions(t *testing.T) {
	want := probeOutput(t, codeWorld, "")
	if want != "11 12 4 7 42\n" {
		t.Fatalf("the original world prints %q", want)
	}
	cases := []struct {
		name    string
		variant string // the source the code record is taken from; "" the world's own
		refused string // what the refusal names; "" for a load
	}{
		{"the same code", "", ""},
		{"a suspended generator's code differs", strings.Replace(codeWorld, "n + i", "n - i", 1),
			"function step (w.js:2) compiles differently with this goja (" + heap.GojaVersion() + "); the image was made with v0.0.0-20990101000000-000000000000"},
		{"a closure's code differs", strings.Replace(codeWorld, "c += 2", "c -= 2", 1), "function inc (w.js:4) compiles differently"},
		{"a class method's private name differs", strings.Replace(codeWorld, "#v; constructor(v) { this.#v = v } get() { return this.#v }",
			"#w; constructor(v) { this.#w = v } get() { return this.#w }", 1), "class Box (w.js:6) compiles differently"},
		{"a function that closes over nothing differs", strings.Replace(codeWorld, "40 + 2", "40 * 2", 1), ""},
		{"the functions are others", strings.Replace(codeWorld, "function plain() { return 40 + 2 }", "var plain = () => 42", 1),
			"script w.js compiles to other functions with this goja"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code := codeRecordOf(t, codeWorld)
			if c.variant != "" {
				code = codeRecordOf(t, c.variant)
			}
			img := imageWith(t, codeWorld, func(m *Meta) {
				m.GojaVersion, m.Layout, m.Code = "v0.0.0-20990101000000-000000000000", "0123456789abcdef", code
			})
			var out bytes.Buffer
			w, _, err := Load(bytes.NewReader(img), LoadOptions{VM: vm.Options{Stdout: &out, Stderr: &out}})
			if c.refused != "" {
				if w != nil || !errors.Is(err, ErrIncompatible) || !strings.Contains(err.Error(), c.refused) {
					t.Fatalf("got %v, want a refusal with %q", err, c.refused)
				}
				t.Log(err)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			run(t, w, "probe.js", codeProbe)
			if got := out.String(); got != want {
				t.Errorf("resumed world prints %q, the original %q", got, want)
			}
		})
	}
}

// TestOldImagesKeepTheLayoutRule: an image without a code record (made
// before format 1.2) is still refused when its heap layout differs, and
// one with a code record is not refused for its layout alone.
func TestOldImagesKeepTheLayoutRule(t *testing.T) {
	old := imageWith(t, codeWorld, func(m *Meta) { m.Code, m.Layout = nil, "0123456789abcdef" })
	if _, _, err := Load(bytes.NewReader(old), LoadOptions{}); !errors.Is(err, ErrIncompatible) || !strings.Contains(err.Error(), "heap layout 0123456789abcdef") {
		t.Errorf("an old image of another layout: got %v, want a refusal naming the layout", err)
	}
	sameGojaOtherLayout := imageWith(t, codeWorld, func(m *Meta) { m.Layout = "0123456789abcdef" })
	if _, _, err := Load(bytes.NewReader(sameGojaOtherLayout), LoadOptions{}); err != nil {
		t.Errorf("an image with a code record and another layout: %v", err)
	}
}

// TestCodeCheckSkippedForTheSameGoja: with the image's own goja version the
// code record is not even read (a broken one goes unnoticed); with another
// it is, and a broken record is refused as corrupt.
func TestCodeCheckSkippedForTheSameGoja(t *testing.T) {
	broken := []byte{1, 0xff}
	same := imageWith(t, codeWorld, func(m *Meta) { m.Code = broken })
	if _, _, err := Load(bytes.NewReader(same), LoadOptions{}); err != nil {
		t.Errorf("same goja: %v", err)
	}
	other := imageWith(t, codeWorld, func(m *Meta) { m.Code, m.GojaVersion = broken, "v0.0.0-other" })
	if _, _, err := Load(bytes.NewReader(other), LoadOptions{}); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "code record") {
		t.Errorf("other goja: got %v, want a corrupt code record", err)
	}
}

// probeOutput runs setup in a fresh world, then the probe, and returns what
// the probe printed.
func probeOutput(t *testing.T, setup, probe string) string {
	t.Helper()
	v, out := newTestWorld(t)
	run(t, v, "w.js", setup)
	out.Reset()
	if probe == "" {
		probe = codeProbe
	}
	run(t, v, "probe.js", probe)
	return out.String()
}

// BenchmarkCodeRecord measures what the code record costs, on a world
// holding lodash and marked (hundreds of closures): a save with it against
// the same walk and encoding without it, and a load that checks it (the
// image names another goja) against one that skips it (the same goja).
func BenchmarkCodeRecord(b *testing.B) {
	v := libraryWorld(b)
	b.Run("SaveWithout", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			p, _, err := walkPayload(v, false)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := format.Encode(p); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Save", func(b *testing.B) {
		var code []byte
		for i := 0; i < b.N; i++ {
			meta, _, err := encodeImage(v, SaveOptions{})
			if err != nil {
				b.Fatal(err)
			}
			code = meta.Code
		}
		b.ReportMetric(float64(len(code)), "record-bytes")
	})
	// The cost of a first save in a process (stasis save-image): hashing
	// every program of the world's scripts, compiled afresh so that none
	// is in the process's cache (an upper bound: a save hashes only the
	// programs whose state depends on their code).
	compile := func(b *testing.B) []*goja.Program {
		var progs []*goja.Program
		for _, sc := range v.Scripts().All() {
			p, err := goja.Compile(sc.Name, sc.Source, sc.Strict)
			if err != nil {
				b.Fatal(err)
			}
			progs = append(progs, p)
		}
		return progs
	}
	// The baseline of HashAllCold: compiling the same scripts, as a load does.
	b.Run("CompileAll", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			compile(b)
		}
	})
	b.Run("HashAllCold", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			progs := compile(b)
			runtime.GC()
			b.StartTimer()
			h := heap.NewCodeHasher()
			for _, p := range progs {
				h.Code(p)
			}
		}
	})
	img := func(goja string) []byte {
		meta, payload, err := encodeImage(v, SaveOptions{})
		if err != nil {
			b.Fatal(err)
		}
		meta.GojaVersion = goja
		var buf bytes.Buffer
		if err := format.Write(&buf, meta, payload); err != nil {
			b.Fatal(err)
		}
		return buf.Bytes()
	}
	for _, c := range []struct{ name, goja string }{{"LoadSameGoja", heap.GojaVersion()}, {"LoadOtherGoja", "v0.0.0-other"}} {
		data := img(c.goja)
		b.Run(c.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, _, err := Load(bytes.NewReader(data), LoadOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestScriptThatDoesNotCompileWithThisGoja: a script that this goja does
// not compile (older ones fail on some source map comments) is a refusal
// of an image made with another goja, and corruption of one made with this
// goja.
func TestScriptThatDoesNotCompileWithThisGoja(t *testing.T) {
	for _, c := range []struct {
		goja string
		want error
		text string
	}{
		{heap.GojaVersion(), ErrCorrupt, "script 1 (w.js) does not compile"},
		{"v0.0.0-other", ErrIncompatible, "script w.js does not compile with this goja (" + heap.GojaVersion() + "): "},
	} {
		img := imageWith(t, codeWorld, func(m *Meta) { m.GojaVersion = c.goja })
		img = imagetest.Rewrite(t, img, func(p *format.Payload) {
			found := false
			for i := range p.Scripts {
				if p.Scripts[i].Name == "w.js" {
					p.Scripts[i].Source, found = "function (", true
				}
			}
			if !found {
				t.Fatal("no script w.js in the payload")
			}
			p.Code = nil // the sources are what is compiled
		})
		_, _, err := Load(bytes.NewReader(img), LoadOptions{})
		if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.text) {
			t.Errorf("image of goja %s: got %v, want %v with %q", c.goja, err, c.want, c.text)
		}
	}
}

// TestBuiltinsThisGojaLacks: an image names every built-in of the goja
// that made it; one that this goja lacks refuses the image only when the
// world uses it (as made with another goja, or as corrupt with this one).
func TestBuiltinsThisGojaLacks(t *testing.T) {
	const world = `var abs = Math.abs; var n = -3`
	cases := []struct {
		name, builtin, goja string
		want                error
		text                string
	}{
		{"unused, another goja", "globalThis.Math.sign", "v0.0.0-other", nil, ""},
		{"unused, this goja", "globalThis.Math.sign", heap.GojaVersion(), nil, ""},
		{"used, another goja", "globalThis.Math.abs", "v0.0.0-other", ErrIncompatible,
			"the world uses the built-in globalThis.Math.absNext, which this goja (" + heap.GojaVersion() + ") does not have; the image was made with v0.0.0-other"},
		{"used, this goja", "globalThis.Math.abs", heap.GojaVersion(), ErrCorrupt, `this build has no built-in "globalThis.Math.absNext"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			img := imageWith(t, world, func(m *Meta) { m.GojaVersion = c.goja })
			img = imagetest.Rewrite(t, img, func(p *format.Payload) {
				renamed := false
				for _, si := range p.Objects.Intrinsic {
					if p.Strings[si] == c.builtin {
						p.Strings[si], renamed = c.builtin+"Next", true
					}
				}
				if !renamed {
					t.Fatalf("the image does not name %s", c.builtin)
				}
			})
			var out bytes.Buffer
			w, _, err := Load(bytes.NewReader(img), LoadOptions{VM: vm.Options{Stdout: &out, Stderr: &out}})
			if c.want != nil {
				if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.text) {
					t.Fatalf("got %v, want %v with %q", err, c.want, c.text)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			run(t, w, "probe.js", `console.log(abs(n), Math.sign(n))`)
			if got := out.String(); got != "3 -1\n" {
				t.Errorf("the resumed world prints %q", got)
			}
		})
	}
}
