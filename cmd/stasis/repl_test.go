//go:build unix

package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stasisvm/stasis/repl/ptytest"
)

// TestREPLOnATerminal runs the stasis binary's REPL on a pseudo-terminal:
// resuming an image, prompt, colours, Ctrl-C on a runaway loop, saving
// back to the image, Ctrl-D. Output is awaited, never timed.
func TestREPLOnATerminal(t *testing.T) {
	bin := stasisBinary(t)
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"notes.js": "var notes = ['buy milk'];\nstasis.onResume(function () { console.log('welcome back') });\n"})
	if status, _, stderr := runStatus(t, dir, "save-image", "-o", "notes.img", "notes.js"); status != 0 {
		t.Fatalf("save-image: %s", stderr)
	}
	start := func(env ...string) *ptytest.Terminal {
		cmd := exec.Command(bin, "repl", "notes.img")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), append([]string{"STASIS_REPL_HISTORY="}, env...)...)
		return ptytest.Start(t, cmd)
	}

	tm := start()
	tm.Expect("welcome back")
	tm.Expect("Resumed notes.img\r\n")
	tm.Expect("> ")
	tm.Send("notes.push('call mum')\r")
	tm.Expect("\x1b[33m2\x1b[0m") // a terminal: colours
	tm.Send("console.log('loop' + 'ing'); for (;;) {}\r")
	tm.Expect("looping\r\n")
	tm.Send("\x03")
	tm.Expect("Interrupted")
	tm.Expect("> ")
	tm.Send(".save-image\r")
	tm.Expect("Saved notes.img")
	tm.Send("\x04")
	tm.Exited()

	// NO_COLOR is respected; the saved world carries on.
	tm = start("NO_COLOR=1")
	tm.Expect("> ")
	tm.Send("notes.length\r")
	tm.Expect("\r\n2\r\n> ")
	tm.Send(".exit\r")
	tm.Exited()
	if strings.Contains(tm.Screen(), "\x1b[33m") {
		t.Errorf("colours despite NO_COLOR: %q", tm.Screen())
	}
}
