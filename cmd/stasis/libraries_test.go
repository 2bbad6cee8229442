package main

import (
	"bytes"
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

// runBinary runs the built command in dir and returns its output; a
// non-zero exit fails the test.
func runBinary(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command(stasisBinary(t), args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("stasis %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String()
}

var libraryHeader = regexp.MustCompile(`(?m)^// (package|load): (.+)$`)

// TestLibrariesSurviveAnImage loads real npm libraries into a world, uses
// them to build state, saves the world, and resumes it in a new process
// (with the library's files gone) to run a probe that uses both the saved
// state and the library afresh. The output must equal a run that never saved.
func TestLibrariesSurviveAnImage(t *testing.T) {
	cases, err := filepath.Glob("testdata/libraries/*.js")
	if err != nil || len(cases) < 6 {
		t.Fatalf("library cases: %v (%d)", err, len(cases))
	}
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
			libSrc, err := os.ReadFile(filepath.Join(pkg, meta["load"]))
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{"lib.js": string(libSrc), "setup.js": setup, "probe.js": probe})

			want := runBinary(t, dir, "run", "lib.js", "setup.js", "probe.js")
			saved := runBinary(t, dir, "save-image", "-o", "world.img", "lib.js", "setup.js")
			for _, f := range []string{"lib.js", "setup.js"} {
				if err := os.Remove(filepath.Join(dir, f)); err != nil {
					t.Fatal(err)
				}
			}
			resumed := runBinary(t, dir, "load-image", "world.img", "probe.js")
			if strings.TrimSpace(want) == "" {
				t.Fatal("the probe printed nothing")
			}
			if got := saved + resumed; got != want {
				t.Errorf("resumed world differs from a run that never saved\n--- never saved\n%s\n--- saved, then resumed\n%s", want, got)
			}
		})
	}
}
