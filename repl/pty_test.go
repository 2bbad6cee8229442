//go:build unix

package repl

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
)

// The terminal features are tested on a pseudo-terminal: the test binary
// starts itself again as a REPL (see TestMain) with a pty as its terminal,
// types into it and waits for what the screen shows. Nothing depends on
// timing but for generous time limits.

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

// terminal is a REPL running on a pty.
type terminal struct {
	t    *testing.T
	pty  *os.File
	cmd  *exec.Cmd
	out  syncBuffer
	mark int // expect looks after this offset of out
	done chan error
}

func startTerminal(t *testing.T, env ...string) *terminal {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), append([]string{helperEnv + "=1", "TERM=xterm"}, env...)...)
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 160})
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	tm := &terminal{t: t, pty: f, cmd: cmd, done: make(chan error, 1)}
	copied := make(chan struct{})
	go func() {
		io.Copy(&tm.out, f) // ends with EIO when the REPL exits
		close(copied)
	}()
	go func() {
		err := cmd.Wait()
		<-copied
		tm.done <- err
	}()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
		}
		f.Close()
	})
	return tm
}

func (tm *terminal) send(keys string) {
	tm.t.Helper()
	if _, err := tm.pty.Write([]byte(keys)); err != nil {
		tm.t.Fatalf("typing %q: %v", keys, err)
	}
}

