package image

import (
	"bytes"
	"runtime"
	"strconv"
	"testing"

	"github.com/stasisvm/stasis/image/format"
)

// TestScriptCacheBoundsPayloads: the script cache outlives the worlds it
// serves, and a script's source and stored code are read in place from
// the payload, which its entry keeps alive: the cache's limit must bound
// the payloads kept, not only their scripts' bytes (a server loading many
// images of much data and a small script each kept them all).
func TestScriptCacheBoundsPayloads(t *testing.T) {
	const images = 8
	var imgs [][]byte
	payloadSize := 0
	for i := range images {
		img := savedImage(t, `var data = []; for (var i = 0; i < 60000; i++) data.push("row " + i + " of image `+strconv.Itoa(i)+`");
			function f() { return data.length }`)
		_, p, err := format.Read(bytes.NewReader(img), format.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		payloadSize = len(p)
		imgs = append(imgs, img)
	}
	// The limit of the cache: about one payload.
	programCache.mu.Lock()
	limit := programCache.limit
	programCache.limit = payloadSize
	programCache.mu.Unlock()
	t.Cleanup(func() {
		programCache.mu.Lock()
		programCache.limit = limit
		programCache.mu.Unlock()
	})
	before := liveHeap()
	for _, img := range imgs {
		v, _, err := Load(bytes.NewReader(img), LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		runtime.KeepAlive(v)
	}
	imgs = nil
	after := liveHeap()
	if grew := int64(after) - int64(before); grew > int64(3*payloadSize) {
		t.Errorf("after loading %d images of a %d-byte payload and dropping their worlds, with a cache limit of one payload, the heap is %d bytes larger", images, payloadSize, grew)
	}
}
