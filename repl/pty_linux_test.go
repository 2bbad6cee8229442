package repl

import (
	"os"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// waitForRawMode waits until the terminal stops turning Ctrl-C into
// SIGINT, which liner does once its prompt reads keys: a Ctrl-C typed
// earlier would interrupt nothing and be lost.
func waitForRawMode(t *testing.T, pty *os.File) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		tio, err := unix.IoctlGetTermios(int(pty.Fd()), unix.TCGETS)
		if err != nil {
			return // cannot tell: go on
		}
		if tio.Lflag&unix.ISIG == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("timed out waiting for the prompt to read keys")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