// expect waits until the screen shows want after the last thing expected.
func (tm *terminal) expect(want string) {
	tm.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		all := tm.out.String()
		if i := strings.Index(all[tm.mark:], want); i >= 0 {
			tm.mark += i + len(want)
			return
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("timed out waiting for %q; the screen after the last match shows %q", want, all[tm.mark:])
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// rawMode waits until the prompt reads keys (Ctrl-C included).
func (tm *terminal) rawMode() {
	tm.t.Helper()
	waitForRawMode(tm.t, tm.pty)
}

// exited waits for the REPL to end and checks that it ended well.
func (tm *terminal) exited() {
	tm.t.Helper()
	select {
	case err := <-tm.done:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			tm.t.Fatalf("the REPL exited with %v; the screen shows %q", err, tm.out.String())
		}
	case <-time.After(30 * time.Second):
		tm.t.Fatalf("the REPL did not exit; the screen shows %q", tm.out.String())
	}
}

func TestTerminal(t *testing.T) {
	history := filepath.Join(t.TempDir(), "history")
	tm := startTerminal(t, "STASIS_REPL_HISTORY="+history)
	tm.expect("> ")
	tm.send("1 + 1\r")
	tm.expect("\r\n2\r\n> ")

	// Multi-line input continues on "... ".
	tm.send("[1,\r")
	tm.expect("... ")
	tm.send("2]\r")
	tm.expect("[ 1, 2 ]\r\n> ")

	// Tab completes a top-level let, and a property.
	tm.send("let myVeryLongName = 7\r")
	tm.expect("undefined\r\n> ")
	tm.send("myVeryL\t")
	tm.expect("myVeryLongName")
	tm.send("\r")
	tm.expect("\r\n7\r\n> ")
	tm.send("Math.ma\t")
	tm.expect("Math.max")
	tm.send("(1, 5)\r")
	tm.expect("\r\n5\r\n> ")

	// Ctrl-C stops a runaway loop; the world is intact.
	tm.send("console.log('spin' + 'ning'); while (true) {}\r")
	tm.expect("spinning\r\n")
	tm.send("\x03")
	tm.expect("Interrupted")
	tm.expect("> ")
	tm.send("myVeryLongName * 6\r")
	tm.expect("\r\n42\r\n> ")

	// Ctrl-R searches the history.
	tm.send("\x12myVeryLongName *")
	tm.expect("reverse-i-search")
	tm.send("\r")
	tm.expect("42\r\n> ")

	// .editor runs what was typed when Ctrl-D is pressed.
	tm.send(".editor\r")
	tm.expect("// Entering editor mode")
	tm.send("function nine() {\r  return 9 }\rnine()\r\x04")
	tm.expect("\r\n9\r\n> ")

	// Ctrl-C at an empty prompt explains; a second one exits.
	tm.rawMode()
	tm.send("\x03")
	tm.expect("(To exit, press Ctrl+C again or Ctrl+D or type .exit)")
	tm.expect("> ")
	tm.rawMode()
	tm.send("\x03")
	tm.expect("Save it before leaving?")
	tm.send("\r")
	tm.exited()

	got, err := os.ReadFile(history)
	if err != nil {
		t.Fatal(err)
	}
	if h := string(got); !strings.Contains(h, "1 + 1\n") || !strings.Contains(h, "let myVeryLongName = 7\n") {
		t.Errorf("history file holds %q", got)
	}
	// The next session has the history: Up recalls the last line.
	tm = startTerminal(t, "STASIS_REPL_HISTORY="+history)
	tm.expect("> ")
	tm.send("\x1b[A")
	tm.expect("> .editor")
	tm.send("\x15\x04") // erase the line, then Ctrl-D at an empty prompt

	tm.exited()
}

func TestTerminalTimersAndColors(t *testing.T) {
	tm := startTerminal(t, "STASIS_REPL_TEST_COLORS=1", "STASIS_REPL_HISTORY=")
	tm.expect("> ")
	tm.send("42\r")
	tm.expect("\x1b[33m42\x1b[0m")

	// A timer prints while a line is being typed: its output goes above a
	// cleared line, the prompt and the typed text are drawn again, and the
	// line goes on.
	tm.send("let n = 0; const h = setInterval(() => console.log('tick' + ++n), 50); 0\r")
	tm.expect("> ")
	tm.send("6 *")
	tm.expect("6 *")
	tm.expect(clearLine + "tick")
	tm.expect("> 6 *")
	tm.send(" 7\r")
	tm.expect("\x1b[33m42\x1b[0m")
	tm.send("clearInterval(h)\r")
	tm.expect("undefined")
	tm.send("\x04")
	tm.expect("Save it before leaving?")
	tm.send("\r")
	tm.exited()
}

func TestTerminalAwait(t *testing.T) {
	tm := startTerminal(t, "STASIS_REPL_HISTORY=")
	tm.expect("> ")
	tm.send("await new Promise(r => setTimeout(r, 20, 42))\r")
	tm.expect("\r\n42\r\n> ")
	tm.send("const x = await Promise.resolve(7)\r")
	tm.expect("\r\nundefined\r\n> ")
	tm.send("x * 6\r")
	tm.expect("\r\n42\r\n> ")

	// Timers fire while an await waits; Ctrl-C stops waiting, and the
	// REPL goes on with its world.
	tm.send("setTimeout(() => console.log('fired'), 10); const never = await new Promise(() => {})\r")
	tm.expect("fired\r\n")
	tm.send("\x03")
	tm.expect("Interrupted: no longer waiting (the awaited promise is left as it is)\r\n> ")
	tm.send("x + 1\r")
	tm.expect("\r\n8\r\n> ")
	tm.send("\x04")
	tm.expect("Save it before leaving?")
	tm.send("\r")
	tm.exited()
}

func TestTerminalCtrlC(t *testing.T) {
	tm := startTerminal(t, "STASIS_REPL_HISTORY=")
	tm.expect("> ")
	tm.send("let kept = 'world'\r")
	tm.expect("undefined\r\n> ")

	// On a line with text, Ctrl-C clears it and explains nothing, as in
	// Node: the text stays on the screen and a fresh prompt follows.
	tm.rawMode()
	tm.send("abc")
	tm.expect("abc")
	tm.send("\x03")
	tm.expect("\r\n> ")
	tm.send("kept\r")
	tm.expect("'world'\r\n> ")

	// At an empty prompt it explains; typing in between disarms it, so a
	// Ctrl-C that clears text after the explanation never leaves.
	tm.rawMode()
	tm.send("\x03")
	tm.expect("(To exit, press Ctrl+C again or Ctrl+D or type .exit)\r\n> ")
	tm.send("a")
	tm.expect("a")
	tm.send("\x03")
	tm.expect("\r\n> ")
	tm.rawMode()
	tm.send("\x03")
	tm.expect("(To exit, press Ctrl+C again or Ctrl+D or type .exit)\r\n> ")
	tm.send("kept.length\r")
	tm.expect("5\r\n> ")

	// Ctrl-C abandons an unfinished input.
	tm.send("[1,\r")
	tm.expect("... ")
	tm.send("\x03")
	tm.expect("\r\n> ")
	tm.send("2 + 2\r")
	tm.expect("4\r\n> ")

	// Two in a row at an empty prompt leave.
	tm.rawMode()
	tm.send("\x03")
	tm.expect("(To exit, press Ctrl+C again or Ctrl+D or type .exit)\r\n> ")
	tm.rawMode()
	tm.send("\x03")
	tm.expect("Save it before leaving?")
	tm.send("\r")
	tm.exited()
}

func TestTerminalLeaving(t *testing.T) {
	// A world that did not change leaves at once.
	tm := startTerminal(t, "STASIS_REPL_HISTORY=")
	tm.expect("> ")
	tm.send("1 + 1\r")
	tm.expect("2\r\n> ")
	tm.send("\x04")
	tm.exited()
	if strings.Contains(tm.out.String(), "changed") {
		t.Errorf("asked about an unchanged world: %q", tm.out.String())
	}

	// A changed world that was never saved: the answer is a file name.
	path := filepath.Join(t.TempDir(), "left.img")
	tm = startTerminal(t, "STASIS_REPL_HISTORY=")
	tm.expect("> ")
	tm.send("var saved = 41\r")
	tm.expect("undefined\r\n> ")
	tm.send("\x04")
	tm.expect("This world has changed and was never saved.\r\n")
	tm.expect("Save it before leaving? [a file name = save there, Enter = leave without saving, Ctrl+C = stay] ")
	tm.send(path + "\r")
	tm.expect("Saved " + path + "\r\n")
	tm.exited()

	// Resumed and only read from: no question.
	tm = startTerminal(t, "STASIS_REPL_HISTORY=", "STASIS_REPL_TEST_IMAGE="+path)
	tm.expect("Resumed " + path)
	tm.send("saved + 1\r")
	tm.expect("42\r\n> ")
	tm.send(".exit\r")
	tm.exited()

	// Changed: Ctrl-C at the question stays; y saves back to the image.
	tm = startTerminal(t, "STASIS_REPL_HISTORY=", "STASIS_REPL_TEST_IMAGE="+path)
	tm.expect("> ")
	tm.send("saved++\r")
	tm.expect("41\r\n> ")
	tm.send(".exit\r")
	tm.expect("The world has changed since it was last saved to or loaded from " + path + ".\r\n")
	tm.expect("Save it there before leaving? ")
	tm.rawMode()
	tm.send("\x03")
	tm.expect("> ")
	tm.send("saved\r")
	tm.expect("42\r\n> ")
	tm.send("\x04")
	tm.expect("Save it there before leaving? ")
	tm.send("y\r")
	tm.expect("Saved " + path + "\r\n")
	tm.exited()

	stdout, _ := runREPL(t, "saved\n", Options{Image: path})
	if stdout != "42\n" {
		t.Errorf("the saved world holds %q", stdout)
	}
}

func TestTerminalNewWorld(t *testing.T) {
	tm := startTerminal(t, "STASIS_REPL_HISTORY=")
	tm.expect("> ")
	tm.send("var a = 1\r")
	tm.expect("undefined\r\n> ")
	tm.send(".new-world\r")
	tm.expect("The world has changed since it was last saved or loaded. Throw this world away and start again in a fresh one? [y/N] ")
	tm.send("\r")
	tm.expect("Kept the world\r\n> ")
	tm.send("a\r")
	tm.expect("1\r\n> ")
	tm.send(".new-world\r")
	tm.expect("[y/N] ")
	tm.send("y\r")
	tm.expect("A fresh world\r\n> ")
	tm.send("typeof a\r")
	tm.expect("'undefined'\r\n> ")
	tm.send("\x04") // a fresh world, unchanged: no question
	tm.exited()
}
