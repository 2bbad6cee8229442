//go:build unix && !linux

package repl

import (
	"os"
	"testing"
)

// waitForRawMode cannot tell the terminal's mode here; see pty_linux_test.go.
func waitForRawMode(*testing.T, *os.File) {}
