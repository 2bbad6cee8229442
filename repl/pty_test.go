//go:build unix

package repl

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stasisvm/stasis/image/store/storetest"
	"github.com/stasisvm/stasis/repl/ptytest"
)

// The terminal features are tested on a pseudo-terminal (package ptytest):
// the test binary starts itself again as a REPL (see TestMain) with a pty
// as its terminal, types into it and waits for what the screen shows.

const helperEnv = "STASIS_REPL_TEST_HELPER"

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) == "1" {
		err := Run(nil, os.Stdin, os.Stdout, os.Stderr, Options{
			World:   worldOptions(),
			Colors:  os.Getenv("STASIS_REPL_TEST_COLORS") == "1",
			History: HistoryFile(),
			Image:   os.Getenv("STASIS_REPL_TEST_IMAGE"),
		})
		if err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// startTerminal starts the test binary again as a REPL (see TestMain) on
// a pseudo-terminal, with env added to its environment.
func startTerminal(t *testing.T, env ...string) *ptytest.Terminal {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), append([]string{helperEnv + "=1"}, env...)...)
	return ptytest.Start(t, cmd)
}

func TestTerminal(t *testing.T) {
	history := filepath.Join(t.TempDir(), "history")
	tm := startTerminal(t, "STASIS_REPL_HISTORY="+history)
	tm.Expect("> ")
	tm.Send("1 + 1\r")
	tm.Expect("\r\n2\r\n> ")

	// Multi-line input continues on "... ".
	tm.Send("[1,\r")
	tm.Expect("... ")
	tm.Send("2]\r")
	tm.Expect("[ 1, 2 ]\r\n> ")

	// Tab completes a top-level let, and a property.
	tm.Send("let myVeryLongName = 7\r")
	tm.Expect("undefined\r\n> ")
	tm.Send("myVeryL\t")
	tm.Expect("myVeryLongName")
	tm.Send("\r")
	tm.Expect("\r\n7\r\n> ")
	tm.Send("Math.ma\t")
	tm.Expect("Math.max")
	tm.Send("(1, 5)\r")
	tm.Expect("\r\n5\r\n> ")
	// As in node: the first Tab completes what the candidates share, the
	// second lists them as whole expressions.
	tm.Send("var pt = {alpha: 1, alps: 2}\r")
	tm.Expect("undefined\r\n> ")
	tm.Send("pt.al\t")
	tm.Expect("pt.alp")
	tm.Send("\t")
	tm.Expect("\r\npt.alpha pt.alps \r\n")
	tm.Send("ha\r")
	tm.Expect("\r\n1\r\n> ")
	tm.Send("'abc'.toUpp\t")
	tm.Expect("'abc'.toUpperCase")
	tm.Send("()\r")
	tm.Expect("\r\n'ABC'\r\n> ")

	// Ctrl-C stops a runaway loop; the world is intact.
	tm.Send("console.log('spin' + 'ning'); while (true) {}\r")
	tm.Expect("spinning\r\n")
	tm.Send("\x03")
	tm.Expect("Interrupted")
	tm.Expect("> ")
	tm.Send("myVeryLongName * 6\r")
	tm.Expect("\r\n42\r\n> ")

	// Ctrl-R searches the history.
	tm.Send("\x12myVeryLongName *")
	tm.Expect("reverse-i-search")
	tm.Send("\r")
	tm.Expect("42\r\n> ")

	// .editor runs what was typed when Ctrl-D is pressed.
	tm.Send(".editor\r")
	tm.Expect("// Entering editor mode")
	tm.Send("function nine() {\r  return 9 }\rnine()\r\x04")
	tm.Expect("\r\n9\r\n> ")

	// Ctrl-C at an empty prompt explains; a second one exits.
	tm.RawMode()
	tm.Send("\x03")
	tm.Expect("(To exit, press Ctrl+C again or Ctrl+D or type .exit)")
	tm.Expect("> ")
	tm.RawMode()
	tm.Send("\x03")
	tm.Expect("Save it before leaving?")
	tm.Send("\r")
	tm.Exited()

	got, err := os.ReadFile(history)
	if err != nil {
		t.Fatal(err)
	}
	if h := string(got); !strings.Contains(h, "1 + 1\n") || !strings.Contains(h, "let myVeryLongName = 7\n") {
		t.Errorf("history file holds %q", got)
	}
	// The next session has the history: Up recalls the last line.
	tm = startTerminal(t, "STASIS_REPL_HISTORY="+history)
	tm.Expect("> ")
	tm.Send("\x1b[A")
	tm.Expect("> .editor")
	tm.Send("\x15\x04") // erase the line, then Ctrl-D at an empty prompt

	tm.Exited()
}

