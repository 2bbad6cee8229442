package repl

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stasisvm/stasis/image"
	"github.com/stasisvm/stasis/natives"
	"github.com/stasisvm/stasis/repl/ptytest"
	"github.com/stasisvm/stasis/vm"
)

// worldOptions are those of a standard world: timers, fs, require.
func worldOptions() vm.Options {
	return vm.Options{Setup: []func(*vm.VM) error{natives.Setup(natives.Default()...)}}
}

// runREPL runs the REPL over input (no terminal) on a fresh world, or on
// the image opts.Image, and returns what it printed to out and errOut.
func runREPL(t *testing.T, input string, opts Options) (stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	if opts.World.Setup == nil {
		opts.World = worldOptions()
	}
	if err := Run(nil, strings.NewReader(input), &out, &errOut, opts); err != nil {
		t.Fatalf("Run: %v", err)
	}
	return out.String(), errOut.String()
}

func TestREPL(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "lib.js")
	if err := os.WriteFile(script, []byte("var fromFile = 6;\nfromFile * 7\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name           string
		input          string
		stdout, stderr string // stdout must contain stdout; stderr likewise, or be empty if ""
	}{
		{"expressions", "1 + 2\n'a' + 'b'\n", "3\n'ab'\n", ""},
		{"undefined", "undefined\nvar x = 1\n", "undefined\nundefined\n", ""},
		{"state across inputs", "var a = 2\nlet b = 3\nfunction f(n) { return n * a * b }\nf(7)\n", "undefined\nundefined\nundefined\n42\n", ""},
		{"blank lines are skipped", "\n  \n5\n", "5\n", ""},
		{"no trailing newline", "6 * 7", "42\n", ""},
		{"crlf", "6 * 7\r\n", "42\n", ""},
		{"console.log", "console.log('hi')\n", "hi\nundefined\n", ""},
		{"uncaught then going on", "var n = 1\nnope()\nthrow new TypeError('bad')\nn + 1\n",
			"undefined\n2\n", "Uncaught ReferenceError: nope is not defined\nUncaught TypeError: bad\n"},
		{"uncaught non-error", "throw 'str'\n", "", "Uncaught 'str'\n"},
		{"syntax error then going on", "var = 1\n3\n", "3\n", "Uncaught SyntaxError"},
		{"script names", "new Error('x').stack\n", "<repl:1>", ""},
		{"inspect-style results", "[1, 'a', {b: [2]}]\nnew Map([[1, 2]])\n(function named() {})\nclass K {}; K\n",
			"[ 1, 'a', { b: [ 2 ] } ]\nMap(1) { 1 => 2 }\n[Function: named]\n[class K]\n", ""},

		// Multi-line input.
		{"open function", "function add(a,\n  b) {\n  return a + b\n}\nadd(1, 2)\n", "undefined\n3\n", ""},
		{"open class", "class P {\n  constructor() { this.x = 1 }\n}\nnew P().x\n", "undefined\n1\n", ""},
		{"trailing operator", "1 +\n2\n", "3\n", ""},
		{"open array", "[1,\n2,\n3].length\n", "3\n", ""},
		{"unterminated template", "`a\nb`\n", "'a\\nb'\n", ""},
		{"unterminated comment", "/* a\nb */ 4\n", "4\n", ""},
		{".break abandons", "[1,\n.break\n5\n", "5\n", ""},
		{"method chain on a new line", "[3, 1, 2]\n", "[ 3, 1, 2 ]\n", ""},
		{"a complete line then a dot is a command, as in Node", "[3, 1, 2]\n.sort()\n", "[ 3, 1, 2 ]\n", "Invalid REPL keyword .sort()"},
		{"continuation with an unknown keyword", "[3, 1, 2\n].map(x => x * 2\n)\n", "[ 6, 2, 4 ]\n", ""},
		{"a real syntax error does not continue", "1 + )\n7\n", "7\n", "Uncaught SyntaxError"},

		// Object literals, as in Node.
		{"object literal", "{a: 1}\n", "{ a: 1 }\n", ""},
		{"object literal over lines", "{\n  a: 1,\n  b: 'x'\n}\n", "{ a: 1, b: 'x' }\n", ""},
		{"block", "{ let y = 5; y * 2 }\n", "10\n", ""},
		{"block ending with a semicolon", "{a: 1};\n", "1\n", ""},

		// _ and _error.
		{"_ is the last result", "1 + 1\n_ * 10\n_\n", "2\n20\n20\n", ""},
		{"_ after undefined", "7\nvoid 0\n_\n", "7\nundefined\nundefined\n", ""},
		{"_error is the last error", "null.x\n_error instanceof TypeError\n", "true\n", "Uncaught TypeError"},
		{"_error of a non-error", "throw {code: 3}\n_error.code\n", "3\n", "Uncaught { code: 3 }"},
		{"assigning _ disables it", "1\n_ = 5\n2\n_\n", "1\n5\n2\n5\n", "Expression assignment to _ now disabled.\n"},
		{"_ is not enumerable", "1\nObject.keys(globalThis).includes('_')\n", "false\n", ""},

		// Dot-commands.
		{".exit stops", "1\n.exit\n2\n", "1\n", ""},
		{".help", ".help\n", ".save-image [FILE]", ""},
		{"unknown command", ".nope\n4\n", "4\n", "Invalid REPL keyword .nope"},
		{"leading-dot number is JS", ".5 + .5\n", "1\n", ""},
		{".save-image without file or image", ".save-image\n", "", ".save-image: usage: .save-image FILE (this world does not come from an image)\n"},
		{".save-image into a missing directory", ".save-image nodir/a.img\n", "", ".save-image: nodir/a.img: directory nodir does not exist\n"},
		{".save-image into a database in a missing directory", ".save-image sqlite:nodir/a.db#w\n", "", ".save-image: sqlite nodir/a.db: directory nodir does not exist\n"},
		{".clear is .break", "[1,\n.clear\nvar kept = 5\nkept\n", "undefined\n5\n", ""},
		{".new-world", "var gone = 1\n.new-world\ntypeof gone\n", "A fresh world\n'undefined'\n", ""},
		{".editor", ".editor\nfunction g() {\n  return 7 }\ng()\n", "7\n", ""},
		{".load", ".load " + script + "\nfromFile\n", "42\n6\n", ""},
		{".load missing", ".load nope.js\n", "", ".load: nope.js: no such file or directory\n"},
		{".inspect", "let a = [1, 2]\nvar b = {c: a}\nsetTimeout(() => {}, 60000)\n.inspect\n",
			"world:   fresh (not from an image)\nglobals: 2: a, b\nobjects:", ""},

		// Timers and the event loop.
		{"an immediate runs before the next input", "setImmediate(() => console.log('tick')); 1\n2\n", "1\ntick\n2\n", ""},
		{"an error in an immediate", "setImmediate(() => { throw new RangeError('boom') }); 1\n_error.message\n", "'boom'\n", "Uncaught RangeError: boom\n"},
		{"an unhandled rejection", "Promise.reject(new RangeError('r')); 1\n_error.message\n", "1\n'r'\n", "Uncaught RangeError: r\n"},
		{"queueMicrotask", "queueMicrotask(() => console.log('micro')); 1\n", "micro\n1\n", ""},
		{"stasis.exit ends the session", "stasis.exit(0)\n1\n", "undefined\n", ""},

		// Top-level await.
		{"await prints the value", "await Promise.resolve(42)\n", "42\n", ""},
		{"await binds a const for later inputs", "const x = await Promise.resolve(7)\nx * 2\nx = 1\n", "undefined\n14\n1\n", ""},
		{"timers fire while awaiting", "setTimeout(() => console.log('tick'), 1); await new Promise(r => setTimeout(r, 30, 'done'))\n",
			"tick\n'done'\n", ""},
		{"await declarations outlive the input",
			"var {a, b: [c]} = await Promise.resolve({a: 1, b: [2]})\nclass K { m() { return 'k' } }; function f() { return 'f' }; let g = await 3\n" +
				"[a, c, new K().m(), f(), g, typeof K]\n",
			"undefined\nundefined\n[ 1, 2, 'k', 'f', 3, 'function' ]\n", ""},
		{"a var in a block and a loop", "if (true) { var inBlock = await 1 }\nfor (var i of await [1, 2]) {}\n[inBlock, i]\n", "[ 1, 2 ]\n", ""},
		{"await over several lines", "const y = await Promise.resolve(\n5)\ny\n", "undefined\n5\n", ""},
		{"_ after await", "await 9\n_\n", "9\n9\n", ""},
		{"an awaited rejection is uncaught", "await Promise.reject(new RangeError('no'))\n_error.message\n", "'no'\n", "Uncaught RangeError: no\n"},
		{"await in a function is not top-level", "async function h() { return await 1 }; h()\n", "Promise { 1 }\n", ""},
		{"await as a name in a script", "var await = 3; await\n", "3\n", ""},
		{"an awaited promise that nothing settles", "await new Promise(() => {})\n1\n", "1\n",
			"Uncaught: the awaited promise can never settle: nothing is left that could settle it\n"},

		// Errors as Node prints them.
		{"_ is undefined before any result", "_\n", "undefined\n", ""},
		{"syntax error with a caret", "var = 1\n", "", "var = 1\n    ^\n\nUncaught SyntaxError: Unexpected token '='\n"},
		{"syntax error on a later line", "let q = [1,\n  2 +* 3]\n", "", "  2 +* 3]\n     ^\n\nUncaught SyntaxError: Unexpected token '*'\n"},
		{"uncaught stack without the REPL's frames",
			"function inner() { throw new TypeError('deep') }; function outer() { inner() }\nouter()\n", "undefined\n",
			"Uncaught TypeError: deep\n    at inner (<repl:1>:1:26)\n    at outer (<repl:1>:1:75)\n"},
		{"uncaught error with properties", "throw Object.assign(new Error('x'), {code: 3})\n", "", "Uncaught Error: x { code: 3 }\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr := runREPL(t, tt.input, Options{})
			if tt.stdout != "" && !strings.Contains(stdout, tt.stdout) || tt.stdout == "" && stdout != "" {
				t.Errorf("stdout %q, want %q", stdout, tt.stdout)
			}
			if tt.stderr != "" && !strings.Contains(stderr, tt.stderr) || tt.stderr == "" && stderr != "" {
				t.Errorf("stderr %q, want %q", stderr, tt.stderr)
			}
		})
	}
}

