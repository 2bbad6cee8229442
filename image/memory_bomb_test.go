package image

import (
	"bytes"
	"runtime"
	"strings"
	"testing"

	"github.com/stasisvm/stasis/image/format"
	"github.com/stasisvm/stasis/image/imagetest"
)

// TestRefusingCostsNoMoreThanLoading: a crafted image is refused within
// the memory a real world of the same payload size takes to load, however
// it is made: refusing a bomb of N unpacked bytes allocates at most a
// small factor of what loading a world of N unpacked bytes allocates.
func TestRefusingCostsNoMoreThanLoading(t *testing.T) {
	img := savedImage(t, `
		var data = [];
		for (var i = 0; i < 50000; i++) data.push({ id: i, name: "n" + (i % 1000), tags: ["t" + (i % 7), i] });`)
	_, data0, err := format.Read(bytes.NewReader(img), format.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	size := len(data0)
	measure := func(img []byte) (uint64, error) {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		v, _, err := Load(bytes.NewReader(img), LoadOptions{})
		runtime.ReadMemStats(&after)
		runtime.KeepAlive(v)
		return after.TotalAlloc - before.TotalAlloc, err
	}
	world, err := measure(img)
	if err != nil {
		t.Fatal(err)
	}
	// Each bomb's payload is about as large as the world's.
	bomb := func(mutate func(p *payload)) []byte { return imagetest.Rewrite(t, img, mutate) }
	cases := []struct {
		name string
		img  []byte
	}{
		// A column of small integers: one byte each in the payload, eight
		// once decoded; refused after decoding, as left over.
		{"a column of integers left over", bomb(func(p *payload) { p.Objects.Slots = append(p.Objects.Slots, make([]uint64, size)...) })},
		// Empty records: one byte each, 24 once decoded.
		{"empty scope records", bomb(func(p *payload) { p.Stashes = append(p.Stashes, make([][]uint64, size)...) })},
		// One huge string, and an object that refers past the strings.
		{"a string, then a dangling reference", bomb(func(p *payload) {
			p.Strings = append(p.Strings, strings.Repeat("x", size))
			p.Roots.Main = format.Code(format.TagObject, 1<<40)
		})},
		// Objects without the columns they need.
		{"objects without columns", bomb(func(p *payload) {
			p.Objects.Kinds = append(p.Objects.Kinds, bytes.Repeat([]byte{byte(okOrdinary)}, size)...)
		})},
	}
	for _, c := range cases {
		n, err := measure(c.img)
		if err == nil {
			t.Fatalf("%s: loaded", c.name)
		}
		t.Logf("%s: refusing an image of %d bytes allocated %d bytes (%.2f of loading the world, %d bytes): %v", c.name, len(c.img), n, float64(n)/float64(world), world, err)
		if n > 2*world {
			t.Errorf("%s: refusing it allocated %d bytes, %.1f times what loading a world of its size does", c.name, n, float64(n)/float64(world))
		}
	}
}
