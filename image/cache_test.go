package image

import (
	"bytes"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/stasisvm/stasis/vm"
)

// TestLoadsShareCompiledRegExps loads one image with many RegExps in
// several goroutines at once, twice each (the second load takes every
// pattern from the process's cache), and runs the same matches in each
// world: they must print what the original world prints. Run under -race
// it checks that the shared compiled patterns are safe to share.
func TestLoadsShareCompiledRegExps(t *testing.T) {
	b, err := os.ReadFile("testdata/roundtrip/regexps.js")
	if err != nil {
		t.Fatal(err)
	}
	setup, probe, ok := strings.Cut(string(b), "// save\n")
	if !ok {
		t.Fatal("regexps.js has no // save line")
	}
	orig, origOut := newTestWorld(t)
	run(t, orig, "setup.js", setup)
	var img bytes.Buffer
	if err := Save(&img, orig, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	origOut.Reset()
	run(t, orig, "probe.js", probe)
	want := origOut.String()

	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 2; i++ {
				var out bytes.Buffer
				v, _, err := Load(bytes.NewReader(img.Bytes()), LoadOptions{VM: vm.Options{Stdout: &out, Stderr: &out}})
				if err != nil {
					errs <- err.Error()
					return
				}
				if _, err := v.RunScript("probe.js", probe); err != nil {
					errs <- err.Error()
					return
				}
				if out.String() != want {
					errs <- "got\n" + out.String() + "want\n" + want
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
