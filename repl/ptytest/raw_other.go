//go:build unix && !linux

package ptytest

import "os"

// rawMode cannot tell the terminal's mode here.
func rawMode(*os.File) (raw, known bool) { return false, false }
