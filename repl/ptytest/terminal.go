//go:build unix

package ptytest

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/creack/pty"
)

// Terminal is a program running on a pseudo-terminal of 40 rows and 160
// columns.
type Terminal struct {
	t    testing.TB
	pty  *os.File
	cmd  *exec.Cmd
	out  Buffer
	mark int // Expect looks after this offset of out
	done chan error
}

// Start starts cmd on a new pseudo-terminal, with TERM=xterm added to its
// environment (cmd.Env, or the test's own when nil). The test is skipped
// where no pseudo-terminal can be had; the program is killed when the test
// ends.
func Start(t testing.TB, cmd *exec.Cmd) *Terminal {
	t.Helper()
	if cmd.Env == nil {
		cmd.Env = os.Environ()
	}
	cmd.Env = append(cmd.Env, "TERM=xterm")
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 160})
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	tm := &Terminal{t: t, pty: f, cmd: cmd, done: make(chan error, 1)}
	copied := make(chan struct{})
	go func() {
		io.Copy(&tm.out, f) // ends with EIO when the program exits
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

// Send types keys ("\r" is Enter, "\x03" Ctrl-C, "\x04" Ctrl-D, "\t" Tab).
func (tm *Terminal) Send(keys string) {
	tm.t.Helper()
	if _, err := tm.pty.Write([]byte(keys)); err != nil {
		tm.t.Fatalf("typing %q: %v", keys, err)
	}
}

// Expect waits until the screen shows want after what the last Expect
// found, and moves past it.
func (tm *Terminal) Expect(want string) {
	tm.t.Helper()
	tm.mark = tm.out.Wait(tm.t, tm.mark, want)
}

// Screen returns all that the program wrote to the terminal so far.
func (tm *Terminal) Screen() string { return tm.out.String() }

// RawMode waits until the program reads keys one by one with the
// terminal's signals off, as a line editor does at its prompt: a Ctrl-C
// typed earlier would be a signal, not a key. Where this cannot be told
// (not Linux), it returns at once.
func (tm *Terminal) RawMode() {
	tm.t.Helper()
	deadline := time.Now().Add(Limit)
	for {
		raw, known := rawMode(tm.pty)
		if raw || !known {
			return
		}
		if time.Now().After(deadline) {
			tm.t.Fatal("timed out waiting for the program to read keys")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Exited waits for the program to end and fails the test unless it ended
// with status 0.
func (tm *Terminal) Exited() {
	tm.t.Helper()
	select {
	case err := <-tm.done:
		if err != nil {
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				tm.t.Fatalf("the program exited with %v; the screen shows %q", err, tm.out.String())
			}
			tm.t.Fatalf("waiting for the program: %v", err)
		}
	case <-time.After(Limit):
		tm.t.Fatalf("the program did not exit; the screen shows %q", tm.out.String())
	}
}
