package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stasisvm/stasis/image/imagetest"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// stasisBinary builds the command once per test run (removed by TestMain).
func stasisBinary(tb testing.TB) string {
	tb.Helper()
	if testing.Short() {
		tb.Skip("builds the binary")
	}
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "stasis-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "stasis")
		if out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput(); err != nil {
			binErr = fmt.Errorf("%v\n%s", err, out)
		}
	})
	if binErr != nil {
		tb.Fatalf("go build: %v", binErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// raceDetector is set when the tests are built with -race (race_test.go).
var raceDetector bool

var libraryHeader = regexp.MustCompile(`(?m)^// (package|load|before): (.+)$`)

// nodeDriver runs the scripts named on its command line as classic scripts
// in one global scope, as Stasis does: each one's microtasks run before the
// next script (a nextTick queued from a microtask runs once the microtask
// queue is empty, and before any timer), then the event loop.
const nodeDriver = `const vm = require("vm"), fs = require("fs"), path = require("path");
(async () => {
  for (const f of process.argv.slice(2)) {
    vm.runInThisContext(fs.readFileSync(f, "utf8"), { filename: path.basename(f) });
    await null;
    await new Promise((r) => process.nextTick(r));
  }
})().catch((e) => { console.error(e); process.exit(1); });
`

// TestLibrariesSurviveAnImage loads real npm libraries into a world, uses
// them to build state, saves the world, and resumes it in a new process
// (with the library's files gone) to run a probe that uses both the saved
// state and the library afresh. The output must equal a run that never
// saved, and node's (v20) output for the same scripts.
//
// A case is testdata/libraries/NAME.js: a line "// package: NAME@VERSION"
// (fetched with npm pack, cached), "// load: FILE[, FILE...]" (the
// package's files to run first, in order, as classic scripts), optionally
// "// before: CODE" (a line of JavaScript to run before them, for a
// library that expects a browser's self or window), the setup, a line
// "// probe", and the probe.
func TestLibrariesSurviveAnImage(t *testing.T) {
	if raceDetector {
		// The cases run node and a stasis binary built without the race
		// detector: a second run under -race would check nothing new, and
		// the corpus (the TypeScript compiler among it) costs minutes.
		t.Skip("runs child processes only; checked by the run without -race")
	}
	cases, err := filepath.Glob("testdata/libraries/*.js")
	if err != nil || len(cases) < 25 {
		t.Fatalf("library cases: %v (%d, want at least 25)", err, len(cases))
	}
	node, nodeErr := exec.LookPath("node")
	for _, path := range cases {
		t.Run(filepath.Base(path), func(t *testing.T) {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			src := string(b)
			meta := map[string]string{}
			for _, m := range libraryHeader.FindAllStringSubmatch(src, -1) {
				meta[m[1]] = m[2]
			}
			setup, probe, ok := strings.Cut(src, "\n// probe\n")
			if !ok || meta["package"] == "" || meta["load"] == "" {
				t.Fatal("a library case needs // package:, // load: and // probe lines")
			}
			pkg := imagetest.Package(t, meta["package"])
			dir := t.TempDir()
			var libs []string
			if meta["before"] != "" {
				writeTree(t, dir, map[string]string{"before.js": meta["before"] + "\n"})
				libs = append(libs, "before.js")
			}
			for i, f := range strings.Split(meta["load"], ",") {
				libSrc, err := os.ReadFile(filepath.Join(pkg, strings.TrimSpace(f)))
				if err != nil {
					t.Fatal(err)
				}
				name := fmt.Sprintf("lib%d.js", i)
				libs = append(libs, name)
				writeTree(t, dir, map[string]string{name: string(libSrc)})
			}
			writeTree(t, dir, map[string]string{"setup.js": setup, "probe.js": probe, "driver.cjs": nodeDriver})
			scripts := append(append([]string(nil), libs...), "setup.js")

			want := runBinary(t, dir, append(append([]string{"run"}, scripts...), "probe.js")...)
			if strings.TrimSpace(want) == "" {
				t.Fatal("the probe printed nothing")
			}
			if nodeErr == nil {
				out := proc{dir: dir}.mustRun(t, node, append(append([]string{"driver.cjs"}, scripts...), "probe.js")...)
				if out != want {
					t.Errorf("stasis differs from node\n--- node\n%s\n--- stasis\n%s", out, want)
				}
			}
			saved := runBinary(t, dir, append([]string{"save-image", "-o", "world.img"}, scripts...)...)
			for _, f := range scripts {
				if err := os.Remove(filepath.Join(dir, f)); err != nil {
					t.Fatal(err)
				}
			}
			resumed := runBinary(t, dir, "load-image", "world.img", "probe.js")
			if got := saved + resumed; got != want {
				t.Errorf("resumed world differs from a run that never saved\n--- never saved\n%s\n--- saved, then resumed\n%s", want, got)
			}
			// The image holds the libraries' compiled code, and the world
			// resumed from it behaves as one whose scripts are compiled
			// from source.
			checkStoredCode(t, filepath.Join(dir, "world.img"))
			fromSource := runBinary(t, dir, "load-image", "--compile-source", "world.img", "probe.js")
			if fromSource != resumed {
				t.Errorf("resumed world with --compile-source differs\n--- stored code\n%s\n--- compiled from source\n%s", resumed, fromSource)
			}
		})
	}
}

// checkStoredCode fails t unless every script of the image at path that
// is not a part of Stasis has its compiled code stored.
func checkStoredCode(t *testing.T, path string) {
	t.Helper()
	img, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, p := imagetest.Open(t, img)
	for i, sc := range p.Scripts {
		if sc.Digest == nil && (p.Code == nil || i >= len(p.Code.Programs) || len(p.Code.Programs[i]) == 0) {
			t.Errorf("script %s is stored without its compiled code", sc.Name)
		}
	}
}
