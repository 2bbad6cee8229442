package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// nodeReference runs a case's setup and probe in node as classic scripts
// of one global scope (vm.runInThisContext), as Stasis runs them.
const nodeReference = `globalThis.require = require;
const vm = require("vm"), fs = require("fs");
for (const f of ["setup.js", "probe.js"]) vm.runInThisContext(fs.readFileSync(f, "utf8"), { filename: f });
`

// TestNodeWorlds runs each case of testdata/node in node, in Stasis, and
// saved by Stasis after its setup and resumed in a new process with its
// sources gone: all three must print the same and exit with the same status.
func TestNodeWorlds(t *testing.T) {
	nodeBinary(t)
	for _, c := range parseWorldCases(t, "testdata/node/*.js") {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			files := map[string]string{"setup.js": c.setup, "probe.js": c.probe, "node-reference.js": nodeReference}
			nodeDir, runDir, dir := t.TempDir(), t.TempDir(), t.TempDir()
			for _, d := range []string{nodeDir, runDir, dir} {
				writeTree(t, d, c.files)
				writeTree(t, d, files)
			}
			nodeStatus, nodeOut, _ := runNode(t, nodeDir, "node-reference.js")
			if strings.TrimSpace(nodeOut) == "" {
				t.Fatal("the case printed nothing in node")
			}
			status, out, stderr := runStatus(t, runDir, "run", "setup.js", "probe.js")
			if status != nodeStatus || out != nodeOut {
				t.Errorf("stasis run: status %d, printed\n%s(stderr %s)\nnode: status %d, printed\n%s", status, out, stderr, nodeStatus, nodeOut)
			}
			status, saved, stderr := runStatus(t, dir, "save-image", "-o", "world.img", "setup.js")
			if status != 0 {
				t.Fatalf("save-image: status %d\n%s", status, stderr)
			}
			for name := range c.files {
				if err := os.Remove(filepath.Join(dir, filepath.FromSlash(name))); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.Remove(filepath.Join(dir, "setup.js")); err != nil {
				t.Fatal(err)
			}
			status, resumed, stderr := runStatus(t, dir, "load-image", "world.img", "probe.js")
			if status != nodeStatus || saved+resumed != nodeOut {
				t.Errorf("saved and resumed: status %d, printed\n%s(stderr %s)\nnode: status %d, printed\n%s", status, saved+resumed, stderr, nodeStatus, nodeOut)
			}
		})
	}
}

// TestNodeScripts runs scripts as `stasis FILE.js ARGS` and `node FILE.js
// ARGS`: the same output and exit status.
func TestNodeScripts(t *testing.T) {
	nodeBinary(t)
	for _, c := range []struct {
		file string
		args []string
	}{
		{"order.js", []string{"a", "b"}},
		{"exit.js", nil},
		{"exit.js", []string{"6"}},
		{"exit.js", []string{"0"}},
		{"exit-later.js", nil},
		{"throws.js", nil},
		{"emitter.js", nil},
		{"buffers.js", nil},
		{"os.js", nil},
		{"clone.js", nil},
		{"console.js", nil},
		{"assert.js", nil},
		{"url.js", nil},
		{"url-legacy.js", nil},
		{"inspect-tags.js", nil},
		{"assert-errors.js", nil},
	} {
		t.Run(c.file+strings.Join(c.args, ","), func(t *testing.T) {
			t.Parallel()
			src, err := os.ReadFile(filepath.Join("testdata/scripts", c.file))
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			writeTree(t, dir, map[string]string{c.file: string(src)})
			args := append([]string{c.file}, c.args...)
			nodeStatus, nodeOut, _ := runNode(t, dir, args...)
			status, out, stderr := runStatus(t, dir, args...)
			if status != nodeStatus || out != nodeOut {
				t.Errorf("stasis %s: status %d, printed\n%s(stderr %s)\nnode: status %d, printed\n%s", strings.Join(args, " "), status, out, stderr, nodeStatus, nodeOut)
			}
			if (stderr != "") != (c.file == "throws.js" || c.file == "console.js") {
				t.Errorf("stderr %q", stderr)
			}
		})
	}
}

