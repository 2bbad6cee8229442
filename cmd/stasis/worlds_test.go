package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// A world case is a chunk of a testdata/worlds/*.js file (or of the image
// package's round-trip cases); chunks are separated by a line "---". A chunk
// may start with source files, each after a line "// file: NAME" and ending
// at the next such line or at "// setup". Then come the setup lines, a line
// "// save", and the probe. A chunk whose save must fail has a line
// "// save fails: TEXT" instead of "// save".
//
// The test runs `stasis run setup.js probe.js` as the reference, then
// `stasis save-image setup.js`, removes every source file and the setup
// script, and runs `stasis load-image IMAGE probe.js` in a new process. What
// the save and the load print together must equal the reference: scripts'
// top-level code runs before any timer fires, so the probe sees the world as
// it was when the setup finished, whether it was saved in between or not.
type worldCase struct {
	name         string
	files        map[string]string
	setup, probe string
	wantErr      string // for a save that must fail
}

var (
	chunkSep   = regexp.MustCompile(`(?m)^---\n`)
	fileLine   = regexp.MustCompile(`(?m)^// file: (.+)\n`)
	saveFailRE = regexp.MustCompile(`(?m)^// save fails: (.*)$`)
)

func parseWorldCases(t *testing.T, glob string, skip ...string) []worldCase {
	t.Helper()
	paths, err := filepath.Glob(glob)
	if err != nil || len(paths) == 0 {
		t.Fatalf("no cases match %s: %v", glob, err)
	}
	var cases []worldCase
	for _, path := range paths {
		if contains(skip, filepath.Base(path)) {
			continue
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for i, chunk := range chunkSep.Split(string(b), -1) {
			c := worldCase{name: filepath.Base(path), files: map[string]string{}}
			if i > 0 {
				c.name += "#" + string(rune('1'+i))
			}
			if locs := fileLine.FindAllStringSubmatchIndex(chunk, -1); locs != nil {
				head, rest, ok := strings.Cut(chunk[locs[0][0]:], "// setup\n")
				if !ok {
					t.Fatalf("%s: source files without a // setup line", c.name)
				}
				for j, m := range fileLine.FindAllStringSubmatchIndex(head, -1) {
					end := len(head)
					if next := fileLine.FindAllStringSubmatchIndex(head, -1); j+1 < len(next) {
						end = next[j+1][0]
					}
					c.files[head[m[2]:m[3]]] = head[m[1]:end]
				}
				chunk = rest
			}
			if m := saveFailRE.FindStringSubmatchIndex(chunk); m != nil {
				c.setup, c.wantErr = chunk[:m[0]], chunk[m[2]:m[3]]
			} else if setup, probe, ok := strings.Cut(chunk, "// save\n"); ok {
				c.setup, c.probe = setup, probe
			} else {
				t.Fatalf("%s: no // save line", c.name)
			}
			cases = append(cases, c)
		}
	}
	return cases
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// writeTree writes name -> content into dir, making directories as needed.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestWorldsInFreshProcesses saves worlds with pending timers, open files,
// modules, suspended generators and async functions and pending promise
// chains, and resumes them in a new process with their sources gone.
func TestWorldsInFreshProcesses(t *testing.T) {
	// Timers fire in the order of their due times on a busy machine too:
	// the worlds run on a virtual clock.
	t.Setenv(clockEnv, "virtual")
	cases := parseWorldCases(t, "testdata/worlds/*.js", "saves-itself.js")
	// The image package's round trips, in fresh processes this time (its
	// failures are checked in-process there).
	cases = append(cases, parseWorldCases(t, "../../image/testdata/roundtrip/*.js", "failures.js")...)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeTree(t, dir, c.files)
			writeTree(t, dir, map[string]string{"setup.js": c.setup, "probe.js": c.probe})
			if c.wantErr != "" {
				status, _, stderr := runStatus(t, dir, "save-image", "-o", "world.img", "setup.js")
				if status != 1 || !strings.Contains(stderr, c.wantErr) || strings.Count(stderr, "\n") != 1 {
					t.Errorf("save-image: status %d, stderr %q; want status 1 and one line with %q", status, stderr, c.wantErr)
				}
				if _, err := os.Stat(filepath.Join(dir, "world.img")); !os.IsNotExist(err) {
					t.Errorf("a failed save left world.img behind (%v)", err)
				}
				return
			}
			// The reference runs in a directory of its own, since cases write files.
			ref := t.TempDir()
			writeTree(t, ref, c.files)
			writeTree(t, ref, map[string]string{"setup.js": c.setup, "probe.js": c.probe})
			want := runBinary(t, ref, "run", "setup.js", "probe.js")
			saved := runBinary(t, dir, "save-image", "-o", "world.img", "setup.js")
			for name := range c.files {
				if err := os.Remove(filepath.Join(dir, filepath.FromSlash(name))); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.Remove(filepath.Join(dir, "setup.js")); err != nil {
				t.Fatal(err)
			}
			status, resumed, stderr := runStatus(t, dir, "load-image", "world.img", "probe.js")
			if status != 0 || stderr != "" {
				t.Fatalf("load-image: status %d, stderr:\n%s", status, stderr)
			}
			if strings.TrimSpace(want) == "" {
				t.Fatal("the case printed nothing")
			}
			if got := saved + resumed; got != want {
				t.Errorf("resumed world differs from a run that never saved\n--- never saved\n%s--- saved, then resumed\n%s", want, got)
			}
		})
	}
}

