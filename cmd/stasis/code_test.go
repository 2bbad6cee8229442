package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stasisvm/stasis/image/format"
	"github.com/stasisvm/stasis/image/imagetest"
)

// TestStoredCodeFlags runs a world saved with its compiled code three
// ways in fresh processes (from the stored code, with --compile-source,
// and as a bundle with STASIS_OPTIONS=--compile-source) and checks that
// they print the same stack traces and function texts; a tampered code
// section is refused with one line.
func TestStoredCodeFlags(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"lib.js": "function outer(n) {\n  return inner(n)\n}\nfunction inner(n) {\n  if (n) throw new RangeError('n is ' + n)\n}\n" +
			"stasis.setMain(function () { try { outer(3) } catch (e) { console.log(e.stack) } console.log(String(inner)) });\n" +
			// Past the 32 KB of source that a load compiles rather than
			// reading its stored code (image.compileBelow).
			"/*" + strings.Repeat(" ", 32<<10) + "*/\n",
	})
	if status, _, stderr := runStatus(t, dir, "save-image", "-o", "w.img", "lib.js"); status != 0 {
		t.Fatalf("save-image: %s", stderr)
	}
	status, want, stderr := runStatus(t, dir, "load-image", "w.img")
	if status != 0 || !strings.Contains(want, "lib.js:5") || !strings.Contains(want, "function inner(n) {") {
		t.Fatalf("load-image: %d %q %q", status, want, stderr)
	}
	if status, got, stderr := runStatus(t, dir, "load-image", "--compile-source", "w.img"); status != 0 || got != want {
		t.Errorf("load-image --compile-source: %d %q %q, want %q", status, got, stderr, want)
	}
	if status, _, stderr := runStatus(t, dir, "bundle", "-o", "app", "w.img"); status != 0 {
		t.Fatalf("bundle: %s", stderr)
	}
	bundled := proc{dir: dir, env: []string{"STASIS_OPTIONS=--compile-source"}}
	if status, got, stderr := bundled.run(t, filepath.Join(dir, "app")); status != 0 || got != want {
		t.Errorf("bundle with STASIS_OPTIONS=--compile-source: %d %q %q, want %q", status, got, stderr, want)
	}

	// Tamper with the code (with valid checksums): refused with one line,
	// unless the code is not used.
	img, err := os.ReadFile(filepath.Join(dir, "w.img"))
	if err != nil {
		t.Fatal(err)
	}
	bad := imagetest.Rewrite(t, img, func(p *format.Payload) {
		for i, c := range p.Code.Programs {
			if len(c) > 0 {
				p.Code.Programs[i] = c[:len(c)-1]
			}
		}
	})
	writeTree(t, dir, map[string]string{"bad.img": string(bad)})
	status, _, stderr = runStatus(t, dir, "load-image", "bad.img")
	if status != exitError || !strings.Contains(stderr, "image is corrupt: script 1 (lib.js): stored code:") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("tampered code: %d %q", status, stderr)
	}
	if status, got, stderr := runStatus(t, dir, "load-image", "--compile-source", "bad.img"); status != 0 || got != want {
		t.Errorf("tampered code with --compile-source: %d %q %q", status, got, stderr)
	}
}
