package repl

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stasisvm/stasis/image"
	"github.com/stasisvm/stasis/vm"
)

// session runs the REPL over input on world v (a fresh one if nil) and
// returns what it printed to out and errOut.
func runREPL(t *testing.T, v *vm.VM, input string) (stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	if v == nil {
		var err error
		v, err = image.NewWorld(vm.Options{Stdout: &out, Stderr: &errOut})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := Run(v, strings.NewReader(input), &out, &errOut, Options{}); err != nil {
		t.Fatalf("Run: %v", err)
	}
	return out.String(), errOut.String()
}

func TestREPL(t *testing.T) {
	tests := []struct {
		name           string
		input          string
		stdout, stderr string
	}{
		{"expressions", "1 + 2\n'a' + 'b'\n", "3\n'ab'\n", ""},
		{"undefined", "undefined\nvar x = 1\n", "undefined\nundefined\n", ""},
		{"state across lines", "var a = 2\nlet b = 3\nfunction f(n) { return n * a * b }\nf(7)\n", "undefined\nundefined\nundefined\n42\n", ""},
		{"blank lines are skipped", "\n  \n5\n", "5\n", ""},
		{"no trailing newline", "6 * 7", "42\n", ""},
		{"crlf", "6 * 7\r\n", "42\n", ""},
		{"console.log", "console.log('hi')\n", "hi\nundefined\n", ""},
		{"uncaught then going on", "var n = 1\nnope()\nthrow new TypeError('bad')\nn + 1\n",
			"undefined\n2\n", "Uncaught ReferenceError: nope is not defined\nUncaught TypeError: bad\n"},
		{"uncaught non-error", "throw 'str'\n", "", "Uncaught 'str'\n"},
		{"syntax error then going on", "var = 1\n3\n", "3\n", "Uncaught SyntaxError"},
		{"script names", "new Error('x').stack\n", "<repl:1>", ""},
		{".exit stops", "1\n.exit\n2\n", "1\n", ""},
		{".help", ".help\n", ".save-image FILE", ""},
		{"unknown command", ".nope\n4\n", "4\n", "Invalid REPL keyword .nope"},
		{"leading-dot number is JS", ".5 + .5\n", "1\n", ""},
		{".save-image without file", ".save-image\n", "", ".save-image: usage: .save-image FILE\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr := runREPL(t, nil, tt.input)
			if tt.stdout != "" && !strings.Contains(stdout, tt.stdout) || tt.stdout == "" && stdout != "" {
				t.Errorf("stdout %q, want %q", stdout, tt.stdout)
			}
			if tt.stderr != "" && !strings.Contains(stderr, tt.stderr) || tt.stderr == "" && stderr != "" {
				t.Errorf("stderr %q, want %q", stderr, tt.stderr)
			}
		})
	}
}

func TestSaveImageThenResume(t *testing.T) {
	path := filepath.Join(t.TempDir(), "session.img")
	stdout, stderr := runREPL(t, nil, "var kept = {n: 41}\nfunction inc() { return ++kept.n }\n"+
		"stasis.onSave(function () { kept.saved = true })\n.save-image "+path+"\n")
	if stderr != "" || !strings.Contains(stdout, "Saved "+path+"\n") {
		t.Fatalf("save: stdout %q, stderr %q", stdout, stderr)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	v, _, err := image.LoadFile(path, image.LoadOptions{VM: vm.Options{Stdout: &out, Stderr: &errOut}})
	if err != nil {
		t.Fatal(err)
	}
	stdout, stderr = runREPL(t, v, "inc()\nkept.saved\n")
	if stdout != "42\ntrue\n" || stderr != "" {
		t.Errorf("resumed: stdout %q, stderr %q", stdout, stderr)
	}
}
