//go:build unix

package image

import (
	"os"
	"syscall"
)

// lockDir takes an exclusive lock on dir, waiting for it, and returns the
// function that releases it. The lock goes with the process: a save killed
// with -9 releases it.
func lockDir(dir string) (func(), error) {
	d, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	for {
		err = syscall.Flock(int(d.Fd()), syscall.LOCK_EX)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		d.Close()
		return nil, err
	}
	return func() { d.Close() }, nil
}
