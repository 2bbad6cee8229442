package image

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/dop251/goja"
)

// TestSavingWorldGoesOn: saving drains for-in loops' Go state and gives the
// saving world an equivalent iterator; what the world does after the save
// must be what it would have done had it never been saved, and saving it
// again must give the same payload.
func TestSavingWorldGoesOn(t *testing.T) {
	b, err := os.ReadFile("testdata/roundtrip/iterators.js")
	if err != nil {
		t.Fatal(err)
	}
	for i, chunk := range regexp.MustCompile(`(?m)^---$`).Split(string(b), -1) {
		setup, probe, ok := strings.Cut(chunk, "// save\n")
		if !ok {
			t.Fatalf("chunk %d: no // save line", i+1)
		}
		never, neverOut := newTestWorld(t)
		run(t, never, "setup.js", setup)
		saved, savedOut := newTestWorld(t)
		run(t, saved, "setup.js", setup)
		// Twice: a drained loop is drained again, and gives the same bytes.
		var payloads [2][]byte
		for n := range payloads {
			if payloads[n], err = EncodePayload(saved); err != nil {
				t.Fatalf("chunk %d: save: %v", i+1, err)
			}
		}
		if !bytes.Equal(payloads[0], payloads[1]) {
			t.Errorf("chunk %d: saving twice gives different payloads", i+1)
		}
		neverOut.Reset()
		savedOut.Reset()
		run(t, never, "probe.js", probe)
		run(t, saved, "probe.js", probe)
		if got, want := savedOut.String(), neverOut.String(); got != want || want == "" {
			t.Errorf("chunk %d: after saving, the world printed\n%s\nwant\n%s", i+1, got, want)
		}
	}
}

// TestLoopOverGoNextRefused: a loop whose iterator's next is a Go function
// that no plugin owns cannot be saved, even when the iterator no longer
// shows it (goja caches next when the loop starts).
func TestLoopOverGoNextRefused(t *testing.T) {
	v, _ := newTestWorld(t)
	n := 0
	next := v.Runtime().ToValue(func(call goja.FunctionCall) goja.Value {
		n++
		o := v.Runtime().NewObject()
		_ = o.Set("value", n)
		_ = o.Set("done", n > 3)
		return o
	})
	if err := v.Runtime().Set("goNext", next); err != nil {
		t.Fatal(err)
	}
	run(t, v, "setup.js", `
		var it = { [Symbol.iterator]() { return this }, next: goNext };
		function* loop() { for (const x of it) yield x }
		var g = loop(); g.next();
		delete it.next; delete globalThis.goNext;`)
	err := Save(&bytes.Buffer{}, v, SaveOptions{})
	if err == nil || !strings.Contains(err.Error(), "globalThis.g: loop over an iterator whose next method is a Go function that is not a built-in") {
		t.Fatalf("save error = %v", err)
	}
}

// TestInspectIterators: inspect reads iterator records, iterator stacks and
// yield* delegates, and finds paths through them.
func TestInspectIterators(t *testing.T) {
	v, _ := newTestWorld(t)
	run(t, v, "app.js", `
		var gate = new Promise(() => {});
		(async function drain() { for (const row of new Array(300).fill(0).map((_, i) => i)) await gate })();
		function* walk(o) { for (const k in o) yield* [k, o[k]] }
		var w = walk({ a: 1, b: 2 }); w.next();
		var its = [new Map([[1, 2]]).entries(), "abc"[Symbol.iterator](), "a1".matchAll(/\d/g)];
	`)
	s := inspectWorld(t, v)
	iters := 0
	for _, k := range s.Objects {
		if k.Kind == "iterator" {
			iters = k.Count
		}
	}
	if iters != 5 {
		t.Errorf("iterators: %d, want 5 (%+v)", iters, s.Objects)
	}
	if len(s.Largest) == 0 || s.Largest[0].Size != 300 || !strings.Contains(s.Largest[0].Path, "<suspended frame>") {
		t.Errorf("largest: %+v", s.Largest)
	}
}
