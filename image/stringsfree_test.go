package image

import (
	"bytes"
	"runtime"
	"testing"

	"github.com/stasisvm/stasis/vm"
)

// TestLoadedLargeStringIsFreed: a large string a world held when saved is
// freed once the resumed world lets go of it, though strings loaded with
// it (a key, a small value) live on: no string of the image pins another's
// memory for the world's life.
func TestLoadedLargeStringIsFreed(t *testing.T) {
	const big = 16 << 20
	cases := []struct{ name, src string }{
		{"ASCII", `globalThis.big = 'x'.repeat(16 << 20) + 'end'; globalThis.keep = {someKey: 'a small value'};`},
		{"Unicode", `globalThis.big = 'é'.repeat(8 << 20) + 'end'; globalThis.keep = {someKey: 'a small vålue'};`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			img := savedImage(t, c.src)
			var out bytes.Buffer
			v, _, err := Load(bytes.NewReader(img), LoadOptions{VM: vm.Options{Stdout: &out, Stderr: &out}})
			if err != nil {
				t.Fatal(err)
			}
			img = nil
			before := liveHeap()
			run(t, v, "drop.js", `delete globalThis.big; console.log(keep.someKey);`)
			after := liveHeap()
			if before < after || before-after < big*3/4 {
				t.Errorf("live heap %d -> %d bytes once the %d-byte string is dropped", before, after, big)
			}
			runtime.KeepAlive(v)
		})
	}
}