// TestProgramSavesItself is the README's headline: an async loop saves the
// world from inside itself with stasis.saveImage; a new process resumes the
// image, the loop continues from its await (told that it was resumed) and
// counts on from where it stopped, as the original did.
func TestProgramSavesItself(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile("testdata/worlds/saves-itself.js")
	if err != nil {
		t.Fatal(err)
	}
	writeTree(t, dir, map[string]string{"counter.js": string(src)})
	original := runBinary(t, dir, "run", "counter.js")
	if err := os.Remove(filepath.Join(dir, "counter.js")); err != nil {
		t.Fatal(err)
	}
	before, after, ok := strings.Cut(original, "saved self.img\n")
	if !ok || before != "tick 1\ntick 2\n" {
		t.Fatalf("the original run printed:\n%s", original)
	}
	for i := 0; i < 2; i++ { // an image resumes the same way every time
		resumed := runBinary(t, dir, "load-image", "self.img")
		if want := "resumed self.img\n" + after; resumed != want {
			t.Errorf("resumed run %d printed:\n%swant:\n%s", i+1, resumed, want)
		}
	}
	if !strings.HasSuffix(after, "tick 5\ndone at 5\n") {
		t.Errorf("the original did not carry on after saving:\n%s", original)
	}
}

// TestVanishedFile: a descriptor whose file is gone at load leaves the
// world loadable, with a warning, and every use of it throws an error that
// names the path and the reason.
func TestVanishedFile(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"open.js": `var fs = require("fs"); fs.writeFileSync("notes.txt", "abc"); var fd = fs.openSync("notes.txt", "r");`,
		"use.js": `for (const use of [() => fs.readSync(fd, new Uint8Array(1)), () => fs.fstatSync(fd), () => fs.writeSync(fd, "x")]) {
			try { use(); console.log("no error") } catch (e) { console.log(e.code, e.message) }
		}
		fs.closeSync(fd);
		try { fs.fstatSync(fd) } catch (e) { console.log("after close:", e.code) }`,
	})
	runBinary(t, dir, "save-image", "-o", "w.img", "open.js")
	if err := os.Remove(filepath.Join(dir, "notes.txt")); err != nil {
		t.Fatal(err)
	}
	status, stdout, stderr := runStatus(t, dir, "load-image", "w.img", "use.js")
	if status != 0 {
		t.Fatalf("load-image: status %d\n%s", status, stderr)
	}
	if !strings.Contains(stderr, "warning: file descriptor 3 (notes.txt) cannot be opened again") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("stderr: %q", stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 4 {
		t.Fatalf("stdout:\n%s", stdout)
	}
	for _, l := range lines[:3] {
		if !strings.HasPrefix(l, "ENOENT file descriptor 3 (notes.txt) was not restored: ") || !strings.Contains(l, "no such file") {
			t.Errorf("a use of the stale descriptor: %q", l)
		}
	}
	if lines[3] != "after close: EBADF" {
		t.Errorf("after close: %q", lines[3])
	}
}

