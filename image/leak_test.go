package image

import (
	"bytes"
	"os"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stasisvm/stasis/natives"
	"github.com/stasisvm/stasis/vm"
)

// leakSetup makes a world that holds everything a world records on the
// side, in tables outside the goja heap: bound functions (the bind hook),
// a pending promise with then handlers (the then hook), a combinator in
// flight, and a pending timer of the standard plugins.
const leakSetup = `
	function add(a, b) { return a + b }
	var add1 = add.bind(null, 1);
	var obj = { n: 41, get() { return this.n } };
	var got = obj.get.bind(obj);
	var resolveLater;
	var pending = new Promise(r => { resolveLater = r });
	var chained = pending.then(x => x + 1, e => e);
	var all = Promise.all([pending, chained]);
	var timer = setTimeout(() => console.log("late"), 3600e3);
	var fsp = require("fs").promises;
`

// TestDroppedWorldsAreCollected loads and drops many worlds with bound
// functions and pending promises, and checks that every one of their
// runtimes is collected: nothing global (a cleanup, a cache) may keep a
// world alive once its last user lets go of it.
func TestDroppedWorldsAreCollected(t *testing.T) {
	const n = 12
	var collected atomic.Int64
	opts := func() vm.Options {
		return vm.Options{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{},
			Setup: []func(*vm.VM) error{natives.Setup(natives.Default()...)}}
	}
	img := func() []byte {
		v, err := NewWorld(opts())
		if err != nil {
			t.Fatal(err)
		}
		run(t, v, "setup.js", leakSetup)
		var buf bytes.Buffer
		if err := Save(&buf, v, SaveOptions{}); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}()
	probe := func(v *vm.VM) {
		t.Helper()
		// Use the world, and make more bound functions and reactions after the load.
		res, err := v.RunScript("probe.js", `add1(2) + got() + add.bind(null, 3)(4); chained.then(x => x)`)
		if err != nil {
			t.Fatal(err)
		}
		if res == nil {
			t.Fatal("probe gave no value")
		}
		runtime.AddCleanup(v.Runtime(), func(c *atomic.Int64) { c.Add(1) }, &collected)
	}
	for i := 0; i < n; i++ {
		func() {
			v, _, err := Load(bytes.NewReader(img), LoadOptions{VM: opts()})
			if err != nil {
				t.Fatal(err)
			}
			AttachSaver(v)
			if err := Resume(v, nil); err != nil {
				t.Fatal(err)
			}
			probe(v)
		}()
		func() {
			v, err := NewWorld(opts())
			if err != nil {
				t.Fatal(err)
			}
			AttachSaver(v)
			run(t, v, "setup.js", leakSetup)
			probe(v)
		}()
	}
	// Cleanups run on their own goroutine after the collection that found
	// their object unreachable; give them a few cycles to do so. This waits
	// for an event, it does not time anything.
	for i := 0; i < 200 && collected.Load() < 2*n; i++ {
		runtime.GC()
		time.Sleep(5 * time.Millisecond)
	}
	if got := collected.Load(); got < 2*n {
		t.Fatalf("%d of %d dropped worlds were collected", got, 2*n)
	}
}