func TestTerminalTimersAndColors(t *testing.T) {
	tm := startTerminal(t, "STASIS_REPL_TEST_COLORS=1", "STASIS_REPL_HISTORY=")
	tm.Expect("> ")
	tm.Send("42\r")
	tm.Expect("\x1b[33m42\x1b[0m")

	// A timer prints while a line is being typed: its output goes above a
	// cleared line, the prompt and the typed text are drawn again, and the
	// line goes on.
	tm.Send("let n = 0; const h = setInterval(() => console.log('tick' + ++n), 50); 0\r")
	tm.Expect("> ")
	tm.Send("6 *")
	tm.Expect("6 *")
	tm.Expect(clearLine + "tick")
	tm.Expect("> 6 *")
	tm.Send(" 7\r")
	tm.Expect("\x1b[33m42\x1b[0m")
	tm.Send("clearInterval(h)\r")
	tm.Expect("undefined")
	tm.Send("\x04")
	tm.Expect("Save it before leaving?")
	tm.Send("\r")
	tm.Exited()
}

func TestTerminalAwait(t *testing.T) {
	tm := startTerminal(t, "STASIS_REPL_HISTORY=")
	tm.Expect("> ")
	tm.Send("await new Promise(r => setTimeout(r, 20, 42))\r")
	tm.Expect("\r\n42\r\n> ")
	tm.Send("const x = await Promise.resolve(7)\r")
	tm.Expect("\r\nundefined\r\n> ")
	tm.Send("x * 6\r")
	tm.Expect("\r\n42\r\n> ")

	// Timers fire while an await waits; Ctrl-C stops waiting, and the
	// REPL goes on with its world.
	tm.Send("setTimeout(() => console.log('fired'), 10); const never = await new Promise(() => {})\r")
	tm.Expect("fired\r\n")
	tm.Send("\x03")
	tm.Expect("Interrupted: no longer waiting (the awaited promise is left as it is)\r\n> ")
	tm.Send("x + 1\r")
	tm.Expect("\r\n8\r\n> ")
	tm.Send("\x04")
	tm.Expect("Save it before leaving?")
	tm.Send("\r")
	tm.Exited()
}