// TestScriptInvocation: `stasis FILE` runs a file, whatever its name, and
// every word after it is the script's; commands and flags keep their meaning.
func TestScriptInvocation(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"tool":   `console.log(process.argv.slice(2).join("|"), stasis.args.join("|"))`,
		"run.js": `console.log("run.js ran")`,
	})
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"tool", "--help", "-o", "x", "--", "y"}, "--help|-o|x|--|y --help|-o|x|--|y\n"},
		{[]string{"./run.js"}, "run.js ran\n"},
		{[]string{"run", "run.js"}, "run.js ran\n"},
	} {
		if got := runBinary(t, dir, c.args...); got != c.want {
			t.Errorf("stasis %s printed %q, want %q", strings.Join(c.args, " "), got, c.want)
		}
	}
	// A script that does not compile is shown as node shows it.
	writeTree(t, dir, map[string]string{"bad.js": "let a = 1;\n  a +* 2\n"})
	status, _, stderr := runStatus(t, dir, "bad.js")
	if want := "bad.js:2\n  a +* 2\n     ^\n\nSyntaxError: Unexpected token '*'\n"; status != 1 || stderr != want {
		t.Errorf("stasis bad.js: status %d, stderr %q, want %q", status, stderr, want)
	}
	status, _, stderr = runStatus(t, dir, "missing.js")
	if status != 1 || !strings.Contains(stderr, "missing.js") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("stasis missing.js: status %d, stderr %q", status, stderr)
	}
	status, _, stderr = runStatus(t, dir, "no-such-command")
	if status != 2 || !strings.Contains(stderr, "no-such-command") {
		t.Errorf("stasis no-such-command: status %d, stderr %q", status, stderr)
	}
}

// TestPendingTickSurvives: a tick still queued when the world is saved (the
// one after a tick that threw) runs in the resumed world, with its
// arguments, before the promise jobs of the first task.
func TestPendingTickSurvives(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"setup.js": `var log = [];
			process.nextTick(() => { throw new Error("first tick throws") });
			process.nextTick((a, b) => console.log("pending tick", a, b.n, log.join()), "arg", { n: 2 });`,
		"probe.js": `Promise.resolve().then(() => console.log("probe promise"));
			log.push("probe ran"); console.log("probe sync");`,
	})
	status, out, stderr := runStatus(t, dir, "save-image", "-o", "w.img", "setup.js")
	if status != 0 || out != "" {
		t.Fatalf("save-image: status %d, stdout %q, stderr %q", status, out, stderr)
	}
	if err := os.Remove(filepath.Join(dir, "setup.js")); err != nil {
		t.Fatal(err)
	}
	if got, want := runBinary(t, dir, "load-image", "w.img"), "pending tick arg 2 \n"; got != want {
		t.Errorf("load-image printed %q, want %q", got, want)
	}
	if got, want := runBinary(t, dir, "load-image", "w.img", "probe.js"), "probe sync\npending tick arg 2 probe ran\nprobe promise\n"; got != want {
		t.Errorf("load-image with a script printed %q, want %q", got, want)
	}
}

// TestConsoleTime: console.time and timeEnd print the elapsed time as Node
// does, and timeLog its extra arguments.
func TestConsoleTime(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"time.js": `console.time("t"); setTimeout(() => { console.timeLog("t", "half", 1); console.timeEnd("t"); console.timeEnd("t") }, 20)`})
	status, out, stderr := runStatus(t, dir, "time.js")
	if status != 0 || !regexp.MustCompile(`^t: [0-9]+\.[0-9]{3}m?s half 1\nt: [0-9]+\.[0-9]{3}m?s\n$`).MatchString(out) {
		t.Errorf("status %d, stdout %q", status, out)
	}
	if stderr != "Warning: No such label 't' for console.timeEnd()\n" {
		t.Errorf("stderr %q", stderr)
	}
}

// TestNodeSyntaxErrors runs scripts that do not compile with `stasis
// FILE.js` and `node FILE.js`: both show the script and line, the line, the
// offending token underlined, and the same message (node's stack of its
// own loader, after the message, is left out).
func TestNodeSyntaxErrors(t *testing.T) {
	nodeBinary(t)
	for _, src := range []string{
		"let a = 1;\nfunction f() {\n  return a +* 2\n}\n",
		"let a = 2 myLong\n",
		"let a = 2 ünï + 1\n",
		"let a = 2 \"s\\\"tr\"\n",
		"let a = 2 3.5e3\n",
		"a += += 1\n",
		"foo bar\n",
		"var = 1\n",
		"let let = 1\n",
		"\tif (x) {\n\t\tx +* 1 }\n",
	} {
		t.Run(src, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeTree(t, dir, map[string]string{"bad.js": src})
			nodeStatus, _, nodeErr := runNode(t, dir, "bad.js")
			// "/abs/dir/bad.js:1" … "SyntaxError: …", then node's own frames.
			nodeErr = strings.ReplaceAll(nodeErr, filepath.Join(dir, "bad.js"), "bad.js")
			if i := strings.Index(nodeErr, "\n    at "); i >= 0 {
				nodeErr = nodeErr[:i+1]
			}
			status, _, stderr := runStatus(t, dir, "bad.js")
			if status != nodeStatus || stderr != nodeErr {
				t.Errorf("stasis: status %d, stderr\n%s\nnode: status %d, stderr\n%s", status, stderr, nodeStatus, nodeErr)
			}
		})
	}
}