func TestInspectCommand(t *testing.T) {
	stdout, stderr := runREPL(t, "let a = [1, 2]\nvar b = {c: a}\nsetTimeout(() => {}, 60000)\n.inspect\n", Options{})
	if stderr != "" {
		t.Fatalf("stderr %q", stderr)
	}
	for _, want := range []string{"globals: 2: a, b\n", "objects: ", " array", "timers:  1 pending, the next in ", "hooks:   0 onSave, 0 onResume, main none\n"} {
		if !strings.Contains(stdout, want) {
			t.Errorf(".inspect printed %q, want %q in it", stdout, want)
		}
	}
}

func TestSaveCommand(t *testing.T) {
	path := filepath.Join(t.TempDir(), "session.js")
	_, stderr := runREPL(t, "var s = 1\nfunction f(a,\n b) { return a + b }\nvar = 2\nnope()\n.save "+path+"\n", Options{})
	if !strings.Contains(stderr, "SyntaxError") {
		t.Fatalf("stderr %q", stderr)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Inputs that compiled, whole; the syntax error is left out.
	if want := "var s = 1\nfunction f(a,\n b) { return a + b }\nnope()\n"; string(got) != want {
		t.Errorf(".save wrote %q, want %q", got, want)
	}
	stdout, _ := runREPL(t, ".load "+path+"\nf(s, 2)\n", Options{})
	if !strings.HasSuffix(stdout, "3\n") {
		t.Errorf("after .load: %q", stdout)
	}
}

func TestSaveImageThenResume(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "session.img")
	stdout, stderr := runREPL(t, "var kept = {n: 41}\nfunction inc() { return ++kept.n }\nconst k = 'const'\n"+
		"stasis.onSave(function () { kept.saved = true })\nstasis.onResume(function () { console.log('hook ran') })\n"+
		"inc()\n.save-image "+path+"\n", Options{})
	if stderr != "" || !strings.Contains(stdout, "42\nSaved "+path+"\n") {
		t.Fatalf("save: stdout %q, stderr %q", stdout, stderr)
	}

	// A new REPL on the image carries on; `_` was not saved.
	stdout, stderr = runREPL(t, "typeof _\ninc()\nkept.saved\nk\n.save-image\n", Options{Image: path})
	if want := "hook ran\n'undefined'\n43\ntrue\n'const'\nSaved " + path + "\n"; stdout != want || stderr != "Resumed "+path+"\n" {
		t.Errorf("resumed: stdout %q, stderr %q; want %q", stdout, stderr, want)
	}
	// .save-image without a file went back to the image it came from.
	stdout, _ = runREPL(t, "inc()\n", Options{Image: path})
	if !strings.HasSuffix(stdout, "44\n") {
		t.Errorf("third session: %q", stdout)
	}

	// .load-image replaces the world; .save-image then saves to that image.
	other := filepath.Join(dir, "other.img")
	stdout, stderr = runREPL(t, "var mine = 1\n.save-image "+other+"\n.load-image "+path+"\ntypeof mine\ninc()\n"+
		".load-image "+other+"\nmine\ntypeof inc\n.load-image nope.img\nmine\n", Options{})
	if want := "undefined\nSaved " + other + "\nhook ran\nResumed " + path + "\n'undefined'\n44\nResumed " + other + "\n1\n'undefined'\n1\n"; stdout != want {
		t.Errorf(".load-image: stdout %q, want %q", stdout, want)
	}
	if want := ".load-image: nope.img: no such file or directory\n"; stderr != want {
		t.Errorf(".load-image: stderr %q, want %q", stderr, want)
	}
}