func TestTerminalCtrlC(t *testing.T) {
	tm := startTerminal(t, "STASIS_REPL_HISTORY=")
	tm.Expect("> ")
	tm.Send("let kept = 'world'\r")
	tm.Expect("undefined\r\n> ")

	// On a line with text, Ctrl-C clears it and explains nothing, as in
	// Node: the text stays on the screen and a fresh prompt follows.
	tm.RawMode()
	tm.Send("abc")
	tm.Expect("abc")
	tm.Send("\x03")
	tm.Expect("\r\n> ")
	tm.Send("kept\r")
	tm.Expect("'world'\r\n> ")

	// At an empty prompt it explains; typing in between disarms it, so a
	// Ctrl-C that clears text after the explanation never leaves.
	tm.RawMode()
	tm.Send("\x03")
	tm.Expect("(To exit, press Ctrl+C again or Ctrl+D or type .exit)\r\n> ")
	tm.Send("a")
	tm.Expect("a")
	tm.Send("\x03")
	tm.Expect("\r\n> ")
	tm.RawMode()
	tm.Send("\x03")
	tm.Expect("(To exit, press Ctrl+C again or Ctrl+D or type .exit)\r\n> ")
	tm.Send("kept.length\r")
	tm.Expect("5\r\n> ")

	// Ctrl-C abandons an unfinished input.
	tm.Send("[1,\r")
	tm.Expect("... ")
	tm.Send("\x03")
	tm.Expect("\r\n> ")
	tm.Send("2 + 2\r")
	tm.Expect("4\r\n> ")

	// Two in a row at an empty prompt leave.
	tm.RawMode()
	tm.Send("\x03")
	tm.Expect("(To exit, press Ctrl+C again or Ctrl+D or type .exit)\r\n> ")
	tm.RawMode()
	tm.Send("\x03")
	tm.Expect("Save it before leaving?")
	tm.Send("\r")
	tm.Exited()
}

func TestTerminalLeaving(t *testing.T) {
	// A world that did not change leaves at once.
	tm := startTerminal(t, "STASIS_REPL_HISTORY=")
	tm.Expect("> ")
	tm.Send("1 + 1\r")
	tm.Expect("2\r\n> ")
	tm.Send("\x04")
	tm.Exited()
	if strings.Contains(tm.Screen(), "changed") {
		t.Errorf("asked about an unchanged world: %q", tm.Screen())
	}

	// A changed world that was never saved: the answer is a file name.
	path := filepath.Join(t.TempDir(), "left.img")
	tm = startTerminal(t, "STASIS_REPL_HISTORY=")
	tm.Expect("> ")
	tm.Send("var saved = 41\r")
	tm.Expect("undefined\r\n> ")
	tm.Send("\x04")
	tm.Expect("This world has changed and was never saved.\r\n")
	tm.Expect("Save it before leaving? [a file name = save there, Enter = leave without saving, Ctrl+C = stay] ")
	tm.Send(path + "\r")
	tm.Expect("Saved " + path + "\r\n")
	tm.Exited()

	// Resumed and only read from: no question.
	tm = startTerminal(t, "STASIS_REPL_HISTORY=", "STASIS_REPL_TEST_IMAGE="+path)
	tm.Expect("Resumed " + path)
	tm.Send("saved + 1\r")
	tm.Expect("42\r\n> ")
	tm.Send(".exit\r")
	tm.Exited()

	// Changed: Ctrl-C at the question stays; y saves back to the image.
	tm = startTerminal(t, "STASIS_REPL_HISTORY=", "STASIS_REPL_TEST_IMAGE="+path)
	tm.Expect("> ")
	tm.Send("saved++\r")
	tm.Expect("41\r\n> ")
	tm.Send(".exit\r")
	tm.Expect("The world has changed since it was last saved to or loaded from " + path + ".\r\n")
	tm.Expect("Save it there before leaving? ")
	tm.RawMode()
	tm.Send("\x03")
	tm.Expect("> ")
	tm.Send("saved\r")
	tm.Expect("42\r\n> ")
	tm.Send("\x04")
	tm.Expect("Save it there before leaving? ")
	tm.Send("y\r")
	tm.Expect("Saved " + path + "\r\n")
	tm.Exited()

	stdout, _ := runREPL(t, "saved\n", Options{Image: path})
	if stdout != "42\n" {
		t.Errorf("the saved world holds %q", stdout)
	}
}