// TestRepeatedLoadsKeepMemoryFlat loads, resumes, uses and drops the same
// world fifty times in one process, as a server or the REPL's .load-image
// does, and checks that the live heap (after a collection) and the open
// file descriptors do not grow between the tenth load and the fiftieth.
// The world holds what lives in tables beside the goja heap: bound
// functions, promises with reactions, a promise combinator, a pending
// timer, and a file it keeps open (reopened at every resume).
func TestRepeatedLoadsKeepMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a world fifty times")
	}
	dir := t.TempDir()
	opts := func() vm.Options {
		return vm.Options{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{},
			Setup: []func(*vm.VM) error{natives.Setup(natives.Default()...)}}
	}
	v, err := NewWorld(opts())
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Runtime().Set("dir", dir); err != nil {
		t.Fatal(err)
	}
	run(t, v, "setup.js", leakSetup+`
		var fs = require("fs");
		var log = fs.openSync(dir + "/log.txt", "a");
		fs.writeSync(log, "start\n");
		var big = Array.from({ length: 2000 }, (_, i) => ({ i, s: "x" + i, f: add.bind(null, i) }));`)
	var buf bytes.Buffer
	if err := Save(&buf, v, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	img := buf.Bytes()
	v = nil

	loadOnce := func(i int) {
		w, _, err := Load(bytes.NewReader(img), LoadOptions{VM: opts()})
		if err != nil {
			t.Fatal(err)
		}
		AttachSaver(w)
		if err := Resume(w, nil); err != nil {
			t.Fatal(err)
		}
		res, err := w.RunScript("probe.js", `
			fs.writeSync(log, "load\n");
			chained.then(x => x); resolveLater(1);
			add1(2) + got() + big[1999].f(1) + big.length`)
		if err != nil {
			t.Fatal(err)
		}
		if got := res.ToInteger(); got != 3+41+2000+2000 {
			t.Fatalf("load %d: probe gave %d", i, got)
		}
	}
	live := func() (heap uint64, fds int) {
		// Two collections: cleanups (of bound functions' tables, of
		// files) run after the first one that finds their object gone.
		for range 3 {
			runtime.GC()
			time.Sleep(time.Millisecond)
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		ents, err := os.ReadDir("/proc/self/fd")
		if err != nil {
			return ms.HeapAlloc, -1
		}
		return ms.HeapAlloc, len(ents)
	}
	var heap10, heap50 uint64
	var fds10, fds50 int
	for i := 1; i <= 50; i++ {
		loadOnce(i)
		switch i {
		case 10:
			heap10, fds10 = live()
		case 50:
			heap50, fds50 = live()
		}
	}
	t.Logf("live heap after 10 loads %d bytes, after 50 %d; open descriptors %d, %d", heap10, heap50, fds10, fds50)
	// One world kept per load would add forty worlds (each several hundred
	// KB) between the two measures: several times heap10. The margin
	// allows for the runtime's own small variations.
	if float64(heap50) > 1.2*float64(heap10) {
		t.Errorf("live heap grew from %d bytes after 10 loads to %d after 50 (%.2fx)", heap10, heap50, float64(heap50)/float64(heap10))
	}
	if fds10 >= 0 && fds50 > fds10+2 {
		t.Errorf("open file descriptors grew from %d after 10 loads to %d after 50", fds10, fds50)
	}
}

// liveHeap returns the bytes of the heap still live after two collections.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// keptAfterLoad runs setup in a new world, saves it, and runs keep there
// and in the world loaded from the image. It returns the loaded world and
// its live bytes just after the load (whole) and after keep (kept), and
// the same two figures for the world that ran setup.
func keptAfterLoad(t *testing.T, setup, keep string) (loaded *vm.VM, whole, kept, builtWhole, builtKept int64) {
	t.Helper()
	live := func() int64 { return int64(liveHeap()) }
	built, _ := newTestWorld(t)
	base := live()
	run(t, built, "setup.js", setup)
	builtWhole = live() - base
	var img bytes.Buffer
	if err := Save(&img, built, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	run(t, built, "keep.js", keep)
	builtKept = live() - base
	runtime.KeepAlive(built)
	built = nil
	live()

	base = live()
	loaded, _, err := Load(&img, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	whole = live() - base
	run(t, loaded, "keep.js", keep)
	kept = live() - base
	return loaded, whole, kept, builtWhole, builtKept
}

// TestLoadedWorldKeepsOnlyWhatLives: a loaded world that drops most of its
// objects keeps about what a world that made them itself keeps, not the
// objects it dropped (as it did when a load made objects and property maps
// many to an allocation: one survivor kept its batch alive, and the batch's
// dead objects what they referred to).
func TestLoadedWorldKeepsOnlyWhatLives(t *testing.T) {
	const setup = `var data = [];
		for (var i = 0; i < 20000; i++) data.push({ id: i * 1000, name: "n" + i, pos: { x: i * 1.5, y: -i }, tags: ["t" + (i % 7), { w: i * 3 }] });`
	const keep = `data = data.filter(function (r, i) { return i % 64 == 0 }); 0`
	loaded, whole, kept, builtWhole, builtKept := keptAfterLoad(t, setup, keep)
	runtime.KeepAlive(loaded)
	t.Logf("loaded world %d bytes, %d kept after dropping 63 records in 64; the world that made them: %d, %d kept", whole, kept, builtWhole, builtKept)
	if kept > whole/8 {
		t.Fatalf("the loaded world keeps %d of its %d bytes after dropping 63 records in 64", kept, whole)
	}
}

// TestLoadedMapKeepsOnlyWhatLives: a loaded Map that drops most of its
// entries frees their keys and values, as a Map that a script filled
// does, though a load allocates the entries many at a time
// (heap.Collections): what a batch of entries keeps after its entries are
// deleted is the batch alone.
func TestLoadedMapKeepsOnlyWhatLives(t *testing.T) {
	const n = 20000
	const setup = `var data = new Map();
		for (var i = 0; i < 20000; i++) data.set("record number " + i, { id: i * 1000, name: "n" + i, pos: { x: i * 1.5, y: -i }, tags: ["t" + (i % 7), { w: i * 3 }] });`
	const keep = `var i = 0; for (var k of data.keys()) { if (i++ % 64 != 0) data.delete(k) } 0`
	loaded, whole, kept, builtWhole, builtKept := keptAfterLoad(t, setup, keep)
	if size, err := loaded.RunScript("size.js", "data.size"); err != nil || size.ToInteger() != (n+63)/64 {
		t.Fatalf("data.size = %v (%v) after the deletions, want %d", size, err, (n+63)/64)
	}
	runtime.KeepAlive(loaded)
	t.Logf("loaded Map %d bytes, %d kept after deleting 63 entries in 64; the world that made it: %d, %d kept", whole, kept, builtWhole, builtKept)
	// The batches of entries (56 bytes an entry) stay, and the Map's index
	// (Go maps do not shrink): a tenth of the whole or so.
	if kept > whole/4 {
		t.Fatalf("the loaded world keeps %d of its %d bytes after deleting 63 entries in 64", kept, whole)
	}
}
