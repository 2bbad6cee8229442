package image

import "os"

// selfFile names the running executable's own file (see OpenSelf).
const selfFile = "/proc/self/exe"

// isRunningExecutable reports whether f is the file this process was
// started from. Linux refuses to open a running executable for writing
// (ETXTBSY), so the bytes of such a file cannot change or shrink while
// the process lives, and a mapping of them can be read for as long.
// /proc/self/exe is the running file itself, even once its path names
// another (a new build renamed over it, which may be written): not the
// path os.Executable reads from it.
func isRunningExecutable(f *os.File) bool {
	a, err := os.Stat(selfFile)
	if err != nil {
		return false
	}
	b, err := f.Stat()
	return err == nil && os.SameFile(a, b)
}
