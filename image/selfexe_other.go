//go:build !linux

package image

import "os"

// selfFile is empty: no name of the running executable's own file here
// (see OpenSelf).
const selfFile = ""

// isRunningExecutable reports false: elsewhere than on Linux, a running
// executable's file may be written to, so no mapping of it is kept (see
// the Linux version).
func isRunningExecutable(f *os.File) bool { return false }
