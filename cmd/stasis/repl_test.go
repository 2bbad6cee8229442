//go:build unix

package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// lockedBuffer collects what the pty shows while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// TestREPLOnATerminal runs the stasis binary's REPL on a pseudo-terminal:
// resuming an image, prompt, colours, Ctrl-C on a runaway loop, saving
// back to the image, Ctrl-D. Output is awaited, never timed.
func TestREPLOnATerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "stasis")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	writeFiles(t, dir, map[string]string{"notes.js": "var notes = ['buy milk'];\nstasis.onResume(function () { console.log('welcome back') });\n"})
	if status, _, stderr := stasis(t, dir, "", "save-image", "-o", "notes.img", "notes.js"); status != 0 {
		t.Fatalf("save-image: %s", stderr)
	}

	start := func(env ...string) (f *os.File, out *lockedBuffer, expect func(string), done chan error) {
		cmd := exec.Command(bin, "repl", "notes.img")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), append([]string{"TERM=xterm", "STASIS_REPL_HISTORY="}, env...)...)
		f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 160})
		if err != nil {
			t.Skipf("no pseudo-terminal: %v", err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); f.Close() })
		out = &lockedBuffer{}
		done = make(chan error, 1)
		go func() { io.Copy(out, f); done <- cmd.Wait() }()
		mark := 0
		expect = func(want string) {
			t.Helper()
			deadline := time.Now().Add(30 * time.Second)
			for {
				all := out.String()
				if i := strings.Index(all[mark:], want); i >= 0 {
					mark += i + len(want)
					return
				}
				if time.Now().After(deadline) {
					t.Fatalf("timed out waiting for %q; the screen shows %q", want, all[mark:])
				}
				time.Sleep(5 * time.Millisecond)
			}
		}
		return f, out, expect, done
	}
	finish := func(done chan error, out *lockedBuffer) {
		t.Helper()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("stasis repl: %v; the screen shows %q", err, out.String())
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("stasis repl did not exit; the screen shows %q", out.String())
		}
	}

	f, out, expect, done := start()
	expect("welcome back")
	expect("Resumed notes.img\r\n")
	expect("> ")
	io.WriteString(f, "notes.push('call mum')\r")
	expect("\x1b[33m2\x1b[0m") // a terminal: colours
	io.WriteString(f, "console.log('loop' + 'ing'); for (;;) {}\r")
	expect("looping\r\n")
	io.WriteString(f, "\x03")
	expect("Interrupted")
	expect("> ")
	io.WriteString(f, ".save-image\r")
	expect("Saved notes.img")
	io.WriteString(f, "\x04")
	finish(done, out)

	// NO_COLOR is respected; the saved world carries on.
	f, out, expect, done = start("NO_COLOR=1")
	expect("> ")
	io.WriteString(f, "notes.length\r")
	expect("\r\n2\r\n> ")
	io.WriteString(f, ".exit\r")
	finish(done, out)
	if strings.Contains(out.String(), "\x1b[33m") {
		t.Errorf("colours despite NO_COLOR: %q", out.String())
	}
}