func TestSaveImageWithUnsaveableResult(t *testing.T) {
	// `_` holds a promise capability's executor (a native function that no
	// plugin owns), which cannot be saved: the REPL's own globals never make
	// a save fail.
	path := filepath.Join(t.TempDir(), "r.img")
	stdout, stderr := runREPL(t, "(function () { var e; Promise.resolve.call(function (x) { e = x; x(function () {}, function () {}) }, 0); return e })()\n.save-image "+path+"\n_\n", Options{})
	if stderr != "" || !strings.Contains(stdout, "Saved "+path+"\n[Function") {
		t.Errorf("stdout %q, stderr %q", stdout, stderr)
	}
}

func TestResumeErrors(t *testing.T) {
	var out, errOut bytes.Buffer
	err := Run(nil, strings.NewReader(""), &out, &errOut, Options{World: worldOptions(), Image: "missing.img"})
	if err == nil || err.Error() != "missing.img: no such file or directory" {
		t.Errorf("Run on a missing image: %v", err)
	}
}

func TestTimersFireWhileWaitingForInput(t *testing.T) {
	pr, pw := io.Pipe()
	var out, errOut ptytest.Buffer
	done := make(chan error)
	go func() {
		done <- Run(nil, pr, &out, &errOut, Options{World: worldOptions()})
	}()
	io.WriteString(pw, "let n = 0; const h = setInterval(() => console.log('tick', ++n), 20); 'started'\n")
	out.Wait(t, 0, "tick 3\n")
	// An unreferenced timer fires too: the REPL keeps the loop alive.
	io.WriteString(pw, "setTimeout(() => console.log('unref fired'), 10).unref(); clearInterval(h)\n")
	out.Wait(t, 0, "unref fired\n")
	// An uncaught error in a timer is reported and kept in _error.
	io.WriteString(pw, "setTimeout(() => { throw new RangeError('boom') }, 1); 'armed'\n")
	errOut.Wait(t, 0, "Uncaught RangeError: boom\n")
	io.WriteString(pw, "_error.message\n")
	out.Wait(t, 0, "'boom'\n")
	pw.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if errOut.String() != "Uncaught RangeError: boom\n    at <repl:3>:1:26\n" {
		t.Errorf("stderr %q", errOut.String())
	}
}

