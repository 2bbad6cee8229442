package image

import (
	"bytes"
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