func TestTerminalNewWorld(t *testing.T) {
	tm := startTerminal(t, "STASIS_REPL_HISTORY=")
	tm.Expect("> ")
	tm.Send("var a = 1\r")
	tm.Expect("undefined\r\n> ")
	tm.Send(".new-world\r")
	tm.Expect("The world has changed since it was last saved or loaded. Throw this world away and start again in a fresh one? [y/N] ")
	tm.Send("\r")
	tm.Expect("Kept the world\r\n> ")
	tm.Send("a\r")
	tm.Expect("1\r\n> ")
	tm.Send(".new-world\r")
	tm.Expect("[y/N] ")
	tm.Send("y\r")
	tm.Expect("A fresh world\r\n> ")
	tm.Send("typeof a\r")
	tm.Expect("'undefined'\r\n> ")
	tm.Send("\x04") // a fresh world, unchanged: no question
	tm.Exited()
}

// TestTerminalImageLocations: .save-image and .load-image take a location
// in any store, as the CLI's commands do (an image file,
// sqlite:FILE#NAME, postgres://...#NAME). A person saves there, throws the
// world away, loads it back, saves again without naming the location,
// saves on leaving, and a new REPL resumes the world from there.
func TestTerminalImageLocations(t *testing.T) {
	for _, store := range []struct {
		name string
		loc  func(t *testing.T) (world, missing string)
	}{
		{"file", func(t *testing.T) (string, string) {
			dir := t.TempDir()
			return filepath.Join(dir, "notes.img"), filepath.Join(dir, "missing.img")
		}},
		{"sqlite", func(t *testing.T) (string, string) {
			db := filepath.Join(t.TempDir(), "worlds.db")
			return "sqlite:" + db + "#notes", "sqlite:" + db + "#missing"
		}},
		{"postgres", func(t *testing.T) (string, string) {
			url := storetest.Postgres(t)
			return url + "#notes", url + "#missing"
		}},
	} {
		t.Run(store.name, func(t *testing.T) {
			loc, missing := store.loc(t)
			tm := startTerminal(t, "STASIS_REPL_HISTORY=")
			tm.Expect("> ")
			tm.Send("var notes = ['milk']; function add(n) { return notes.push(n) }\r")
			tm.Expect("undefined\r\n> ")
			tm.Send(".save-image " + loc + "\r")
			tm.Expect("Saved " + loc + "\r\n> ")

			tm.Send(".new-world\r")
			tm.Expect("[y/N] ")
			tm.Send("y\r")
			tm.Expect("A fresh world\r\n> ")
			tm.Send("typeof notes\r")
			tm.Expect("'undefined'\r\n> ")
			tm.Send(".load-image " + missing + "\r")
			tm.Expect(".load-image: " + missing + ": ")
			tm.Expect("> ")
			tm.Send(".load-image " + loc + "\r")
			tm.Expect("Resumed " + loc + "\r\n> ")
			tm.Send("add('eggs')\r")
			tm.Expect("\r\n2\r\n> ")
			tm.Send(".save-image\r")
			tm.Expect("Saved " + loc + "\r\n> ")

			tm.Send("add('tea')\r")
			tm.Expect("\r\n3\r\n> ")
			tm.Send("\x04")
			tm.Expect("The world has changed since it was last saved to or loaded from " + loc + ".\r\n")
			tm.Expect("Save it there before leaving? ")
			tm.Send("y\r")
			tm.Expect("Saved " + loc + "\r\n")
			tm.Exited()

			tm = startTerminal(t, "STASIS_REPL_HISTORY=", "STASIS_REPL_TEST_IMAGE="+loc)
			tm.Expect("Resumed " + loc + "\r\n")
			tm.Expect("> ")
			tm.Send("add('jam'), notes\r")
			tm.Expect("[ 'milk', 'eggs', 'tea', 'jam' ]\r\n> ")
			tm.Send(".exit\r")
			tm.Expect("Save it there before leaving? ")
			tm.Send("\r") // leave without saving
			tm.Exited()

			stdout, _ := runREPL(t, "notes.length\n", Options{Image: loc})
			if stdout != "3\n" {
				t.Errorf("the world in %s holds %q notes", loc, stdout)
			}
		})
	}
}
