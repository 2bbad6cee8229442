package main

import (
	"bytes"
	"strings"
	"testing"
)

// stasis runs the CLI in-process in dir and returns its status and output.
func stasis(t *testing.T, dir, stdin string, args ...string) (status int, stdout, stderr string) {
	t.Helper()
	if dir != "" {
		t.Chdir(dir)
	}
	var out, errOut bytes.Buffer
	status = run(args, strings.NewReader(stdin), &out, &errOut)
	return status, out.String(), errOut.String()
}

var scripts = map[string]string{
	"a.js":          "var greeting = 'hello'; let count = 1; console.log('a', stasis.args.join(','));\n",
	"b.js":          "count++; console.log(greeting, count);\n",
	"throw.js":      "function f() { throw new Error('boom'); }\nf();\n",
	"syntax.js":     "var = ;\n",
	"unsaveable.js": "function outer() { return () => arguments.length }\nvar broken = outer(1, 2);\n",
	"exiting.js":    "var version = 1;\nstasis.setMain(function () { console.log('app', version); stasis.exit(0); });\n",
	"bump.js":       "version++;\n",
	"app.js": "var saved = 'from the image';\n" +
		"stasis.onResume(function () { console.log('resumed'); });\n" +
		"stasis.setMain(function (a, b) { console.log('main', a, b, saved); });\n",
	"after.js":   "console.log('after', saved);\n",
	"badsave.js": "stasis.onSave(function check() { throw new RangeError('not now'); });\n",
	"rejects.js": "async function main() { throw new Error('async boom'); }\nmain();\n",
	"exit3.js":   "setTimeout(() => { console.log('bye'); stasis.exit(3); console.log('still runs to the end of the task'); }, 1);\nsetTimeout(() => console.log('never'), 50);\n",
	"late.js":    "setTimeout(function late() { null.x }, 1);\n",
	"broken.img": "this is not an image",
}

