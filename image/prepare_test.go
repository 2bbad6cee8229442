package image

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/stasisvm/stasis/vm"
)

const prepareChildEnv = "STASIS_TEST_PREPARE_CHILD"

// prepareWorld is saved by TestPrepareWhileLoading; its probe prints what
// the loaded world computes.
const (
	prepareWorld = `var tag = (s, ...v) => s.raw.join("|") + v.join(",");
		function* gen() { yield 1; yield 2 }
		var counter = (() => { let n = 0; return () => ++n })();
		var p = Promise.resolve(5).then(x => x * 2);
		var bound = function (a, b) { return this.k + a + b }.bind({ k: 1 }, 2);
		class Point { #x; constructor(x) { this.#x = x } get x() { return this.#x } }
		var pt = new Point(4);`
	prepareProbe = `counter(); [tag` + "`a${1}b${2}c`" + `, [...gen()].join(), counter(), bound(3), pt.x, /a(?<=a)b/.test("xab")].join(" ")`
)

// TestPrepareWhileLoading starts a fresh process (this test binary) in
// which Prepare runs on other goroutines while the main goroutine loads an
// image, as a starting bundle does: the once-per-process work (the layout
// check, the code registry, the built-in scripts) is then done for the
// first time concurrently with a load. Under -race it checks that nothing
// is shared unsynchronised; in any build, that the world loads and
// computes what it computed before it was saved.
func TestPrepareWhileLoading(t *testing.T) {
	if os.Getenv(prepareChildEnv) != "" {
		prepareChild(t)
		return
	}
	v, err := NewWorld(vm.Options{})
	if err != nil {
		t.Fatal(err)
	}
	run(t, v, "world.js", pastCompileBelow(prepareWorld))
	img := t.TempDir() + "/world.img"
	var buf bytes.Buffer
	if err := Save(&buf, v, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	want := probe(t, v)
	if err := os.WriteFile(img, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestPrepareWhileLoading$", "-test.v")
	cmd.Env = append(os.Environ(), prepareChildEnv+"="+img)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if got := "probe: " + want + "\n"; !strings.Contains(string(out), got) {
		t.Errorf("the world loaded while Prepare ran computes otherwise: want %q in\n%s", got, out)
	}
}

// prepareChild is the child process of TestPrepareWhileLoading.
func prepareChild(t *testing.T) {
	var wg sync.WaitGroup
	for range 2 {
		// As for an image past compileBelow: the registry is made too.
		wg.Go(func() { Prepare(1 << 40) })
	}
	v, _, err := LoadFile(os.Getenv(prepareChildEnv), LoadOptions{})
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString("probe: " + probe(t, v) + "\n")
}

// probe runs prepareProbe in v and returns its result.
func probe(t *testing.T, v *vm.VM) string {
	t.Helper()
	r, err := v.RunScript("probe.js", prepareProbe)
	if err != nil {
		t.Fatal(err)
	}
	return r.String()
}