func TestCompletion(t *testing.T) {
	v, err := image.NewWorld(worldOptions())
	if err != nil {
		t.Fatal(err)
	}
	s := &session{}
	s.setWorld(v)
	if _, err := v.RunScript("setup", `
		var obj = {alpha: 1, alps: 2, beta: {gamma: 3}};
		var shadow = {toString() { return 's' }};
		let myLongLetName = 1; const myLongConst = 2; class MyLongClass {}
		var tricky = {get boom() { throw new Error('getter ran') }};
		var str = 'abc';
		var prox = new Proxy({}, {ownKeys() { throw new Error('trap ran') }});
	`); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		line       string
		pos        int // -1: the end
		head, tail string
		items      []string
	}{
		{"Mat", -1, "", "", []string{"Math"}},
		{"Math.ma", -1, "", "", []string{"Math.max"}},
		// Whole expressions, the farthest prototype's names first, the
		// object's own last, each group sorted, as node lists them.
		{"obj.", -1, "", "", []string{"obj.__proto__", "obj.constructor", "obj.hasOwnProperty", "obj.isPrototypeOf",
			"obj.propertyIsEnumerable", "obj.toLocaleString", "obj.toString", "obj.valueOf", "obj.alpha", "obj.alps", "obj.beta"}},
		{"obj.al", -1, "", "", []string{"obj.alpha", "obj.alps"}},
		{"obj.beta.ga", -1, "", "", []string{"obj.beta.gamma"}},
		{"obj?.beta.ga", -1, "", "", []string{"obj?.beta.gamma"}},
		{"obj.hasOwnP", -1, "", "", []string{"obj.hasOwnProperty"}},
		{"x = obj.al + 1", 10, "x = ", " + 1", []string{"obj.alpha", "obj.alps"}},
		{"shadow.to", -1, "", "", []string{"shadow.toLocaleString", "shadow.toString"}},
		{"myLong", -1, "", "", []string{"myLongConst", "myLongLetName"}},
		{"MyLong", -1, "", "", []string{"MyLongClass"}},
		{"str.toUpp", -1, "", "", []string{"str.toUpperCase"}},
		{"tricky.boom.", -1, "", "", nil},
		{"prox.", -1, "", "", nil},
		{"f().a", -1, "", "", nil},
		{"retu", -1, "", "", []string{"return"}},
		{"setTim", -1, "", "", []string{"setTimeout"}},
		{".sa", -1, "", "", []string{".save", ".save-image"}},
		{"nothing.her", -1, "", "", nil},
		// Literals complete as in Node; what would need running does not.
		{"'abc'.toUpp", -1, "", "", []string{"'abc'.toUpperCase"}},
		{`x = "it\"s".padS`, -1, "x = ", "", []string{`"it\"s".padStart`}},
		{"`t`.trimE", -1, "", "", []string{"`t`.trimEnd"}},
		{"(1.5).toFix", -1, "", "", []string{"(1.5).toFixed"}},
		{"f('x').len", -1, "", "", nil},
		{"f 'x'.len", -1, "", "", nil},
		{"return 'x'.len", -1, "return ", "", []string{"'x'.length"}},
		{"`a${b}`.len", -1, "", "", nil},
		{"a(1).toF", -1, "", "", nil},
		{`'a\nb'.len`, -1, "", "", []string{`'a\nb'.length`}},
	}
	for _, tt := range tests {
		pos := tt.pos
		if pos < 0 {
			pos = len([]rune(tt.line))
		}
		head, items, tail := s.complete(tt.line, pos)
		if len(items) == 0 {
			items = nil
		}
		if !reflect.DeepEqual(items, tt.items) || len(items) > 0 && (head != tt.head || tail != tt.tail) {
			t.Errorf("complete(%q, %d) = %q, %q, %q; want %q, %q, %q", tt.line, pos, head, items, tail, tt.head, tt.items, tt.tail)
		}
	}
	if got := v.Runtime().Get("tricky"); got == nil {
		t.Fatal("world lost")
	}
}

