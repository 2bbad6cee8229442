package image

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stasisvm/stasis/vm"
)

// bigImage is an image of a world holding 400,000 random bytes: an image
// larger than minMapped.
func bigImage(t *testing.T) []byte {
	img := savedImage(t, `globalThis.big = new Uint8Array(400000); for (var i = 0; i < big.length; i++) big[i] = Math.random() * 256;`)
	if len(img) < minMapped {
		t.Fatalf("the image is %d bytes, not over %d", len(img), minMapped)
	}
	return img
}

// TestLoadMappedSection: an image that is a section of a file (as a
// bundle's is, at an offset of no page boundary) loads the same world as
// the image read from memory.
func TestLoadMappedSection(t *testing.T) {
	img := bigImage(t)
	path := filepath.Join(t.TempDir(), "app")
	if err := os.WriteFile(path, append(bytes.Repeat([]byte{'#'}, 1001), img...), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, unmap, err := mapFile(f, 1001, int64(len(img))); err != nil {
		t.Fatalf("the section cannot be mapped: %v", err)
	} else {
		unmap()
	}
	probe := `var sum = 0; for (var i = 0; i < big.length; i++) sum = (sum * 31 + big[i]) % 1000000007; console.log(big.length, sum)`
	var outs [2]bytes.Buffer
	for i, r := range []io.Reader{bytes.NewReader(img), io.NewSectionReader(f, 1001, int64(len(img)))} {
		v, _, err := Load(r, LoadOptions{VM: vm.Options{Stdout: &outs[i], Stderr: &outs[i]}})
		if err != nil {
			t.Fatal(err)
		}
		run(t, v, "probe.js", probe)
	}
	if outs[0].String() != outs[1].String() || len(outs[0].String()) < 10 {
		t.Errorf("mapped: %q, read: %q", outs[1].String(), outs[0].String())
	}
}

// TestMappedFileShrinks: a file cut short under its mapping while the
// image is read is refused with an error, not a crash.
func TestMappedFileShrinks(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no file mapping")
	}
	img := bigImage(t)
	path := filepath.Join(t.TempDir(), "img")
	if err := os.WriteFile(path, img, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, unmap, err := mapFile(f, 0, int64(len(img)))
	if err != nil {
		t.Fatal(err)
	}
	defer unmap()
	if err := os.Truncate(path, 100); err != nil {
		t.Fatal(err)
	}
	if _, _, err := readMapped(b, LoadOptions{}.Limits); !errors.Is(err, errChanged) {
		t.Errorf("got %v, want %v", err, errChanged)
	}
}
