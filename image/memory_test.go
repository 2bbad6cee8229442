package image

import (
	"bytes"
	"runtime"
	"testing"
)

// Loading allocates within a small factor of the world it yields (issue 13):
// what Load allocates in all (the file, the unpacked payload, its decoded
// sections, the objects) is compared with what the loaded world keeps.
func TestLoadMemoryIsProportionate(t *testing.T) {
	img := savedImage(t, `
		var data = [];
		for (var i = 0; i < 100000; i++) data.push({ id: i, name: "n" + (i % 1000), tags: ["t" + (i % 7), i], buf: i % 1000 ? null : new ArrayBuffer(4096) });`)
	var before, during, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	v, _, err := Load(bytes.NewReader(img), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&during)
	runtime.GC()
	runtime.ReadMemStats(&after)
	allocated := during.TotalAlloc - before.TotalAlloc
	kept := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	runtime.KeepAlive(v)
	t.Logf("image %d bytes; Load allocated %d bytes; the world keeps %d", len(img), allocated, kept)
	if kept <= 0 || allocated > 6*uint64(kept) {
		t.Errorf("Load allocated %d bytes for a world of %d", allocated, kept)
	}
}