func TestCLI(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		stdin      string
		status     int
		stdout     []string // substrings stdout must hold
		stderr     []string // substrings stderr must hold
		stderrLine bool     // stderr must be exactly one line
	}{
		{name: "version", args: []string{"--version"}, stdout: []string{"stasis 0.1.0"}},
		{name: "help", args: []string{"--help"}, stdout: []string{"Usage: stasis", "run", "save-image", "load-image", "repl"}},
		{name: "help run", args: []string{"run", "--help"}, stdout: []string{"Usage: stasis run <script> ...", "classic scripts", "Words after --"}},
		{name: "help save-image", args: []string{"save-image", "--help"}, stdout: []string{"Usage: stasis save-image --out=OUT <script> ...", "-o, --out=OUT", "-i, --base=BASE", "onSave", "--base=BASE"}},
		{name: "help load-image", args: []string{"load-image", "--help"}, stdout: []string{"Usage: stasis load-image <image> [<script> ...]", "stasis.setMain", "Words after --"}},
		{name: "help repl", args: []string{"repl", "--help"}, stdout: []string{"Usage: stasis repl [<image>]", ".help"}},
		{name: "help command", args: []string{"help"}, stdout: []string{"Usage: stasis", "run", "save-image", "load-image", "repl"}},
		{name: "help command inspect", args: []string{"help", "inspect"}, stdout: []string{"Usage: stasis inspect <image>", "--hooks"}},
		{name: "help unknown command", args: []string{"help", "frobnicate"}, status: 2, stderr: []string{"stasis: "}, stderrLine: true},

		{name: "unknown command", args: []string{"frobnicate"}, status: 2, stderr: []string{"stasis: "}, stderrLine: true},
		{name: "unknown flag", args: []string{"run", "--nope", "a.js"}, status: 2, stderr: []string{"stasis run: ", "--nope"}, stderrLine: true},
		{name: "run without scripts", args: []string{"run"}, status: 2, stderr: []string{"stasis run: "}, stderrLine: true},
		{name: "save-image without -o", args: []string{"save-image", "a.js"}, status: 2, stderr: []string{"stasis save-image: ", "--out"}, stderrLine: true},
		{name: "load-image without image", args: []string{"load-image"}, status: 2, stderrLine: true},
		{name: "repl with two images", args: []string{"repl", "a.img", "b.img"}, status: 2, stderrLine: true},

		{name: "run", args: []string{"run", "a.js", "b.js", "--", "x", "y"}, stdout: []string{"a x,y\nhello 2\n"}},
		{name: "run missing file", args: []string{"run", "a.js", "missing.js"}, status: 1,
			stdout: []string{"a"}, stderr: []string{"run: missing.js: no such file or directory\n"}, stderrLine: true},
		{name: "run JS error", args: []string{"run", "throw.js"}, status: 1,
			stderr: []string{"run: Error: boom\n", "at f (throw.js:1:", "throw.js:2:"}},
		{name: "run syntax error", args: []string{"run", "syntax.js"}, status: 1,
			stderr: []string{"syntax.js:1\nvar = ;\n    ^\n\nSyntaxError: Unexpected token '='\n"}},
		{name: "load-image missing", args: []string{"load-image", "missing.img"}, status: 1,
			stderr: []string{"load-image: missing.img: no such file or directory\n"}, stderrLine: true},
		{name: "load-image broken", args: []string{"load-image", "broken.img"}, status: 1,
			stderr: []string{"load-image: broken.img: "}, stderrLine: true},
		{name: "save-image into a missing directory", args: []string{"save-image", "-o", "nodir/a.img", "a.js"}, status: 1,
			stdout: []string{"a"}, stderr: []string{"save-image: nodir/a.img: directory nodir does not exist\n"}, stderrLine: true},
		{name: "save-image refused", args: []string{"save-image", "-o", "u.img", "unsaveable.js"}, status: 1,
			stderr: []string{"save-image: globalThis.broken: ", "arguments"}, stderrLine: true},
		{name: "save-image JS error", args: []string{"save-image", "-o", "t.img", "throw.js"}, status: 1,
			stderr: []string{"save-image: Error: boom\n"}},
		{name: "onSave hook throws", args: []string{"save-image", "-o", "t.img", "badsave.js"}, status: 1,
			stderr: []string{"save-image: stasis.onSave hook 1: RangeError: not now\n", "at check (badsave.js:1:"}},
		{name: "unhandled rejection", args: []string{"run", "rejects.js"}, status: 1,
			stderr: []string{"run: Uncaught (in promise) Error: async boom\n    at main (rejects.js:1:31)\n    at rejects.js:2:5\n"}},
		{name: "stasis.exit", args: []string{"run", "exit3.js"}, status: 3,
			stdout: []string{"bye\nstill runs to the end of the task\n"}},
		{name: "error in a timer", args: []string{"run", "late.js"}, status: 1,
			stderr: []string{"run: TypeError: Cannot read property 'x' of", "at late (late.js:1:"}},

		{name: "bare stasis is a REPL", stdin: "1 + 1\ngreeting\n", stdout: []string{"2\n"}, stderr: []string{"Uncaught ReferenceError"}},
		{name: "repl", args: []string{"repl", "--", "q"}, stdin: "stasis.args[0]\n", stdout: []string{"q"}},
		{name: "repl missing image", args: []string{"repl", "missing.img"}, status: 1,
			stderr: []string{"repl: missing.img: no such file or directory\n"}, stderrLine: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeTree(t, dir, scripts)
			status, stdout, stderr := stasis(t, dir, tt.stdin, tt.args...)
			if status != tt.status {
				t.Errorf("status %d, want %d\nstdout: %s\nstderr: %s", status, tt.status, stdout, stderr)
			}
			for _, s := range tt.stdout {
				if !strings.Contains(stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, stdout)
				}
			}
			for _, s := range tt.stderr {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr)
				}
			}
			if tt.stderrLine && strings.Count(stderr, "\n") != 1 {
				t.Errorf("stderr is not one line:\n%s", stderr)
			}
			if tt.status == 0 && tt.stdin == "" && stderr != "" {
				t.Errorf("unexpected stderr:\n%s", stderr)
			}
		})
	}
}

