package image

import "os"

// isRunningExecutable reports whether f is the file this process was
// started from. Linux refuses to open a running executable for writing
// (ETXTBSY), so the bytes of such a file cannot change or shrink while
// the process lives, and a mapping of them can be read for as long.
func isRunningExecutable(f *os.File) bool {
	exe, err := os.Executable()
	if err != nil {
		return false
	}
	a, err := os.Stat(exe)
	if err != nil {
		return false
	}
	b, err := f.Stat()
	return err == nil && os.SameFile(a, b)
}
