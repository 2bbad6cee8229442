package repl

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/stasisvm/stasis/repl/ptytest"
)

// TestLikeNodeREPL types the same inputs into this REPL and into node's
// (node -i, from a pipe, where it prints its prompts but no colours) and
// compares what each prints. Frames keep their script and line but not
// their column, which goja and V8 place differently within a call.
func TestLikeNodeREPL(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed")
	}
	// Each session is one REPL, in ours and in node's. node reads a piped
	// line while an await of an earlier one still waits, so an input that
	// awaits is alone or last in its session.
	sessions := map[string]string{
		"values and errors": "_\n" +
			"Array.from({length: 30}, (_, i) => i + 1)\n" +
			"Array.from({length: 30}, (_, i) => 'item' + i)\n" +
			"[1, 2, 3, 4, 5, 6, 7]\n" +
			"new Array(2 ** 32 - 1)\n" +
			"async () => {}\n" +
			"({a: 1, b: [1, 2, 3], c: {d: {e: {f: 1}}}})\n" +
			"{a: 1, b: 'x'}\n" +
			"[1,\n2,\n3]\n" +
			"1 +\n2\n" +
			"_ + 1\n" +
			"function inner() { throw new TypeError('deep') }; function outer() { inner() }\nouter()\n" +
			"throw new Error('top')\n" +
			"nope()\n" +
			"throw {code: 3}\n" +
			"var = 1\n" +
			"let b = 2 myLong\n" +
			"x = 'a' 'b'\n" +
			"({asyncLoad() {}, *gen() {}, async am() {}, classify() {}})\n" +
			"let a = 1;\n  a +* 2\n",
		"natives' values": "new URL('https://u:p@a.b:8080/p?q=1#h')\n" +
			"new URLSearchParams('a=1&b=2')\n" +
			"const u = new URL('http://x/?k=v'); u.searchParams\n" +
			"[u, {deep: {er: {still: u}}}]\n" +
			"require('util').inspect(u.searchParams)\n",
		"a tag from a getter": "class F { get [Symbol.toStringTag]() { return 'bar' } }; new F\n" +
			"class S { static get [Symbol.toStringTag]() { return 's' } }; [new F, S, {f: new F}]\n",
		"await a value": "await Promise.resolve(42)\n",
		// node reports a rejection once it has read the lines piped to it:
		// the one that rejects is last.
		"an unhandled rejection":   "Promise.reject(new Error('rej')); 1\n",
		"a rejection with a stack": "async function f() { throw new TypeError('deep') }\nf(); 2\n",
		"a rejected value":         "Promise.reject(42); 3\n",
		"await and destructure":    "let { p, q } = await Promise.resolve({ p: 1, q: 2 }); p + q\n",
		"await a timer":            "await new Promise(r => setTimeout(r, 10, 'later'))\n",
	}
	for name, input := range sessions {
		t.Run(name, func(t *testing.T) {
			t.Parallel() // node takes seconds to leave, but no CPU
			cmd := exec.Command(node, "-i")
			cmd.Stdin = strings.NewReader(input)
			cmd.Env = append(cmd.Environ(), "NODE_NO_WARNINGS=1", "NODE_REPL_HISTORY=")
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("node: %v", err)
			}
			want := normalizeNode(string(out))

			var ours ptytest.Buffer
			if err := Run(nil, strings.NewReader(input), &ours, &ours, Options{World: worldOptions()}); err != nil {
				t.Fatal(err)
			}
			if got := dropColumns(ours.String()); got != want {
				t.Errorf("input %q:\n--- stasis\n%s--- node\n%s", input, got, want)
			}
		})
	}
}

var (
	nodePrompt   = regexp.MustCompile(`(?m)^((> )|(\.\.\. ))+`)
	nodeScript   = regexp.MustCompile(`REPL\d+|<repl:\d+>`)
	frameColumns = regexp.MustCompile(`(:\d+):\d+(\)?)$`)
)

// normalizeNode takes node's banner and prompts out of what its REPL
// printed.
func normalizeNode(s string) string {
	if i := strings.Index(s, "for more information.\n"); i >= 0 {
		s = s[i+len("for more information.\n"):]
	}
	s = nodePrompt.ReplaceAllString(s, "")
	return dropColumns(s)
}

// dropColumns drops the columns of frames, and the numbers of inputs'
// scripts: node counts every line it tried to run, this REPL each input.
func dropColumns(s string) string {
	s = nodeScript.ReplaceAllString(s, "<repl:N>")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "    at ") {
			lines[i] = frameColumns.ReplaceAllString(l, "$1$2")
		}
	}
	return strings.Join(lines, "\n")
}