func TestSaveAndLoadImage(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, scripts)
	status, _, stderr := stasis(t, dir, "", "save-image", "-o", "app.img", "app.js")
	if status != 0 {
		t.Fatalf("save-image: status %d: %s", status, stderr)
	}
	status, stdout, stderr := stasis(t, dir, "", "load-image", "app.img", "after.js", "--", "x", "y")
	if status != 0 {
		t.Fatalf("load-image: status %d: %s", status, stderr)
	}
	if want := "resumed\nmain x y from the image\nafter from the image\n"; stdout != want {
		t.Errorf("load-image printed %q, want %q", stdout, want)
	}

	// A base image: its hooks run (not its main), then the new script, and the result is saved.
	writeTree(t, dir, map[string]string{"more.js": "saved += ' and more';\n"})
	status, stdout, stderr = stasis(t, dir, "", "save-image", "-i", "app.img", "-o", "more.img", "more.js", "--", "1", "2")
	if status != 0 {
		t.Fatalf("save-image -i: status %d: %s", status, stderr)
	}
	if want := "resumed\n"; stdout != want {
		t.Errorf("save-image -i printed %q, want %q", stdout, want)
	}
	// The base's main is the new image's, and runs when it is loaded.
	status, stdout, stderr = stasis(t, dir, "", "load-image", "more.img", "--", "3", "4")
	if want := "resumed\nmain 3 4 from the image and more\n"; status != 0 || stdout != want {
		t.Errorf("load-image more.img: status %d, stdout %q, want %q; stderr %q", status, stdout, want, stderr)
	}
	status, stdout, stderr = stasis(t, dir, "1 + 1\nsaved\n", "repl", "more.img")
	if status != 0 {
		t.Fatalf("repl more.img: status %d: %s", status, stderr)
	}
	if stderr != "Resumed more.img\n" {
		t.Errorf("repl more.img: stderr %q", stderr)
	}
	// Resume hooks run, main does not.
	if want := "resumed\n2\n'from the image and more'\n"; stdout != want {
		t.Errorf("repl more.img printed %q, want %q", stdout, want)
	}

	// An app image whose main exits is extended with -i: its main does not
	// run (nor exit) while the new image is built, and runs when it loads.
	if status, stdout, stderr := stasis(t, dir, "", "save-image", "-o", "exiting.img", "exiting.js"); status != 0 || stdout != "" {
		t.Fatalf("save-image exiting.js: status %d, stdout %q, stderr %q", status, stdout, stderr)
	}
	if status, stdout, stderr := stasis(t, dir, "", "save-image", "-i", "exiting.img", "-o", "bumped.img", "bump.js"); status != 0 || stdout != "" {
		t.Fatalf("save-image -i exiting.img: status %d, stdout %q, stderr %q", status, stdout, stderr)
	}
	if status, stdout, stderr := stasis(t, dir, "", "load-image", "bumped.img"); status != 0 || stdout != "app 2\n" {
		t.Errorf("load-image bumped.img: status %d, stdout %q, stderr %q", status, stdout, stderr)
	}

	// A failing main is a JS error with its context.
	writeTree(t, dir, map[string]string{"badmain.js": "stasis.setMain(function () { throw new TypeError('no args'); });\n"})
	if status, _, stderr := stasis(t, dir, "", "save-image", "-o", "bad.img", "badmain.js"); status != 0 {
		t.Fatalf("save-image badmain: status %d: %s", status, stderr)
	}
	status, _, stderr = stasis(t, dir, "", "load-image", "bad.img")
	if status != 1 || !strings.HasPrefix(stderr, "load-image: main: TypeError: no args\n    at badmain.js:1:36\n") {
		t.Errorf("load-image bad.img: status %d, stderr %q", status, stderr)
	}
}

// TestBinary builds the real command and checks its exit statuses and streams.
func TestBinary(t *testing.T) {
	bin := stasisBinary(t)
	dir := t.TempDir()
	writeTree(t, dir, scripts)
	tests := []struct {
		args   []string
		status int
		stdout string
	}{
		{[]string{"--version"}, 0, "stasis 0.1.0\n"},
		{[]string{"run", "a.js", "b.js", "--", "z"}, 0, "a z\nhello 2\n"},
		{[]string{"run", "throw.js"}, 1, ""},
		{[]string{"run"}, 2, ""},
		{[]string{"--bogus"}, 2, ""},
	}
	for _, tt := range tests {
		status, stdout, stderr := proc{dir: dir}.run(t, bin, tt.args...)
		if status != tt.status || stdout != tt.stdout {
			t.Errorf("stasis %s: status %d, stdout %q; want %d, %q (stderr %q)",
				strings.Join(tt.args, " "), status, stdout, tt.status, tt.stdout, stderr)
		}
	}
	// The REPL from a pipe: no prompt, results on stdout.
	status, out, stderr := proc{dir: dir, stdin: "var x = 20\nx * 2\n"}.run(t, bin)
	if status != 0 || out != "undefined\n40\n" {
		t.Errorf("stasis < input: status %d, stdout %q, stderr %q", status, out, stderr)
	}
}
