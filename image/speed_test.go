package image

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/image/imagetest"
	"github.com/stasisvm/stasis/internal/benchcpu"
	"github.com/stasisvm/stasis/vm"
)

// cpuScript defines work() and makes it through a closure, a class and a
// Map, so the resumed world runs rebuilt functions and scopes.
const cpuScript = `
	class Vec { constructor(x, y) { this.x = x; this.y = y } add(o) { return new Vec(this.x + o.x, this.y + o.y) } }
	function makeWork() {
		const cache = new Map();
		let calls = 0;
		return function work(n) {
			calls++;
			let v = new Vec(0, 0), s = 0;
			for (let i = 0; i < n; i++) { v = v.add(new Vec(i, 1)); s += (i * 31) % 7; if (i % 100 === 0) cache.set(i % 1000, s) }
			return s + v.x + cache.size;
		};
	}
	var work = makeWork();
`

func benchWork(b *testing.B, fn goja.Callable, rt *goja.Runtime) {
	arg := rt.ToValue(20000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := fn(goja.Undefined(), arg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRun compares code running in plain goja, in a Stasis world, and
// in a world resumed from an image: the three should be within noise.
func BenchmarkRun(b *testing.B) {
	b.Run("PlainGoja", func(b *testing.B) {
		rt := goja.New()
		if _, err := rt.RunString(cpuScript); err != nil {
			b.Fatal(err)
		}
		fn, _ := goja.AssertFunction(rt.Get("work"))
		benchWork(b, fn, rt)
	})
	b.Run("StasisWorld", func(b *testing.B) {
		v := benchWorld(b, cpuScript)
		fn, _ := goja.AssertFunction(v.Runtime().Get("work"))
		benchWork(b, fn, v.Runtime())
	})
	b.Run("ResumedWorld", func(b *testing.B) {
		v := benchWorld(b, cpuScript)
		var buf bytes.Buffer
		if err := Save(&buf, v, SaveOptions{}); err != nil {
			b.Fatal(err)
		}
		v2, _, err := Load(&buf, LoadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		fn, _ := goja.AssertFunction(v2.Runtime().Get("work"))
		benchWork(b, fn, v2.Runtime())
	})
}

// BenchmarkLibraries saves and loads a world with lodash and marked loaded,
// against running the two libraries' sources in a fresh world. Neither
// side is the process's first (one-time costs such as the layout check are
// paid before the timer starts), and each reports its CPU time too.
func BenchmarkLibraries(b *testing.B) {
	build := libraryBuilder(b)
	b.Run("RunSources", func(b *testing.B) {
		// Not the process's first world either (its one-time costs, such
		// as the layout check, are not part of running the sources).
		build()
		runtime.GC()
		cpu := benchcpu.Start(b)
		for i := 0; i < b.N; i++ {
			build()
		}
		cpu.Stop(b)
	})
	v := build()
	var img bytes.Buffer
	if err := Save(&img, v, SaveOptions{}); err != nil {
		b.Fatal(err)
	}
	b.Run("Save", func(b *testing.B) {
		var buf bytes.Buffer
		for i := 0; i < b.N; i++ {
			buf.Reset()
			if err := Save(&buf, v, SaveOptions{}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(buf.Len()), "bytes")
	})
	b.Run("Load", func(b *testing.B) {
		// Memory must stay flat across loads: what is still live after
		// the loaded worlds are dropped, per load, is reported too.
		// A warm load: the process has already loaded this image once
		// (its scripts' compiled code and RegExps are in the process's
		// caches, the code registry is built), as in a REPL's .load-image
		// or a server that loads a world per request. The collections
		// that measure the live heap are not timed.
		if _, _, err := Load(bytes.NewReader(img.Bytes()), LoadOptions{}); err != nil {
			b.Fatal(err)
		}
		before := liveHeap()
		cpu := benchcpu.Start(b)
		for i := 0; i < b.N; i++ {
			if _, _, err := Load(bytes.NewReader(img.Bytes()), LoadOptions{}); err != nil {
				b.Fatal(err)
			}
		}
		cpu.Stop(b)
		b.ReportMetric((float64(liveHeap())-float64(before))/float64(b.N), "retained-bytes/load")
	})
	// Inspect names captured scopes from the scripts' sources: it must
	// cost about what a load costs, however many scopes there are.
	b.Run("Inspect", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			s, err := Inspect(bytes.NewReader(img.Bytes()), int64(img.Len()))
			if err != nil {
				b.Fatal(err)
			}
			if len(s.Scopes.Named) == 0 {
				b.Fatal("no captured scope named")
			}
		}
	})
}

// libraryBuilder returns a function that makes a world with lodash and
// marked loaded (fetched with npm pack, see imagetest).
func libraryBuilder(b *testing.B) func() *vm.VM {
	var srcs []string
	for _, lib := range []struct{ pkg, file string }{{"lodash@4.17.21", "lodash.js"}, {"marked@4.3.0", "lib/marked.umd.js"}} {
		src, err := os.ReadFile(filepath.Join(imagetest.Package(b, lib.pkg), lib.file))
		if err != nil {
			b.Fatal(err)
		}
		srcs = append(srcs, string(src))
	}
	return func() *vm.VM {
		v, err := NewWorld(vm.Options{})
		if err != nil {
			b.Fatal(err)
		}
		for i, s := range srcs {
			if _, err := v.RunScript([]string{"lodash.js", "marked.js"}[i], s); err != nil {
				b.Fatal(err)
			}
		}
		return v
	}
}

// libraryWorld returns a world with lodash and marked loaded.
func libraryWorld(b *testing.B) *vm.VM { return libraryBuilder(b)() }
