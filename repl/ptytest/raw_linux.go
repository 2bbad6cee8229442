package ptytest

import (
	"os"

	"golang.org/x/sys/unix"
)

// rawMode reports whether the terminal no longer turns Ctrl-C into SIGINT.
func rawMode(pty *os.File) (raw, known bool) {
	tio, err := unix.IoctlGetTermios(int(pty.Fd()), unix.TCGETS)
	if err != nil {
		return false, false
	}
	return tio.Lflag&unix.ISIG == 0, true
}
