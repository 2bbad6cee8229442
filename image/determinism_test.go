package image

import (
	"bytes"
	"testing"
)

const deterministicWorld = `
	var m = new Map([["b", 2], ["a", 1]]); var s = new Set([3, 1]);
	class K { #p = 1; static s = Symbol("x"); m() { return this.#p } }
	function mk(n) { let c = n; return () => c++ }
	var things = { m, s, k: new K(), f: mk(3), wm: new WeakMap([[m, s]]), sym: Symbol.for("q"), big: 10n ** 30n };
	let lex = [1.5, -0, NaN, "x".repeat(10)];
	Array.prototype.extra = function () {};
`

// TestSameWorldSameBytes: a world saved twice, and two worlds built alike,
// give the same payload byte for byte.
func TestSameWorldSameBytes(t *testing.T) {
	a, _ := newTestWorld(t)
	run(t, a, "w.js", deterministicWorld)
	b, _ := newTestWorld(t)
	run(t, b, "w.js", deterministicWorld)
	p1, err := EncodePayload(a)
	if err != nil {
		t.Fatal(err)
	}
	p2, _ := EncodePayload(a)
	p3, _ := EncodePayload(b)
	if !bytes.Equal(p1, p2) {
		t.Error("saving the same world twice gave different payloads")
	}
	if !bytes.Equal(p1, p3) {
		t.Error("two worlds built by the same script gave different payloads")
	}
	// A loaded world saves to the same payload again.
	c, _ := roundTrip(t, a)
	p4, err := EncodePayload(c)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(p1, p4) {
		t.Errorf("a loaded world saves to a different payload (%d bytes, was %d)", len(p4), len(p1))
	}
}
