package image

import (
	"testing"

	"github.com/stasisvm/stasis/vm"
)

func TestFingerprint(t *testing.T) {
	v, err := NewWorld(vm.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fp := func() [32]byte {
		t.Helper()
		sum, err := Fingerprint(v)
		if err != nil {
			t.Fatal(err)
		}
		return sum
	}
	run := func(src string) {
		t.Helper()
		if _, err := v.RunScript("<input>", src); err != nil {
			t.Fatal(err)
		}
	}
	run("var counter = {n: 1}")
	base := fp()
	if fp() != base {
		t.Fatal("the same world has two fingerprints")
	}
	run("counter.n + 1") // a script that leaves nothing behind
	if fp() != base {
		t.Error("computing a value changed the fingerprint")
	}
	run("counter.n++")
	changed := fp()
	if changed == base {
		t.Error("changing a property left the fingerprint as it was")
	}
	run("function f() { return counter }")
	if fp() == changed {
		t.Error("a new function left the fingerprint as it was")
	}
}