func TestPrepare(t *testing.T) {
	for _, tt := range []struct {
		src        string
		code       string
		incomplete bool
	}{
		{"1 +", "1 +", true},
		{"function f() {", "function f() {", true},
		{"`abc", "`abc", true},
		{"`a ${x", "`a ${x", true},
		{"f(", "f(", true},
		{"{a: 1", "{a: 1", true},
		{"'abc", "'abc", false}, // an unterminated string is an error, as in Node
		{"1 + )", "1 + )", false},
		{"{a: 1}", "({a: 1}\n)", false},
		{"{a: 1} // note", "({a: 1} // note\n)", false},
		{"{ let x }", "{ let x }", false},
		{"{a: 1};", "{a: 1};", false},
	} {
		code, incomplete := prepare(tt.src)
		if code != tt.code || incomplete != tt.incomplete {
			t.Errorf("prepare(%q) = %q, %v; want %q, %v", tt.src, code, incomplete, tt.code, tt.incomplete)
		}
	}
}

func TestSaveImageAfterAwait(t *testing.T) {
	// Once nothing is awaited, a world whose inputs awaited saves as any
	// other: what the awaits bound comes back.
	path := filepath.Join(t.TempDir(), "awaited.img")
	stdout, stderr := runREPL(t, "const x = await Promise.resolve({n: 5})\nvar later = await new Promise(r => setTimeout(r, 5, 'late'))\n"+
		".save-image "+path+"\n", Options{})
	if stderr != "" || stdout != "undefined\nundefined\nSaved "+path+"\n" {
		t.Fatalf("save: stdout %q, stderr %q", stdout, stderr)
	}
	stdout, _ = runREPL(t, "x.n + later\n", Options{Image: path})
	if stdout != "'5late'\n" {
		t.Errorf("resumed: %q", stdout)
	}
}