// TestCounterExample checks the README's headline example as written.
func TestCounterExample(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile("../../examples/counter/counter.js")
	if err != nil {
		t.Fatal(err)
	}
	writeTree(t, dir, map[string]string{"counter.js": string(src)})
	if got, want := runBinary(t, dir, "run", "counter.js"), "count 1\ncount 2\ncount 3\nsaved counter.img\n"; got != want {
		t.Errorf("run printed:\n%swant:\n%s", got, want)
	}
	for i := 0; i < 2; i++ {
		got := runBinary(t, dir, "load-image", "counter.img")
		if want := "resumed from counter.img\ncount 4\ncount 5\ncount 6\ndone\n"; got != want {
			t.Errorf("load-image %d printed:\n%swant:\n%s", i+1, got, want)
		}
	}
}

// TestAppInANewProcess saves a world with everything host-bound at once —
// pending timers, an open descriptor, modules from a relative path and from
// node_modules, and hooks — removes every source file, and resumes it in a
// new process: hooks, main, the script and the timers run in order, and the
// file ends up with what the resumed world wrote at the saved position.
func TestAppInANewProcess(t *testing.T) {
	dir := t.TempDir()
	sources := map[string]string{
		"app.js": `
			const fs = require("fs");
			const store = require("./lib/store");
			const pad = require("leftpad");
			fs.writeFileSync("out.txt", "header\n");
			const out = fs.openSync("out.txt", "a");
			store.add("saved");
			stasis.onSave(() => { store.add("onSave"); console.log("onSave", store.list()); });
			stasis.onResume(() => console.log("onResume", store.list(), "fd", out));
			stasis.setMain((...args) => {
				store.add("main " + args.join(" "));
				fs.writeSync(out, pad("main", 6) + "\n");
			});
			setTimeout(() => {
				store.add("timer");
				fs.writeSync(out, store.list() + "\n");
				fs.closeSync(out);
				console.log("timer", fs.readFileSync("out.txt", "utf8").split("\n").length - 1, "lines");
			}, 300);
			setTimeout(() => console.log("short timer"), 10);
			clearTimeout(setTimeout(() => console.log("never"), 20));
		`,
		"lib/store.js":                      `const items = []; exports.add = (x) => items.push(x); exports.list = () => items.join(",");`,
		"node_modules/leftpad/package.json": `{"main": "lib/pad.js"}`,
		"node_modules/leftpad/lib/pad.js":   `module.exports = (s, n) => " ".repeat(Math.max(0, n - s.length)) + s;`,
		"later.js":                          `console.log("script after main", store.list());`,
	}
	writeTree(t, dir, sources)
	saved := runBinary(t, dir, "save-image", "-o", "app.img", "app.js")
	if saved != "onSave saved,onSave\n" {
		t.Errorf("save-image printed %q", saved)
	}
	for name := range sources {
		if name != "later.js" {
			if err := os.Remove(filepath.Join(dir, filepath.FromSlash(name))); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := os.RemoveAll(filepath.Join(dir, "lib")); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(dir, "node_modules")); err != nil {
		t.Fatal(err)
	}
	got := runBinary(t, dir, "load-image", "app.img", "later.js", "--", "a", "b")
	want := "onResume saved,onSave fd 3\n" +
		"script after main saved,onSave,main a b\n" +
		"short timer\n" +
		"timer 3 lines\n"
	if got != want {
		t.Errorf("load-image printed:\n%swant:\n%s", got, want)
	}
	b, err := os.ReadFile(filepath.Join(dir, "out.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "header\n  main\nsaved,onSave,main a b,timer\n"; string(b) != want {
		t.Errorf("out.txt holds %q, want %q", b, want)
	}
}
